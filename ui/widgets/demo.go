package widgets

import (
	"strings"

	"kasse/i18n"
	"kasse/supervisor"
	"kasse/ui/app"
)

// The sandbox demo's operators on screen (Deps.DemoOperatorsShown: sandbox
// mode only). Their PINs are published demo data, not secrets.

// DemoOperatorsView is the first screen's two lines naming the demo
// operators with their roles and demo PINs ("" when there are none).
func DemoOperatorsView(deps *app.Deps, loc *i18n.Locale, w int) string {
	ops := deps.DemoOperatorsShown()
	if len(ops) == 0 {
		return ""
	}
	st := deps.Styles
	parts := make([]string, len(ops))
	for i, o := range ops {
		parts[i] = strings.Join([]string{o.Name, app.RoleName(loc, o.Role), demoPIN(loc, o)}, " ")
	}
	return st.Muted.Render(Cell(loc.T("widgets.demo.heading"), w)) + "\n" +
		Cell("  "+strings.Join(parts, " · "), w)
}

// DemoHint names the demo operators who may open area, for its PIN
// prompt ("" when none).
func DemoHint(deps *app.Deps, loc *i18n.Locale, area supervisor.Action) string {
	var parts []string
	for _, o := range deps.DemoOperatorsShown() {
		if supervisor.Permitted(o.Role, area) {
			parts = append(parts, strings.Join([]string{o.Name, "(" + app.RoleName(loc, o.Role) + ")", demoPIN(loc, o)}, " "))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return loc.T("widgets.demo.hint", i18n.Args{"Operators": OrList(loc, parts)})
}

// demoPIN renders a demo operator's PIN; one changed since is a real PIN
// and only said to be changed.
func demoPIN(loc *i18n.Locale, o supervisor.DemoOperator) string {
	if o.PIN == "" {
		return loc.T("widgets.demo.pin_changed")
	}
	return loc.T("widgets.demo.pin", i18n.Args{"PIN": o.PIN.String()})
}

// OrList joins items as alternatives in loc: "a", "a or b", "a, b or c".
func OrList(loc *i18n.Locale, items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	n := len(items) - 1
	return loc.T("widgets.or", i18n.Args{"Items": strings.Join(items[:n], ", "), "Last": items[n]})
}
