package sale_test

import (
	"strconv"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"kasse/ui/internal/uitest"
	"kasse/ui/sale"
)

// benchProfiles runs view under the tests' pinned profile (no colour, as
// the golden files) and under true colour, what a modern terminal gets:
// every styled span then carries escape sequences that widths must skip.
func benchProfiles(b *testing.B, view func() string) {
	for _, p := range []struct {
		name    string
		profile termenv.Profile
	}{{"ascii", termenv.Ascii}, {"truecolor", termenv.TrueColor}} {
		b.Run(p.name, func(b *testing.B) {
			old := lipgloss.ColorProfile()
			lipgloss.SetColorProfile(p.profile)
			defer lipgloss.SetColorProfile(old)
			b.ReportAllocs()
			for b.Loop() {
				_ = view()
			}
		})
	}
}

// BenchmarkRegisterView50Lines renders the register with 50 cart lines,
// tax on and quick keys, at 100×30. Target (issue 12): under 100 µs.
func BenchmarkRegisterView50Lines(b *testing.B) {
	d, _ := uitest.RegisterDeps()
	d.TaxRate = 8250
	h := uitest.AtRegister(b, d, "bäck")
	for i := range 50 {
		h.Keys("text:"+strconv.Itoa(100+i), "+")
	}
	h.Keys("up", "up")
	if len(reg(h).Cart().Lines) != 50 {
		b.Fatalf("%d lines", len(reg(h).Cart().Lines))
	}
	benchProfiles(b, h.M.View)
}

// BenchmarkLiveView renders the live payment view while the reader waits
// for a card, at 100×30. Target (issue 12): under 100 µs.
func BenchmarkLiveView(b *testing.B) {
	f := uitest.Charging(b, nil)
	f.Term.Reads = []uitest.ReaderAnswer{{R: uitest.Waiting("pi_1")}}
	f.H.Fire(sale.SaleTick{})
	if !f.H.On("Payment") {
		b.Fatal("not on the live view")
	}
	benchProfiles(b, f.H.M.View)
}
