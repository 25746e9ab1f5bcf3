package sandbox

import (
	"net/http"
	"time"

	"kasse/sandbox/internal/apierr"
	"kasse/sandbox/internal/expand"
	"kasse/sandbox/internal/form"
	"kasse/sandbox/internal/store"
)

// Refunds (stripe-api.md §7, §15.6). Card refunds succeed at once. Events
// on 2023-10-16: charge.refunded and charge.refund.updated (no
// refund.created for refunds of charges).

// refund is a refund in its 2023-10-16 shape. description,
// failure_balance_transaction, failure_reason, instructions_email and
// next_action are declared but not nullable; Stripe leaves them out of a
// succeeded card refund, and so does the sandbox.
type refund struct {
	store.Meta
	Object                 string             `json:"object"`
	Amount                 int64              `json:"amount"`
	BalanceTransaction     any                `json:"balance_transaction"`
	Charge                 ref                `json:"charge"`
	Created                int64              `json:"created"`
	Currency               string             `json:"currency"`
	DestinationDetails     destinationDetails `json:"destination_details"`
	Metadata               map[string]string  `json:"metadata"`
	PaymentIntent          ref                `json:"payment_intent"`
	Reason                 *string            `json:"reason"`
	ReceiptNumber          *string            `json:"receipt_number"`
	SourceTransferReversal any                `json:"source_transfer_reversal"`
	Status                 *string            `json:"status"`
	TransferReversal       any                `json:"transfer_reversal"`
}

func (*refund) objectType() string { return "refund" }

// destinationDetails: card refunds have type "card". A refund on the day
// of the payment reverses the authorization ("reversal"); a later one is a
// "refund" whose acquirer reference number is still pending (decision). A
// refund of a transfer's destination payment (pyr_…) goes back to the
// platform: type "stripe_account", without card details.
type destinationDetails struct {
	Card *destinationCard `json:"card,omitempty"`
	Type string           `json:"type"`
}

type destinationCard struct {
	ReferenceStatus string `json:"reference_status,omitempty"`
	ReferenceType   string `json:"reference_type,omitempty"`
	Type            string `json:"type"`
}

// refundExpandable lists the expand[] paths of a refund.
var refundExpandable = []string{
	"charge", "charge.payment_intent", "charge.refunds", "charge.balance_transaction",
	"payment_intent", "payment_intent.latest_charge", "balance_transaction",
	"source_transfer_reversal", "transfer_reversal",
}

func (s *Server) renderRefund(r *refund, exp *expand.Tree) any {
	if exp.Empty() {
		return r
	}
	if exp.Only("charge") { // spliced: only id, object, amount and balance_transaction come before it
		if ch, ok := s.st.charges.Get(refID(r.Charge)); ok {
			return &spliced{base: r, fields: []splice{{"charge", s.renderCharge(ch, exp.Sub("charge"))}}}
		}
	}
	c := *r
	if sub := exp.Sub("charge"); sub != nil {
		if ch, ok := s.st.charges.Get(refID(r.Charge)); ok {
			c.Charge = s.renderCharge(ch, sub)
		}
	}
	if sub := exp.Sub("payment_intent"); sub != nil {
		if pi, ok := s.st.intents.Get(refID(r.PaymentIntent)); ok {
			c.PaymentIntent = s.renderIntent(pi, sub)
		}
	}
	return &c
}

// createRefund refunds (part of) a succeeded charge, named directly or as
// a PaymentIntent's latest charge, in the request's account.
//
// Decisions: neither payment_intent nor charge is "Missing required param:
// charge." (a real Stripe answer); the over-refund error has no code
// (UNVERIFIED; seen without one); a requires_capture intent is refused
// with a hint to cancel it (Stripe's docs: an uncaptured payment is
// canceled, not refunded; the exact message is UNVERIFIED).
func (s *Server) createRefund(rq *request) (any, *apierr.Error) {
	p := rq.Params
	if err := expand.Check(rq.Expand, refundExpandable); err != nil {
		return nil, err
	}
	amount, hasAmount, err := form.Int(p, "amount", "amount")
	if err != nil {
		return nil, err
	}
	if hasAmount && amount < 1 {
		return nil, apierr.Validation(http.StatusBadRequest, "parameter_invalid_integer", "amount", "Invalid positive integer")
	}
	reason, err := form.Enum(p, "reason", "reason", "duplicate", "fraudulent", "requested_by_customer")
	if err != nil {
		return nil, err
	}
	metadata, err := form.Metadata(p, nil)
	if err != nil {
		return nil, err
	}
	refundFee, err := form.Bool(p, "refund_application_fee", "refund_application_fee")
	if err != nil {
		return nil, err
	}
	reverse, err := form.Bool(p, "reverse_transfer", "reverse_transfer")
	if err != nil {
		return nil, err
	}
	piID, chID := p.Child("payment_intent").Value(), p.Child("charge").Value()
	if piID == "" && chID == "" {
		return nil, apierr.MissingParam("charge")
	}
	ch, err := s.refundableCharge(rq, piID, chID)
	if err != nil {
		return nil, err
	}
	if err := s.refusedByDispute(ch); err != nil { // disputes_lifecycle.go
		return nil, err
	}
	remaining := ch.Amount - ch.AmountRefunded
	if remaining <= 0 {
		return nil, apierr.Invalid(http.StatusBadRequest, "charge_already_refunded", "charge", "Charge %s has already been refunded.", ch.ID)
	}
	if !hasAmount {
		amount = remaining
	}
	if amount > remaining {
		return nil, apierr.Invalid(http.StatusBadRequest, "", "amount", "Refund amount (%s) is greater than unrefunded amount on charge (%s)",
			formatMoney(amount, ch.Currency), formatMoney(remaining, ch.Currency))
	}
	doReverse, doFee := reverse != nil && *reverse, refundFee != nil && *refundFee
	if err := s.checkConnectRefund(rq, ch, amount, doReverse, doFee, amount == remaining); err != nil {
		return nil, err
	}
	now := rq.Now.Unix()
	r := &refund{Meta: s.newMeta("re", ch.Account), Object: "refund", Amount: amount, Charge: idRef(ch.ID),
		Created: now, Currency: ch.Currency, Metadata: metadata, PaymentIntent: ch.PaymentIntent,
		Reason: nullString(reason), Status: nullString("succeeded")}
	r.DestinationDetails.Type = "card"
	if time.Unix(now, 0).UTC().Format(time.DateOnly) == time.Unix(ch.Created, 0).UTC().Format(time.DateOnly) {
		r.DestinationDetails.Card = &destinationCard{Type: "reversal"}
	} else {
		r.DestinationDetails.Card = &destinationCard{Type: "refund", ReferenceStatus: "pending", ReferenceType: "acquirer_reference_number"}
	}
	put(s, s.st.refunds, r)
	s.st.refundsOf[ch.ID] = append(s.st.refundsOf[ch.ID], r)
	prev := map[string]any{"amount_refunded": ch.AmountRefunded, "refunded": ch.Refunded}
	s.touch(ch)
	ch.AmountRefunded += amount
	ch.Refunded = ch.AmountRefunded >= ch.Amount
	s.connectOnRefund(rq, ch, r, doReverse, doFee, ch.Refunded)
	s.emit(rq, ch.Account, "charge.refunded", ch, prev)
	s.emit(rq, ch.Account, "charge.refund.updated", r, nil)
	return s.renderRefund(r, rq.Expand), nil
}

// refundableCharge resolves the charge to refund and checks that it holds
// captured money.
func (s *Server) refundableCharge(rq *request, piID, chID string) (*charge, *apierr.Error) {
	var pi *paymentIntent
	if piID != "" {
		var ok bool
		if pi, ok = s.st.intents.Get(piID); !ok || !owned(pi, rq) {
			return nil, apierr.NoSuch("payment_intent", piID).WithParam("payment_intent")
		}
	}
	var ch *charge
	if chID != "" {
		c, ok := s.st.charges.Get(chID)
		if !ok || !owned(c, rq) {
			return nil, apierr.NoSuch("charge", chID).WithParam("charge")
		}
		if pi != nil && refID(c.PaymentIntent) != pi.ID {
			return nil, apierr.InvalidParam("charge", "Charge %s does not belong to PaymentIntent %s.", c.ID, pi.ID)
		}
		ch = c
		if pi == nil && refID(c.PaymentIntent) != "" {
			pi, _ = s.st.intents.Get(refID(c.PaymentIntent))
		}
	}
	if pi != nil {
		if pi.Status == "requires_capture" {
			return nil, apierr.Invalid(http.StatusBadRequest, "", "payment_intent",
				"This PaymentIntent (%s) has not been captured, so it cannot be refunded. Cancel the PaymentIntent to release the authorization.", pi.ID)
		}
		if pi.Status != "succeeded" {
			return nil, apierr.Invalid(http.StatusBadRequest, "", "payment_intent", "This PaymentIntent (%s) does not have a successful charge to refund.", pi.ID)
		}
		if ch == nil {
			ch, _ = s.st.charges.Get(refID(pi.LatestCharge))
		}
	}
	if ch == nil || ch.Status != "succeeded" || !ch.Captured {
		id := chID
		if ch != nil {
			id = ch.ID
		}
		return nil, apierr.Invalid(http.StatusBadRequest, "", "charge", "The charge %s has not succeeded and cannot be refunded.", id)
	}
	return ch, nil
}

// findRefund looks a refund up in the request's account.
func (s *Server) findRefund(rq *request, id string) (*refund, *apierr.Error) {
	r, ok := s.st.refunds.Get(id)
	if !ok || !owned(r, rq) {
		return nil, apierr.NoSuch("refund", id)
	}
	return r, nil
}

func (s *Server) getRefund(rq *request) (any, *apierr.Error) {
	return retrieve(rq, refundExpandable, s.findRefund, s.renderRefund)
}

// listRefunds lists the account's refunds, newest first; filters charge,
// payment_intent, created.
func (s *Server) listRefunds(rq *request) (any, *apierr.Error) {
	created, pg, err := parseList(rq, refundExpandable)
	if err != nil {
		return nil, err
	}
	chF, piF := rq.Params.Child("charge"), rq.Params.Child("payment_intent")
	match := func(r *refund) bool {
		return created.Match(r.Created) && (chF == nil || refID(r.Charge) == chF.Value()) && (piF == nil || refID(r.PaymentIntent) == piF.Value())
	}
	if (chF != nil || piF != nil) && pg.After == "" && pg.Before == "" { // the few refunds of one payment, from the index
		var candidates []*refund
		if chF != nil {
			candidates = s.st.refundsOf[chF.Value()]
		} else {
			for _, ch := range s.st.chargesOf[piF.Value()] {
				candidates = append(candidates, s.st.refundsOf[ch.ID]...)
			}
			sortBySeq(candidates)
		}
		items, more := newestOwned(rq, candidates, pg.Limit, match)
		return renderPage(s, rq, "/v1/refunds", items, more, s.renderRefund), nil
	}
	return listTable(s, rq, s.st.refunds, pg, match, "/v1/refunds", s.renderRefund)
}
