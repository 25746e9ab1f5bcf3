package sandbox

import (
	"encoding/json"
	"strings"
	"time"

	"kasse/sandbox/internal/apierr"
	"kasse/sandbox/internal/expand"
	"kasse/sandbox/internal/form"
	"kasse/sandbox/internal/list"
)

// Events. Each event belongs to one account (the platform or a connected
// account) and is listed only from that account's context: a connected
// account's events need its Stripe-Account header, as every other object.

// eventRetention is how long events can be listed and retrieved (Stripe
// guarantees 30 days).
const eventRetention = 30 * 24 * time.Hour

// maxEventTypes is the cap on types[] (Stripe documents "up to 20").
const maxEventTypes = 20

type eventJSON struct {
	ID     string `json:"id"`
	Object string `json:"object"`
	// Account is set only on connected-account events; platform events
	// carry no `account` key (the spec declares it optional, not nullable,
	// and stripe-mock's fixture — a platform event — has none).
	Account         string        `json:"account,omitempty"`
	APIVersion      string        `json:"api_version"`
	Created         int64         `json:"created"`
	Data            eventData     `json:"data"`
	Livemode        bool          `json:"livemode"`
	PendingWebhooks int64         `json:"pending_webhooks"`
	Request         *eventRequest `json:"request"`
	Type            string        `json:"type"`
}

type eventData struct {
	Object json.RawMessage `json:"object"`
	// PreviousAttributes is present only on events that change an object
	// (emit was given previous attributes).
	PreviousAttributes json.RawMessage `json:"previous_attributes,omitempty"`
}

// eventRequest: the API request that caused the event; both null for
// events the sandbox raised on its own (timers, simulated readers).
type eventRequest struct {
	ID             *string `json:"id"`
	IdempotencyKey *string `json:"idempotency_key"`
}

// emit records the event Stripe would send for a state change (platform
// part contract). account is the account the event belongs to ("" = the
// platform); object is the rendered, unexpanded object, snapshotted now;
// previous, when non-nil, becomes data.previous_attributes. rq may be nil
// for changes no API request caused. Called with mu held.
//
// pending_webhooks is always 0: the sandbox has no webhook endpoints.
func (s *Server) emit(rq *request, account, typ string, object any, previous map[string]any) {
	obj, err := json.Marshal(object)
	if err != nil {
		panic(err) // our own rendered objects always marshal
	}
	now := s.opts.Now().Unix()
	if rq != nil && !rq.Now.IsZero() {
		now = rq.Now.Unix()
	}
	ev := &event{meta: s.newMeta("evt", account, now), typ: typ, object: obj}
	if previous != nil {
		if ev.previous, err = json.Marshal(previous); err != nil {
			panic(err)
		}
	}
	if rq != nil {
		ev.requestID, ev.idempotentKey = rq.RequestID, rq.IdemKey
	}
	s.st.events = append(s.st.events, ev)
}

func (s *Server) renderEvent(ev *event) *eventJSON {
	out := &eventJSON{ID: ev.id, Object: "event", Account: ev.account, APIVersion: APIVersion, Created: ev.created,
		Data: eventData{Object: ev.object, PreviousAttributes: ev.previous}, Livemode: livemode,
		Request: &eventRequest{ID: nullString(ev.requestID), IdempotencyKey: nullString(ev.idempotentKey)}, Type: ev.typ}
	return out
}

// visibleEvent: the event belongs to the caller's account and is within
// the retention window.
func (s *Server) visibleEvent(ev *event, rq *request) bool {
	return owned(&ev.meta, rq) && rq.Now.Sub(time.Unix(ev.created, 0)) <= eventRetention
}

// getEvent: GET /v1/events/{id}.
func (s *Server) getEvent(rq *request) (any, *apierr.Error) {
	if e := expand.Check(rq.Expand, nil); e != nil {
		return nil, e
	}
	id := rq.ID
	for _, ev := range s.st.events {
		if ev.id == id && s.visibleEvent(ev, rq) {
			return s.renderEvent(ev), nil
		}
	}
	return nil, apierr.NoSuch("event", id)
}

// listEvents: GET /v1/events with type (exact or `*` wildcard), types[]
// (≤ 20, not with type), created, delivery_success and pagination, newest
// first.
func (s *Server) listEvents(rq *request) (any, *apierr.Error) {
	if e := expand.Check(rq.Expand, nil); e != nil {
		return nil, e
	}
	match, e := eventTypeFilter(rq.Params)
	if e != nil {
		return nil, e
	}
	inRange, e := createdRangeFilter(rq.Params)
	if e != nil {
		return nil, e
	}
	// delivery_success: the sandbox delivers no webhooks, so every event
	// counts as delivered (none pending or failed): true lists all, false
	// lists none.
	delivered := true
	if p := rq.Params.Child("delivery_success"); p != nil {
		switch v := p.Value(); {
		case p.IsLeaf() && v == "true":
		case p.IsLeaf() && v == "false":
			delivered = false
		default:
			return nil, apierr.InvalidParam("delivery_success", "Invalid boolean: %s", v)
		}
	}
	var items []*event
	for _, ev := range s.st.events {
		if delivered && s.visibleEvent(ev, rq) && match(ev.typ) && inRange(ev.created) {
			items = append(items, ev)
		}
	}
	return list.Paginate(rq.Params, "/v1/events", "event", items, func(ev *event) any { return s.renderEvent(ev) })
}

// eventTypeFilter reads `type` and `types[]`.
func eventTypeFilter(p *form.Params) (func(string) bool, *apierr.Error) {
	if p.Has("type") && p.Has("types") {
		return nil, apierr.InvalidParam("types", "You may pass either type or types, but not both.")
	}
	if t := p.Child("type"); t != nil {
		if !t.IsLeaf() {
			return nil, apierr.InvalidParam("type", "Invalid string: type must be a string.")
		}
		pattern := t.Value()
		return func(typ string) bool { return globMatch(pattern, typ) }, nil
	}
	if ts := p.Child("types"); ts != nil {
		list := ts.List()
		if len(list) > maxEventTypes {
			return nil, apierr.InvalidParam("types", "You may pass at most %d types, but %d were given.", maxEventTypes, len(list))
		}
		want := map[string]bool{}
		for i, c := range list {
			if !c.IsLeaf() {
				return nil, apierr.InvalidParam("types", "Invalid string: types[%d] must be a string.", i)
			}
			want[c.Value()] = true
		}
		return func(typ string) bool { return want[typ] }, nil
	}
	return func(string) bool { return true }, nil
}

// globMatch matches s against pattern, where `*` stands for any run of
// characters (dots included: "charge.*" matches "charge.refund.updated").
func globMatch(pattern, s string) bool {
	parts := strings.Split(pattern, "*")
	if len(parts) == 1 {
		return pattern == s
	}
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	last := parts[len(parts)-1]
	for _, mid := range parts[1 : len(parts)-1] {
		i := strings.Index(s, mid)
		if i < 0 {
			return false
		}
		s = s[i+len(mid):]
	}
	return len(s) >= len(last) && strings.HasSuffix(s, last)
}
