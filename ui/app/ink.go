package app

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
// only the style's escape sequence, the text and a reset. An Ink keeps
// that sequence and that reset, and renders one line with them.
//
// Inks are measured lazily (a box per width, text rendered once), so they
// change as they are used: a session keeps its own (Deps.Ink), never the
// Deps that sessions share.

// Ink renders with a lipgloss style of colour and weight only.
type Ink struct {
	style    lipgloss.Style
	pre, suf string // what style renders around a line of text
	plain    bool   // the style qualifies: one line renders as pre + text + suf
}

// NewInk measures s in the current colour profile.
func NewInk(s lipgloss.Style) Ink {
	k := Ink{style: s}
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
func (k Ink) Render(text string) string {
	if !k.plain || strings.ContainsAny(text, "\t\r\n") {
		return k.style.Render(text)
	}
	if k.pre == "" && k.suf == "" {
		return text
	}
	return k.pre + text + k.suf
}

// Inks are the Styles the register and the live view render with most,
// measured in one colour profile and background.
type Inks struct {
	profile termenv.Profile // what they were measured in
	dark    bool

	App, Crumb, CrumbSep, Muted, Faint, Title, Label, Value, Rule Ink
	Row, RowSelected, Cursor, FilterCursor                        Ink
	Amount, Total, Entry, Success, Warning, Danger, Spinner       Ink
	HelpKey, HelpDesc, HelpSep                                    Ink

	boxStyle      lipgloss.Style    // st.Box
	boxes         map[int]*Frame    // boxStyle by width
	lipglossBoxes bool              // LipglossInks: boxes are not measured
	fixed         map[string]string // Once
}

// NewInks measures st's inks in profile and background dark (the current
// ones of lipgloss's default renderer).
func NewInks(st Styles, profile termenv.Profile, dark bool) *Inks {
	return &Inks{profile: profile, dark: dark,
		App: NewInk(st.App), Crumb: NewInk(st.Crumb), CrumbSep: NewInk(st.CrumbSep), Muted: NewInk(st.Muted),
		Faint: NewInk(st.Faint), Title: NewInk(st.Title), Label: NewInk(st.Label), Value: NewInk(st.Value),
		Rule: NewInk(st.Rule), Row: NewInk(st.Row), RowSelected: NewInk(st.RowSelected), Cursor: NewInk(st.Cursor),
		FilterCursor: NewInk(st.FilterCursor), Amount: NewInk(st.Amount), Total: NewInk(st.Total), Entry: NewInk(st.Entry),
		Success: NewInk(st.Success), Warning: NewInk(st.Warning), Danger: NewInk(st.Danger), Spinner: NewInk(st.Spinner),
		HelpKey: NewInk(st.HelpKey), HelpDesc: NewInk(st.HelpDesc), HelpSep: NewInk(st.HelpSep),
		boxStyle: st.Box, boxes: map[int]*Frame{}, fixed: map[string]string{}}
}

// LipglossInks are st's inks in the current colour profile and
// background with every fast path off: each ink and box renders through
// lipgloss, as the views did before inks. They are the reference the
// tests hold the fast paths to (Session.UseInks).
func LipglossInks(st Styles) *Inks {
	in := NewInks(st, lipgloss.ColorProfile(), lipgloss.HasDarkBackground())
	for _, k := range []*Ink{&in.App, &in.Crumb, &in.CrumbSep, &in.Muted, &in.Faint, &in.Title, &in.Label, &in.Value,
		&in.Rule, &in.Row, &in.RowSelected, &in.Cursor, &in.FilterCursor, &in.Amount, &in.Total, &in.Entry,
		&in.Success, &in.Warning, &in.Danger, &in.Spinner, &in.HelpKey, &in.HelpDesc, &in.HelpSep} {
		k.plain = false
	}
	in.lipglossBoxes = true
	return in
}

// MeasuredIn is the colour profile and background in was measured in.
func (in *Inks) MeasuredIn() (termenv.Profile, bool) { return in.profile, in.dark }

// Once is render(), the first time name is asked for in these inks: for
// text whose styles cannot be inked (padding: the mode badge) and that
// never changes.
func (in *Inks) Once(name string, render func() string) string {
	s, ok := in.fixed[name]
	if !ok {
		s = render()
		in.fixed[name] = s
	}
	return s
}

// Box is st.Box at width, measured once per width.
func (in *Inks) Box(width int) *Frame {
	f := in.boxes[width]
	if f == nil {
		f = newFrame(in.boxStyle.Width(width))
		if in.lipglossBoxes {
			f = &Frame{style: in.boxStyle.Width(width)} // not measured: lipgloss renders
		}
		in.boxes[width] = f
	}
	return f
}

// Ink is d.Styles' inks in the colour profile and background of d's
// renderer (Deps.Renderer), kept in the session s (inks are measured as
// they are used, so sessions never share them) and measured again when
// either changes (tests switch the profile).
func (d *Deps) Ink(s *Session) *Inks {
	r := d.renderer()
	p, dark := r.ColorProfile(), r.HasDarkBackground()
	if s.inks == nil || s.inks.profile != p || s.inks.dark != dark {
		s.inks = NewInks(d.Styles, p, dark)
	}
	return s.inks
}

// Frame is a box style (border, padding, a width) measured once: what it
// renders above, below and around a line of exactly its inner width.
// lipgloss wraps, pads, aligns and borders every line on every call.
type Frame struct {
	style                    lipgloss.Style
	inner                    int // the width of a line inside the padding
	top, bottom, left, right string
	ok                       bool
}

func newFrame(box lipgloss.Style) *Frame {
	f := &Frame{style: box, inner: box.GetWidth() - box.GetHorizontalPadding()}
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

// Render is f's style's Render(strings.Join(lines, "\n")).
func (f *Frame) Render(lines []string) string {
	fast := f.ok
	for _, l := range lines {
		if sc := ScanLine(l); !fast || !sc.Plain || sc.Width != f.inner {
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

// JoinBoxes is lipgloss.JoinHorizontal(lipgloss.Top, a, gap, b) for two
// blocks of as many lines, each block's lines of one width, and a gap of
// spaces.
func JoinBoxes(a, gap, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	same := func(ls []string) bool {
		w := TextWidth(ls[0])
		for _, l := range ls[1:] {
			if TextWidth(l) != w {
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

// TextWidth is lipgloss.Width(s), the columns s takes on screen, without
// its cost (grapheme segmentation, ~50 ns a character) for what the
// console draws most: one line of printable ASCII, escape sequences and
// the narrow symbols of narrowRune. Anything else is measured by lipgloss.
func TextWidth(s string) int {
	if l := ScanLine(s); l.OK {
		return l.Width
	}
	return lipgloss.Width(s)
}

// Scanned is what ScanLine found.
type Scanned struct {
	Width int
	OK    bool // one line of printable ASCII, narrow runes and CSI sequences only
	// Plain: OK, every sequence is an SGR (colours) and the last one
	// resets, as lipgloss leaves a styled span: wrapping and boxing leave
	// such a line as it is.
	Plain bool
}

// ScanLine measures s if it is one line of what the console draws most
// (Scanned.OK); it does not measure anything else.
func ScanLine(s string) Scanned {
	l := Scanned{OK: true, Plain: true}
	open := false // an SGR sequence set a style no later one reset
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 0x20 && c < 0x7f:
			l.Width++
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
				return Scanned{}
			}
			if s[j] != 'm' || j != k { // not an SGR
				l.Plain = false
			}
			open = params != "" && params != "0"
			i = j
		case c >= 0x80:
			r, n := utf8.DecodeRuneInString(s[i:])
			if !narrowRune(r) {
				return Scanned{}
			}
			l.Width++
			i += n - 1
		default:
			return Scanned{}
		}
	}
	l.Plain = l.Plain && !open
	return l
}

// narrowRune reports whether r is one column wide and a grapheme of its
// own next to ASCII and to each other (TestNarrowRunes checks every one
// against lipgloss): Latin-1 letters and signs, punctuation, arrows, box
// drawing, blocks, braille (the spinner), currency signs and the
// console's marks.
func narrowRune(r rune) bool {
	switch {
	case r >= 0xa0 && r <= 0xff:
		return r != 0xad // the soft hyphen
	case r >= 0x2010 && r <= 0x2027, // ‐ ‑ – — ‘ ’ “ ” • … ·
		r >= 0x20a0 && r <= 0x20c0, // currency signs: € ₹ ₩ ₺ … (money in the locale's format)
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
