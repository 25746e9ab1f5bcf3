package sandbox

import (
	"kasse/sandbox/internal/apierr"
	"kasse/sandbox/internal/expand"
	"kasse/sandbox/internal/list"
)

// Charges are created by card collection (testcards_collect.go); the API
// only reads them.

// findCharge looks a charge up in the request's account.
func (s *Server) findCharge(rq *request, id string) (*charge, *apierr.Error) {
	ch, ok := s.st.charges[id]
	if !ok || !owned(&ch.meta, rq) {
		return nil, apierr.NoSuch("charge", id).WithParam("charge")
	}
	return ch, nil
}

func (s *Server) getCharge(rq *request) (any, *apierr.Error) {
	if err := expand.Check(rq.Expand, chargeExpandable); err != nil {
		return nil, err
	}
	ch, err := s.findCharge(rq, rq.ID)
	if err != nil {
		return nil, err.WithParam("id")
	}
	return s.renderCharge(ch, rq.Expand), nil
}

// listCharges lists the account's charges, newest first; filters
// payment_intent, created and customer (no customers: matches nothing).
func (s *Server) listCharges(rq *request) (any, *apierr.Error) {
	if err := expand.Check(rq.Expand, expand.WithPrefix("data.", chargeExpandable)); err != nil {
		return nil, err
	}
	f, err := payCreatedFilter(rq.Params)
	if err != nil {
		return nil, err
	}
	piFilter := rq.Params.Child("payment_intent")
	customer := rq.Params.Has("customer")
	var items []*charge
	for _, ch := range s.st.charges {
		if !owned(&ch.meta, rq) || !f.match(ch.created) || customer {
			continue
		}
		if piFilter != nil && ch.paymentIntent != piFilter.Value() {
			continue
		}
		items = append(items, ch)
	}
	sub := rq.Expand.Sub("data")
	return list.Paginate(rq.Params, "/v1/charges", "charge", items, func(ch *charge) any { return s.renderCharge(ch, sub) })
}
