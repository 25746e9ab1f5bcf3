// Package list is Stripe's list envelope, the parameters of its cursor
// pagination (limit 1–100, default 10; starting_after / ending_before;
// store.Table.Page walks them, newest first), and the `created` filter
// lists share.
package list

import (
	"strconv"

	"kasse/sandbox/internal/apierr"
	"kasse/sandbox/internal/form"
)

// Envelope is Stripe's list object.
type Envelope struct {
	Object  string `json:"object"`
	Data    []any  `json:"data"`
	HasMore bool   `json:"has_more"`
	URL     string `json:"url"`
}

// Created is a list's `created` filter: an exact second (`created=N`) or a
// range (`created[gt|gte|lt|lte]=N`). The nil filter matches everything.
type Created struct {
	eq, gt, gte, lt, lte *int64
}

// ParseCreated reads the `created` parameter of p (nil when absent).
func ParseCreated(p *form.Params) (*Created, *apierr.Error) {
	c := p.Child("created")
	if c == nil {
		return nil, nil
	}
	f := &Created{}
	if c.IsLeaf() {
		n, err := strconv.ParseInt(c.Value(), 10, 64)
		if err != nil {
			return nil, apierr.InvalidInteger("created", c.Value())
		}
		f.eq = &n
		return f, nil
	}
	for _, op := range c.Keys() {
		var dst **int64
		switch op {
		case "gt":
			dst = &f.gt
		case "gte":
			dst = &f.gte
		case "lt":
			dst = &f.lt
		case "lte":
			dst = &f.lte
		default:
			return nil, apierr.UnknownParam("created[" + op + "]")
		}
		v := c.Child(op)
		n, err := strconv.ParseInt(v.Value(), 10, 64)
		if err != nil || !v.IsLeaf() {
			return nil, apierr.InvalidInteger("created["+op+"]", v.Value())
		}
		*dst = &n
	}
	return f, nil
}

// Match reports whether a creation time (unix seconds) passes the filter.
func (f *Created) Match(t int64) bool {
	if f == nil {
		return true
	}
	return (f.eq == nil || t == *f.eq) && (f.gt == nil || t > *f.gt) && (f.gte == nil || t >= *f.gte) &&
		(f.lt == nil || t < *f.lt) && (f.lte == nil || t <= *f.lte)
}

// Page is a list request's cursor: how many (Limit, 1–100, default 10)
// and from where (After: starting_after, Before: ending_before; ids).
type Page struct {
	Limit         int
	After, Before string
}

// ParsePage reads limit, starting_after and ending_before.
func ParsePage(p *form.Params) (Page, *apierr.Error) {
	pg := Page{Limit: 10, After: p.Child("starting_after").Value(), Before: p.Child("ending_before").Value()}
	if v := p.Child("limit"); v != nil {
		n, err := strconv.Atoi(v.Value())
		if err != nil {
			return pg, apierr.InvalidInteger("limit", v.Value())
		}
		if n < 1 || n > 100 {
			return pg, apierr.InvalidParam("limit", "Invalid limit: must be between 1 and 100")
		}
		pg.Limit = n
	}
	return pg, nil
}
