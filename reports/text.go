package reports

import (
	"bufio"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"

	"kasse/i18n"
)

// Text layout limits.
const (
	DefaultTextWidth = 48 // an 80 mm receipt printer
	MinTextWidth     = 32
	MaxTextWidth     = 200
)

// WriteText writes the report as printable plain text width columns wide
// (0 = DefaultTextWidth; clamped to [MinTextWidth, MaxTextWidth]) in loc's
// words, numbers and dates (nil: English): a header, one section per
// seller with a block per currency (label, count and amount in aligned
// columns, amounts in major units of the block's currency, as the locale
// writes numbers: "1,234.50", "1.234,50"), then totals per currency over
// all sellers (currencies are never summed together) and, when the report
// is partial, what is missing. WriteCSV is the language-neutral export.
func WriteText(w io.Writer, r Report, width int, loc *i18n.Locale) error {
	if width <= 0 {
		width = DefaultTextWidth
	}
	if loc == nil {
		loc = i18n.Neutral()
	}
	width = min(max(width, MinTextWidth), MaxTextWidth)
	t := &textWriter{w: bufio.NewWriter(w), width: width, loc: loc}
	t.columns(r)
	t.header(r)
	if len(r.Sellers) == 0 {
		t.println(loc.T("cli.reports.no_transactions"))
	}
	for _, s := range r.Sellers {
		t.println("")
		if s.Name != "" && s.Name != string(s.Seller) {
			t.println(fit(s.Name, width))
		}
		t.println(fit(string(s.Seller), width))
		t.rule('-')
		for i, c := range s.Currencies {
			if i > 0 {
				t.println("")
			}
			t.block(c)
		}
	}
	if len(r.Totals) > 0 {
		t.println("")
		t.rule('=')
		t.println(fit(loc.T("cli.reports.totals"), width))
		t.rule('-')
		for i, c := range r.Totals {
			if i > 0 {
				t.println("")
			}
			t.block(c)
		}
	}
	if len(r.Partial) > 0 {
		t.println("")
		t.rule('!')
		t.println(fit(loc.N("cli.reports.incomplete", len(r.Partial)), width))
		t.println(fit(loc.T("cli.reports.incomplete_miss"), width))
		for _, e := range r.Partial {
			for _, l := range wrap("- "+loc.Err(e), width) {
				t.println(l)
			}
		}
	}
	t.rule('=')
	return t.w.Flush()
}

type textWriter struct {
	w                      *bufio.Writer
	width, countW, amountW int
	loc                    *i18n.Locale
}

// amount is v in major units of currency, as the locale writes numbers.
func (t *textWriter) amount(v int64, currency string) string { return t.loc.MoneyNumber(v, currency) }

// columns sizes the count and amount columns for the widest figure of the
// report, so that every block lines up and labels get the rest.
func (t *textWriter) columns(r Report) {
	t.countW, t.amountW = 3, 6
	see := func(c Totals) {
		for _, n := range []int{c.Sales, c.RefundCount, c.Declined, c.Canceled, c.Failed, c.Authorized, c.Open, c.UnsettledRefunds, c.Tests} {
			t.countW = max(t.countW, len(strconv.Itoa(n)))
		}
		for _, a := range []int64{c.Gross, -c.Refunds, c.Net, c.Tips, -c.UnsettledAmount, c.TestAmount, -c.PlatformFees, c.NetToSeller} {
			t.amountW = max(t.amountW, width(t.amount(a, c.Currency)))
		}
		for _, b := range c.Brands {
			t.countW = max(t.countW, len(strconv.Itoa(b.Sales)))
			t.amountW = max(t.amountW, width(t.amount(b.Gross, c.Currency)))
		}
	}
	for _, s := range r.Sellers {
		for _, c := range s.Currencies {
			see(c)
		}
	}
	for _, c := range r.Totals {
		see(c)
	}
}

func (t *textWriter) println(s string) {
	t.w.WriteString(strings.TrimRight(s, " "))
	t.w.WriteByte('\n')
}

func (t *textWriter) rule(c byte) { t.println(strings.Repeat(string(c), t.width)) }

func (t *textWriter) header(r Report) {
	loc := t.loc
	t.rule('=')
	p := r.Period
	label := periodLabel(loc, p)
	title := loc.T("cli.reports.title.report")
	switch {
	case isDay(p):
		title = loc.T("cli.reports.title.end_of_day")
	case p.Label != "":
		title = loc.T("cli.reports.title.shift")
	}
	if label != "" {
		title += "  " + label
	}
	t.println(fit(title, t.width))
	layout := "format.datetime_minutes_zone"
	if p.From.Second() != 0 || p.To.Second() != 0 {
		layout = "format.datetime_zone"
	}
	if !p.From.IsZero() {
		from, to := loc.T("cli.reports.from"), loc.T("cli.reports.to")
		w := max(width(from), width(to)) + 2
		t.println(fit(pad(from, w)+loc.FormatTime(p.From, layout), t.width))
		t.println(fit(pad(to, w)+loc.FormatTime(p.To, layout), t.width))
	}
	t.rule('=')
}

// isDay reports whether p is a whole calendar day (DayPeriod).
func isDay(p Period) bool {
	return p.From.AddDate(0, 0, 1).Equal(p.To) && p.From.Equal(DayPeriod(p.From, p.From.Location()).From)
}

// periodLabel is the period's label in loc's date format: a day ("14.03.2025"
// in German) or a shift ParseShift made ("14.03.2025 22:00–06:00"); any
// other label as it stands.
func periodLabel(loc *i18n.Locale, p Period) string {
	day := p.From.Format(time.DateOnly)
	switch {
	case p.Label == "" || p.From.IsZero():
		return p.Label
	case isDay(p) && p.Label == day:
		return loc.FormatTime(p.From, "format.date")
	case p.Label == day+" "+p.From.Format("15:04")+"–"+p.To.Format("15:04"):
		return loc.FormatTime(p.From, "format.date") + " " + loc.FormatTime(p.From, "format.clock") + "–" + loc.FormatTime(p.To, "format.clock")
	}
	return p.Label
}

// row prints an indented label, a count column and an amount column.
func (t *textWriter) row(indent int, label, count, amount string) {
	labelW := t.width - indent - t.countW - t.amountW - 3
	t.println(strings.Repeat(" ", indent) + pad(fit(label, labelW), labelW) + " " +
		padLeft(count, t.countW) + "  " + padLeft(amount, t.amountW))
}

func (t *textWriter) block(c Totals) {
	loc := t.loc
	cur := strings.ToUpper(c.Currency)
	t.println(cur)
	n := strconv.Itoa
	amt := func(v int64) string { return t.amount(v, c.Currency) }
	t.row(2, loc.T("cli.reports.sales"), n(c.Sales), amt(c.Gross))
	t.row(2, loc.T("cli.reports.refunds"), n(c.RefundCount), amt(-c.Refunds))
	t.row(2, loc.T("cli.reports.net"), "", amt(c.Net))
	if c.PlatformFees != 0 { // Connect: what the platform kept, what the seller keeps
		t.row(2, loc.T("cli.reports.platform_fees"), "", amt(-c.PlatformFees))
		t.row(2, loc.T("cli.reports.net_to_seller"), "", amt(c.NetToSeller))
	}
	t.row(2, loc.T("cli.reports.tips"), "", amt(c.Tips))
	t.row(2, loc.T("cli.reports.declined"), n(c.Declined), "") // always shown, even 0
	t.row(2, loc.T("cli.reports.canceled"), n(c.Canceled), "")
	for _, x := range []struct {
		label string
		n     int
	}{{loc.T("cli.reports.failed"), c.Failed}, {loc.T("cli.reports.authorized"), c.Authorized}, {loc.T("cli.reports.open"), c.Open}} {
		if x.n > 0 {
			t.row(2, x.label, n(x.n), "")
		}
	}
	if c.UnsettledRefunds > 0 {
		t.row(2, loc.T("cli.reports.unsettled_refunds"), n(c.UnsettledRefunds), amt(-c.UnsettledAmount))
	}
	if c.Tests > 0 { // shown apart: not sales, not in the figures above
		t.row(2, loc.T("cli.reports.reader_tests"), n(c.Tests), "")
		if c.TestAmount > 0 {
			t.row(4, loc.T("cli.reports.tests_captured"), "", amt(c.TestAmount))
		}
	}
	if len(c.Brands) > 0 {
		t.row(2, loc.T("cli.reports.card_brands"), "", "")
		for _, b := range c.Brands {
			t.row(4, b.Brand, n(b.Sales), amt(b.Gross))
		}
	}
}

// width is the number of terminal/printer columns s takes: East Asian wide
// and fullwidth runes take two, combining marks none.
func width(s string) int {
	w := 0
	for _, r := range s {
		w += runeWidth(r)
	}
	return w
}

func runeWidth(r rune) int {
	switch {
	case unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r) || r == 0x200B:
		return 0
	case r >= 0x1100 && r <= 0x115F, r >= 0x2E80 && r <= 0x303E, r >= 0x3041 && r <= 0x33FF,
		r >= 0x3400 && r <= 0x4DBF, r >= 0x4E00 && r <= 0x9FFF, r >= 0xA000 && r <= 0xA4CF,
		r >= 0xAC00 && r <= 0xD7A3, r >= 0xF900 && r <= 0xFAFF, r >= 0xFE30 && r <= 0xFE4F,
		r >= 0xFF00 && r <= 0xFF60, r >= 0xFFE0 && r <= 0xFFE6, r >= 0x1F300 && r <= 0x1F64F,
		r >= 0x1F900 && r <= 0x1F9FF, r >= 0x20000 && r <= 0x3FFFD:
		return 2
	}
	return 1
}

// fit cuts s to at most w columns, ending in "…" when cut.
func fit(s string, w int) string {
	if width(s) <= w {
		return s
	}
	var b strings.Builder
	used := 0
	for _, r := range s {
		rw := runeWidth(r)
		if used+rw > w-1 {
			break
		}
		b.WriteRune(r)
		used += rw
	}
	return b.String() + "…"
}

func pad(s string, w int) string     { return s + strings.Repeat(" ", max(w-width(s), 0)) }
func padLeft(s string, w int) string { return strings.Repeat(" ", max(w-width(s), 0)) + s }

// wrap breaks s into lines of at most w columns, at spaces where possible.
func wrap(s string, w int) []string {
	var out []string
	line := ""
	for _, word := range strings.Fields(s) {
		for width(word) > w {
			if line != "" {
				out, line = append(out, line), ""
			}
			cut := fit(word, w)
			cut = strings.TrimSuffix(cut, "…")
			out = append(out, cut)
			word = "  " + word[len(cut):]
		}
		switch {
		case line == "":
			line = word
		case width(line)+1+width(word) <= w:
			line += " " + word
		default:
			out, line = append(out, line), "  "+word
		}
	}
	if line != "" {
		out = append(out, line)
	}
	return out
}
