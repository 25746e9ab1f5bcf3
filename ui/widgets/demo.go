package ui

import (
	"strings"

	"kasse/supervisor"
)

// The sandbox demo's operators on screen. Their PINs are
// supervisor.DemoPIN values: published demo data, not secrets, which the
// composition root passes in sandbox mode only (Deps.Validate refuses them
// in any other mode, and they are never drawn outside it). A real PIN is a
// supervisor.PIN: typed masked, cleared at once, never shown.

// demoOperators returns the demo operators to show: none outside sandbox
// mode.
func (sh *shared) demoOperators() []supervisor.DemoOperator {
	if sh.deps.Mode != ModeSandbox {
		return nil
	}
	return sh.deps.DemoOperators
}

// demoOperatorsView is the first screen's two lines naming the demo
// operators with their roles and demo PINs ("" when there are none).
func (sh *shared) demoOperatorsView(w int) string {
	ops := sh.demoOperators()
	if len(ops) == 0 {
		return ""
	}
	st := sh.st
	parts := make([]string, len(ops))
	for i, o := range ops {
		parts[i] = o.Name + " " + string(o.Role) + " " + demoPIN(o)
	}
	return st.Muted.Render(cell("Sandbox demo operators (demo PINs, not secrets; f9 back office):", w)) + "\n" +
		cell("  "+strings.Join(parts, " · "), w)
}

// demoHint names the demo operators who may open area, for its PIN
// prompt ("" when none).
func (sh *shared) demoHint(area supervisor.Action) string {
	var parts []string
	for _, o := range sh.demoOperators() {
		if supervisor.Permitted(o.Role, area) {
			parts = append(parts, o.Name+" ("+string(o.Role)+") "+demoPIN(o))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "Sandbox demo: " + strings.Join(parts, " or ")
}

// demoPIN renders a demo operator's PIN; one changed since is a real PIN
// and only said to be changed.
func demoPIN(o supervisor.DemoOperator) string {
	if o.PIN == "" {
		return "(PIN changed)"
	}
	return "PIN " + o.PIN.String()
}
