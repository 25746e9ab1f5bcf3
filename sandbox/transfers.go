package sandbox

import (
	"net/http"

	"kasse/sandbox/internal/apierr"
	"kasse/sandbox/internal/expand"
	"kasse/sandbox/internal/form"
	"kasse/sandbox/internal/store"
)

// Transfers (Connect): POST/GET /v1/transfers, GET /v1/transfers/{id},
// POST/GET /v1/transfers/{id}/reversals. A transfer moves money from the
// platform to a connected account; it lives on the platform, and the
// money arrives on the seller as a payment (a charge py_…, with
// source_transfer) — the transfer's destination_payment. A reversal takes
// (part of) it back: a transfer_reversal on the platform, and a refund
// (pyr_…) of the destination payment on the seller.
//
// Transfers come from POST /v1/transfers (separate charges and
// transfers) and from destination charges: once such a charge is captured
// the platform transfers the captured amount (or transfer_data[amount]) to
// transfer_data[destination], and an application_fee_amount comes back as
// an application fee (application_fees.go).
//
// Decisions (Stripe documents the rules, not all its answers; UNVERIFIED
// messages are marked so):
//   - Balances are not modelled: a transfer without source_transaction
//     always has funds. With source_transaction the transfer may not exceed
//     what that charge still holds: captured, less refunded, less what
//     transfers from it kept (400, param amount; message UNVERIFIED); the
//     charge must be the platform's, succeeded, in the transfer's currency.
//   - A destination without an active transfers capability is 400
//     insufficient_capabilities_for_transfer, Stripe's code and message.
//   - Only the platform transfers: a call through Stripe-Account is
//     refused as other platform-only calls are (errNotPlatform).
//   - The reversals list embedded in a transfer holds every reversal
//     (Stripe shows the first ten; a sale has a few).
//   - A reversal above what is left of the transfer is 400, param amount
//     (message UNVERIFIED); Stripe's reversal of a destination charge's
//     transfer is "allowed only up to the amount of the charge".
//   - Proportional amounts (a refund's transfer reversal, a refund's
//     application fee refund) are rounded half up; a refund that leaves
//     nothing of the charge to refund takes whatever is left (UNVERIFIED:
//     Stripe does not document its rounding).

// transfer is a transfer in its 2023-10-16 shape.
type transfer struct {
	store.Meta
	Object             string                          `json:"object"`
	Amount             int64                           `json:"amount"`
	AmountReversed     int64                           `json:"amount_reversed"`
	BalanceTransaction any                             `json:"balance_transaction"`
	Created            int64                           `json:"created"`
	Currency           string                          `json:"currency"`
	Description        *string                         `json:"description"`
	Destination        ref                             `json:"destination"`
	DestinationPayment ref                             `json:"destination_payment"`
	Livemode           bool                            `json:"livemode"`
	Metadata           map[string]string               `json:"metadata"`
	Reversals          embeddedList[*transferReversal] `json:"reversals"`
	Reversed           bool                            `json:"reversed"`
	SourceTransaction  ref                             `json:"source_transaction"`
	SourceType         string                          `json:"source_type"`
	TransferGroup      *string                         `json:"transfer_group"`
}

func (*transfer) objectType() string { return "transfer" }

// transferReversal is a transfer_reversal (kept inside its transfer).
type transferReversal struct {
	ID                       string            `json:"id"`
	Object                   string            `json:"object"`
	Amount                   int64             `json:"amount"`
	BalanceTransaction       any               `json:"balance_transaction"`
	Created                  int64             `json:"created"`
	Currency                 string            `json:"currency"`
	DestinationPaymentRefund ref               `json:"destination_payment_refund"`
	Metadata                 map[string]string `json:"metadata"`
	SourceRefund             ref               `json:"source_refund"`
	Transfer                 ref               `json:"transfer"`
}

var transferExpandable = []string{"destination", "source_transaction", "destination_payment", "balance_transaction"}

func (s *Server) renderTransfer(t *transfer, exp *expand.Tree) any {
	if exp.Empty() {
		return t
	}
	c := *t
	c.Destination = s.accountRef(t.Destination, exp.Sub("destination"))
	if sub := exp.Sub("source_transaction"); sub != nil {
		if ch, ok := s.st.charges.Get(refID(t.SourceTransaction)); ok {
			c.SourceTransaction = s.renderCharge(ch, sub)
		}
	}
	if sub := exp.Sub("destination_payment"); sub != nil {
		if ch, ok := s.st.charges.Get(refID(t.DestinationPayment)); ok {
			c.DestinationPayment = s.renderCharge(ch, sub)
		}
	}
	return &c
}

// findTransfer looks a transfer up; only the platform sees transfers.
func (s *Server) findTransfer(rq *request, id string) (*transfer, *apierr.Error) {
	t, ok := s.st.transfers.Get(id)
	if !ok || !owned(t, rq) {
		return nil, apierr.NoSuch("transfer", id)
	}
	return t, nil
}

// errNoTransferCapability is Stripe's answer to a transfer (or a
// destination charge) to an account whose transfers capability is not
// active.
func errNoTransferCapability(param string) *apierr.Error {
	return apierr.Validation(http.StatusBadRequest, "insufficient_capabilities_for_transfer", param,
		"Your destination account needs to have at least one of the following capabilities enabled: transfers, legacy_payments")
}

// checkDestination resolves a transfer destination: a connected account
// with an active transfers capability.
func (s *Server) checkDestination(param, id string) (*account, *apierr.Error) {
	a := s.accountOf(id)
	if a == nil || id == "" {
		return nil, apierr.NoSuch("destination", id).WithParam(param)
	}
	if a.Capabilities.Transfers != "active" {
		return nil, errNoTransferCapability(param)
	}
	return a, nil
}

// createTransfer: POST /v1/transfers.
func (s *Server) createTransfer(rq *request) (any, *apierr.Error) {
	p := rq.Params
	if rq.Account != "" {
		return nil, errNotPlatform()
	}
	if e := expand.Check(rq.Expand, transferExpandable); e != nil {
		return nil, e
	}
	currency, e := parseCurrency(p, "currency")
	if e != nil {
		return nil, e
	}
	amount, has, e := form.Int(p, "amount", "amount")
	if e != nil {
		return nil, e
	}
	if !has {
		return nil, apierr.MissingParam("amount")
	}
	if amount < 1 {
		return nil, apierr.Validation(http.StatusBadRequest, "parameter_invalid_integer", "amount", "This value must be greater than or equal to 1.")
	}
	if amount > maxAmount {
		return nil, apierr.Validation(http.StatusBadRequest, "amount_too_large", "amount", "Amount must be no more than %s", formatMoney(maxAmount, currency))
	}
	dest := p.Child("destination").Value()
	if dest == "" {
		return nil, apierr.MissingParam("destination")
	}
	if _, e := s.checkDestination("destination", dest); e != nil {
		return nil, e
	}
	if p.Has("source_type") {
		if _, e := form.Enum(p, "source_type", "source_type", "bank_account", "card", "fpx"); e != nil {
			return nil, e
		}
	}
	group, _, e := form.String(p, "transfer_group", "transfer_group", 5000)
	if e != nil {
		return nil, e
	}
	desc, _, e := form.String(p, "description", "description", 1000)
	if e != nil {
		return nil, e
	}
	md, e := form.Metadata(p, nil)
	if e != nil {
		return nil, e
	}
	var source *charge
	if id := p.Child("source_transaction").Value(); id != "" {
		ch, ok := s.st.charges.Get(id)
		if !ok || !owned(ch, rq) {
			return nil, apierr.NoSuch("charge", id).WithParam("source_transaction")
		}
		if ch.Status != "succeeded" || !ch.Captured {
			return nil, apierr.InvalidParam("source_transaction", "The source_transaction %s has not succeeded: only a captured, successful charge can fund a transfer.", id)
		}
		if ch.Currency != currency {
			return nil, apierr.InvalidParam("currency", "The currency of source_transaction's balance transaction (%s) must be the same as the transfer currency (%s).", ch.Currency, currency)
		}
		if avail := s.sourceAvailable(ch); amount > avail {
			return nil, apierr.Invalid(http.StatusBadRequest, "", "amount", "The transfer amount (%s) is greater than the funds still available from source_transaction %s (%s).",
				formatMoney(amount, currency), id, formatMoney(max(avail, 0), currency))
		}
		source = ch
	}
	t := s.newTransfer(rq, amount, currency, dest, group, source, md)
	t.Description = nullString(desc)
	return s.renderTransfer(t, rq.Expand), nil
}

// sourceAvailable is what a charge still holds for transfers: captured,
// less refunded, less what its transfers kept.
func (s *Server) sourceAvailable(ch *charge) int64 {
	avail := ch.AmountCaptured - ch.AmountRefunded
	if ch.AmountCaptured == 0 {
		avail = ch.Amount - ch.AmountRefunded
	}
	for _, t := range s.st.transfersFrom[ch.ID] {
		avail -= t.Amount - t.AmountReversed
	}
	return avail
}

// newTransfer stores a transfer from the platform to dest and its
// destination payment on dest, and emits transfer.created. Called with mu
// held, in a change.
func (s *Server) newTransfer(rq *request, amount int64, currency, dest, group string, source *charge, md map[string]string) *transfer {
	now := rq.Now.Unix()
	if md == nil {
		md = map[string]string{}
	}
	t := &transfer{Meta: s.newMeta("tr", ""), Object: "transfer", Amount: amount, Created: now, Currency: currency,
		Destination: idRef(dest), Metadata: md, SourceType: "card", TransferGroup: nullString(group)}
	t.Reversals = embeddedList[*transferReversal]{Object: "list", Data: []*transferReversal{}, URL: "/v1/transfers/" + t.ID + "/reversals"}
	if source != nil {
		t.SourceTransaction = idRef(source.ID)
	}
	py := &charge{Meta: s.newMeta("py", dest), Object: "charge", Amount: amount, AmountCaptured: amount, Captured: true,
		Paid: true, Status: "succeeded", Created: now, Currency: currency, SourceTransfer: idRef(t.ID),
		Metadata: map[string]string{}, FraudDetails: map[string]string{}, RadarOptions: map[string]string{},
		PaymentMethodDetails: &pmDetailsJSON{Type: "stripe_account", StripeAccount: &struct{}{}}}
	put(s, s.st.charges, py)
	t.DestinationPayment = idRef(py.ID)
	put(s, s.st.transfers, t)
	if source != nil {
		s.st.transfersFrom[source.ID] = append(s.st.transfersFrom[source.ID], t)
	}
	s.emit(rq, "", "transfer.created", t, nil)
	return t
}

// reverse takes amount of t back (a refund's reverse_transfer, or a
// reversal on its own): a transfer_reversal on the platform and a refund of
// the destination payment on the seller; transfer.reversed on the
// platform, charge.refunded on the seller. sourceRefund is the platform
// refund that asked for it ("" for none). Called with mu held, in a change;
// amount ≤ what is left of t.
func (s *Server) reverse(rq *request, t *transfer, amount int64, sourceRefund string, md map[string]string) *transferReversal {
	now := rq.Now.Unix()
	if md == nil {
		md = map[string]string{}
	}
	rv := &transferReversal{ID: newID("trr"), Object: "transfer_reversal", Amount: amount, Created: now, Currency: t.Currency,
		Metadata: md, SourceRefund: idRef(sourceRefund), Transfer: t.ID}
	if py, ok := s.st.charges.Get(refID(t.DestinationPayment)); ok {
		r := &refund{Meta: s.newMeta("pyr", py.Account), Object: "refund", Amount: amount, Charge: idRef(py.ID), Created: now,
			Currency: py.Currency, Metadata: map[string]string{}, SourceTransferReversal: rv.ID, Status: nullString("succeeded")}
		r.DestinationDetails.Type = "stripe_account"
		put(s, s.st.refunds, r)
		s.st.refundsOf[py.ID] = append(s.st.refundsOf[py.ID], r)
		prev := map[string]any{"amount_refunded": py.AmountRefunded, "refunded": py.Refunded}
		s.touch(py)
		py.AmountRefunded += amount
		py.Refunded = py.AmountRefunded >= py.Amount
		rv.DestinationPaymentRefund = idRef(r.ID)
		s.emit(rq, py.Account, "charge.refunded", py, prev)
	}
	prev := map[string]any{"amount_reversed": t.AmountReversed, "reversed": t.Reversed}
	s.touch(t)
	t.AmountReversed += amount
	t.Reversed = t.AmountReversed >= t.Amount
	t.Reversals.Data = append([]*transferReversal{rv}, t.Reversals.Data...)
	s.emit(rq, "", "transfer.reversed", t, prev)
	return rv
}

// proportion is part of total in the share amount/base, rounded half up
// (see the decisions above).
func proportion(amount, total, base int64) int64 {
	if base <= 0 {
		return 0
	}
	return (amount*total + base/2) / base
}

func (s *Server) getTransfer(rq *request) (any, *apierr.Error) {
	return retrieve(rq, transferExpandable, s.findTransfer, s.renderTransfer)
}

// listTransfers: GET /v1/transfers, newest first; filters created,
// destination, transfer_group.
func (s *Server) listTransfers(rq *request) (any, *apierr.Error) {
	created, pg, e := parseList(rq, transferExpandable)
	if e != nil {
		return nil, e
	}
	dest, group := rq.Params.Child("destination"), rq.Params.Child("transfer_group")
	return listTable(s, rq, s.st.transfers, pg, func(t *transfer) bool {
		return created.Match(t.Created) && (dest == nil || refID(t.Destination) == dest.Value()) &&
			(group == nil || str(t.TransferGroup) == group.Value())
	}, "/v1/transfers", s.renderTransfer)
}

// createReversal: POST /v1/transfers/{id}/reversals. amount defaults to
// what is left; refund_application_fee gives the destination payment's
// application fee back in proportion.
func (s *Server) createReversal(rq *request) (any, *apierr.Error) {
	p := rq.Params
	if e := expand.Check(rq.Expand, []string{"transfer", "balance_transaction", "destination_payment_refund", "source_refund"}); e != nil {
		return nil, e
	}
	t, e := s.findTransfer(rq, rq.ID)
	if e != nil {
		return nil, e
	}
	amount, has, e := form.Int(p, "amount", "amount")
	if e != nil {
		return nil, e
	}
	refundFee, e := form.Bool(p, "refund_application_fee", "refund_application_fee")
	if e != nil {
		return nil, e
	}
	if _, _, e := form.String(p, "description", "description", 1000); e != nil {
		return nil, e
	}
	md, e := form.Metadata(p, nil)
	if e != nil {
		return nil, e
	}
	left := t.Amount - t.AmountReversed
	if left <= 0 {
		return nil, apierr.Invalid(http.StatusBadRequest, "", "amount", "Transfer %s has already been fully reversed.", t.ID)
	}
	if !has {
		amount = left
	}
	if amount < 1 {
		return nil, apierr.Validation(http.StatusBadRequest, "parameter_invalid_integer", "amount", "This value must be greater than or equal to 1.")
	}
	if amount > left {
		return nil, apierr.Invalid(http.StatusBadRequest, "", "amount", "The reversal amount (%s) is greater than the amount left on transfer %s (%s).",
			formatMoney(amount, t.Currency), t.ID, formatMoney(left, t.Currency))
	}
	rv := s.reverse(rq, t, amount, "", md)
	if refundFee != nil && *refundFee {
		if py, ok := s.st.charges.Get(refID(t.DestinationPayment)); ok {
			if fee, ok := s.st.fees.Get(str(py.ApplicationFee)); ok {
				s.refundFeeShare(rq, fee, amount, t.Amount, t.AmountReversed >= t.Amount)
			}
		}
	}
	return rv, nil
}

// listReversals: GET /v1/transfers/{id}/reversals, newest first.
func (s *Server) listReversals(rq *request) (any, *apierr.Error) {
	return listEmbedded(s, rq, s.findTransfer, func(t *transfer) *embeddedList[*transferReversal] { return &t.Reversals },
		func(r *transferReversal) string { return r.ID }, "transfer_reversal")
}

// transferOf is the transfer of a destination charge (nil for others).
func (s *Server) transferOf(ch *charge) *transfer {
	if ch.Transfer == "" {
		return nil
	}
	t, _ := s.st.transfers.Get(ch.Transfer)
	return t
}

// connectOnCapture does what a capture does beyond the charge: a direct
// charge's application fee goes to the platform; a destination charge
// transfers the captured amount (or transfer_data[amount]) to its
// destination and takes its application fee back from the seller. Called
// with mu held, in a change, once per charge.
func (s *Server) connectOnCapture(rq *request, pi *paymentIntent, ch *charge) {
	fee := int64(0)
	if f := ch.ApplicationFeeAmount; f != nil {
		fee = min(*f, ch.AmountCaptured)
	}
	if td := ch.TransferData; td != nil && ch.Transfer == "" {
		amount := ch.AmountCaptured
		if td.Amount != nil {
			amount = min(*td.Amount, ch.AmountCaptured)
		}
		md := map[string]string{}
		if v := pi.Metadata["kasse_sale_id"]; v != "" {
			md["kasse_sale_id"] = v
		}
		t := s.newTransfer(rq, amount, ch.Currency, td.Destination, str(ch.TransferGroup), ch, md)
		s.touch(ch)
		ch.Transfer = t.ID
		if fee > 0 {
			py, _ := s.st.charges.Get(refID(t.DestinationPayment))
			f := s.newApplicationFee(rq, py, ch, fee)
			s.touch(py)
			py.ApplicationFee, py.ApplicationFeeAmount = &f.ID, &fee
			s.touch(ch)
			ch.ApplicationFee = &f.ID
		}
		return
	}
	if fee > 0 && ch.ApplicationFee == nil && ch.Account != "" {
		f := s.newApplicationFee(rq, ch, nil, fee)
		s.touch(ch)
		ch.ApplicationFee = &f.ID
	}
}

// connectOnRefund does what a refund of ch does beyond the charge:
// reverse_transfer reverses the destination charge's transfer in
// proportion (sets r.TransferReversal), refund_application_fee gives the
// application fee back in proportion. whole: the refund leaves nothing of
// the charge to refund. Called with mu held, in a change, after the
// checks of checkConnectRefund.
func (s *Server) connectOnRefund(rq *request, ch *charge, r *refund, reverse, refundFee, whole bool) {
	base := ch.AmountCaptured
	if base == 0 {
		base = ch.Amount
	}
	if t := s.transferOf(ch); reverse && t != nil {
		amount := reversalShare(t, r.Amount, base, whole)
		if amount > 0 {
			rv := s.reverse(rq, t, amount, r.ID, map[string]string{})
			s.touch(r)
			r.TransferReversal = rv.ID
		}
	}
	if !refundFee {
		return
	}
	if fee, ok := s.st.fees.Get(str(ch.ApplicationFee)); ok {
		s.refundFeeShare(rq, fee, r.Amount, base, whole)
	}
}

// reversalShare is the part of t a refund of amount (of a charge of base)
// reverses: in proportion, what is left of it for the last refund.
func reversalShare(t *transfer, amount, base int64, whole bool) int64 {
	left := t.Amount - t.AmountReversed
	if whole {
		return left
	}
	return proportion(amount, t.Amount, base)
}

// checkConnectRefund refuses, before anything changes, a refund whose
// Connect options cannot be carried out: reverse_transfer on a charge
// without a transfer, refund_application_fee on a destination charge
// without reverse_transfer (Stripe asks for both), a reversal larger than
// what is left of the transfer.
func (s *Server) checkConnectRefund(rq *request, ch *charge, amount int64, reverse, refundFee, whole bool) *apierr.Error {
	if refundFee && rq.Account == "" && ch.TransferData == nil {
		return apierr.InvalidParam("refund_application_fee",
			"refund_application_fee can only be used when refunding a direct charge on a connected account (Stripe-Account header) or a destination charge.")
	}
	if reverse && ch.TransferData == nil {
		return apierr.InvalidParam("reverse_transfer", "reverse_transfer can only be used when refunding a destination charge (one with transfer_data[destination]).")
	}
	if refundFee && ch.TransferData != nil && !reverse {
		return apierr.InvalidParam("refund_application_fee", "refund_application_fee on a destination charge requires reverse_transfer=true: the fee is refunded with the transfer's reversal.")
	}
	if t := s.transferOf(ch); reverse && t != nil {
		base := ch.AmountCaptured
		if base == 0 {
			base = ch.Amount
		}
		if share, left := reversalShare(t, amount, base, whole), t.Amount-t.AmountReversed; share > left {
			return apierr.Invalid(http.StatusBadRequest, "", "reverse_transfer", "The refund would reverse %s of transfer %s, but only %s of it is left to reverse.",
				formatMoney(share, t.Currency), t.ID, formatMoney(max(left, 0), t.Currency))
		}
	}
	return nil
}
