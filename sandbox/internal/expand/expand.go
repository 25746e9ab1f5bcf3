// Package expand is Stripe's expand[] parameter: the tree of dotted paths a
// request asks to see as objects instead of ids, checked against what the
// route's object can expand.
package expand

import (
	"strings"

	"kasse/sandbox/internal/apierr"
)

// MaxDepth is Stripe's limit on expansion depth.
const MaxDepth = 4

// Tree is the tree of `expand[]` paths of a request. Renderers ask for the
// sub-tree of a field: nil means "render the id only".
type Tree struct {
	kids map[string]*Tree
}

// Parse builds the tree of dotted paths (nil for none).
func Parse(paths []string) *Tree {
	if len(paths) == 0 {
		return nil
	}
	root := &Tree{}
	for _, p := range paths {
		n := root
		for _, seg := range strings.Split(p, ".") {
			if n.kids == nil {
				n.kids = map[string]*Tree{}
			}
			c, ok := n.kids[seg]
			if !ok {
				c = &Tree{}
				n.kids[seg] = c
			}
			n = c
		}
	}
	return root
}

// Sub returns the expansion below field, or nil when field is not expanded.
func (e *Tree) Sub(field string) *Tree {
	if e == nil {
		return nil
	}
	return e.kids[field]
}

// Has reports whether field is expanded.
func (e *Tree) Has(field string) bool { return e.Sub(field) != nil }

// Empty reports whether nothing is expanded.
func (e *Tree) Empty() bool { return e == nil || len(e.kids) == 0 }

// Depth is the longest path below e.
func (e *Tree) Depth() int {
	if e == nil {
		return 0
	}
	d := 0
	for _, c := range e.kids {
		if cd := c.Depth() + 1; cd > d {
			d = cd
		}
	}
	return d
}

// Check validates expand[] before a call executes: too deep, or a path the
// route cannot expand, is a 400 as in Stripe. expandable lists the dotted
// paths the route's object supports (lists add the prefix "data.", see
// WithPrefix).
func Check(e *Tree, expandable []string) *apierr.Error {
	if e == nil {
		return nil
	}
	if e.Depth() > MaxDepth {
		return apierr.InvalidParam("expand", "You cannot expand more than 4 levels of a property.")
	}
	var walk func(n *Tree, prefix string) *apierr.Error
	walk = func(n *Tree, prefix string) *apierr.Error {
		for name, c := range n.kids {
			path := name
			if prefix != "" {
				path = prefix + "." + name
			}
			if !allowed(path, expandable) {
				return apierr.InvalidParam("expand", "This property cannot be expanded (%s).", path)
			}
			if err := walk(c, path); err != nil {
				return err
			}
		}
		return nil
	}
	return walk(e, "")
}

// allowed: path equals, or is a prefix of, one of the allowed paths.
func allowed(path string, paths []string) bool {
	for _, a := range paths {
		if a == path || strings.HasPrefix(a, path+".") {
			return true
		}
	}
	return false
}

// WithPrefix prefixes expandable paths ("data." for lists).
func WithPrefix(prefix string, paths []string) []string {
	out := make([]string, len(paths))
	for i, p := range paths {
		out[i] = prefix + p
	}
	return out
}

// Only reports whether field is the one field expanded.
func (e *Tree) Only(field string) bool { return e != nil && len(e.kids) == 1 && e.kids[field] != nil }
