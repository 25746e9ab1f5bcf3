package ui_test

import (
	"testing"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"kasse/ui/app"
	"kasse/ui/internal/uitest"
)

// The key help line kept from the last frame is the one bubbles renders
// for the keys, width and colours of this frame.
func TestHelpLineFollowsKeysWidthAndColours(t *testing.T) {
	d, _ := uitest.RegisterDeps()
	h := uitest.AtRegister(t, d, "bäck")
	keys := app.DefaultKeyMap()
	check := func(when string) {
		t.Helper()
		want := h.M.RenderHelp(h.Top().ShortHelp(), h.Width)
		if h.M.HelpOpen() {
			want = h.M.RenderHelp([]key.Binding{keys.Back, keys.Quit}, h.Width)
		}
		if got := h.M.HelpLine(h.Width); got != want {
			t.Errorf("%s: help line %q, want %q", when, got, want)
		}
	}
	check("register")
	wide := h.M.HelpLine(h.Width)
	h.Resize(80, h.Height)
	check("narrow")
	if h.M.HelpLine(h.Width) == wide {
		t.Fatal("the help line is the same at 80 columns as at 100: the width goes unchecked")
	}
	h.Resize(100, h.Height)
	h.Keys("text:12", "+")
	check("a line in the cart")
	h.Keys("?")
	if !h.M.HelpOpen() {
		t.Fatal("? did not open the help screen")
	}
	check("help open")
	h.Keys("esc")
	check("help closed")
	oldP, oldDark := lipgloss.ColorProfile(), lipgloss.HasDarkBackground()
	lipgloss.SetColorProfile(termenv.TrueColor)
	check("true colour")
	lipgloss.SetHasDarkBackground(false)
	check("true colour, light background")
	lipgloss.SetColorProfile(oldP)
	lipgloss.SetHasDarkBackground(oldDark)
	check("no colour again")
}
