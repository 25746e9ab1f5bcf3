package sale

import (
	"fmt"
	"strconv"
	"strings"

	"kasse/pos"
	"kasse/ui/app"
	"kasse/ui/widgets"
)

// Register layout: columns of the line table.
const (
	colMark  = 2
	colNo    = 4
	colQty   = 6
	colPrice = 12
	colAmt   = 13
)

func (s *registerScreen) View(w, h int) string {
	st := s.deps.Styles
	if s.broken != nil {
		return st.Title.Render("Register") + "\n\n" + widgets.ErrorLines(st.Danger, "This seller cannot sell here: ", s.broken.Error(), w) +
			"\n\n" + st.Muted.Render("esc picks another reader.")
	}
	in := s.deps.Ink(s.sess)
	cur := strings.ToUpper(s.cart.Currency)
	var b strings.Builder
	title := in.Title.Render("Register") + in.Muted.Render(" · "+widgets.SellerName(s.seller)+" · "+cur)
	if s.email != "" {
		title += in.Muted.Render(" · receipt → ") + in.Value.Render(s.email)
	}
	b.WriteString(widgets.Spread(title, s.displayNote(), w))
	b.WriteString("\n\n")

	tw := min(w, 100)
	descW := max(10, tw-colMark-colNo-colQty-colPrice-colAmt-4)
	b.WriteString(in.Label.Render(strings.Repeat(" ", colMark) + widgets.Cell("#", colNo) + widgets.Cell("Description", descW) + " " +
		widgets.CellRight("Qty", colQty) + " " + widgets.CellRight("Price", colPrice) + " " + widgets.CellRight("Amount", colAmt)))
	b.WriteByte('\n')

	fixed := 10
	if s.cart.TaxRate > 0 {
		fixed++
	}
	rows := max(1, h-fixed)
	b.WriteString(s.linesView(descW, rows))
	b.WriteString(in.Rule.Render(strings.Repeat("─", tw)))
	b.WriteByte('\n')
	b.WriteString(s.totalsView(tw))
	b.WriteString("\n\n")
	switch {
	case s.emailEdit != nil:
		b.WriteString(s.emailView(w))
	case s.edit != nil:
		b.WriteString(s.edit.view(st, w))
	default:
		b.WriteString(s.entryView())
		b.WriteByte('\n')
		b.WriteString(s.quickView(w))
	}
	b.WriteByte('\n')
	switch {
	case s.problem != "":
		b.WriteString(widgets.StyledLines(st.Warning, s.problem, w))
	case s.edit != nil && s.edit.problem() != "":
		b.WriteString(widgets.StyledLines(st.Warning, s.edit.problem(), w))
	case s.entry.Err() != nil && s.edit == nil && s.emailEdit == nil:
		b.WriteString(widgets.StyledLines(st.Warning, s.entry.Err().Error(), w))
	case len(s.cart.Lines) == 0 && s.entry.Empty() && s.emailEdit == nil:
		b.WriteString(in.Muted.Render("Type an amount and press enter to charge it, + to add it as a line, or use a quick key."))
	}
	return b.String()
}

// linesView renders exactly rows lines of the cart table, scrolled so the
// selected (or, with none, the last) line shows.
func (s *registerScreen) linesView(descW, rows int) string {
	in := s.deps.Ink(s.sess)
	lines := s.cart.Lines
	var b strings.Builder
	if len(lines) == 0 {
		b.WriteString(in.Faint.Render(strings.Repeat(" ", colMark) + "no items yet"))
		b.WriteString(strings.Repeat("\n", rows))
		return b.String()
	}
	focus := s.cursor
	if focus < 0 {
		focus = len(lines) - 1
	}
	from := 0
	if len(lines) > rows {
		from = min(max(0, focus-rows+1), len(lines)-rows)
	}
	to := min(len(lines), from+rows)
	for i := from; i < to; i++ {
		l := lines[i]
		mark := "  " // colMark
		switch {
		case i == s.cursor:
			mark = in.Cursor.Render("▸ ")
		case i == from && from > 0:
			mark = in.Faint.Render("↑ ")
		case i == to-1 && to < len(lines):
			mark = in.Faint.Render("↓ ")
		}
		text := widgets.Cell(strconv.Itoa(i+1), colNo) + widgets.Cell(l.Description, descW) + " " +
			widgets.CellRight(strconv.FormatInt(l.Quantity, 10), colQty) + " " +
			widgets.CellRight(widgets.AmountNum(l.UnitPrice, s.cart.Currency), colPrice) + " " +
			widgets.CellRight(widgets.AmountNum(l.Amount(), s.cart.Currency), colAmt)
		if i == s.cursor {
			text = in.RowSelected.Render(text)
		} else {
			text = in.Row.Render(text)
		}
		b.WriteString(mark + text + "\n")
	}
	b.WriteString(strings.Repeat("\n", rows-(to-from)))
	return b.String()
}

func (s *registerScreen) totalsView(tw int) string {
	in := s.deps.Ink(s.sess)
	c := s.cart
	labelW := 14
	pad := strings.Repeat(" ", max(0, tw-labelW-colAmt-5))
	row := func(label, value string, total bool) string {
		if total {
			return pad + in.Total.Render(widgets.Cell(label, labelW)+widgets.CellRight(value, colAmt+5))
		}
		return pad + in.Label.Render(widgets.Cell(label, labelW)) + in.Amount.Render(widgets.CellRight(value, colAmt+5))
	}
	out := row(fmt.Sprintf("Subtotal (%d)", itemCount(c)), widgets.AmountNum(c.Subtotal(), c.Currency), false) + "\n"
	if c.TaxRate > 0 {
		out += row("Tax "+pos.FormatTaxRate(c.TaxRate), widgets.AmountNum(c.Tax(), c.Currency), false) + "\n"
	}
	return out + row("Total", pos.Format(c.Total(), c.Currency), true)
}

func itemCount(c pos.Cart) int64 {
	var n int64
	for _, l := range c.Lines {
		n += l.Quantity
	}
	return n
}

func (s *registerScreen) entryView() string {
	in := s.deps.Ink(s.sess)
	qty := ""
	if s.qty > 0 {
		qty = in.Value.Render(strconv.FormatInt(s.qty, 10) + " × ")
	}
	tax := ""
	if s.deps.TaxRate > 0 && !s.taxOn {
		tax = in.Warning.Render("   tax off")
	}
	return in.Label.Render("Amount  ") + qty + entryText(in, s.entry) + in.FilterCursor.Render("▏") + heldText(in, s.entry) + tax
}

// entryText renders an amount entry as it will be charged: the typed part
// bold and the decimals still implied faint ("12.5" then "0", " USD").
func entryText(in *app.Inks, e pos.DigitEntry) string {
	typed, implied := e.Parts()
	code := " " + strings.ToUpper(e.Currency())
	if e.Empty() {
		return in.Faint.Render(typed + implied + code)
	}
	return in.Entry.Render(typed) + in.Faint.Render(implied) + in.Entry.Render(code)
}

// heldText shows the keys an entry refused, and how to take them back.
func heldText(in *app.Inks, e pos.DigitEntry) string {
	if e.Held() == "" {
		return ""
	}
	return "  " + in.Danger.Render("✗ "+e.Held()) + in.Muted.Render("  ⌫ takes back · esc clears")
}

func (s *registerScreen) quickView(w int) string {
	in := s.deps.Ink(s.sess)
	if len(s.quick) == 0 {
		return ""
	}
	parts := make([]string, 0, len(s.quick))
	for _, q := range s.quick {
		k := q.Key
		if !isLetter(k) {
			k = "alt+" + k
		}
		if q.err != nil {
			parts = append(parts, in.Faint.Render(k+" "+q.Description+" (no "+strings.ToUpper(s.cart.Currency)+" price)"))
			continue
		}
		parts = append(parts, in.HelpKey.Render(k)+" "+in.Value.Render(q.Description)+" "+
			in.Muted.Render(widgets.AmountNum(q.price, s.cart.Currency)))
	}
	return widgets.Cell(in.Label.Render("Quick   ")+strings.Join(parts, in.Faint.Render(" · ")), w)
}

// displayNote says whether the reader shows the cart.
func (s *registerScreen) displayNote() string {
	in := s.deps.Ink(s.sess)
	switch {
	case s.displayErr != "":
		return in.Warning.Render("reader display failed")
	case !s.displayedAt.IsZero():
		return in.Muted.Render("on reader " + s.displayedAt.Format("15:04:05"))
	}
	return ""
}
