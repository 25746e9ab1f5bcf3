package ui

import (
	"context"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kasse/pos"
)

// testCard is one of Stripe's card_present test cards.
type testCard struct {
	number string
	label  string
}

// testCards are the cards the picker offers (Stripe's Terminal testing
// page): one approval and the common refusals.
var testCards = []testCard{
	{"4242424242424242", "Visa · approved"},
	{"4000000000000002", "Declined · card_declined"},
	{"4000000000009995", "Declined · insufficient_funds"},
	{"4000000000009987", "Declined · lost_card"},
	{"4000000000009979", "Declined · stolen_card"},
	{"4000000000000069", "Declined · expired_card"},
	{"4000000000000119", "Declined · processing_error"},
}

// testCardPicker is the overlay that presents a test card (and, when the
// sale asked the reader for a tip, optionally a tip) on a simulated reader
// through Presenter.PresentCard. The payment itself learns the outcome
// from its next poll.
type testCardPicker struct {
	sh       *shared
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
	card      testCard
	tip       string
	err       error
	requestID string
}

func (m presentedMsg) text() string {
	if m.err != nil {
		return "Presenting " + m.card.label + " failed: " + errText(m.err)
	}
	s := "Presented " + m.card.label + " (…" + m.card.number[len(m.card.number)-4:] + ")"
	if m.tip != "" {
		s += " with a " + m.tip + " tip"
	}
	return s
}

func newTestCardPicker(sh *shared, saleID string, owner pos.Account, readerID, currency string, tipping bool) *testCardPicker {
	return &testCardPicker{sh: sh, saleID: saleID, owner: owner, readerID: readerID, tipping: tipping, tip: pos.NewDigitEntry(currency)}
}

// update handles a key; closed reports that the overlay is done.
func (t *testCardPicker) update(msg tea.KeyMsg) (cmd tea.Cmd, closed bool) {
	k := t.sh.keys
	switch {
	case key.Matches(msg, k.Back):
		return nil, true
	case key.Matches(msg, k.Up):
		t.cursor = max(0, t.cursor-1)
	case key.Matches(msg, k.Down):
		t.cursor = min(len(testCards)-1, t.cursor+1)
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
	card := testCards[t.cursor]
	tip, tipText := int64(0), ""
	if t.tipping && t.tip.Amount() > 0 {
		tip, tipText = t.tip.Amount(), t.tip.String()
	}
	p := t.sh.deps.Presenter
	owner, readerID, saleID := t.owner, t.readerID, t.saleID
	key := t.sh.idemKey("present")
	timeout := t.sh.deps.Timeout
	return timed(timeout, func(ctx context.Context) tea.Msg {
		r, err := p.PresentCard(ctx, owner, readerID, card.number, tip, key)
		return presentedMsg{saleID: saleID, card: card, tip: tipText, err: err, requestID: r.RequestID}
	})
}

func (t *testCardPicker) view() string {
	st := t.sh.st
	var b strings.Builder
	b.WriteString(st.Title.Render("Present a test card") + "\n\n")
	for i, c := range testCards {
		mark, text := rowStyle(st, i == t.cursor)
		b.WriteString(mark + text.Render(cell(c.label, 30)+" "+c.number) + "\n")
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
	k := t.sh.keys
	present := key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "present"))
	if !t.tipping {
		return []key.Binding{k.Up, k.Down, present, k.Back}
	}
	return []key.Binding{k.Up, k.Down, helpOnly("0-9", "tip"), present, k.Back}
}
