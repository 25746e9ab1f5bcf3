package conformance

// rewriteResponses applies rewriteSchema to every response schema of an
// operation. Request schemas are left alone: requests are judged by
// stripe-mock, not by this validator.
func rewriteResponses(op map[string]any, strict bool) {
	responses, _ := op["responses"].(map[string]any)
	for _, r := range responses {
		resp, _ := r.(map[string]any)
		content, _ := resp["content"].(map[string]any)
		for _, mt := range content {
			if m, ok := mt.(map[string]any); ok {
				rewriteSchema(m["schema"], strict)
			}
		}
	}
}

// rewriteSchema turns an OpenAPI 3.0 schema into a JSON Schema (draft 7) in
// place. `nullable: true` becomes a "null" type, a null enum member or a null
// anyOf branch. With strict, object schemas listing properties are closed.
// Only schema-valued keywords are descended, so properties that happen to be
// named "type" or "nullable" are never mistaken for keywords.
func rewriteSchema(n any, strict bool) {
	s, ok := n.(map[string]any)
	if !ok {
		return
	}
	if s["nullable"] == true {
		delete(s, "nullable")
		makeNullable(s)
	}
	if _, ok := s["properties"]; ok && strict {
		if _, has := s["additionalProperties"]; !has {
			s["additionalProperties"] = false
		}
	}
	if props, ok := s["properties"].(map[string]any); ok {
		for _, p := range props {
			rewriteSchema(p, strict)
		}
	}
	for _, kw := range []string{"items", "additionalProperties", "not"} {
		rewriteSchema(s[kw], strict)
	}
	for _, kw := range []string{"anyOf", "oneOf", "allOf"} {
		if list, ok := s[kw].([]any); ok {
			for _, sub := range list {
				rewriteSchema(sub, strict)
			}
		}
	}
}

var nullSchema = func() map[string]any { return map[string]any{"type": "null"} }

func makeNullable(s map[string]any) {
	switch {
	case s["$ref"] != nil || s["allOf"] != nil || s["oneOf"] != nil:
		// $ref siblings are ignored in draft 7, and allOf/oneOf cannot
		// simply gain a null branch: wrap the schema instead.
		inner := map[string]any{}
		for _, kw := range []string{"$ref", "allOf", "oneOf"} {
			if x, ok := s[kw]; ok {
				inner[kw] = x
				delete(s, kw)
			}
		}
		s["anyOf"] = []any{inner, nullSchema()}
		return
	case s["anyOf"] != nil:
		if list, ok := s["anyOf"].([]any); ok {
			s["anyOf"] = append(list, nullSchema())
		}
	}
	switch t := s["type"].(type) {
	case string:
		s["type"] = []any{t, "null"}
	case []any:
		s["type"] = append(t, "null")
	}
	if e, ok := s["enum"].([]any); ok {
		s["enum"] = append(e, nil)
	}
}
