package pos

import "time"

// The preparing requests of a customer's sale (SalePreparing; the flow is
// described in sale_customer.go): share the wallet card, copy the customer,
// attach the card — each recorded before it is sent — then the create.

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
