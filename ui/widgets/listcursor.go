package widgets

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kasse/ui/app"
)

// MoveCursor moves *cursor over a list of n rows for Up, Down, PageUp and
// PageDown (ten rows), staying within the list, and reports whether msg
// was one of them.
func MoveCursor(k app.KeyMap, msg tea.KeyMsg, cursor *int, n int) bool {
	switch {
	case key.Matches(msg, k.Up):
		*cursor = max(0, *cursor-1)
	case key.Matches(msg, k.Down):
		*cursor = max(0, min(n-1, *cursor+1))
	case key.Matches(msg, k.PageUp):
		*cursor = max(0, *cursor-10)
	case key.Matches(msg, k.PageDown):
		*cursor = max(0, min(n-1, *cursor+10))
	default:
		return false
	}
	return true
}

// ScrollTo is the first row to show, rows at a time, so that cursor is in
// view: offset as it was when it already is, else just far enough.
func ScrollTo(cursor, offset, rows int) int {
	if cursor < offset {
		return cursor
	}
	if cursor >= offset+rows {
		return cursor - rows + 1
	}
	return offset
}
