package sandbox

import (
	"net/http"
	"strings"

	"kasse/sandbox/internal/apierr"
	"kasse/sandbox/internal/expand"
	"kasse/sandbox/internal/form"
	"kasse/sandbox/internal/store"
)

// Application fees (Connect): GET /v1/application_fees,
// GET /v1/application_fees/{id}, POST/GET /v1/application_fees/{id}/refunds.
// An application fee is what the platform collected from a seller's
// payment: a direct charge's application_fee_amount (charge = the charge
// on the seller), or a destination charge's (charge = the transfer's
// destination payment on the seller, originating_transaction = the
// platform's charge). The fees belong to the platform — "the application
// fees you've previously collected" — and are listed from it; account
// names the seller they were taken from.
//
// Decisions: the fee is created when its charge is captured (Stripe
// creates direct charges' fees asynchronously; the sandbox at once), with
// an application id derived from the platform's id (the sandbox's
// platform has one Connect application); the refunds list embedded in a
// fee holds every refund. A refund (or reversal) with
// refund_application_fee refunds the fee in proportion, rounded half up;
// the refund that leaves nothing of the charge takes what is left of it.

// applicationFee is an application_fee in its 2023-10-16 shape.
type applicationFee struct {
	store.Meta
	Object                 string                   `json:"object"`
	Account                ref                      `json:"account"`
	Amount                 int64                    `json:"amount"`
	AmountRefunded         int64                    `json:"amount_refunded"`
	Application            ref                      `json:"application"`
	BalanceTransaction     any                      `json:"balance_transaction"`
	Charge                 ref                      `json:"charge"`
	Created                int64                    `json:"created"`
	Currency               string                   `json:"currency"`
	Livemode               bool                     `json:"livemode"`
	OriginatingTransaction ref                      `json:"originating_transaction"`
	Refunded               bool                     `json:"refunded"`
	Refunds                embeddedList[*feeRefund] `json:"refunds"`
}

func (*applicationFee) objectType() string { return "application_fee" }

// feeRefund is a fee_refund (kept inside its fee).
type feeRefund struct {
	ID                 string            `json:"id"`
	Object             string            `json:"object"`
	Amount             int64             `json:"amount"`
	BalanceTransaction any               `json:"balance_transaction"`
	Created            int64             `json:"created"`
	Currency           string            `json:"currency"`
	Fee                ref               `json:"fee"`
	Metadata           map[string]string `json:"metadata"`
}

var feeExpandable = []string{"account", "charge", "originating_transaction", "application", "balance_transaction"}

// applicationID is the platform's Connect application (ca_…), stable for
// the platform's id.
func (s *Server) applicationID() string {
	return "ca_" + strings.TrimPrefix(s.st.platformID, "acct_")
}

func (s *Server) renderFee(f *applicationFee, exp *expand.Tree) any {
	if exp.Empty() {
		return f
	}
	c := *f
	c.Account = s.accountRef(f.Account, exp.Sub("account"))
	for _, x := range []struct {
		name string
		dst  *ref
	}{{"charge", &c.Charge}, {"originating_transaction", &c.OriginatingTransaction}} {
		if sub := exp.Sub(x.name); sub != nil {
			if ch, ok := s.st.charges.Get(refID(*x.dst)); ok {
				*x.dst = s.renderCharge(ch, sub)
			}
		}
	}
	return &c
}

// newApplicationFee stores the fee amount taken from ch (on the seller)
// for the platform; origin is the platform's destination charge (nil for a
// direct charge). It emits application_fee.created on the platform.
// Called with mu held, in a change.
func (s *Server) newApplicationFee(rq *request, ch, origin *charge, amount int64) *applicationFee {
	f := &applicationFee{Meta: s.newMeta("fee", ""), Object: "application_fee", Account: idRef(ch.Account), Amount: amount,
		Application: s.applicationID(), Charge: idRef(ch.ID), Created: rq.Now.Unix(), Currency: ch.Currency}
	if origin != nil {
		f.OriginatingTransaction = idRef(origin.ID)
	}
	f.Refunds = embeddedList[*feeRefund]{Object: "list", Data: []*feeRefund{}, URL: "/v1/application_fees/" + f.ID + "/refunds"}
	put(s, s.st.fees, f)
	s.emit(rq, "", "application_fee.created", f, nil)
	return f
}

// refundFeeShare refunds the part of fee that a refund (or reversal) of
// amount of base gives back: in proportion, or what is left of it when
// whole. Called with mu held, in a change.
func (s *Server) refundFeeShare(rq *request, f *applicationFee, amount, base int64, whole bool) {
	left := f.Amount - f.AmountRefunded
	share := proportion(amount, f.Amount, base)
	if whole || share > left {
		share = left
	}
	if share > 0 {
		s.refundFee(rq, f, share, nil)
	}
}

// refundFee gives amount of f back to the seller: a fee_refund, and
// application_fee.refunded on the platform.
func (s *Server) refundFee(rq *request, f *applicationFee, amount int64, md map[string]string) *feeRefund {
	if md == nil {
		md = map[string]string{}
	}
	fr := &feeRefund{ID: newID("fr"), Object: "fee_refund", Amount: amount, Created: rq.Now.Unix(), Currency: f.Currency,
		Fee: f.ID, Metadata: md}
	prev := map[string]any{"amount_refunded": f.AmountRefunded, "refunded": f.Refunded}
	s.touch(f)
	f.AmountRefunded += amount
	f.Refunded = f.AmountRefunded >= f.Amount
	f.Refunds.Data = append([]*feeRefund{fr}, f.Refunds.Data...)
	s.emit(rq, "", "application_fee.refunded", f, prev)
	return fr
}

// findFee looks a fee up; only the platform sees its fees.
func (s *Server) findFee(rq *request, id string) (*applicationFee, *apierr.Error) {
	f, ok := s.st.fees.Get(id)
	if !ok || !owned(f, rq) {
		return nil, apierr.NoSuch("application_fee", id)
	}
	return f, nil
}

func (s *Server) getFee(rq *request) (any, *apierr.Error) {
	return retrieve(rq, feeExpandable, s.findFee, s.renderFee)
}

// listFees: GET /v1/application_fees, newest first; filters charge and
// created.
func (s *Server) listFees(rq *request) (any, *apierr.Error) {
	created, pg, e := parseList(rq, feeExpandable)
	if e != nil {
		return nil, e
	}
	chF := rq.Params.Child("charge")
	return listTable(s, rq, s.st.fees, pg, func(f *applicationFee) bool {
		return created.Match(f.Created) && (chF == nil || refID(f.Charge) == chF.Value())
	}, "/v1/application_fees", s.renderFee)
}

// createFeeRefund: POST /v1/application_fees/{id}/refunds. amount
// defaults to what is left of the fee.
func (s *Server) createFeeRefund(rq *request) (any, *apierr.Error) {
	if e := expand.Check(rq.Expand, []string{"fee", "balance_transaction"}); e != nil {
		return nil, e
	}
	f, e := s.findFee(rq, rq.ID)
	if e != nil {
		return nil, e
	}
	amount, has, e := form.Int(rq.Params, "amount", "amount")
	if e != nil {
		return nil, e
	}
	md, e := form.Metadata(rq.Params, nil)
	if e != nil {
		return nil, e
	}
	left := f.Amount - f.AmountRefunded
	if left <= 0 {
		return nil, apierr.Invalid(http.StatusBadRequest, "", "amount", "Application fee %s has already been refunded.", f.ID)
	}
	if !has {
		amount = left
	}
	if amount < 1 {
		return nil, apierr.Validation(http.StatusBadRequest, "parameter_invalid_integer", "amount", "This value must be greater than or equal to 1.")
	}
	if amount > left {
		return nil, apierr.Invalid(http.StatusBadRequest, "", "amount", "Refund amount (%s) is greater than unrefunded amount on application fee (%s)",
			formatMoney(amount, f.Currency), formatMoney(left, f.Currency))
	}
	return s.refundFee(rq, f, amount, md), nil
}

// listFeeRefunds: GET /v1/application_fees/{id}/refunds, newest first.
func (s *Server) listFeeRefunds(rq *request) (any, *apierr.Error) {
	return listEmbedded(s, rq, s.findFee, func(f *applicationFee) *embeddedList[*feeRefund] { return &f.Refunds },
		func(r *feeRefund) string { return r.ID }, "fee_refund")
}
