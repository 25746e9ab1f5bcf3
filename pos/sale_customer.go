package pos

import (
	"strconv"
	"time"
)

// A sale for a customer (stripe-api.md §12; seeds 000, 003). The customer
// is attached to the sale in Draft (Sale.Customer): the seller's own
// customer, or a wallet customer of the platform, paying at the seller
// through the seller's copy of it. Three things follow:
//
//   - The PaymentIntent names the seller's customer (customer) and, when
//     the cashier confirmed the customer's consent, asks the reader to
//     save the card (setup_future_usage=off_session; the consent is in
//     the intent's metadata, MetaSaveConsent, and in the journal's sale).
//     Stripe attaches the card it generates to that customer.
//   - Paying with a saved card needs no reader: the intent is created and
//     confirmed at once with the card (off_session; a decline is HTTP 402
//     with the intent, back in requires_payment_method — the cashier can
//     hand that same intent to the reader: Retry).
//   - A wallet customer's card is first shared with the seller (Stripe's
//     clone) and attached to the seller's copy of the customer, so that
//     the seller can charge it again later without another clone.
//
// Before the create, a sale may therefore make up to two requests
// (SalePreparing), each recorded in the journal before it is sent and
// resent only under its own key, so a crash between clone and charge
// resumes without a second clone or a second charge:
//
//	share the card     POST /v1/payment_methods (Stripe-Account: seller)   OpShareCard
//	copy the customer  POST /v1/customers (seller), with the shared card  OpCopyCustomer
//	  — or, when the seller has a copy already —
//	attach the card    POST /v1/payment_methods/{card}/attach (seller)    OpAttachCard
//
// so from Enter to an approved saved-card sale: 1 request when the seller
// already has the card, 3 when it does not. Once the sale has an outcome
// a new copy is named on the wallet customer (OpLinkCustomer: best effort,
// like a cart display; never waited for), so the next sale at this seller
// finds it.
//
// A definite refusal before the create (the wallet card was removed
// meanwhile, the copy was deleted) returns the sale to Draft: nothing was
// charged and the cart is kept; the card is dropped from the sale so the
// cashier can take the card on the reader (a later try numbers fresh keys:
// Preps).
//
// The preparing steps are in sale_customer_prep.go; the answer to a saved
// card's create, and what follows any outcome, in sale_customer_outcome.go.

// SaleCustomer is the customer a sale is for.
type SaleCustomer struct {
	// ID is the customer on the sale's seller ("" until the seller's copy
	// of a wallet customer exists).
	ID string
	// Wallet is the platform's wallet customer ID copies ("" for a
	// seller's own customer).
	Wallet string
	Name   string
	Email  string
	// Linked: the wallet customer's metadata names ID already
	// (MetaCopyPrefix), so no link is written after the sale.
	Linked bool
	// SaveCard: the cashier confirmed that the customer agreed to save
	// the card presented on the reader for next time; ConsentBy is who.
	SaveCard  bool
	ConsentBy string
	// Card, when set, is the saved card the sale charges without a reader.
	Card *SaleCard
	// Saved is the card the payment saved (the charge's generated_card),
	// "" when none was (a mobile wallet, a card the reader cannot save).
	Saved string
	// Preps numbers the rounds of preparing requests (fresh keys after a
	// round was refused); LinkSent: the link effect was emitted.
	Preps    int
	LinkSent bool
}

// SaleCard is the saved card a sale charges.
type SaleCard struct {
	// ID is the seller's card to charge ("" until the wallet card is
	// shared with the seller).
	ID string
	// Source is the wallet card ID is shared from ("" for the seller's
	// own card).
	Source string
	// Attached: ID is attached to the seller's customer (SaleCustomer.ID).
	Attached bool
	Brand    string
	Last4    string
	ExpMonth int
	ExpYear  int
}

// Expired reports whether the card's expiry month ended before at.
func (c SaleCard) Expired(at time.Time) bool {
	return SavedCard{ExpMonth: c.ExpMonth, ExpYear: c.ExpYear}.Expired(at)
}

// Ops of a customer's sale (pos.Op).
const (
	OpShareCard    Op = "share_card"
	OpCopyCustomer Op = "copy_customer"
	OpAttachCard   Op = "attach_card"
	OpLinkCustomer Op = "link_customer"
)

// ShareCardKey is the key of round n's clone of the wallet card.
func (s Sale) ShareCardKey(n int) string { return IdempotencyKey(s.ID, "share-card", n) }

// CopyCustomerKey is the key of round n's copy of the wallet customer.
func (s Sale) CopyCustomerKey(n int) string { return IdempotencyKey(s.ID, "copy-customer", n) }

// AttachCardKey is the key of round n's attach of the shared card.
func (s Sale) AttachCardKey(n int) string { return IdempotencyKey(s.ID, "attach-card", n) }

// LinkCustomerKey is the key of the link written on the wallet customer.
func (s Sale) LinkCustomerKey() string { return IdempotencyKey(s.ID, "link-customer", 0) }

// ShareCard clones the wallet card Card of the wallet customer Customer to
// Seller (Customers.ShareCard).
type ShareCard struct {
	Seq      int64
	Key      string
	Seller   Account
	Customer string
	Card     string
}

// CopyCustomer creates the seller's copy of a wallet customer, with the
// shared card attached when Request names one (Customers.CreateCustomer).
type CopyCustomer struct {
	Seq     int64
	Key     string
	Seller  Account
	Request CustomerRequest
}

// AttachCard attaches the shared card to the seller's copy
// (Customers.AttachCard).
type AttachCard struct {
	Seq      int64
	Key      string
	Seller   Account
	Card     string
	Customer string
}

// LinkCustomer names the seller's copy on the wallet customer
// (Customers.SetCustomerMetadata). Best effort, like SetDisplay: no
// result event; a link that never arrives costs the next sale at this
// seller a search for the copy by email (and, without an email, a new
// copy).
type LinkCustomer struct {
	Key    string
	Wallet string
	Seller Account
	Copy   string
}

// CardShared answers ShareCard.
type CardShared struct {
	At   time.Time
	Seq  int64
	Card SavedCard
}

// CustomerCopied answers CopyCustomer.
type CustomerCopied struct {
	At       time.Time
	Seq      int64
	Customer Customer
}

// CardAttached answers AttachCard.
type CardAttached struct {
	At   time.Time
	Seq  int64
	Card SavedCard
}

// When implements SaleEvent.
func (e CardShared) When() time.Time { return e.At }

// When implements SaleEvent.
func (e CustomerCopied) When() time.Time { return e.At }

// When implements SaleEvent.
func (e CardAttached) When() time.Time { return e.At }

func (CardShared) saleEvent()     {}
func (CustomerCopied) saleEvent() {}
func (CardAttached) saleEvent()   {}

// Mutating implements Effect.
func (ShareCard) Mutating() bool { return true }

// Mutating implements Effect.
func (CopyCustomer) Mutating() bool { return true }

// Mutating implements Effect.
func (AttachCard) Mutating() bool { return true }

// Mutating implements Effect.
func (LinkCustomer) Mutating() bool { return true }

func (e ShareCard) effectKey() string    { return e.Key }
func (e CopyCustomer) effectKey() string { return e.Key }
func (e AttachCard) effectKey() string   { return e.Key }
func (e LinkCustomer) effectKey() string { return e.Key }

func (e ShareCard) effectSeq() int64    { return e.Seq }
func (e CopyCustomer) effectSeq() int64 { return e.Seq }
func (e AttachCard) effectSeq() int64   { return e.Seq }

// customerResult is the Seq and Op a customer's result event answers.
func customerResult(ev SaleEvent) (seq int64, op Op, ok bool) {
	switch e := ev.(type) {
	case CardShared:
		return e.Seq, OpShareCard, true
	case CustomerCopied:
		return e.Seq, OpCopyCustomer, true
	case CardAttached:
		return e.Seq, OpAttachCard, true
	}
	return 0, "", false
}

// NoticeSellerCustomerOnPlatform refuses a seller's own customer on a sale
// whose charge is made on the platform (destination, separate): the
// PaymentIntent lives on the platform, where the seller's customer and its
// cards do not exist.
const NoticeSellerCustomerOnPlatform = "This seller's payments are made on the platform: choose the customer from the platform's wallet, or sell without a customer."

// onPlatform is the customer of a sale whose PaymentIntent is made on the
// platform (destination and separate charges): the wallet customer and its
// card are the platform's own, so the intent names them directly — nothing
// is shared, copied, attached or linked at the seller (stripe-api.md §12:
// cloning is for payments on a connected account). nil stays nil.
func (c *SaleCustomer) onPlatform() *SaleCustomer {
	if c == nil || c.Wallet == "" {
		return c
	}
	cc := copyCustomer(c)
	cc.ID, cc.Linked = cc.Wallet, true
	if k := cc.Card; k != nil && k.Source != "" {
		k.ID, k.Attached = k.Source, true
	}
	return cc
}

// SavedCardCharge reports whether s charges a saved card (no reader).
func (s Sale) SavedCardCharge() bool { return s.Customer != nil && s.Customer.Card != nil }

// SaveRequested reports whether s asks the reader to save the card.
func (s Sale) SaveRequested() bool {
	return s.Customer != nil && s.Customer.SaveCard && s.Customer.Card == nil
}

// CardNotSaved reports whether s was approved on the reader with a save
// asked for, its charge read (the card is known), and no card was saved
// (a mobile wallet, a card the reader cannot save): the console says so.
func (s Sale) CardNotSaved() bool {
	return s.SaveRequested() && s.State == SaleApproved && s.Customer.Saved == "" && s.Card.Last4 != ""
}

// PrepRound names the sale's preparing round for logs ("2").
func (c SaleCustomer) PrepRound() string { return strconv.Itoa(c.Preps) }

// copyCustomer is a deep copy of c (Sale's pointer fields are never
// modified in place).
func copyCustomer(c *SaleCustomer) *SaleCustomer {
	if c == nil {
		return nil
	}
	cc := *c
	if c.Card != nil {
		k := *c.Card
		cc.Card = &k
	}
	return &cc
}

// SetCustomer attaches c to a Draft sale (nil detaches), replacing any
// customer before. Outside Draft it changes nothing and says why.
func (s Sale) SetCustomer(c *SaleCustomer) Sale {
	s.Notice = ""
	if s.State != SaleDraft {
		s.Notice = "The customer can only be changed before charging."
		return s
	}
	s.Customer = copyCustomer(c)
	return s
}
