package sale

import (
	"context"
	"time"

	tea "github.com/charmbracelet/bubbletea"

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
	k := f.deps.Keys
	s := p.sale
	what := pos.Format(s.Amount, s.Currency) + " at " + widgets.SellerName(p.seller) + " is " + saleDoing(s, widgets.ReaderName(p.reader)) + "."
	cancel := "cancel it (the reader first, if it still shows it), then quit"
	if s.State == pos.SaleRequiresCapture {
		cancel = "void the authorization, then quit"
	}
	return &app.Dialog{
		Title: "Quit while a payment is under way?",
		Lines: []string{what},
		Choices: []app.Choice{
			{Key: k.QuitCancel, Do: f.quitCancel, Text: cancel},
			{Key: k.QuitKeep, Do: func() tea.Cmd { return tea.Quit }, Text: "keep it open and quit: the next start offers it again"},
			{Key: k.Stay, Text: "stay"},
		},
	}
}

// saleDoing says what an open sale is doing, for a sentence.
func saleDoing(s pos.Sale, reader string) string {
	switch s.State {
	case pos.SaleCreating:
		return "being created"
	case pos.SaleProcessing:
		return "being sent to " + reader
	case pos.SaleWaitingForCard:
		if s.CardPresented {
			return "being authorized on " + reader
		}
		return "waiting for the customer's card on " + reader
	case pos.SaleRequiresCapture:
		return "authorized and not captured"
	case pos.SaleCapturing:
		return "being captured"
	case pos.SaleCanceling:
		return "being canceled"
	case pos.SaleUnknown:
		return "being checked (outcome unknown)"
	case pos.SaleInterrupted:
		return "interrupted on " + reader + ", its payment still open"
	}
	return "waiting for you (" + stateWords(s.State) + " on " + reader + ")"
}

// quitCancel cancels the payment through the machine, then quits
// (quitWhenCanceled); the reader picker, if open above it, closes.
func (f *Flow) quitCancel() tea.Cmd {
	p := f.payment
	if p == nil || p.sale.State.Final() {
		return f.leave()
	}
	f.quitting = true
	return tea.Batch(app.PopTo(p), p.step(pos.CancelRequested{At: f.deps.Now(), Reason: "abandoned"}),
		app.Say(app.ToneWarn, "Canceling the payment, then quitting… ctrl+c again quits at once (the sale stays open)."),
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
		return app.Say(app.ToneWarn, "The payment was approved before it could be canceled: it is kept. ctrl+c quits.")
	}
	return app.Say(app.ToneError, "The payment could not be canceled ("+stateWords(p.sale.State)+"): check it in Transactions before quitting.")
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
