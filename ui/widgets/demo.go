package widgets

import (
	"strings"

	"kasse/supervisor"
	"kasse/ui/app"
)

// The sandbox demo's operators on screen (Deps.DemoOperatorsShown: sandbox
// mode only). Their PINs are published demo data, not secrets.

// DemoOperatorsView is the first screen's two lines naming the demo
// operators with their roles and demo PINs ("" when there are none).
func DemoOperatorsView(deps *app.Deps, w int) string {
	ops := deps.DemoOperatorsShown()
	if len(ops) == 0 {
		return ""
	}
	st := deps.Styles
	parts := make([]string, len(ops))
	for i, o := range ops {
		parts[i] = o.Name + " " + string(o.Role) + " " + demoPIN(o)
	}
	return st.Muted.Render(Cell("Sandbox demo operators (demo PINs, not secrets; f9 back office):", w)) + "\n" +
		Cell("  "+strings.Join(parts, " · "), w)
}

// DemoHint names the demo operators who may open area, for its PIN
// prompt ("" when none).
func DemoHint(deps *app.Deps, area supervisor.Action) string {
	var parts []string
	for _, o := range deps.DemoOperatorsShown() {
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
