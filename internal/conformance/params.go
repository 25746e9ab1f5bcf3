package conformance

import (
	"net/url"
	"sort"
	"strings"
)

// UnknownParams returns the top-level request parameters in params (form or
// query keys, cut at the first '[': "cart[line_items][0][amount]" is "cart")
// that the spec operation for method and path does not declare, sorted.
//
// stripe-mock rejects an unknown top-level parameter with "additional
// properties are not allowed" without naming it; this names it. Nested
// parameters are not judged (stripe-mock does not judge them either). It
// returns nil when the route is unknown.
func (v *Validator) UnknownParams(method, path string, params url.Values) []string {
	m := strings.ToLower(method)
	tmpl, ok := v.Route(m, path)
	if !ok {
		return nil
	}
	known := declaredParams(v.ops[m+" "+tmpl])
	seen := map[string]bool{}
	var unknown []string
	for key := range params {
		top, _, _ := strings.Cut(key, "[")
		if !known[top] && !seen[top] {
			seen[top] = true
			unknown = append(unknown, top)
		}
	}
	sort.Strings(unknown)
	return unknown
}

// declaredParams collects an operation's query parameter names and the
// properties of its form-encoded request body.
func declaredParams(op map[string]any) map[string]bool {
	known := map[string]bool{}
	params, _ := op["parameters"].([]any)
	for _, p := range params {
		pm, _ := p.(map[string]any)
		if pm["in"] == "query" {
			if name, ok := pm["name"].(string); ok {
				known[name] = true
			}
		}
	}
	body, _ := op["requestBody"].(map[string]any)
	content, _ := body["content"].(map[string]any)
	for _, mt := range content {
		mtm, _ := mt.(map[string]any)
		schema, _ := mtm["schema"].(map[string]any)
		props, _ := schema["properties"].(map[string]any)
		for name := range props {
			known[name] = true
		}
	}
	return known
}
