package sale

import (
	"kasse/i18n"
	"kasse/pos"
)

// The live view of a customer's sale (issue 13): sharing the saved card
// with the seller, charging it without the reader, a decline that goes to
// the reader, and whether the card presented was saved.

// customerState is the state line while a saved card is prepared or
// charged (ok false: the usual line).
func (p *paymentScreen) customerState(names i18n.Args) (string, bool) {
	s, sess := p.sale, p.sess
	if !s.SavedCardCharge() {
		return "", false
	}
	a := i18n.Args{"Brand": s.Customer.Card.Brand, "Last4": s.Customer.Card.Last4, "Seller": names["Seller"]}
	switch s.State {
	case pos.SalePreparing:
		return sess.T("customers.payment.preparing", a), true
	case pos.SaleCreating:
		return sess.T("customers.payment.charging_saved", a), true
	}
	return "", false
}

// customerLines are the details a customer's sale adds: the decline of a
// saved card goes to the reader; the card saved, or why not.
func (p *paymentScreen) customerLines() []string {
	st := p.deps.Ink(p.sess)
	s, sess := p.sale, p.sess
	c := s.Customer
	if c == nil {
		return nil
	}
	var out []string
	switch {
	case s.SavedCardCharge() && s.State == pos.SaleDeclined && s.Attempt == 0:
		out = append(out, st.Warning.Render(sess.T("customers.payment.declined_reader")))
	case s.CardNotSaved():
		out = append(out, st.Warning.Render(sess.T("customers.payment.not_saved")))
	case c.Saved != "" && s.State == pos.SaleApproved:
		out = append(out, st.Success.Render(sess.T("customers.payment.saved", i18n.Args{"Brand": s.Card.Brand, "Last4": s.Card.Last4})))
	}
	return out
}
