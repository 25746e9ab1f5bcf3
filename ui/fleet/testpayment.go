package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kasse/pos"
	"kasse/readers"
)

// testTxnScreen runs a test payment through a reader: a seller, an amount
// (the smallest valid one by default) and, in sandbox and test mode, the
// test card to present and a tip. The authorization is voided afterwards.
// It reports pass or fail, the time from hand-off to the reader's result
// and the PaymentIntent.
type testTxnScreen struct {
	sh      *shared
	g       readers.LocationGroup
	r       pos.Reader
	sellers []pos.Seller // those that can take card payments

	form                      *form
	seller, amount, card, tip *field

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

func newTestTxnScreen(sh *shared, g readers.LocationGroup, r pos.Reader) *testTxnScreen {
	s := &testTxnScreen{sh: sh, g: g, r: r}
	var names []string
	pick := 0
	want, _ := sh.readerSeller(g)
	for _, x := range sh.sellers {
		if sellerBlock(x) == "" {
			if x.ID == want.ID {
				pick = len(s.sellers)
			}
			s.sellers = append(s.sellers, x)
			names = append(names, sellerName(x)+" ("+strings.ToUpper(x.Currency)+")")
		}
	}
	s.seller = choiceField("Seller", names, "the PaymentIntent is created on this seller")
	s.seller.choose(pick)
	s.amount = textField("Amount", 16, "")
	var cards []string
	for _, c := range testCards {
		cards = append(cards, c.label+" ··"+c.number[len(c.number)-4:])
	}
	s.card = choiceField("Test card", cards, "presented on the simulated reader")
	s.tip = textField("Tip", 16, "empty = no tip screen")
	s.card.hidden, s.tip.hidden = !sh.testKeys(), !sh.testKeys()
	s.form = newForm(s.seller, s.amount, s.card, s.tip)
	s.defaultAmount()
	return s
}

func (s *testTxnScreen) areaName() string { return areaTitle(AreaReaders) }

func (s *testTxnScreen) currentSeller() (pos.Seller, bool) {
	if len(s.sellers) == 0 {
		return pos.Seller{}, false
	}
	return s.sellers[s.seller.choice], true
}

// defaultAmount fills in the seller's smallest valid charge unless the
// technician typed an amount.
func (s *testTxnScreen) defaultAmount() {
	sel, ok := s.currentSeller()
	if !ok {
		return
	}
	min := pos.MinimumCharge(sel.Currency)
	s.amount.hint = "smallest valid: " + pos.Format(min, sel.Currency)
	if !s.amount.edited {
		s.amount.set(amountNum(min, sel.Currency))
	}
}

func (s *testTxnScreen) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case testTxnDoneMsg:
		if msg.seq != s.seq {
			return nil
		}
		s.running, s.err = false, msg.err
		res := msg.res
		s.res = &res
		return emit(readerOpMsg{id: s.r.ID, tone: testTone(res, msg.err), lines: []string{testLine(res, msg.err)}})
	case tea.KeyMsg:
		k := s.sh.keys
		switch {
		case key.Matches(msg, k.Back):
			return emit(backMsg{})
		case s.running:
		case key.Matches(msg, k.Submit):
			return s.submit()
		case s.form.key(msg):
			s.problem = ""
			s.defaultAmount()
		}
	}
	return nil
}

func testTone(res readers.TestResult, err error) tone {
	switch {
	case err != nil:
		return toneError
	case res.Passed:
		return toneOK
	}
	return toneWarn
}

func testLine(res readers.TestResult, err error) string {
	if err != nil {
		return "Test payment could not run: " + errText(err)
	}
	return res.Summary()
}

func (s *testTxnScreen) submit() tea.Cmd {
	sel, ok := s.currentSeller()
	if !ok {
		s.problem = "No seller that can take card payments is loaded: go back to the seller list and reload it."
		return nil
	}
	amount, err := pos.ParseAmount(s.amount.text(), sel.Currency)
	if err != nil {
		s.problem = "Amount: " + err.Error()
		s.form.focusOn(s.amount)
		return nil
	}
	p := readers.TestParams{Owner: s.r.Owner, ReaderID: s.r.ID, Seller: sel.ID, Amount: amount}
	if s.sh.testKeys() {
		p.Card = testCards[s.card.choice].number
		if t := s.tip.text(); t != "" {
			if p.Tip, err = pos.ParseAmount(t, sel.Currency); err != nil {
				s.problem = "Tip: " + err.Error()
				s.form.focusOn(s.tip)
				return nil
			}
		}
	}
	s.running, s.res, s.err, s.problem = true, nil, nil, ""
	s.seq = s.sh.nextSeq()
	seq, f := s.seq, s.sh.deps.Fleet
	timeout := testTxnTimeout + 2*s.sh.deps.Timeout
	return timed(timeout, func(ctx context.Context) tea.Msg {
		res, err := f.TestTransaction(ctx, p)
		return testTxnDoneMsg{seq: seq, res: res, err: err}
	})
}

func (s *testTxnScreen) title() string { return "Test payment on " + readerName(s.r) }

func (s *testTxnScreen) view(w, h int) string {
	st := s.sh.st
	var b strings.Builder
	b.WriteString(st.Title.Render(s.title()) + st.Muted.Render("  "+s.r.ID+" · "+orDash(readers.DeviceType(s.r))) + "\n")
	b.WriteString(st.Muted.Render("Authorizes and then voids the payment: no money moves.") + "\n\n")
	b.WriteString(s.form.view(st, w, 10) + "\n\n")
	if !s.sh.testKeys() {
		b.WriteString(st.Warning.Render("Live mode: tap a real card on the reader within 2 minutes.") + "\n")
	}
	switch {
	case s.running:
		b.WriteString(s.sh.spinner() + st.Muted.Render(" Waiting for the reader's result…"))
	case s.problem != "":
		b.WriteString(styledLines(st.Warning, s.problem, w))
	case s.err != nil:
		b.WriteString(st.Danger.Render(wrap("Test payment could not run: "+errText(s.err), w)))
	case s.res != nil:
		b.WriteString(s.resultView(*s.res, w))
	default:
		b.WriteString(st.Muted.Render("enter runs the test · esc goes back"))
	}
	return b.String()
}

func (s *testTxnScreen) resultView(r readers.TestResult, w int) string {
	st := s.sh.st
	verdict := st.Danger.Render("FAIL")
	if r.Passed {
		verdict = st.Success.Render("PASS")
	}
	var b strings.Builder
	b.WriteString(verdict + " " + st.Title.Render(string(r.Outcome)) + " " + st.Value.Render(pos.Format(r.Amount+r.Tip, orCur(r.Currency, "usd"))) + "\n")
	row := func(label, value string) { b.WriteString(cell(st.Label.Render(cell(label, 18))+value, w) + "\n") }
	if !r.HandOff.IsZero() {
		row("Hand-off → result", r.Elapsed.Round(time.Millisecond).String())
	}
	status := r.IntentStatus
	if r.Canceled {
		status += " (voided)"
	}
	row("Payment", orDash(r.IntentID)+st.Muted.Render(" · "+orDash(status)))
	if r.CardLast4 != "" {
		card := "····" + r.CardLast4
		if r.Simulated {
			card += " (simulated)"
		}
		row("Card", card)
	}
	wrapped := func(label, value string) { b.WriteString(wrapText(st.Label.Render(cell(label, 18))+value, w) + "\n") }
	if r.DeclineCode != "" || r.FailureCode != "" {
		wrapped("Why", st.Warning.Render(strings.TrimSpace(r.FailureCode+" "+r.DeclineCode))+" "+r.FailureMessage)
	}
	if r.CancelError != "" {
		wrapped("Void", st.Warning.Render(r.CancelError))
	}
	for _, n := range r.Notes {
		row("Note", n)
	}
	b.WriteString(st.Muted.Render(fmt.Sprintf("enter runs it again · esc goes back to %s", readerName(s.r))))
	return b.String()
}

func (s *testTxnScreen) loading() bool      { return s.running }
func (s *testTxnScreen) capturesText() bool { return true }

func (s *testTxnScreen) shortHelp() []key.Binding {
	k := s.sh.keys
	if s.running {
		return []key.Binding{k.Back}
	}
	return []key.Binding{k.Fields, k.Cycle, k.Submit, k.Back}
}

func (s *testTxnScreen) fullHelp() [][]key.Binding { return [][]key.Binding{s.sh.keys.formHelp()} }
