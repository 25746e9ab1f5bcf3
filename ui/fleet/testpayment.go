package fleet

import (
	"context"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kasse/i18n"
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
		if !widgets.Blocked(x) {
			if x.ID == want.ID {
				pick = len(s.sellers)
			}
			s.sellers = append(s.sellers, x)
			names = append(names, widgets.SellerName(x)+" ("+strings.ToUpper(x.Currency)+")")
		}
	}
	t := sess.T
	s.seller = widgets.ChoiceField(t("office.seller"), names, t("fleet.test.seller_hint"))
	s.seller.Choose(pick)
	s.amount = widgets.TextField(t("office.tx.col_amount"), 16, "")
	var cards []string
	for _, c := range s.cards {
		cards = append(cards, c.Label(sess.Loc)+" ··"+c.Last4())
	}
	s.card = widgets.ChoiceField(t("fleet.test.card"), cards, t("fleet.test.card_hint"))
	s.tip = widgets.TextField(t("sale.testcard.tip"), 16, t("fleet.test.tip_hint"))
	s.card.Hidden, s.tip.Hidden = !deps.TestKeys(), !deps.TestKeys()
	s.form = widgets.NewForm(s.seller, s.amount, s.card, s.tip)
	s.defaultAmount()
	return s
}

func (s *testTxnScreen) Area() string { return app.AreaTitle(s.sess.Loc, app.AreaReaders) }

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
	s.amount.Hint = s.sess.T("fleet.test.smallest", i18n.Args{"Amount": i18n.Money{Amount: min, Currency: sel.Currency}})
	if !s.amount.Edited {
		s.amount.Set(s.sess.Loc.AmountInput(min, sel.Currency))
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
		return app.Emit(readerOpMsg{id: s.r.ID, tone: testTone(res, msg.err), lines: []string{testLine(s.sess.Loc, res, msg.err)}})
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

func testLine(loc *i18n.Locale, res readers.TestResult, err error) string {
	if err != nil {
		return loc.T("fleet.test.could_not_run", i18n.Args{"Error": widgets.ErrText(loc, err)})
	}
	return res.SummaryIn(loc)
}

func (s *testTxnScreen) submit() tea.Cmd {
	sel, ok := s.currentSeller()
	loc := s.sess.Loc
	if !ok {
		s.problem = loc.T("fleet.test.no_seller")
		return nil
	}
	amount, err := loc.ParseAmount(s.amount.Text(), sel.Currency)
	if err != nil {
		s.problem = loc.T("fleet.test.bad_amount", i18n.Args{"Error": err})
		s.form.FocusOn(s.amount)
		return nil
	}
	p := readers.TestParams{Owner: s.r.Owner, ReaderID: s.r.ID, Seller: sel.ID, Amount: amount}
	if s.deps.TestKeys() {
		p.Card = s.cards[s.card.Choice].Number
		if t := s.tip.Text(); t != "" {
			if p.Tip, err = loc.ParseAmount(t, sel.Currency); err != nil {
				s.problem = loc.T("fleet.test.bad_tip", i18n.Args{"Error": err})
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

func (s *testTxnScreen) Title() string {
	return s.sess.T("fleet.test.title", i18n.Args{"Reader": widgets.ReaderName(s.r)})
}

func (s *testTxnScreen) View(w, h int) string {
	st, sess := s.deps.Styles, s.sess
	var b strings.Builder
	b.WriteString(st.Title.Render(s.Title()) + st.Muted.Render("  "+s.r.ID+" · "+widgets.OrDash(readers.DeviceType(s.r))) + "\n")
	b.WriteString(st.Muted.Render(sess.T("fleet.test.intro")) + "\n\n")
	b.WriteString(s.form.View(st, w, 10) + "\n\n")
	if !s.deps.TestKeys() {
		b.WriteString(st.Warning.Render(sess.T("fleet.test.live")) + "\n")
	}
	switch {
	case s.running:
		b.WriteString(s.deps.Spinner(s.sess) + st.Muted.Render(" "+sess.T("fleet.test.waiting")))
	case s.problem != "":
		b.WriteString(widgets.StyledLines(st.Warning, s.problem, w))
	case s.err != nil:
		b.WriteString(st.Danger.Render(widgets.Wrap(testLine(sess.Loc, readers.TestResult{}, s.err), w)))
	case s.res != nil:
		b.WriteString(s.resultView(*s.res, w))
	default:
		b.WriteString(st.Muted.Render(sess.T("fleet.test.hint")))
	}
	return b.String()
}

func (s *testTxnScreen) resultView(r readers.TestResult, w int) string {
	st, sess := s.deps.Styles, s.sess
	verdict := st.Danger.Render(sess.T("fleet.test.fail"))
	if r.Passed {
		verdict = st.Success.Render(sess.T("fleet.test.pass"))
	}
	cur := r.Currency
	if cur == "" {
		cur = "usd" // i18n:ok a currency code
	}
	var b strings.Builder
	b.WriteString(verdict + " " + st.Title.Render(string(r.Outcome)) + " " + st.Value.Render(sess.Money(r.Amount+r.Tip, cur)) + "\n")
	row := func(label, value string) {
		b.WriteString(widgets.Cell(st.Label.Render(widgets.Cell(label, 18))+value, w) + "\n")
	}
	if !r.HandOff.IsZero() {
		row(sess.T("fleet.test.handoff"), r.Elapsed.Round(time.Millisecond).String())
	}
	status := r.IntentStatus
	if r.Canceled {
		status = sess.T("fleet.test.voided", i18n.Args{"Status": status})
	}
	row(sess.T("office.tx.col_payment"), widgets.OrDash(r.IntentID)+st.Muted.Render(" · "+widgets.OrDash(status)))
	if r.CardLast4 != "" {
		card := "····" + r.CardLast4
		if r.Simulated {
			card = sess.T("fleet.test.simulated", i18n.Args{"Card": card})
		}
		row(sess.T("office.tx.col_card"), card)
	}
	wrapped := func(label, value string) {
		b.WriteString(widgets.WrapText(st.Label.Render(widgets.Cell(label, 18))+value, w) + "\n")
	}
	if r.DeclineCode != "" || r.FailureCode != "" {
		wrapped(sess.T("fleet.test.why"), st.Warning.Render(strings.TrimSpace(r.FailureCode+" "+r.DeclineCode))+" "+r.FailureMessage)
	}
	if r.CancelFailure != nil {
		wrapped(sess.T("fleet.test.void"), st.Warning.Render(sess.Loc.Err(r.CancelFailure)))
	}
	for _, n := range r.NoteMsgs {
		row(sess.T("fleet.test.note"), sess.Loc.Render(n))
	}
	b.WriteString(st.Muted.Render(sess.T("fleet.test.again", i18n.Args{"Reader": widgets.ReaderName(s.r)})))
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
