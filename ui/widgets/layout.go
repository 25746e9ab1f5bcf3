package widgets

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"kasse/ui/app"
)

// Spread puts left and right on one line of width w, right-aligned; left
// is cut when both do not fit.
func Spread(left, right string, w int) string {
	lw, rw := app.TextWidth(left), app.TextWidth(right)
	if lw+rw+1 > w {
		left = ansi.Truncate(left, max(0, w-rw-1), "…")
		lw = app.TextWidth(left)
	}
	return left + strings.Repeat(" ", max(1, w-lw-rw)) + right
}

// Cell cuts or pads s to exactly w columns.
func Cell(s string, w int) string {
	if w <= 0 {
		return ""
	}
	sw := app.TextWidth(s)
	if sw > w {
		return ansi.Truncate(s, w, "…")
	}
	return s + strings.Repeat(" ", w-sw)
}

// CellRight right-aligns s in w columns.
func CellRight(s string, w int) string {
	sw := app.TextWidth(s)
	if sw >= w {
		return Cell(s, w)
	}
	return strings.Repeat(" ", w-sw) + s
}

// Fit clips s to w columns and exactly h lines, padding with blank lines.
func Fit(s string, w, h int) string {
	if h <= 0 {
		return ""
	}
	if n, ok := fitsAlready(s, w, h); ok { // most frames: no line to cut
		return s + strings.Repeat("\n", h-n)
	}
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for i, l := range lines {
		if app.TextWidth(l) > w {
			lines[i] = ansi.Truncate(l, w, "…")
		}
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

// fitsAlready counts the lines of s and reports whether there are at most
// h, none wider than w.
func fitsAlready(s string, w, h int) (int, bool) {
	n := 0
	for {
		n++
		i := strings.IndexByte(s, '\n')
		line := s
		if i >= 0 {
			line = s[:i]
		}
		if n > h || app.TextWidth(line) > w {
			return n, false
		}
		if i < 0 {
			return n, true
		}
		s = s[i+1:]
	}
}

// Center places block in the middle of a w×h area.
func Center(block string, w, h int) string {
	return lipgloss.Place(w, h, lipgloss.Center, lipgloss.Center, block)
}

// CenterIn pads s on the left to center it in w columns.
func CenterIn(s string, w int) string {
	pad := max(0, (w-lipgloss.Width(s))/2)
	return strings.Repeat(" ", pad) + s
}

// Wrap breaks s into lines of at most w columns at spaces.
func Wrap(s string, w int) string {
	return lipgloss.NewStyle().Width(max(1, w)).Render(s)
}
