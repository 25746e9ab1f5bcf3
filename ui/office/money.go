package office

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kasse/i18n"
	"kasse/pos"
	"kasse/reports"
	"kasse/supervisor"
	"kasse/ui/app"
	"kasse/ui/widgets"
)

// moneyScreen moves money on one payment: a refund (full or partial, with
// a reason), a capture or a void. Each asks for the operator's PIN, which
// goes into the request and is cleared from the form at once. Amounts are
// checked (Locale.ParseAmount, pos.ValidateRefund) before any request.
type moneyScreen struct {
	deps *app.Deps
	sess *app.Session
	act  moneyAction
	row  reports.Row
	d    reports.Detail

	amount, reason, why *widgets.Field
	ok                  widgets.Approval
	widgets.FormState   // the refund, capture or void sent
	done                bool
	result              string
	split               *refundSplit // a refund's split between seller and platform (refundsplit.go)
}

type moneyAction int

const (
	actRefund moneyAction = iota
	actCapture
	actVoid
)

// title is the form's title in loc: "Refund pi_…".
func (a moneyAction) title(loc *i18n.Locale, intent string) string {
	args := i18n.Args{"Intent": intent}
	switch a {
	case actCapture:
		return loc.T("office.money.capture_title", args)
	case actVoid:
		return loc.T("office.money.void_title", args)
	}
	return loc.T("office.money.refund_title", args)
}

// running says in loc that the action is under way.
func (a moneyAction) running(loc *i18n.Locale) string {
	switch a {
	case actCapture:
		return loc.T("office.money.capture_running")
	case actVoid:
		return loc.T("office.money.void_running")
	}
	return loc.T("office.money.refund_running")
}

// refundProblem renders pos's refusal of a refund (of amount, with
// refundable left) in loc.
func refundProblem(loc *i18n.Locale, err error, amount, refundable int64, cur string) string {
	switch {
	case errors.Is(err, pos.ErrUncaptured):
		return loc.T("office.money.uncaptured")
	case errors.Is(err, pos.ErrNotRefundable):
		return loc.T("office.money.not_refundable")
	case errors.Is(err, pos.ErrNothingRefund):
		return loc.T("office.money.nothing_left")
	case errors.Is(err, pos.ErrRefundExceeds):
		return loc.T("office.money.exceeds", i18n.Args{"Amount": i18n.Money{Amount: amount, Currency: cur},
			"Refundable": i18n.Money{Amount: refundable, Currency: cur}})
	case errors.Is(err, pos.ErrRefundReason):
		return loc.T("office.money.bad_reason")
	}
	return widgets.CartProblem(loc, err, cur)
}

// voidReasons are Stripe's cancellation reasons a supervisor may give.
func voidReasons() []string {
	return []string{"requested_by_customer", "duplicate", "fraudulent", "abandoned"} // i18n:ok Stripe's codes, sent as chosen
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
	s.amount = widgets.TextField(sess.T("office.tx.col_amount"), 16, "")
	s.why = widgets.TextField(sess.T("office.money.why"), 200, sess.T("office.money.why_hint"))
	s.ok = widgets.NewApproval(sess.Loc, sess.T("office.operator"), "", sess.Approver)
	s.amountHint()
	// The reasons are Stripe's codes (requested_by_customer, …), chosen as
	// they are sent: the same in every language.
	switch act {
	case actRefund:
		var rs []string
		for _, r := range pos.RefundReasons() {
			rs = append(rs, string(r))
		}
		s.reason = widgets.ChoiceField(sess.T("office.money.reason"), rs, "")
		s.Form = widgets.NewForm(s.amount, s.reason, s.why, s.ok.Op, s.ok.PIN)
	case actCapture:
		s.Form = widgets.NewForm(s.amount, s.why, s.ok.Op, s.ok.PIN)
	case actVoid:
		s.reason = widgets.ChoiceField(sess.T("office.money.reason"), voidReasons(), "")
		s.Form = widgets.NewForm(s.reason, s.why, s.ok.Op, s.ok.PIN)
	}
	return s
}

func (s *moneyScreen) Area() string { return app.AreaTitle(s.sess.Loc, app.AreaTransactions) }

func (s *moneyScreen) Init() tea.Cmd {
	if s.act == actRefund && s.deps.Supervisor != nil {
		s.split = &refundSplit{}
	}
	return s.loadSplit()
}

func (s *moneyScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case splitLoadedMsg:
		if s.split != nil && msg.intent == s.d.Intent.ID {
			s.split = &refundSplit{loaded: true, payment: msg.payment, err: msg.err}
		}
		return nil
	case moneyDoneMsg:
		if !s.Answered(msg.seq, msg.err) {
			return nil
		}
		if msg.err != nil {
			s.Form.FocusOn(s.ok.PIN)
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
		default:
			cmd := s.FormKey(k, msg, s.submit)
			s.amountHint()
			return cmd
		}
	}
	return nil
}

// amountHint says what the typed amount means, or what an empty one does.
func (s *moneyScreen) amountHint() {
	cur, loc := s.d.Intent.Currency, s.sess.Loc
	t := s.amount.Text()
	switch {
	case t == "" && s.act == actRefund:
		s.amount.Hint = loc.T("office.money.empty_refund", i18n.Args{"Amount": i18n.Money{Amount: s.d.Refundable, Currency: cur}})
	case t == "":
		s.amount.Hint = loc.T("office.money.empty_capture", i18n.Args{"Amount": i18n.Money{Amount: s.d.Intent.AmountCapturable, Currency: cur}})
	default:
		if a, err := loc.ParseAmount(t, cur); err == nil {
			s.amount.Hint = "= " + loc.Money(a, cur)
		} else {
			s.amount.Hint = loc.Err(err)
		}
	}
}

// submit validates everything locally, then sends one request. The PIN is
// cleared from the form whatever happens.
func (s *moneyScreen) submit() tea.Cmd {
	op, pin := s.ok.Take()
	s.Err = nil
	cur, loc := s.d.Intent.Currency, s.sess.Loc
	var amount int64
	if s.act != actVoid && s.amount.Text() != "" {
		a, err := loc.ParseAmount(s.amount.Text(), cur)
		if err != nil {
			return s.Refuse(s.amount, loc.Err(err))
		}
		if a == 0 {
			return s.Refuse(s.amount, loc.T("office.money.zero"))
		}
		amount = a
	}
	switch s.act {
	case actRefund:
		send, err := pos.ValidateRefund(amount, s.d.Refundable, cur)
		if err != nil {
			return s.Refuse(s.amount, refundProblem(loc, err, amount, s.d.Refundable, cur))
		}
		amount = send
		if _, problem := s.splitLines(); problem != "" { // refused before any request
			return s.Refuse(s.amount, problem)
		}
	case actCapture:
		if amount > s.d.Intent.AmountCapturable {
			return s.Refuse(s.amount, loc.T("office.money.capture_exceeds", i18n.Args{"Amount": i18n.Money{Amount: amount, Currency: cur},
				"Authorized": i18n.Money{Amount: s.d.Intent.AmountCapturable, Currency: cur}}))
		}
	}
	if f, problem := s.ok.Missing(loc, op, pin); f != nil {
		return s.Refuse(f, problem)
	}
	s.Problem = ""
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

func (s *moneyScreen) resultText(m moneyDoneMsg) string {
	cur, loc := s.d.Intent.Currency, s.sess.Loc
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
		out := loc.T("office.money.refund_result", i18n.Args{"ID": widgets.OrDash(id), "Status": widgets.OrDash(status),
			"Amount": i18n.Money{Amount: r.Amount, Currency: c}, "Remaining": i18n.Money{Amount: r.Remaining, Currency: c}})
		for _, n := range []string{widgets.Notice(loc, r.Notice), r.Warning} {
			if n != "" {
				out += " " + strings.TrimSuffix(n, ".") + "."
			}
		}
		return out
	case actCapture:
		return loc.T("office.money.capture_result", i18n.Args{"Amount": i18n.Money{Amount: m.auth.Amount, Currency: orCur(m.auth.Currency, cur)},
			"Intent": s.d.Intent.ID, "Status": m.auth.Intent.Status})
	}
	return loc.T("office.money.void_result", i18n.Args{"Intent": s.d.Intent.ID, "Status": widgets.OrDash(m.auth.Intent.Status)})
}

func (s *moneyScreen) Title() string { return s.act.title(s.sess.Loc, s.d.Intent.ID) }

func (s *moneyScreen) View(w, h int) string {
	st, sess := s.deps.Styles, s.sess
	in, cur := s.d.Intent, s.d.Intent.Currency
	var b strings.Builder
	name := s.row.SellerName
	if name == "" {
		name = widgets.AccountName(s.sess, s.row.Seller)
	}
	b.WriteString(st.Title.Render(s.Title()) + st.Muted.Render(" · "+name) + "\n")
	switch s.act {
	case actRefund:
		b.WriteString(st.Muted.Render(sess.T("office.money.refund_intro", i18n.Args{"Paid": i18n.Money{Amount: in.Amount, Currency: cur},
			"Refundable": i18n.Money{Amount: s.d.Refundable, Currency: cur}})) + "\n\n")
	case actCapture:
		b.WriteString(st.Muted.Render(sess.T("office.money.capture_intro", i18n.Args{"Amount": i18n.Money{Amount: in.AmountCapturable, Currency: cur}})) + "\n\n")
	case actVoid:
		b.WriteString(st.Muted.Render(sess.T("office.money.void_intro", i18n.Args{"Amount": i18n.Money{Amount: in.Amount, Currency: cur}})) + "\n\n")
	}
	if s.done {
		b.WriteString(st.Success.Render(s.result) + "\n\n" + st.Muted.Render(sess.T("office.money.done_hint")))
		return b.String()
	}
	b.WriteString(s.Form.View(st, w, 10) + "\n\n")
	if lines, problem := s.splitLines(); len(lines) > 0 || problem != "" {
		for _, l := range lines {
			b.WriteString(st.Muted.Render(widgets.Wrap(l, w)) + "\n")
		}
		if problem != "" && s.Problem == "" {
			b.WriteString(st.Warning.Render(widgets.Wrap(problem, w)) + "\n")
		}
		b.WriteString("\n")
	}
	if s.reason != nil && s.reason.Options[s.reason.Choice] == string(pos.RefundFraudulent) {
		b.WriteString(st.Warning.Render(sess.T("office.money.fraudulent")) + "\n")
	}
	switch {
	case s.Busy:
		b.WriteString(s.deps.Spinner(s.sess) + st.Muted.Render(" "+s.act.running(sess.Loc)))
	case s.Problem != "":
		b.WriteString(st.Warning.Render(s.Problem))
	case s.Err != nil:
		b.WriteString(st.Danger.Render(widgets.Wrap(s.act.errText(sess.Loc, s.deps.Now(), s.Err), w)))
		if s.result != "" {
			b.WriteString("\n" + st.Warning.Render(widgets.Wrap(s.result, w)))
		}
	default:
		b.WriteString(st.Muted.Render(sess.T("office.money.hint")))
	}
	return b.String()
}

// errText says in loc why the action did not happen.
func (a moneyAction) errText(loc *i18n.Locale, now time.Time, err error) string {
	failed := "office.money.refund_failed"
	switch a {
	case actCapture:
		failed = "office.money.capture_failed"
	case actVoid:
		failed = "office.money.void_failed"
	}
	return widgets.ApprovalErr(loc, now, err, failed)
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
