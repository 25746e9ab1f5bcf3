package conformance

import (
	"fmt"
	"strconv"
	"strings"
)

// validateEventObjects finds every event in inst (a single event, a list of
// events, or events nested deeper) and validates its data.object against the
// component schema named by data.object.object. Types without a component
// schema are skipped.
func (v *Validator) validateEventObjects(inst any) error {
	var problems []string
	var walk func(ptr string, n any)
	walk = func(ptr string, n any) {
		switch x := n.(type) {
		case map[string]any:
			if x["object"] == "event" {
				data, _ := x["data"].(map[string]any)
				if obj, ok := data["object"].(map[string]any); ok {
					typ, _ := obj["object"].(string)
					if v.comps[typ] {
						if err := v.validateValue("/components/schemas/"+escapePointer(typ), obj); err != nil {
							problems = append(problems, fmt.Sprintf("event payload at '%s/data/object' (%s):\n%s", ptr, typ, err))
						}
					}
				}
			}
			for k, c := range x {
				walk(ptr+"/"+escapePointer(k), c)
			}
		case []any:
			for i, c := range x {
				walk(ptr+"/"+strconv.Itoa(i), c)
			}
		}
	}
	walk("", inst)
	if len(problems) == 0 {
		return nil
	}
	return fmt.Errorf("%s", strings.Join(problems, "\n"))
}
