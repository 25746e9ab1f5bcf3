package sale

import (
	"context"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kasse/pos"
	"kasse/ui/app"
	"kasse/ui/widgets"
)

// testCardPicker is the overlay that presents a test card (app.TestCards)
// (and, when the sale asked the reader for a tip, optionally a tip) on a
// simulated reader through Presenter.PresentCard. The payment itself
// learns the outcome from its next poll.
type testCardPicker struct {
	deps     *app.Deps
	cards    []app.TestCard
	saleID   string
	owner    pos.Account
	readerID string
	cursor   int
	// tipping: the sale's process_payment_intent asked for a tip
	// (tipping = true). Otherwise the reader shows no tip screen, a tip
	// cannot be presented, and the picker offers none.
	tipping bool
	tip     pos.DigitEntry
}

// presentedMsg answers PresentCard.
type presentedMsg struct {
	saleID    string
	card      app.TestCard
	tip       string
	err       error
	requestID string
}

func (m presentedMsg) text() string {
	if m.err != nil {
		return "Presenting " + m.card.Label + " failed: " + widgets.ErrText(m.err)
	}
	s := "Presented " + m.card.Label + " (…" + m.card.Last4() + ")"
	if m.tip != "" {
		s += " with a " + m.tip + " tip"
	}
	return s
}

func newTestCardPicker(deps *app.Deps, saleID string, owner pos.Account, readerID, currency string, tipping bool) *testCardPicker {
	return &testCardPicker{deps: deps, cards: app.TestCards(), saleID: saleID, owner: owner, readerID: readerID, tipping: tipping, tip: pos.NewDigitEntry(currency)}
}

// update handles a key; closed reports that the overlay is done.
func (t *testCardPicker) update(msg tea.KeyMsg) (cmd tea.Cmd, closed bool) {
	k := t.deps.Keys
	switch {
	case key.Matches(msg, k.Back):
		return nil, true
	case key.Matches(msg, k.Up):
		t.cursor = max(0, t.cursor-1)
	case key.Matches(msg, k.Down):
		t.cursor = min(len(t.cards)-1, t.cursor+1)
	case !t.tipping && (isDigitKey(msg) || key.Matches(msg, k.DeleteChar)):
	case isDigitKey(msg):
		t.tip = t.tip.Press(msg.Runes[0])
	case key.Matches(msg, k.DeleteChar):
		t.tip = t.tip.Backspace()
	case key.Matches(msg, k.Choose):
		return t.present(), true
	}
	return nil, false
}

func (t *testCardPicker) present() tea.Cmd {
	card := t.cards[t.cursor]
	tip, tipText := int64(0), ""
	if t.tipping && t.tip.Amount() > 0 {
		tip, tipText = t.tip.Amount(), t.tip.String()
	}
	p := t.deps.Presenter
	owner, readerID, saleID := t.owner, t.readerID, t.saleID
	key := t.deps.IdemKey("present")
	timeout := t.deps.Timeout
	return app.Timed(timeout, func(ctx context.Context) tea.Msg {
		r, err := p.PresentCard(ctx, owner, readerID, card.Number, tip, key)
		return presentedMsg{saleID: saleID, card: card, tip: tipText, err: err, requestID: r.RequestID}
	})
}

func (t *testCardPicker) view() string {
	st := t.deps.Styles
	var b strings.Builder
	b.WriteString(st.Title.Render("Present a test card") + "\n\n")
	for i, c := range t.cards {
		mark, text := widgets.RowStyle(st, i == t.cursor)
		b.WriteString(mark + text.Render(widgets.Cell(c.Label, 30)+" "+c.Number) + "\n")
	}
	if !t.tipping {
		b.WriteString("\n" + st.Muted.Render("No tip: tipping is off (tipping in the configuration)."))
		return st.Dialog.Render(b.String())
	}
	tip := st.Faint.Render("none")
	if !t.tip.Empty() {
		tip = st.Entry.Render(t.tip.String())
	}
	b.WriteString("\n" + st.Label.Render("Tip  ") + tip + st.FilterCursor.Render("▏") +
		st.Muted.Render("  (type digits)"))
	return st.Dialog.Render(b.String())
}

func (t *testCardPicker) shortHelp() []key.Binding {
	k := t.deps.Keys
	present := key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "present"))
	if !t.tipping {
		return []key.Binding{k.Up, k.Down, present, k.Back}
	}
	return []key.Binding{k.Up, k.Down, app.HelpOnly("0-9", "tip"), present, k.Back}
}
