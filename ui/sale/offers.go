package ui

import (
	"context"
	"strconv"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"kasse/pos"
)

// Open sales at start. Reconciliation brings this console's unfinished
// sales up to date with Stripe and hands them over (Deps.Offers); the
// cashier is asked about each in turn, before anything else: resume its
// live view (the customer may still be at the counter), or cancel it (the
// reader first, compare before cancel, then the intent). Either way the
// live view opens on it, with that seller's register behind it.

type (
	// offerChosenMsg: the cashier answered the offer of sale.
	offerChosenMsg struct {
		sale   pos.Sale
		resume bool
	}
	// offerLoadedMsg carries what the live view of an offered sale needs.
	offerLoadedMsg struct {
		sale   pos.Sale
		resume bool
		seller pos.Seller
		loc    pos.Location
		reader pos.Reader
	}
)

// offerNext asks about the next open sale once nothing else is under way.
func (m *Model) offerNext() {
	if m.dialog != nil || m.payment != nil || m.quitting || m.leaving || m.opening || len(m.offers) == 0 || len(m.stack) > 0 {
		return
	}
	m.dialog = m.offerDialog(m.offers[0], len(m.offers))
}

// offerDialog asks about open sale s (of n still to ask about).
func (m *Model) offerDialog(s pos.Sale, n int) *dialog {
	k := m.sh.keys
	seller := string(s.Seller)
	if x, ok := m.sh.sellerByID(s.Seller); ok {
		seller = sellerName(x)
	}
	amount := s.Amount
	if amount == 0 {
		amount = s.Cart.Total()
	}
	when := s.ChargedAt
	if when.IsZero() {
		when = s.CreatedAt
	}
	title := "An unfinished sale was found"
	if n > 1 {
		title += " (1 of " + strconv.Itoa(n) + ")"
	}
	intent := ""
	if s.IntentID != "" {
		intent = ", " + s.IntentID
	}
	return &dialog{
		refresh: func() *dialog { return m.offerDialog(s, n) },
		answered: func() {
			if len(m.offers) > 0 && m.offers[0].ID == s.ID {
				m.offers = m.offers[1:]
			}
			m.opening = true
		},
		title: title,
		lines: []string{
			pos.Format(amount, s.Currency) + " at " + seller + ", rung up " + when.In(m.sh.deps.Now().Location()).Format("Jan 2 15:04") +
				": " + saleDoing(s, s.ReaderID) + ".",
			"(sale " + s.ID + intent + ")",
		},
		choices: []choice{
			{key: k.Resume, msg: offerChosenMsg{sale: s, resume: true}, text: "resume it: its live view picks it up where it stands"},
			{key: k.CancelOpen, msg: offerChosenMsg{sale: s}, text: "cancel it (the reader first, if it still shows it)"},
		},
	}
}

// stateWords is a state for a sentence: "waiting for card".
func stateWords(st pos.SaleState) string { return strings.ReplaceAll(string(st), "_", " ") }

// navigateOffer handles the offer messages; ok reports whether msg was one.
func (m *Model) navigateOffer(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case offerChosenMsg:
		return loadOfferCmd(m.sh.deps, msg.sale, msg.resume), true
	case offerLoadedMsg:
		return m.openOffered(msg), true
	}
	return nil, false
}

// loadOfferCmd reads the sale's seller, reader and location for its live
// view. What cannot be read is stood in for by the ids the sale holds: the
// sale itself is resumed or canceled either way.
func loadOfferCmd(d Deps, s pos.Sale, resume bool) tea.Cmd {
	return timed(d.Timeout, func(ctx context.Context) tea.Msg {
		msg := offerLoadedMsg{sale: s, resume: resume,
			seller: pos.Seller{ID: s.Seller, Currency: s.Currency},
			loc:    pos.Location{ID: s.LocationID},
			reader: pos.Reader{ID: s.ReaderID, Owner: s.ReaderOwner}}
		if x, err := d.Sellers.GetSeller(ctx, s.Seller); err == nil {
			msg.seller = x
		}
		if r, err := d.Terminal.GetReader(ctx, s.ReaderOwner, s.ReaderID); err == nil {
			msg.reader = r
		}
		for _, owner := range []pos.Account{pos.Platform, s.Seller} {
			if msg.loc.DisplayName != "" || s.LocationID == "" {
				break
			}
			ls, _ := d.Terminal.ListLocations(ctx, owner)
			for _, l := range ls {
				if l.ID == s.LocationID {
					if l.Owner == "" {
						l.Owner = owner
					}
					msg.loc = l
				}
			}
		}
		return msg
	})
}

// openOffered opens the live view on an offered sale, with its seller's
// register (and pickers) behind it, and resumes or cancels it.
func (m *Model) openOffered(msg offerLoadedMsg) tea.Cmd {
	sh := m.sh
	m.opening = false
	seller, loc, rd := msg.seller, msg.loc, msg.reader
	sh.seller, sh.location, sh.reader = &seller, &loc, &rd
	m.stack, sh.approver = nil, ""
	m.locations = newLocationsScreen(sh, seller)
	m.readers = newReadersScreen(sh, loc)
	m.register = newRegisterScreen(sh, seller, loc, rd)
	m.receipt = nil
	m.payment = newPaymentScreen(sh, msg.sale, seller, loc, rd)
	m.active = scrPayment
	now := sh.deps.Now()
	ev := pos.SaleEvent(pos.Resumed{At: now})
	m.payment.note("found open at start; resumed")
	if !msg.resume {
		ev = pos.CancelRequested{At: now, Reason: "abandoned"}
		m.payment.note("found open at start; canceling")
	}
	return tea.Batch(m.locations.load(), m.readers.load(), m.payment.start(nil), m.payment.step(ev))
}
