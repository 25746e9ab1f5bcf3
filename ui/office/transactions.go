package office

import (
	"context"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kasse/i18n"
	"kasse/pos"
	"kasse/reports"
	"kasse/ui/app"
	"kasse/ui/widgets"
)

// txScreen is the supervisor's transaction search: today by default, a
// compact filter bar (/ edits it: date and time range, seller, status,
// amount range, card last 4), the rows Reports.Search returns and the
// sellers whose listing failed. Enter opens a transaction.
type txScreen struct {
	deps    *app.Deps
	sess    *app.Session
	q       reports.Query
	label   string // the applied filters, for people
	f       *txFilter
	editing bool

	res             reports.Result
	cursor          int
	offset          int
	widgets.Request // the search
	loaded          bool
	problem         string
}

type txFilter struct {
	form                                                    *widgets.Form
	date, from, to, seller, status, refund, min, max, last4 *widgets.Field
}

// txLoadedMsg answers Reports.Search.
type txLoadedMsg struct {
	seq int
	res reports.Result
	err error
}

// NewTransactions is the Transactions area's first screen.
func NewTransactions(deps *app.Deps, sess *app.Session) app.Screen { return newTxScreen(deps, sess) }

func newTxScreen(deps *app.Deps, sess *app.Session) *txScreen {
	t := sess.T
	f := &txFilter{
		date:   widgets.TextField(t("office.tx.date"), 10, t("office.period.date_hint")),
		from:   widgets.TextField(t("office.tx.from"), 5, t("office.period.time_hint")),
		to:     widgets.TextField(t("office.tx.to"), 5, t("office.tx.to_hint")),
		seller: widgets.ChoiceField(t("office.seller"), sellerChoices(sess), ""),
		status: widgets.ChoiceField(t("office.tx.status"), txStatusChoices(sess.Loc), ""),
		refund: widgets.ChoiceField(t("office.tx.refunds"), []string{t("office.tx.refunds_any"), t("office.tx.refunds_none"),
			t("office.tx.refunds_partly"), t("office.tx.refunds_fully")}, ""),
		min:   widgets.TextField(t("office.tx.min_amount"), 16, t("office.tx.amount_hint")),
		max:   widgets.TextField(t("office.tx.max_amount"), 16, t("office.tx.amount_hint")),
		last4: widgets.DigitsField(t("office.tx.last4"), 4, ""),
	}
	f.date.Set(dateText(sess.Loc, deps.Now()))
	f.from.Set("00:00")
	f.to.Set("24:00")
	f.form = widgets.NewForm(f.date, f.from, f.to, f.seller, f.status, f.refund, f.min, f.max, f.last4)
	s := &txScreen{deps: deps, sess: sess, f: f}
	s.q, s.label, _ = s.query()
	return s
}

// txStatuses are the status filter's choices ("" = any).
func txStatuses() []reports.Status { return append([]reports.Status{""}, reports.Statuses()...) }

// txRefundFilters are the refund filter's choices ("" = any).
func txRefundFilters() []reports.RefundFilter {
	return []reports.RefundFilter{"", reports.RefundedNone, reports.RefundedPartly, reports.RefundedFully}
}

func txStatusChoices(loc *i18n.Locale) []string {
	statuses := txStatuses()
	out := make([]string, len(statuses))
	for i, st := range statuses {
		out[i] = txStatusLabel(loc, st)
	}
	out[0] = loc.T("office.tx.any_status")
	return out
}

// txStatusLabel names a transaction's status in loc.
func txStatusLabel(loc *i18n.Locale, s reports.Status) string {
	switch s {
	case reports.StatusApproved:
		return loc.T("office.status.approved")
	case reports.StatusAuthorized:
		return loc.T("office.status.uncaptured")
	case reports.StatusDeclined:
		return loc.T("office.status.declined")
	case reports.StatusCanceled:
		return loc.T("office.status.canceled")
	case reports.StatusFailed:
		return loc.T("office.status.failed")
	case reports.StatusOpen:
		return loc.T("office.status.open")
	case reports.StatusTest:
		return loc.T("office.status.reader_tests")
	}
	return string(s)
}

// testStatus names a reader test payment's outcome: it is no sale, and
// the list says so first.
func testStatus(loc *i18n.Locale, s reports.Status) string {
	switch s {
	case reports.StatusApproved:
		return loc.T("office.status.test_captured")
	case reports.StatusCanceled:
		return loc.T("office.status.test_voided")
	case reports.StatusDeclined:
		return loc.T("office.status.test_declined")
	case reports.StatusAuthorized:
		return loc.T("office.status.test_held")
	case reports.StatusFailed:
		return loc.T("office.status.test_failed")
	case reports.StatusOpen:
		return loc.T("office.status.test_open")
	}
	return loc.T("office.status.test")
}

// rowStatus is a row's status with its refunds.
func rowStatus(loc *i18n.Locale, r reports.Row) string {
	switch {
	case r.Kind == reports.KindTest:
		return testStatus(loc, r.Status)
	case r.Dispute != "":
		return disputedLabel(loc, r.Dispute)
	case r.Status != reports.StatusApproved || r.Refunded <= 0:
		return txStatusLabel(loc, r.Status)
	case r.Refunded >= r.Amount:
		return loc.T("office.status.refunded")
	}
	return loc.T("office.status.part_refunded")
}

func (s *txScreen) Area() string { return app.AreaTitle(s.sess.Loc, app.AreaTransactions) }

// query builds the search from the filter fields.
func (s *txScreen) query() (reports.Query, string, error) {
	f, now, loc := s.f, s.deps.Now(), s.sess.Loc
	day, err := parseDay(loc, f.date.Text(), now)
	if err != nil {
		return reports.Query{}, "", err
	}
	start, err := parseClock(f.from.Text())
	if err != nil {
		return reports.Query{}, "", err
	}
	end, err := parseClock(f.to.Text())
	if err != nil {
		return reports.Query{}, "", err
	}
	if end <= start {
		return reports.Query{}, "", filterError("office.tx.range_reversed", i18n.Args{"End": clockText(end), "Start": clockText(start)})
	}
	q := reports.Query{}
	q.From, q.To = span(day, start, end)
	parts := []string{periodText(loc, q.From, q.To), loc.T("office.all_sellers"), loc.T("office.tx.any_status"),
		loc.T("office.tx.any_amount"), loc.T("office.tx.any_card")}
	var seller *pos.Seller
	if sel, ok := sellerAt(s.sess, f.seller.Choice); ok {
		seller, q.Seller, parts[1] = &sel, sel.ID, widgets.SellerName(sel)
	}
	if statuses := txStatuses(); f.status.Choice > 0 && f.status.Choice < len(statuses) {
		q.Status, parts[2] = statuses[f.status.Choice], txStatusLabel(loc, statuses[f.status.Choice])
	}
	if refunds := txRefundFilters(); f.refund.Choice > 0 && f.refund.Choice < len(refunds) {
		q.Refund = refunds[f.refund.Choice]
		parts[2] += ", " + f.refund.Options[f.refund.Choice]
	}
	if f.min.Text() != "" || f.max.Text() != "" {
		cur, err := amountCurrency(s.sess, seller)
		if err != nil {
			return reports.Query{}, "", err
		}
		if q.MinAmount, err = optAmount(loc, f.min.Text(), cur); err != nil {
			return reports.Query{}, "", filterError("office.tx.min_amount_bad", i18n.Args{"Error": err})
		}
		if q.MaxAmount, err = optAmount(loc, f.max.Text(), cur); err != nil {
			return reports.Query{}, "", filterError("office.tx.max_amount_bad", i18n.Args{"Error": err})
		}
		if q.MaxAmount > 0 && q.MinAmount > q.MaxAmount {
			return reports.Query{}, "", filterError("office.tx.min_above_max")
		}
		parts[3] = amountRange(loc, q.MinAmount, q.MaxAmount, cur)
	}
	if l := f.last4.Text(); l != "" {
		if len(l) != 4 {
			return reports.Query{}, "", filterError("office.tx.last4_bad")
		}
		q.Last4, parts[4] = l, loc.T("office.tx.card_last4", i18n.Args{"Last4": l})
	}
	return q, strings.Join(parts, " · "), nil
}

func optAmount(loc *i18n.Locale, s, cur string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	return loc.ParseAmount(s, cur)
}

func amountRange(loc *i18n.Locale, lo, hi int64, cur string) string {
	switch {
	case lo > 0 && hi > 0:
		return loc.MoneyNumber(lo, cur) + "–" + loc.Money(hi, cur)
	case lo > 0:
		return "≥ " + loc.Money(lo, cur)
	case hi > 0:
		return "≤ " + loc.Money(hi, cur)
	}
	return loc.T("office.tx.any_amount")
}

func (s *txScreen) Init() tea.Cmd { return s.load() }

func (s *txScreen) load() tea.Cmd {
	seq, q, r, timeout := s.Begin(s.sess), s.q, s.deps.Reports, 2*s.deps.Timeout
	return app.Timed(timeout, func(ctx context.Context) tea.Msg {
		res, err := r.Search(ctx, q)
		return txLoadedMsg{seq: seq, res: res, err: err}
	})
}

// shown reloads the list after money moved (a refund changes its row).
func (s *txScreen) Resume() tea.Cmd {
	if !s.sess.MoneyMoved {
		return nil
	}
	s.sess.MoneyMoved = false
	return s.load()
}

func (s *txScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case app.NoticesMsg: // a payment changed elsewhere: the list reloads
		if s.sess.IsTop(s) && !s.editing {
			return s.load()
		}
	case txLoadedMsg:
		if !s.Answered(msg.seq, msg.err) {
			return nil
		}
		if msg.err == nil {
			s.loaded, s.res = true, msg.res
			s.cursor = max(0, min(s.cursor, len(s.res.Rows)-1))
		}
	case tea.KeyMsg:
		if s.editing {
			return s.filterKey(msg)
		}
		return s.key(msg)
	}
	return nil
}

func (s *txScreen) key(msg tea.KeyMsg) tea.Cmd {
	k := s.deps.Keys
	s.problem = ""
	switch {
	case key.Matches(msg, k.Back):
		return app.Pop()
	case key.Matches(msg, k.Refresh):
		return s.load()
	case key.Matches(msg, k.Filters):
		s.f.seller.Options = sellerChoices(s.sess)
		s.editing = true
	case widgets.MoveCursor(k, msg, &s.cursor, len(s.res.Rows)):
	case key.Matches(msg, k.Choose):
		if s.cursor < len(s.res.Rows) {
			return app.Push(newTxDetailScreen(s.deps, s.sess, s.res.Rows[s.cursor]))
		}
	}
	return nil
}

func (s *txScreen) filterKey(msg tea.KeyMsg) tea.Cmd {
	k := s.deps.Keys
	switch {
	case key.Matches(msg, k.Back):
		s.editing, s.problem = false, ""
	case key.Matches(msg, k.Submit):
		q, label, err := s.query()
		if err != nil {
			s.problem = s.sess.Loc.Err(err)
			return nil
		}
		s.q, s.label, s.editing, s.problem, s.cursor = q, label, false, "", 0
		return s.load()
	case s.f.form.Key(msg):
		s.problem = ""
	}
	return nil
}

func (s *txScreen) Title() string { return app.AreaTitle(s.sess.Loc, app.AreaTransactions) }

func (s *txScreen) View(w, h int) string {
	st, sess := s.deps.Styles, s.sess
	count := ""
	if s.loaded {
		count = sess.N("count.transactions", len(s.res.Rows))
	}
	var b strings.Builder
	b.WriteString(widgets.Spread(st.Title.Render(s.Title()), st.Muted.Render(count), w) + "\n")
	used := 1
	if s.editing {
		b.WriteString(s.f.form.View(st, w, 12) + "\n")
		hint := st.Muted.Render(sess.T("office.tx.filter_hint"))
		if s.problem != "" {
			hint = widgets.StyledLines(st.Warning, s.problem, w)
		}
		b.WriteString(hint + "\n")
		used += len(s.f.form.Fields) + widgets.LineCount(hint)
	} else {
		b.WriteString(widgets.Spread(st.Value.Render(s.label), st.Faint.Render("/ "+sess.T("key.filters")), w) + "\n")
		used++
	}
	switch {
	case s.Busy:
		b.WriteString(s.deps.Spinner(s.sess) + st.Muted.Render(" "+sess.T("office.tx.searching")) + "\n")
		used++
	case s.Err != nil:
		msg := widgets.ErrLines(s.deps.Styles, sess.Loc, sess.T("office.tx.search_failed"), s.Err, w)
		b.WriteString(msg + "\n")
		used += widgets.LineCount(msg)
	}
	var notes []string
	for _, e := range s.res.Partial {
		notes = append(notes, widgets.ErrorLines(st.Warning, "⚠ "+sess.T("office.tx.incomplete"), widgets.ErrText(sess.Loc, e), w))
	}
	switch {
	case s.res.Truncated:
		notes = append(notes, widgets.StyledLines(st.Warning, "⚠ "+sess.T("office.tx.truncated"), w))
	case s.res.Unchecked > 0:
		notes = append(notes, widgets.StyledLines(st.Warning, "⚠ "+sess.N("office.tx.unchecked", s.res.Unchecked), w))
	}
	for _, n := range notes {
		b.WriteString(n + "\n")
		used += widgets.LineCount(n)
	}
	if !s.loaded {
		return b.String()
	}
	if len(s.res.Rows) == 0 {
		b.WriteString("\n" + st.Muted.Render("  "+sess.T("office.tx.none")))
		return b.String()
	}
	b.WriteString(st.Label.Render("  "+s.rowText(nil, w)) + "\n")
	rows := max(1, h-used-1)
	s.offset = widgets.ScrollTo(s.cursor, s.offset, rows)
	for i := s.offset; i < min(len(s.res.Rows), s.offset+rows); i++ {
		r := s.res.Rows[i]
		mark, text := widgets.RowStyle(st, i == s.cursor)
		b.WriteString(mark + text.Render(s.rowText(&r, w)) + "\n")
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// txCols are the widths of the list's columns at one screen width. The
// payment id is never cut: it is what a supervisor reads out to Stripe
// support or types into kasse refund. Card and refunded amount come and
// go with the width (the status says "refunded" or "part refunded"; the
// detail shows both).
type txCols struct {
	seller, id        int
	refunded, card    bool
	time, amount, sts int
}

const (
	txTimeW, txAmountW, txStatusW, txRefundedW, txCardW = 5, 13, 13, 9, 11
	txSellerMin, txSellerMax                            = 12, 22
)

// columns lays the list out in w-2 columns (the selection mark takes 2)
// for ids up to idw long.
func txColumns(w, idw, headW int) txCols {
	c := txCols{time: txTimeW, amount: txAmountW, sts: txStatusW, id: max(headW, idw)}
	room := w - 2 - (c.time + 1) - (c.amount + 1) - (c.sts + 1) - c.id - 1 // left for the seller and the optional columns
	if room-(txCardW+1) >= txSellerMin {
		c.card, room = true, room-(txCardW+1)
	}
	if room-(txRefundedW+1) >= txSellerMin {
		c.refunded, room = true, room-(txRefundedW+1)
	}
	c.seller = max(txSellerMin, min(txSellerMax, room))
	if c.seller > room { // too narrow even for the seller's minimum: the id still comes whole
		c.seller = max(4, room)
	}
	return c
}

// idWidth is the longest payment id among rows.
func (s *txScreen) idWidth() int {
	n := 0
	for _, r := range s.res.Rows {
		n = max(n, len(r.IntentID))
	}
	return n
}

// rowText renders one row (nil: the column heads) in w-2 columns.
func (s *txScreen) rowText(r *reports.Row, w int) string {
	c := txColumns(w, s.idWidth(), app.TextWidth(s.sess.T("office.tx.col_payment")))
	var b strings.Builder
	col := func(text string, width int, right bool) {
		if right {
			b.WriteString(widgets.CellRight(text, width))
		} else {
			b.WriteString(widgets.Cell(text, width))
		}
		b.WriteByte(' ')
	}
	t := s.sess.T
	if r == nil {
		col(t("office.tx.col_time"), c.time, false)
		col(t("office.seller"), c.seller, false)
		col(t("office.tx.col_amount"), c.amount, true)
		if c.refunded {
			col(t("office.tx.col_refunded"), txRefundedW, true)
		}
		col(t("office.tx.status"), c.sts, false)
		if c.card {
			col(t("office.tx.col_card"), txCardW, false)
		}
		b.WriteString(widgets.Cell(t("office.tx.col_payment"), c.id))
		return b.String()
	}
	name := r.SellerName
	if name == "" {
		name = widgets.AccountName(s.sess, r.Seller)
	}
	refunded := "–"
	switch {
	case r.Refunded > 0:
		refunded = s.sess.MoneyNumber(r.Refunded, r.Currency)
	case !r.RefundedKnown && r.Status == reports.StatusApproved:
		refunded = "?"
	}
	card := ""
	if r.Card.Last4 != "" {
		card = brandShort(s.sess.Loc, r.Card.Brand) + " ··" + r.Card.Last4
	}
	col(s.sess.FormatTime(r.Created.In(s.deps.Now().Location()), "format.clock"), c.time, false)
	col(name, c.seller, false)
	col(s.sess.Money(r.Amount, r.Currency), c.amount, true)
	if c.refunded {
		col(refunded, txRefundedW, true)
	}
	col(rowStatus(s.sess.Loc, *r), c.sts, false)
	if c.card {
		col(card, txCardW, false)
	}
	b.WriteString(r.IntentID)
	return b.String()
}

// brandShort abbreviates a card brand for a column.
func brandShort(loc *i18n.Locale, b string) string {
	switch strings.ToLower(b) {
	case "mastercard":
		return "MC" // i18n:ok a card brand
	case "american_express", "amex":
		return "AMEX" // i18n:ok a card brand
	case "":
		return loc.T("sale.receipt.card")
	}
	b = strings.ToUpper(b)
	if len(b) > 5 {
		b = b[:4]
	}
	return b
}

func (s *txScreen) Loading() bool      { return s.Busy }
func (s *txScreen) CapturesText() bool { return s.editing }

func (s *txScreen) ShortHelp() []key.Binding {
	k := s.deps.Keys
	if s.editing {
		return []key.Binding{k.Fields, k.Cycle, k.Submit, k.Back}
	}
	return []key.Binding{k.Up, k.Down, k.Choose, k.Filters, k.Refresh, k.Back, k.Help}
}

func (s *txScreen) FullHelp() [][]key.Binding {
	k := s.deps.Keys
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Choose}, {k.Filters, k.Refresh}, k.FormHelp(), k.AreaHelp()}
}

// MinSize: every column at 80.
func (s *txScreen) MinSize() (int, int) { return 80, app.DefaultMinHeight }
