package ui

import (
	"context"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"kasse/pos"
)

// Quitting. With a payment under way, ctrl+c asks: cancel it (the reader
// first, compare before cancel, then the intent) and quit once it is
// canceled; keep it open and quit (the next start offers it again); or
// stay. Without one, the console takes its cart off the reader it showed
// it on (only while the reader still shows that cart) and quits.

// quitClearTimeout bounds taking the cart off the reader on the way out.
const quitClearTimeout = 3 * time.Second

type (
	// quitCancelMsg: cancel the payment, then quit.
	quitCancelMsg struct{}
	// quitKeepMsg: quit and leave the payment open.
	quitKeepMsg struct{}
	// quitNowMsg: the way out is clear.
	quitNowMsg struct{}
)

// quit answers ctrl+c.
func (m *Model) quit() tea.Cmd {
	switch {
	case m.quitting || m.leaving:
		// Pressed again while canceling (or clearing the reader) on the way
		// out: leave now. The journal keeps the sale; the next start offers
		// or settles it.
		return tea.Quit
	case m.payment != nil && !m.payment.sale.State.Final():
		m.dialog = m.quitDialog(m.payment)
		return nil
	}
	return m.leave()
}

func (m *Model) quitDialog(p *paymentScreen) *dialog {
	k := m.sh.keys
	s := p.sale
	what := pos.Format(s.Amount, s.Currency) + " at " + sellerName(p.seller) + " is " + saleDoing(s, readerName(p.reader)) + "."
	cancel := "cancel it (the reader first, if it still shows it), then quit"
	if s.State == pos.SaleRequiresCapture {
		cancel = "void the authorization, then quit"
	}
	return &dialog{
		title: "Quit while a payment is under way?",
		lines: []string{what},
		choices: []choice{
			{key: k.QuitCancel, msg: quitCancelMsg{}, text: cancel},
			{key: k.QuitKeep, msg: quitKeepMsg{}, text: "keep it open and quit: the next start offers it again"},
			{key: k.Stay, text: "stay"},
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

// navigateQuit handles the quit messages; ok reports whether msg was one.
func (m *Model) navigateQuit(msg tea.Msg) (tea.Cmd, bool) {
	switch msg.(type) {
	case quitCancelMsg:
		p := m.payment
		if p == nil || p.sale.State.Final() {
			return m.leave(), true
		}
		m.quitting = true
		if m.switching { // the reader picker was open over the payment
			m.switching = false
			m.active = scrPayment
		}
		return tea.Batch(p.step(pos.CancelRequested{At: m.sh.deps.Now(), Reason: "abandoned"}),
			say(toneWarn, "Canceling the payment, then quitting… ctrl+c again quits at once (the sale stays open)."),
		), true
	case quitKeepMsg:
		return tea.Quit, true
	case quitNowMsg:
		return tea.Quit, true
	}
	return nil, false
}

// quitWhenCanceled ends a quit that waits for the payment's cancel: quit
// once it is canceled; stay, and say why, when it ended otherwise.
func (m *Model) quitWhenCanceled() tea.Cmd {
	if !m.quitting {
		return nil
	}
	p := m.payment
	if p != nil && (!p.sale.State.Final() || p.sale.Pending.Active()) {
		return nil
	}
	m.quitting = false
	switch {
	case p != nil && p.sale.State == pos.SaleCanceled:
		return tea.Quit
	case p == nil || p.sale.State == pos.SaleApproved:
		return say(toneWarn, "The payment was approved before it could be canceled: it is kept. ctrl+c quits.")
	}
	return say(toneError, "The payment could not be canceled ("+stateWords(p.sale.State)+"): check it in Transactions before quitting.")
}

// leave quits, first taking this console's cart off the reader it was
// shown on (compare before clear, bounded by quitClearTimeout).
func (m *Model) leave() tea.Cmd {
	r := m.register
	if r == nil || r.sale.State != pos.SaleDraft || r.sale.Displays == 0 {
		return tea.Quit
	}
	var effs []pos.Effect
	r.sale, effs = pos.Step(r.sale, pos.CancelRequested{At: m.sh.deps.Now()})
	if len(effs) == 0 {
		return tea.Quit
	}
	m.leaving = true
	runner := m.sh.deps.Runner
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), quitClearTimeout)
		defer cancel()
		_, _ = runner.Run(ctx, effs) // best effort: the display is not money
		return quitNowMsg{}
	}
}
