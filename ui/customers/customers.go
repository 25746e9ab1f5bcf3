// Package customers is the console's customers: looking them up (by email
// or name, at the seller or in the platform's wallet), creating one, a
// customer's saved cards and recent sales, removing a saved card (a
// supervisor's PIN), and choosing the customer of a sale on the register:
// which saved card pays (or the reader), and whether the card presented on
// the reader is saved, once the cashier confirmed the customer agreed.
//
// The register opens it with app.OpenCustomers (the root builds it: a part
// never imports another); the choice goes back as app.CustomerChosenMsg.
package customers

import (
	"context"
	"errors"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	cus "kasse/customers"
	"kasse/i18n"
	"kasse/pos"
	"kasse/ui/app"
)

// New is the customers screen the root opens for msg: the search, for a
// sale (msg.SaleID) or to look customers up.
func New(deps *app.Deps, sess *app.Session, msg app.OpenCustomersMsg) app.Screen {
	return newSearch(deps, sess, msg.Seller, msg.SaleID)
}

// Results of the commands.
type (
	searchedMsg struct {
		seq   int
		found []pos.Customer
		err   error
	}
	detailLoadedMsg struct {
		seq   int
		cards []pos.SavedCard
		sales []pos.Sale
		err   error
	}
	attachedMsg struct {
		seq int
		sc  *pos.SaleCustomer
		err error
	}
	createdMsg struct {
		seq int
		c   pos.Customer
		err error
	}
	removedMsg struct {
		seq  int
		card pos.SavedCard
		err  error
	}
)

// searchCmd searches each owner (the seller's, then the wallet) with q.
func searchCmd(svc app.Customers, owners []pos.Account, q string, seq int, timeout time.Duration) tea.Cmd {
	return app.Timed(timeout, func(ctx context.Context) tea.Msg {
		var all []pos.Customer
		for _, o := range owners {
			found, err := svc.Search(ctx, o, q)
			if err != nil {
				return searchedMsg{seq: seq, err: err}
			}
			all = append(all, found...)
		}
		return searchedMsg{seq: seq, found: all}
	})
}

// badText words a refusal of the customers' service (bad input) in loc;
// anything else is ok false.
func badText(loc *i18n.Locale, err error) (string, bool) {
	var bi *cus.BadInput
	if !errors.As(err, &bi) {
		return "", false
	}
	a := i18n.Args{"Detail": bi.Detail}
	for _, m := range []struct {
		err error
		id  string
	}{
		{cus.ErrNoName, "customers.bad.no_name"},
		{cus.ErrBadEmail, "customers.bad.email"},
		{cus.ErrNotFound, "customers.bad.not_found"},
		{cus.ErrCardNotFound, "customers.bad.card_not_found"},
		{cus.ErrCardPresent, "customers.bad.card_present"},
		{cus.ErrCardExpired, "customers.bad.card_expired"},
		{cus.ErrNotTheirs, "customers.bad.not_theirs"},
		{cus.ErrNoEmail, "customers.bad.no_email"},
		{cus.ErrCustomerGone, "customers.bad.deleted"},
		{cus.ErrNoConsent, "customers.bad.no_consent"},
		{cus.ErrSellerReader, "customers.bad.seller_reader"},
	} {
		if errors.Is(err, m.err) {
			return loc.T(m.id, a), true
		}
	}
	return bi.Error(), true
}

// cardLabel is "visa •••• 4242 · 12/2029".
func cardLabel(loc *i18n.Locale, k pos.SavedCard, at time.Time) string {
	s := loc.T("customers.card", i18n.Args{"Brand": k.Brand, "Last4": k.Last4, "Month": k.ExpMonth, "Year": k.ExpYear})
	if k.Expired(at) {
		s += " " + loc.T("customers.card_expired")
	}
	return s
}

// accountLabel names where a customer lives: the wallet or the seller.
func accountLabel(loc *i18n.Locale, c pos.Customer, seller *pos.Seller) string {
	if c.Account.IsPlatform() {
		return loc.T("customers.wallet")
	}
	if seller != nil && seller.ID == c.Account {
		if c.CopyOf() != "" { // the wallet customer's copy: the same person
			return loc.T("customers.copy_at", i18n.Args{"Seller": sellerName(*seller)})
		}
		return loc.T("customers.at_seller", i18n.Args{"Seller": sellerName(*seller)})
	}
	return string(c.Account)
}

func sellerName(s pos.Seller) string {
	if s.DisplayName != "" {
		return s.DisplayName
	}
	return string(s.ID)
}
