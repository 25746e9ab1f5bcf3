package ui

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// Errors are read whole. A line that says what went wrong — an error, a
// refusal, a warning with advice — is wrapped onto as many lines as it
// needs within the screen's width, never cut off by cell, spread or the
// root's clipping (which stop at the width with an ellipsis): the part
// that was cut is usually the part that says what to do.

// wrapText breaks s (which may be styled) into lines of at most w
// columns: at spaces, and inside a word longer than a line
// (an id, a path). Existing line breaks are kept; nothing is padded.
func wrapText(s string, w int) string {
	// ansi.Wrap always breaks after a hyphen: keep "--data-dir" and
	// "acct_1-…" whole by wrapping with non-breaking hyphens.
	const nbHyphen = "\u2011"
	if l := scanLine(s); l.plain && l.width <= w && !strings.Contains(s, nbHyphen) {
		return s // one line that fits: Wrap would return it as is
	}
	s = ansi.Wrap(strings.ReplaceAll(s, "-", nbHyphen), max(1, w), "")
	return strings.ReplaceAll(s, nbHyphen, "-")
}

// errorLines is label in style followed by text, wrapped to w columns.
func errorLines(style lipgloss.Style, label, text string, w int) string {
	return wrapText(style.Render(label)+text, w)
}

// styledLines is text all in style, wrapped to w columns.
func styledLines(style lipgloss.Style, text string, w int) string {
	return wrapText(style.Render(text), w)
}

// errLines is errorLines for a port error: label in the danger style,
// then errText(err).
func (sh *shared) errLines(label string, err error, w int) string {
	return errorLines(sh.st.Danger, label, errText(err), w)
}

// lineCount is the number of lines s takes (0 for "").
func lineCount(s string) int {
	if s == "" {
		return 0
	}
	return strings.Count(s, "\n") + 1
}
