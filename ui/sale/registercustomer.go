package sale

import (
	tea "github.com/charmbracelet/bubbletea"

	"kasse/i18n"
	"kasse/pos"
	"kasse/ui/app"
)

// The sale's customer on the register (issue 13): ctrl+k opens the
// customers screen (ui/customers, built by the root) to find or create the
// customer and choose how they pay: a saved card, or the reader —
// optionally saving the card presented, once the customer agreed. The
// choice comes back as app.CustomerChosenMsg; the customer's email fills
// the receipt email unless one was typed. The customer stays for the
// register's next drafts (another reader) until the sale is done or
// cleared.

// registerCustomer is the register's customer and how they pay.
type registerCustomer struct {
	sale *pos.SaleCustomer // nil: no customer
	name string
}

// chooseCustomer opens the customers screen for this draft.
func (s *registerScreen) chooseCustomer() tea.Cmd {
	if s.deps.Customers == nil {
		s.problem = s.sess.T("customers.unavailable")
		return nil
	}
	seller := s.seller
	return app.OpenCustomers(&seller, s.sale.ID)
}

// customerChosen applies the customers screen's choice to the draft.
func (s *registerScreen) customerChosen(msg app.CustomerChosenMsg) tea.Cmd {
	if msg.SaleID != s.sale.ID || s.sale.State != pos.SaleDraft {
		return nil
	}
	s.sale = s.sale.SetCustomer(msg.Sale)
	if msg.Sale == nil {
		s.customer = registerCustomer{}
		return app.Say(app.ToneOK, s.sess.T("customers.register.removed"))
	}
	s.customer = registerCustomer{sale: msg.Sale, name: msg.Customer.Label()}
	if s.email == "" && msg.Sale.Email != "" {
		s.email = msg.Sale.Email
		s.sale.ReceiptEmail = s.email
	}
	name := i18n.Args{"Name": s.customer.name}
	if s.email == "" {
		return app.Say(app.ToneWarn, s.sess.T("customers.register.no_email", name))
	}
	return app.Say(app.ToneOK, s.sess.T("customers.register.attached", name))
}

// customerText is the register's title part for the customer: who, and
// how they pay ("Mara Lindqvist · visa •••• 4242", "… · card saved").
func (s *registerScreen) customerText() string {
	c := s.customer.sale
	if c == nil {
		return ""
	}
	a := i18n.Args{"Name": s.customer.name}
	switch {
	case c.Card != nil:
		a["Brand"], a["Last4"] = c.Card.Brand, c.Card.Last4
		return s.sess.T("customers.register.pays_saved", a)
	case c.SaveCard:
		return s.sess.T("customers.register.saves_card", a)
	}
	return s.sess.T("customers.register.for", a)
}
