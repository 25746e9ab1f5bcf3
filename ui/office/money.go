package ui

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
)

// moneyScreen moves money on one payment: a refund (full or partial, with
// a reason), a capture or a void. Each asks for the operator's PIN, which
// goes into the request and is cleared from the form at once. Amounts are
// checked (pos.ParseAmount, pos.ValidateRefund) before any request.
type moneyScreen struct {
	sh  *shared
	act moneyAction
	row reports.Row
	d   reports.Detail

	form                         *form
	amount, reason, why, op, pin *field
	request                      // the refund, capture or void sent
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
var voidReasons = []string{"requested_by_customer", "duplicate", "fraudulent", "abandoned"}

// moneyDoneMsg answers Supervisor.Refund, Capture or Void.
type moneyDoneMsg struct {
	seq    int
	refund supervisor.RefundResult
	auth   supervisor.AuthorizationResult
	err    error
}

func newMoneyScreen(sh *shared, act moneyAction, row reports.Row, d reports.Detail) *moneyScreen {
	s := &moneyScreen{sh: sh, act: act, row: row, d: d}
	s.amount = textField("Amount", 16, "")
	s.why = textField("Why", 200, "optional, for the audit log")
	s.op = textField("Operator", 64, "")
	s.op.set(sh.approver)
	s.pin = pinField()
	s.amountHint()
	switch act {
	case actRefund:
		var rs []string
		for _, r := range pos.RefundReasons() {
			rs = append(rs, string(r))
		}
		s.reason = choiceField("Reason", rs, "")
		s.form = newForm(s.amount, s.reason, s.why, s.op, s.pin)
	case actCapture:
		s.form = newForm(s.amount, s.why, s.op, s.pin)
	case actVoid:
		s.reason = choiceField("Reason", voidReasons, "")
		s.form = newForm(s.reason, s.why, s.op, s.pin)
	}
	return s
}

func (s *moneyScreen) areaName() string { return areaTitle(AreaTransactions) }

func (s *moneyScreen) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case moneyDoneMsg:
		if !s.answered(msg.seq, msg.err) {
			return nil
		}
		if msg.err != nil {
			s.form.focusOn(s.pin)
			s.result = ""
			if msg.refund.ID != "" || msg.refund.State != "" {
				s.result = s.resultText(msg) // the refund exists, its outcome is not settled
			}
			return nil
		}
		s.done, s.sh.moneyMoved = true, true
		s.result = s.resultText(msg)
		return say(toneOK, s.result)
	case tea.KeyMsg:
		k := s.sh.keys
		switch {
		case s.done:
			if key.Matches(msg, k.Back, k.Choose) {
				return emit(backMsg{})
			}
		case key.Matches(msg, k.Back):
			s.pin.value = ""
			return emit(backMsg{})
		case s.busy:
		case key.Matches(msg, k.Submit):
			return s.submit()
		case s.form.key(msg):
			s.problem = ""
			s.amountHint()
		}
	}
	return nil
}

// amountHint says what the typed amount means, or what an empty one does.
func (s *moneyScreen) amountHint() {
	cur := s.d.Intent.Currency
	t := s.amount.text()
	switch {
	case t == "" && s.act == actRefund:
		s.amount.hint = "empty = all " + pos.Format(s.d.Refundable, cur) + " still refundable"
	case t == "":
		s.amount.hint = "empty = all " + pos.Format(s.d.Intent.AmountCapturable, cur) + " authorized"
	default:
		if a, err := pos.ParseAmount(t, cur); err == nil {
			s.amount.hint = "= " + pos.Format(a, cur)
		} else {
			s.amount.hint = err.Error()
		}
	}
}

// submit validates everything locally, then sends one request. The PIN is
// cleared from the form whatever happens.
func (s *moneyScreen) submit() tea.Cmd {
	pin := s.pin.value
	s.pin.value = ""
	s.err = nil
	cur := s.d.Intent.Currency
	var amount int64
	if s.act != actVoid && s.amount.text() != "" {
		a, err := pos.ParseAmount(s.amount.text(), cur)
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
	op := s.op.text()
	switch {
	case op == "":
		return s.refuse(s.op, "Type the operator's name.")
	case pin == "":
		return s.refuse(s.pin, "Type the PIN.")
	}
	s.problem = ""
	seq, sv, act, timeout := s.begin(s.sh), s.sh.deps.Supervisor, s.act, 3*s.sh.deps.Timeout
	why := s.why.text()
	seller, id := s.row.Seller, s.d.Intent.ID
	reason := ""
	if s.reason != nil {
		reason = s.reason.options[s.reason.choice]
	}
	return timed(timeout, func(ctx context.Context) tea.Msg {
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

func (s *moneyScreen) refuse(f *field, problem string) tea.Cmd {
	s.problem = problem
	s.form.focusOn(f)
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
		out := fmt.Sprintf("Refund %s %s: %s. Still refundable: %s.", orDash(id), orDash(status),
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
	return fmt.Sprintf("Voided %s (%s): the hold on the card is released.", s.d.Intent.ID, orDash(m.auth.Intent.Status))
}

func (s *moneyScreen) title() string { return s.act.verb() + " " + s.d.Intent.ID }

func (s *moneyScreen) view(w, h int) string {
	st := s.sh.st
	in, cur := s.d.Intent, s.d.Intent.Currency
	var b strings.Builder
	name := s.row.SellerName
	if name == "" {
		name = s.sh.accountName(s.row.Seller)
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
	b.WriteString(s.form.view(st, w, 10) + "\n\n")
	if s.reason != nil && s.reason.options[s.reason.choice] == string(pos.RefundFraudulent) {
		b.WriteString(st.Warning.Render("fraudulent also puts the card and email on the seller's block lists.") + "\n")
	}
	switch {
	case s.busy:
		b.WriteString(s.sh.spinner() + st.Muted.Render(" "+s.act.verb()+" in progress…"))
	case s.problem != "":
		b.WriteString(st.Warning.Render(s.problem))
	case s.err != nil:
		b.WriteString(st.Danger.Render(wrap(moneyErrText(s.act, s.err), w)))
		if s.result != "" {
			b.WriteString("\n" + st.Warning.Render(wrap(s.result, w)))
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
	return strings.ToLower(act.verb()) + " failed: " + errText(err)
}

func (s *moneyScreen) loading() bool      { return s.busy }
func (s *moneyScreen) capturesText() bool { return !s.done }

func (s *moneyScreen) shortHelp() []key.Binding {
	k := s.sh.keys
	if s.done {
		return []key.Binding{k.Back}
	}
	return []key.Binding{k.Fields, k.Cycle, k.Submit, k.Back}
}

func (s *moneyScreen) fullHelp() [][]key.Binding { return [][]key.Binding{s.sh.keys.formHelp()} }
