package sandbox

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"kasse/sandbox/internal/apierr"

	"github.com/stripe/stripe-go/v76"
)

// testClock is a settable clock for Options.Now.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// emitAccountEvent records typ on account with the account's own object
// (a real, spec-valid data.object) and returns the event id.
func (e *env) emitAccountEvent(account, typ string, previous map[string]any) string {
	var id string
	e.change(func(s *Server) {
		s.record(nil, account, typ, s.accountOf(account), previous) // any type: the filters' test data
		for ev := range s.st.events.Newest(account) {
			id = ev.ID
			break
		}
	})
	return id
}

// addEmitRoute adds a test-only POST route whose handler emits
// account.updated for the calling account, as a state change would.
func (e *env) addEmitRoute() {
	e.srv.addRoute(&route{method: http.MethodPost, path: "/v1/test_only/emit", h: func(s *Server, rq *request) (any, *apierr.Error) {
		obj := s.accountOf(rq.Account)
		s.emit(rq, rq.Account, "account.updated", obj, map[string]any{"metadata": map[string]any{}})
		return obj, nil
	}})
}

func TestEventsEmitAndRetrieve(t *testing.T) {
	e := newEnv(t, Options{})
	seller := e.addSeller("Lumen Coffee Roasters", "US", "usd")
	e.addEmitRoute()
	r := e.raw("POST", "/v1/test_only/emit", "", fwHeaders{"Stripe-Account": seller, "Idempotency-Key": "emit-1"})
	if r.status != 200 {
		t.Fatalf("emit route: %s", r.body)
	}
	reqID := r.header.Get("Request-Id")

	// The connected account's event is listed with its header only.
	if ids := listIDs(t, e.raw("GET", "/v1/events", "", nil)); len(ids) != 0 {
		t.Errorf("platform sees the seller's event: %v", ids)
	}
	lp := &stripe.EventListParams{}
	lp.SetStripeAccount(seller)
	it := e.sc.Events.List(lp)
	if !it.Next() {
		t.Fatalf("no event: %v", it.Err())
	}
	ev := it.Event()
	if ev.Type != "account.updated" || ev.Account != seller || ev.APIVersion != "2023-10-16" || ev.Livemode ||
		ev.Request == nil || ev.Request.ID != reqID || ev.Request.IdempotencyKey != "emit-1" || ev.Data.Object["id"] != seller {
		t.Errorf("event %+v request %+v", ev, ev.Request)
	}
	if _, ok := ev.Data.PreviousAttributes["metadata"]; !ok {
		t.Errorf("previous_attributes %v", ev.Data.PreviousAttributes)
	}
	// Replaying the request does not emit again.
	e.raw("POST", "/v1/test_only/emit", "", fwHeaders{"Stripe-Account": seller, "Idempotency-Key": "emit-1"})
	if n := len(listIDs(t, e.raw("GET", "/v1/events", "", fwHeaders{"Stripe-Account": seller}))); n != 1 {
		t.Errorf("%d events after a replay", n)
	}

	// Retrieve: with the header; a 404 from another account.
	gp := &stripe.EventParams{}
	gp.SetStripeAccount(seller)
	got, err := e.sc.Events.Get(ev.ID, gp)
	if err != nil || got.ID != ev.ID {
		t.Fatalf("get: %v", err)
	}
	r = e.raw("GET", "/v1/events/"+ev.ID, "", nil)
	r.want(t, 404, "invalid_request_error", "resource_missing")
	if r.errField("message") != "No such event: '"+ev.ID+"'" {
		t.Errorf("message %q", r.errField("message"))
	}

	// A platform event has no `account` key; one raised without a request
	// has a request with null id and key.
	pid := e.emitAccountEvent("", "account.updated", nil)
	r = e.raw("GET", "/v1/events/"+pid, "", nil)
	if _, has := r.json["account"]; has || r.status != 200 {
		t.Errorf("platform event: %s", r.body)
	}
	if req := r.json["request"].(map[string]any); req["id"] != nil || req["idempotency_key"] != nil {
		t.Errorf("request %v", req)
	}
	if _, has := r.json["data"].(map[string]any)["previous_attributes"]; has {
		t.Error("previous_attributes present without previous")
	}
	// The snapshot is taken at emit time.
	var data struct{ Object struct{ Email string } }
	_ = json.Unmarshal(mustJSON(r.json["data"]), &data)
	e.change(func(s *Server) { s.touch(s.st.platform); s.st.platform.Email = nullString("changed@kasse.example") })
	r = e.raw("GET", "/v1/events/"+pid, "", nil)
	if !strings.Contains(string(r.body), data.Object.Email) || strings.Contains(string(r.body), "changed@") {
		t.Error("event data changed with the object")
	}
}

func TestEventsFilters(t *testing.T) {
	clock := &testClock{t: time.Unix(1_700_000_000, 0)}
	e := newEnv(t, Options{Now: clock.now})
	types := []string{"payment_intent.created", "payment_intent.succeeded", "charge.succeeded",
		"charge.refund.updated", "charge.refunded", "terminal.reader.action_succeeded"}
	ids := map[string]string{}
	for _, typ := range types {
		ids[typ] = e.emitAccountEvent("", typ, nil)
		clock.add(time.Minute)
	}
	q := func(s string) []string { return listIDs(t, e.raw("GET", "/v1/events", s, nil)) }
	want := func(name string, got []string, typs ...string) {
		t.Helper()
		var w []string
		for _, typ := range typs {
			w = append(w, ids[typ])
		}
		if strings.Join(got, ",") != strings.Join(w, ",") {
			t.Errorf("%s: got %v, want %v", name, got, typs)
		}
	}
	want("all, newest first", q(""), "terminal.reader.action_succeeded", "charge.refunded", "charge.refund.updated",
		"charge.succeeded", "payment_intent.succeeded", "payment_intent.created")
	want("exact", q("type=charge.refunded"), "charge.refunded")
	want("wildcard", q("type=payment_intent.%2A"), "payment_intent.succeeded", "payment_intent.created")
	want("wildcard spans dots", q("type=charge.*"), "charge.refunded", "charge.refund.updated", "charge.succeeded")
	want("leading wildcard", q("type=*.succeeded"), "charge.succeeded", "payment_intent.succeeded")
	want("no match", q("type=payout.*"))
	want("types[]", q("types[0]=charge.succeeded&types[1]=payment_intent.created"), "charge.succeeded", "payment_intent.created")
	t0 := int64(1_700_000_000)
	want("created[gte]", q("created[gte]="+strconv.FormatInt(t0+4*60, 10)), "terminal.reader.action_succeeded", "charge.refunded")
	want("created exact", q("created="+strconv.FormatInt(t0+60, 10)), "payment_intent.succeeded")
	want("created range", q(fmt.Sprintf("created[gt]=%d&created[lt]=%d", t0, t0+3*60)), "charge.succeeded", "payment_intent.succeeded")
	want("delivery_success=true", q("delivery_success=true&type=charge.succeeded"), "charge.succeeded")
	want("delivery_success=false", q("delivery_success=false"))

	// Refusals.
	e.raw("GET", "/v1/events", "type=a&types[0]=b", nil).want(t, 400, "invalid_request_error", "parameter_invalid")
	var many []string
	for i := 0; i < 21; i++ {
		many = append(many, fmt.Sprintf("types[%d]=t%d", i, i))
	}
	r := e.raw("GET", "/v1/events", strings.Join(many, "&"), nil)
	r.want(t, 400, "invalid_request_error", "parameter_invalid")
	if r.errField("param") != "types" {
		t.Errorf("param %q", r.errField("param"))
	}
	if n := len(q(strings.Join(many[:20], "&"))); n != 0 {
		t.Errorf("20 types: %d", n)
	}
	e.raw("GET", "/v1/events", "delivery_success=maybe", nil).want(t, 400, "invalid_request_error", "parameter_invalid")
	e.raw("GET", "/v1/events", "created[gt]=x", nil).want(t, 400, "invalid_request_error", "parameter_invalid_integer")

	// stripe-go's filters encode the same way.
	lp := &stripe.EventListParams{Type: stripe.String("payment_intent.*")}
	lp.CreatedRange = &stripe.RangeQueryParams{GreaterThan: t0}
	it := e.sc.Events.List(lp)
	var got []string
	for it.Next() {
		got = append(got, string(it.Event().Type))
	}
	if it.Err() != nil || strings.Join(got, ",") != "payment_intent.succeeded" {
		t.Errorf("stripe-go: %v %v", got, it.Err())
	}
	lp = &stripe.EventListParams{Types: stripe.StringSlice([]string{"charge.refunded", "charge.refund.updated"})}
	it = e.sc.Events.List(lp)
	got = nil
	for it.Next() {
		got = append(got, string(it.Event().Type))
	}
	if strings.Join(got, ",") != "charge.refunded,charge.refund.updated" {
		t.Errorf("stripe-go types: %v %v", got, it.Err())
	}

	// Pagination across events.
	r = e.raw("GET", "/v1/events", "limit=2", nil)
	if r.json["has_more"] != true || r.json["url"] != "/v1/events" {
		t.Errorf("limit=2: %s", r.body)
	}
	want("starting_after", q("limit=2&starting_after="+ids["charge.refund.updated"]), "charge.succeeded", "payment_intent.succeeded")
}

func TestEventsRetention(t *testing.T) {
	clock := &testClock{t: time.Unix(1_700_000_000, 0)}
	e := newEnv(t, Options{Now: clock.now})
	old := e.emitAccountEvent("", "charge.succeeded", nil)
	clock.add(29 * 24 * time.Hour)
	recent := e.emitAccountEvent("", "charge.refunded", nil)
	if ids := listIDs(t, e.raw("GET", "/v1/events", "", nil)); len(ids) != 2 {
		t.Fatalf("day 29: %v", ids)
	}
	clock.add(2 * 24 * time.Hour)
	if ids := listIDs(t, e.raw("GET", "/v1/events", "", nil)); len(ids) != 1 || ids[0] != recent {
		t.Errorf("day 31: %v", ids)
	}
	e.raw("GET", "/v1/events/"+old, "", nil).want(t, 404, "invalid_request_error", "resource_missing")
}

func TestGlobMatch(t *testing.T) {
	for _, c := range []struct {
		pattern, s string
		ok         bool
	}{
		{"a.b", "a.b", true}, {"a.b", "a.bc", false}, {"a.*", "a.b.c", true}, {"a.*", "a", false},
		{"*", "", true}, {"*.b", "x.b", true}, {"a*a", "a", false}, {"a*a", "aa", true}, {"*b*", "abc", true},
		{"a**b", "ab", true}, {"*x*y", "xay", true}, {"*x*y", "xya", false},
	} {
		if got := globMatch(c.pattern, c.s); got != c.ok {
			t.Errorf("globMatch(%q, %q) = %v", c.pattern, c.s, got)
		}
	}
}

// Events of a real call land on the account the call acted as, carrying
// the request's id and idempotency key.
func TestEventsFromPaymentIntentCreate(t *testing.T) {
	e := newEnv(t, Options{Seed: "demo"})
	lumen := demoAccounts(t, e)["Lumen Coffee Roasters"].ID
	p := &stripe.PaymentIntentParams{Amount: stripe.Int64(450), Currency: stripe.String("usd"),
		PaymentMethodTypes: stripe.StringSlice([]string{"card_present"}), CaptureMethod: stripe.String("manual")}
	p.SetStripeAccount(lumen)
	p.SetIdempotencyKey("sale-17-create")
	pi, err := e.sc.PaymentIntents.New(p)
	if err != nil {
		t.Fatal(err)
	}
	lp := &stripe.EventListParams{Type: stripe.String("payment_intent.created")}
	lp.SetStripeAccount(lumen)
	it := e.sc.Events.List(lp)
	if !it.Next() {
		t.Fatalf("no payment_intent.created on the seller: %v", it.Err())
	}
	ev := it.Event()
	if ev.Account != lumen || ev.Data.Object["id"] != pi.ID || ev.Request.ID != pi.LastResponse.RequestID ||
		ev.Request.IdempotencyKey != "sale-17-create" {
		t.Errorf("event %+v request %+v", ev, ev.Request)
	}
	if ids := listIDs(t, e.raw("GET", "/v1/events", "type=payment_intent.created", nil)); len(ids) != 0 {
		t.Errorf("platform lists the seller's events: %v", ids)
	}
}
