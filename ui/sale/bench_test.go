package ui

import (
	"strconv"
	"testing"
)

// BenchmarkRegisterView50Lines renders the register with 50 cart lines,
// tax on and quick keys, at 100×30.
func BenchmarkRegisterView50Lines(b *testing.B) {
	d, _ := registerDeps()
	d.TaxRate = 8250
	h := atRegister(b, d, "bäck")
	for i := range 50 {
		h.keys("text:"+strconv.Itoa(100+i), "+")
	}
	h.keys("up", "up")
	if len(h.m.register.cart.Lines) != 50 {
		b.Fatalf("%d lines", len(h.m.register.cart.Lines))
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		_ = h.m.View()
	}
}

// BenchmarkLiveView renders the live payment view while the reader waits
// for a card, at 100×30.
func BenchmarkLiveView(b *testing.B) {
	f := charging(b, nil)
	f.term.getReader = []readerAnswer{{r: waiting("pi_1")}}
	f.h.fire(saleTickMsg{})
	if f.h.m.active != scrPayment {
		b.Fatal("not on the live view")
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		_ = f.h.m.View()
	}
}
