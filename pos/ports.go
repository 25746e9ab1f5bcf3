package pos

import "context"

// The ports below are what the domain needs from Stripe. The only
// implementation against Stripe lives in package stripeapi; tests may use
// the sandbox through that same adapter.
//
// Every mutating call takes an idempotency key chosen (and recorded) by the
// caller before the call is made; adapters never invent keys.

// Sellers lists the platform's connected accounts.
type Sellers interface {
	ListSellers(ctx context.Context) ([]Seller, error)
	GetSeller(ctx context.Context, id Account) (Seller, error)
}

// CreateIntentRequest describes a card_present PaymentIntent.
type CreateIntentRequest struct {
	Amount        int64
	Currency      string
	CaptureMethod string // automatic | manual
	Description   string
	ReceiptEmail  string
	Metadata      map[string]string
	// ApplicationFeeAmount is the platform fee (0 = none).
	ApplicationFeeAmount int64
	// Connect (see ChargeType): a destination charge names the seller in
	// TransferDestination and OnBehalfOf; a separate charge its
	// TransferGroup. Empty for a direct charge.
	TransferDestination Account
	OnBehalfOf          Account
	TransferGroup       string
	// Customer is the seller's customer the payment is for ("": none).
	Customer string
	// SetupFutureUsage asks the reader to save the card for Customer
	// ("off_session"; "": not saved).
	SetupFutureUsage string
	// SavedCard charges this card of Customer at once, without a reader
	// (confirm, off_session); the intent also takes card_present, so a
	// decline can go to a reader on the same intent ("": a reader collects
	// the card).
	SavedCard string
}

// IntentFilter narrows ListIntents.
type IntentFilter struct {
	CreatedFrom, CreatedTo int64 // unix seconds, 0 = open
	Limit                  int   // 0 = adapter default
}

// RefundFilter narrows ListRefundsCreated.
type RefundFilter struct {
	CreatedFrom, CreatedTo int64 // unix seconds, inclusive; 0 = open
	Limit                  int   // 0 = adapter default
}

// RefundRequest describes a refund of a PaymentIntent's charge.
type RefundRequest struct {
	IntentID             string
	Amount               int64 // 0 = the whole remainder
	Reason               string
	RefundApplicationFee bool
	// ReverseTransfer takes the refund back from the seller's transfer in
	// proportion (destination charges).
	ReverseTransfer bool
	Metadata        map[string]string
}

// Payments is PaymentIntent, charge and refund access. seller is the account
// that owns the PaymentIntent (direct charges: the connected account).
type Payments interface {
	CreateIntent(ctx context.Context, seller Account, req CreateIntentRequest, idemKey string) (Intent, error)
	GetIntent(ctx context.Context, seller Account, id string) (Intent, error)
	CaptureIntent(ctx context.Context, seller Account, id string, amount int64, idemKey string) (Intent, error)
	CancelIntent(ctx context.Context, seller Account, id, reason, idemKey string) (Intent, error)
	ListIntents(ctx context.Context, seller Account, f IntentFilter) ([]Intent, error)
	CreateRefund(ctx context.Context, seller Account, req RefundRequest, idemKey string) (Refund, error)
	ListRefunds(ctx context.Context, seller Account, intentID string) ([]Refund, error)
	// ListRefundsCreated lists the seller's refunds created in f's range,
	// newest first, up to f.Limit: what end of day counts.
	ListRefundsCreated(ctx context.Context, seller Account, f RefundFilter) ([]Refund, error)
}

// ProcessConfig configures process_payment_intent.
type ProcessConfig struct {
	SkipTipping                bool
	TippingAmountEligible      int64 // 0 = not sent
	EnableCustomerCancellation bool
}

// CartLine is one line shown on the reader display.
type CartLine struct {
	Description string
	Quantity    int64
	Amount      int64 // line total in minor units
}

// DisplayCart is what set_reader_display shows.
type DisplayCart struct {
	Currency string
	Lines    []CartLine
	Tax      int64
	Total    int64
}

// ReaderFilter narrows ListReaders.
type ReaderFilter struct {
	LocationID string
	Status     string
	DeviceType string
}

// LocationRequest creates or updates a location.
type LocationRequest struct {
	DisplayName string
	Address     Address
	Metadata    map[string]string
}

// Terminal is reader and location access. owner is the account the reader or
// location is registered on: Platform for platform-owned hardware.
type Terminal interface {
	ListLocations(ctx context.Context, owner Account) ([]Location, error)
	CreateLocation(ctx context.Context, owner Account, req LocationRequest, idemKey string) (Location, error)
	DeleteLocation(ctx context.Context, owner Account, id string) error

	ListReaders(ctx context.Context, owner Account, f ReaderFilter) ([]Reader, error)
	// GetReader reads a reader with its action's PaymentIntent expanded.
	GetReader(ctx context.Context, owner Account, id string) (Reader, error)
	RegisterReader(ctx context.Context, owner Account, code, label, locationID string, idemKey string) (Reader, error)
	UpdateReader(ctx context.Context, owner Account, id, label string, metadata map[string]string, idemKey string) (Reader, error)
	DeleteReader(ctx context.Context, owner Account, id string) error

	ProcessIntent(ctx context.Context, owner Account, readerID, intentID string, cfg ProcessConfig, idemKey string) (Reader, error)
	CancelAction(ctx context.Context, owner Account, readerID, idemKey string) (Reader, error)
	SetDisplay(ctx context.Context, owner Account, readerID string, cart DisplayCart, idemKey string) (Reader, error)
}

// Presenter simulates card presentment on a simulated reader (test mode only).
type Presenter interface {
	PresentCard(ctx context.Context, owner Account, readerID, cardNumber string, tip int64, idemKey string) (Reader, error)
}
