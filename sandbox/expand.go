package sandbox

import "strings"

// maxExpandDepth is Stripe's limit on expansion depth.
const maxExpandDepth = 4

// expansion is the tree of `expand[]` paths of a request. Renderers ask for
// the sub-tree of a field: nil means "render the id only".
type expansion struct {
	kids map[string]*expansion
}

func newExpansion(paths []string) *expansion {
	root := &expansion{}
	for _, p := range paths {
		n := root
		for _, seg := range strings.Split(p, ".") {
			if n.kids == nil {
				n.kids = map[string]*expansion{}
			}
			c, ok := n.kids[seg]
			if !ok {
				c = &expansion{}
				n.kids[seg] = c
			}
			n = c
		}
	}
	return root
}

// sub returns the expansion below field, or nil when field is not expanded.
func (e *expansion) sub(field string) *expansion {
	if e == nil {
		return nil
	}
	return e.kids[field]
}

// has reports whether field is expanded.
func (e *expansion) has(field string) bool { return e.sub(field) != nil }

// depth is the longest path below e.
func (e *expansion) depth() int {
	if e == nil {
		return 0
	}
	d := 0
	for _, c := range e.kids {
		if cd := c.depth() + 1; cd > d {
			d = cd
		}
	}
	return d
}

// checkExpand validates expand[] before a call executes: too deep, or a
// path the route cannot expand, is a 400 as in Stripe. expandable lists the
// dotted paths the route's object supports (a prefix "data." is added for
// lists by the caller).
func checkExpand(e *expansion, expandable []string) *apiError {
	if e.depth() > maxExpandDepth {
		return errInvalidParam("expand", "You cannot expand more than 4 levels of a property.")
	}
	var walk func(n *expansion, prefix string) *apiError
	walk = func(n *expansion, prefix string) *apiError {
		for name, c := range n.kids {
			path := name
			if prefix != "" {
				path = prefix + "." + name
			}
			if !expandablePath(path, expandable) {
				return errInvalidParam("expand", "This property cannot be expanded (%s).", path)
			}
			if err := walk(c, path); err != nil {
				return err
			}
		}
		return nil
	}
	return walk(e, "")
}

// expandablePath: path equals, or is a prefix of, one of the allowed paths.
func expandablePath(path string, allowed []string) bool {
	for _, a := range allowed {
		if a == path || strings.HasPrefix(a, path+".") {
			return true
		}
	}
	return false
}
