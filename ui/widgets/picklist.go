package widgets

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"kasse/i18n"
	"kasse/ui/app"
)

// PickList is the list behind every picker: items, a type-to-filter query,
// a cursor over the matching items and a scroll offset.
type PickList[T any] struct {
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

// NewPickList is an empty list filtered on haystack.
func NewPickList[T any](haystack func(T) string) PickList[T] {
	return PickList[T]{haystack: haystack}
}

// SetItems replaces the items (the filter stays).
func (l *PickList[T]) SetItems(items []T) {
	l.all = items
	l.refilter()
}

func (l *PickList[T]) refilter() {
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

// Selected returns the item under the cursor.
func (l *PickList[T]) Selected() (T, bool) {
	var zero T
	if len(l.shown) == 0 {
		return zero, false
	}
	return l.all[l.shown[l.cursor]], true
}

// SelectWhere moves the cursor to the first shown item matching f.
func (l *PickList[T]) SelectWhere(f func(T) bool) bool {
	for i, idx := range l.shown {
		if f(l.all[idx]) {
			l.cursor = i
			return true
		}
	}
	return false
}

// Preselect moves the cursor to the item whose id is want (a remembered
// choice; "" = none) until the operator moved or typed.
func (l *PickList[T]) Preselect(want string, id func(T) string) {
	if want == "" || l.touched {
		return
	}
	l.SelectWhere(func(it T) bool { return id(it) == want })
}

// HandleKey applies navigation and filter keys. It reports whether the key
// was used; Esc is used only to clear a non-empty filter.
func (l *PickList[T]) HandleKey(k app.KeyMap, msg tea.KeyMsg) bool {
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

func (l *PickList[T]) setQuery(q string) {
	l.query = q
	l.cursor = 0
	l.offset = 0
	l.refilter()
}

func (l *PickList[T]) move(d int) {
	if len(l.shown) == 0 {
		return
	}
	l.cursor = max(0, min(len(l.shown)-1, l.cursor+d))
}

// window returns the range of shown rows to draw in h lines, keeping the
// cursor visible.
func (l *PickList[T]) window(h int) (from, to int) {
	h = max(1, h)
	l.offset = max(0, min(ScrollTo(l.cursor, l.offset, h), len(l.shown)-h))
	return l.offset, min(len(l.shown), l.offset+h)
}

// Render draws the filter line (with the count of the items, count(n):
// "1 seller", "5 sellers", a catalog plural) and the visible rows with
// row, in h lines, its words in loc.
func (l *PickList[T]) Render(st app.Styles, loc *i18n.Locale, count func(n int) string, w, h int, row func(it T, selected bool, w int) string) string {
	var b strings.Builder
	all := count(len(l.all))
	if l.query != "" {
		all = loc.T("widgets.list.count_filtered", i18n.Args{"Shown": len(l.shown), "All": all})
	}
	label := st.Label.Render(loc.T("widgets.list.filter"))
	filter := label + st.Filter.Render(l.query) + st.FilterCursor.Render("▏")
	if l.query == "" {
		filter = label + st.FilterCursor.Render("▏") + st.Faint.Render(loc.T("widgets.list.type_to_filter"))
	}
	b.WriteString(Spread(filter, st.Muted.Render(all), w))
	b.WriteString("\n\n")
	if len(l.shown) == 0 {
		if l.query != "" {
			b.WriteString(st.Muted.Render("  " + loc.T("widgets.list.no_match", i18n.Args{"Query": l.query})))
		} else {
			b.WriteString(st.Muted.Render("  " + loc.T("widgets.list.empty")))
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

// RowStyle is how a list row looks: the cursor mark of its first two
// columns and the style of its text, for the selected row or another.
func RowStyle(st app.Styles, selected bool) (mark string, text lipgloss.Style) {
	if selected {
		return st.Cursor.Render("▸ "), st.RowSelected
	}
	return "  ", st.Row
}

// Items are all the items, filtered or not.
func (l *PickList[T]) Items() []T { return l.all }

// Shown is how many items match the filter.
func (l *PickList[T]) Shown() int { return len(l.shown) }

// Query is the filter typed so far.
func (l *PickList[T]) Query() string { return l.query }
