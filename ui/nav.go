package ui

import (
	tea "github.com/charmbracelet/bubbletea"

	"kasse/pos"
)

// navigate handles the messages screens send to move between screens.
// ok reports whether msg was one of them.
func (m *Model) navigate(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case sellerChosenMsg:
		return m.chooseSeller(msg.seller), true
	case locationChosenMsg:
		return m.chooseLocation(msg.location), true
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
	m.sh.seller = &s
	m.sh.location, m.sh.reader = nil, nil
	m.sh.prefs.Seller = s.ID
	m.locations = newLocationsScreen(m.sh, s)
	m.readers = nil
	m.active = scrLocations
	return tea.Batch(m.locations.load(), savePrefsCmd(m.sh.deps.Prefs, m.sh.prefs))
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
