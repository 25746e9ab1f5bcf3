package sale

import (
	"fmt"

	tea "github.com/charmbracelet/bubbletea"

	"kasse/pos"
)

// Cart operations of the register: each edits the cart through pos.Cart
// (which validates) and schedules the reader display on success.

// takeQuantity turns the typed digits into the next line's quantity.
func (s *registerScreen) takeQuantity() {
	if s.entry.Empty() {
		s.problem = "Type a quantity, then *."
		return
	}
	if err := s.entry.Err(); err != nil {
		s.problem = err.Error()
		return
	}
	q, ok := s.entry.Number()
	switch {
	case !ok:
		s.problem = "A quantity is a whole number, without a decimal separator (esc clears)."
		return
	case q > pos.MaxQuantity:
		s.problem = fmt.Sprintf("A quantity is at most %d.", pos.MaxQuantity)
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
		s.problem = "Type a price first."
		return nil
	}
	price, err := s.entry.Value()
	if err != nil {
		s.problem = err.Error()
		return nil
	}
	return s.addLine(pos.Line{Description: "Item", Quantity: s.quantity(), UnitPrice: price}, false)
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
		s.problem = err.Error()
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
		if q.err != nil {
			s.problem = fmt.Sprintf("Quick key %s (%s) has %v.", q.Key, q.Description, q.err)
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
	s.problem = fmt.Sprintf("No quick key %q.", k)
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
		s.problem = err.Error()
		return nil
	}
	next, err := s.cart.Edit(s.edit.index, l)
	if err != nil {
		s.problem = err.Error()
		return nil
	}
	s.cart, s.edit = next, nil
	return s.cartChanged()
}

func (s *registerScreen) removeLine() tea.Cmd {
	i := s.target()
	if i < 0 {
		s.problem = "The cart is empty."
		return nil
	}
	next, err := s.cart.Remove(i)
	if err != nil {
		s.problem = err.Error()
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
		s.problem = "No tax rate is configured."
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
		s.problem = "Press ctrl+x again to clear the whole sale."
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
