package sandbox

import (
	"net/http"
	"sort"
	"strconv"
	"strings"

	"kasse/sandbox/internal/apierr"
	"kasse/sandbox/internal/form"
)

// Parameter helpers of the terminal part (locations, readers, reader
// actions, SetupIntents). Named term* so they cannot clash with the other
// parts' helpers.

// termRequired returns the value of a required string parameter under
// parent (param is its full name for errors, e.g. "cart[currency]").
// Absent → parameter_missing; "" → parameter_invalid_empty, as Stripe
// answers for required strings it cannot unset.
func termRequired(parent *form.Params, name, param string) (string, *apierr.Error) {
	c := parent.Child(name)
	if c == nil {
		return "", apierr.MissingParam(param)
	}
	if !c.IsLeaf() {
		return "", apierr.InvalidParam(param, "Invalid string: {...}")
	}
	if c.Value() == "" {
		return "", termEmpty(param)
	}
	return c.Value(), nil
}

// termEmpty is Stripe's answer to "" for a parameter that cannot be unset.
func termEmpty(param string) *apierr.Error {
	e := apierr.Invalid(http.StatusBadRequest, "parameter_invalid_empty", param,
		"You passed an empty string for '%s'. We assume empty values are an attempt to unset a parameter; however '%s' cannot be unset. You should remove '%s' from your request or supply a non-empty value.",
		param, param, param)
	e.Validation = true
	return e
}

// termString returns an optional string parameter ("" when absent) and
// checks its length.
func termString(parent *form.Params, name, param string, max int) (string, *apierr.Error) {
	c := parent.Child(name)
	if c == nil {
		return "", nil
	}
	if !c.IsLeaf() {
		return "", apierr.InvalidParam(param, "Invalid string: {...}")
	}
	if max > 0 && len(c.Value()) > max {
		return "", apierr.InvalidParam(param, "Invalid string: %s...; must be at most %d characters", c.Value()[:20], max)
	}
	return c.Value(), nil
}

// termObject checks that a parameter, when present, is an object (a hash),
// not a plain value.
func termObject(c *form.Params, param string) *apierr.Error {
	if c != nil && c.IsLeaf() {
		return apierr.InvalidParam(param, "Invalid object")
	}
	return nil
}

// termOnly rejects children of an object parameter other than known ones,
// naming them in Stripe's bracket form ("address[foo]").
func termOnly(c *form.Params, param string, known ...string) *apierr.Error {
	for _, k := range c.Keys() {
		ok := false
		for _, n := range known {
			if k == n {
				ok = true
				break
			}
		}
		if !ok {
			return apierr.UnknownParam(param + "[" + k + "]")
		}
	}
	return nil
}

// termBool parses an optional boolean; set reports presence.
func termBool(parent *form.Params, name, param string) (v, set bool, e *apierr.Error) {
	c := parent.Child(name)
	if c == nil {
		return false, false, nil
	}
	switch c.Value() {
	case "true":
		return true, true, nil
	case "false":
		return false, true, nil
	}
	e = apierr.Invalid(http.StatusBadRequest, "parameter_invalid_boolean", param, "Invalid boolean: %s", c.Value())
	e.Validation = true
	return false, false, e
}

// termBoolPtr parses an optional boolean: nil when absent.
func termBoolPtr(parent *form.Params, name, param string) (*bool, *apierr.Error) {
	v, set, err := termBool(parent, name, param)
	if err != nil || !set {
		return nil, err
	}
	return &v, nil
}

// termInt parses an optional integer; set reports presence.
func termInt(parent *form.Params, name, param string) (v int64, set bool, e *apierr.Error) {
	c := parent.Child(name)
	if c == nil {
		return 0, false, nil
	}
	n, err := strconv.ParseInt(c.Value(), 10, 64)
	if err != nil || !c.IsLeaf() {
		return 0, false, apierr.InvalidInteger(param, c.Value())
	}
	return n, true, nil
}

// termMetadata applies the metadata parameter to cur (nil: a new object):
// `metadata=""` clears everything, `metadata[k]=""` unsets k, other values
// set k. Stripe's limits: 50 keys, keys ≤ 40 and values ≤ 500 characters.
func termMetadata(p *form.Params, cur map[string]string) (map[string]string, *apierr.Error) {
	out := map[string]string{}
	for k, v := range cur {
		out[k] = v
	}
	c := p.Child("metadata")
	if c == nil {
		return out, nil
	}
	if c.IsLeaf() {
		if c.Value() != "" {
			return nil, apierr.InvalidParam("metadata", "Invalid object")
		}
		return map[string]string{}, nil
	}
	keys := c.Keys()
	sort.Strings(keys)
	for _, k := range keys {
		v := c.Child(k)
		if !v.IsLeaf() {
			return nil, apierr.InvalidParam("metadata["+k+"]", "Invalid string: {...}")
		}
		if len(k) > 40 {
			return nil, apierr.InvalidParam("metadata["+k+"]", "Metadata keys can have up to 40 characters; %q has %d.", k, len(k))
		}
		if len(v.Value()) > 500 {
			return nil, apierr.InvalidParam("metadata["+k+"]", "Metadata values can have up to 500 characters; the value of %q has %d.", k, len(v.Value()))
		}
		if v.Value() == "" {
			delete(out, k)
		} else {
			out[k] = v.Value()
		}
	}
	if len(out) > 50 {
		return nil, apierr.InvalidParam("metadata", "Invalid metadata: metadata can have up to 50 keys, but you passed in %d keys.", len(out))
	}
	return out, nil
}

// termUpper normalizes a country code.
func termUpper(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }
