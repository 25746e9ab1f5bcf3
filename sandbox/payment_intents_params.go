package sandbox

import (
	"net/mail"
	"strconv"
	"strings"
	"unicode/utf8"

	"kasse/sandbox/internal/apierr"
	"kasse/sandbox/internal/form"
)

// Parameter helpers of the payments part. Names carry "pay" where a
// generic name could collide with the other parts' helpers.

// Stripe's metadata limits.
const (
	maxMetadataKeys   = 50
	maxMetadataKeyLen = 40
	maxMetadataValLen = 500
)

// payMetadata applies metadata params to existing (nil on create): an empty
// value removes the key, `metadata=""` clears all, as in Stripe. Limits
// give Stripe's invalid_request_error messages (param metadata[key]).
func payMetadata(p *form.Params, existing map[string]string) (map[string]string, *apierr.Error) {
	out := map[string]string{}
	for k, v := range existing {
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

// payEnum reads an optional enum parameter.
func payEnum(p *form.Params, param string, allowed ...string) (string, *apierr.Error) {
	c := p.Child(param)
	if c == nil {
		return "", nil
	}
	v := c.Value()
	for _, a := range allowed {
		if v == a {
			return v, nil
		}
	}
	return "", apierr.InvalidParam(param, "Invalid %s: must be one of %s", param, oneOf(allowed))
}

// oneOf renders "a, b, or c" as Stripe's enum errors do.
func oneOf(vals []string) string {
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

// payBool reads an optional boolean parameter.
func payBool(p *form.Params, param string) (*bool, *apierr.Error) {
	c := p.Child(param)
	if c == nil {
		return nil, nil
	}
	switch c.Value() {
	case "true":
		b := true
		return &b, nil
	case "false":
		b := false
		return &b, nil
	}
	return nil, apierr.InvalidParam(param, "Invalid boolean: %s", c.Value())
}

// payString reads an optional string parameter of at most max characters.
func payString(p *form.Params, param string, max int) (string, bool, *apierr.Error) {
	c := p.Child(param)
	if c == nil {
		return "", false, nil
	}
	if !c.IsLeaf() {
		return "", true, apierr.InvalidParam(param, "Invalid string: {...}")
	}
	v := c.Value()
	if max > 0 && utf8.RuneCountInString(v) > max {
		return "", true, apierr.InvalidParam(param, "Invalid string: %s...; must be at most %d characters", truncRunes(v, 10), max)
	}
	return v, true, nil
}

func truncRunes(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n])
	}
	return s
}

// payEmail validates receipt_email like Stripe (code email_invalid).
func payEmail(p *form.Params, param string) (string, bool, *apierr.Error) {
	v, ok, e := payString(p, param, 800)
	if e != nil || !ok || v == "" {
		return v, ok, e
	}
	if a, err := mail.ParseAddress(v); err != nil || a.Address != v || !strings.Contains(v[strings.LastIndex(v, "@")+1:], ".") {
		e := apierr.Invalid(400, "email_invalid", param, "Invalid email address: %s", v)
		e.Validation = true
		return "", true, e
	}
	return v, true, nil
}

// createdFilter is a `created` list filter: an exact second or a range.
type createdFilter struct {
	eq, gt, gte, lt, lte *int64
}

// payCreatedFilter parses `created=N` or `created[gt|gte|lt|lte]=N`.
func payCreatedFilter(p *form.Params) (*createdFilter, *apierr.Error) {
	c := p.Child("created")
	if c == nil {
		return nil, nil
	}
	f := &createdFilter{}
	num := func(param string, n *form.Params) (*int64, *apierr.Error) {
		v, err := strconv.ParseInt(n.Value(), 10, 64)
		if err != nil || !n.IsLeaf() {
			return nil, apierr.InvalidInteger(param, n.Value())
		}
		return &v, nil
	}
	if c.IsLeaf() {
		v, e := num("created", c)
		f.eq = v
		return f, e
	}
	for _, k := range c.Keys() {
		v, e := num("created["+k+"]", c.Child(k))
		if e != nil {
			return nil, e
		}
		switch k {
		case "gt":
			f.gt = v
		case "gte":
			f.gte = v
		case "lt":
			f.lt = v
		case "lte":
			f.lte = v
		default:
			return nil, apierr.UnknownParam("created[" + k + "]")
		}
	}
	return f, nil
}

// match reports whether a creation time passes the filter (nil passes all).
func (f *createdFilter) match(t int64) bool {
	if f == nil {
		return true
	}
	return (f.eq == nil || t == *f.eq) && (f.gt == nil || t > *f.gt) && (f.gte == nil || t >= *f.gte) &&
		(f.lt == nil || t < *f.lt) && (f.lte == nil || t <= *f.lte)
}
