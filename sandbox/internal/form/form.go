// Package form decodes Stripe's request bodies and query strings: the
// application/x-www-form-urlencoded forms stripe-go writes, with nested
// objects and arrays in brackets.
package form

import (
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Params is a decoded Stripe form: stripe-go encodes nested objects and
// arrays with brackets (`cart[line_items][0][amount]=100`, `expand[0]=x`),
// curl users write `expand[]=x`. Every node is either a leaf value or a map
// of children; arrays are maps whose keys are indexes, read back in order
// with List.
type Params struct {
	val   *string
	kids  map[string]*Params
	order []string // insertion order of kids, for arrays and error messages
}

// maxFormDepth bounds nesting; Stripe documents no deeper parameters.
const maxFormDepth = 8

// Parse decodes an application/x-www-form-urlencoded string.
func Parse(raw string) (*Params, error) {
	root := &Params{}
	appendSeq := 0
	var buf [maxFormDepth + 1]string
	for rest := raw; rest != ""; {
		var pair string
		pair, rest, _ = strings.Cut(rest, "&")
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		key, err := queryUnescape(k)
		if err != nil {
			return nil, fmt.Errorf("invalid form key %q", k)
		}
		val, err := queryUnescape(v)
		if err != nil {
			return nil, fmt.Errorf("invalid form value for %q", key)
		}
		path, err := splitKey(key, buf[:0])
		if err != nil {
			return nil, err
		}
		n := root
		for i, seg := range path {
			if seg == "" { // `name[]`: append
				appendSeq++
				seg = "\x00" + strconv.Itoa(appendSeq)
			}
			if n.val != nil {
				return nil, fmt.Errorf("invalid form: %q is both a value and an object", strings.Join(path[:i], "."))
			}
			if n.kids == nil {
				n.kids = map[string]*Params{}
			}
			c, ok := n.kids[seg]
			if !ok {
				c = &Params{}
				n.kids[seg] = c
				n.order = append(n.order, seg)
			}
			n = c
		}
		if n.kids != nil {
			return nil, fmt.Errorf("invalid form: %q is both a value and an object", key)
		}
		n.val = &val // last one wins, as in Stripe
	}
	return root, nil
}

// queryUnescape is url.QueryUnescape, without its work when there is
// nothing to unescape.
func queryUnescape(s string) (string, error) {
	if strings.IndexByte(s, '%') < 0 && strings.IndexByte(s, '+') < 0 {
		return s, nil
	}
	return url.QueryUnescape(s)
}

// splitKey turns `a[b][0]` into [a b 0], appended to path.
func splitKey(key string, path []string) ([]string, error) {
	name, rest, found := strings.Cut(key, "[")
	if name == "" {
		return nil, fmt.Errorf("invalid form key %q", key)
	}
	path = append(path, name)
	if !found {
		return path, nil
	}
	rest = "[" + rest
	for rest != "" {
		if rest[0] != '[' {
			return nil, fmt.Errorf("invalid form key %q", key)
		}
		end := strings.IndexByte(rest, ']')
		if end < 0 {
			return nil, fmt.Errorf("invalid form key %q: unbalanced bracket", key)
		}
		path = append(path, rest[1:end])
		rest = rest[end+1:]
		if len(path) > maxFormDepth {
			return nil, fmt.Errorf("invalid form key %q: nested too deeply", key)
		}
	}
	return path, nil
}

// Has reports whether the child name is present.
func (p *Params) Has(name string) bool {
	if p == nil {
		return false
	}
	_, ok := p.kids[name]
	return ok
}

// Child returns the child node (nil when absent).
func (p *Params) Child(name string) *Params {
	if p == nil {
		return nil
	}
	return p.kids[name]
}

// IsLeaf reports whether the node holds a value.
func (p *Params) IsLeaf() bool { return p != nil && p.val != nil }

// Value returns the leaf value ("" for objects or absent nodes).
func (p *Params) Value() string {
	if p == nil || p.val == nil {
		return ""
	}
	return *p.val
}

// Keys returns child names in the order they first appeared.
func (p *Params) Keys() []string {
	if p == nil {
		return nil
	}
	return append([]string(nil), p.order...)
}

// List returns an array's elements ordered by index (numeric keys sorted
// numerically, appended `[]` keys in order). A leaf is a one-element list.
func (p *Params) List() []*Params {
	if p == nil {
		return nil
	}
	if p.val != nil {
		return []*Params{p}
	}
	keys := p.Keys()
	sort.SliceStable(keys, func(i, j int) bool {
		a, ea := strconv.Atoi(keys[i])
		b, eb := strconv.Atoi(keys[j])
		if ea == nil && eb == nil {
			return a < b
		}
		return false
	})
	out := make([]*Params, 0, len(keys))
	for _, k := range keys {
		out = append(out, p.kids[k])
	}
	return out
}

// Strings returns an array of leaf values.
func (p *Params) Strings() []string {
	var out []string
	for _, c := range p.List() {
		if c.IsLeaf() {
			out = append(out, c.Value())
		}
	}
	return out
}

// Map returns a flat string map (metadata), with "" values kept so callers
// can apply Stripe's "empty string unsets" rule.
func (p *Params) Map() map[string]string {
	if p == nil {
		return nil
	}
	out := make(map[string]string, len(p.kids))
	for k, c := range p.kids {
		out[k] = c.Value()
	}
	return out
}

// Canonical renders the params deterministically (sorted keys, every key
// segment and value escaped, so distinct forms never render alike);
// idempotency compares requests by it. It is itself a form that Parse
// reads back to the same Canonical.
func (p *Params) Canonical() string { return string(p.AppendCanonical(nil)) }

// AppendCanonical appends Canonical's rendering to b.
func (p *Params) AppendCanonical(b []byte) []byte {
	var name [128]byte
	b, _ = p.appendCanon(b, name[:0])
	return b
}

// appendCanon appends the leaves under p, whose escaped name is name (a
// scratch buffer, extended for each child and returned for reuse).
func (p *Params) appendCanon(b, name []byte) ([]byte, []byte) {
	if p == nil {
		return b, name
	}
	if p.val != nil {
		b = append(b, name...)
		b = append(b, '=')
		b = appendQueryEscape(b, *p.val)
		return append(b, '&'), name
	}
	var buf [16]string
	keys := buf[:0]
	for k := range p.kids {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	n := len(name)
	for _, k := range keys {
		if n > 0 {
			name = append(name, '[')
			name = appendQueryEscape(name, k)
			name = append(name, ']')
		} else {
			name = appendQueryEscape(name, k)
		}
		b, name = p.kids[k].appendCanon(b, name)
		name = name[:n]
	}
	return b, name
}

// appendQueryEscape appends url.QueryEscape(s).
func appendQueryEscape(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~') {
			return append(b, url.QueryEscape(s)...)
		}
	}
	return append(b, s...)
}
