package sale

import (
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"kasse/i18n"
	"kasse/pos"
	"kasse/ui/widgets"
)

// Cart operations of the register: each edits the cart through pos.Cart
// (which validates) and schedules the reader display on success.

// takeQuantity turns the typed digits into the next line's quantity.
func (s *registerScreen) takeQuantity() {
	if s.entry.Empty() {
		s.problem = s.sess.T("sale.register.type_quantity")
		return
	}
	if m, held := i18n.EntryRefusal(s.entry); held {
		s.problem = s.sess.Loc.Render(m)
		return
	}
	q, ok := s.entry.Number()
	switch {
	case !ok:
		s.problem = s.sess.T("sale.register.quantity_whole")
		return
	case q > pos.MaxQuantity:
		s.problem = s.sess.T("sale.register.quantity_max", i18n.Args{"Max": pos.MaxQuantity})
		return
	}
	s.qty, s.entry = q, s.entry.Clear()
}

func (s *registerScreen) quantity() int64 {
	if s.qty > 0 {
		return s.qty
	}
	return 1
}

// addEntry adds the typed amount as a line.
func (s *registerScreen) addEntry() tea.Cmd {
	if s.entry.Empty() {
		s.problem = s.sess.T("sale.register.type_price")
		return nil
	}
	if m, held := i18n.EntryRefusal(s.entry); held {
		s.problem = s.sess.Loc.Render(m)
		return nil
	}
	price, _ := s.entry.Value()
	return s.addLine(pos.Line{Description: s.sess.T("sale.register.item"), Quantity: s.quantity(), UnitPrice: price}, false)
}

// addLine adds l (merging it into an identical line when merge is set).
func (s *registerScreen) addLine(l pos.Line, merge bool) tea.Cmd {
	var (
		next pos.Cart
		err  error
	)
	idx := -1
	if merge {
		for i, x := range s.cart.Lines {
			if x.Description == l.Description && x.UnitPrice == l.UnitPrice {
				idx = i
			}
		}
	}
	if idx >= 0 {
		next, err = s.cart.ChangeQuantity(idx, l.Quantity)
	} else {
		next, err = s.cart.Add(l)
	}
	if err != nil {
		s.problem = widgets.CartProblem(s.sess.Loc, err, s.cart.Currency)
		return nil
	}
	s.cart, s.entry, s.qty, s.cursor = next, s.entry.Clear(), 0, -1
	return s.cartChanged()
}

func (s *registerScreen) quickKey(k string, alt bool) tea.Cmd {
	for _, q := range s.quick {
		if q.Key != k || (!alt && !isLetter(k)) {
			continue
		}
		if q.noPrice {
			cur := strings.ToLower(s.cart.Currency)
			s.problem = s.sess.T("sale.register.quick_no_price", i18n.Args{"Key": q.Key, "Item": q.Description,
				"Currency": strings.ToUpper(cur), "Code": cur})
			return nil
		}
		if !s.entry.Empty() { // digits before a quick key are its quantity
			s.takeQuantity()
			if s.problem != "" {
				return nil
			}
		}
		return s.addLine(pos.Line{Description: q.Description, Quantity: s.quantity(), UnitPrice: q.price}, true)
	}
	s.problem = s.sess.T("sale.register.no_quick_key", i18n.Args{"Key": k})
	return nil
}

func isLetter(k string) bool { return len(k) == 1 && k[0] >= 'a' && k[0] <= 'z' }

func (s *registerScreen) moveCursor(d int) {
	n := len(s.cart.Lines)
	if n == 0 {
		s.cursor = -1
		return
	}
	switch {
	case s.cursor < 0 && d < 0:
		s.cursor = n - 1
	case s.cursor < 0:
		s.cursor = -1
	default:
		s.cursor += d
		if s.cursor >= n {
			s.cursor = -1
		}
		s.cursor = max(-1, s.cursor)
	}
}

// target is the line edits and removals apply to: the selected one, else
// the last.
func (s *registerScreen) target() int {
	if s.cursor >= 0 {
		return s.cursor
	}
	return len(s.cart.Lines) - 1
}

func (s *registerScreen) saveEdit() tea.Cmd {
	l, err := s.edit.line()
	if err != nil {
		s.problem = s.edit.problem(s.sess.Loc)
		return nil
	}
	next, err := s.cart.Edit(s.edit.index, l)
	if err != nil {
		s.problem = widgets.CartProblem(s.sess.Loc, err, s.cart.Currency)
		return nil
	}
	s.cart, s.edit = next, nil
	return s.cartChanged()
}

func (s *registerScreen) removeLine() tea.Cmd {
	i := s.target()
	if i < 0 {
		s.problem = s.sess.T("widgets.cart.empty")
		return nil
	}
	next, err := s.cart.Remove(i)
	if err != nil {
		s.problem = widgets.CartProblem(s.sess.Loc, err, s.cart.Currency)
		return nil
	}
	s.cart = next
	if s.cursor >= len(s.cart.Lines) {
		s.cursor = len(s.cart.Lines) - 1
	}
	return s.cartChanged()
}

func (s *registerScreen) toggleTax() tea.Cmd {
	if s.deps.TaxRate == 0 {
		s.problem = s.sess.T("sale.register.no_tax_rate")
		return nil
	}
	s.taxOn = !s.taxOn
	s.cart = s.withTax(s.cart)
	return s.cartChanged()
}

func (s *registerScreen) clearSale() tea.Cmd {
	if len(s.cart.Lines) == 0 && s.entry.Empty() {
		return nil
	}
	if !s.clearArmed {
		s.clearArmed = true
		s.problem = s.sess.T("sale.register.clear_again")
		return nil
	}
	return s.reset(nil)
}

// escape clears the entry, then the selection, then goes back.
func (s *registerScreen) escape() tea.Cmd {
	switch {
	case !s.entry.Empty() || s.qty > 0:
		s.entry, s.qty = s.entry.Clear(), 0
	case s.cursor >= 0:
		s.cursor = -1
	default:
		return s.back()
	}
	return nil
}
