package sale

import (
	tea "github.com/charmbracelet/bubbletea"

	"kasse/i18n"
	"kasse/pos"
	"kasse/ui/app"
	"kasse/ui/widgets"
)

// Flow is one session's sale flow on the root's stack: the seller list
// (its home, the bottom of the stack), then a location, a reader, the
// register, the live view of a payment and its receipt, each pushed above
// the last. Its screens share it. It keeps the cashier's register while
// they step back to the pickers (another reader or location keeps the
// cart; another seller drops it, after asking), knows the payment under
// way (quitting asks about it), offers the sales found open at start
// (offers.go) and takes the cart off the reader on the way out (quit.go).
type Flow struct {
	deps *app.Deps
	sess *app.Session
	home *sellersScreen
	// register is the cashier's register, on the stack or kept below the
	// pickers (nil: none yet).
	register *registerScreen
	// payment is the live view on the stack (nil: none).
	payment *paymentScreen
	// offers are open sales from the last run not yet offered; opening: an
	// offered sale's live view is being loaded.
	offers  []pos.Sale
	opening bool
	// quitting: the payment is being canceled, then the console quits;
	// leaving: the cart is being taken off the reader on the way out.
	quitting, leaving bool
	// last is the last payment as its live view last had it (CounterState).
	last app.CounterSale
}

// NewFlow starts the sale flow of sess. The root puts Home at the bottom
// of its stack, and asks Quit on ctrl+c and Settle after every message.
func NewFlow(deps *app.Deps, sess *app.Session) *Flow {
	f := &Flow{deps: deps, sess: sess, offers: append([]pos.Sale(nil), deps.Offers...)}
	f.home = newSellersScreen(f)
	return f
}

// Home is the seller list: the bottom of the stack, never closed. It also
// takes the flow's own messages (the remembered choices, an offered sale
// loaded), since it is always there.
func (f *Flow) Home() app.Screen { return f.home }

// Settle is run by the root after every message. It ends a quit that
// waited for a cancel, and once nothing else is under way (idle: no
// dialog open, no area above the seller list) it asks about the next open
// sale.
func (f *Flow) Settle(idle bool) (ask *app.Dialog, cmd tea.Cmd) {
	cmd = f.quitWhenCanceled()
	if !idle || f.payment != nil || f.quitting || f.leaving || f.opening || len(f.offers) == 0 {
		return nil, cmd
	}
	return f.offerDialog(f.offers[0], len(f.offers)), cmd
}

// chooseSeller goes on to seller s's locations; with a cart of another
// seller on the register it asks first (unless confirmed).
func (f *Flow) chooseSeller(s pos.Seller, confirmed bool) tea.Cmd {
	if !confirmed {
		if d := f.askDropCart(s); d != nil {
			return app.Ask(d)
		}
	}
	var drop tea.Cmd
	if f.register != nil && f.register.seller.ID != s.ID {
		drop = f.register.drop()
		f.register = nil
	}
	f.sess.Seller = &s
	f.sess.Location, f.sess.Reader = nil, nil
	f.sess.Prefs.Seller = s.ID
	return tea.Batch(drop, app.Push(newLocationsScreen(f, s)), savePrefsCmd(f.deps.Prefs, f.sess.Prefs))
}

// askDropCart is the question before choosing seller s drops the
// register's cart (another seller's register starts empty); nil when
// there is nothing to drop.
func (f *Flow) askDropCart(s pos.Seller) *app.Dialog {
	r := f.register
	if r == nil || r.seller.ID == s.ID || len(r.cart.Lines) == 0 && r.entry.Empty() {
		return nil
	}
	k, sess := f.deps.Keys, f.sess
	what := sess.T("sale.drop.cart", i18n.Args{"Lines": sess.N("count.lines", len(r.cart.Lines)),
		"Total": i18n.Money{Amount: r.cart.Total(), Currency: r.cart.Currency}})
	if len(r.cart.Lines) == 0 {
		what = sess.T("sale.drop.typing")
	}
	names := i18n.Args{"Seller": widgets.SellerName(r.seller), "Other": widgets.SellerName(s), "What": what}
	return &app.Dialog{
		Title: sess.T("sale.drop.title"),
		Lines: []string{sess.T("sale.drop.text", names)},
		Choices: []app.Choice{
			{Key: k.Yes, Do: func() tea.Cmd { return f.chooseSeller(s, true) }, Text: sess.T("sale.drop.yes", names)},
			{Key: k.No, Text: sess.T("sale.drop.no", names)},
		},
	}
}

// chooseLocation goes on to location l's readers; at a location that
// looks like another seller's it asks first (unless confirmed).
func (f *Flow) chooseLocation(l pos.Location, confirmed bool) tea.Cmd {
	if !confirmed {
		if d := f.askOtherSellersLocation(l); d != nil {
			return app.Ask(d)
		}
	}
	f.sess.Location = &l
	f.sess.Reader = nil
	if f.sess.Seller != nil {
		f.sess.Prefs.Locations[f.sess.Seller.ID] = l.ID
	}
	return tea.Batch(app.Push(newReadersScreen(f, l)), savePrefsCmd(f.deps.Prefs, f.sess.Prefs))
}

// askOtherSellersLocation is the question before the cashier sells at a
// location that looks like another seller's; nil when it does not.
func (f *Flow) askOtherSellersLocation(l pos.Location) *app.Dialog {
	if f.sess.Seller == nil {
		return nil
	}
	other, ok := pos.OtherSellersLocation(l, *f.sess.Seller, f.sess.Sellers)
	if !ok {
		return nil
	}
	k, sess := f.deps.Keys, f.sess
	names := i18n.Args{"Location": widgets.LocationName(l), "Other": widgets.SellerName(other), "OtherID": string(other.ID),
		"Seller": widgets.SellerName(*f.sess.Seller)}
	return &app.Dialog{
		Title: sess.T("sale.other_location.title"),
		Lines: []string{sess.T("sale.other_location.text", names), sess.T("sale.other_location.readers", names)},
		Choices: []app.Choice{
			{Key: k.Yes, Do: func() tea.Cmd { return f.chooseLocation(l, true) }, Text: sess.T("sale.other_location.yes")},
			{Key: k.No, Text: sess.T("sale.other_location.no")},
		},
	}
}

// chooseReader opens the register at reader r: the cashier's register
// when it is the same seller's (the cart stays), else a new one.
func (f *Flow) chooseReader(r pos.Reader) tea.Cmd {
	if f.sess.Seller == nil || f.sess.Location == nil {
		return nil
	}
	if refused := f.hold(r); refused != nil {
		return refused
	}
	f.sess.Reader = &r
	f.sess.Prefs.Readers[f.sess.Location.ID] = r.ID
	save := savePrefsCmd(f.deps.Prefs, f.sess.Prefs)
	var cmd tea.Cmd
	if f.register != nil && f.register.seller.ID == f.sess.Seller.ID {
		cmd = f.register.setPlace(*f.sess.Location, r)
	} else {
		f.register = newRegisterScreen(f, *f.sess.Seller, *f.sess.Location, r)
	}
	return tea.Batch(cmd, app.Push(f.register), save)
}

// hold takes reader r for this counter when the console is served at a
// counter of a host (app.Counter); it returns the refusal to show when
// another counter holds r, nil when the counter may use it.
func (f *Flow) hold(r pos.Reader) tea.Cmd {
	if f.deps.Counter == nil {
		return nil
	}
	h, ok := f.deps.Counter.Hold(r.ID)
	if ok {
		return nil
	}
	return app.Say(app.ToneError, f.sess.T("serve.reader.held", i18n.Args{"Reader": widgets.ReaderName(r),
		"Operator": h.Operator, "Counter": h.Counter}))
}

// moveTo moves the payment under the reader picker to reader r.
func (f *Flow) moveTo(r pos.Reader) tea.Cmd {
	if refused := f.hold(r); refused != nil {
		return refused
	}
	f.sess.Reader = &r
	if f.sess.Location != nil {
		f.sess.Prefs.Readers[f.sess.Location.ID] = r.ID
	}
	save := savePrefsCmd(f.deps.Prefs, f.sess.Prefs)
	if f.payment == nil {
		return tea.Batch(app.Pop(), save)
	}
	return tea.Batch(app.Pop(), f.payment.changeReader(r), save)
}

// switchReader opens the reader picker above the payment, to move it.
func (f *Flow) switchReader() tea.Cmd {
	if f.payment == nil || f.sess.Location == nil {
		return nil
	}
	readers := newReadersScreen(f, f.payment.loc)
	readers.moving = true
	return app.Push(readers)
}

// charge opens the live view of a sale the register started.
func (f *Flow) charge(sale pos.Sale, effs []pos.Effect) tea.Cmd {
	if f.register == nil || f.sess.Seller == nil || f.sess.Location == nil || f.sess.Reader == nil {
		return nil
	}
	f.payment = newPaymentScreen(f, sale, *f.sess.Seller, *f.sess.Location, *f.sess.Reader)
	f.payment.effects = effs
	return app.Push(f.payment)
}

// showReceipt puts the receipt of approved payment p in its place (and
// closes the reader picker if it was open above it); the register waits
// below for the next customer.
func (f *Flow) showReceipt(p *paymentScreen) tea.Cmd {
	if f.payment != p {
		return nil
	}
	f.payment = nil
	return app.ReplaceAt(p, newReceiptScreen(f, p.sale, p.seller, p.loc, p.reader))
}

// leavePayment closes the live view (or the receipt) and returns to the
// register: with the cart kept (a canceled or failed sale) or empty (after
// a receipt).
func (f *Flow) leavePayment(keep *pos.Cart) tea.Cmd {
	f.payment = nil
	if f.register == nil {
		return app.Pop()
	}
	if f.sess.Reader != nil {
		f.register.reader = *f.sess.Reader
	}
	return tea.Batch(app.Pop(), f.register.reset(keep))
}
