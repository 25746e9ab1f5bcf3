package sale

import (
	"strconv"
	"strings"

	"kasse/i18n"
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
	st, sess := s.deps.Styles, s.sess
	if s.broken != nil {
		return st.Title.Render(s.Title()) + "\n\n" +
			widgets.ErrorLines(st.Danger, sess.T("sale.register.broken"), widgets.CartProblem(sess.Loc, s.broken, s.seller.Currency), w) +
			"\n\n" + st.Muted.Render(sess.T("sale.register.broken_hint"))
	}
	in := s.deps.Ink(s.sess)
	cur := strings.ToUpper(s.cart.Currency)
	var b strings.Builder
	title := in.Title.Render(s.Title()) + in.Muted.Render(" · "+widgets.SellerName(s.seller)+" · "+cur)
	if s.email != "" {
		title += in.Muted.Render(" · ") + in.Value.Render(sess.T("sale.register.receipt_to", i18n.Args{"Email": s.email}))
	}
	if c := s.customerText(); c != "" { // registercustomer.go
		title += in.Muted.Render(" · ") + in.Value.Render(c)
	}
	b.WriteString(widgets.Spread(title, s.displayNote(), w))
	b.WriteString("\n\n")

	tw := min(w, 100)
	descW := max(10, tw-colMark-colNo-colQty-colPrice-colAmt-4)
	b.WriteString(in.Label.Render(strings.Repeat(" ", colMark) + widgets.Cell("#", colNo) +
		widgets.Cell(sess.T("sale.register.col_description"), descW) + " " +
		widgets.CellRight(sess.T("sale.register.col_quantity"), colQty) + " " +
		widgets.CellRight(sess.T("sale.register.col_price"), colPrice) + " " +
		widgets.CellRight(sess.T("sale.register.col_amount"), colAmt)))
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
		b.WriteString(s.edit.view(st, sess.Loc, w))
	default:
		b.WriteString(s.entryView())
		b.WriteByte('\n')
		b.WriteString(s.quickView(w))
	}
	b.WriteByte('\n')
	refusal, held := i18n.EntryRefusal(s.entry)
	switch {
	case s.problem != "":
		b.WriteString(widgets.StyledLines(st.Warning, s.problem, w))
	case s.edit != nil && s.edit.problem(sess.Loc) != "":
		b.WriteString(widgets.StyledLines(st.Warning, s.edit.problem(sess.Loc), w))
	case held && s.edit == nil && s.emailEdit == nil:
		b.WriteString(widgets.StyledLines(st.Warning, sess.Loc.Render(refusal), w))
	case len(s.cart.Lines) == 0 && s.entry.Empty() && s.emailEdit == nil:
		b.WriteString(in.Muted.Render(sess.T("sale.register.hint")))
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
		b.WriteString(in.Faint.Render(strings.Repeat(" ", colMark) + s.sess.T("sale.register.no_items")))
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
			widgets.CellRight(s.sess.MoneyNumber(l.UnitPrice, s.cart.Currency), colPrice) + " " +
			widgets.CellRight(s.sess.MoneyNumber(l.Amount(), s.cart.Currency), colAmt)
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
	in, sess := s.deps.Ink(s.sess), s.sess
	c := s.cart
	subtotal := sess.T("sale.register.subtotal", i18n.Args{"Items": itemCount(c)})
	tax := sess.T("sale.register.tax", i18n.Args{"Rate": widgets.Percent(sess.Loc, c.TaxRate)})
	labelW := max(14, app.TextWidth(subtotal)+1, app.TextWidth(tax)+1)
	pad := strings.Repeat(" ", max(0, tw-labelW-colAmt-5))
	row := func(label, value string, total bool) string {
		if total {
			return pad + in.Total.Render(widgets.Cell(label, labelW)+widgets.CellRight(value, colAmt+5))
		}
		return pad + in.Label.Render(widgets.Cell(label, labelW)) + in.Amount.Render(widgets.CellRight(value, colAmt+5))
	}
	out := row(subtotal, sess.MoneyNumber(c.Subtotal(), c.Currency), false) + "\n"
	if c.TaxRate > 0 {
		out += row(tax, sess.MoneyNumber(c.Tax(), c.Currency), false) + "\n"
	}
	return out + row(sess.T("sale.register.total"), sess.Money(c.Total(), c.Currency), true)
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
		tax = in.Warning.Render("   " + s.sess.T("sale.register.tax_off"))
	}
	return in.Label.Render(widgets.Cell(s.sess.T("sale.register.amount"), s.labelWidth())) + qty + entryText(in, s.sess.Loc, s.entry) + in.FilterCursor.Render("▏") +
		heldText(in, s.sess.Loc, s.entry) + tax
}

// labelWidth is the width of the labels before the amount and the quick
// keys: the longer one and two spaces.
func (s *registerScreen) labelWidth() int {
	return max(app.TextWidth(s.sess.T("sale.register.amount")), app.TextWidth(s.sess.T("sale.register.quick"))) + 2
}

// entryText renders an amount entry as it will be charged, in loc: the
// typed part bold and the decimals still implied faint ("$", "12.5" then
// "0"; "12,5", "0", " €").
func entryText(in *app.Inks, loc *i18n.Locale, e pos.DigitEntry) string {
	before, typed, implied, after := widgets.EntryParts(loc, e)
	if e.Empty() {
		return in.Faint.Render(before + typed + implied + after)
	}
	return in.Entry.Render(before+typed) + in.Faint.Render(implied) + in.Entry.Render(after)
}

// heldText shows the keys an entry refused, and how to take them back.
func heldText(in *app.Inks, loc *i18n.Locale, e pos.DigitEntry) string {
	if e.Held() == "" {
		return ""
	}
	return "  " + in.Danger.Render("✗ "+e.Held()) + in.Muted.Render("  "+loc.T("sale.register.held_hint"))
}

func (s *registerScreen) quickView(w int) string {
	in, sess := s.deps.Ink(s.sess), s.sess
	if len(s.quick) == 0 {
		return ""
	}
	parts := make([]string, 0, len(s.quick))
	for _, q := range s.quick {
		k := q.Key
		if !isLetter(k) {
			k = "alt+" + k
		}
		if q.noPrice {
			parts = append(parts, in.Faint.Render(sess.T("sale.register.quick_unavailable",
				i18n.Args{"Key": k, "Item": q.Description, "Currency": strings.ToUpper(s.cart.Currency)})))
			continue
		}
		parts = append(parts, in.HelpKey.Render(k)+" "+in.Value.Render(q.Description)+" "+
			in.Muted.Render(sess.MoneyNumber(q.price, s.cart.Currency)))
	}
	return widgets.Cell(in.Label.Render(widgets.Cell(sess.T("sale.register.quick"), s.labelWidth()))+strings.Join(parts, in.Faint.Render(" · ")), w)
}

// displayNote says whether the reader shows the cart.
func (s *registerScreen) displayNote() string {
	in := s.deps.Ink(s.sess)
	switch {
	case s.displayErr != "":
		return in.Warning.Render(s.sess.T("sale.register.display_failed"))
	case !s.displayedAt.IsZero():
		return in.Muted.Render(s.sess.T("sale.register.on_reader", i18n.Args{"Time": s.sess.FormatTime(s.displayedAt, "format.time")}))
	}
	return ""
}
