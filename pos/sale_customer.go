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

// prepOp reports whether op is one of the requests before the create.
func prepOp(op Op) bool { return op == OpShareCard || op == OpCopyCustomer || op == OpAttachCard }

// nextPrep is the request the sale still needs before the create ("" when
// it is ready to create).
func (s Sale) nextPrep() Op {
	c := s.Customer
	if c == nil {
		return ""
	}
	k := c.Card
	switch {
	case k != nil && k.ID == "":
		return OpShareCard
	case c.ID == "" && c.Wallet != "" && (k != nil || c.SaveCard):
		return OpCopyCustomer
	case k != nil && !k.Attached && c.ID != "":
		return OpAttachCard
	}
	return ""
}

// withCustomer completes the frozen create request with the customer,
// once the preparing requests are done (before the first create).
func (s Sale) withCustomer(req CreateIntentRequest) CreateIntentRequest {
	c := s.Customer
	if c == nil {
		return req
	}
	md := make(map[string]string, len(req.Metadata)+2)
	for k, v := range req.Metadata {
		md[k] = v
	}
	req.Metadata = md
	req.Customer = c.ID
	if c.Wallet != "" {
		md[MetaWallet] = c.Wallet
	}
	switch {
	case c.Card != nil:
		req.SavedCard = c.Card.ID
	case c.SaveCard && c.ID != "":
		req.SetupFutureUsage = "off_session"
		md[MetaSaveConsent] = c.ConsentBy
	}
	return req
}

// startCharge is onCharge's last step: prepare (share, copy, attach) when
// the customer needs it, else create.
func (s Sale) startCharge(at time.Time) (Sale, []Effect) {
	if s.nextPrep() != "" {
		c := *s.Customer
		c.Preps++
		s.Customer = &c
		s.State = SalePreparing
		return s.sendPrep(at)
	}
	s.Request = s.withCustomer(s.Request)
	return s.sendCreate(at)
}

// sendPrep sends the next preparing request, under its round's key (a
// resend after an unknown outcome or a 429 repeats it under that key).
func (s Sale) sendPrep(at time.Time) (Sale, []Effect) {
	c := s.Customer
	op := s.nextPrep()
	var key string
	var eff func(seq int64) Effect
	switch op {
	case OpShareCard:
		key = s.ShareCardKey(c.Preps)
		eff = func(seq int64) Effect {
			return ShareCard{Seq: seq, Key: key, Seller: s.Seller, Customer: c.Wallet, Card: c.Card.Source}
		}
	case OpCopyCustomer:
		key = s.CopyCustomerKey(c.Preps)
		req := CustomerRequest{Name: c.Name, Email: c.Email, Metadata: map[string]string{MetaCopyOf: c.Wallet}}
		if c.Card != nil {
			req.PaymentMethod = c.Card.ID
		}
		eff = func(seq int64) Effect { return CopyCustomer{Seq: seq, Key: key, Seller: s.Seller, Request: req} }
	case OpAttachCard:
		key = s.AttachCardKey(c.Preps)
		eff = func(seq int64) Effect {
			return AttachCard{Seq: seq, Key: key, Seller: s.Seller, Card: c.Card.ID, Customer: c.ID}
		}
	default:
		s.Request = s.withCustomer(s.Request)
		s.State = SaleCreating
		return s.sendCreate(at)
	}
	s, seq := s.begin(op, key, at)
	return s, []Effect{Record{For: op, Key: key}, eff(seq)}
}

// onPrepared applies a preparing request's answer and goes on.
func (s Sale) onPrepared(ev SaleEvent, at time.Time) (Sale, []Effect) {
	c := *s.Customer
	if c.Card != nil {
		k := *c.Card
		c.Card = &k
	}
	switch e := ev.(type) {
	case CardShared:
		c.Card.ID = e.Card.ID
	case CustomerCopied:
		c.ID = e.Customer.ID
		if c.Card != nil && c.Card.ID != "" {
			c.Card.Attached = true // created with the card
		}
	case CardAttached:
		c.Card.Attached = true
	}
	s.Customer, s.LastError = &c, nil
	if s.Cancel.Wanted { // nothing was charged: stop here
		s.Cancel = CancelPlan{}
		s.State, s.DoneAt = SaleCanceled, at
		return s, nil
	}
	return s.sendPrep(at)
}

// onPrepFailed handles a preparing request's error: an unknown outcome is
// resent under its key on the next Tick; a definite refusal returns the
// sale to Draft without the card (nothing was charged).
func (s Sale) onPrepFailed(op Op, err *Error, at time.Time) (Sale, []Effect) {
	s.LastError = err
	if err.Kind == KindUnknown || err.Kind == KindRateLimited {
		s.Checks++
		return s, nil
	}
	return s.backToDraft(op, at, "refused")
}

// backToDraft ends a round of preparing requests without a charge.
func (s Sale) backToDraft(op Op, at time.Time, why string) (Sale, []Effect) {
	if s.Cancel.Wanted {
		s.Cancel = CancelPlan{}
		s.State, s.DoneAt = SaleCanceled, at
		return s, nil
	}
	c := *s.Customer
	c.Card = nil
	s.Customer = &c
	s.State, s.Checks = SaleDraft, 0
	s.Notice = prepNotice(op, why)
	return s, nil
}

// prepNotice tells the cashier why the saved card was dropped (pos
// notices are English; the console words them from this table's
// sentences, widgets.Notice).
func prepNotice(op Op, why string) string {
	if why == "not_sent" {
		return "Nothing was charged: the saved card's request could not be recorded in the journal. Try again, or take the card on the reader."
	}
	switch op {
	case OpShareCard:
		return "Nothing was charged: sharing the saved card with the seller was refused. Take the card on the reader instead."
	case OpCopyCustomer:
		return "Nothing was charged: creating the customer at the seller was refused. Take the card on the reader instead."
	}
	return "Nothing was charged: keeping the saved card at the seller was refused. Take the card on the reader instead."
}

// onCardConfirmed applies the answer to the create of a saved-card sale:
// the intent was confirmed with the card at once.
func (s Sale) onCardConfirmed(in Intent, at time.Time) (Sale, []Effect) {
	switch in.Status {
	case IntentSucceeded, IntentRequiresCapture:
		return s.settle(in, at)
	case IntentRequiresPaymentMethod:
		s.IntentStatus = in.Status
		s.Decline = in.LastError
		if s.Decline == nil {
			s.Decline = &PaymentError{Type: "card_error", Code: "card_declined", Message: "The saved card was declined."}
		}
		return s.decide(SaleDeclined, at)
	case IntentRequiresAction:
		// Not expected off session (Stripe declines instead); the customer
		// cannot authenticate at the counter: cancel, nothing was charged.
		s.Notice = "The saved card needs the cardholder's authentication; it was not charged. Take the card on the reader."
		s.Cancel = CancelPlan{Wanted: true, Reason: "abandoned"}
		return s.startCancel(at)
	}
	s.State, s.Checking = SaleUnknown, CheckPayment
	return s.readIntent(at)
}

// onCardDeclined applies a 402 to the create of a saved-card sale: Stripe
// created the intent and declined the card; the intent waits in
// requires_payment_method for a reader (Retry).
func (s Sale) onCardDeclined(err *Error, at time.Time) (Sale, []Effect) {
	s.IntentID, s.IntentStatus, s.Checking = err.IntentID, IntentRequiresPaymentMethod, CheckNone
	s.Decline = &PaymentError{Type: "card_error", Code: err.Code, DeclineCode: err.DeclineCode, Message: err.Message}
	s.LastError = nil
	return s.decide(SaleDeclined, at)
}

// linkAfterCreate names a new copy on the wallet customer once the sale
// has an outcome (best effort, not waited for: it runs after the step
// that shows the outcome).
func (s Sale) linkAfterCreate(effs []Effect) (Sale, []Effect) {
	c := s.Customer
	if c == nil || c.Wallet == "" || c.ID == "" || c.Linked || c.LinkSent {
		return s, effs
	}
	for _, e := range effs {
		if e.Mutating() { // one mutating request per list: the link waits for a later outcome
			return s, effs
		}
	}
	cc := *c
	cc.LinkSent = true
	s.Customer = &cc
	key := s.LinkCustomerKey()
	return s, append([]Effect{Record{For: OpLinkCustomer, Key: key},
		LinkCustomer{Key: key, Wallet: c.Wallet, Seller: s.Seller, Copy: c.ID}}, effs...)
}

// savedCard notes the card an approved payment saved.
func (s *Sale) savedCard(ch *Charge) {
	if s.Customer == nil || ch == nil || ch.GeneratedCard == "" || s.Customer.Saved == ch.GeneratedCard {
		return
	}
	c := *s.Customer
	c.Saved = ch.GeneratedCard
	s.Customer = &c
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
