package pos

import "time"

// Account is an account context. Platform ("") means the platform account
// itself (no Stripe-Account header); anything else is a connected account id
// (acct_…) and every call made in its context carries Stripe-Account.
type Account string

// Platform is the platform's own account context.
const Platform Account = ""

// IsPlatform reports whether a is the platform context.
func (a Account) IsPlatform() bool { return a == Platform }

// String renders the context for humans ("platform" or the acct id).
func (a Account) String() string {
	if a == Platform {
		return "platform"
	}
	return string(a)
}

// Capability states as Stripe reports them.
const (
	CapabilityActive   = "active"
	CapabilityInactive = "inactive"
	CapabilityPending  = "pending"
)

// Seller is a connected account that sells through this console.
type Seller struct {
	ID             Account
	DisplayName    string
	Country        string // ISO 3166-1 alpha-2, upper case
	Currency       string // default currency, lower case ISO 4217
	CardPayments   string // capability state: active, inactive, pending or ""
	Transfers      string // transfers capability state, as CardPayments
	ChargesEnabled bool
	// Charges is how the platform charges for this seller: Kasse's own
	// configuration (config [[sellers]]), filled in by the composition
	// root; the zero value is a direct charge without a fee.
	Charges ChargeSetup
}

// Address is a postal address as Terminal locations carry it.
type Address struct {
	Line1, Line2, City, State, PostalCode, Country string
}

// Location is a Terminal location. Owner is the account it lives on.
type Location struct {
	ID          string
	Owner       Account
	DisplayName string
	Address     Address
	Metadata    map[string]string
}

// Reader action types and statuses (terminal.reader.action).
const (
	ActionProcessPaymentIntent = "process_payment_intent"
	ActionProcessSetupIntent   = "process_setup_intent"
	ActionSetReaderDisplay     = "set_reader_display"
	ActionRefundPayment        = "refund_payment"

	ActionInProgress = "in_progress"
	ActionSucceeded  = "succeeded"
	ActionFailed     = "failed"
)

// ReaderAction is the most recent action of a reader.
type ReaderAction struct {
	Type           string
	Status         string
	FailureCode    string
	FailureMessage string
	// PaymentIntentID is set for process_payment_intent actions.
	PaymentIntentID string
	// Intent is the expanded PaymentIntent when the adapter expanded it.
	Intent *Intent
	// Display is the cart a set_reader_display action shows.
	Display *DisplayCart
	// SetupIntentID and GeneratedCard are set for process_setup_intent
	// actions (GeneratedCard once the card was saved).
	SetupIntentID string
	GeneratedCard string
}

// Reader is a Terminal reader. Owner is the account it is registered on.
type Reader struct {
	ID              string
	Owner           Account
	Label           string
	DeviceType      string
	Status          string // online | offline
	SerialNumber    string
	SoftwareVersion string
	IPAddress       string
	LocationID      string
	Metadata        map[string]string
	Action          *ReaderAction // nil when the reader holds no action
	RequestID       string        // Request-Id of the response this came from
}

// Online reports whether the reader reported in recently.
func (r Reader) Online() bool { return r.Status == "online" }

// Busy reports whether the reader is working on an action right now.
func (r Reader) Busy() bool { return r.Action != nil && r.Action.Status == ActionInProgress }

// PaymentIntent statuses.
const (
	IntentRequiresPaymentMethod = "requires_payment_method"
	IntentRequiresConfirmation  = "requires_confirmation"
	IntentRequiresAction        = "requires_action"
	IntentProcessing            = "processing"
	IntentRequiresCapture       = "requires_capture"
	IntentCanceled              = "canceled"
	IntentSucceeded             = "succeeded"
)

// PaymentError is a payment's last error (a decline, usually).
type PaymentError struct {
	Type        string // card_error, invalid_request_error, …
	Code        string // card_declined, expired_card, …
	DeclineCode string // insufficient_funds, generic_decline, …
	Message     string
}

// Card is what the reader reported about the card; never a full number.
type Card struct {
	Brand string
	Last4 string
}

// Charge is the charge behind a PaymentIntent.
type Charge struct {
	ID             string
	Amount         int64
	AmountCaptured int64
	AmountRefunded int64
	Captured       bool
	Refunded       bool
	Status         string // succeeded | pending | failed
	Card           Card
	// Connect: the transfer of a destination charge (tr_…), the
	// application fee taken (fee_…) and its amount.
	TransferID           string
	ApplicationFeeID     string
	ApplicationFeeAmount int64
	// GeneratedCard is the reusable card a reader saved from this
	// payment (setup_future_usage), "" when none.
	GeneratedCard string
	IntentID      string // the PaymentIntent it belongs to
	// Disputed: the cardholder's bank disputed it (see Dispute).
	Disputed bool
}

// Intent is a PaymentIntent as the domain sees it.
type Intent struct {
	ID                 string
	Account            Account
	Status             string
	Amount             int64
	AmountCapturable   int64
	AmountReceived     int64
	Tip                *int64 // nil when tipping was off
	Currency           string
	CaptureMethod      string
	Description        string
	ReceiptEmail       string
	Metadata           map[string]string
	LastError          *PaymentError
	LatestCharge       *Charge // set when expanded
	LatestChargeID     string
	CancellationReason string
	// ApplicationFeeAmount is the platform's fee on this payment (0: none).
	ApplicationFeeAmount int64
	// Connect: transfer_data[destination] and on_behalf_of of a
	// destination charge, transfer_group of a separate one ("" when unset).
	TransferDestination Account
	OnBehalfOf          Account
	TransferGroup       string
	Created             time.Time
	RequestID           string
}

// Refund is a refund of a charge.
type Refund struct {
	ID        string
	Account   Account
	ChargeID  string
	IntentID  string
	Amount    int64
	Currency  string
	Status    string // pending | succeeded | failed | canceled | requires_action
	Reason    string
	Created   time.Time
	RequestID string
	// TransferReversal is the reversal a reverse_transfer refund made
	// (trr_…; destination charges).
	TransferReversal string
	// Metadata as sent; Kasse puts kasse_refund_id here to find its own
	// refunds again when a create's outcome is unknown.
	Metadata map[string]string
}

// Event is one of Stripe's events (the Events API, or a webhook): what
// happened, on which account, and the object it happened to, decoded by
// kind (events.go).
type Event struct {
	ID       string
	Type     string
	Account  Account
	Created  time.Time
	ObjectID string
	// ObjectType is data.object's object ("payment_intent", "charge",
	// "refund", "dispute", "terminal.reader", …).
	ObjectType string
	Livemode   bool
	// The object, decoded when Kasse knows its kind (at most one is set).
	Intent  *Intent  `json:",omitempty"`
	Charge  *Charge  `json:",omitempty"`
	Refund  *Refund  `json:",omitempty"`
	Dispute *Dispute `json:",omitempty"`
	// Payload is the event's JSON as received (not kept in snapshots).
	Payload []byte `json:"-"`
}
