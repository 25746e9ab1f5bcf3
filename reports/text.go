package reports

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"

	"kasse/internal/plural"
)

// Text layout limits.
const (
	DefaultTextWidth = 48 // an 80 mm receipt printer
	MinTextWidth     = 32
	MaxTextWidth     = 200
)

// WriteText writes the report as printable plain text width columns wide
// (0 = DefaultTextWidth; clamped to [MinTextWidth, MaxTextWidth]): a
// header, one section per seller with a block per currency (label, count
// and amount in aligned columns, amounts in major units of the block's
// currency), then totals per currency over all sellers (currencies are
// never summed together) and, when the report is partial, what is missing.
func WriteText(w io.Writer, r Report, width int) error {
	if width <= 0 {
		width = DefaultTextWidth
	}
	width = min(max(width, MinTextWidth), MaxTextWidth)
	t := &textWriter{w: bufio.NewWriter(w), width: width}
	t.columns(r)
	t.header(r)
	if len(r.Sellers) == 0 {
		t.println("No transactions in this period.")
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
		t.println("TOTALS, ALL SELLERS")
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
		t.println(fit(fmt.Sprintf("INCOMPLETE: %s failed;", plural.Count(len(r.Partial), "Stripe read")), width))
		t.println(fit("these figures miss what they would add:", width))
		for _, e := range r.Partial {
			for _, l := range wrap("- "+e.Error(), width) {
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
}

// columns sizes the count and amount columns for the widest figure of the
// report, so that every block lines up and labels get the rest.
func (t *textWriter) columns(r Report) {
	t.countW, t.amountW = 3, 6
	see := func(c Totals) {
		for _, n := range []int{c.Sales, c.RefundCount, c.Declined, c.Canceled, c.Failed, c.Authorized, c.Open, c.UnsettledRefunds, c.Tests} {
			t.countW = max(t.countW, len(strconv.Itoa(n)))
		}
		for _, a := range []int64{c.Gross, -c.Refunds, c.Net, c.Tips, -c.UnsettledAmount, c.TestAmount, -c.PlatformFees, c.NetToSeller} {
			t.amountW = max(t.amountW, len(Decimal(a, c.Currency)))
		}
		for _, b := range c.Brands {
			t.countW = max(t.countW, len(strconv.Itoa(b.Sales)))
			t.amountW = max(t.amountW, len(Decimal(b.Gross, c.Currency)))
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
	t.rule('=')
	p := r.Period
	title := "REPORT"
	switch {
	case p.From.AddDate(0, 0, 1).Equal(p.To) && p.From.Equal(DayPeriod(p.From, p.From.Location()).From):
		title = "END OF DAY"
	case p.Label != "":
		title = "SHIFT REPORT"
	}
	if p.Label != "" {
		title += "  " + p.Label
	}
	t.println(fit(title, t.width))
	layout := "2006-01-02 15:04 MST"
	if p.From.Second() != 0 || p.To.Second() != 0 {
		layout = "2006-01-02 15:04:05 MST"
	}
	if !p.From.IsZero() {
		t.println(fit("From  "+p.From.Format(layout), t.width))
		t.println(fit("To    "+p.To.Format(layout), t.width))
	}
	t.rule('=')
}

// row prints an indented label, a count column and an amount column.
func (t *textWriter) row(indent int, label, count, amount string) {
	labelW := t.width - indent - t.countW - t.amountW - 3
	t.println(strings.Repeat(" ", indent) + pad(fit(label, labelW), labelW) + " " +
		padLeft(count, t.countW) + "  " + padLeft(amount, t.amountW))
}

func (t *textWriter) block(c Totals) {
	cur := strings.ToUpper(c.Currency)
	t.println(cur)
	n := strconv.Itoa
	amt := func(v int64) string { return Decimal(v, c.Currency) }
	t.row(2, "Sales", n(c.Sales), amt(c.Gross))
	t.row(2, "Refunds", n(c.RefundCount), amt(-c.Refunds))
	t.row(2, "Net", "", amt(c.Net))
	if c.PlatformFees != 0 { // Connect: what the platform kept, what the seller keeps
		t.row(2, "Platform fees", "", amt(-c.PlatformFees))
		t.row(2, "Net to seller", "", amt(c.NetToSeller))
	}
	t.row(2, "Tips (incl.)", "", amt(c.Tips))
	for _, x := range []struct {
		label string
		n     int
	}{{"Declined", c.Declined}, {"Canceled", c.Canceled}, {"Failed", c.Failed},
		{"Authorized, uncaptured", c.Authorized}, {"Open", c.Open}} {
		if x.n > 0 || x.label == "Declined" || x.label == "Canceled" {
			t.row(2, x.label, n(x.n), "")
		}
	}
	if c.UnsettledRefunds > 0 {
		t.row(2, "Unsettled refunds", n(c.UnsettledRefunds), amt(-c.UnsettledAmount))
	}
	if c.Tests > 0 { // shown apart: not sales, not in the figures above
		t.row(2, "Reader tests", n(c.Tests), "")
		if c.TestAmount > 0 {
			t.row(4, "captured (kept)", "", amt(c.TestAmount))
		}
	}
	if len(c.Brands) > 0 {
		t.row(2, "Card brands", "", "")
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
