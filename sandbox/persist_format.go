package sandbox

import (
	"encoding/json"
	"time"
)

// The state file format (persist.go): one versioned JSON document mirroring
// the stored objects field by field.

// stateVersion is the version of the SavedState format this build reads
// and writes.
const stateVersion = 1

// SavedState is the state file's document.
type SavedState struct {
	Version        int                  `json:"version"`
	APIVersion     string               `json:"api_version"`
	Seq            int64                `json:"seq"`
	PlatformID     string               `json:"platform_id"`
	Accounts       []SavedAccount       `json:"accounts"`
	Locations      []SavedLocation      `json:"locations"`
	Readers        []SavedReader        `json:"readers"`
	PaymentIntents []SavedPaymentIntent `json:"payment_intents"`
	Charges        []SavedCharge        `json:"charges"`
	Refunds        []SavedRefund        `json:"refunds"`
	SetupIntents   []SavedSetupIntent   `json:"setup_intents"`
	// Events and Idempotency come last in the file: saveState writes them
	// from per-item caches (encodeState), since they never change.
	Events      []SavedEvent            `json:"events,omitempty"`
	Idempotency []SavedIdempotencyEntry `json:"idempotency,omitempty"`
}

// SavedMeta is what every stored object has. Account "" is the platform.
type SavedMeta struct {
	ID      string `json:"id"`
	Account string `json:"account"`
	Seq     int64  `json:"seq"`
	Created int64  `json:"created"`
}

type SavedAddress struct {
	Line1      string `json:"line1"`
	Line2      string `json:"line2"`
	City       string `json:"city"`
	State      string `json:"state"`
	PostalCode string `json:"postal_code"`
	Country    string `json:"country"`
}

type SavedBankAccount struct {
	ID            string `json:"id"`
	HolderName    string `json:"holder_name"`
	HolderType    string `json:"holder_type"`
	BankName      string `json:"bank_name"`
	Country       string `json:"country"`
	Currency      string `json:"currency"`
	Fingerprint   string `json:"fingerprint"`
	Last4         string `json:"last4"`
	RoutingNumber string `json:"routing_number"`
}

type SavedAccount struct {
	SavedMeta
	BusinessName             string            `json:"business_name"`
	DisplayName              string            `json:"display_name"`
	BusinessType             string            `json:"business_type"`
	Country                  string            `json:"country"`
	DefaultCurrency          string            `json:"default_currency"`
	Email                    string            `json:"email"`
	AccountType              string            `json:"account_type"`
	Controlled               bool              `json:"controlled"`
	CardPayments             string            `json:"card_payments"`
	Transfers                string            `json:"transfers"`
	ChargesEnabled           bool              `json:"charges_enabled"`
	PayoutsEnabled           bool              `json:"payouts_enabled"`
	DetailsSubmitted         bool              `json:"details_submitted"`
	Metadata                 map[string]string `json:"metadata"`
	MCC                      string            `json:"mcc"`
	ProductDescription       string            `json:"product_description"`
	SupportEmail             string            `json:"support_email"`
	SupportPhone             string            `json:"support_phone"`
	SupportURL               string            `json:"support_url"`
	URL                      string            `json:"url"`
	SupportAddress           *SavedAddress     `json:"support_address"`
	StatementDescriptor      string            `json:"statement_descriptor"`
	StatementDescriptorKana  string            `json:"statement_descriptor_kana"`
	StatementDescriptorKanji string            `json:"statement_descriptor_kanji"`
	PrimaryColor             string            `json:"primary_color"`
	Timezone                 string            `json:"timezone"`
	PayoutInterval           string            `json:"payout_interval"`
	PayoutDelayDays          int64             `json:"payout_delay_days"`
	PayoutWeeklyAnchor       string            `json:"payout_weekly_anchor"`
	CurrentlyDue             []string          `json:"currently_due"`
	PastDue                  []string          `json:"past_due"`
	DisabledReason           string            `json:"disabled_reason"`
	TOSDate                  int64             `json:"tos_date"`
	TOSIP                    string            `json:"tos_ip"`
	Bank                     *SavedBankAccount `json:"bank"`
}

type SavedLocation struct {
	SavedMeta
	DisplayName            string            `json:"display_name"`
	Address                SavedAddress      `json:"address"`
	ConfigurationOverrides string            `json:"configuration_overrides"`
	Metadata               map[string]string `json:"metadata"`
	Deleted                bool              `json:"deleted"`
}

type SavedReader struct {
	SavedMeta
	Label           string             `json:"label"`
	DeviceType      string             `json:"device_type"`
	SerialNumber    string             `json:"serial_number"`
	SoftwareVersion string             `json:"software_version"`
	IPAddress       string             `json:"ip_address"`
	Status          string             `json:"status"`
	LocationID      string             `json:"location_id"`
	Metadata        map[string]string  `json:"metadata"`
	Action          *SavedReaderAction `json:"action"`
	RegCode         string             `json:"registration_code"`
	Deleted         bool               `json:"deleted"`
}

// SavedReaderAction is a reader's current action. There is no
// "presenting" field: see the package's persistence notes (persist.go).
type SavedReaderAction struct {
	Type           string            `json:"type"`
	Status         string            `json:"status"`
	FailureCode    string            `json:"failure_code"`
	FailureMessage string            `json:"failure_message"`
	PaymentIntent  string            `json:"payment_intent"`
	HasConfig      bool              `json:"has_config"`
	SkipTipping    *bool             `json:"skip_tipping"`
	TipEligible    *int64            `json:"tip_eligible"`
	EnableCancel   *bool             `json:"enable_customer_cancellation"`
	SetupIntent    string            `json:"setup_intent"`
	GeneratedCard  string            `json:"generated_card"`
	Cart           *SavedDisplayCart `json:"cart"`
}

type SavedDisplayCart struct {
	Currency  string             `json:"currency"`
	LineItems []SavedDisplayLine `json:"line_items"`
	Tax       *int64             `json:"tax"`
	Total     int64              `json:"total"`
}

type SavedDisplayLine struct {
	Amount      int64  `json:"amount"`
	Description string `json:"description"`
	Quantity    int64  `json:"quantity"`
}

type SavedPaymentIntent struct {
	SavedMeta
	Amount                    int64             `json:"amount"`
	AmountCapturable          int64             `json:"amount_capturable"`
	AmountReceived            int64             `json:"amount_received"`
	Currency                  string            `json:"currency"`
	Status                    string            `json:"status"`
	CaptureMethod             string            `json:"capture_method"`
	Description               string            `json:"description"`
	ReceiptEmail              string            `json:"receipt_email"`
	Metadata                  map[string]string `json:"metadata"`
	PaymentMethodTypes        []string          `json:"payment_method_types"`
	AutomaticPaymentMethods   bool              `json:"automatic_payment_methods"`
	Tip                       *int64            `json:"tip"`
	LastError                 *SavedError       `json:"last_payment_error"`
	LatestCharge              string            `json:"latest_charge"`
	PaymentMethod             string            `json:"payment_method"`
	CanceledAt                int64             `json:"canceled_at"`
	CancellationReason        string            `json:"cancellation_reason"`
	ApplicationFee            *int64            `json:"application_fee_amount"`
	ClientSecret              string            `json:"client_secret"`
	StatementDescriptor       string            `json:"statement_descriptor"`
	StatementDescriptorSuffix string            `json:"statement_descriptor_suffix"`
	OnBehalfOf                string            `json:"on_behalf_of"`
	TransferDestination       string            `json:"transfer_destination"`
	TransferAmount            *int64            `json:"transfer_amount"`
	TransferGroup             string            `json:"transfer_group"`
	SetupFutureUsage          string            `json:"setup_future_usage"`
	RequestExtendedAuth       *bool             `json:"request_extended_authorization"`
	RequestIncrementalAuth    *bool             `json:"request_incremental_authorization_support"`
}

// SavedError is a PaymentIntent's last_payment_error or a SetupIntent's
// last_setup_error (Charge and PaymentMethod are unused for the latter).
type SavedError struct {
	Type          string `json:"type"`
	Code          string `json:"code"`
	DeclineCode   string `json:"decline_code"`
	Message       string `json:"message"`
	Charge        string `json:"charge"`
	PaymentMethod string `json:"payment_method"`
}

// SavedCard is the test card a charge was paid with. Its decline outcome
// is not stored: it is looked up again by number.
type SavedCard struct {
	Number  string `json:"number"`
	Brand   string `json:"brand"`
	Network string `json:"network"`
	Funding string `json:"funding"`
	Country string `json:"country"`
	CVM     string `json:"cvm"`
}

type SavedCharge struct {
	SavedMeta
	Amount                    int64             `json:"amount"`
	AmountCaptured            int64             `json:"amount_captured"`
	AmountRefunded            int64             `json:"amount_refunded"`
	Currency                  string            `json:"currency"`
	Status                    string            `json:"status"`
	Paid                      bool              `json:"paid"`
	Captured                  bool              `json:"captured"`
	Refunded                  bool              `json:"refunded"`
	PaymentIntent             string            `json:"payment_intent"`
	PaymentMethod             string            `json:"payment_method"`
	Brand                     string            `json:"brand"`
	Last4                     string            `json:"last4"`
	FailureCode               string            `json:"failure_code"`
	FailureMessage            string            `json:"failure_message"`
	DeclineCode               string            `json:"decline_code"`
	ApplicationFee            *int64            `json:"application_fee_amount"`
	Metadata                  map[string]string `json:"metadata"`
	Card                      *SavedCard        `json:"card"`
	PaymentMethodType         string            `json:"payment_method_type"`
	CaptureMethod             string            `json:"capture_method"`
	Description               string            `json:"description"`
	ReceiptEmail              string            `json:"receipt_email"`
	ReceiptURL                string            `json:"receipt_url"`
	StatementDescriptor       string            `json:"statement_descriptor"`
	StatementDescriptorSuffix string            `json:"statement_descriptor_suffix"`
	CalculatedDescriptor      string            `json:"calculated_statement_descriptor"`
	OnBehalfOf                string            `json:"on_behalf_of"`
	TransferDestination       string            `json:"transfer_destination"`
	TransferAmount            *int64            `json:"transfer_amount"`
	TransferGroup             string            `json:"transfer_group"`
	ApplicationFeeID          string            `json:"application_fee"`
	CVM                       string            `json:"cardholder_verification_method"`
	AuthorizationCode         string            `json:"authorization_code"`
	OutcomeType               string            `json:"outcome_type"`
	OutcomeReason             string            `json:"outcome_reason"`
	SellerMessage             string            `json:"seller_message"`
}

type SavedRefund struct {
	SavedMeta
	Amount        int64             `json:"amount"`
	Charge        string            `json:"charge"`
	PaymentIntent string            `json:"payment_intent"`
	Currency      string            `json:"currency"`
	Reason        string            `json:"reason"`
	Status        string            `json:"status"`
	Metadata      map[string]string `json:"metadata"`
	SameDay       bool              `json:"same_day"`
}

type SavedSetupIntent struct {
	SavedMeta
	Status                  string            `json:"status"`
	PaymentMethodTypes      []string          `json:"payment_method_types"`
	Customer                string            `json:"customer"`
	Description             string            `json:"description"`
	Metadata                map[string]string `json:"metadata"`
	Usage                   string            `json:"usage"`
	PaymentMethod           string            `json:"payment_method"`
	ClientSecret            string            `json:"client_secret"`
	AutomaticPaymentMethods bool              `json:"automatic_payment_methods"`
	LatestAttempt           string            `json:"latest_attempt"`
	LastError               *SavedError       `json:"last_setup_error"`
}

// SavedEvent keeps data.object (and data.previous_attributes) as the raw
// JSON rendered when the event happened.
type SavedEvent struct {
	SavedMeta
	Type               string          `json:"type"`
	Object             json.RawMessage `json:"object"`
	PreviousAttributes json.RawMessage `json:"previous_attributes,omitempty"`
	RequestID          string          `json:"request_id"`
	IdempotencyKey     string          `json:"idempotency_key"`
}

// SavedIdempotencyEntry is a completed idempotency key: the answer it
// replays. Account is the Stripe-Account it was used with ("" = platform).
type SavedIdempotencyEntry struct {
	Account     string    `json:"account"`
	Key         string    `json:"key"`
	Fingerprint string    `json:"fingerprint"`
	Status      int       `json:"status"`
	Body        string    `json:"body"`
	Created     time.Time `json:"created"`
}

// --- loading and saving -------------------------------------------------
