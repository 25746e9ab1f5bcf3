package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// spread puts left and right on one line of width w, right-aligned; left
// is cut when both do not fit.
func spread(left, right string, w int) string {
	lw, rw := textWidth(left), textWidth(right)
	if lw+rw+1 > w {
		left = ansi.Truncate(left, max(0, w-rw-1), "…")
		lw = textWidth(left)
	}
	return left + strings.Repeat(" ", max(1, w-lw-rw)) + right
}

// cell cuts or pads s to exactly w columns.
func cell(s string, w int) string {
	if w <= 0 {
		return ""
	}
	sw := textWidth(s)
	if sw > w {
		return ansi.Truncate(s, w, "…")
	}
	return s + strings.Repeat(" ", w-sw)
}

// cellRight right-aligns s in w columns.
func cellRight(s string, w int) string {
	sw := textWidth(s)
	if sw >= w {
		return cell(s, w)
	}
	return strings.Repeat(" ", w-sw) + s
}

// fit clips s to w columns and exactly h lines, padding with blank lines.
func fit(s string, w, h int) string {
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
		if textWidth(l) > w {
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
		if n > h || textWidth(line) > w {
			return n, false
		}
		if i < 0 {
			return n, true
		}
		s = s[i+1:]
	}
}

// center places block in the middle of a w×h area.
func center(block string, w, h int) string {
	return lipgloss.Place(w, h, lipgloss.Center, lipgloss.Center, block)
}

// wrap breaks s into lines of at most w columns at spaces.
func wrap(s string, w int) string {
	return lipgloss.NewStyle().Width(max(1, w)).Render(s)
}

// Terminal size. Every screen is usable at 80×24; most need less. A screen
// that needs more than defaultMinWidth×defaultMinHeight (a wide table, a
// tall form) says so with minSize. Below the active screen's minimum the
// root draws tooSmallView instead of a clipped screen, and takes no keys
// but quit (so nothing is typed blind).
const (
	defaultMinWidth  = 60
	defaultMinHeight = 15
)

// minSizer is a screen with a minimum of its own (whole terminal, chrome
// included); it may depend on what the screen shows (an open dialog).
type minSizer interface {
	minSize() (w, h int)
}

// screenMinSize is s's minimum terminal size.
func screenMinSize(s screen) (w, h int) {
	if m, ok := s.(minSizer); ok {
		return m.minSize()
	}
	return defaultMinWidth, defaultMinHeight
}

// bodyLines is the minimum terminal height for a body of n lines (header,
// status line and key help around it).
func bodyLines(n int) int { return n + headerHeight + footerHeight }

// tooSmallView fills w×h with why nothing else is drawn: the terminal's
// size, the screen's minimum and how to get out.
func tooSmallView(st Styles, w, h, minW, minH int) string {
	msg := st.Warning.Render("Terminal too small") + "\n" +
		fmt.Sprintf("This screen needs at least %d×%d; the terminal is %d×%d.", minW, minH, w, h) + "\n" +
		st.Muted.Render("Enlarge the window or make the font smaller. ctrl+c quits.")
	block := wrap(msg, min(w, 60))
	if lipgloss.Height(block) > h || lipgloss.Width(block) > w {
		// Not even the message fits: the sizes alone, as far as they go.
		return fit(fmt.Sprintf("too small: %d×%d, need %d×%d", w, h, minW, minH), w, h)
	}
	return fit(center(block, w, h), w, h)
}
