package office

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kasse/i18n"
	"kasse/pos"
	"kasse/reports"
	"kasse/ui/app"
	"kasse/ui/widgets"
)

// eodScreen is the end-of-day report: a period (today, a date, or a shift
// from start to end, across midnight if need be) and a seller filter; per
// seller the number of sales, gross, refunds, tips and net, and the
// takings by card brand. x and p export the report shown as CSV or as
// printable text through Deps.Exports.
type eodScreen struct {
	deps    *app.Deps
	sess    *app.Session
	form    *widgets.Form
	period  *widgets.Field
	date    *widgets.Field
	start   *widgets.Field
	end     *widgets.Field
	seller  *widgets.Field
	editing bool

	q               eodQuery
	label           string
	name            string // export file stem
	rep             reports.Report
	widgets.Request // the report's read
	loaded          bool
	problem         string

	saving  bool
	saved   string
	saveErr error
	scroll  int
}

const (
	periodToday = iota
	periodDate
	periodShift
)

// eodQuery is what Reports.EndOfDay is asked: a period and a seller ("" =
// every seller).
type eodQuery struct {
	reports.Period
	Seller pos.Account
}

type eodLoadedMsg struct {
	seq int
	rep reports.Report
	err error
}

// exportSavedMsg answers Deps.Exports.Save; tag names who asked, what
// the export (a message ready to show).
type exportSavedMsg struct {
	tag  string
	what string
	path string
	err  error
}

// exportCmd renders rep (reports.WriteCSV, a WriteText) and saves it as
// name through sv. The exports are reports' own formats: language-neutral
// CSV and the printable report in the session's language.
func exportCmd(sv app.Saver, tag, what, name string, rep reports.Report, render func(io.Writer, reports.Report) error) tea.Cmd {
	return func() tea.Msg {
		var buf bytes.Buffer
		if err := render(&buf, rep); err != nil {
			return exportSavedMsg{tag: tag, what: what, err: err}
		}
		p, err := sv.Save(name, buf.Bytes())
		return exportSavedMsg{tag: tag, what: what, path: p, err: err}
	}
}

// writeText is the printable export in loc's words: reports.WriteText at
// the receipt printer's width.
func writeText(loc *i18n.Locale) func(io.Writer, reports.Report) error {
	return func(w io.Writer, r reports.Report) error {
		return reports.WriteText(w, r, reports.DefaultTextWidth, loc)
	}
}

// NewEndOfDay is the End of day area's first screen.
func NewEndOfDay(deps *app.Deps, sess *app.Session) app.Screen { return newEODScreen(deps, sess) }

func newEODScreen(deps *app.Deps, sess *app.Session) *eodScreen {
	t := sess.T
	s := &eodScreen{deps: deps, sess: sess,
		period: widgets.ChoiceField(t("office.eod.period"), []string{t("office.eod.today"), t("office.eod.a_date"), t("office.eod.a_shift")}, ""),
		date:   widgets.TextField(t("office.tx.date"), 10, t("office.period.date_hint")),
		start:  widgets.TextField(t("office.eod.shift_start"), 5, t("office.period.time_hint")),
		end:    widgets.TextField(t("office.eod.shift_end"), 5, t("office.eod.shift_end_hint")),
		seller: widgets.ChoiceField(t("office.seller"), sellerChoices(sess), ""),
	}
	s.date.Set(dateText(sess.Loc, deps.Now()))
	s.start.Set("06:00")
	s.end.Set("14:00")
	s.form = widgets.NewForm(s.period, s.date, s.start, s.end, s.seller)
	s.showFields()
	s.q, s.label, s.name, _ = s.query()
	return s
}

func (s *eodScreen) Area() string { return app.AreaTitle(s.sess.Loc, app.AreaEndOfDay) }

func (s *eodScreen) showFields() {
	p := s.period.Choice
	s.date.Hidden = p == periodToday
	s.start.Hidden, s.end.Hidden = p != periodShift, p != periodShift
}

// query builds the report's period and seller from the fields.
func (s *eodScreen) query() (eodQuery, string, string, error) {
	now, loc := s.deps.Now(), s.sess.Loc
	day := dayStart(now)
	var err error
	if s.period.Choice != periodToday {
		if day, err = parseDay(loc, s.date.Text(), now); err != nil {
			return eodQuery{}, "", "", err
		}
	}
	// The report's label and the file name stay YYYY-MM-DD: exports are
	// language-neutral.
	q := eodQuery{Period: reports.Period{From: day, To: day.Add(24 * time.Hour), Label: day.Format(isoDate)}}
	name := "eod-" + day.Format(isoDate) // i18n:ok a file name
	if s.period.Choice == periodShift {
		a, err := parseClock(s.start.Text())
		if err != nil {
			return eodQuery{}, "", "", err
		}
		b, err := parseClock(s.end.Text())
		if err != nil {
			return eodQuery{}, "", "", err
		}
		q.From, q.To = span(day, a, b)
		q.Label += " " + clockText(a) + "–" + clockText(b%(24*60))
		name += "-" + strings.ReplaceAll(clockText(a), ":", "") + "-" + strings.ReplaceAll(clockText(b%(24*60)), ":", "")
	}
	label := periodText(loc, q.From, q.To) + " · " + loc.T("office.all_sellers")
	if sel, ok := sellerAt(s.sess, s.seller.Choice); ok {
		q.Seller = sel.ID
		label = periodText(loc, q.From, q.To) + " · " + widgets.SellerName(sel)
		name += "-" + string(sel.ID)
	}
	return q, label, name, nil
}

func (s *eodScreen) Init() tea.Cmd { return s.load() }

func (s *eodScreen) load() tea.Cmd {
	seq, q, r, timeout := s.Begin(s.sess), s.q, s.deps.Reports, 2*s.deps.Timeout
	return app.Timed(timeout, func(ctx context.Context) tea.Msg {
		rep, err := r.EndOfDay(ctx, q.Period, q.Seller)
		return eodLoadedMsg{seq: seq, rep: rep, err: err}
	})
}

func (s *eodScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case eodLoadedMsg:
		if !s.Answered(msg.seq, msg.err) {
			return nil
		}
		if msg.err == nil {
			s.loaded, s.rep = true, msg.rep
		}
	case exportSavedMsg:
		if msg.tag != "eod" {
			return nil
		}
		s.saving, s.saveErr, s.saved = false, msg.err, ""
		if msg.err == nil {
			s.saved = s.sess.T("office.eod.saved", i18n.Args{"What": msg.what, "Path": msg.path})
		}
	case tea.KeyMsg:
		if s.editing {
			return s.formKey(msg)
		}
		return s.key(msg)
	}
	return nil
}

func (s *eodScreen) key(msg tea.KeyMsg) tea.Cmd {
	k := s.deps.Keys
	s.problem = ""
	switch {
	case key.Matches(msg, k.Back):
		return app.Pop()
	case key.Matches(msg, k.Refresh):
		return s.load()
	case key.Matches(msg, k.Filters):
		s.seller.Options = sellerChoices(s.sess)
		s.editing = true
	case key.Matches(msg, k.Up):
		s.scroll = max(0, s.scroll-1)
	case key.Matches(msg, k.Down):
		s.scroll++
	case key.Matches(msg, k.ExportCSV):
		return s.export(s.sess.T("office.eod.csv"), ".csv", reports.WriteCSV) // i18n:ok a file extension
	case key.Matches(msg, k.ExportText):
		return s.export(s.sess.T("office.eod.printable"), ".txt", writeText(s.sess.Loc)) // i18n:ok a file extension
	}
	return nil
}

func (s *eodScreen) formKey(msg tea.KeyMsg) tea.Cmd {
	k := s.deps.Keys
	switch {
	case key.Matches(msg, k.Back):
		s.editing, s.problem = false, ""
	case key.Matches(msg, k.Submit):
		q, label, name, err := s.query()
		if err != nil {
			s.problem = s.sess.Loc.Err(err)
			return nil
		}
		s.q, s.label, s.name, s.editing, s.problem = q, label, name, false, ""
		s.saved, s.saveErr = "", nil
		return s.load()
	case s.form.Key(msg):
		s.showFields()
		s.problem = ""
	}
	return nil
}

// export saves the report shown, rendered by render, through Deps.Exports.
func (s *eodScreen) export(what, ext string, render func(io.Writer, reports.Report) error) tea.Cmd {
	sv := s.deps.Exports
	switch {
	case sv == nil:
		s.problem = s.sess.T("office.eod.no_exports")
		return nil
	case !s.loaded || s.Busy:
		s.problem = s.sess.T("office.eod.wait")
		return nil
	}
	s.saving, s.saveErr, s.saved = true, nil, ""
	return exportCmd(sv, "eod", what, s.name+ext, s.rep, render) // i18n:ok a message tag
}

func (s *eodScreen) Title() string { return app.AreaTitle(s.sess.Loc, app.AreaEndOfDay) }

const (
	eodName = 26
	eodNum  = 13
)

func (s *eodScreen) View(w, h int) string {
	st, sess := s.deps.Styles, s.sess
	var b strings.Builder
	b.WriteString(st.Title.Render(s.Title()) + "\n")
	if s.editing {
		b.WriteString(s.form.View(st, w, 12) + "\n")
		hint := st.Muted.Render(sess.T("office.eod.form_hint"))
		if s.problem != "" {
			hint = widgets.StyledLines(st.Warning, s.problem, w)
		}
		return b.String() + hint
	}
	b.WriteString(widgets.Spread(st.Value.Render(s.label), st.Faint.Render("/ "+sess.T("office.eod.filters")), w) + "\n\n")
	switch {
	case s.Busy && !s.loaded:
		return b.String() + s.deps.Spinner(s.sess) + st.Muted.Render(" "+sess.T("office.eod.adding_up"))
	case s.Err != nil && !s.loaded:
		return b.String() + widgets.ErrLines(s.deps.Styles, sess.Loc, sess.T("office.eod.failed"), s.Err, w) + "\n\n" +
			st.Muted.Render(sess.T("sale.sellers.load_hint"))
	}
	b.WriteString(st.Label.Render(widgets.Cell(sess.T("office.seller"), eodName)+widgets.CellRight(sess.T("office.eod.sales"), 7)+
		widgets.CellRight(sess.T("office.eod.gross"), eodNum)+widgets.CellRight(sess.T("office.eod.refunds"), eodNum)+
		widgets.CellRight(sess.T("office.eod.tips"), eodNum)+widgets.CellRight(sess.T("office.eod.net"), eodNum+4)) + "\n")
	var lines []string
	if len(s.rep.Sellers) == 0 {
		lines = append(lines, st.Muted.Render("  "+sess.T("office.eod.no_sales")))
	}
	for _, x := range s.rep.Sellers {
		name := x.Name
		if name == "" {
			name = widgets.AccountName(s.sess, x.Seller)
		}
		for _, t := range x.Currencies {
			lines = append(lines, s.totalsRows(name, t, w)...)
		}
	}
	if len(s.rep.Sellers) > 1 && len(s.rep.Totals) > 0 {
		lines = append(lines, st.Rule.Render(strings.Repeat("─", min(w, eodName+7+4*eodNum+4))))
		for _, t := range s.rep.Totals {
			lines = append(lines, s.totalsRows(sess.T("office.eod.all_sellers"), t, w)...)
		}
	}
	for _, e := range s.rep.Partial {
		lines = append(lines, strings.Split(widgets.ErrorLines(st.Warning, "⚠ "+sess.T("office.eod.not_counted"), widgets.ErrText(sess.Loc, e), w), "\n")...)
	}
	room := max(1, h-6)
	s.scroll = max(0, min(s.scroll, len(lines)-room))
	for i := s.scroll; i < min(len(lines), s.scroll+room); i++ {
		b.WriteString(lines[i] + "\n")
	}
	if len(lines) > room {
		b.WriteString(st.Faint.Render(sess.T("office.eod.scroll", i18n.Args{"From": s.scroll + 1, "To": min(len(lines), s.scroll+room), "Of": len(lines)})) + "\n")
	}
	b.WriteString("\n")
	switch {
	case s.problem != "":
		b.WriteString(widgets.StyledLines(st.Warning, s.problem, w))
	case s.saving:
		b.WriteString(s.deps.Spinner(s.sess) + st.Muted.Render(" "+sess.T("office.eod.saving")))
	case s.saveErr != nil:
		b.WriteString(widgets.ErrLines(s.deps.Styles, sess.Loc, sess.T("office.eod.export_failed"), s.saveErr, w))
	case s.saved != "":
		b.WriteString(widgets.WrapText(st.Success.Render("✓ ")+st.Value.Render(s.saved), w))
	case s.Busy || s.Err != nil:
		b.WriteString(widgets.ReloadNote(s.deps, s.sess, s.Busy, s.Err, w))
	default:
		b.WriteString(st.Muted.Render(sess.T("office.eod.hint")))
	}
	return b.String()
}

// totalsRows renders takings in one currency: the figures, the card
// brands and what was counted but not summed.
func (s *eodScreen) totalsRows(name string, t reports.Totals, w int) []string {
	st, sess := s.deps.Styles, s.sess
	cur := t.Currency
	name += " (" + strings.ToUpper(cur) + ")"
	neg := func(n int64) string {
		if n == 0 {
			return "–"
		}
		return sess.MoneyNumber(-n, cur)
	}
	out := []string{st.Value.Render(widgets.Cell(name, eodName)+widgets.CellRight(fmt.Sprint(t.Sales), 7)+widgets.CellRight(sess.MoneyNumber(t.Gross, cur), eodNum)) +
		st.Warning.Render(widgets.CellRight(neg(t.Refunds), eodNum)) + st.Value.Render(widgets.CellRight(sess.MoneyNumber(t.Tips, cur), eodNum)) +
		st.Total.Render(widgets.CellRight(sess.Money(t.Net, cur), eodNum+4))}
	var brands []string
	for _, br := range t.Brands {
		brands = append(brands, fmt.Sprintf("%s %d · %s", strings.ToUpper(widgets.OrDash(br.Brand)), br.Sales, sess.MoneyNumber(br.Gross, cur)))
	}
	if len(brands) > 0 {
		out = append(out, widgets.Cell(st.Muted.Render("   "+strings.Join(brands, "   ")), w))
	}
	if t.PlatformFees != 0 { // Connect: what the platform kept, what the seller keeps
		out = append(out, widgets.Cell(st.Value.Render("   "+sess.T("fees.eod.line", i18n.Args{"Fees": sess.MoneyNumber(t.PlatformFees, cur),
			"Net": sess.Money(t.NetToSeller, cur)})), w))
	}
	var other []string
	if t.RefundCount > 0 {
		other = append(other, sess.N("count.refunds", t.RefundCount))
	}
	if t.Declined > 0 {
		other = append(other, sess.N("office.eod.declined", t.Declined))
	}
	if t.Canceled > 0 {
		other = append(other, sess.N("office.eod.canceled", t.Canceled))
	}
	if t.Failed > 0 {
		other = append(other, sess.N("office.eod.failed_count", t.Failed))
	}
	if t.Authorized > 0 {
		other = append(other, sess.N("office.eod.uncaptured", t.Authorized))
	}
	if t.Open > 0 {
		other = append(other, sess.N("office.eod.open", t.Open))
	}
	if t.UnsettledRefunds > 0 {
		other = append(other, sess.N("office.eod.unsettled_refunds", t.UnsettledRefunds, i18n.Args{"Amount": sess.MoneyNumber(t.UnsettledAmount, cur)}))
	}
	if t.Tests > 0 { // reader tests are no sales: counted apart, never in the figures
		tests := sess.N("office.eod.reader_tests", t.Tests)
		if t.TestAmount > 0 {
			tests = sess.N("office.eod.reader_tests_captured", t.Tests, i18n.Args{"Amount": sess.MoneyNumber(t.TestAmount, cur)})
		}
		other = append(other, tests)
	}
	if len(other) > 0 {
		out = append(out, widgets.Cell(st.Faint.Render("   "+strings.Join(other, " · ")), w))
	}
	return out
}

func (s *eodScreen) Loading() bool      { return s.Busy || s.saving }
func (s *eodScreen) CapturesText() bool { return s.editing }

func (s *eodScreen) ShortHelp() []key.Binding {
	k := s.deps.Keys
	if s.editing {
		return []key.Binding{k.Fields, k.Cycle, k.Submit, k.Back}
	}
	return []key.Binding{k.Filters, k.ExportCSV, k.ExportText, k.Refresh, k.Back, k.Help}
}

func (s *eodScreen) FullHelp() [][]key.Binding {
	k := s.deps.Keys
	return [][]key.Binding{{k.Filters, k.ExportCSV, k.ExportText, k.Refresh}, k.FormHelp(), k.AreaHelp()}
}

// MinSize: every column at 80.
func (s *eodScreen) MinSize() (int, int) { return 80, app.DefaultMinHeight }
