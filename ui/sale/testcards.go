package sale

import (
	"context"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kasse/i18n"
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
	sess     *app.Session
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
	tip       int64
	currency  string
	err       error
	requestID string
}

func (m presentedMsg) text(loc *i18n.Locale) string {
	card := m.card.Label(loc)
	switch {
	case m.err != nil:
		return loc.T("sale.testcard.failed", i18n.Args{"Card": card, "Error": widgets.ErrText(loc, m.err)})
	case m.tip > 0:
		return loc.T("sale.testcard.presented_tip", i18n.Args{"Card": card, "Last4": m.card.Last4(),
			"Tip": i18n.Money{Amount: m.tip, Currency: m.currency}})
	}
	return loc.T("sale.testcard.presented", i18n.Args{"Card": card, "Last4": m.card.Last4()})
}

func newTestCardPicker(deps *app.Deps, sess *app.Session, saleID string, owner pos.Account, readerID, currency string, tipping bool) *testCardPicker {
	return &testCardPicker{deps: deps, sess: sess, cards: app.SaleTestCards(), saleID: saleID, owner: owner, readerID: readerID, tipping: tipping,
		tip: pos.NewDigitEntry(currency).WithSeparator(sess.Loc.DecimalSeparator())}
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
	case !t.tipping && (isEntryKey(msg) || key.Matches(msg, k.DeleteChar)):
	case isEntryKey(msg):
		t.tip = t.tip.Press(msg.Runes[0])
	case key.Matches(msg, k.DeleteChar):
		t.tip = t.tip.Backspace()
	case key.Matches(msg, k.Choose):
		if t.tipping && t.tip.Held() != "" {
			return nil, false // a refused key is on screen: taken back first, never charged as something else
		}
		return t.present(), true
	}
	return nil, false
}

func (t *testCardPicker) present() tea.Cmd {
	card := t.cards[t.cursor]
	tip := int64(0)
	if t.tipping && t.tip.Amount() > 0 {
		tip = t.tip.Amount()
	}
	p := t.deps.Presenter
	owner, readerID, saleID, cur := t.owner, t.readerID, t.saleID, t.tip.Currency()
	key := t.deps.IdemKey("present") // i18n:ok an idempotency key purpose
	timeout := t.deps.Timeout
	return app.Timed(timeout, func(ctx context.Context) tea.Msg {
		r, err := p.PresentCard(ctx, owner, readerID, card.Number, tip, key)
		return presentedMsg{saleID: saleID, card: card, tip: tip, currency: cur, err: err, requestID: r.RequestID}
	})
}

func (t *testCardPicker) view() string {
	st, loc := t.deps.Styles, t.sess.Loc
	var b strings.Builder
	b.WriteString(st.Title.Render(loc.T("sale.testcard.title")) + "\n\n")
	for i, c := range t.cards {
		mark, text := widgets.RowStyle(st, i == t.cursor)
		b.WriteString(mark + text.Render(widgets.Cell(c.Label(loc), 30)+" "+c.Number) + "\n")
	}
	if !t.tipping {
		b.WriteString("\n" + st.Muted.Render(loc.T("sale.testcard.no_tip")))
		return st.Dialog.Render(b.String())
	}
	tip := st.Faint.Render(loc.T("sale.testcard.tip_none"))
	if !t.tip.Empty() {
		tip = st.Entry.Render(loc.Money(t.tip.Amount(), t.tip.Currency()))
	}
	b.WriteString("\n" + st.Label.Render(loc.T("sale.testcard.tip")+"  ") + tip + st.FilterCursor.Render("▏") +
		st.Muted.Render("  "+loc.T("sale.testcard.tip_hint")))
	if held := heldText(t.deps.Ink(t.sess), loc, t.tip); held != "" {
		b.WriteString("\n" + held)
	}
	return st.Dialog.Render(b.String())
}

func (t *testCardPicker) shortHelp() []key.Binding {
	k := t.deps.Keys
	present := key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "key.present"))
	if !t.tipping {
		return []key.Binding{k.Up, k.Down, present, k.Back}
	}
	return []key.Binding{k.Up, k.Down, app.HelpOnly("0-9", "key.tip"), present, k.Back}
}
