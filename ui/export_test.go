package ui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kasse/ui/app"
)

// Test access to the root (compiled into this package's tests only).

type AnimTick = animTickMsg

// ClearStatus is the status line's timer for status message seq.
func ClearStatus(seq int) tea.Msg { return clearStatusMsg{seq: seq} }

// HelpLine is the key help line the root draws for the top screen at
// width w (kept from the last frame when nothing changed).
func (m *Model) HelpLine(w int) string { return m.helpLine(m.top(), w) }

// RenderHelp is bubbles' help line for keys at width w, in the console's
// styles: what HelpLine must equal.
func (m *Model) RenderHelp(keys []key.Binding, w int) string {
	return m.helpModel(w).ShortHelpView(app.Localized(m.sess.Loc, keys))
}
