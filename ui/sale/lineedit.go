package sale

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kasse/i18n"
	"kasse/pos"
	"kasse/ui/app"
	"kasse/ui/widgets"
)

// lineEditor edits one cart line in place: description (text), quantity
// (digits) and unit price (the register's amount entry, same rules).
//
// A numeric field reached with tab is selected: the first digit typed
// replaces its value (3.50 then "2" is 0.02, never 35.02), backspace and
// ctrl+u edit it in place. What the field shows is what enter saves.
type lineEditor struct {
	index  int // the line being edited
	field  int // 0 description, 1 quantity, 2 price
	desc   string
	qty    string
	price  pos.DigitEntry
	fresh  bool         // the focused field is selected: typing replaces it
	notice i18n.Message // why the last key was refused (ID "" when none)
}

// maxEditDescription caps a description typed at the register (the cart
// would take pos.MaxDescriptionLen; nobody types that at a till).
const maxEditDescription = 200

const (
	fieldDesc = iota
	fieldQty
	fieldPrice
	fieldCount
)

func newLineEditor(i int, l pos.Line, currency string, sep rune) *lineEditor {
	return &lineEditor{index: i, desc: l.Description, qty: strconv.FormatInt(l.Quantity, 10),
		price: pos.DigitEntryOf(l.UnitPrice, currency).WithSeparator(sep)}
}

// editResult tells the register what the editor wants.
type editResult int

const (
	editContinue editResult = iota
	editSave
	editCancel
)

func (e *lineEditor) update(k app.KeyMap, msg tea.KeyMsg) editResult {
	e.notice = i18n.Message{}
	switch {
	case msg.Type == tea.KeyEnter:
		return editSave
	case msg.Type == tea.KeyEsc:
		return editCancel
	case msg.Type == tea.KeyTab:
		e.focus((e.field + 1) % fieldCount)
	case msg.Type == tea.KeyShiftTab:
		e.focus((e.field + fieldCount - 1) % fieldCount)
	case key.Matches(msg, k.Up) || key.Matches(msg, k.Down):
		// arrows do nothing while editing
	case msg.Type == tea.KeyBackspace:
		e.fresh = false
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
		e.fresh = false
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

// focus moves to field f, selecting a numeric field's value.
func (e *lineEditor) focus(f int) {
	e.field = f
	e.fresh = f != fieldDesc
}

func (e *lineEditor) typeRune(r rune) {
	if e.fresh {
		e.fresh = false
		switch e.field {
		case fieldQty:
			e.qty = ""
		case fieldPrice:
			e.price = e.price.Clear()
		}
	}
	switch e.field {
	case fieldDesc:
		if utf8.RuneCountInString(e.desc) >= maxEditDescription {
			e.notice = i18n.M("sale.edit.description_max", i18n.Args{"Max": maxEditDescription})
			return
		}
		e.desc += string(r)
	case fieldQty:
		next := strings.TrimLeft(e.qty+string(r), "0")
		n, err := strconv.ParseInt(next, 10, 64)
		switch {
		case r < '0' || r > '9':
			e.notice = i18n.M("sale.edit.quantity_digits", i18n.Args{"Key": string(r)})
		case next != "" && (err != nil || n > pos.MaxQuantity):
			e.notice = i18n.M("sale.register.quantity_max", i18n.Args{"Max": pos.MaxQuantity})
		default:
			e.qty = next
		}
	case fieldPrice:
		e.price = e.price.Press(r)
	}
}

// line returns the edited line (the cart validates it), or why the price
// cannot be taken.
func (e *lineEditor) line() (pos.Line, error) {
	price, err := e.price.Value()
	if err != nil {
		return pos.Line{}, err
	}
	q, _ := strconv.ParseInt(e.qty, 10, 64)
	return pos.Line{Description: e.desc, Quantity: q, UnitPrice: price}, nil
}

// problem is what the register shows under the editor, in loc ("" when
// fine).
func (e *lineEditor) problem(loc *i18n.Locale) string {
	if e.notice.ID != "" {
		return loc.Render(e.notice)
	}
	if m, held := i18n.EntryRefusal(e.price); held {
		return loc.Render(m)
	}
	return ""
}

func (e *lineEditor) view(st app.Styles, loc *i18n.Locale, w int) string {
	field := func(i int, label, value, after string) string {
		if i == e.field {
			return st.Label.Render(label+" ") + st.Entry.Render("["+value+"▏]") + after
		}
		return st.Label.Render(label+" ") + st.Value.Render("["+value+"]") + after
	}
	_, typed, implied, _ := widgets.EntryParts(loc, e.price)
	held := ""
	if e.price.Held() != "" {
		held = " " + st.Danger.Render("✗ "+e.price.Held())
	}
	hint := loc.T("sale.edit.hint")
	switch {
	case e.price.Held() != "":
		hint = loc.T("sale.edit.hint_held")
	case e.fresh && e.field == fieldPrice:
		hint = loc.T("sale.edit.hint_replace_price")
	case e.fresh && e.field == fieldQty:
		hint = loc.T("sale.edit.hint_replace_quantity")
	}
	head := st.Title.Render(loc.T("sale.edit.title", i18n.Args{"Line": e.index + 1}))
	row := field(fieldDesc, loc.T("sale.register.col_description"), e.desc, "") + "  " +
		field(fieldQty, loc.T("sale.register.col_quantity"), e.qty, "") + "  " +
		field(fieldPrice, loc.T("sale.register.col_price"), typed+implied, held)
	return widgets.Cell(head+"  "+st.Muted.Render(hint), w) + "\n" + row
}
