package ui

import (
	"context"
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kasse/internal/plural"
	"kasse/pos"
	"kasse/reports"
)

// txScreen is the supervisor's transaction search: today by default, a
// compact filter bar (/ edits it: date and time range, seller, status,
// amount range, card last 4), the rows Reports.Search returns and the
// sellers whose listing failed. Enter opens a transaction.
type txScreen struct {
	sh      *shared
	q       reports.Query
	label   string // the applied filters, for people
	f       *txFilter
	editing bool

	res     reports.Result
	cursor  int
	offset  int
	request // the search
	loaded  bool
	problem string
}

type txFilter struct {
	form                                                    *form
	date, from, to, seller, status, refund, min, max, last4 *field
}

// txLoadedMsg answers Reports.Search.
type txLoadedMsg struct {
	seq int
	res reports.Result
	err error
}

func newTxScreen(sh *shared) *txScreen {
	f := &txFilter{
		date:   textField("Date", 10, "YYYY-MM-DD"),
		from:   textField("From", 5, "HH:MM"),
		to:     textField("To", 5, "HH:MM (24:00 = end of day)"),
		seller: choiceField("Seller", sellerChoices(sh), ""),
		status: choiceField("Status", txStatusChoices(), ""),
		refund: choiceField("Refunds", []string{"any", "none", "partly refunded", "fully refunded"}, ""),
		min:    textField("Min amount", 16, "empty = open"),
		max:    textField("Max amount", 16, "empty = open"),
		last4:  digitsField("Card last 4", 4, ""),
	}
	f.date.set(sh.deps.Now().Format(dateLayout))
	f.from.set("00:00")
	f.to.set("24:00")
	f.form = newForm(f.date, f.from, f.to, f.seller, f.status, f.refund, f.min, f.max, f.last4)
	s := &txScreen{sh: sh, f: f}
	s.q, s.label, _ = s.query()
	return s
}

func txStatusChoices() []string {
	out := make([]string, len(txStatuses))
	for i, st := range txStatuses {
		out[i] = txStatusLabel(st)
	}
	out[0] = "any status"
	return out
}

func txStatusLabel(s reports.Status) string {
	switch s {
	case reports.StatusAuthorized:
		return "uncaptured"
	case reports.StatusTest:
		return "reader tests"
	}
	return string(s)
}

// testStatus names a reader test payment's outcome: it is no sale, and
// the list says so first.
var testStatus = map[reports.Status]string{reports.StatusApproved: "test captured", reports.StatusCanceled: "test voided",
	reports.StatusDeclined: "test declined", reports.StatusAuthorized: "test held", reports.StatusFailed: "test failed",
	reports.StatusOpen: "test open"}

// rowStatus is a row's status with its refunds.
func rowStatus(r reports.Row) string {
	switch {
	case r.Kind == reports.KindTest:
		if s, ok := testStatus[r.Status]; ok {
			return s
		}
		return "test"
	case r.Status != reports.StatusApproved || r.Refunded <= 0:
		return txStatusLabel(r.Status)
	case r.Refunded >= r.Amount:
		return "refunded"
	}
	return "part refunded"
}

func (s *txScreen) areaName() string { return areaTitle(AreaTransactions) }

// query builds the search from the filter fields.
func (s *txScreen) query() (reports.Query, string, error) {
	f, now := s.f, s.sh.deps.Now()
	day, err := parseDay(f.date.text(), now)
	if err != nil {
		return reports.Query{}, "", err
	}
	start, err := parseClock(f.from.text())
	if err != nil {
		return reports.Query{}, "", err
	}
	end, err := parseClock(f.to.text())
	if err != nil {
		return reports.Query{}, "", err
	}
	if end <= start {
		return reports.Query{}, "", fmt.Errorf("the time range ends (%s) before it starts (%s)", clockText(end), clockText(start))
	}
	q := reports.Query{}
	q.From, q.To = span(day, start, end)
	parts := []string{periodText(q.From, q.To), "all sellers", "any status", "any amount", "any card"}
	var seller *pos.Seller
	if sel, ok := sellerAt(s.sh, f.seller.choice); ok {
		seller, q.Seller, parts[1] = &sel, sel.ID, sellerName(sel)
	}
	if f.status.choice > 0 && f.status.choice < len(txStatuses) {
		q.Status, parts[2] = txStatuses[f.status.choice], txStatusLabel(txStatuses[f.status.choice])
	}
	if f.refund.choice > 0 && f.refund.choice < len(txRefundFilters) {
		q.Refund = txRefundFilters[f.refund.choice]
		parts[2] += ", " + f.refund.options[f.refund.choice]
	}
	if f.min.text() != "" || f.max.text() != "" {
		cur, err := amountCurrency(s.sh, seller)
		if err != nil {
			return reports.Query{}, "", err
		}
		if q.MinAmount, err = optAmount(f.min.text(), cur); err != nil {
			return reports.Query{}, "", fmt.Errorf("min amount: %w", err)
		}
		if q.MaxAmount, err = optAmount(f.max.text(), cur); err != nil {
			return reports.Query{}, "", fmt.Errorf("max amount: %w", err)
		}
		if q.MaxAmount > 0 && q.MinAmount > q.MaxAmount {
			return reports.Query{}, "", fmt.Errorf("the min amount is above the max amount")
		}
		parts[3] = amountRange(q.MinAmount, q.MaxAmount, cur)
	}
	if l := f.last4.text(); l != "" {
		if len(l) != 4 {
			return reports.Query{}, "", fmt.Errorf("card last 4: type exactly 4 digits")
		}
		q.Last4, parts[4] = l, "card ····"+l
	}
	return q, strings.Join(parts, " · "), nil
}

func optAmount(s, cur string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	return pos.ParseAmount(s, cur)
}

func amountRange(lo, hi int64, cur string) string {
	switch {
	case lo > 0 && hi > 0:
		return amountNum(lo, cur) + "–" + pos.Format(hi, cur)
	case lo > 0:
		return "≥ " + pos.Format(lo, cur)
	case hi > 0:
		return "≤ " + pos.Format(hi, cur)
	}
	return "any amount"
}

func (s *txScreen) load() tea.Cmd {
	seq, q, r, timeout := s.begin(s.sh), s.q, s.sh.deps.Reports, 2*s.sh.deps.Timeout
	return timed(timeout, func(ctx context.Context) tea.Msg {
		res, err := r.Search(ctx, q)
		return txLoadedMsg{seq: seq, res: res, err: err}
	})
}

// shown reloads the list after money moved (a refund changes its row).
func (s *txScreen) shown() tea.Cmd {
	if !s.sh.moneyMoved {
		return nil
	}
	s.sh.moneyMoved = false
	return s.load()
}

func (s *txScreen) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case txLoadedMsg:
		if !s.answered(msg.seq, msg.err) {
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
	k := s.sh.keys
	s.problem = ""
	switch {
	case key.Matches(msg, k.Back):
		return emit(backMsg{})
	case key.Matches(msg, k.Refresh):
		return s.load()
	case key.Matches(msg, k.Filters):
		s.f.seller.options = sellerChoices(s.sh)
		s.editing = true
	case key.Matches(msg, k.Up):
		s.cursor = max(0, s.cursor-1)
	case key.Matches(msg, k.Down):
		s.cursor = max(0, min(len(s.res.Rows)-1, s.cursor+1))
	case key.Matches(msg, k.PageUp):
		s.cursor = max(0, s.cursor-10)
	case key.Matches(msg, k.PageDown):
		s.cursor = max(0, min(len(s.res.Rows)-1, s.cursor+10))
	case key.Matches(msg, k.Choose):
		if s.cursor < len(s.res.Rows) {
			d := newTxDetailScreen(s.sh, s.res.Rows[s.cursor])
			return emit(pushMsg{s: d, cmd: d.load()})
		}
	}
	return nil
}

func (s *txScreen) filterKey(msg tea.KeyMsg) tea.Cmd {
	k := s.sh.keys
	switch {
	case key.Matches(msg, k.Back):
		s.editing, s.problem = false, ""
	case key.Matches(msg, k.Submit):
		q, label, err := s.query()
		if err != nil {
			s.problem = err.Error()
			return nil
		}
		s.q, s.label, s.editing, s.problem, s.cursor = q, label, false, "", 0
		return s.load()
	case s.f.form.key(msg):
		s.problem = ""
	}
	return nil
}

func (s *txScreen) title() string { return "Transactions" }

func (s *txScreen) view(w, h int) string {
	st := s.sh.st
	count := ""
	if s.loaded {
		count = plural.Count(len(s.res.Rows), "transaction")
	}
	var b strings.Builder
	b.WriteString(spread(st.Title.Render("Transactions"), st.Muted.Render(count), w) + "\n")
	used := 1
	if s.editing {
		b.WriteString(s.f.form.view(st, w, 12) + "\n")
		hint := st.Muted.Render("enter applies · esc keeps the current filters")
		if s.problem != "" {
			hint = styledLines(st.Warning, s.problem, w)
		}
		b.WriteString(hint + "\n")
		used += len(s.f.form.fields) + lineCount(hint)
	} else {
		b.WriteString(spread(st.Value.Render(s.label), st.Faint.Render("/ filters"), w) + "\n")
		used++
	}
	switch {
	case s.busy:
		b.WriteString(s.sh.spinner() + st.Muted.Render(" Searching…") + "\n")
		used++
	case s.err != nil:
		msg := s.sh.errLines("Search failed: ", s.err, w)
		b.WriteString(msg + "\n")
		used += lineCount(msg)
	}
	var notes []string
	for _, e := range s.res.Partial {
		notes = append(notes, errorLines(st.Warning, "⚠ Incomplete: ", errText(e), w))
	}
	switch {
	case s.res.Truncated:
		notes = append(notes, styledLines(st.Warning, "⚠ More transactions may match: narrow the filters.", w))
	case s.res.Unchecked > 0:
		notes = append(notes, styledLines(st.Warning, fmt.Sprintf("⚠ %s made elsewhere could not be checked for card or refunds: narrow the time range.",
			plural.Count(s.res.Unchecked, "payment")), w))
	}
	for _, n := range notes {
		b.WriteString(n + "\n")
		used += lineCount(n)
	}
	if !s.loaded {
		return b.String()
	}
	if len(s.res.Rows) == 0 {
		b.WriteString("\n" + st.Muted.Render("  No transaction matches these filters."))
		return b.String()
	}
	b.WriteString(st.Label.Render("  "+s.rowText(nil, w)) + "\n")
	rows := max(1, h-used-1)
	if s.cursor < s.offset {
		s.offset = s.cursor
	}
	if s.cursor >= s.offset+rows {
		s.offset = s.cursor - rows + 1
	}
	for i := s.offset; i < min(len(s.res.Rows), s.offset+rows); i++ {
		r := s.res.Rows[i]
		mark, text := rowStyle(st, i == s.cursor)
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
func txColumns(w, idw int) txCols {
	c := txCols{time: txTimeW, amount: txAmountW, sts: txStatusW, id: max(len("Payment"), idw)}
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
	c := txColumns(w, s.idWidth())
	var b strings.Builder
	col := func(text string, width int, right bool) {
		if right {
			b.WriteString(cellRight(text, width))
		} else {
			b.WriteString(cell(text, width))
		}
		b.WriteByte(' ')
	}
	if r == nil {
		col("Time", c.time, false)
		col("Seller", c.seller, false)
		col("Amount", c.amount, true)
		if c.refunded {
			col("Refunded", txRefundedW, true)
		}
		col("Status", c.sts, false)
		if c.card {
			col("Card", txCardW, false)
		}
		b.WriteString(cell("Payment", c.id))
		return b.String()
	}
	name := r.SellerName
	if name == "" {
		name = s.sh.accountName(r.Seller)
	}
	refunded := "–"
	switch {
	case r.Refunded > 0:
		refunded = amountNum(r.Refunded, r.Currency)
	case !r.RefundedKnown && r.Status == reports.StatusApproved:
		refunded = "?"
	}
	card := ""
	if r.Card.Last4 != "" {
		card = brandShort(r.Card.Brand) + " ··" + r.Card.Last4
	}
	col(r.Created.In(s.sh.deps.Now().Location()).Format("15:04"), c.time, false)
	col(name, c.seller, false)
	col(pos.Format(r.Amount, r.Currency), c.amount, true)
	if c.refunded {
		col(refunded, txRefundedW, true)
	}
	col(rowStatus(*r), c.sts, false)
	if c.card {
		col(card, txCardW, false)
	}
	b.WriteString(r.IntentID)
	return b.String()
}

// brandShort abbreviates a card brand for a column.
func brandShort(b string) string {
	switch strings.ToLower(b) {
	case "mastercard":
		return "MC"
	case "american_express", "amex":
		return "AMEX"
	case "":
		return "card"
	}
	b = strings.ToUpper(b)
	if len(b) > 5 {
		b = b[:4]
	}
	return b
}

func (s *txScreen) loading() bool      { return s.busy }
func (s *txScreen) capturesText() bool { return s.editing }

func (s *txScreen) shortHelp() []key.Binding {
	k := s.sh.keys
	if s.editing {
		return []key.Binding{k.Fields, k.Cycle, k.Submit, k.Back}
	}
	return []key.Binding{k.Up, k.Down, k.Choose, k.Filters, k.Refresh, k.Back, k.Help}
}

func (s *txScreen) fullHelp() [][]key.Binding {
	k := s.sh.keys
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Choose}, {k.Filters, k.Refresh}, k.formHelp(), k.areaHelp()}
}
