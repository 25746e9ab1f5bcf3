package pos

import (
	"context"
	"strings"
	"time"
)

// Customers and their saved cards (stripe-api.md §12). A customer lives on
// one account: a seller's own customers on the seller, the platform's
// wallet on the platform. A wallet customer pays at a seller through the
// seller's copy of it — a customer on the seller that names the wallet
// customer (MetaCopyOf) — and a copy of the wallet card shared with the
// seller (Stripe's clone, MetaSharedFrom) attached to that copy, so the
// seller can charge it again without another clone. Kasse uses
// PaymentMethods only: no Sources, no card tokens.

// The metadata Kasse keeps on Stripe objects to tie a wallet customer to
// its copies (Stripe gives these keys no meaning; the platform's Stripe
// account is Kasse's only shared store, so the ties live there).
const (
	// MetaCopyOf, on a seller's customer: the wallet customer it copies.
	MetaCopyOf = "kasse_platform_customer"
	// MetaSharedFrom, on a seller's card: the wallet card it was cloned from.
	MetaSharedFrom = "kasse_platform_payment_method"
	// MetaCopyPrefix + a seller's account id, on a wallet customer: the
	// seller's copy (at most 40 characters with an acct_ id, Stripe's
	// metadata key limit).
	MetaCopyPrefix = "kasse_copy_"
	// MetaSaveConsent, on a PaymentIntent or SetupIntent that saves a
	// card: the operator who confirmed the customer agreed.
	MetaSaveConsent = "kasse_save_consent"
	// MetaWallet, on a PaymentIntent: the wallet customer it was for.
	MetaWallet = "kasse_wallet_customer"
)

// Customer is a Stripe customer.
type Customer struct {
	ID       string
	Account  Account // Platform for the wallet
	Name     string
	Email    string
	Phone    string
	Metadata map[string]string
	Created  time.Time
	Deleted  bool
}

// Wallet reports whether c is one of the platform's wallet customers.
func (c Customer) Wallet() bool { return c.Account.IsPlatform() }

// CopyAt is the id of seller's copy of the wallet customer c, as c's
// metadata names it ("" when it names none).
func (c Customer) CopyAt(seller Account) string { return c.Metadata[MetaCopyPrefix+string(seller)] }

// CopyOf is the wallet customer a seller's customer copies ("" for a
// seller's own customer).
func (c Customer) CopyOf() string { return c.Metadata[MetaCopyOf] }

// Label is how the console names c: the name, else the email, else the id.
func (c Customer) Label() string {
	switch {
	case c.Name != "":
		return c.Name
	case c.Email != "":
		return c.Email
	}
	return c.ID
}

// Matches reports whether c answers a search: the email exactly (Stripe's
// email filter is exact and case-sensitive), or every word of q in the
// name or the email, case-insensitively.
func (c Customer) Matches(q string) bool {
	q = strings.TrimSpace(q)
	if q == "" {
		return true
	}
	if q == c.Email {
		return true
	}
	hay := strings.ToLower(c.Name + " " + c.Email)
	for _, w := range strings.Fields(strings.ToLower(q)) {
		if !strings.Contains(hay, w) {
			return false
		}
	}
	return true
}

// Card types (a PaymentMethod's type).
const (
	CardTypeCard    = "card"         // chargeable without a reader
	CardTypePresent = "card_present" // a read on a reader: only a reader can use it
)

// SavedCard is a saved PaymentMethod: never more than brand, last four and
// expiry.
type SavedCard struct {
	ID       string
	Account  Account
	Customer string // the customer it is attached to ("" when none)
	Type     string // CardTypeCard or CardTypePresent
	Brand    string
	Last4    string
	Funding  string
	Country  string
	ExpMonth int
	ExpYear  int
	// SharedFrom is the wallet card this seller's card is a clone of
	// ("" for a card saved at the seller).
	SharedFrom string
	Created    time.Time
}

// Expired reports whether the card's expiry month ended before at (a card
// is valid through the last day of its expiry month).
func (c SavedCard) Expired(at time.Time) bool {
	if c.ExpYear == 0 {
		return false
	}
	y, m, _ := at.Date()
	return y > c.ExpYear || y == c.ExpYear && int(m) > c.ExpMonth
}

// Chargeable reports whether the card can be charged without a reader.
func (c SavedCard) Chargeable() bool { return c.Type == CardTypeCard }

// CustomerRequest creates a customer.
type CustomerRequest struct {
	Name     string
	Email    string
	Phone    string
	Metadata map[string]string
	// PaymentMethod is attached to the new customer ("": none).
	PaymentMethod string
}

// CustomerFilter narrows ListCustomers.
type CustomerFilter struct {
	Email string // exact, case-sensitive ("": any)
	Limit int    // 0 = adapter default
}

// SetupRequest creates a SetupIntent that saves a card read on a reader
// for a customer.
type SetupRequest struct {
	Customer string
	Metadata map[string]string
}

// SetupIntent is a SetupIntent as the domain sees it.
type SetupIntent struct {
	ID            string
	Account       Account
	Customer      string
	Status        string // requires_payment_method, succeeded, canceled, …
	PaymentMethod string // the card_present read once it succeeded
	LastError     *PaymentError
	Metadata      map[string]string
	RequestID     string
}

// Customers is customer, saved-card and SetupIntent access. owner is the
// account the object lives on (Platform for the wallet). Every mutating
// call takes an idempotency key chosen and recorded by the caller.
type Customers interface {
	CreateCustomer(ctx context.Context, owner Account, req CustomerRequest, idemKey string) (Customer, error)
	GetCustomer(ctx context.Context, owner Account, id string) (Customer, error)
	// SetCustomerMetadata sets (value "": removes) metadata keys.
	SetCustomerMetadata(ctx context.Context, owner Account, id string, md map[string]string, idemKey string) (Customer, error)
	ListCustomers(ctx context.Context, owner Account, f CustomerFilter) ([]Customer, error)

	// ListCards lists the customer's saved cards (type card), newest first.
	ListCards(ctx context.Context, owner Account, customerID string) ([]SavedCard, error)
	GetCard(ctx context.Context, owner Account, id string) (SavedCard, error)
	// ShareCard clones the wallet customer's card to seller: a new card
	// on the seller, attached to no one, that names its source
	// (MetaSharedFrom).
	ShareCard(ctx context.Context, seller Account, walletCustomer, walletCard, idemKey string) (SavedCard, error)
	AttachCard(ctx context.Context, owner Account, cardID, customerID, idemKey string) (SavedCard, error)
	DetachCard(ctx context.Context, owner Account, cardID, idemKey string) (SavedCard, error)

	CreateSetupIntent(ctx context.Context, owner Account, req SetupRequest, idemKey string) (SetupIntent, error)
	GetSetupIntent(ctx context.Context, owner Account, id string) (SetupIntent, error)
	CancelSetupIntent(ctx context.Context, owner Account, id, idemKey string) (SetupIntent, error)
	// ProcessSetupIntent hands the SetupIntent to a reader; the customer's
	// consent has been collected (customer_consent_collected=true).
	ProcessSetupIntent(ctx context.Context, readerOwner Account, readerID, setupIntentID, idemKey string) (Reader, error)
}
