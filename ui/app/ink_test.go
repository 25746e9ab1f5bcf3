package app

import (
	"math/rand/v2"
	"reflect"
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
func plainText(rng *rand.Rand, in *Inks, n int) string {
	pieces := []string{"a", "Z", "7", " ", "   ", "-", "…", "·", "—", "─", "▸", "●", "⠋", "ä", "×", "✓", "→"}
	spans := []Ink{in.Label, in.Value, in.Title, in.Success, in.Danger, in.Faint, in.RowSelected}
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
		if got, want := TextWidth(s), lipgloss.Width(s); got != want {
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
					k := NewInk(s)
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
			in := NewInks(st, p, true)
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
							sc := ScanLine(l)
							all = all && sc.Plain && sc.Width == f.inner
						}
						if all {
							fast++
						}
						got, want := f.Render(lines), box.Width(w).Render(strings.Join(lines, "\n"))
						if got != want {
							t.Fatalf("profile %d width %d lines %q:\n got %q\nwant %q", p, w, lines, got, want)
						}
						other := box.Width(w).Render(strings.Join(lines[:len(lines)/2+1], "\n"))
						for _, gap := range []string{" ", "   ", "\n"} {
							if got, want := JoinBoxes(got, gap, other), lipgloss.JoinHorizontal(lipgloss.Top, want, gap, other); got != want {
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

// cell cuts or pads s to exactly w columns (widgets.Cell, measured by
// lipgloss): how the views fill a box's lines.
func cell(s string, w int) string {
	if sw := lipgloss.Width(s); sw <= w {
		return s + strings.Repeat(" ", w-sw)
	}
	return ansi.Truncate(s, w, "…")
}

// Each session measures its own inks (they change as they are used, and
// sessions run at once on one Deps), keeps them from frame to frame, and
// measures them again when the colour profile or the background changes.
func TestInksPerSessionAndProfile(t *testing.T) {
	d := Deps{Mode: "sandbox"}.Prepared()
	a, b := NewSession(SignIn{Operator: "anna"}), NewSession(SignIn{Operator: "carl"})
	withProfile(t, termenv.TrueColor, true, func() {
		ia, ib := d.Ink(a), d.Ink(b)
		if ia == ib {
			t.Fatal("two sessions share one Inks")
		}
		if d.Ink(a) != ia {
			t.Error("the session's inks were measured again in the same profile")
		}
		if got, want := ia.Title.Render("Register"), d.Styles.Title.Render("Register"); got != want || !strings.Contains(got, "\x1b[") {
			t.Errorf("true colour title %q, lipgloss %q", got, want)
		}
		if p, dark := ia.MeasuredIn(); p != termenv.TrueColor || !dark {
			t.Errorf("measured in %v dark %v", p, dark)
		}
		ia.Box(30)
		if len(ib.boxes) != 0 {
			t.Error("a box one session measured shows in the other's inks")
		}
		withProfile(t, termenv.TrueColor, false, func() {
			if d.Ink(a) == ia {
				t.Error("a light background kept the dark inks")
			}
		})
	})
	withProfile(t, termenv.Ascii, true, func() {
		in := d.Ink(a)
		if p, _ := in.MeasuredIn(); p != termenv.Ascii {
			t.Errorf("after the switch to no colour: measured in %v", p)
		}
		if got := in.Title.Render("Register"); got != "Register" {
			t.Errorf("no colour title %q", got)
		}
	})
}

// LipglossInks render as lipgloss, by lipgloss: every ink and box.
func TestLipglossInks(t *testing.T) {
	st := DefaultStyles(DefaultPalette())
	withProfile(t, termenv.TrueColor, true, func() {
		in := LipglossInks(st)
		v := reflect.ValueOf(in).Elem()
		n := 0
		for i := range v.NumField() {
			if !v.Type().Field(i).IsExported() {
				continue
			}
			if k, ok := v.Field(i).Interface().(Ink); ok {
				n++
				if k.plain {
					t.Errorf("%s is inked", v.Type().Field(i).Name)
				}
			}
		}
		if n < 20 {
			t.Errorf("only %d inks", n)
		}
		if f := in.Box(40); f.ok {
			t.Error("the box was measured")
		}
		s := NewSession(SignIn{})
		s.UseInks(in)
		if d := (Deps{Styles: st}); d.Ink(s) != in {
			t.Error("the session does not render with the inks it was given")
		}
	})
}
