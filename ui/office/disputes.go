package office

import (
	"context"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kasse/i18n"
	"kasse/pos"
	"kasse/supervisor"
	"kasse/ui/app"
	"kasse/ui/widgets"
)

// disputesScreen is the supervisor's disputes desk (f5): the disputes
// across sellers that wait for an answer (/ shows every dispute), with
// amount, reason, status and evidence due date, linked to this console's
// sale. Enter opens one. It reloads when a dispute notice arrives and
// when it is on top again.
type disputesScreen struct {
	deps            *app.Deps
	sess            *app.Session
	all             bool
	list            supervisor.DisputeList
	loaded          bool
	cursor, offset  int
	widgets.Request // the list's read
}

// disputesMsg answers DisputeDesk.Disputes.
type disputesMsg struct {
	seq  int
	list supervisor.DisputeList
	err  error
}

// NewDisputes is the Disputes area's first screen.
func NewDisputes(deps *app.Deps, sess *app.Session) app.Screen {
	return &disputesScreen{deps: deps, sess: sess}
}

func (s *disputesScreen) Area() string  { return app.AreaTitle(s.sess.Loc, app.AreaDisputes) }
func (s *disputesScreen) Title() string { return s.Area() }
func (s *disputesScreen) Init() tea.Cmd { return s.load() }

func (s *disputesScreen) load() tea.Cmd {
	seq, desk, all, timeout := s.Begin(s.sess), s.deps.Disputes, s.all, 2*s.deps.Timeout
	return app.Timed(timeout, func(ctx context.Context) tea.Msg {
		list, err := desk.Disputes(ctx, supervisor.DisputeQuery{OpenOnly: !all})
		return disputesMsg{seq: seq, list: list, err: err}
	})
}

func (s *disputesScreen) Resume() tea.Cmd { return s.load() }

func (s *disputesScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case disputesMsg:
		if !s.Answered(msg.seq, msg.err) {
			return nil
		}
		if msg.err == nil {
			s.loaded, s.list = true, msg.list
			s.cursor = max(0, min(s.cursor, len(s.list.Rows)-1))
		}
	case app.NoticesMsg:
		for _, n := range msg.Notices {
			if n.Kind.ForSupervisors() && s.sess.IsTop(s) {
				return s.load()
			}
		}
	case tea.KeyMsg:
		k := s.deps.Keys
		switch {
		case key.Matches(msg, k.Back):
			return app.Pop()
		case key.Matches(msg, k.Refresh):
			return s.load()
		case key.Matches(msg, k.AllDisputes):
			s.all, s.cursor, s.offset = !s.all, 0, 0
			return s.load()
		case widgets.MoveCursor(k, msg, &s.cursor, len(s.list.Rows)):
		case key.Matches(msg, k.Choose):
			if s.cursor < len(s.list.Rows) {
				return app.Push(newDisputeScreen(s.deps, s.sess, s.list.Rows[s.cursor]))
			}
		}
	}
	return nil
}

func (s *disputesScreen) View(w, h int) string {
	st, sess := s.deps.Styles, s.sess
	var b strings.Builder
	count := ""
	if s.loaded {
		count = sess.N("disputes.count", len(s.list.Rows))
	}
	b.WriteString(widgets.Spread(st.Title.Render(s.Title()), st.Muted.Render(count), w) + "\n")
	which := sess.T("disputes.open_only")
	if s.all {
		which = sess.T("disputes.all")
	}
	b.WriteString(widgets.Spread(st.Value.Render(which), st.Faint.Render("/ "+sess.T("key.all_disputes")), w) + "\n")
	used := 2
	switch {
	case s.Busy:
		b.WriteString(s.deps.Spinner(s.sess) + st.Muted.Render(" "+sess.T("disputes.reading")) + "\n")
		used++
	case s.Err != nil:
		m := widgets.ErrLines(st, sess.Loc, sess.T("disputes.read_failed"), s.Err, w)
		b.WriteString(m + "\n")
		used += widgets.LineCount(m)
	}
	for _, e := range s.list.Partial {
		n := widgets.ErrorLines(st.Warning, "⚠ "+sess.T("disputes.incomplete"), widgets.ErrText(sess.Loc, e), w)
		b.WriteString(n + "\n")
		used += widgets.LineCount(n)
	}
	if !s.loaded {
		return b.String()
	}
	if len(s.list.Rows) == 0 {
		none := sess.T("disputes.none_open")
		if s.all {
			none = sess.T("disputes.none")
		}
		b.WriteString("\n" + st.Muted.Render("  "+none))
		return b.String()
	}
	b.WriteString(st.Label.Render("  "+s.rowText(nil, w)) + "\n")
	rows := max(1, h-used-1)
	s.offset = widgets.ScrollTo(s.cursor, s.offset, rows)
	for i := s.offset; i < min(len(s.list.Rows), s.offset+rows); i++ {
		r := s.list.Rows[i]
		mark, text := widgets.RowStyle(st, i == s.cursor)
		if r.Dispute.Open() && i != s.cursor {
			text = st.Warning
		}
		b.WriteString(mark + text.Render(s.rowText(&r, w)) + "\n")
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// Column widths of the list.
const dpDueW, dpAmountW, dpReasonW, dpStatusW = 10, 11, 16, 16

// rowText renders one row (nil: the heads) in w-2 columns: due date,
// seller, amount, reason, status, and the sale (or the payment) in what
// is left.
func (s *disputesScreen) rowText(r *supervisor.DisputeRow, w int) string {
	t := s.sess.T
	rest := w - 2 - (dpDueW + 1) - (dpAmountW + 1) - (dpReasonW + 1) - (dpStatusW + 1)
	seller := max(12, min(22, rest-26))
	sale := max(8, rest-seller-1)
	var b strings.Builder
	col := func(text string, width int, right bool) {
		if right {
			b.WriteString(widgets.CellRight(text, width))
		} else {
			b.WriteString(widgets.Cell(text, width))
		}
		b.WriteByte(' ')
	}
	if r == nil {
		col(t("disputes.col_due"), dpDueW, false)
		col(t("office.seller"), seller, false)
		col(t("office.tx.col_amount"), dpAmountW, true)
		col(t("disputes.col_reason"), dpReasonW, false)
		col(t("office.tx.status"), dpStatusW, false)
		b.WriteString(t("disputes.col_sale"))
		return b.String()
	}
	d := r.Dispute
	name := r.SellerName
	if name == "" {
		name = widgets.AccountName(s.sess, d.Account)
	}
	due := "–"
	if d.Open() && !d.DueBy.IsZero() {
		due = s.sess.FormatTime(d.DueBy.In(s.deps.Now().Location()), "format.date")
	}
	saleID := d.IntentID
	if r.Sale != nil {
		saleID = r.Sale.ID
	}
	col(due, dpDueW, false)
	col(name, seller, false)
	col(s.sess.Money(d.Amount, d.Currency), dpAmountW, true)
	col(widgets.DisputeReason(d.Reason), dpReasonW, false)
	col(widgets.DisputeStatus(s.sess, d.Status), dpStatusW, false)
	b.WriteString(widgets.Cell(saleID, sale))
	return b.String()
}

func (s *disputesScreen) Loading() bool      { return s.Busy }
func (s *disputesScreen) CapturesText() bool { return false }

func (s *disputesScreen) ShortHelp() []key.Binding {
	k := s.deps.Keys
	return []key.Binding{k.Up, k.Down, k.Choose, k.AllDisputes, k.Refresh, k.Back, k.Help}
}

func (s *disputesScreen) FullHelp() [][]key.Binding {
	k := s.deps.Keys
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Choose}, {k.AllDisputes, k.Refresh}, k.AreaHelp()}
}

// MinSize: every column at 80.
func (s *disputesScreen) MinSize() (int, int) { return 80, app.DefaultMinHeight }

// disputeAmount is "42.00 USD" for a notice or a title.
func disputeAmount(d pos.Dispute) i18n.Money {
	return i18n.Money{Amount: d.Amount, Currency: d.Currency}
}

// disputedLabel is a transaction's status while its payment is disputed.
func disputedLabel(loc *i18n.Locale, status string) string {
	switch status {
	case pos.DisputeWon:
		return loc.T("disputes.tx.won")
	case pos.DisputeLost:
		return loc.T("disputes.tx.lost")
	}
	return loc.T("disputes.tx.disputed")
}

// disputeLine sums a dispute up on a payment's detail: "needs a response
// · fraudulent · evidence due 21.03.2026".
func disputeLine(sess *app.Session, d pos.Dispute) string {
	line := widgets.DisputeStatus(sess, d.Status) + " · " + widgets.DisputeReason(d.Reason) + " · " + d.ID
	if d.Open() && !d.DueBy.IsZero() {
		line += " · " + sess.T("disputes.due_on", i18n.Args{"Date": sess.FormatTime(d.DueBy, "format.date")})
	}
	return line
}

// disputeRefusal says why a disputed payment cannot be refunded (nil: a
// disputed charge whose dispute the journal does not know yet).
func disputeRefusal(sess *app.Session, d *pos.Dispute) string {
	if d == nil {
		return sess.T("disputes.refund_refused_unknown")
	}
	return sess.T("disputes.refund_refused", i18n.Args{"Reason": widgets.DisputeReason(d.Reason), "Status": widgets.DisputeStatus(sess, d.Status)})
}
