package ui

import (
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// Fast rendering for the views that redraw many times a second (the
// register on every key, the live payment view on every tick).
//
// lipgloss.Style.Render looks up every property of the style, splits the
// text into lines and applies alignment, borders and margins on every
// call: about 2 µs for one styled word in true colour, where the result is
// only the style's escape sequence, the text and a reset. An ink keeps
// that sequence and that reset, and renders one line with them.

// ink renders with a lipgloss style of colour and weight only.
type ink struct {
	style    lipgloss.Style
	pre, suf string // what style renders around a line of text
	plain    bool   // the style qualifies: one line renders as pre + text + suf
}

// newInk measures s in the current colour profile.
func newInk(s lipgloss.Style) ink {
	k := ink{style: s}
	if !colourOnly(s) {
		return k
	}
	const probe = "x" // escape sequences hold no x
	out := s.Render(probe)
	if i := strings.Index(out, probe); i >= 0 && strings.Count(out, probe) == 1 {
		k.pre, k.suf, k.plain = out[:i], out[i+len(probe):], true
	}
	return k
}

// colourOnly reports whether s sets nothing but colours and font weight
// (bold, italic, faint, blink): rendering one line in such a style is
// escape sequence, text, reset (lipgloss.Style.Render).
func colourOnly(s lipgloss.Style) bool {
	h, v := s.GetFrameSize() // borders, padding, margins
	return h == 0 && v == 0 && s.GetWidth() == 0 && s.GetHeight() == 0 && s.GetMaxWidth() == 0 &&
		s.GetMaxHeight() == 0 && !s.GetInline() && !s.GetUnderline() && !s.GetStrikethrough() &&
		!s.GetReverse() && !s.GetUnderlineSpaces() && !s.GetStrikethroughSpaces() &&
		s.GetTransform() == nil && s.Value() == ""
}

// Render is k's style's Render(text).
func (k ink) Render(text string) string {
	if !k.plain || strings.ContainsAny(text, "\t\r\n") {
		return k.style.Render(text)
	}
	if k.pre == "" && k.suf == "" {
		return text
	}
	return k.pre + text + k.suf
}

// inks are the Styles the register and the live view render with most.
type inks struct {
	profile termenv.Profile // what they were measured in
	dark    bool

	App, Crumb, CrumbSep, Muted, Faint, Title, Label, Value, Rule ink
	Row, RowSelected, Cursor, FilterCursor                        ink
	Amount, Total, Entry, Success, Warning, Danger, Spinner       ink
	HelpKey, HelpDesc, HelpSep                                    ink

	boxStyle lipgloss.Style    // st.Box
	boxes    map[int]*frame    // boxStyle by width
	fixed    map[string]string // once
}

func newInks(st Styles, profile termenv.Profile, dark bool) *inks {
	return &inks{profile: profile, dark: dark,
		App: newInk(st.App), Crumb: newInk(st.Crumb), CrumbSep: newInk(st.CrumbSep), Muted: newInk(st.Muted),
		Faint: newInk(st.Faint), Title: newInk(st.Title), Label: newInk(st.Label), Value: newInk(st.Value),
		Rule: newInk(st.Rule), Row: newInk(st.Row), RowSelected: newInk(st.RowSelected), Cursor: newInk(st.Cursor),
		FilterCursor: newInk(st.FilterCursor), Amount: newInk(st.Amount), Total: newInk(st.Total), Entry: newInk(st.Entry),
		Success: newInk(st.Success), Warning: newInk(st.Warning), Danger: newInk(st.Danger), Spinner: newInk(st.Spinner),
		HelpKey: newInk(st.HelpKey), HelpDesc: newInk(st.HelpDesc), HelpSep: newInk(st.HelpSep),
		boxStyle: st.Box, boxes: map[int]*frame{}, fixed: map[string]string{}}
}

// once is render(), the first time name is asked for in this profile: for
// text whose styles lipgloss cannot ink (padding: the mode badge) and that
// never changes.
func (in *inks) once(name string, render func() string) string {
	s, ok := in.fixed[name]
	if !ok {
		s = render()
		in.fixed[name] = s
	}
	return s
}

// box is st.Box at width, measured once per width.
func (in *inks) box(width int) *frame {
	f := in.boxes[width]
	if f == nil {
		f = newFrame(in.boxStyle.Width(width))
		in.boxes[width] = f
	}
	return f
}

// ink is sh.st's inks in the current colour profile and background:
// measured again when either changes (tests switch the profile).
func (sh *shared) ink() *inks {
	p, dark := lipgloss.ColorProfile(), lipgloss.HasDarkBackground()
	if sh.inkCache == nil || sh.inkCache.profile != p || sh.inkCache.dark != dark {
		sh.inkCache = newInks(sh.st, p, dark)
	}
	return sh.inkCache
}

// frame is a box style (border, padding, a width) measured once: what it
// renders above, below and around a line of exactly its inner width.
// lipgloss wraps, pads, aligns and borders every line on every call.
type frame struct {
	style                    lipgloss.Style
	inner                    int // the width of a line inside the padding
	top, bottom, left, right string
	ok                       bool
}

func newFrame(box lipgloss.Style) *frame {
	f := &frame{style: box, inner: box.GetWidth() - box.GetHorizontalPadding()}
	if f.inner <= 0 || box.GetHeight() != 0 || box.GetMaxWidth() != 0 || box.GetMaxHeight() != 0 || box.GetVerticalPadding() != 0 ||
		box.GetVerticalMargins() != 0 || box.GetTransform() != nil || box.Value() != "" || box.GetInline() {
		return f
	}
	probe := strings.Repeat("x", f.inner) // escape sequences and borders hold no x
	lines := strings.Split(box.Render(probe), "\n")
	if len(lines) != 3 || strings.Count(lines[1], "x") != f.inner {
		return f
	}
	i := strings.Index(lines[1], probe)
	if i < 0 {
		return f
	}
	f.top, f.bottom, f.left, f.right = lines[0], lines[2], lines[1][:i], lines[1][i+f.inner:]
	f.ok = true
	return f
}

// render is f's style's Render(strings.Join(lines, "\n")).
func (f *frame) render(lines []string) string {
	fast := f.ok
	for _, l := range lines {
		if sc := scanLine(l); !fast || !sc.plain || sc.width != f.inner {
			fast = false
			break
		}
	}
	if !fast {
		return f.style.Render(strings.Join(lines, "\n"))
	}
	var b strings.Builder
	b.WriteString(f.top)
	for _, l := range lines {
		b.WriteString("\n" + f.left + l + f.right)
	}
	b.WriteString("\n" + f.bottom)
	return b.String()
}

// joinBoxes is lipgloss.JoinHorizontal(lipgloss.Top, a, gap, b) for two
// blocks of as many lines, each block's lines of one width, and a gap of
// spaces.
func joinBoxes(a, gap, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	same := func(ls []string) bool {
		for _, l := range ls {
			if textWidth(l) != textWidth(ls[0]) {
				return false
			}
		}
		return true
	}
	if len(al) != len(bl) || !same(al) || !same(bl) || strings.Trim(gap, " ") != "" || strings.Contains(gap, "\n") {
		return lipgloss.JoinHorizontal(lipgloss.Top, a, gap, b)
	}
	var out strings.Builder
	for i := range al {
		if i > 0 {
			out.WriteString("\n" + al[i] + strings.Repeat(" ", len(gap)) + bl[i])
			continue
		}
		out.WriteString(al[i] + gap + bl[i])
	}
	return out.String()
}

// textWidth is lipgloss.Width(s), the columns s takes on screen, without
// its cost (grapheme segmentation, ~50 ns a character) for what the
// console draws most: one line of printable ASCII, escape sequences and
// the narrow symbols of narrowRune. Anything else is measured by lipgloss.
func textWidth(s string) int {
	if l := scanLine(s); l.ok {
		return l.width
	}
	return lipgloss.Width(s)
}

// scanned is what scanLine found.
type scanned struct {
	width int
	ok    bool // one line of printable ASCII, narrow runes and CSI sequences only
	// plain: ok, every sequence is an SGR (colours) and the last one
	// resets, as lipgloss leaves a styled span: wrapping and boxing leave
	// such a line as it is.
	plain bool
}

func scanLine(s string) scanned {
	l := scanned{ok: true, plain: true}
	open := false // an SGR sequence set a style no later one reset
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 0x20 && c < 0x7f:
			l.width++
		case c == 0x1b && i+1 < len(s) && s[i+1] == '[': // CSI: parameters, intermediates, final byte
			j := i + 2
			for j < len(s) && s[j] >= 0x30 && s[j] <= 0x3f {
				j++
			}
			params, k := s[i+2:j], j
			for j < len(s) && s[j] >= 0x20 && s[j] <= 0x2f {
				j++
			}
			if j >= len(s) || s[j] < 0x40 || s[j] > 0x7e {
				return scanned{}
			}
			if s[j] != 'm' || j != k { // not an SGR
				l.plain = false
			}
			open = params != "" && params != "0"
			i = j
		case c >= 0x80:
			r, n := utf8.DecodeRuneInString(s[i:])
			if !narrowRune(r) {
				return scanned{}
			}
			l.width++
			i += n - 1
		default:
			return scanned{}
		}
	}
	l.plain = l.plain && !open
	return l
}

// narrowRune reports whether r is one column wide and a grapheme of its
// own next to ASCII and to each other (TestNarrowRunes checks every one
// against lipgloss): Latin-1 letters and signs, punctuation, arrows, box
// drawing, blocks, braille (the spinner) and the console's marks.
func narrowRune(r rune) bool {
	switch {
	case r >= 0xa0 && r <= 0xff:
		return r != 0xad // the soft hyphen
	case r >= 0x2010 && r <= 0x2027, // ‐ ‑ – — ‘ ’ “ ” • … ·
		r >= 0x2190 && r <= 0x2193, // ← ↑ → ↓
		r >= 0x2500 && r <= 0x259f, // box drawing, blocks
		r >= 0x2800 && r <= 0x28ff: // braille
		return true
	}
	switch r {
	case '▸', '●', '✓', '✗', '⌫':
		return true
	}
	return false
}
