package ui

import (
	"strings"
	"unicode"
	"unicode/utf8"

	tea "github.com/charmbracelet/bubbletea"
)

// A small form: labelled one-line fields the operator moves between with
// tab/shift+tab (or ↑/↓). Text fields take any printable rune, digit fields
// digits only, PIN fields digits only and render masked; choice fields
// cycle with ←/→. Enter and Esc are left to the screen that owns the form.

type fieldKind int

const (
	kindText fieldKind = iota
	kindDigits
	kindPIN
	kindChoice
)

type field struct {
	label    string
	kind     fieldKind
	value    string
	options  []string // kindChoice
	choice   int
	max      int    // runes; 0 = 200
	hint     string // shown after the field
	hidden   bool   // neither shown nor focusable
	required bool
	edited   bool // the operator typed in it
}

func textField(label string, max int, hint string) *field {
	return &field{label: label, kind: kindText, max: max, hint: hint}
}

func digitsField(label string, max int, hint string) *field {
	return &field{label: label, kind: kindDigits, max: max, hint: hint}
}

func pinField() *field {
	return &field{label: "PIN", kind: kindPIN, max: 12, hint: "digits, never shown"}
}

func choiceField(label string, options []string, hint string) *field {
	return &field{label: label, kind: kindChoice, options: options, hint: hint}
}

// set replaces the value (not counted as the operator's edit).
func (f *field) set(v string) { f.value = v }

func (f *field) text() string { return strings.TrimSpace(f.value) }

// choose selects option i of a choice field.
func (f *field) choose(i int) {
	if len(f.options) > 0 {
		f.choice = max(0, min(i, len(f.options)-1))
	}
}

func (f *field) accepts(r rune) bool {
	switch f.kind {
	case kindDigits, kindPIN:
		return r >= '0' && r <= '9'
	case kindChoice:
		return false
	}
	return unicode.IsPrint(r)
}

func (f *field) typeRunes(rs []rune) {
	limit := f.max
	if limit <= 0 {
		limit = 200
	}
	for _, r := range rs {
		if f.accepts(r) && utf8.RuneCountInString(f.value) < limit {
			f.value += string(r)
			f.edited = true
		}
	}
}

type form struct {
	fields []*field
	focus  int
}

func newForm(fs ...*field) *form {
	f := &form{fields: fs}
	if len(fs) > 0 && fs[0].hidden {
		f.move(1)
	}
	return f
}

func (f *form) current() *field {
	if len(f.fields) == 0 {
		return nil
	}
	return f.fields[f.focus]
}

// focusOn moves the focus to fl.
func (f *form) focusOn(fl *field) {
	for i, x := range f.fields {
		if x == fl {
			f.focus = i
		}
	}
}

// move goes d visible fields forward (wrapping).
func (f *form) move(d int) {
	n := len(f.fields)
	for range n {
		f.focus = (f.focus + d + n) % n
		if !f.fields[f.focus].hidden {
			return
		}
	}
}

// key applies msg to the form and reports whether it used it.
func (f *form) key(msg tea.KeyMsg) bool {
	c := f.current()
	if c == nil {
		return false
	}
	switch msg.Type {
	case tea.KeyTab, tea.KeyDown:
		f.move(1)
	case tea.KeyShiftTab, tea.KeyUp:
		f.move(-1)
	case tea.KeyLeft, tea.KeyRight:
		if c.kind != kindChoice || len(c.options) == 0 {
			return false
		}
		d := 1
		if msg.Type == tea.KeyLeft {
			d = -1
		}
		c.choice = (c.choice + d + len(c.options)) % len(c.options)
		c.edited = true
	case tea.KeyBackspace:
		if c.value != "" {
			_, n := utf8.DecodeLastRuneInString(c.value)
			c.value = c.value[:len(c.value)-n]
			c.edited = true
		}
	case tea.KeyCtrlU:
		c.value = ""
		c.edited = true
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

// view renders the visible fields, one per line, labels labelW wide.
func (f *form) view(st Styles, w, labelW int) string {
	var b strings.Builder
	first := true
	for i, x := range f.fields {
		if x.hidden {
			continue
		}
		if !first {
			b.WriteByte('\n')
		}
		first = false
		focused := i == f.focus
		mark := "  "
		label := x.label
		if x.required {
			label += " *"
		}
		labelSt := st.Label
		if focused {
			mark = st.Cursor.Render("▸ ")
			labelSt = st.Value
		}
		line := mark + labelSt.Render(cell(label, labelW)) + " " + x.render(st, focused)
		if x.hint != "" {
			line += "  " + st.Faint.Render(x.hint)
		}
		b.WriteString(cell(line, w))
	}
	return b.String()
}

func (x *field) render(st Styles, focused bool) string {
	val := x.value
	switch x.kind {
	case kindPIN:
		val = strings.Repeat("•", utf8.RuneCountInString(x.value))
	case kindChoice:
		opt := ""
		if len(x.options) > 0 {
			opt = x.options[x.choice]
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
