package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// dialog is a question the root asks above whatever screen is on top:
// quitting during a payment, an open sale found at start, dropping a cart,
// a location that looks like another seller's. While it is open its keys
// answer it and nothing else reaches the screens; each choice closes it
// and sends its message (nil: just close).
type dialog struct {
	// refresh rebuilds the dialog after each message (names that arrive
	// later, such as the seller list); nil: fixed.
	refresh func() *dialog
	// answered runs when a choice closes the dialog (nil: nothing).
	answered func()
	title    string
	lines    []string // plain text, wrapped to the dialog's width
	choices  []choice
}

type choice struct {
	key key.Binding
	msg tea.Msg
	// text says in the dialog what the key does ("" = its help text).
	text string
}

// answer handles a key while the dialog is open. done reports that the
// key closed it.
func (d *dialog) answer(msg tea.KeyMsg) (cmd tea.Cmd, done bool) {
	for _, c := range d.choices {
		if key.Matches(msg, c.key) {
			if d.answered != nil {
				d.answered()
			}
			if c.msg == nil {
				return nil, true
			}
			return emit(c.msg), true
		}
	}
	return nil, false
}

// handles reports whether one of the dialog's choices answers to msg.
func (d *dialog) handles(msg tea.KeyMsg) bool {
	for _, c := range d.choices {
		if key.Matches(msg, c.key) {
			return true
		}
	}
	return false
}

func (d *dialog) help() []key.Binding {
	out := make([]key.Binding, len(d.choices))
	for i, c := range d.choices {
		out[i] = c.key
	}
	return out
}

// view renders the dialog centered in a w×h body.
func (d *dialog) view(sh *shared, w, h int) string {
	st := sh.st
	inner := min(72, max(20, w-6))
	var b strings.Builder
	b.WriteString(st.Warning.Render(d.title))
	for _, l := range d.lines {
		b.WriteString("\n")
		if l != "" {
			b.WriteString(wrap(l, inner))
		}
	}
	b.WriteString("\n")
	for _, c := range d.choices {
		hk := c.key.Help()
		text := c.text
		if text == "" {
			text = hk.Desc
		}
		b.WriteString("\n" + st.Title.Render(cell(hk.Key, 7)) + st.Value.Render(wrap(text, inner-7)))
	}
	return center(st.Dialog.Width(inner+4).Render(b.String()), w, h)
}
