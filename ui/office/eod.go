package ui

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kasse/internal/plural"
	"kasse/pos"
	"kasse/reports"
)

// eodScreen is the end-of-day report: a period (today, a date, or a shift
// from start to end, across midnight if need be) and a seller filter; per
// seller the number of sales, gross, refunds, tips and net, and the
// takings by card brand. x and p export the report shown as CSV or as
// printable text through Deps.Exports.
type eodScreen struct {
	sh      *shared
	form    *form
	period  *field
	date    *field
	start   *field
	end     *field
	seller  *field
	editing bool

	q       eodQuery
	label   string
	name    string // export file stem
	rep     reports.Report
	request // the report's read
	loaded  bool
	problem string

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

// exportSavedMsg answers Deps.Exports.Save; tag names who asked.
type exportSavedMsg struct {
	tag  string
	what string
	path string
	err  error
}

// exportCmd renders rep (reports.WriteCSV, a WriteText) and saves it as
// name through sv.
func exportCmd(sv Saver, tag, what, name string, rep reports.Report, render func(io.Writer, reports.Report) error) tea.Cmd {
	return func() tea.Msg {
		var buf bytes.Buffer
		if err := render(&buf, rep); err != nil {
			return exportSavedMsg{tag: tag, what: what, err: err}
		}
		p, err := sv.Save(name, buf.Bytes())
		return exportSavedMsg{tag: tag, what: what, path: p, err: err}
	}
}

// writeText is the printable export: reports.WriteText at the receipt
// printer's width.
func writeText(w io.Writer, r reports.Report) error {
	return reports.WriteText(w, r, reports.DefaultTextWidth)
}

func newEODScreen(sh *shared) *eodScreen {
	s := &eodScreen{sh: sh,
		period: choiceField("Period", []string{"today", "a date", "a shift"}, ""),
		date:   textField("Date", 10, "YYYY-MM-DD"),
		start:  textField("Shift start", 5, "HH:MM"),
		end:    textField("Shift end", 5, "HH:MM (before the start: next day)"),
		seller: choiceField("Seller", sellerChoices(sh), ""),
	}
	s.date.set(sh.deps.Now().Format(dateLayout))
	s.start.set("06:00")
	s.end.set("14:00")
	s.form = newForm(s.period, s.date, s.start, s.end, s.seller)
	s.showFields()
	s.q, s.label, s.name, _ = s.query()
	return s
}

func (s *eodScreen) areaName() string { return areaTitle(AreaEndOfDay) }

func (s *eodScreen) showFields() {
	p := s.period.choice
	s.date.hidden = p == periodToday
	s.start.hidden, s.end.hidden = p != periodShift, p != periodShift
}

// query builds the report's period and seller from the fields.
func (s *eodScreen) query() (eodQuery, string, string, error) {
	now := s.sh.deps.Now()
	day := dayStart(now)
	var err error
	if s.period.choice != periodToday {
		if day, err = parseDay(s.date.text(), now); err != nil {
			return eodQuery{}, "", "", err
		}
	}
	q := eodQuery{Period: reports.Period{From: day, To: day.Add(24 * time.Hour), Label: day.Format(dateLayout)}}
	name := "eod-" + day.Format(dateLayout)
	if s.period.choice == periodShift {
		a, err := parseClock(s.start.text())
		if err != nil {
			return eodQuery{}, "", "", err
		}
		b, err := parseClock(s.end.text())
		if err != nil {
			return eodQuery{}, "", "", err
		}
		q.From, q.To = span(day, a, b)
		q.Label += " " + clockText(a) + "–" + clockText(b%(24*60))
		name += "-" + strings.ReplaceAll(clockText(a), ":", "") + "-" + strings.ReplaceAll(clockText(b%(24*60)), ":", "")
	}
	label := periodText(q.From, q.To) + " · all sellers"
	if sel, ok := sellerAt(s.sh, s.seller.choice); ok {
		q.Seller = sel.ID
		label = periodText(q.From, q.To) + " · " + sellerName(sel)
		name += "-" + string(sel.ID)
	}
	return q, label, name, nil
}

func (s *eodScreen) load() tea.Cmd {
	seq, q, r, timeout := s.begin(s.sh), s.q, s.sh.deps.Reports, 2*s.sh.deps.Timeout
	return timed(timeout, func(ctx context.Context) tea.Msg {
		rep, err := r.EndOfDay(ctx, q.Period, q.Seller)
		return eodLoadedMsg{seq: seq, rep: rep, err: err}
	})
}

func (s *eodScreen) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case eodLoadedMsg:
		if !s.answered(msg.seq, msg.err) {
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
			s.saved = msg.what + " saved to " + msg.path
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
	k := s.sh.keys
	s.problem = ""
	switch {
	case key.Matches(msg, k.Back):
		return emit(backMsg{})
	case key.Matches(msg, k.Refresh):
		return s.load()
	case key.Matches(msg, k.Filters):
		s.seller.options = sellerChoices(s.sh)
		s.editing = true
	case key.Matches(msg, k.Up):
		s.scroll = max(0, s.scroll-1)
	case key.Matches(msg, k.Down):
		s.scroll++
	case key.Matches(msg, k.ExportCSV):
		return s.export("CSV", ".csv", reports.WriteCSV)
	case key.Matches(msg, k.ExportText):
		return s.export("Printable report", ".txt", writeText)
	}
	return nil
}

func (s *eodScreen) formKey(msg tea.KeyMsg) tea.Cmd {
	k := s.sh.keys
	switch {
	case key.Matches(msg, k.Back):
		s.editing, s.problem = false, ""
	case key.Matches(msg, k.Submit):
		q, label, name, err := s.query()
		if err != nil {
			s.problem = err.Error()
			return nil
		}
		s.q, s.label, s.name, s.editing, s.problem = q, label, name, false, ""
		s.saved, s.saveErr = "", nil
		return s.load()
	case s.form.key(msg):
		s.showFields()
		s.problem = ""
	}
	return nil
}

// export saves the report shown, rendered by render, through Deps.Exports.
func (s *eodScreen) export(what, ext string, render func(io.Writer, reports.Report) error) tea.Cmd {
	sv := s.sh.deps.Exports
	switch {
	case sv == nil:
		s.problem = "Exports are not set up on this console."
		return nil
	case !s.loaded || s.busy:
		s.problem = "Wait for the report first."
		return nil
	}
	s.saving, s.saveErr, s.saved = true, nil, ""
	return exportCmd(sv, "eod", what, s.name+ext, s.rep, render)
}

func (s *eodScreen) title() string { return "End of day" }

const (
	eodName = 26
	eodNum  = 13
)

func (s *eodScreen) view(w, h int) string {
	st := s.sh.st
	var b strings.Builder
	b.WriteString(st.Title.Render("End of day") + "\n")
	if s.editing {
		b.WriteString(s.form.view(st, w, 12) + "\n")
		hint := st.Muted.Render("enter runs the report · esc keeps the current one")
		if s.problem != "" {
			hint = styledLines(st.Warning, s.problem, w)
		}
		return b.String() + hint
	}
	b.WriteString(spread(st.Value.Render(s.label), st.Faint.Render("/ period and seller"), w) + "\n\n")
	switch {
	case s.busy && !s.loaded:
		return b.String() + s.sh.spinner() + st.Muted.Render(" Adding up…")
	case s.err != nil && !s.loaded:
		return b.String() + s.sh.errLines("The report failed: ", s.err, w) + "\n\n" + st.Muted.Render("ctrl+r tries again.")
	}
	b.WriteString(st.Label.Render(cell("Seller", eodName)+cellRight("Sales", 7)+cellRight("Gross", eodNum)+
		cellRight("Refunds", eodNum)+cellRight("Tips", eodNum)+cellRight("Net", eodNum+4)) + "\n")
	var lines []string
	if len(s.rep.Sellers) == 0 {
		lines = append(lines, st.Muted.Render("  No sales in this period."))
	}
	for _, x := range s.rep.Sellers {
		name := x.Name
		if name == "" {
			name = s.sh.accountName(x.Seller)
		}
		for _, t := range x.Currencies {
			lines = append(lines, s.totalsRows(name, t, w)...)
		}
	}
	if len(s.rep.Sellers) > 1 && len(s.rep.Totals) > 0 {
		lines = append(lines, st.Rule.Render(strings.Repeat("─", min(w, eodName+7+4*eodNum+4))))
		for _, t := range s.rep.Totals {
			lines = append(lines, s.totalsRows("All sellers", t, w)...)
		}
	}
	for _, e := range s.rep.Partial {
		lines = append(lines, strings.Split(errorLines(st.Warning, "⚠ Not counted: ", errText(e), w), "\n")...)
	}
	room := max(1, h-6)
	s.scroll = max(0, min(s.scroll, len(lines)-room))
	for i := s.scroll; i < min(len(lines), s.scroll+room); i++ {
		b.WriteString(lines[i] + "\n")
	}
	if len(lines) > room {
		b.WriteString(st.Faint.Render(fmt.Sprintf("↑/↓ scroll · lines %d–%d of %d", s.scroll+1, min(len(lines), s.scroll+room), len(lines))) + "\n")
	}
	b.WriteString("\n")
	switch {
	case s.problem != "":
		b.WriteString(styledLines(st.Warning, s.problem, w))
	case s.saving:
		b.WriteString(s.sh.spinner() + st.Muted.Render(" Saving…"))
	case s.saveErr != nil:
		b.WriteString(s.sh.errLines("Export failed: ", s.saveErr, w))
	case s.saved != "":
		b.WriteString(wrapText(st.Success.Render("✓ ")+st.Value.Render(s.saved), w))
	case s.busy || s.err != nil:
		b.WriteString(reloadNote(s.sh, s.busy, s.err, w))
	default:
		b.WriteString(st.Muted.Render("x saves CSV · p saves a printable report"))
	}
	return b.String()
}

// totalsRows renders takings in one currency: the figures, the card
// brands and what was counted but not summed.
func (s *eodScreen) totalsRows(name string, t reports.Totals, w int) []string {
	st := s.sh.st
	cur := t.Currency
	name += " (" + strings.ToUpper(cur) + ")"
	neg := func(n int64) string {
		if n == 0 {
			return "–"
		}
		return "-" + amountNum(n, cur)
	}
	out := []string{st.Value.Render(cell(name, eodName)+cellRight(fmt.Sprint(t.Sales), 7)+cellRight(amountNum(t.Gross, cur), eodNum)) +
		st.Warning.Render(cellRight(neg(t.Refunds), eodNum)) + st.Value.Render(cellRight(amountNum(t.Tips, cur), eodNum)) +
		st.Total.Render(cellRight(pos.Format(t.Net, cur), eodNum+4))}
	var brands []string
	for _, br := range t.Brands {
		brands = append(brands, fmt.Sprintf("%s %d · %s", strings.ToUpper(orDash(br.Brand)), br.Sales, amountNum(br.Gross, cur)))
	}
	if len(brands) > 0 {
		out = append(out, cell(st.Muted.Render("   "+strings.Join(brands, "   ")), w))
	}
	var other []string
	if t.RefundCount > 0 {
		other = append(other, plural.Count(t.RefundCount, "refund"))
	}
	for _, c := range []struct {
		n    int
		what string
	}{{t.Declined, "declined"}, {t.Canceled, "canceled"}, {t.Failed, "failed"}, {t.Authorized, "uncaptured"}, {t.Open, "open"}} {
		if c.n > 0 {
			other = append(other, fmt.Sprintf("%d %s", c.n, c.what))
		}
	}
	if t.UnsettledRefunds > 0 {
		other = append(other, fmt.Sprintf("%s (%s, not counted)", plural.Count(t.UnsettledRefunds, "unsettled refund"), amountNum(t.UnsettledAmount, cur)))
	}
	if t.Tests > 0 { // reader tests are no sales: counted apart, never in the figures
		tests := "1 reader test"
		if t.Tests > 1 {
			tests = fmt.Sprintf("%d reader tests", t.Tests)
		}
		if t.TestAmount > 0 {
			tests += " (" + amountNum(t.TestAmount, cur) + " captured)"
		}
		other = append(other, tests+", not counted")
	}
	if len(other) > 0 {
		out = append(out, cell(st.Faint.Render("   "+strings.Join(other, " · ")), w))
	}
	return out
}

func (s *eodScreen) loading() bool      { return s.busy || s.saving }
func (s *eodScreen) capturesText() bool { return s.editing }

func (s *eodScreen) shortHelp() []key.Binding {
	k := s.sh.keys
	if s.editing {
		return []key.Binding{k.Fields, k.Cycle, k.Submit, k.Back}
	}
	return []key.Binding{k.Filters, k.ExportCSV, k.ExportText, k.Refresh, k.Back, k.Help}
}

func (s *eodScreen) fullHelp() [][]key.Binding {
	k := s.sh.keys
	return [][]key.Binding{{k.Filters, k.ExportCSV, k.ExportText, k.Refresh}, k.formHelp(), k.areaHelp()}
}
