package pos

import (
	"strconv"
	"time"
)

// SaleState is where a sale stands. The values are stable strings: they go
// into the journal and the logs.
type SaleState string

// Sale states. "Decision" states wait for the cashier: Retry, ChangeReader
// or Cancel. Approved, Canceled and Failed are final.
const (
	SaleDraft            SaleState = "draft"             // cart being built
	SalePreparing        SaleState = "preparing"         // sharing a saved card with the seller (sale_customer.go)
	SaleCreating         SaleState = "creating"          // create PaymentIntent sent
	SaleProcessing       SaleState = "processing"        // process_payment_intent sent
	SaleWaitingForCard   SaleState = "waiting_for_card"  // reader shows our payment
	SaleRequiresCapture  SaleState = "requires_capture"  // authorized (manual capture)
	SaleCapturing        SaleState = "capturing"         // capture sent
	SaleApproved         SaleState = "approved"          // paid; only a refund can undo it
	SaleDeclined         SaleState = "declined"          // decision: card declined, same intent reusable
	SaleCustomerCanceled SaleState = "customer_canceled" // decision: customer pressed cancel on the reader
	SaleReaderBusy       SaleState = "reader_busy"       // decision: reader busy with another payment
	SaleReaderOffline    SaleState = "reader_offline"    // decision: reader offline
	SaleInterrupted      SaleState = "interrupted"       // decision: see Sale.Interruption
	SaleUnknown          SaleState = "unknown"           // outcome unknown — checking (see Sale.Checking)
	SaleCanceling        SaleState = "canceling"         // clearing the reader and canceling the intent
	SaleCanceled         SaleState = "canceled"          // final: nothing charged
	SaleFailed           SaleState = "failed"            // final: non-retryable error, see LastError
)

// Final reports whether nothing more will happen on its own: the cashier
// is done with the sale. A failed sale may still owe Stripe a cancel (see
// Sale.Finished).
func (st SaleState) Final() bool {
	return st == SaleApproved || st == SaleCanceled || st == SaleFailed
}

// Decision reports whether the sale waits for the cashier to choose Retry,
// ChangeReader or Cancel.
func (st SaleState) Decision() bool {
	switch st {
	case SaleDeclined, SaleCustomerCanceled, SaleReaderBusy, SaleReaderOffline, SaleInterrupted:
		return true
	}
	return false
}

// Check says what an Unknown sale is finding out.
type Check string

// Checks.
const (
	CheckNone    Check = ""
	CheckCreate  Check = "create"  // did the create go through? Resend with the SAME key.
	CheckProcess Check = "process" // did process_payment_intent reach the reader? Read reader, then intent.
	CheckPayment Check = "payment" // what happened to a payment the reader lost? Read reader, then intent.
	CheckCapture Check = "capture" // did the capture go through? Read the intent.
)

// Interruption reasons (Sale.Interruption) for SaleInterrupted.
const (
	InterruptIdle        = "idle_timeout" // no card within IdleTimeout; the reader was cleared
	InterruptLeftReader  = "left_reader"  // the reader stopped showing the payment (canceled or replaced elsewhere)
	InterruptReaderError = "reader_error" // reader failed without a card result (connection_error, bad location, …)
	InterruptNotSent     = "not_sent"     // the request was never sent (journal write failed)
	InterruptNoPickup    = "no_pickup"    // the reader did not take the payment after automatic re-sends
)

// MaxAutoResends caps how often the machine re-sends process_payment_intent
// on its own after proving the earlier send did not reach the reader.
const MaxAutoResends = 2

// Op names a request to Stripe.
type Op string

// Ops.
const (
	OpCreateIntent  Op = "create_intent"
	OpProcessIntent Op = "process_intent"
	OpReadReader    Op = "read_reader"
	OpReadIntent    Op = "read_intent"
	OpCancelAction  Op = "cancel_action"
	OpCancelIntent  Op = "cancel_intent"
	OpCaptureIntent Op = "capture_intent"
	OpSetDisplay    Op = "set_display"
	OpClearDisplay  Op = "clear_display"
	OpCreateRefund  Op = "create_refund"
	OpListRefunds   Op = "list_refunds"
)

// Mutating reports whether op is a POST that needs an idempotency key.
func (op Op) Mutating() bool {
	switch op {
	case OpReadReader, OpReadIntent, OpListRefunds, OpListTransfers, "":
		return false
	}
	return true
}

// Pending is the one request a sale is waiting for. Results carry Seq; a
// result whose Seq differs is stale and ignored.
type Pending struct {
	Seq   int64
	Op    Op
	Key   string // idempotency key, "" for reads
	Since time.Time
}

// Active reports whether a request is outstanding.
func (p Pending) Active() bool { return p.Op != "" }

// Throttle is Stripe refusing this sale's requests with HTTP 429
// (rate_limit, or lock_timeout once stripe-go's own retries ran out).
// Stripe refuses those before running them and keeps no idempotent result
// for them, so the machine sends the same request again — a POST under the
// same idempotency key, which could only replay it — once Until has
// passed, backing off further with every refusal in a row (PollInterval).
// A 429 never decides a sale. It is bookkeeping, not kept in the journal: a
// restarted sale finds its way from its state.
type Throttle struct {
	Refusals int       // 429s in a row; 0 = not throttled
	Op       Op        // the refused request, waiting to be sent again; "" once it is
	Until    time.Time // not sent again before
}

// Active reports whether Stripe is rate limiting the sale: the last answer
// was a 429 (the request may be waiting or already resent).
func (t Throttle) Active() bool { return t.Refusals > 0 }

// Waiting reports whether a refused request waits to be sent again.
func (t Throttle) Waiting() bool { return t.Op != "" }

// CancelPlan records that the cashier (or the idle timer) wants the sale
// canceled, and how far that got.
type CancelPlan struct {
	Wanted    bool
	Reason    string // PaymentIntent cancellation_reason
	ClearOnly bool   // idle timeout: clear the reader but keep the intent
	// KeepPaid (settling an orphaned sale): read the intent before
	// canceling it, and keep a payment that was approved or authorized
	// meanwhile instead of voiding it.
	KeepPaid bool
	Next     Op // step to retry on the next Tick after a failed step
}

// ReaderView is what the last reader read showed.
type ReaderView struct {
	Status         string // online | offline
	ActionType     string
	ActionStatus   string
	ActionIntentID string
	FailureCode    string
	SeenAt         time.Time
}

// BusyWithOther reports whether the reader is working on something that is
// not intentID's payment (a cart display does not count: a payment may
// replace it).
func (v ReaderView) BusyWithOther(intentID string) bool {
	if v.ActionStatus != ActionInProgress || v.ActionType == ActionSetReaderDisplay {
		return false
	}
	return v.ActionType != ActionProcessPaymentIntent || v.ActionIntentID != intentID
}

func viewOf(r Reader, at time.Time) ReaderView {
	v := ReaderView{Status: r.Status, SeenAt: at}
	if a := r.Action; a != nil {
		v.ActionType, v.ActionStatus = a.Type, a.Status
		v.ActionIntentID, v.FailureCode = a.PaymentIntentID, a.FailureCode
	}
	return v
}

// Origins of a sale (Sale.Origin): which kind of Kasse process rang it up.
// At start-up a console offers its own unfinished sales to the cashier
// (resume or cancel); every other unfinished sale is settled (Orphaned).
const (
	OriginConsole = "console" // the console (package ui)
	OriginCharge  = "charge"  // kasse charge (headless)
)

// SaleConfig sets up a sale.
type SaleConfig struct {
	ID             string  // 1–64 of [A-Za-z0-9_-]; the idempotency keys derive from it
	Seller         Account // owns the PaymentIntent (direct charge)
	ReaderOwner    Account // owns the reader (Platform for platform-owned readers)
	ReaderID       string  // may be set later with ChangeReader
	LocationID     string
	Currency       string
	CaptureMethod  string // "automatic" (default) or "manual"
	Description    string
	ReceiptEmail   string
	ApplicationFee int64 // platform fee in minor units, 0 = none
	// Charges is the seller's charge type and fee rule (ChargeSetup); its
	// rule's fee replaces ApplicationFee when the cart is charged.
	Charges     ChargeSetup
	Process     ProcessConfig
	IdleTimeout time.Duration // 0 = never clear a primed reader
	// ConsoleID and Operator are stamped on the PaymentIntent's metadata
	// (kasse_console_id, kasse_operator) next to kasse_sale_id.
	ConsoleID string
	Operator  string
	// Origin is OriginConsole or OriginCharge ("" for sales of older
	// journals, settled like a headless sale).
	Origin string
	// Customer is the customer the sale is for (nil: anonymous); see
	// sale_customer.go.
	Customer *SaleCustomer
}

// Sale is one payment at the counter. It is a value: Step returns a new
// one. Pointer fields are never modified in place.
type Sale struct {
	ID             string
	Seller         Account
	ReaderOwner    Account
	ReaderID       string
	LocationID     string
	Currency       string
	Cart           Cart
	CaptureMethod  string
	Description    string
	ReceiptEmail   string
	ApplicationFee int64 // the platform's fee or (separate charges) share, fixed at Charge
	// Charge is the charge type (the zero value is a direct charge) and Fee
	// the rule ApplicationFee is computed from at Charge.
	Charge      ChargeType
	Fee         FeeRule
	Process     ProcessConfig
	IdleTimeout time.Duration
	ConsoleID   string
	Operator    string
	Origin      string
	// Customer is the customer the sale is for (nil: anonymous). Set in
	// Draft (SetCustomer); sale_customer.go.
	Customer *SaleCustomer

	State        SaleState
	Checking     Check  // set in SaleUnknown
	Interruption string // set in SaleInterrupted (Interrupt… constants)
	Amount       int64  // cart total at Charge; the intent's amount (tip included) once paid
	// Request is frozen at Charge: every create sends exactly this, under
	// the one create key, so a resend can never differ from the first send.
	Request      CreateIntentRequest
	IntentID     string
	IntentStatus string

	// Send counters; each send of these ops gets a fresh key numbered by its
	// counter, and only after a read proved the earlier send had no effect.
	Attempt       int // process_payment_intent
	AutoResends   int // process re-sends made without the cashier
	CancelActions int
	CancelIntents int
	Captures      int
	Displays      int

	Seq           int64
	Pending       Pending
	Cancel        CancelPlan
	Reader        ReaderView // last reader read
	CardPresented bool       // last read showed a card being authorized
	Checks        int        // consecutive inconclusive checks (poll back-off)
	Throttle      Throttle   `json:"-"` // Stripe answered 429: resend after a back-off

	Decline   *PaymentError // last decline
	LastError *Error        // last request failure
	Notice    string        // message for the cashier about their last action

	Tip              *int64 // from the intent; nil when tipping was off
	Card             Card
	ChargeID         string
	AmountCapturable int64
	// Transfer is the transfer a separate charge owes its seller once paid
	// (sale_transfer.go); nil for other charge types and before approval.
	Transfer *SaleTransfer `json:",omitempty"`

	CreatedAt, UpdatedAt, ChargedAt, PrimedAt, DoneAt time.Time
}

// NewSale validates cfg and returns a Draft sale created at at.
func NewSale(cfg SaleConfig, at time.Time) (Sale, error) {
	if !validSaleID(cfg.ID) {
		return Sale{}, invalid(ErrSaleConfig, "sale id %q: use 1–64 letters, digits, '-' or '_'", cfg.ID)
	}
	cart, err := NewCart(cfg.Currency)
	if err != nil {
		return Sale{}, err
	}
	switch cfg.CaptureMethod {
	case "":
		cfg.CaptureMethod = "automatic"
	case "automatic", "manual":
	default:
		return Sale{}, invalid(ErrSaleConfig, "capture method %q: use automatic or manual", cfg.CaptureMethod)
	}
	if cfg.ApplicationFee < 0 || cfg.ApplicationFee > MaxAmount {
		return Sale{}, invalid(ErrApplicationFee, "application fee %d is out of range", cfg.ApplicationFee)
	}
	if err := cfg.Charges.Validate(); err != nil {
		return Sale{}, err
	}
	for name, v := range map[string]string{"console id": cfg.ConsoleID, "operator": cfg.Operator} {
		if len(v) > maxMetadataValue {
			return Sale{}, invalid(ErrSaleConfig, "%s is longer than Stripe's %d-character metadata limit", name, maxMetadataValue)
		}
	}
	if cfg.IdleTimeout < 0 {
		return Sale{}, invalid(ErrSaleConfig, "idle timeout %s is negative", cfg.IdleTimeout)
	}
	return Sale{
		ID: cfg.ID, Seller: cfg.Seller, ReaderOwner: cfg.ReaderOwner, ReaderID: cfg.ReaderID,
		LocationID: cfg.LocationID, Currency: cart.Currency, Cart: cart,
		CaptureMethod: cfg.CaptureMethod, Description: cfg.Description, ReceiptEmail: cfg.ReceiptEmail,
		ApplicationFee: cfg.ApplicationFee, Charge: cfg.Charges.Type.Or(), Fee: cfg.Charges.Fee,
		Process: cfg.Process, IdleTimeout: cfg.IdleTimeout,
		ConsoleID: cfg.ConsoleID, Operator: cfg.Operator, Origin: cfg.Origin, Customer: copyCustomer(cfg.Customer),
		State: SaleDraft, CreatedAt: at, UpdatedAt: at,
	}, nil
}

func validSaleID(id string) bool {
	if len(id) == 0 || len(id) > 64 {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// IdempotencyKey derives a key from an id, a step and an attempt number
// (n ≤ 0 leaves the number off): "kasse-<id>-<step>[-<n>]".
func IdempotencyKey(id, step string, n int) string {
	k := "kasse-" + id + "-" + step
	if n > 0 {
		k += "-" + strconv.Itoa(n)
	}
	return k
}

// CreateKey is the sale's only create key: "kasse-<id>-create".
func (s Sale) CreateKey() string { return IdempotencyKey(s.ID, "create", 0) }

// ProcessKey is the key of the n-th process_payment_intent send.
func (s Sale) ProcessKey(n int) string { return IdempotencyKey(s.ID, "process", n) }

// CancelActionKey is the key of the n-th cancel_action send.
func (s Sale) CancelActionKey(n int) string { return IdempotencyKey(s.ID, "cancel-action", n) }

// CancelIntentKey is the key of the n-th PaymentIntent cancel send.
func (s Sale) CancelIntentKey(n int) string { return IdempotencyKey(s.ID, "cancel", n) }

// CaptureKey is the key of the n-th capture send.
func (s Sale) CaptureKey(n int) string { return IdempotencyKey(s.ID, "capture", n) }

// DisplayKey is the key of the n-th set_reader_display send.
func (s Sale) DisplayKey(n int) string { return IdempotencyKey(s.ID, "display", n) }

// ClearDisplayKey is the key of the cancel_action that takes the sale's
// cart off the reader (n-th display shown).
func (s Sale) ClearDisplayKey(n int) string { return IdempotencyKey(s.ID, "clear-display", n) }

// IntentMayBeOpen reports whether the sale has a PaymentIntent whose last
// known status is not final (succeeded or canceled): it may still wait at
// Stripe for a card, on a reader even.
func (s Sale) IntentMayBeOpen() bool {
	return s.IntentID != "" && s.IntentStatus != IntentSucceeded && s.IntentStatus != IntentCanceled
}

// Finished reports whether the sale is settled for good: approved,
// canceled, or failed with no PaymentIntent left open. A sale that failed
// for good after its intent was created (the hand-off refused as
// unauthorized or not found, the intent's cancel refused) is final for the
// cashier — it cannot be retried — but not finished: its intent may still
// be open, so the journal keeps it among the unfinished sales and
// reconciliation settles it (Orphaned: the reader cleared if it still
// shows the payment, the intent canceled, or kept if it was paid).
func (s Sale) Finished() bool {
	switch s.State {
	case SaleApproved:
		return !s.TransferOwed()
	case SaleCanceled:
		return true
	case SaleFailed:
		return !s.IntentMayBeOpen()
	}
	return false
}

// InProgress reports whether a payment is under way (fast polling), or
// the transfer of an approved separate charge is still to be made.
func (s Sale) InProgress() bool {
	switch s.State {
	case SaleCreating, SaleProcessing, SaleWaitingForCard, SaleCapturing, SaleUnknown, SaleCanceling, SalePreparing:
		return true
	case SaleApproved:
		return s.TransferOwed()
	}
	return false
}

// IntentAccount is the account the sale's PaymentIntent lives on: the
// seller for a direct charge, the platform for destination and separate
// charges.
func (s Sale) IntentAccount() Account { return s.Charge.IntentAccount(s.Seller) }
