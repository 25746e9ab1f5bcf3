package sale

import (
	"context"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"kasse/i18n"
	"kasse/pos"
	"kasse/ui/app"
	"kasse/ui/widgets"
)

// Quitting. With a payment under way, ctrl+c asks: cancel it (the reader
// first, compare before cancel, then the intent) and quit once it is
// canceled; keep it open and quit (the next start offers it again); or
// stay. Without one, the console takes its cart off the reader it showed
// it on (only while the reader still shows that cart) and quits.

// quitClearTimeout bounds taking the cart off the reader on the way out.
const quitClearTimeout = 3 * time.Second

// Quit answers ctrl+c: during a payment the question to ask first (ask),
// else the command that quits, after taking the cart off the reader; a
// second ctrl+c while canceling or clearing quits at once. The journal
// keeps an open sale; the next start offers or settles it.
func (f *Flow) Quit() (ask *app.Dialog, cmd tea.Cmd) {
	switch {
	case f.quitting || f.leaving:
		return nil, tea.Quit
	case f.payment != nil && !f.payment.sale.State.Final():
		return f.quitDialog(f.payment), nil
	}
	return nil, f.leave()
}

func (f *Flow) quitDialog(p *paymentScreen) *app.Dialog {
	k, sess := f.deps.Keys, f.sess
	s := p.sale
	what := saleDoing(sess.Loc, s, i18n.Money{Amount: s.Amount, Currency: s.Currency}, widgets.SellerName(p.seller), widgets.ReaderName(p.reader))
	cancel := sess.T("sale.quit.cancel")
	if s.State == pos.SaleRequiresCapture {
		cancel = sess.T("sale.quit.void")
	}
	return &app.Dialog{
		Title: sess.T("sale.quit.title"),
		Lines: []string{sess.T("sale.quit.what", i18n.Args{"Doing": what})},
		Choices: []app.Choice{
			{Key: k.QuitCancel, Do: f.quitCancel, Text: cancel},
			{Key: k.QuitKeep, Do: func() tea.Cmd { return tea.Quit }, Text: sess.T("sale.quit.keep")},
			{Key: k.Stay, Text: sess.T("sale.quit.stay")},
		},
	}
}

// saleDoing says, in a sentence in loc, what an open sale of amount at
// seller is doing ("12,50 € bei X wartet auf die Karte an Y.").
func saleDoing(loc *i18n.Locale, s pos.Sale, amount i18n.Money, seller, reader string) string {
	a := i18n.Args{"Amount": amount, "Seller": seller, "Reader": reader}
	switch s.State {
	case pos.SaleCreating:
		return loc.T("sale.doing.creating", a)
	case pos.SaleProcessing:
		return loc.T("sale.doing.processing", a)
	case pos.SaleWaitingForCard:
		if s.CardPresented {
			return loc.T("sale.doing.authorizing", a)
		}
		return loc.T("sale.doing.waiting", a)
	case pos.SaleRequiresCapture:
		return loc.T("sale.doing.requires_capture", a)
	case pos.SaleCapturing:
		return loc.T("sale.doing.capturing", a)
	case pos.SaleCanceling:
		return loc.T("sale.doing.canceling", a)
	case pos.SaleUnknown:
		return loc.T("sale.doing.unknown", a)
	case pos.SaleInterrupted:
		return loc.T("sale.doing.interrupted", a)
	}
	a["State"] = stateText(loc, s.State)
	return loc.T("sale.doing.decision", a)
}

// quitCancel cancels the payment through the machine, then quits
// (quitWhenCanceled); the reader picker, if open above it, closes.
func (f *Flow) quitCancel() tea.Cmd {
	p := f.payment
	if p == nil || p.sale.State.Final() {
		return f.leave()
	}
	f.quitting = true
	return tea.Batch(app.PopTo(p), p.step(pos.CancelRequested{At: f.deps.Now(), Reason: "abandoned"}), // i18n:ok a Stripe cancellation reason
		app.Say(app.ToneWarn, f.sess.T("sale.quit.canceling")),
	)
}

// quitWhenCanceled ends a quit that waits for the payment's cancel: quit
// once it is canceled; stay, and say why, when it ended otherwise.
func (f *Flow) quitWhenCanceled() tea.Cmd {
	if !f.quitting {
		return nil
	}
	p := f.payment
	if p != nil && (!p.sale.State.Final() || p.sale.Pending.Active()) {
		return nil
	}
	f.quitting = false
	switch {
	case p != nil && p.sale.State == pos.SaleCanceled:
		return tea.Quit
	case p == nil || p.sale.State == pos.SaleApproved:
		return app.Say(app.ToneWarn, f.sess.T("sale.quit.approved_meanwhile"))
	}
	return app.Say(app.ToneError, f.sess.T("sale.quit.not_canceled", i18n.Args{"State": stateText(f.sess.Loc, p.sale.State)}))
}

// leave quits, first taking this console's cart off the reader it was
// shown on (compare before clear, bounded by quitClearTimeout).
func (f *Flow) leave() tea.Cmd {
	r := f.register
	if r == nil || r.sale.State != pos.SaleDraft || r.sale.Displays == 0 {
		return tea.Quit
	}
	var effs []pos.Effect
	r.sale, effs = pos.Step(r.sale, pos.CancelRequested{At: f.deps.Now()})
	if len(effs) == 0 {
		return tea.Quit
	}
	f.leaving = true
	runner := f.deps.Runner
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), quitClearTimeout)
		defer cancel()
		_, _ = runner.Run(ctx, effs) // best effort: the display is not money
		return tea.Quit()
	}
}

// Live reports whether a payment is under way on the live view: something
// still happens to it (a request, the reader, the cashier's decision).
// A payment authorized and waiting for capture is not: the back office
// captures or voids it.
func (f *Flow) Live() bool {
	p := f.payment
	return p != nil && saleLive(p.sale)
}

func saleLive(s pos.Sale) bool {
	if s.Pending.Active() {
		return true
	}
	return !s.State.Final() && s.State != pos.SaleRequiresCapture
}

// CancelForShutdown cancels the payment under way, if any, as the host
// shuts down: through the machine (the reader first, compare before
// cancel, then the intent), so a payment the customer completed
// meanwhile stands. The live view comes back on top.
func (f *Flow) CancelForShutdown() tea.Cmd {
	p := f.payment
	if p == nil || !saleLive(p.sale) || p.sale.State == pos.SaleCanceling {
		return nil
	}
	return tea.Batch(app.PopTo(p), p.step(pos.CancelRequested{At: f.deps.Now(), Reason: "abandoned"})) // i18n:ok a Stripe cancellation reason
}

// CounterState is what the session is doing, for the host (app.Counter):
// the reader chosen and the last payment, as the live view last had it
// (the receipt or the register may have taken its place since).
func (f *Flow) CounterState() app.CounterState {
	var st app.CounterState
	if r := f.sess.Reader; r != nil {
		st.Reader = r.ID
	}
	if p := f.payment; p != nil {
		f.note(p)
	}
	st.Sale = f.last
	return st
}

// note keeps payment p's sale as the last one, if p is the flow's payment
// (the live view notes every step, so the step that settles the sale is
// noted before the receipt takes its place).
func (f *Flow) note(p *paymentScreen) {
	if f.payment != p {
		return
	}
	s := p.sale
	f.last = app.CounterSale{ID: s.ID, Reader: s.ReaderID, Seller: s.Seller, State: s.State, Amount: s.Amount,
		Currency: s.Currency, Live: saleLive(s)}
}
