package office_test

import (
	"strings"
	"testing"

	"kasse/config"
	"kasse/supervisor"
	"kasse/ui/internal/uitest"
	"kasse/ui/office"
)

// The sandbox's demo operators and their demo PINs are on the first screen
// (and at the PIN prompt of the areas they open); a demo PIN changed since
// is a real PIN and is not shown.
func TestSandboxFirstScreenNamesTheDemoOperators(t *testing.T) {
	o := uitest.OfficeDeps()
	demo := supervisor.DemoOperators()
	demo[0].PIN = "" // anna changed hers
	o.D.DemoOperators = demo
	o.D.Mode = config.ModeSandbox
	if err := o.D.Validate(); err != nil && strings.Contains(err.Error(), "demo") {
		t.Fatal(err)
	}
	h := uitest.New(t, o.D)
	h.Contains("Sandbox demo operators (demo PINs, not secrets; f9 back office):",
		"anna cashier (PIN changed) · bea supervisor PIN 2718 · tom tech PIN 1618")
	h.Lacks("3141")
	h.Golden("sellers_demo_operators")
	// The list still works below the notice.
	h.Keys("down")
	h.Contains("▸ Blumen Schmidt")
	h.Keys("f2")
	if _, ok := h.Top().(*office.PINScreen); !ok {
		t.Fatalf("f2 did not ask for a PIN:\n%s", h.View())
	}
	h.Contains("Sandbox demo: bea (supervisor) PIN 2718")
	h.Lacks("tom (tech)")
	h.Keys("esc", "f4")
	h.Contains("Sandbox demo: bea (supervisor) PIN 2718 or tom (tech) PIN 1618")
}

// With a real key there is no demo operator: Validate refuses them, and
// nothing of them is drawn even when given.
func TestNoDemoOperatorsOutsideTheSandbox(t *testing.T) {
	for _, mode := range []string{config.ModeTest, config.ModeLive} {
		o := uitest.OfficeDeps()
		o.D.Mode = mode
		o.D.Presenter = nil
		o.D.DemoOperators = supervisor.DemoOperators()
		err := o.D.Validate()
		if err == nil || !strings.Contains(err.Error(), "demo operators exist in sandbox mode only") {
			t.Errorf("%s: Validate = %v", mode, err)
		}
		h := uitest.New(t, o.D)
		h.Lacks("demo", "2718", "1618", "3141")
		h.Keys("f2")
		h.Lacks("demo", "2718")
	}
}
