package pos

// Effect is an instruction from Step or StepRefund to the executor. Effects
// are plain data; the executor runs them in order and feeds each request's
// outcome back as a result event carrying the request's Seq.
//
// Rule for executors: an effect list that holds a mutating request always
// starts with a Record (or RecordRefund) carrying the snapshot that names
// the request's idempotency key. Persist it first; if that fails, do not
// send the request and report RequestNotSent instead.
//
// Mapping to the ports and back:
//
//	CreateIntent       Payments.CreateIntent  → IntentCreated  | RequestFailed
//	ProcessIntent      Terminal.ProcessIntent → ProcessAccepted | RequestFailed
//	PollReader         Terminal.GetReader     → ReaderPolled   | RequestFailed
//	GetIntent          Payments.GetIntent     → IntentRead     | RequestFailed
//	CancelReaderAction Terminal.CancelAction  → ActionCanceled | RequestFailed
//	CancelIntent       Payments.CancelIntent  → CancelConfirmed | RequestFailed
//	CaptureIntent      Payments.CaptureIntent → IntentCaptured | RequestFailed
//	SetDisplay         Terminal.SetDisplay    → nothing (best effort; log failures)
//	ClearDisplay       Terminal.GetReader, then CancelAction only if ShowsCart → nothing (best effort)
//	CreateRefund       Payments.CreateRefund  → RefundCreated  | RequestFailed
//	ListRefunds        Payments.ListRefunds   → RefundsListed  | RequestFailed
type Effect interface {
	// Mutating reports whether the effect is a POST to Stripe.
	Mutating() bool
}

// Record persists the sale snapshot (Step fills Sale with the sale it
// returns) before the request that follows it is sent. For and Key name
// that request.
type Record struct {
	Sale Sale
	For  Op
	Key  string
}

// CreateIntent creates the sale's PaymentIntent on Seller's account.
type CreateIntent struct {
	Seq     int64
	Key     string
	Seller  Account
	Request CreateIntentRequest
}

// ProcessIntent hands the intent to the reader (process_payment_intent).
type ProcessIntent struct {
	Seq      int64
	Key      string
	Owner    Account // the reader's account
	ReaderID string
	IntentID string
	Config   ProcessConfig
}

// PollReader reads the reader with its action's PaymentIntent expanded.
type PollReader struct {
	Seq      int64
	Owner    Account
	ReaderID string
}

// GetIntent reads the PaymentIntent (latest_charge expanded if possible).
type GetIntent struct {
	Seq      int64
	Seller   Account
	IntentID string
}

// CancelReaderAction clears the reader. The machine only emits it right
// after a read showed the reader working on IntentID, our payment.
type CancelReaderAction struct {
	Seq      int64
	Key      string
	Owner    Account
	ReaderID string
	IntentID string // the payment the read showed; for the log
}

// CancelIntent cancels the PaymentIntent.
type CancelIntent struct {
	Seq      int64
	Key      string
	Seller   Account
	IntentID string
	Reason   string
}

// CaptureIntent captures an authorized intent. Amount is the capturable
// amount the machine saw; 0 means "the full capturable amount".
type CaptureIntent struct {
	Seq      int64
	Key      string
	Seller   Account
	IntentID string
	Amount   int64
}

// SetDisplay shows the cart on the reader. Best effort: no result event.
type SetDisplay struct {
	Key      string
	Owner    Account
	ReaderID string
	Cart     DisplayCart
}

// ClearDisplay takes a dropped cart off the reader, compare before clear:
// the executor reads the reader and sends cancel_action (under Key) only
// while the reader still shows exactly Cart (ShowsCart), so a payment or
// another console's cart that replaced it is never touched. Best effort,
// like SetDisplay: no result event.
type ClearDisplay struct {
	Key      string
	Owner    Account
	ReaderID string
	Cart     DisplayCart
}

// Mutating implements Effect.
func (Record) Mutating() bool { return false }

// Mutating implements Effect.
func (CreateIntent) Mutating() bool { return true }

// Mutating implements Effect.
func (ProcessIntent) Mutating() bool { return true }

// Mutating implements Effect.
func (PollReader) Mutating() bool { return false }

// Mutating implements Effect.
func (GetIntent) Mutating() bool { return false }

// Mutating implements Effect.
func (CancelReaderAction) Mutating() bool { return true }

// Mutating implements Effect.
func (CancelIntent) Mutating() bool { return true }

// Mutating implements Effect.
func (CaptureIntent) Mutating() bool { return true }

// Mutating implements Effect.
func (SetDisplay) Mutating() bool { return true }

// Mutating implements Effect.
func (ClearDisplay) Mutating() bool { return true }

// EffectKey returns the idempotency key of a mutating effect ("" otherwise).
func EffectKey(e Effect) string {
	switch e := e.(type) {
	case CreateIntent:
		return e.Key
	case ProcessIntent:
		return e.Key
	case CancelReaderAction:
		return e.Key
	case CancelIntent:
		return e.Key
	case CaptureIntent:
		return e.Key
	case SetDisplay:
		return e.Key
	case ClearDisplay:
		return e.Key
	case CreateRefund:
		return e.Key
	case CreateTransfer:
		return e.Key
	case ReverseTransfer:
		return e.Key
	}
	if k, ok := e.(interface{ effectKey() string }); ok { // a customer's sale (sale_customer.go)
		return k.effectKey()
	}
	return ""
}

// EffectSeq returns the Seq a request effect's result must carry, and false
// for effects that produce no result event (Record, SetDisplay).
func EffectSeq(e Effect) (int64, bool) {
	switch e := e.(type) {
	case CreateIntent:
		return e.Seq, true
	case ProcessIntent:
		return e.Seq, true
	case PollReader:
		return e.Seq, true
	case GetIntent:
		return e.Seq, true
	case CancelReaderAction:
		return e.Seq, true
	case CancelIntent:
		return e.Seq, true
	case CaptureIntent:
		return e.Seq, true
	case CreateRefund:
		return e.Seq, true
	case ListRefunds:
		return e.Seq, true
	case CreateTransfer:
		return e.Seq, true
	case FindTransfers:
		return e.Seq, true
	case ReverseTransfer:
		return e.Seq, true
	case ReadTransfer:
		return e.Seq, true
	}
	if k, ok := e.(interface{ effectSeq() int64 }); ok { // a customer's sale (sale_customer.go)
		return k.effectSeq(), true
	}
	return 0, false
}
