package sandbox

import (
	"net/http"
	"sort"
	"time"

	"kasse/sandbox/internal/apierr"
	"kasse/sandbox/internal/expand"
	"kasse/sandbox/internal/list"
)

// Refunds (stripe-api.md §7, §15.6). Card refunds succeed at once. Events
// on 2023-10-16: charge.refunded and charge.refund.updated (no
// refund.created for refunds of charges).

// refundJSON is a refund in its 2023-10-16 shape. description,
// failure_balance_transaction, failure_reason, instructions_email and
// next_action are declared but not nullable; Stripe leaves them out of a
// succeeded card refund, and so does the sandbox.
type refundJSON struct {
	ID                     string             `json:"id"`
	Object                 string             `json:"object"`
	Amount                 int64              `json:"amount"`
	BalanceTransaction     any                `json:"balance_transaction"`
	Charge                 any                `json:"charge"`
	Created                int64              `json:"created"`
	Currency               string             `json:"currency"`
	DestinationDetails     destinationDetails `json:"destination_details"`
	Metadata               map[string]string  `json:"metadata"`
	PaymentIntent          any                `json:"payment_intent"`
	Reason                 *string            `json:"reason"`
	ReceiptNumber          *string            `json:"receipt_number"`
	SourceTransferReversal any                `json:"source_transfer_reversal"`
	Status                 *string            `json:"status"`
	TransferReversal       any                `json:"transfer_reversal"`
}

// destinationDetails: card refunds have type "card". A refund on the day
// of the payment reverses the authorization ("reversal"); a later one is a
// "refund" whose acquirer reference number is still pending (decision).
type destinationDetails struct {
	Card struct {
		ReferenceStatus string `json:"reference_status,omitempty"`
		ReferenceType   string `json:"reference_type,omitempty"`
		Type            string `json:"type"`
	} `json:"card"`
	Type string `json:"type"`
}

func (s *Server) renderRefund(r *refund, exp *expand.Tree) any {
	out := &refundJSON{
		ID: r.id, Object: "refund", Amount: r.amount, Charge: r.charge, Created: r.created, Currency: r.currency,
		Metadata: r.metadata, Reason: nullString(r.reason), Status: nullString(r.status),
	}
	if out.Metadata == nil {
		out.Metadata = map[string]string{}
	}
	out.DestinationDetails.Type = "card"
	if r.sameDay {
		out.DestinationDetails.Card.Type = "reversal"
	} else {
		out.DestinationDetails.Card.Type = "refund"
		out.DestinationDetails.Card.ReferenceStatus = "pending"
		out.DestinationDetails.Card.ReferenceType = "acquirer_reference_number"
	}
	if sub := exp.Sub("charge"); sub != nil {
		if ch, ok := s.st.charges[r.charge]; ok {
			out.Charge = s.renderCharge(ch, sub)
		}
	}
	if r.paymentIntent != "" {
		out.PaymentIntent = r.paymentIntent
		if sub := exp.Sub("payment_intent"); sub != nil {
			if pi, ok := s.st.intents[r.paymentIntent]; ok {
				out.PaymentIntent = s.renderIntent(pi, sub)
			}
		}
	}
	return out
}

// refundsOf returns a charge's refunds, newest first.
func (s *Server) refundsOf(chargeID string) []*refund {
	var out []*refund
	for _, r := range s.st.refunds {
		if r.charge == chargeID {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].seq > out[j].seq })
	return out
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
	amount, hasAmount, err := parseAmountParam(p, "amount")
	if err != nil {
		return nil, err
	}
	if hasAmount && amount < 1 {
		e := apierr.Invalid(http.StatusBadRequest, "parameter_invalid_integer", "amount", "Invalid positive integer")
		e.Validation = true
		return nil, e
	}
	reason, err := payEnum(p, "reason", "duplicate", "fraudulent", "requested_by_customer")
	if err != nil {
		return nil, err
	}
	metadata, err := payMetadata(p, nil)
	if err != nil {
		return nil, err
	}
	refundFee, err := payBool(p, "refund_application_fee")
	if err != nil {
		return nil, err
	}
	reverse, err := payBool(p, "reverse_transfer")
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
	if refundFee != nil && *refundFee && rq.Account == "" && ch.transferDest == "" {
		return nil, apierr.InvalidParam("refund_application_fee",
			"refund_application_fee can only be used when refunding a direct charge on a connected account (Stripe-Account header) or a destination charge.")
	}
	if reverse != nil && *reverse && ch.transferDest == "" {
		return nil, apierr.InvalidParam("reverse_transfer", "reverse_transfer can only be used when refunding a destination charge (one with transfer_data[destination]).")
	}
	remaining := ch.amount - ch.amountRefunded
	if remaining <= 0 {
		return nil, apierr.Invalid(http.StatusBadRequest, "charge_already_refunded", "charge", "Charge %s has already been refunded.", ch.id)
	}
	if !hasAmount {
		amount = remaining
	}
	if amount > remaining {
		return nil, apierr.Invalid(http.StatusBadRequest, "", "amount", "Refund amount (%s) is greater than unrefunded amount on charge (%s)",
			formatMoney(amount, ch.currency), formatMoney(remaining, ch.currency))
	}
	now := rq.Now.Unix()
	r := &refund{meta: s.newMeta("re", ch.account, now), amount: amount, charge: ch.id, paymentIntent: ch.paymentIntent,
		currency: ch.currency, reason: reason, status: "succeeded", metadata: metadata,
		sameDay: time.Unix(now, 0).UTC().Format(time.DateOnly) == time.Unix(ch.created, 0).UTC().Format(time.DateOnly)}
	s.st.refunds[r.id] = r
	prev := map[string]any{"amount_refunded": ch.amountRefunded, "refunded": ch.refunded}
	ch.amountRefunded += amount
	ch.refunded = ch.amountRefunded >= ch.amount
	s.emit(rq, ch.account, "charge.refunded", s.renderCharge(ch, nil), prev)
	s.emit(rq, ch.account, "charge.refund.updated", s.renderRefund(r, nil), nil)
	return s.renderRefund(r, rq.Expand), nil
}

// refundableCharge resolves the charge to refund and checks that it holds
// captured money.
func (s *Server) refundableCharge(rq *request, piID, chID string) (*charge, *apierr.Error) {
	var pi *paymentIntent
	if piID != "" {
		var ok bool
		if pi, ok = s.st.intents[piID]; !ok || !owned(&pi.meta, rq) {
			return nil, apierr.NoSuch("payment_intent", piID).WithParam("payment_intent")
		}
	}
	var ch *charge
	if chID != "" {
		c, ok := s.st.charges[chID]
		if !ok || !owned(&c.meta, rq) {
			return nil, apierr.NoSuch("charge", chID).WithParam("charge")
		}
		if pi != nil && c.paymentIntent != pi.id {
			return nil, apierr.InvalidParam("charge", "Charge %s does not belong to PaymentIntent %s.", c.id, pi.id)
		}
		ch = c
		if pi == nil && c.paymentIntent != "" {
			pi = s.st.intents[c.paymentIntent]
		}
	}
	if pi != nil {
		if pi.status == "requires_capture" {
			return nil, apierr.Invalid(http.StatusBadRequest, "", "payment_intent",
				"This PaymentIntent (%s) has not been captured, so it cannot be refunded. Cancel the PaymentIntent to release the authorization.", pi.id)
		}
		if pi.status != "succeeded" {
			return nil, apierr.Invalid(http.StatusBadRequest, "", "payment_intent", "This PaymentIntent (%s) does not have a successful charge to refund.", pi.id)
		}
		if ch == nil {
			ch = s.st.charges[pi.latestCharge]
		}
	}
	if ch == nil || ch.status != "succeeded" || !ch.captured {
		id := chID
		if ch != nil {
			id = ch.id
		}
		return nil, apierr.Invalid(http.StatusBadRequest, "", "charge", "The charge %s has not succeeded and cannot be refunded.", id)
	}
	return ch, nil
}

func (s *Server) getRefund(rq *request) (any, *apierr.Error) {
	if err := expand.Check(rq.Expand, refundExpandable); err != nil {
		return nil, err
	}
	r, ok := s.st.refunds[rq.ID]
	if !ok || !owned(&r.meta, rq) {
		return nil, apierr.NoSuch("refund", rq.ID)
	}
	return s.renderRefund(r, rq.Expand), nil
}

// listRefunds lists the account's refunds, newest first; filters charge,
// payment_intent, created.
func (s *Server) listRefunds(rq *request) (any, *apierr.Error) {
	if err := expand.Check(rq.Expand, expand.WithPrefix("data.", refundExpandable)); err != nil {
		return nil, err
	}
	f, err := payCreatedFilter(rq.Params)
	if err != nil {
		return nil, err
	}
	chF, piF := rq.Params.Child("charge"), rq.Params.Child("payment_intent")
	var items []*refund
	for _, r := range s.st.refunds {
		if !owned(&r.meta, rq) || !f.match(r.created) ||
			chF != nil && r.charge != chF.Value() || piF != nil && r.paymentIntent != piF.Value() {
			continue
		}
		items = append(items, r)
	}
	sub := rq.Expand.Sub("data")
	return list.Paginate(rq.Params, "/v1/refunds", "refund", items, func(r *refund) any { return s.renderRefund(r, sub) })
}
