// Package sshterm is the tests' counter: an SSH client with a terminal
// (golang.org/x/crypto/ssh, a PTY request) and a screen that applies what
// the server sends, as a terminal would, so a test reads the screen a
// cashier sees. It is linked into tests only.
package sshterm

import (
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// Screen is a grid of cells that the output of a full-screen program is
// applied to: printable text, CR, LF, backspace, and the CSI sequences
// Bubble Tea's renderer uses (cursor position and moves, erase in line and
// display, the alternate screen). Colours and other modes are ignored.
type Screen struct {
	mu      sync.Mutex
	w, h    int
	cells   [][]string
	x, y    int
	pending []byte // an incomplete sequence or rune from the last write
	parser  *ansi.Parser
	raw     strings.Builder
}

// NewScreen is a w×h screen, blank.
func NewScreen(w, h int) *Screen {
	s := &Screen{w: w, h: h, parser: ansi.NewParser()}
	s.clear()
	return s
}

func (s *Screen) clear() {
	s.cells = make([][]string, s.h)
	for i := range s.cells {
		s.cells[i] = blankLine(s.w)
	}
}

func blankLine(w int) []string {
	l := make([]string, w)
	for i := range l {
		l[i] = " "
	}
	return l
}

// Resize changes the grid's size, keeping what fits.
func (s *Screen) Resize(w, h int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cells := make([][]string, h)
	for y := range cells {
		cells[y] = blankLine(w)
		if y < len(s.cells) {
			copy(cells[y], s.cells[y])
		}
	}
	s.w, s.h, s.cells = w, h, cells
	s.x, s.y = min(s.x, w-1), min(s.y, h-1)
}

// Write applies p.
func (s *Screen) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.raw.Write(p)
	b := append(s.pending, p...)
	s.pending = nil
	for len(b) > 0 {
		if b[0] >= 0x80 && !utf8.FullRune(b) {
			s.pending = append([]byte(nil), b...)
			break
		}
		seq, width, n, state := ansi.DecodeSequence(b, ansi.NormalState, s.parser)
		if n == len(b) && b[0] == ansi.ESC && (state != ansi.NormalState || len(seq) == 1) {
			s.pending = append([]byte(nil), b...) // the rest of the sequence comes with the next write
			break
		}
		s.apply(seq, width)
		b = b[n:]
	}
	return len(p), nil
}

// Raw is everything written, escape sequences included.
func (s *Screen) Raw() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.raw.String()
}

func (s *Screen) apply(seq []byte, width int) {
	switch {
	case len(seq) == 0:
	case width > 0:
		s.put(string(seq), width)
	case seq[0] == '\r':
		s.x = 0
	case seq[0] == '\n':
		s.lineFeed()
	case seq[0] == '\b':
		s.x = max(0, s.x-1)
	case seq[0] == ansi.ESC && len(seq) > 1 && seq[1] == '[':
		s.csi()
	}
}

func (s *Screen) put(g string, width int) {
	if s.x >= s.w { // deferred wrap
		s.x = 0
		s.lineFeed()
	}
	s.cells[s.y][s.x] = g
	for i := 1; i < width && s.x+i < s.w; i++ {
		s.cells[s.y][s.x+i] = ""
	}
	s.x += width
}

func (s *Screen) lineFeed() {
	if s.y < s.h-1 {
		s.y++
		return
	}
	s.cells = append(s.cells[1:], blankLine(s.w))
}

func (s *Screen) param(i, def int) int {
	v, ok := s.parser.Param(i, def)
	if !ok || v == 0 {
		return def
	}
	return v
}

func (s *Screen) csi() {
	cmd := ansi.Cmd(s.parser.Command())
	if cmd.Prefix() == '?' {
		if cmd.Final() == 'h' && s.param(0, 0) == 1049 { // the alternate screen: blank
			s.clear()
		}
		return
	}
	switch cmd.Final() {
	case 'H', 'f':
		s.y, s.x = clamp(s.param(0, 1)-1, s.h), clamp(s.param(1, 1)-1, s.w)
	case 'A':
		s.y = clamp(s.y-s.param(0, 1), s.h)
	case 'B':
		s.y = clamp(s.y+s.param(0, 1), s.h)
	case 'C':
		s.x = clamp(s.x+s.param(0, 1), s.w)
	case 'D':
		s.x = clamp(s.x-s.param(0, 1), s.w)
	case 'G':
		s.x = clamp(s.param(0, 1)-1, s.w)
	case 'd':
		s.y = clamp(s.param(0, 1)-1, s.h)
	case 'K':
		from, to := s.x, s.w
		switch p, _ := s.parser.Param(0, 0); p {
		case 1:
			from, to = 0, min(s.x+1, s.w)
		case 2:
			from = 0
		}
		for i := from; i < to; i++ {
			s.cells[s.y][i] = " "
		}
	case 'J':
		switch p, _ := s.parser.Param(0, 0); p {
		case 0:
			for i := min(s.x, s.w); i < s.w; i++ {
				s.cells[s.y][i] = " "
			}
			for y := s.y + 1; y < s.h; y++ {
				s.cells[y] = blankLine(s.w)
			}
		case 1:
			for y := 0; y < s.y; y++ {
				s.cells[y] = blankLine(s.w)
			}
		default:
			s.clear()
		}
	}
}

func clamp(v, n int) int { return max(0, min(v, n-1)) }

// Text is the screen as lines of text, trailing blanks trimmed.
func (s *Screen) Text() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	lines := make([]string, len(s.cells))
	for y, l := range s.cells {
		lines[y] = strings.TrimRight(strings.Join(l, ""), " ")
	}
	return strings.TrimRight(strings.Join(lines, "\n"), "\n")
}
