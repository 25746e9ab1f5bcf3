package pos

import "time"

// A customer's sale once it has an outcome: the answer to a saved card's
// create (confirmed at once, or declined with a 402), the link that names a
// new copy on the wallet customer, and the card a reader payment saved.

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
