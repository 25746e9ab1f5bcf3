package sandbox

import (
	"sort"
	"strconv"
)

// listObject is Stripe's list envelope.
type listObject struct {
	Object  string `json:"object"`
	Data    []any  `json:"data"`
	HasMore bool   `json:"has_more"`
	URL     string `json:"url"`
}

// listable is what paginate needs of an object.
type listable interface {
	objectID() string
	createdSeq() int64 // monotonic creation order; newest first in lists
}

// paginate applies limit (1–100, default 10), starting_after and
// ending_before to items, newest first, and renders the page.
func paginate[T listable](rq *request, url string, items []T, render func(T) any) (any, *apiError) {
	limit := 10
	if v := rq.Params.Child("limit"); v != nil {
		n, err := strconv.Atoi(v.Value())
		if err != nil {
			return nil, errInvalidInteger("limit", v.Value())
		}
		if n < 1 || n > 100 {
			return nil, errInvalidParam("limit", "Invalid limit: must be between 1 and 100")
		}
		limit = n
	}
	sort.Slice(items, func(i, j int) bool { return items[i].createdSeq() > items[j].createdSeq() })
	after, before := rq.Params.Child("starting_after").Value(), rq.Params.Child("ending_before").Value()
	start, end := 0, len(items)
	if after != "" {
		i := indexOf(items, after)
		if i < 0 {
			return nil, errNoSuch(objectKindFor(url), after).withParam("starting_after")
		}
		start = i + 1
	}
	if before != "" {
		i := indexOf(items, before)
		if i < 0 {
			return nil, errNoSuch(objectKindFor(url), before).withParam("ending_before")
		}
		end = i
		if end-limit > start {
			start = end - limit
		}
	}
	page := items[start:end]
	hasMore := false
	if len(page) > limit {
		page, hasMore = page[:limit], true
	} else if before != "" && start > 0 {
		hasMore = true
	}
	out := &listObject{Object: "list", URL: url, HasMore: hasMore, Data: make([]any, 0, len(page))}
	for _, it := range page {
		out.Data = append(out.Data, render(it))
	}
	return out, nil
}

func indexOf[T listable](items []T, id string) int {
	for i, it := range items {
		if it.objectID() == id {
			return i
		}
	}
	return -1
}

// objectKindFor names the object type of a list URL for error messages.
func objectKindFor(url string) string {
	switch url {
	case "/v1/payment_intents":
		return "payment_intent"
	case "/v1/charges":
		return "charge"
	case "/v1/refunds":
		return "refund"
	case "/v1/events":
		return "event"
	case "/v1/accounts":
		return "account"
	case "/v1/terminal/readers":
		return "terminal.reader"
	case "/v1/terminal/locations":
		return "terminal.location"
	}
	return "object"
}

func (e *apiError) withParam(p string) *apiError { e.Param = p; return e }
