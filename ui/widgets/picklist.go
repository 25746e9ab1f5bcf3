package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"kasse/internal/plural"
)

// pickList is the list behind every picker: items, a type-to-filter query,
// a cursor over the matching items and a scroll offset.
type pickList[T any] struct {
	all    []T
	shown  []int // indices into all that match the filter
	cursor int   // index into shown
	offset int   // first shown row on screen
	query  string
	// haystack returns the lower-case text the filter searches.
	haystack func(T) string
	// touched is set once the operator moved or typed; remembered
	// preselection then no longer applies.
	touched bool
}

func newPickList[T any](haystack func(T) string) pickList[T] {
	return pickList[T]{haystack: haystack}
}

func (l *pickList[T]) setItems(items []T) {
	l.all = items
	l.refilter()
}

func (l *pickList[T]) refilter() {
	q := strings.ToLower(strings.TrimSpace(l.query))
	l.shown = l.shown[:0]
	for i, it := range l.all {
		if q == "" || matchWords(l.haystack(it), q) {
			l.shown = append(l.shown, i)
		}
	}
	l.cursor = max(0, min(l.cursor, len(l.shown)-1))
}

// matchWords reports whether every word of q occurs in h.
func matchWords(h, q string) bool {
	for _, w := range strings.Fields(q) {
		if !strings.Contains(h, w) {
			return false
		}
	}
	return true
}

// selected returns the item under the cursor.
func (l *pickList[T]) selected() (T, bool) {
	var zero T
	if len(l.shown) == 0 {
		return zero, false
	}
	return l.all[l.shown[l.cursor]], true
}

// selectWhere moves the cursor to the first shown item matching f.
func (l *pickList[T]) selectWhere(f func(T) bool) bool {
	for i, idx := range l.shown {
		if f(l.all[idx]) {
			l.cursor = i
			return true
		}
	}
	return false
}

// preselect moves the cursor to the item whose id is want (a remembered
// choice; "" = none) until the operator moved or typed.
func (l *pickList[T]) preselect(want string, id func(T) string) {
	if want == "" || l.touched {
		return
	}
	l.selectWhere(func(it T) bool { return id(it) == want })
}

// handleKey applies navigation and filter keys. It reports whether the key
// was used; Esc is used only to clear a non-empty filter.
func (l *pickList[T]) handleKey(k KeyMap, msg tea.KeyMsg) bool {
	switch {
	case key.Matches(msg, k.Up):
		l.move(-1)
	case key.Matches(msg, k.Down):
		l.move(1)
	case key.Matches(msg, k.PageUp):
		l.move(-10)
	case key.Matches(msg, k.PageDown):
		l.move(10)
	case msg.Type == tea.KeyBackspace:
		if l.query == "" {
			return false
		}
		r := []rune(l.query)
		l.setQuery(string(r[:len(r)-1]))
	case msg.Type == tea.KeyCtrlU:
		l.setQuery("")
	case key.Matches(msg, k.Back):
		if l.query == "" {
			return false
		}
		l.setQuery("")
	case (msg.Type == tea.KeyRunes || msg.Type == tea.KeySpace) && !msg.Alt:
		l.setQuery(l.query + string(msg.Runes))
	default:
		return false
	}
	l.touched = true
	return true
}

func (l *pickList[T]) setQuery(q string) {
	l.query = q
	l.cursor = 0
	l.offset = 0
	l.refilter()
}

func (l *pickList[T]) move(d int) {
	if len(l.shown) == 0 {
		return
	}
	l.cursor = max(0, min(len(l.shown)-1, l.cursor+d))
}

// window returns the range of shown rows to draw in h lines, keeping the
// cursor visible.
func (l *pickList[T]) window(h int) (from, to int) {
	h = max(1, h)
	if l.cursor < l.offset {
		l.offset = l.cursor
	}
	if l.cursor >= l.offset+h {
		l.offset = l.cursor - h + 1
	}
	l.offset = max(0, min(l.offset, len(l.shown)-h))
	return l.offset, min(len(l.shown), l.offset+h)
}

// render draws the filter line (with the count of noun, given singular:
// "1 seller", "5 sellers") and the visible rows with row, in h lines.
func (l *pickList[T]) render(sh *shared, noun string, w, h int, row func(it T, selected bool, w int) string) string {
	st := sh.st
	var b strings.Builder
	count := plural.Count(len(l.all), noun)
	if l.query != "" {
		count = fmt.Sprintf("%d of %s", len(l.shown), count)
	}
	filter := st.Label.Render("Filter: ") + st.Filter.Render(l.query) + st.FilterCursor.Render("▏")
	if l.query == "" {
		filter = st.Label.Render("Filter: ") + st.FilterCursor.Render("▏") + st.Faint.Render("type to filter")
	}
	b.WriteString(spread(filter, st.Muted.Render(count), w))
	b.WriteString("\n\n")
	if len(l.shown) == 0 {
		if l.query != "" {
			b.WriteString(st.Muted.Render(fmt.Sprintf("  Nothing matches %q. Esc clears the filter.", l.query)))
		} else {
			b.WriteString(st.Muted.Render("  None."))
		}
		return b.String()
	}
	from, to := l.window(h - 2)
	for i := from; i < to; i++ {
		if i > from {
			b.WriteByte('\n')
		}
		b.WriteString(row(l.all[l.shown[i]], i == l.cursor, w))
	}
	return b.String()
}

// rowStyle is how a list row looks: the cursor mark of its first two
// columns and the style of its text, for the selected row or another.
func rowStyle(st Styles, selected bool) (mark string, text lipgloss.Style) {
	if selected {
		return st.Cursor.Render("▸ "), st.RowSelected
	}
	return "  ", st.Row
}

// pickerLoad is the load state of a picker screen (sellers, locations,
// readers): a load running, one done, the last one's error.
type pickerLoad struct {
	busy   bool
	loaded bool
	err    error
}

// startLoad marks a (re)load as running.
func (p *pickerLoad) startLoad() { p.busy, p.err = true, nil }

// loadDone records the end of a load and reports whether it succeeded.
func (p *pickerLoad) loadDone(err error) bool {
	p.busy, p.err = false, err
	if err == nil {
		p.loaded = true
	}
	return err == nil
}

// firstLoadView is the picker's view, under top, until a load succeeded:
// a spinner and loading while the first load runs, or failed, the error
// and hint after it failed. ok is false once loaded.
func (p *pickerLoad) firstLoadView(sh *shared, top, loading, failed, hint string, w int) (view string, ok bool) {
	st := sh.st
	switch {
	case p.busy && !p.loaded:
		return top + "\n\n" + sh.spinner() + st.Muted.Render(" "+loading), true
	case p.err != nil && !p.loaded:
		return top + "\n\n" + sh.errLines(failed, p.err, w) + "\n\n" + st.Muted.Render(hint), true
	}
	return "", false
}

// pickerShortHelp and pickerFullHelp are the help of a picker screen.
func pickerShortHelp(k KeyMap) []key.Binding {
	return []key.Binding{k.Filter, k.Up, k.Down, k.Choose, k.Back, k.Refresh, k.Help}
}

func pickerFullHelp(k KeyMap) [][]key.Binding {
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown}, {k.Filter, k.Choose, k.Refresh}}
}
