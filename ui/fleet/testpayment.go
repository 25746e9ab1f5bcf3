package fleet

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kasse/pos"
	"kasse/readers"
	"kasse/ui/app"
	"kasse/ui/widgets"
)

// testTxnScreen runs a test payment through a reader: a seller, an amount
// (the smallest valid one by default) and, in sandbox and test mode, the
// test card to present and a tip. The authorization is voided afterwards.
// It reports pass or fail, the time from hand-off to the reader's result
// and the PaymentIntent.
type testTxnScreen struct {
	deps    *app.Deps
	sess    *app.Session
	g       readers.LocationGroup
	r       pos.Reader
	sellers []pos.Seller   // those that can take card payments
	cards   []app.TestCard // offered on test keys

	form                      *widgets.Form
	seller, amount, card, tip *widgets.Field

	running bool
	seq     int
	res     *readers.TestResult
	err     error
	problem string
}

type testTxnDoneMsg struct {
	seq int
	res readers.TestResult
	err error
}

// testTxnTimeout bounds a test payment's wait for a person to tap a card.
const testTxnTimeout = 2 * time.Minute

func newTestTxnScreen(deps *app.Deps, sess *app.Session, g readers.LocationGroup, r pos.Reader) *testTxnScreen {
	s := &testTxnScreen{deps: deps, sess: sess, g: g, r: r, cards: app.TestCards()}
	var names []string
	pick := 0
	want, _ := readerSeller(sess, g)
	for _, x := range sess.Sellers {
		if widgets.SellerBlock(x) == "" {
			if x.ID == want.ID {
				pick = len(s.sellers)
			}
			s.sellers = append(s.sellers, x)
			names = append(names, widgets.SellerName(x)+" ("+strings.ToUpper(x.Currency)+")")
		}
	}
	s.seller = widgets.ChoiceField("Seller", names, "the PaymentIntent is created on this seller")
	s.seller.Choose(pick)
	s.amount = widgets.TextField("Amount", 16, "")
	var cards []string
	for _, c := range s.cards {
		cards = append(cards, c.Label+" ··"+c.Last4())
	}
	s.card = widgets.ChoiceField("Test card", cards, "presented on the simulated reader")
	s.tip = widgets.TextField("Tip", 16, "empty = no tip screen")
	s.card.Hidden, s.tip.Hidden = !deps.TestKeys(), !deps.TestKeys()
	s.form = widgets.NewForm(s.seller, s.amount, s.card, s.tip)
	s.defaultAmount()
	return s
}

func (s *testTxnScreen) Area() string { return app.AreaTitle(app.AreaReaders) }

func (s *testTxnScreen) currentSeller() (pos.Seller, bool) {
	if len(s.sellers) == 0 {
		return pos.Seller{}, false
	}
	return s.sellers[s.seller.Choice], true
}

// defaultAmount fills in the seller's smallest valid charge unless the
// technician typed an amount.
func (s *testTxnScreen) defaultAmount() {
	sel, ok := s.currentSeller()
	if !ok {
		return
	}
	min := pos.MinimumCharge(sel.Currency)
	s.amount.Hint = "smallest valid: " + pos.Format(min, sel.Currency)
	if !s.amount.Edited {
		s.amount.Set(widgets.AmountNum(min, sel.Currency))
	}
}

func (s *testTxnScreen) Init() tea.Cmd { return nil }

func (s *testTxnScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case testTxnDoneMsg:
		if msg.seq != s.seq {
			return nil
		}
		s.running, s.err = false, msg.err
		res := msg.res
		s.res = &res
		return app.Emit(readerOpMsg{id: s.r.ID, tone: testTone(res, msg.err), lines: []string{testLine(res, msg.err)}})
	case tea.KeyMsg:
		k := s.deps.Keys
		switch {
		case key.Matches(msg, k.Back):
			return app.Pop()
		case s.running:
		case key.Matches(msg, k.Submit):
			return s.submit()
		case s.form.Key(msg):
			s.problem = ""
			s.defaultAmount()
		}
	}
	return nil
}

func testTone(res readers.TestResult, err error) app.Tone {
	switch {
	case err != nil:
		return app.ToneError
	case res.Passed:
		return app.ToneOK
	}
	return app.ToneWarn
}

func testLine(res readers.TestResult, err error) string {
	if err != nil {
		return "Test payment could not run: " + widgets.ErrText(err)
	}
	return res.Summary()
}

func (s *testTxnScreen) submit() tea.Cmd {
	sel, ok := s.currentSeller()
	if !ok {
		s.problem = "No seller that can take card payments is loaded: go back to the seller list and reload it."
		return nil
	}
	amount, err := pos.ParseAmount(s.amount.Text(), sel.Currency)
	if err != nil {
		s.problem = "Amount: " + err.Error()
		s.form.FocusOn(s.amount)
		return nil
	}
	p := readers.TestParams{Owner: s.r.Owner, ReaderID: s.r.ID, Seller: sel.ID, Amount: amount}
	if s.deps.TestKeys() {
		p.Card = s.cards[s.card.Choice].Number
		if t := s.tip.Text(); t != "" {
			if p.Tip, err = pos.ParseAmount(t, sel.Currency); err != nil {
				s.problem = "Tip: " + err.Error()
				s.form.FocusOn(s.tip)
				return nil
			}
		}
	}
	s.running, s.res, s.err, s.problem = true, nil, nil, ""
	s.seq = s.sess.NextSeq()
	seq, f := s.seq, s.deps.Fleet
	timeout := testTxnTimeout + 2*s.deps.Timeout
	return app.Timed(timeout, func(ctx context.Context) tea.Msg {
		res, err := f.TestTransaction(ctx, p)
		return testTxnDoneMsg{seq: seq, res: res, err: err}
	})
}

func (s *testTxnScreen) Title() string { return "Test payment on " + widgets.ReaderName(s.r) }

func (s *testTxnScreen) View(w, h int) string {
	st := s.deps.Styles
	var b strings.Builder
	b.WriteString(st.Title.Render(s.Title()) + st.Muted.Render("  "+s.r.ID+" · "+widgets.OrDash(readers.DeviceType(s.r))) + "\n")
	b.WriteString(st.Muted.Render("Authorizes and then voids the payment: no money moves.") + "\n\n")
	b.WriteString(s.form.View(st, w, 10) + "\n\n")
	if !s.deps.TestKeys() {
		b.WriteString(st.Warning.Render("Live mode: tap a real card on the reader within 2 minutes.") + "\n")
	}
	switch {
	case s.running:
		b.WriteString(s.deps.Spinner(s.sess) + st.Muted.Render(" Waiting for the reader's result…"))
	case s.problem != "":
		b.WriteString(widgets.StyledLines(st.Warning, s.problem, w))
	case s.err != nil:
		b.WriteString(st.Danger.Render(widgets.Wrap("Test payment could not run: "+widgets.ErrText(s.err), w)))
	case s.res != nil:
		b.WriteString(s.resultView(*s.res, w))
	default:
		b.WriteString(st.Muted.Render("enter runs the test · esc goes back"))
	}
	return b.String()
}

func (s *testTxnScreen) resultView(r readers.TestResult, w int) string {
	st := s.deps.Styles
	verdict := st.Danger.Render("FAIL")
	if r.Passed {
		verdict = st.Success.Render("PASS")
	}
	cur := r.Currency
	if cur == "" {
		cur = "usd"
	}
	var b strings.Builder
	b.WriteString(verdict + " " + st.Title.Render(string(r.Outcome)) + " " + st.Value.Render(pos.Format(r.Amount+r.Tip, cur)) + "\n")
	row := func(label, value string) {
		b.WriteString(widgets.Cell(st.Label.Render(widgets.Cell(label, 18))+value, w) + "\n")
	}
	if !r.HandOff.IsZero() {
		row("Hand-off → result", r.Elapsed.Round(time.Millisecond).String())
	}
	status := r.IntentStatus
	if r.Canceled {
		status += " (voided)"
	}
	row("Payment", widgets.OrDash(r.IntentID)+st.Muted.Render(" · "+widgets.OrDash(status)))
	if r.CardLast4 != "" {
		card := "····" + r.CardLast4
		if r.Simulated {
			card += " (simulated)"
		}
		row("Card", card)
	}
	wrapped := func(label, value string) {
		b.WriteString(widgets.WrapText(st.Label.Render(widgets.Cell(label, 18))+value, w) + "\n")
	}
	if r.DeclineCode != "" || r.FailureCode != "" {
		wrapped("Why", st.Warning.Render(strings.TrimSpace(r.FailureCode+" "+r.DeclineCode))+" "+r.FailureMessage)
	}
	if r.CancelError != "" {
		wrapped("Void", st.Warning.Render(r.CancelError))
	}
	for _, n := range r.Notes {
		row("Note", n)
	}
	b.WriteString(st.Muted.Render(fmt.Sprintf("enter runs it again · esc goes back to %s", widgets.ReaderName(s.r))))
	return b.String()
}

func (s *testTxnScreen) Loading() bool      { return s.running }
func (s *testTxnScreen) CapturesText() bool { return true }

func (s *testTxnScreen) ShortHelp() []key.Binding {
	k := s.deps.Keys
	if s.running {
		return []key.Binding{k.Back}
	}
	return []key.Binding{k.Fields, k.Cycle, k.Submit, k.Back}
}

func (s *testTxnScreen) FullHelp() [][]key.Binding { return [][]key.Binding{s.deps.Keys.FormHelp()} }

// MinSize: the form's fields, a line of outcome and the keys.
func (s *testTxnScreen) MinSize() (int, int) { return 64, app.BodyLines(14) }
