package office

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kasse/pos"
	"kasse/reports"
	"kasse/supervisor"
	"kasse/ui/app"
	"kasse/ui/widgets"
)

// moneyScreen moves money on one payment: a refund (full or partial, with
// a reason), a capture or a void. Each asks for the operator's PIN, which
// goes into the request and is cleared from the form at once. Amounts are
// checked (pos.ParseAmount, pos.ValidateRefund) before any request.
type moneyScreen struct {
	deps *app.Deps
	sess *app.Session
	act  moneyAction
	row  reports.Row
	d    reports.Detail

	form                         *widgets.Form
	amount, reason, why, op, pin *widgets.Field
	widgets.Request              // the refund, capture or void sent
	problem                      string
	done                         bool
	result                       string
}

type moneyAction int

const (
	actRefund moneyAction = iota
	actCapture
	actVoid
)

func (a moneyAction) verb() string {
	return [...]string{"Refund", "Capture", "Void"}[a]
}

// voidReasons are Stripe's cancellation reasons a supervisor may give.
func voidReasons() []string {
	return []string{"requested_by_customer", "duplicate", "fraudulent", "abandoned"}
}

// moneyDoneMsg answers Supervisor.Refund, Capture or Void.
type moneyDoneMsg struct {
	seq    int
	refund supervisor.RefundResult
	auth   supervisor.AuthorizationResult
	err    error
}

func newMoneyScreen(deps *app.Deps, sess *app.Session, act moneyAction, row reports.Row, d reports.Detail) *moneyScreen {
	s := &moneyScreen{deps: deps, sess: sess, act: act, row: row, d: d}
	s.amount = widgets.TextField("Amount", 16, "")
	s.why = widgets.TextField("Why", 200, "optional, for the audit log")
	s.op = widgets.TextField("Operator", 64, "")
	s.op.Set(sess.Approver)
	s.pin = widgets.PINField()
	s.amountHint()
	switch act {
	case actRefund:
		var rs []string
		for _, r := range pos.RefundReasons() {
			rs = append(rs, string(r))
		}
		s.reason = widgets.ChoiceField("Reason", rs, "")
		s.form = widgets.NewForm(s.amount, s.reason, s.why, s.op, s.pin)
	case actCapture:
		s.form = widgets.NewForm(s.amount, s.why, s.op, s.pin)
	case actVoid:
		s.reason = widgets.ChoiceField("Reason", voidReasons(), "")
		s.form = widgets.NewForm(s.reason, s.why, s.op, s.pin)
	}
	return s
}

func (s *moneyScreen) Area() string { return app.AreaTitle(app.AreaTransactions) }

func (s *moneyScreen) Init() tea.Cmd { return nil }

func (s *moneyScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case moneyDoneMsg:
		if !s.Answered(msg.seq, msg.err) {
			return nil
		}
		if msg.err != nil {
			s.form.FocusOn(s.pin)
			s.result = ""
			if msg.refund.ID != "" || msg.refund.State != "" {
				s.result = s.resultText(msg) // the refund exists, its outcome is not settled
			}
			return nil
		}
		s.done, s.sess.MoneyMoved = true, true
		s.result = s.resultText(msg)
		return app.Say(app.ToneOK, s.result)
	case tea.KeyMsg:
		k := s.deps.Keys
		switch {
		case s.done:
			if key.Matches(msg, k.Back, k.Choose) {
				return app.Pop()
			}
		case key.Matches(msg, k.Back):
			s.pin.Value = ""
			return app.Pop()
		case s.Busy:
		case key.Matches(msg, k.Submit):
			return s.submit()
		case s.form.Key(msg):
			s.problem = ""
			s.amountHint()
		}
	}
	return nil
}

// amountHint says what the typed amount means, or what an empty one does.
func (s *moneyScreen) amountHint() {
	cur := s.d.Intent.Currency
	t := s.amount.Text()
	switch {
	case t == "" && s.act == actRefund:
		s.amount.Hint = "empty = all " + pos.Format(s.d.Refundable, cur) + " still refundable"
	case t == "":
		s.amount.Hint = "empty = all " + pos.Format(s.d.Intent.AmountCapturable, cur) + " authorized"
	default:
		if a, err := pos.ParseAmount(t, cur); err == nil {
			s.amount.Hint = "= " + pos.Format(a, cur)
		} else {
			s.amount.Hint = err.Error()
		}
	}
}

// submit validates everything locally, then sends one request. The PIN is
// cleared from the form whatever happens.
func (s *moneyScreen) submit() tea.Cmd {
	pin := s.pin.Value
	s.pin.Value = ""
	s.Err = nil
	cur := s.d.Intent.Currency
	var amount int64
	if s.act != actVoid && s.amount.Text() != "" {
		a, err := pos.ParseAmount(s.amount.Text(), cur)
		if err == nil && a == 0 {
			err = errors.New("type an amount above zero, or leave it empty for the whole amount")
		}
		if err != nil {
			return s.refuse(s.amount, err.Error())
		}
		amount = a
	}
	switch s.act {
	case actRefund:
		send, err := pos.ValidateRefund(amount, s.d.Refundable, cur)
		if err != nil {
			return s.refuse(s.amount, err.Error())
		}
		amount = send
	case actCapture:
		if amount > s.d.Intent.AmountCapturable {
			return s.refuse(s.amount, fmt.Sprintf("capture %s exceeds the %s authorized", pos.Format(amount, cur),
				pos.Format(s.d.Intent.AmountCapturable, cur)))
		}
	}
	op := s.op.Text()
	switch {
	case op == "":
		return s.refuse(s.op, "Type the operator's name.")
	case pin == "":
		return s.refuse(s.pin, "Type the PIN.")
	}
	s.problem = ""
	seq, sv, act, timeout := s.Begin(s.sess), s.deps.Supervisor, s.act, 3*s.deps.Timeout
	why := s.why.Text()
	seller, id := s.row.Seller, s.d.Intent.ID
	reason := ""
	if s.reason != nil {
		reason = s.reason.Options[s.reason.Choice]
	}
	return app.Timed(timeout, func(ctx context.Context) tea.Msg {
		out := moneyDoneMsg{seq: seq}
		switch act {
		case actRefund:
			out.refund, out.err = sv.Refund(ctx, supervisor.RefundRequest{Seller: seller, IntentID: id, Amount: amount,
				Reason: pos.RefundReason(reason), Operator: op, PIN: supervisor.PIN(pin), Why: why})
		case actCapture:
			out.auth, out.err = sv.Capture(ctx, supervisor.AuthorizationRequest{Seller: seller, IntentID: id, Amount: amount,
				Operator: op, PIN: supervisor.PIN(pin), Why: why})
		case actVoid:
			out.auth, out.err = sv.Void(ctx, supervisor.AuthorizationRequest{Seller: seller, IntentID: id, Reason: reason,
				Operator: op, PIN: supervisor.PIN(pin), Why: why})
		}
		return out
	})
}

func (s *moneyScreen) refuse(f *widgets.Field, problem string) tea.Cmd {
	s.problem = problem
	s.form.FocusOn(f)
	return nil
}

func (s *moneyScreen) resultText(m moneyDoneMsg) string {
	cur := s.d.Intent.Currency
	switch s.act {
	case actRefund:
		r := m.refund
		c := orCur(r.Currency, cur)
		id := r.RefundID
		if id == "" {
			id = r.ID
		}
		status := r.Status
		if status == "" {
			status = string(r.State)
		}
		out := fmt.Sprintf("Refund %s %s: %s. Still refundable: %s.", widgets.OrDash(id), widgets.OrDash(status),
			pos.Format(r.Amount, c), pos.Format(r.Remaining, c))
		for _, n := range []string{r.Notice, r.Warning} {
			if n != "" {
				out += " " + n + "."
			}
		}
		return out
	case actCapture:
		return fmt.Sprintf("Captured %s on %s (%s).", pos.Format(m.auth.Amount, orCur(m.auth.Currency, cur)), s.d.Intent.ID, m.auth.Intent.Status)
	}
	return fmt.Sprintf("Voided %s (%s): the hold on the card is released.", s.d.Intent.ID, widgets.OrDash(m.auth.Intent.Status))
}

func (s *moneyScreen) Title() string { return s.act.verb() + " " + s.d.Intent.ID }

func (s *moneyScreen) View(w, h int) string {
	st := s.deps.Styles
	in, cur := s.d.Intent, s.d.Intent.Currency
	var b strings.Builder
	name := s.row.SellerName
	if name == "" {
		name = widgets.AccountName(s.sess, s.row.Seller)
	}
	b.WriteString(st.Title.Render(s.act.verb()+" "+in.ID) + st.Muted.Render(" · "+name) + "\n")
	switch s.act {
	case actRefund:
		b.WriteString(st.Muted.Render(fmt.Sprintf("Paid %s · still refundable %s", pos.Format(in.Amount, cur),
			pos.Format(s.d.Refundable, cur))) + "\n\n")
	case actCapture:
		b.WriteString(st.Muted.Render("Authorized "+pos.Format(in.AmountCapturable, cur)+"; capturing takes the money.") + "\n\n")
	case actVoid:
		b.WriteString(st.Muted.Render("Voiding cancels the payment and releases "+pos.Format(in.Amount, cur)+" held on the card.") + "\n\n")
	}
	if s.done {
		b.WriteString(st.Success.Render(s.result) + "\n\n" + st.Muted.Render("enter or esc goes back to the payment."))
		return b.String()
	}
	b.WriteString(s.form.View(st, w, 10) + "\n\n")
	if s.reason != nil && s.reason.Options[s.reason.Choice] == string(pos.RefundFraudulent) {
		b.WriteString(st.Warning.Render("fraudulent also puts the card and email on the seller's block lists.") + "\n")
	}
	switch {
	case s.Busy:
		b.WriteString(s.deps.Spinner(s.sess) + st.Muted.Render(" "+s.act.verb()+" in progress…"))
	case s.problem != "":
		b.WriteString(st.Warning.Render(s.problem))
	case s.Err != nil:
		b.WriteString(st.Danger.Render(widgets.Wrap(moneyErrText(s.act, s.Err), w)))
		if s.result != "" {
			b.WriteString("\n" + st.Warning.Render(widgets.Wrap(s.result, w)))
		}
	default:
		b.WriteString(st.Muted.Render("enter sends · esc cancels"))
	}
	return b.String()
}

func moneyErrText(act moneyAction, err error) string {
	if r, ok := supervisor.AsRefusal(err); ok {
		return r.Error()
	}
	return strings.ToLower(act.verb()) + " failed: " + widgets.ErrText(err)
}

func (s *moneyScreen) Loading() bool      { return s.Busy }
func (s *moneyScreen) CapturesText() bool { return !s.done }

func (s *moneyScreen) ShortHelp() []key.Binding {
	k := s.deps.Keys
	if s.done {
		return []key.Binding{k.Back}
	}
	return []key.Binding{k.Fields, k.Cycle, k.Submit, k.Back}
}

func (s *moneyScreen) FullHelp() [][]key.Binding { return [][]key.Binding{s.deps.Keys.FormHelp()} }

// MinSize: the form's fields, a line of outcome and the keys.
func (s *moneyScreen) MinSize() (int, int) { return 64, app.BodyLines(12) }
