package serve

import (
	"strings"
	"testing"
	"time"

	"kasse/internal/sshterm"
)

// Two counters, two operators: each gets its own console; a reader one
// counter holds is in use at the other, and refused there.
func TestTwoCountersShareTheReaders(t *testing.T) {
	h := newHost(t, Options{})
	a := h.dial("alice", "counter-1", sshterm.Options{})
	b := h.dial("bob", "counter-2", sshterm.Options{})
	toRegister(t, a, "lumen", "Register · Lumen Coffee")
	must(t, a.WaitFor(5*time.Second, "alice (cashier) @ counter-1.shop"))

	must(t, b.WaitFor(10*time.Second, "Choose a seller", "bob (cashier) @ counter-2.shop"))
	must(t, b.Press("lumen"))
	must(t, b.WaitFor(5*time.Second, "1 of "))
	must(t, b.Press("enter"))
	must(t, b.WaitFor(10*time.Second, "Choose a location", "▸ "))
	must(t, b.Press("enter"))
	must(t, b.WaitFor(10*time.Second, "Counter 1", "in use at counter-1 (alice)"))
	must(t, b.Press("enter"))
	must(t, b.WaitFor(5*time.Second, "Counter 1 is in use at counter-1 (alice)"))
	if strings.Contains(b.Screen(), "Register ·") {
		t.Fatalf("bob reached the register of alice's reader:\n%s", b.Screen())
	}
}
