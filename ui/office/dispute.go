package office

import (
	"context"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kasse/i18n"
	"kasse/pos"
	"kasse/supervisor"
	"kasse/ui/app"
	"kasse/ui/widgets"
)

// disputeScreen is one dispute: amount, reason, status, when evidence is
// due, the sale it concerns, the evidence staged or submitted. While it
// waits for an answer: e stages evidence (Kasse fills in what it knows of
// the sale), s submits what is staged, a accepts the dispute. It reloads
// when it is on top again and when a dispute notice arrives.
type disputeScreen struct {
	deps            *app.Deps
	sess            *app.Session
	row             supervisor.DisputeRow
	widgets.Request // the dispute's read
	problem         string
	// pending is an action key (e, s, a) pressed while the dispute was
	// being read again: it acts once the read answers, on what it read,
	// instead of being lost.
	pending *tea.KeyMsg
}

type disputeMsg struct {
	seq int
	row supervisor.DisputeRow
	err error
}

func newDisputeScreen(deps *app.Deps, sess *app.Session, row supervisor.DisputeRow) *disputeScreen {
	return &disputeScreen{deps: deps, sess: sess, row: row}
}

func (s *disputeScreen) Area() string { return app.AreaTitle(s.sess.Loc, app.AreaDisputes) }
func (s *disputeScreen) Title() string {
	return s.sess.T("disputes.detail.title", i18n.Args{"ID": s.row.Dispute.ID})
}
func (s *disputeScreen) Init() tea.Cmd   { return s.load() }
func (s *disputeScreen) Resume() tea.Cmd { return s.load() }

func (s *disputeScreen) load() tea.Cmd {
	seq, desk, d, timeout := s.Begin(s.sess), s.deps.Disputes, s.row.Dispute, s.deps.Timeout
	return app.Timed(timeout, func(ctx context.Context) tea.Msg {
		row, err := desk.Dispute(ctx, d.Account, d.ID)
		return disputeMsg{seq: seq, row: row, err: err}
	})
}

func (s *disputeScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case disputeMsg:
		if s.Answered(msg.seq, msg.err) && msg.err == nil {
			if msg.row.SellerName == "" {
				msg.row.SellerName = s.row.SellerName
			}
			s.row = msg.row
		}
		if k := s.pending; k != nil && !s.Busy {
			s.pending = nil
			return s.Update(*k)
		}
	case app.NoticesMsg:
		for _, n := range msg.Notices {
			if n.DisputeID == s.row.Dispute.ID && s.sess.IsTop(s) {
				return s.load()
			}
		}
	case tea.KeyMsg:
		k := s.deps.Keys
		s.problem = ""
		d := s.row.Dispute
		switch {
		case key.Matches(msg, k.Back):
			return app.Pop()
		case key.Matches(msg, k.Refresh):
			return s.load()
		case s.Busy:
			if key.Matches(msg, k.Evidence, k.SubmitEvidence, k.AcceptDispute) {
				s.pending = &msg
			}
		case key.Matches(msg, k.Evidence, k.SubmitEvidence, k.AcceptDispute) && !d.Open():
			s.problem = s.sess.T("disputes.detail.answered", i18n.Args{"Status": widgets.DisputeStatus(s.sess, d.Status)})
		case key.Matches(msg, k.Evidence):
			return app.Push(newDisputeActScreen(s.deps, s.sess, actStage, s.row))
		case key.Matches(msg, k.SubmitEvidence):
			if !d.HasEvidence {
				s.problem = s.sess.T("disputes.detail.nothing_staged")
				return nil
			}
			return app.Push(newDisputeActScreen(s.deps, s.sess, actSubmit, s.row))
		case key.Matches(msg, k.AcceptDispute):
			return app.Push(newDisputeActScreen(s.deps, s.sess, actAccept, s.row))
		}
	}
	return nil
}

func (s *disputeScreen) View(w, h int) string {
	st, sess := s.deps.Styles, s.sess
	d := s.row.Dispute
	var b strings.Builder
	name := s.row.SellerName
	if name == "" {
		name = widgets.AccountName(sess, d.Account)
	}
	b.WriteString(widgets.Spread(st.Title.Render(s.Title()), st.Muted.Render(name), w) + "\n\n")
	row := func(label, value string) {
		b.WriteString(widgets.WrapText(st.Label.Render(widgets.Cell(label, 14))+value, w) + "\n")
	}
	status := widgets.DisputeStatus(sess, d.Status)
	switch {
	case d.Open():
		status = st.Warning.Render(status)
	case d.Status == pos.DisputeWon:
		status = st.Success.Render(status)
	}
	row(sess.T("office.tx.col_amount"), st.Total.Render(sess.Money(d.Amount, d.Currency)))
	row(sess.T("disputes.col_reason"), widgets.DisputeReason(d.Reason))
	row(sess.T("office.tx.status"), status)
	if d.Open() && !d.DueBy.IsZero() {
		due := sess.FormatTime(d.DueBy.In(s.deps.Now().Location()), "format.datetime")
		left := d.DueBy.Sub(s.deps.Now())
		row(sess.T("disputes.detail.due"), due+st.Muted.Render(" "+sess.N("disputes.detail.days_left", max(0, int(left/(24*time.Hour))))))
	}
	row(sess.T("office.detail.charge"), d.ChargeID+st.Muted.Render(" · "+d.IntentID))
	if sale := s.row.Sale; sale != nil {
		what := sale.ID
		if sale.Card.Last4 != "" {
			what += st.Muted.Render(" · " + strings.ToUpper(sale.Card.Brand) + " ····" + sale.Card.Last4)
		}
		row(sess.T("office.detail.sale"), what)
	} else {
		row(sess.T("office.detail.sale"), st.Faint.Render(sess.T("disputes.detail.not_here")))
	}
	switch {
	case d.BlocksRefund():
		row(sess.T("word.refund"), st.Muted.Render(sess.T("disputes.detail.no_refunds")))
	case d.ChargeRefundable && d.Open():
		row(sess.T("word.refund"), st.Muted.Render(sess.T("disputes.detail.refund_possible")))
	}
	b.WriteString("\n" + st.Title.Render(sess.N("disputes.detail.evidence", int(d.SubmissionCount))) + "\n")
	if len(d.Evidence) == 0 {
		b.WriteString(st.Faint.Render("  "+sess.T("disputes.detail.no_evidence")) + "\n")
	}
	for _, f := range pos.EvidenceFields {
		if v := d.Evidence[f.Name]; v != "" {
			first, _, more := strings.Cut(v, "\n")
			if more {
				first += " …"
			}
			b.WriteString(widgets.Cell("  "+evidenceLabel(sess, f.Name), 22) + " " + widgets.Cell(first, max(10, w-24)) + "\n")
		}
	}
	b.WriteString("\n")
	switch {
	case s.problem != "":
		b.WriteString(widgets.StyledLines(st.Warning, s.problem, w))
	case d.Open():
		b.WriteString(st.Muted.Render(widgets.Wrap(sess.T("disputes.detail.hint"), w)) + "\n")
		b.WriteString(widgets.ReloadNote(s.deps, s.sess, s.Busy, s.Err, w))
	default:
		b.WriteString(widgets.ReloadNote(s.deps, s.sess, s.Busy, s.Err, w))
	}
	return b.String()
}

// evidenceLabel names an evidence field in the session's language.
func evidenceLabel(sess *app.Session, field string) string {
	switch field {
	case pos.EvidenceProductDescription:
		return sess.T("disputes.evidence.product")
	case pos.EvidenceServiceDate:
		return sess.T("disputes.evidence.date")
	case pos.EvidenceCustomerName:
		return sess.T("disputes.evidence.customer")
	case pos.EvidenceCustomerEmail:
		return sess.T("disputes.evidence.email")
	case pos.EvidenceRefundPolicy:
		return sess.T("disputes.evidence.policy")
	case pos.EvidenceUncategorizedText:
		return sess.T("disputes.evidence.text")
	}
	return field
}

func (s *disputeScreen) Loading() bool      { return s.Busy }
func (s *disputeScreen) CapturesText() bool { return false }

func (s *disputeScreen) ShortHelp() []key.Binding {
	k := s.deps.Keys
	if s.row.Dispute.Open() {
		return []key.Binding{k.Evidence, k.SubmitEvidence, k.AcceptDispute, k.Refresh, k.Back, k.Help}
	}
	return []key.Binding{k.Refresh, k.Back, k.Help}
}

func (s *disputeScreen) FullHelp() [][]key.Binding {
	k := s.deps.Keys
	return [][]key.Binding{{k.Evidence, k.SubmitEvidence, k.AcceptDispute, k.Refresh}}
}

func (s *disputeScreen) MinSize() (int, int) { return 70, app.BodyLines(18) }
