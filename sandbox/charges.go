package sandbox

// Charges are created by card collection (testcards_collect.go); the API
// only reads them.

// findCharge looks a charge up in the request's account.
func (s *Server) findCharge(rq *request, id string) (*charge, *apiError) {
	ch, ok := s.st.charges[id]
	if !ok || !owned(&ch.meta, rq) {
		return nil, errNoSuch("charge", id).withParam("charge")
	}
	return ch, nil
}

func (s *Server) getCharge(rq *request) (any, *apiError) {
	if err := checkExpand(rq.Expand, chargeExpandable); err != nil {
		return nil, err
	}
	ch, err := s.findCharge(rq, rq.Vars["id"])
	if err != nil {
		return nil, err.withParam("id")
	}
	return s.renderCharge(ch, rq.Expand), nil
}

// listCharges lists the account's charges, newest first; filters
// payment_intent, created and customer (no customers: matches nothing).
func (s *Server) listCharges(rq *request) (any, *apiError) {
	if err := checkExpand(rq.Expand, withPrefix("data.", chargeExpandable)); err != nil {
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
	sub := rq.Expand.sub("data")
	return paginate(rq, "/v1/charges", items, func(ch *charge) any { return s.renderCharge(ch, sub) })
}
