package sale_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"kasse/ui/app"
	"kasse/ui/internal/uitest"
	"kasse/ui/sale"
)

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

// The register and the live view, whole, render in colour byte for byte
// as lipgloss alone renders them (app.LipglossInks: the views before inks).
func TestFastViewsRenderAsLipgloss(t *testing.T) {
	d, _ := uitest.RegisterDeps()
	d.TaxRate = 8250
	reg := uitest.AtRegister(t, d, "bäck")
	for i := range 30 {
		reg.Keys("text:"+strconv.Itoa(100+i*7), "+")
	}
	reg.Keys("up", "up", "text:2", "*")
	live := uitest.Charging(t, nil)
	live.Term.Reads = []uitest.ReaderAnswer{{R: uitest.Waiting("pi_1")}}
	live.H.Fire(sale.SaleTick{})
	declinedNow := uitest.Charging(t, nil)
	declinedNow.Term.Reads = []uitest.ReaderAnswer{{R: uitest.Declined("pi_1", "card_declined", "insufficient_funds")}}
	declinedNow.H.Fire(sale.SaleTick{})
	for name, h := range map[string]*uitest.Harness{"register": reg, "live": live.H, "declined": declinedNow.H} {
		want := map[string]string{"register": "Register", "live": "Waiting for the customer's card", "declined": "Declined"}[name]
		if !strings.Contains(h.View(), want) {
			t.Fatalf("%s: not on the screen under test:\n%s", name, h.View())
		}
	}
	for _, p := range []termenv.Profile{termenv.TrueColor, termenv.ANSI256, termenv.ANSI} {
		withProfile(t, p, true, func() {
			for name, h := range map[string]*uitest.Harness{"register": reg, "live": live.H, "declined": declinedNow.H} {
				for _, w := range []int{100, 61, 140} {
					h.Resize(w, 30)
					fast := h.M.View()
					sess(h).UseInks(app.LipglossInks(flowOf(h).Deps().Styles))
					slow := h.M.View()
					sess(h).UseInks(nil)
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
