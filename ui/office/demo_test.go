package ui

import (
	"strings"
	"testing"

	"kasse/supervisor"
)

// The sandbox's demo operators and their demo PINs are on the first screen
// (and at the PIN prompt of the areas they open); a demo PIN changed since
// is a real PIN and is not shown.
func TestSandboxFirstScreenNamesTheDemoOperators(t *testing.T) {
	o := officeDeps()
	demo := supervisor.DemoOperators()
	demo[0].PIN = "" // anna changed hers
	o.d.DemoOperators = demo
	o.d.Mode = ModeSandbox
	if err := o.d.Validate(); err != nil && strings.Contains(err.Error(), "demo") {
		t.Fatal(err)
	}
	h := newHarness(t, o.d)
	h.contains("Sandbox demo operators (demo PINs, not secrets; f9 back office):",
		"anna cashier (PIN changed) · bea supervisor PIN 2718 · tom tech PIN 1618")
	h.lacks("3141")
	h.golden("sellers_demo_operators")
	// The list still works below the notice.
	h.keys("down")
	if sel, _ := h.m.sellers.list.selected(); sel.ID != "acct_1Blumen" {
		t.Errorf("selected %s", sel.ID)
	}
	h.keys("f2")
	if _, ok := h.m.current().(*pinScreen); !ok {
		t.Fatalf("f2 did not ask for a PIN:\n%s", h.view())
	}
	h.contains("Sandbox demo: bea (supervisor) PIN 2718")
	h.lacks("tom (tech)")
	h.keys("esc", "f4")
	h.contains("Sandbox demo: bea (supervisor) PIN 2718 or tom (tech) PIN 1618")
}

// With a real key there is no demo operator: Validate refuses them, and
// nothing of them is drawn even when given.
func TestNoDemoOperatorsOutsideTheSandbox(t *testing.T) {
	for _, mode := range []string{ModeTest, ModeLive} {
		o := officeDeps()
		o.d.Mode = mode
		o.d.Presenter = nil
		o.d.DemoOperators = supervisor.DemoOperators()
		err := o.d.Validate()
		if err == nil || !strings.Contains(err.Error(), "demo operators exist in sandbox mode only") {
			t.Errorf("%s: Validate = %v", mode, err)
		}
		h := newHarness(t, o.d)
		h.lacks("demo", "2718", "1618", "3141")
		h.keys("f2")
		h.lacks("demo", "2718")
	}
}
