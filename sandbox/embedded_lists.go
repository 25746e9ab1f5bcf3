package sandbox

import (
	"kasse/sandbox/internal/apierr"
	"kasse/sandbox/internal/expand"
	"kasse/sandbox/internal/list"
)

// embeddedList is a list an object keeps inside itself, every item newest
// first (application_fee.refunds, transfer.reversals): stored and
// rendered as Stripe's list object, and listed by its own route.
type embeddedList[T any] struct {
	Object  string `json:"object"`
	Data    []T    `json:"data"`
	HasMore bool   `json:"has_more"`
	URL     string `json:"url"`
}

// listEmbedded answers GET /v1/<objects>/{id}/<items>, the list the
// parent object keeps (items expand nothing): expand[] is checked, find
// looks the parent up, then the cursor is read and the page is cut from
// the list. id is an item's id and kind its object name (a cursor's 404).
func listEmbedded[P, T any](s *Server, rq *request, find func(*request, string) (P, *apierr.Error), of func(P) *embeddedList[T], id func(T) string, kind string) (any, *apierr.Error) {
	if err := expand.Check(rq.Expand, nil); err != nil {
		return nil, err
	}
	parent, err := find(rq, rq.ID)
	if err != nil {
		return nil, err
	}
	pg, err := list.ParsePage(rq.Params)
	if err != nil {
		return nil, err
	}
	l := of(parent)
	items, more, err := pageOf(l.Data, id, kind, pg)
	if err != nil {
		return nil, err
	}
	return s.page(l.URL, anys(items), more), nil
}

// pageOf pages a short embedded list (newest first) with Stripe's cursors,
// as store.Table.Page pages a table.
func pageOf[T any](items []T, id func(T) string, kind string, pg list.Page) ([]T, bool, *apierr.Error) {
	find := func(cur, param string) (int, *apierr.Error) {
		for i, v := range items {
			if id(v) == cur {
				return i, nil
			}
		}
		return 0, apierr.NoSuch(kind, cur).WithParam(param)
	}
	from, to := 0, len(items) // the window [from, to) after the cursors
	if pg.After != "" {
		i, e := find(pg.After, "starting_after")
		if e != nil {
			return nil, false, e
		}
		from = i + 1
	}
	if pg.Before != "" {
		j, e := find(pg.Before, "ending_before")
		if e != nil {
			return nil, false, e
		}
		to = min(j, len(items))
		if lo := max(to-pg.Limit, from); lo < to {
			return append([]T(nil), items[lo:to]...), lo > 0, nil
		}
		return []T{}, from > 0, nil
	}
	if from >= to {
		return []T{}, false, nil
	}
	hi := min(from+pg.Limit, to)
	return append([]T(nil), items[from:hi]...), hi < to, nil
}
