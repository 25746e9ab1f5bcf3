package sale_test

import (
	"strconv"
	"testing"

	"kasse/ui/internal/uitest"
	"kasse/ui/sale"
)

// BenchmarkRegisterView50Lines renders the register with 50 cart lines,
// tax on and quick keys, at 100×30.
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
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		_ = h.M.View()
	}
}

// BenchmarkLiveView renders the live payment view while the reader waits
// for a card, at 100×30.
func BenchmarkLiveView(b *testing.B) {
	f := uitest.Charging(b, nil)
	f.Term.Reads = []uitest.ReaderAnswer{{R: uitest.Waiting("pi_1")}}
	f.H.Fire(sale.SaleTick{})
	if !f.H.On("Payment") {
		b.Fatal("not on the live view")
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		_ = f.H.M.View()
	}
}
