package ui

import (
	"github.com/charmbracelet/bubbles/key"
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
)

// The fast paths of ink.go must render byte for byte what lipgloss
// renders, in every colour profile: the golden files pin the profile to
// no colour, where most of the difference would not show.

// withProfile runs fn with lipgloss's default renderer in profile p and
// the given background, then restores them.
func withProfile(t *testing.T, p termenv.Profile, dark bool, fn func()) {
	t.Helper()
	oldP, oldDark := lipgloss.ColorProfile(), lipgloss.HasDarkBackground()
	lipgloss.SetColorProfile(p)
	lipgloss.SetHasDarkBackground(dark)
	defer func() {
		lipgloss.SetColorProfile(oldP)
		lipgloss.SetHasDarkBackground(oldDark)
	}()
	fn()
}

var profiles = []termenv.Profile{termenv.Ascii, termenv.ANSI, termenv.ANSI256, termenv.TrueColor}

// allStyles are every style of st, by field name.
func allStyles(st Styles) map[string]lipgloss.Style {
	out := map[string]lipgloss.Style{}
	v := reflect.ValueOf(st)
	for i := range v.NumField() {
		if s, ok := v.Field(i).Interface().(lipgloss.Style); ok {
			out[v.Type().Field(i).Name] = s
		}
	}
	for mode, s := range st.Mode {
		out["Mode "+mode] = s
	}
	return out
}

// randomText is a line or two of ASCII, escape sequences, narrow and wide
// runes, combining marks, tabs.
func randomText(rng *rand.Rand, n int) string {
	pieces := []string{"a", "Z", "7", " ", "  ", "-", "…", "·", "—", "─", "│", "╭", "▸", "●", "⠋", "ä", "ß", "×", "é",
		"e\u0301", "中", "😀", "\u00ad", "\u2011", "\x1b[1m", "\x1b[38;2;1;2;3m", "\x1b[0m", "\x1b[", "\x1b]8;;x\x07", "\t",
		"\x7f", "→", "✓", "⌫", "\u0600"}
	var b strings.Builder
	for range n {
		b.WriteString(pieces[rng.IntN(len(pieces))])
	}
	return b.String()
}

// plainText is n pieces of what views draw: ASCII, narrow symbols, spans
// in a style of st's (as inks render them).
func plainText(rng *rand.Rand, in *inks, n int) string {
	pieces := []string{"a", "Z", "7", " ", "   ", "-", "…", "·", "—", "─", "▸", "●", "⠋", "ä", "×", "✓", "→"}
	spans := []ink{in.Label, in.Value, in.Title, in.Success, in.Danger, in.Faint, in.RowSelected}
	var b strings.Builder
	for range n {
		p := pieces[rng.IntN(len(pieces))]
		if rng.IntN(3) == 0 {
			p = spans[rng.IntN(len(spans))].Render(p + pieces[rng.IntN(len(pieces))])
		}
		b.WriteString(p)
	}
	return b.String()
}

func TestTextWidthIsLipglossWidth(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 20000 {
		s := randomText(rng, rng.IntN(12))
		if i%7 == 0 {
			s = strings.Map(func(r rune) rune { // mostly ASCII and escapes, as views are
				if r >= 0x80 && r != '…' && r != '─' {
					return 'x'
				}
				return r
			}, s)
		}
		if got, want := textWidth(s), lipgloss.Width(s); got != want {
			t.Fatalf("textWidth(%q) = %d, lipgloss.Width = %d", s, got, want)
		}
	}
}

// Every rune narrowRune lets through is one column and its own grapheme,
// next to ASCII and next to any other of them.
func TestNarrowRunes(t *testing.T) {
	var rs []rune
	for r := rune(0x80); r < 0x3000; r++ {
		if narrowRune(r) {
			rs = append(rs, r)
		}
	}
	for _, r := range []rune{'▸', '●', '✓', '✗', '⌫', '…', '·', '—', '─', '╭', '⠋', 'ä', '←'} {
		if !narrowRune(r) {
			t.Errorf("%q is not narrow", r)
		}
	}
	for _, r := range rs {
		if w := ansi.StringWidth("a" + string(r) + "b"); w != 3 {
			t.Errorf("a%cb is %d columns", r, w)
		}
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 200000 {
		a, b := rs[rng.IntN(len(rs))], rs[rng.IntN(len(rs))]
		if w := ansi.StringWidth(string(a) + string(b)); w != 2 {
			t.Fatalf("%c%c is %d columns", a, b, w)
		}
	}
}

func TestInkRendersAsLipgloss(t *testing.T) {
	st := DefaultStyles(DefaultPalette())
	rng := rand.New(rand.NewPCG(5, 6))
	texts := []string{"", "x", "Register", " · Lumen Coffee · USD", "12.50", "a\tb", "two\nlines", "\r\n", "ünï ✓"}
	for range 50 {
		texts = append(texts, randomText(rng, rng.IntN(8)))
	}
	for _, p := range profiles {
		for _, dark := range []bool{true, false} {
			withProfile(t, p, dark, func() {
				for name, s := range allStyles(st) {
					k := newInk(s)
					for _, text := range texts {
						if got, want := k.Render(text), s.Render(text); got != want {
							t.Errorf("profile %d dark %v %s.Render(%q) = %q, lipgloss %q", p, dark, name, text, got, want)
						}
					}
				}
			})
		}
	}
}

// A box measured once renders its lines as lipgloss does, and two boxes
// side by side join as lipgloss joins them.
func TestFrameRendersAsLipgloss(t *testing.T) {
	st := DefaultStyles(DefaultPalette())
	rng := rand.New(rand.NewPCG(7, 8))
	fast := 0 // cases the measured frame renders itself
	for _, p := range profiles {
		withProfile(t, p, true, func() {
			in := newInks(st, p, true)
			for _, box := range []lipgloss.Style{st.Box, st.Dialog} {
				for w := 3; w < 60; w += 7 {
					f := newFrame(box.Width(w))
					if w > 2 && !f.ok {
						t.Errorf("width %d: the frame was not measured", w)
					}
					for range 20 {
						lines := make([]string, 1+rng.IntN(6))
						plain := rng.IntN(2) == 0 // as the views draw, or anything
						for i := range lines {
							text := randomText(rng, rng.IntN(2*w))
							if plain {
								text = plainText(rng, in, rng.IntN(w))
							}
							if plain || rng.IntN(4) > 0 {
								text = cell(in.Label.Render(cell(plainText(rng, in, 3), 5))+text, f.inner)
							}
							lines[i] = text
						}
						all := true
						for _, l := range lines {
							sc := scanLine(l)
							all = all && sc.plain && sc.width == f.inner
						}
						if all {
							fast++
						}
						got, want := f.render(lines), box.Width(w).Render(strings.Join(lines, "\n"))
						if got != want {
							t.Fatalf("profile %d width %d lines %q:\n got %q\nwant %q", p, w, lines, got, want)
						}
						other := box.Width(w).Render(strings.Join(lines[:len(lines)/2+1], "\n"))
						for _, gap := range []string{" ", "   ", "\n"} {
							if got, want := joinBoxes(got, gap, other), lipgloss.JoinHorizontal(lipgloss.Top, want, gap, other); got != want {
								t.Fatalf("joined with %q:\n got %q\nwant %q", gap, got, want)
							}
						}
					}
				}
			}
		})
	}
	if fast < 100 {
		t.Errorf("only %d cases of lines the frame renders itself", fast)
	}
}

// wrapText's shortcut for a line that fits changes nothing.
func TestWrapTextShortcut(t *testing.T) {
	slow := func(s string, w int) string {
		const nb = "\u2011"
		return strings.ReplaceAll(ansi.Wrap(strings.ReplaceAll(s, "-", nb), max(1, w), ""), nb, "-")
	}
	rng := rand.New(rand.NewPCG(9, 10))
	for range 20000 {
		s, w := randomText(rng, rng.IntN(14)), rng.IntN(20)
		if got, want := wrapText(s, w), slow(s, w); got != want {
			t.Fatalf("wrapText(%q, %d) = %q, want %q", s, w, got, want)
		}
	}
}

// The key help line kept from the last frame is the one bubbles renders
// for the keys, width and colours of this frame.
func TestHelpLineFollowsKeysWidthAndColours(t *testing.T) {
	d, _ := registerDeps()
	h := atRegister(t, d, "bäck")
	check := func(when string) {
		t.Helper()
		cur := h.m.current()
		want := h.m.helpModel(h.m.width).ShortHelpView(cur.shortHelp())
		if h.m.showHelp {
			want = h.m.helpModel(h.m.width).ShortHelpView([]key.Binding{h.m.sh.keys.Back, h.m.sh.keys.Quit})
		}
		if got := h.m.helpLine(cur, h.m.width); got != want {
			t.Errorf("%s: help line %q, want %q", when, got, want)
		}
	}
	check("register")
	h.m.width = 44
	check("narrow")
	h.keys("text:12", "+")
	check("a line in the cart")
	h.keys("?")
	check("help open")
	h.keys("esc")
	withProfile(t, termenv.TrueColor, true, func() { check("true colour") })
	check("no colour again")
}

// lipglossOnly makes sh render every ink and box through lipgloss, as the
// views did before inks: the reference of TestFastViewsRenderAsLipgloss.
func lipglossOnly(sh *shared) {
	in := newInks(sh.st, lipgloss.ColorProfile(), lipgloss.HasDarkBackground())
	v := reflect.ValueOf(in).Elem()
	for i := range v.NumField() {
		if !v.Type().Field(i).IsExported() {
			continue
		}
		if k, ok := v.Field(i).Interface().(ink); ok {
			k.plain = false
			v.Field(i).Set(reflect.ValueOf(k))
		}
	}
	for w := range 500 {
		in.boxes[w] = &frame{style: in.boxStyle.Width(w)} // not measured: lipgloss renders
	}
	sh.inkCache = in
}

// The register and the live view, whole, render in colour byte for byte
// as lipgloss alone renders them.
func TestFastViewsRenderAsLipgloss(t *testing.T) {
	d, _ := registerDeps()
	d.TaxRate = 8250
	reg := atRegister(t, d, "bäck")
	for i := range 30 {
		reg.keys("text:"+strconv.Itoa(100+i*7), "+")
	}
	reg.keys("up", "up", "text:2", "*")
	live := charging(t, nil)
	live.term.getReader = []readerAnswer{{r: waiting("pi_1")}}
	live.h.fire(saleTickMsg{})
	declinedNow := charging(t, nil)
	declinedNow.term.getReader = []readerAnswer{{r: declined("pi_1", "card_declined", "insufficient_funds")}}
	declinedNow.h.fire(saleTickMsg{})
	for _, p := range []termenv.Profile{termenv.TrueColor, termenv.ANSI256, termenv.ANSI} {
		withProfile(t, p, true, func() {
			for name, h := range map[string]*harness{"register": reg, "live": live.h, "declined": declinedNow.h} {
				for _, w := range []int{100, 61, 140} {
					h.m.width = w
					fast := h.m.View()
					lipglossOnly(h.m.sh)
					slow := h.m.View()
					h.m.sh.inkCache = nil
					if fast != slow {
						t.Errorf("%s at width %d, profile %d:\nfast %q\nslow %q", name, w, p, fast, slow)
					}
					if !strings.Contains(fast, "\x1b[") {
						t.Errorf("%s: no colour in profile %d", name, p)
					}
				}
			}
		})
	}
}
