package form

import (
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"kasse/sandbox/internal/apierr"
)

// Typed readers of parameter values, with Stripe's errors. name is the
// child's name under parent; param is its full name as errors show it
// ("cart[currency]").

// Required reads a required string: absent is parameter_missing, "" is
// parameter_invalid_empty (Stripe's answer for a required string it cannot
// unset).
func Required(parent *Params, name, param string) (string, *apierr.Error) {
	c := parent.Child(name)
	if c == nil {
		return "", apierr.MissingParam(param)
	}
	if !c.IsLeaf() {
		return "", apierr.InvalidParam(param, "Invalid string: {...}")
	}
	if c.Value() == "" {
		return "", Empty(param)
	}
	return c.Value(), nil
}

// Empty is Stripe's answer to "" for a parameter that cannot be unset.
func Empty(param string) *apierr.Error {
	return apierr.Validation(http.StatusBadRequest, "parameter_invalid_empty", param,
		"You passed an empty string for '%s'. We assume empty values are an attempt to unset a parameter; however '%s' cannot be unset. You should remove '%s' from your request or supply a non-empty value.",
		param, param, param)
}

// String reads an optional string of at most max characters (0: any).
func String(parent *Params, name, param string, max int) (v string, present bool, e *apierr.Error) {
	c := parent.Child(name)
	if c == nil {
		return "", false, nil
	}
	if !c.IsLeaf() {
		return "", true, apierr.InvalidParam(param, "Invalid string: {...}")
	}
	v = c.Value()
	if max > 0 && utf8.RuneCountInString(v) > max {
		return "", true, apierr.InvalidParam(param, "Invalid string: %s...; must be at most %d characters", truncRunes(v, 10), max)
	}
	return v, true, nil
}

func truncRunes(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

// Object checks that a parameter, when present, is an object (a hash),
// not a plain value.
func Object(c *Params, param string) *apierr.Error {
	if c != nil && c.IsLeaf() {
		return apierr.InvalidParam(param, "Invalid object")
	}
	return nil
}

// Only rejects children of an object parameter other than known ones,
// naming them in Stripe's bracket form ("address[foo]").
func Only(c *Params, param string, known ...string) *apierr.Error {
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

// Bool reads an optional boolean (nil when absent). Decision
// (UNVERIFIED): a value other than true or false is
// parameter_invalid_boolean, named like parameter_invalid_integer.
func Bool(parent *Params, name, param string) (*bool, *apierr.Error) {
	c := parent.Child(name)
	if c == nil {
		return nil, nil
	}
	var b bool
	switch c.Value() {
	case "true":
		b = true
	case "false":
	default:
		return nil, apierr.Validation(http.StatusBadRequest, "parameter_invalid_boolean", param, "Invalid boolean: %s", c.Value())
	}
	return &b, nil
}

// Int reads an optional integer.
func Int(parent *Params, name, param string) (n int64, present bool, e *apierr.Error) {
	c := parent.Child(name)
	if c == nil {
		return 0, false, nil
	}
	n, err := strconv.ParseInt(c.Value(), 10, 64)
	if err != nil || !c.IsLeaf() {
		return 0, true, apierr.InvalidInteger(param, c.Value())
	}
	return n, true, nil
}

// Enum reads an optional value that must be one of allowed ("" when
// absent).
func Enum(parent *Params, name, param string, allowed ...string) (string, *apierr.Error) {
	c := parent.Child(name)
	if c == nil {
		return "", nil
	}
	v := c.Value()
	for _, a := range allowed {
		if v == a {
			return v, nil
		}
	}
	return "", apierr.InvalidParam(param, "Invalid %s: must be one of %s", param, OneOf(allowed))
}

// OneOf renders "a, b, or c" as Stripe's enum errors do.
func OneOf(vals []string) string {
	switch len(vals) {
	case 0:
		return ""
	case 1:
		return vals[0]
	case 2:
		return vals[0] + " or " + vals[1]
	}
	return strings.Join(vals[:len(vals)-1], ", ") + ", or " + vals[len(vals)-1]
}

// Stripe's metadata limits.
const (
	maxMetadataKeys   = 50
	maxMetadataKeyLen = 40
	maxMetadataValLen = 500
)

// Metadata applies the metadata parameter of p to cur (nil for a new
// object) and returns the result (never nil): `metadata[k]=""` removes k,
// `metadata=""` clears all, as in Stripe. Its limits give Stripe's
// messages (param metadata[key]).
func Metadata(p *Params, cur map[string]string) (map[string]string, *apierr.Error) {
	out := make(map[string]string, len(cur))
	for k, v := range cur {
		out[k] = v
	}
	m := p.Child("metadata")
	if m == nil {
		return out, nil
	}
	if m.IsLeaf() {
		if m.Value() == "" {
			return map[string]string{}, nil
		}
		return nil, apierr.InvalidParam("metadata", "Invalid object")
	}
	for _, k := range m.Keys() {
		c := m.Child(k)
		if !c.IsLeaf() {
			return nil, apierr.InvalidParam("metadata["+k+"]", "Invalid string: {...}")
		}
		v := c.Value()
		if n := utf8.RuneCountInString(k); n > maxMetadataKeyLen {
			return nil, apierr.InvalidParam("metadata["+k+"]",
				"Metadata keys can have up to %d characters, but you passed in a key that is %d characters. Invalid key: %s", maxMetadataKeyLen, n, k)
		}
		if n := utf8.RuneCountInString(v); n > maxMetadataValLen {
			return nil, apierr.InvalidParam("metadata["+k+"]",
				"Metadata values can have up to %d characters, but you passed in a value that is %d characters. Invalid value: %s", maxMetadataValLen, n, v)
		}
		if v == "" {
			delete(out, k)
		} else {
			out[k] = v
		}
	}
	if len(out) > maxMetadataKeys {
		return nil, apierr.InvalidParam("metadata", "You can have up to %d metadata keys, but you passed in %d keys.", maxMetadataKeys, len(out))
	}
	return out, nil
}
