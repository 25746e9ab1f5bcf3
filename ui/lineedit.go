package ui

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kasse/pos"
)

// lineEditor edits one cart line in place: description (text), quantity
// (digits) and unit price (keypad entry, like the register).
type lineEditor struct {
	index int // the line being edited
	field int // 0 description, 1 quantity, 2 price
	desc  string
	qty   string
	price pos.DigitEntry
}

const (
	fieldDesc = iota
	fieldQty
	fieldPrice
	fieldCount
)

func newLineEditor(i int, l pos.Line, currency string) *lineEditor {
	return &lineEditor{index: i, desc: l.Description, qty: strconv.FormatInt(l.Quantity, 10),
		price: pos.DigitEntryOf(l.UnitPrice, currency)}
}

// editResult tells the register what the editor wants.
type editResult int

const (
	editContinue editResult = iota
	editSave
	editCancel
)

func (e *lineEditor) update(k KeyMap, msg tea.KeyMsg) editResult {
	switch {
	case msg.Type == tea.KeyEnter:
		return editSave
	case msg.Type == tea.KeyEsc:
		return editCancel
	case msg.Type == tea.KeyTab:
		e.field = (e.field + 1) % fieldCount
	case msg.Type == tea.KeyShiftTab:
		e.field = (e.field + fieldCount - 1) % fieldCount
	case key.Matches(msg, k.Up) || key.Matches(msg, k.Down):
		// arrows do nothing while editing
	case msg.Type == tea.KeyBackspace:
		switch e.field {
		case fieldDesc:
			if e.desc != "" {
				_, n := utf8.DecodeLastRuneInString(e.desc)
				e.desc = e.desc[:len(e.desc)-n]
			}
		case fieldQty:
			if e.qty != "" {
				e.qty = e.qty[:len(e.qty)-1]
			}
		case fieldPrice:
			e.price = e.price.Backspace()
		}
	case msg.Type == tea.KeyCtrlU:
		switch e.field {
		case fieldDesc:
			e.desc = ""
		case fieldQty:
			e.qty = ""
		case fieldPrice:
			e.price = e.price.Clear()
		}
	case msg.Type == tea.KeyRunes || msg.Type == tea.KeySpace:
		for _, r := range msg.Runes {
			e.typeRune(r)
		}
	}
	return editContinue
}

func (e *lineEditor) typeRune(r rune) {
	switch e.field {
	case fieldDesc:
		if utf8.RuneCountInString(e.desc) < 200 {
			e.desc += string(r)
		}
	case fieldQty:
		if r >= '0' && r <= '9' && len(e.qty) < 4 {
			e.qty = strings.TrimLeft(e.qty+string(r), "0")
		}
	case fieldPrice:
		e.price = e.price.Press(r)
	}
}

// line returns the edited line (the cart validates it).
func (e *lineEditor) line() pos.Line {
	q, _ := strconv.ParseInt(e.qty, 10, 64)
	return pos.Line{Description: e.desc, Quantity: q, UnitPrice: e.price.Amount()}
}

func (e *lineEditor) view(st Styles, w int) string {
	field := func(i int, label, value string) string {
		if i == e.field {
			return st.Label.Render(label+" ") + st.Entry.Render("["+value+"▏]")
		}
		return st.Label.Render(label+" ") + st.Value.Render("["+value+"]")
	}
	head := st.Title.Render("Edit line " + strconv.Itoa(e.index+1))
	row := field(fieldDesc, "Description", e.desc) + "  " + field(fieldQty, "Qty", e.qty) + "  " +
		field(fieldPrice, "Price", amountNum(e.price.Amount(), e.price.Currency()))
	return head + "  " + st.Muted.Render("tab next field · enter save · esc cancel") + "\n" + row
}
