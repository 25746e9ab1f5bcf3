package widgets

import (
	"strings"
	"unicode"
	"unicode/utf8"

	tea "github.com/charmbracelet/bubbletea"

	"kasse/i18n"
	"kasse/ui/app"
)

// A small form: labelled one-line fields the operator moves between with
// tab/shift+tab (or ↑/↓). Text fields take any printable rune, digit fields
// digits only, PIN fields digits only and render masked; choice fields
// cycle with ←/→. Enter and Esc are left to the screen that owns the form.

// FieldKind is what a field takes.
type FieldKind int

const (
	KindText FieldKind = iota
	KindDigits
	KindPIN
	KindChoice
)

// Field is one labelled line of a Form.
type Field struct {
	Label    string
	Kind     FieldKind
	Value    string
	Options  []string // KindChoice
	Choice   int
	Max      int    // runes; 0 = 200
	Hint     string // shown after the field
	Hidden   bool   // neither shown nor focusable
	Required bool
	Edited   bool // the operator typed in it
}

// TextField takes any printable rune, up to max.
func TextField(label string, max int, hint string) *Field {
	return &Field{Label: label, Kind: KindText, Max: max, Hint: hint}
}

// DigitsField takes digits only, up to max.
func DigitsField(label string, max int, hint string) *Field {
	return &Field{Label: label, Kind: KindDigits, Max: max, Hint: hint}
}

// PINField takes digits and shows them masked; its label and hint are in
// loc.
func PINField(loc *i18n.Locale) *Field {
	return &Field{Label: loc.T("widgets.pin"), Kind: KindPIN, Max: 12, Hint: loc.T("widgets.pin_hint")}
}

// ChoiceField cycles through options with ←/→.
func ChoiceField(label string, options []string, hint string) *Field {
	return &Field{Label: label, Kind: KindChoice, Options: options, Hint: hint}
}

// Set replaces the value (not counted as the operator's edit).
func (f *Field) Set(v string) { f.Value = v }

// Text is the value without surrounding blanks.
func (f *Field) Text() string { return strings.TrimSpace(f.Value) }

// Choose selects option i of a choice field.
func (f *Field) Choose(i int) {
	if len(f.Options) > 0 {
		f.Choice = max(0, min(i, len(f.Options)-1))
	}
}

func (f *Field) accepts(r rune) bool {
	switch f.Kind {
	case KindDigits, KindPIN:
		return r >= '0' && r <= '9'
	case KindChoice:
		return false
	}
	return unicode.IsPrint(r)
}

func (f *Field) typeRunes(rs []rune) {
	limit := f.Max
	if limit <= 0 {
		limit = 200
	}
	for _, r := range rs {
		if f.accepts(r) && utf8.RuneCountInString(f.Value) < limit {
			f.Value += string(r)
			f.Edited = true
		}
	}
}

// Form is a small form: labelled one-line fields and the focus.
type Form struct {
	Fields []*Field
	focus  int
}

// NewForm is a form of fs, focused on the first visible one.
func NewForm(fs ...*Field) *Form {
	f := &Form{Fields: fs}
	if len(fs) > 0 && fs[0].Hidden {
		f.move(1)
	}
	return f
}

// Current is the focused field (nil for a form without fields).
func (f *Form) Current() *Field {
	if len(f.Fields) == 0 {
		return nil
	}
	return f.Fields[f.focus]
}

// FocusOn moves the focus to fl.
func (f *Form) FocusOn(fl *Field) {
	for i, x := range f.Fields {
		if x == fl {
			f.focus = i
		}
	}
}

// ClearPINs empties the form's PIN fields.
func (f *Form) ClearPINs() {
	for _, x := range f.Fields {
		if x.Kind == KindPIN {
			x.Value = ""
		}
	}
}

// move goes d visible fields forward (wrapping).
func (f *Form) move(d int) {
	n := len(f.Fields)
	for range n {
		f.focus = (f.focus + d + n) % n
		if !f.Fields[f.focus].Hidden {
			return
		}
	}
}

// Key applies msg to the form and reports whether it used it.
func (f *Form) Key(msg tea.KeyMsg) bool {
	c := f.Current()
	if c == nil {
		return false
	}
	switch msg.Type {
	case tea.KeyTab, tea.KeyDown:
		f.move(1)
	case tea.KeyShiftTab, tea.KeyUp:
		f.move(-1)
	case tea.KeyLeft, tea.KeyRight:
		if c.Kind != KindChoice || len(c.Options) == 0 {
			return false
		}
		d := 1
		if msg.Type == tea.KeyLeft {
			d = -1
		}
		c.Choice = (c.Choice + d + len(c.Options)) % len(c.Options)
		c.Edited = true
	case tea.KeyBackspace:
		if c.Value != "" {
			_, n := utf8.DecodeLastRuneInString(c.Value)
			c.Value = c.Value[:len(c.Value)-n]
			c.Edited = true
		}
	case tea.KeyCtrlU:
		c.Value = ""
		c.Edited = true
	case tea.KeyRunes, tea.KeySpace:
		if msg.Alt {
			return false
		}
		c.typeRunes(msg.Runes)
	default:
		return false
	}
	return true
}

// View renders the visible fields, one per line, labels labelW wide.
func (f *Form) View(st app.Styles, w, labelW int) string {
	var b strings.Builder
	first := true
	for i, x := range f.Fields {
		if x.Hidden {
			continue
		}
		if !first {
			b.WriteByte('\n')
		}
		first = false
		focused := i == f.focus
		mark := "  "
		label := x.Label
		if x.Required {
			label += " *"
		}
		labelSt := st.Label
		if focused {
			mark = st.Cursor.Render("▸ ")
			labelSt = st.Value
		}
		line := mark + labelSt.Render(Cell(label, labelW)) + " " + x.render(st, focused)
		if x.Hint != "" {
			line += "  " + st.Faint.Render(x.Hint)
		}
		b.WriteString(Cell(line, w))
	}
	return b.String()
}

func (x *Field) render(st app.Styles, focused bool) string {
	val := x.Value
	switch x.Kind {
	case KindPIN:
		val = strings.Repeat("•", utf8.RuneCountInString(x.Value))
	case KindChoice:
		opt := ""
		if len(x.Options) > 0 {
			opt = x.Options[x.Choice]
		}
		if focused {
			return st.Entry.Render("‹ " + opt + " ›")
		}
		return st.Value.Render("  " + opt + "  ")
	}
	if focused {
		return st.Entry.Render("[" + val + "▏]")
	}
	return st.Value.Render("[" + val + "]")
}
