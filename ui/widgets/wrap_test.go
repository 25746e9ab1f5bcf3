package widgets

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// randomText is a line or two of ASCII, escape sequences, narrow and wide
// runes, combining marks, tabs, hyphens.
func randomText(rng *rand.Rand, n int) string {
	pieces := []string{"a", "Z", "7", " ", "  ", "-", "…", "·", "—", "─", "│", "╭", "▸", "●", "⠋", "ä", "ß", "×", "é",
		"e\u0301", "中", "😀", "\u00ad", "\u2011", "\x1b[1m", "\x1b[38;2;1;2;3m", "\x1b[0m", "\x1b[", "\x1b]8;;x\x07", "\t",
		"\x7f", "→", "✓", "⌫", "\u0600", "\n"}
	var b strings.Builder
	for range n {
		b.WriteString(pieces[rng.IntN(len(pieces))])
	}
	return b.String()
}

// WrapText's shortcut for a line that fits changes nothing.
func TestWrapTextShortcut(t *testing.T) {
	slow := func(s string, w int) string {
		const nb = "\u2011"
		return strings.ReplaceAll(ansi.Wrap(strings.ReplaceAll(s, "-", nb), max(1, w), ""), nb, "-")
	}
	rng := rand.New(rand.NewPCG(9, 10))
	for range 20000 {
		s, w := randomText(rng, rng.IntN(14)), rng.IntN(20)
		if got, want := WrapText(s, w), slow(s, w); got != want {
			t.Fatalf("WrapText(%q, %d) = %q, want %q", s, w, got, want)
		}
	}
}

// Fit's shortcut for a block that already fits pads it as the long way
// does.
func TestFitShortcut(t *testing.T) {
	slow := func(s string, w, h int) string {
		lines := strings.Split(s, "\n")
		if len(lines) > h {
			lines = lines[:h]
		}
		for i, l := range lines {
			if ansi.StringWidth(l) > w {
				lines[i] = ansi.Truncate(l, w, "…")
			}
		}
		for len(lines) < h {
			lines = append(lines, "")
		}
		return strings.Join(lines, "\n")
	}
	rng := rand.New(rand.NewPCG(11, 12))
	for range 20000 {
		s, w, h := randomText(rng, rng.IntN(20)), rng.IntN(20), 1+rng.IntN(4)
		if got, want := Fit(s, w, h), slow(s, w, h); got != want {
			t.Fatalf("Fit(%q, %d, %d) = %q, want %q", s, w, h, got, want)
		}
	}
}
