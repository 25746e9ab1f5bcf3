package office

import (
	"context"
	"errors"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kasse/i18n"
	"kasse/pos"
	"kasse/supervisor"
	"kasse/ui/app"
	"kasse/ui/widgets"
)

// disputeActScreen answers a dispute: stage evidence (the fields Kasse
// filled in from the sale, editable, and the sale's receipt attached or
// not), submit what is staged, or accept the dispute. Each asks for the
// operator's PIN, which goes into the request and is cleared from the form
// at once; the evidence is checked against Stripe's limits first.
type disputeActScreen struct {
	deps *app.Deps
	sess *app.Session
	act  disputeAct
	row  supervisor.DisputeRow

	product, date, name, email, policy *widgets.Field
	note, receipt, why                 *widgets.Field
	ok                                 widgets.Approval
	receiptText                        string // the sale's receipt, for uncategorized_text
	fieldsOf                           map[string]*widgets.Field
	widgets.FormState                  // the request sent
	done                               bool
	result                             string
}

type disputeAct int

const (
	actStage disputeAct = iota
	actSubmit
	actAccept
)

// disputeDoneMsg answers Evidence or Accept.
type disputeDoneMsg struct {
	seq int
	d   pos.Dispute
	err error
}

func newDisputeActScreen(deps *app.Deps, sess *app.Session, act disputeAct, row supervisor.DisputeRow) *disputeActScreen {
	s := &disputeActScreen{deps: deps, sess: sess, act: act, row: row}
	t := sess.T
	s.why = widgets.TextField(t("office.money.why"), 200, t("office.money.why_hint"))
	s.ok = widgets.NewApproval(sess.Loc, t("office.operator"), "", sess.Approver)
	if act != actStage {
		s.Form = widgets.NewForm(s.why, s.ok.Op, s.ok.PIN)
		return s
	}
	s.product = widgets.TextField(t("disputes.evidence.product"), 20000, "")
	s.date = widgets.TextField(t("disputes.evidence.date"), 5000, "")
	s.name = widgets.TextField(t("disputes.evidence.customer"), 5000, "")
	s.email = widgets.TextField(t("disputes.evidence.email"), 5000, "")
	s.policy = widgets.TextField(t("disputes.evidence.policy"), 20000, "")
	s.note = widgets.TextField(t("disputes.evidence.note"), 2000, t("disputes.evidence.note_hint"))
	s.receipt = widgets.ChoiceField(t("disputes.evidence.receipt"), []string{t("word.yes"), t("word.no")}, "")
	s.fieldsOf = map[string]*widgets.Field{pos.EvidenceProductDescription: s.product, pos.EvidenceServiceDate: s.date,
		pos.EvidenceCustomerName: s.name, pos.EvidenceCustomerEmail: s.email, pos.EvidenceRefundPolicy: s.policy}
	pre := supervisor.Prefill(row)
	s.receiptText = pre[pos.EvidenceUncategorizedText]
	ev := row.Dispute.Evidence
	if len(ev) == 0 { // nothing staged yet: what Kasse knows
		ev = pre
	}
	for f, fl := range s.fieldsOf {
		fl.Set(ev[f])
	}
	note, withReceipt := splitNote(ev[pos.EvidenceUncategorizedText], s.receiptText)
	s.note.Set(note)
	if !withReceipt {
		s.receipt.Choose(1)
	}
	if s.receiptText == "" { // not a sale of this console: nothing to attach
		s.receipt.Hidden = true
	}
	s.Form = widgets.NewForm(s.product, s.date, s.name, s.email, s.policy, s.note, s.receipt, s.why, s.ok.Op, s.ok.PIN)
	return s
}

// splitNote parts staged uncategorized text into the supervisor's note
// and whether the sale's receipt is attached after it.
func splitNote(text, receipt string) (note string, withReceipt bool) {
	switch {
	case receipt == "":
		return text, false
	case text == receipt:
		return "", true
	case strings.HasSuffix(text, "\n\n"+receipt):
		return strings.TrimSuffix(text, "\n\n"+receipt), true
	case text == "":
		return "", true // new evidence: the receipt goes with it
	}
	return text, false
}

func (s *disputeActScreen) Area() string  { return app.AreaTitle(s.sess.Loc, app.AreaDisputes) }
func (s *disputeActScreen) Init() tea.Cmd { return nil }

func (s *disputeActScreen) Title() string {
	a := i18n.Args{"ID": s.row.Dispute.ID}
	switch s.act {
	case actSubmit:
		return s.sess.T("disputes.act.submit_title", a)
	case actAccept:
		return s.sess.T("disputes.act.accept_title", a)
	}
	return s.sess.T("disputes.act.stage_title", a)
}

// evidence is what the form stages: every filled field.
func (s *disputeActScreen) evidence() map[string]string {
	ev := map[string]string{}
	for f, fl := range s.fieldsOf {
		if v := fl.Text(); v != "" {
			ev[f] = v
		}
	}
	text := s.note.Text()
	if !s.receipt.Hidden && s.receipt.Choice == 0 {
		if text != "" {
			text += "\n\n"
		}
		text += s.receiptText
	}
	if text != "" {
		ev[pos.EvidenceUncategorizedText] = text
	}
	return ev
}

func (s *disputeActScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case disputeDoneMsg:
		if !s.Answered(msg.seq, msg.err) {
			return nil
		}
		if msg.err != nil {
			s.Form.FocusOn(s.ok.PIN)
			return nil
		}
		s.done = true
		s.result = s.resultText(msg.d)
		return app.Say(app.ToneOK, s.result)
	case tea.KeyMsg:
		k := s.deps.Keys
		switch {
		case s.done:
			if key.Matches(msg, k.Back, k.Choose) {
				return app.Pop()
			}
		default:
			return s.FormKey(k, msg, s.submit)
		}
	}
	return nil
}

// submit checks everything locally, then sends one request. The PIN is
// cleared from the form whatever happens.
func (s *disputeActScreen) submit() tea.Cmd {
	op, pin := s.ok.Take()
	s.Err = nil
	loc := s.sess.Loc
	var ev map[string]string
	if s.act == actStage {
		ev = s.evidence()
		if err := i18n.CheckEvidence(ev); err != nil { // pos.ValidateEvidence in the session's words
			return s.Refuse(s.product, evidenceProblem(s.sess, err))
		}
	}
	if f, problem := s.ok.Missing(loc, op, pin); f != nil {
		return s.Refuse(f, problem)
	}
	s.Problem = ""
	seq, desk, act, timeout := s.Begin(s.sess), s.deps.Disputes, s.act, 3*s.deps.Timeout
	d, why := s.row.Dispute, s.why.Text()
	return app.Timed(timeout, func(ctx context.Context) tea.Msg {
		out := disputeDoneMsg{seq: seq}
		switch act {
		case actAccept:
			out.d, out.err = desk.Accept(ctx, supervisor.AcceptRequest{Seller: d.Account, ID: d.ID, Operator: op, PIN: supervisor.PIN(pin), Why: why})
		default:
			out.d, out.err = desk.Evidence(ctx, supervisor.EvidenceRequest{Seller: d.Account, ID: d.ID, Evidence: ev,
				Submit: act == actSubmit, Operator: op, PIN: supervisor.PIN(pin), Why: why})
		}
		return out
	})
}

// evidenceProblem renders pos's refusal of evidence.
func evidenceProblem(sess *app.Session, err error) string {
	if errors.Is(err, pos.ErrEvidence) {
		return sess.T("disputes.act.bad_evidence", i18n.Args{"Why": sess.Loc.Err(err)})
	}
	return widgets.ErrText(sess.Loc, err)
}

func (s *disputeActScreen) resultText(d pos.Dispute) string {
	a := i18n.Args{"ID": d.ID, "Status": widgets.DisputeStatus(s.sess, d.Status)}
	switch s.act {
	case actSubmit:
		return s.sess.T("disputes.act.submitted", a)
	case actAccept:
		return s.sess.T("disputes.act.accepted", a)
	}
	return s.sess.T("disputes.act.staged", a)
}

func (s *disputeActScreen) View(w, h int) string {
	st, sess := s.deps.Styles, s.sess
	d := s.row.Dispute
	var b strings.Builder
	b.WriteString(st.Title.Render(s.Title()) + st.Muted.Render(" · "+sess.Money(d.Amount, d.Currency)+" · "+widgets.DisputeReason(d.Reason)) + "\n")
	switch s.act {
	case actStage:
		b.WriteString(st.Muted.Render(widgets.Wrap(sess.T("disputes.act.stage_intro"), w)) + "\n\n")
	case actSubmit:
		b.WriteString(st.Muted.Render(widgets.Wrap(sess.T("disputes.act.submit_intro"), w)) + "\n\n")
	case actAccept:
		b.WriteString(st.Warning.Render(widgets.Wrap(sess.T("disputes.act.accept_intro", i18n.Args{"Amount": disputeAmount(d)}), w)) + "\n\n")
	}
	if s.done {
		b.WriteString(st.Success.Render(widgets.Wrap(s.result, w)) + "\n\n" + st.Muted.Render(sess.T("disputes.act.done_hint")))
		return b.String()
	}
	b.WriteString(s.Form.View(st, w, 16) + "\n\n")
	switch {
	case s.Busy:
		b.WriteString(s.deps.Spinner(s.sess) + st.Muted.Render(" "+sess.T("disputes.act.sending")))
	case s.Problem != "":
		b.WriteString(widgets.StyledLines(st.Warning, s.Problem, w))
	case s.Err != nil:
		b.WriteString(st.Danger.Render(widgets.Wrap(widgets.ApprovalErr(sess.Loc, s.deps.Now(), s.Err, "disputes.act.failed"), w)))
	default:
		b.WriteString(st.Muted.Render(sess.T("office.money.hint")))
	}
	return b.String()
}

func (s *disputeActScreen) Loading() bool      { return s.Busy }
func (s *disputeActScreen) CapturesText() bool { return !s.done }

func (s *disputeActScreen) ShortHelp() []key.Binding {
	k := s.deps.Keys
	if s.done {
		return []key.Binding{k.Back}
	}
	return []key.Binding{k.Fields, k.Cycle, k.Submit, k.Back}
}

func (s *disputeActScreen) FullHelp() [][]key.Binding { return [][]key.Binding{s.deps.Keys.FormHelp()} }

// MinSize: the evidence form's ten fields, an outcome line and the keys.
func (s *disputeActScreen) MinSize() (int, int) {
	if s.act == actStage {
		return 70, app.BodyLines(17)
	}
	return 64, app.BodyLines(10)
}
