package sandbox

import (
	"encoding/json"
	"strings"
	"time"

	"kasse/sandbox/internal/apierr"
	"kasse/sandbox/internal/expand"
	"kasse/sandbox/internal/form"
	"kasse/sandbox/internal/list"
	"kasse/sandbox/internal/store"
)

// Events: GET /v1/events, /v1/events/{id}. Each event belongs to one
// account (the platform or a connected account) and is listed only from
// that account's context: a connected account's events need its
// Stripe-Account header, as every other object. Events are kept for
// Options.EventRetention (Stripe guarantees 30 days), then pruned.

// defaultEventRetention is how long events can be listed and retrieved.
const defaultEventRetention = 30 * 24 * time.Hour

// maxEventTypes is the cap on types[] (Stripe documents "up to 20").
const maxEventTypes = 20

// eventTypes are the events the sandbox emits, each with the object type
// its data.object has (the stored resource's objectType). emit refuses any
// other pair: a resource that raises a new event adds its row here. The
// events an endpoint may subscribe to are a larger list (knownEventTypes).
var eventTypes = map[string]string{
	"payment_intent.created":                   "payment_intent",
	"payment_intent.succeeded":                 "payment_intent",
	"payment_intent.payment_failed":            "payment_intent",
	"payment_intent.canceled":                  "payment_intent",
	"payment_intent.amount_capturable_updated": "payment_intent",
	"charge.succeeded":                         "charge",
	"charge.failed":                            "charge",
	"charge.captured":                          "charge",
	"charge.refunded":                          "charge",
	"charge.refund.updated":                    "refund",
	"charge.dispute.created":                   "dispute",
	"charge.dispute.updated":                   "dispute",
	"charge.dispute.closed":                    "dispute",
	"charge.dispute.funds_withdrawn":           "dispute",
	"charge.dispute.funds_reinstated":          "dispute",
	"setup_intent.created":                     "setup_intent",
	"setup_intent.succeeded":                   "setup_intent",
	"setup_intent.setup_failed":                "setup_intent",
	"terminal.reader.action_succeeded":         "terminal.reader",
	"terminal.reader.action_failed":            "terminal.reader",
	"account.updated":                          "account",
	"setup_intent.canceled":                    "setup_intent",
	"payment_intent.requires_action":           "payment_intent",
	"customer.created":                         "customer",
	"customer.updated":                         "customer",
	"customer.deleted":                         "customer",
	"payment_method.attached":                  "payment_method",
	"payment_method.detached":                  "payment_method",
	"transfer.created":                         "transfer",
	"transfer.reversed":                        "transfer",
	"application_fee.created":                  "application_fee",
	"application_fee.refunded":                 "application_fee",
}

// event is an event object as the 2023-10-16 spec declares it. Its data
// object is the object's JSON when the event happened.
type event struct {
	store.Meta
	Object string `json:"object"`
	// Account is set only on connected-account events; platform events
	// carry no `account` key (the spec declares it optional, not nullable,
	// and stripe-mock's fixture — a platform event — has none).
	Account         string       `json:"account,omitempty"`
	APIVersion      string       `json:"api_version"`
	Created         int64        `json:"created"`
	Data            eventData    `json:"data"`
	Livemode        bool         `json:"livemode"`
	PendingWebhooks int64        `json:"pending_webhooks"`
	Request         eventRequest `json:"request"`
	Type            string       `json:"type"`

	// owed are the webhook endpoints a delivery is still scheduled to
	// (webhook_delivery.go); kept in the state file's extra, so that a
	// restarted sandbox delivers what it still owed.
	owed []string
}

func (*event) objectType() string { return "event" }

func (ev *event) saveExtra() []byte {
	if len(ev.owed) == 0 {
		return nil
	}
	b, err := json.Marshal(eventExtra{Owed: ev.owed})
	if err != nil {
		panic(err)
	}
	return b
}

func (ev *event) loadExtra(b json.RawMessage) error {
	if len(b) == 0 {
		return nil
	}
	var x eventExtra
	if err := json.Unmarshal(b, &x); err != nil {
		return err
	}
	ev.owed = x.Owed
	return nil
}

type eventExtra struct {
	Owed []string `json:"owed"`
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

// appendJSON encodes ev as encoding/json encodes the struct, without
// re-validating the data object's JSON (events are the most frequent
// objects written).
func (ev *event) appendJSON(b []byte) []byte {
	b = append(b, `{"id":`...)
	b = appendString(b, ev.ID)
	b = append(b, `,"object":"event"`...)
	if ev.Account != "" {
		b = append(b, `,"account":`...)
		b = appendString(b, ev.Account)
	}
	b = append(b, `,"api_version":`...)
	b = appendString(b, ev.APIVersion)
	b = append(b, `,"created":`...)
	b = appendInt(b, ev.Created)
	b = append(b, `,"data":{"object":`...)
	b = append(b, ev.Data.Object...)
	if len(ev.Data.PreviousAttributes) > 0 {
		b = append(b, `,"previous_attributes":`...)
		b = append(b, ev.Data.PreviousAttributes...)
	}
	b = append(b, `},"livemode":false,"pending_webhooks":`...)
	b = appendInt(b, ev.PendingWebhooks)
	b = append(b, `,"request":{"id":`...)
	b = appendNullString(b, ev.Request.ID)
	b = append(b, `,"idempotency_key":`...)
	b = appendNullString(b, ev.Request.IdempotencyKey)
	b = append(b, `},"type":`...)
	b = appendString(b, ev.Type)
	return append(b, '}')
}

func appendNullString(b []byte, s *string) []byte {
	if s == nil {
		return append(b, "null"...)
	}
	return appendString(b, *s)
}

// emit records the event Stripe would send for a state change, and
// schedules its delivery to every webhook endpoint that subscribes to it
// (pending_webhooks counts them; webhook_delivery.go sends once the
// change is committed, never within the request). account is the
// account the event belongs to ("" = the platform); typ must be a row of
// eventTypes for object's type; object is the stored object, snapshotted
// now (its JSON, shared with the response and the state file); previous,
// when non-nil, becomes data.previous_attributes. rq may be nil for
// changes no API request caused. Called with mu held, in a change.
func (s *Server) emit(rq *request, account, typ string, object resource, previous map[string]any) {
	if want, ok := eventTypes[typ]; !ok || want != object.objectType() {
		panic("sandbox: event " + typ + " of a " + object.objectType() + " is not in eventTypes")
	}
	s.record(rq, account, typ, object, previous)
}

// record stores and schedules an event emit has checked (tests call it to
// fill the event list with any type).
func (s *Server) record(rq *request, account, typ string, object resource, previous map[string]any) {
	now := s.opts.Now().Unix()
	if rq != nil && !rq.Now.IsZero() {
		now = rq.Now.Unix()
	}
	ev := &event{Meta: s.newMeta("evt", account), Object: "event", Account: account, APIVersion: APIVersion,
		Created: now, Type: typ, Data: eventData{Object: s.encode(object)}}
	if previous != nil {
		b, err := json.Marshal(previous)
		if err != nil {
			panic(err)
		}
		ev.Data.PreviousAttributes = b
	}
	if rq != nil {
		ev.Request = eventRequest{ID: nullString(rq.RequestID), IdempotencyKey: nullString(rq.IdemKey)}
	}
	for _, w := range s.endpointsFor(account, typ) {
		ev.owed = append(ev.owed, w.ID)
	}
	ev.PendingWebhooks = int64(len(ev.owed))
	put(s, s.st.events, ev)
	if len(ev.owed) > 0 {
		s.tx.deliveries = append(s.tx.deliveries, ev)
	}
}

// visibleEvent: the event belongs to the caller's account and is within
// the retention window (pruning may not have run yet).
func (s *Server) visibleEvent(ev *event, rq *request) bool {
	return owned(ev, rq) && rq.Now.Sub(time.Unix(ev.Created, 0)) <= s.eventRetention()
}

// getEvent: GET /v1/events/{id}.
func (s *Server) getEvent(rq *request) (any, *apierr.Error) {
	if e := expand.Check(rq.Expand, nil); e != nil {
		return nil, e
	}
	if ev, ok := s.st.events.Get(rq.ID); ok && s.visibleEvent(ev, rq) {
		return ev, nil
	}
	return nil, apierr.NoSuch("event", rq.ID)
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
	created, e := list.ParseCreated(rq.Params)
	if e != nil {
		return nil, e
	}
	// delivery_success: true lists the events every endpoint has taken
	// (pending_webhooks 0: delivered, or none subscribed); false the ones
	// still pending or given up on for some endpoint.
	var delivered *bool
	if p := rq.Params.Child("delivery_success"); p != nil {
		b := false
		switch v := p.Value(); {
		case p.IsLeaf() && v == "true":
			b = true
		case p.IsLeaf() && v == "false":
		default:
			return nil, apierr.InvalidParam("delivery_success", "Invalid boolean: %s", v)
		}
		delivered = &b
	}
	pg, e := list.ParsePage(rq.Params)
	if e != nil {
		return nil, e
	}
	return listTable(s, rq, s.st.events, pg, func(ev *event) bool {
		return (delivered == nil || *delivered == (ev.PendingWebhooks == 0)) && s.visibleEvent(ev, rq) && match(ev.Type) && created.Match(ev.Created)
	}, "/v1/events", unexpanded)
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
		items := ts.List()
		if len(items) > maxEventTypes {
			return nil, apierr.InvalidParam("types", "You may pass at most %d types, but %d were given.", maxEventTypes, len(items))
		}
		want := map[string]bool{}
		for i, c := range items {
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
