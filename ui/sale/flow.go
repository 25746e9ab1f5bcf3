package ui

import (
	tea "github.com/charmbracelet/bubbletea"
	"kasse/internal/plural"

	"kasse/pos"
)

// navigate handles the messages screens send to move between screens.
// ok reports whether msg was one of them.
func (m *Model) navigate(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case sellerChosenMsg:
		if !msg.confirmed && m.askDropCart(msg.seller) {
			return nil, true
		}
		return m.chooseSeller(msg.seller), true
	case locationChosenMsg:
		if !msg.confirmed && m.askOtherSellersLocation(msg.location) {
			return nil, true
		}
		return m.chooseLocation(msg.location), true
	case openReconcileLogMsg:
		if m.sh.deps.ReconcileLog == nil || len(m.stack) > 0 {
			return nil, true
		}
		s := newReconcileLogScreen(m.sh)
		m.stack = []screen{s}
		return s.load(), true
	case readerChosenMsg:
		return m.chooseReader(msg.reader), true
	case backMsg:
		return m.back(), true
	case chargeMsg:
		return m.charge(msg), true
	case saleDoneMsg:
		return m.showReceipt(msg.sale), true
	case leavePaymentMsg:
		return m.leavePayment(&msg.cart), true
	case newSaleMsg:
		m.receipt = nil
		return m.leavePayment(nil), true
	case switchReaderMsg:
		return m.switchReader(), true
	}
	return nil, false
}

func (m *Model) chooseSeller(s pos.Seller) tea.Cmd {
	var drop tea.Cmd
	if m.register != nil && m.register.seller.ID != s.ID {
		drop = m.register.drop()
		m.register = nil
	}
	m.sh.seller = &s
	m.sh.location, m.sh.reader = nil, nil
	m.sh.prefs.Seller = s.ID
	m.locations = newLocationsScreen(m.sh, s)
	m.readers = nil
	m.active = scrLocations
	return tea.Batch(drop, m.locations.load(), savePrefsCmd(m.sh.deps.Prefs, m.sh.prefs))
}

// askDropCart asks before choosing seller s would drop the register's cart
// (another seller's register starts empty). It reports whether it asked.
func (m *Model) askDropCart(s pos.Seller) bool {
	r := m.register
	if r == nil || r.seller.ID == s.ID || len(r.cart.Lines) == 0 && r.entry.Empty() {
		return false
	}
	k := m.sh.keys
	what := plural.Count(len(r.cart.Lines), "line") + ", " + pos.Format(r.cart.Total(), r.cart.Currency)
	if len(r.cart.Lines) == 0 {
		what = "an amount being typed"
	}
	m.dialog = &dialog{
		title: "Drop the cart?",
		lines: []string{
			"The register holds a cart for " + sellerName(r.seller) + " (" + what + "). " +
				sellerName(s) + " starts with an empty register: the cart is dropped, and taken off the reader.",
		},
		choices: []choice{
			{key: k.Yes, msg: sellerChosenMsg{seller: s, confirmed: true}, text: "drop it and go on to " + sellerName(s)},
			{key: k.No, text: "keep it: choose " + sellerName(r.seller) + " to return to it"},
		},
	}
	return true
}

// askOtherSellersLocation asks before the cashier sells at a location that
// looks like another seller's. It reports whether it asked.
func (m *Model) askOtherSellersLocation(l pos.Location) bool {
	if m.sh.seller == nil {
		return false
	}
	other, ok := otherSellersLocation(l, *m.sh.seller, m.sh.sellers)
	if !ok {
		return false
	}
	k := m.sh.keys
	me := sellerName(*m.sh.seller)
	m.dialog = &dialog{
		title: "Another seller's location?",
		lines: []string{
			locationName(l) + " looks like a location of " + sellerName(other) + " (" + string(other.ID) + "), not of " + me + ".",
			"Its readers would take " + me + "'s payments at " + sellerName(other) + "'s counter.",
		},
		choices: []choice{
			{key: k.Yes, msg: locationChosenMsg{location: l, confirmed: true}, text: "sell at it anyway"},
			{key: k.No, text: "choose another location"},
		},
	}
	return true
}

// otherSellersLocation reports the other seller that platform location l
// belongs to more closely than to seller: one its metadata names, or one
// whose longer name it carries ("Taco Loco Express – Downtown" is Taco Loco
// Express's, though it starts with "Taco Loco").
func otherSellersLocation(l pos.Location, seller pos.Seller, sellers []pos.Seller) (pos.Seller, bool) {
	if !l.Owner.IsPlatform() {
		return pos.Seller{}, false // a seller's own location is the seller's
	}
	if v, ok := l.TaggedSeller(); ok {
		if v == seller.ID {
			return pos.Seller{}, false
		}
		for _, o := range sellers {
			if o.ID == v {
				return o, true
			}
		}
		return pos.Seller{ID: v, DisplayName: string(v)}, true
	}
	var best pos.Seller
	for _, o := range sellers {
		if o.ID != seller.ID && len(o.DisplayName) > len(seller.DisplayName) && len(o.DisplayName) > len(best.DisplayName) &&
			pos.LocationServes(l, o) {
			best = o
		}
	}
	return best, best.ID != ""
}

func (m *Model) chooseLocation(l pos.Location) tea.Cmd {
	m.sh.location = &l
	m.sh.reader = nil
	if m.sh.seller != nil {
		m.sh.prefs.Locations[m.sh.seller.ID] = l.ID
	}
	m.readers = newReadersScreen(m.sh, l)
	m.active = scrReaders
	return tea.Batch(m.readers.load(), savePrefsCmd(m.sh.deps.Prefs, m.sh.prefs))
}

func (m *Model) chooseReader(r pos.Reader) tea.Cmd {
	if m.sh.seller == nil || m.sh.location == nil {
		return nil
	}
	m.sh.reader = &r
	m.sh.prefs.Readers[m.sh.location.ID] = r.ID
	save := savePrefsCmd(m.sh.deps.Prefs, m.sh.prefs)
	if m.switching && m.payment != nil {
		m.switching = false
		m.active = scrPayment
		return tea.Batch(m.payment.changeReader(r), save)
	}
	var cmd tea.Cmd
	if m.register != nil && m.register.seller.ID == m.sh.seller.ID {
		cmd = m.register.setPlace(*m.sh.location, r)
	} else {
		m.register = newRegisterScreen(m.sh, *m.sh.seller, *m.sh.location, r)
	}
	m.active = scrRegister
	return tea.Batch(cmd, save)
}

// back leaves the active screen for the previous one.
func (m *Model) back() tea.Cmd {
	if len(m.stack) > 0 {
		return m.pop(1)
	}
	switch m.active {
	case scrLocations:
		m.active = scrSellers
		m.sh.seller, m.sh.location, m.sh.reader = nil, nil, nil
	case scrReaders:
		if m.switching && m.payment != nil {
			m.switching = false
			m.active = scrPayment
			r := m.payment.reader
			m.sh.reader = &r
			return nil
		}
		m.active = scrLocations
		m.sh.location, m.sh.reader = nil, nil
	case scrRegister:
		m.active = scrReaders
		m.sh.reader = nil
	}
	return nil
}

// charge opens the live view for a sale the register started.
func (m *Model) charge(msg chargeMsg) tea.Cmd {
	if m.register == nil || m.sh.seller == nil || m.sh.location == nil || m.sh.reader == nil {
		return nil
	}
	m.payment = newPaymentScreen(m.sh, msg.sale, *m.sh.seller, *m.sh.location, *m.sh.reader)
	m.active = scrPayment
	return m.payment.start(msg.effects)
}

// showReceipt replaces the live view with the receipt of an approved sale
// and readies an empty register behind it.
func (m *Model) showReceipt(sale pos.Sale) tea.Cmd {
	if m.payment == nil || m.payment.sale.ID != sale.ID {
		return nil
	}
	p := m.payment
	m.receipt = newReceiptScreen(m.sh, sale, p.seller, p.loc, p.reader)
	m.payment = nil
	m.active = scrReceipt
	return m.receipt.save()
}

// leavePayment returns to the register: with the cart kept (canceled or
// failed sale) or empty (after a receipt).
func (m *Model) leavePayment(keep *pos.Cart) tea.Cmd {
	m.payment = nil
	if m.register == nil {
		m.active = scrSellers
		return nil
	}
	if m.sh.reader != nil {
		m.register.reader = *m.sh.reader
	}
	m.active = scrRegister
	return m.register.reset(keep)
}

// switchReader opens the reader picker to move the payment.
func (m *Model) switchReader() tea.Cmd {
	if m.payment == nil || m.sh.location == nil {
		return nil
	}
	m.switching = true
	m.readers = newReadersScreen(m.sh, m.payment.loc)
	m.readers.moving = true
	m.active = scrReaders
	return m.readers.load()
}
