package sandbox

import (
	"kasse/sandbox/internal/apierr"
	"kasse/sandbox/internal/expand"
	"kasse/sandbox/internal/list"
	"kasse/sandbox/internal/store"
)

// The retrieve and list routes of every resource have one shape: what
// differs is the object's table, its expandable paths, how its 404 reads,
// and a list's filters. Their order of checks is Stripe's, and decides
// which error a request with several faults gets: expand[] first, then
// the object (retrieve) or the list's parameters.

// retrieve answers GET /v1/<objects>/{id}: expand[] is checked against
// what the object can expand, find looks the path's id up in the
// request's account (its 404 as that object's GET gives it), render
// writes the object with the request's expansion.
func retrieve[T any](rq *request, expandable []string, find func(*request, string) (T, *apierr.Error), render func(T, *expand.Tree) any) (any, *apierr.Error) {
	if err := expand.Check(rq.Expand, expandable); err != nil {
		return nil, err
	}
	v, err := find(rq, rq.ID)
	if err != nil {
		return nil, err
	}
	return render(v, rq.Expand), nil
}

// parseList reads what the lists of objects with a creation time share,
// in this order: expand[] (the object's expandable paths under "data."),
// created, the cursor. A list's own filters are read after them.
func parseList(rq *request, expandable []string) (*list.Created, list.Page, *apierr.Error) {
	if err := expand.Check(rq.Expand, expand.WithPrefix("data.", expandable)); err != nil {
		return nil, list.Page{}, err
	}
	created, err := list.ParseCreated(rq.Params)
	if err != nil {
		return nil, list.Page{}, err
	}
	pg, err := list.ParsePage(rq.Params)
	if err != nil {
		return nil, list.Page{}, err
	}
	return created, pg, nil
}

// listTable answers a list route with the page pg of the request
// account's objects in t that match (nil: all), newest first.
func listTable[T store.Object](s *Server, rq *request, t *store.Table[T], pg list.Page, match func(T) bool, url string, render func(T, *expand.Tree) any) (any, *apierr.Error) {
	items, more, err := t.Page(rq.Account, pg, match)
	if err != nil {
		return nil, err
	}
	return renderPage(s, rq, url, items, more, render), nil
}

// renderPage is the list envelope of a page of items, each rendered with
// the request's expansion under "data".
func renderPage[T any](s *Server, rq *request, url string, items []T, more bool, render func(T, *expand.Tree) any) *list.Envelope {
	sub := rq.Expand.Sub("data")
	out := make([]any, len(items))
	for i, v := range items {
		out[i] = render(v, sub)
	}
	return s.page(url, out, more)
}

// unexpanded renders an object that has nothing to expand: as stored.
func unexpanded[T any](v T, _ *expand.Tree) any { return v }

// newestOwned is the first page (no cursor) of candidates, an index of a
// few objects in creation order: the limit newest of the request
// account's that match, and whether more match. A list filtered to one
// payment reads it instead of walking its table.
func newestOwned[T store.Object](rq *request, candidates []T, limit int, match func(T) bool) (page []T, more bool) {
	for i := len(candidates) - 1; i >= 0; i-- {
		if v := candidates[i]; owned(v, rq) && match(v) {
			if len(page) == limit {
				return page, true
			}
			page = append(page, v)
		}
	}
	return page, false
}
