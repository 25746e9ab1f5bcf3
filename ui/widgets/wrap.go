package widgets

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"kasse/i18n"
	"kasse/ui/app"
)

// Errors are read whole. A line that says what went wrong — an error, a
// refusal, a warning with advice — is wrapped onto as many lines as it
// needs within the screen's width, never cut off by Cell, Spread or the
// root's clipping (which stop at the width with an ellipsis): the part
// that was cut is usually the part that says what to do.

// WrapText breaks s (which may be styled) into lines of at most w
// columns: at spaces, and inside a word longer than a line
// (an id, a path). Existing line breaks are kept; nothing is padded.
func WrapText(s string, w int) string {
	// ansi.Wrap always breaks after a hyphen: keep "--data-dir" and
	// "acct_1-…" whole by wrapping with non-breaking hyphens.
	const nbHyphen = "\u2011"
	if l := app.ScanLine(s); l.Plain && l.Width <= w && !strings.Contains(s, nbHyphen) {
		return s // one line that fits: Wrap would return it as is
	}
	s = ansi.Wrap(strings.ReplaceAll(s, "-", nbHyphen), max(1, w), "")
	return strings.ReplaceAll(s, nbHyphen, "-")
}

// ErrorLines is label in style followed by text, wrapped to w columns.
func ErrorLines(style lipgloss.Style, label, text string, w int) string {
	return WrapText(style.Render(label)+text, w)
}

// StyledLines is text all in style, wrapped to w columns.
func StyledLines(style lipgloss.Style, text string, w int) string {
	return WrapText(style.Render(text), w)
}

// ErrLines is ErrorLines for a port error: label in the danger style,
// then ErrText(loc, err).
func ErrLines(st app.Styles, loc *i18n.Locale, label string, err error, w int) string {
	return ErrorLines(st.Danger, label, ErrText(loc, err), w)
}

// LineCount is the number of lines s takes (0 for "").
func LineCount(s string) int {
	if s == "" {
		return 0
	}
	return strings.Count(s, "\n") + 1
}
