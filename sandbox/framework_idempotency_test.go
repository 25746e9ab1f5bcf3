package sandbox

import (
	"errors"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"kasse/sandbox/internal/apierr"
	"kasse/sandbox/internal/form"

	"github.com/stripe/stripe-go/v76"
)

// probeRoute is a test-only POST route: it counts executions and answers
// what answer returns (default: an account object, so bodies stay
// spec-shaped). The spec has no such path, so responses are not validated.
const probeRoute = "/v1/test_only/probe/{id}"

type probe struct {
	calls  atomic.Int64
	mu     sync.Mutex
	answer func(s *Server, rq *request) (any, *apierr.Error)
}

func (e *env) addProbe() *probe {
	p := &probe{}
	e.srv.addRoute(&route{method: http.MethodPost, path: probeRoute, h: func(s *Server, rq *request) (any, *apierr.Error) {
		p.calls.Add(1)
		p.mu.Lock()
		f := p.answer
		p.mu.Unlock()
		if f != nil {
			return f(s, rq)
		}
		return map[string]any{"id": rq.ID, "object": "probe", "n": p.calls.Load(), "params": rq.Params.Canonical()}, nil
	}})
	return p
}

func (p *probe) set(f func(s *Server, rq *request) (any, *apierr.Error)) {
	p.mu.Lock()
	p.answer = f
	p.mu.Unlock()
}

const idemMismatch = "Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than 'k-1' if you meant to execute a different request."

func TestFrameworkIdempotencyReplay(t *testing.T) {
	e := newEnv(t, Options{})
	p := e.addProbe()
	h := fwHeaders{"Idempotency-Key": "k-1"}
	first := e.raw("POST", "/v1/test_only/probe/a", "amount=100&metadata[x]=1", h)
	second := e.raw("POST", "/v1/test_only/probe/a", "metadata[x]=1&amount=100", h) // same params, other order
	if first.status != 200 || second.status != 200 || string(first.body) != string(second.body) {
		t.Fatalf("replay differs:\n%s\n%s", first.body, second.body)
	}
	if p.calls.Load() != 1 {
		t.Errorf("executed %d times, want 1", p.calls.Load())
	}
	if first.header.Get("Idempotent-Replayed") != "" || second.header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("Idempotent-Replayed: first %q second %q", first.header.Get("Idempotent-Replayed"), second.header.Get("Idempotent-Replayed"))
	}
	if second.header.Get("Idempotency-Key") != "k-1" {
		t.Errorf("Idempotency-Key not echoed: %q", second.header.Get("Idempotency-Key"))
	}
	if first.header.Get("Request-Id") == second.header.Get("Request-Id") {
		t.Error("replay reused the Request-Id")
	}

	// Same key, different parameters (or path): 400 idempotency_error.
	for _, c := range []struct{ path, form string }{
		{"/v1/test_only/probe/a", "amount=200&metadata[x]=1"},
		{"/v1/test_only/probe/a", "amount=100&metadata[x]=1&metadata[y]=2"},
		{"/v1/test_only/probe/b", "amount=100&metadata[x]=1"},
		{"/v1/test_only/probe/a", "amount=100&metadata[x]=1%262"}, // escaped: not the same form
	} {
		r := e.raw("POST", c.path, c.form, h)
		r.want(t, 400, "idempotency_error", "")
		if r.errField("message") != idemMismatch {
			t.Errorf("message %q", r.errField("message"))
		}
	}
	if p.calls.Load() != 1 {
		t.Errorf("executed %d times, want 1", p.calls.Load())
	}

	// GET and DELETE ignore keys.
	a := e.raw("GET", "/v1/account", "", h)
	b := e.raw("GET", "/v1/account", "", h)
	if a.status != 200 || b.header.Get("Idempotent-Replayed") != "" {
		t.Errorf("GET replayed: %d %q", a.status, b.header.Get("Idempotent-Replayed"))
	}
}

func TestFrameworkIdempotencyStoresExecutedErrors(t *testing.T) {
	e := newEnv(t, Options{})
	p := e.addProbe()
	p.set(func(*Server, *request) (any, *apierr.Error) { return nil, apierr.Internal("boom") })
	h := fwHeaders{"Idempotency-Key": "k-500"}
	first := e.raw("POST", "/v1/test_only/probe/a", "", h)
	p.set(nil) // the handler would now succeed, but the 500 is stored
	second := e.raw("POST", "/v1/test_only/probe/a", "", h)
	if first.status != 500 || second.status != 500 || string(first.body) != string(second.body) || second.header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("500 not replayed: %d %d %q", first.status, second.status, second.header.Get("Idempotent-Replayed"))
	}
	if p.calls.Load() != 1 {
		t.Errorf("executed %d times", p.calls.Load())
	}
}

func TestFrameworkIdempotencyValidationErrorsNotStored(t *testing.T) {
	e := newEnv(t, Options{})
	p := e.addProbe()
	p.set(func(_ *Server, rq *request) (any, *apierr.Error) {
		if !rq.Params.Has("amount") {
			return nil, apierr.MissingParam("amount")
		}
		return map[string]any{"id": "x", "amount": rq.Params.Child("amount").Value()}, nil
	})
	h := fwHeaders{"Idempotency-Key": "k-fix"}
	e.raw("POST", "/v1/test_only/probe/a", "currency=usd", h).want(t, 400, "invalid_request_error", "parameter_missing")
	// The corrected call with the same key executes (the failed one was
	// forgotten, its fingerprint with it).
	r := e.raw("POST", "/v1/test_only/probe/a", "currency=usd&amount=5", h)
	if r.status != 200 || r.header.Get("Idempotent-Replayed") != "" || r.json["amount"] != "5" {
		t.Fatalf("corrected retry: %d %q %s", r.status, r.header.Get("Idempotent-Replayed"), r.body)
	}
	// Unknown parameters and an unknown account are refused before
	// execution: not stored either.
	loc := "display_name=A&address[line1]=1+Main+St&address[city]=Portland&address[state]=OR&address[postal_code]=97201&address[country]=US"
	ku := fwHeaders{"Idempotency-Key": "k-unknown"}
	e.raw("POST", "/v1/terminal/locations", loc+"&bogus=1", ku).want(t, 400, "invalid_request_error", "parameter_unknown")
	if r := e.raw("POST", "/v1/terminal/locations", loc, ku); r.status != 200 || r.header.Get("Idempotent-Replayed") != "" {
		t.Errorf("corrected location: %d %s", r.status, r.body)
	}
	if p.calls.Load() != 2 {
		t.Errorf("executed %d times, want 2", p.calls.Load())
	}
}

func TestFrameworkIdempotencyConcurrent409(t *testing.T) {
	e := newEnv(t, Options{})
	p := e.addProbe()
	e.srv.SetFaults([]Fault{{Kind: FaultLatency, Method: "POST", Route: probeRoute, Latency: 400 * time.Millisecond, Times: 1}})
	h := fwHeaders{"Idempotency-Key": "k-busy"}
	done := make(chan *rawResp)
	go func() { done <- e.raw("POST", "/v1/test_only/probe/a", "amount=1", h) }()
	time.Sleep(150 * time.Millisecond)
	r := e.raw("POST", "/v1/test_only/probe/a", "amount=1", h)
	r.want(t, http.StatusConflict, "invalid_request_error", "idempotency_key_in_use")
	if !strings.HasPrefix(r.errField("message"), "The idempotency key provided is currently being used in another request.") {
		t.Errorf("message %q", r.errField("message"))
	}
	first := <-done
	if first.status != 200 {
		t.Fatalf("first: %d %s", first.status, first.body)
	}
	// Once the first finished, the same key replays it.
	again := e.raw("POST", "/v1/test_only/probe/a", "amount=1", h)
	if string(again.body) != string(first.body) || again.header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("after 409: %s", again.body)
	}
	if p.calls.Load() != 1 {
		t.Errorf("executed %d times", p.calls.Load())
	}
}

func TestFrameworkIdempotencyConcurrentStripeGo(t *testing.T) {
	e := newEnv(t, Options{})
	e.srv.SetFaults([]Fault{{Kind: FaultLatency, Method: "POST", Route: "/v1/terminal/locations", Latency: 400 * time.Millisecond, Times: 1}})
	params := func() *stripe.TerminalLocationParams {
		p := &stripe.TerminalLocationParams{DisplayName: stripe.String("Lumen Coffee Roasters"),
			Address: &stripe.AddressParams{Line1: stripe.String("2140 NW Kearney St"), City: stripe.String("Portland"),
				State: stripe.String("OR"), PostalCode: stripe.String("97210"), Country: stripe.String("US")}}
		p.SetIdempotencyKey("loc-create-1")
		return p
	}
	type res struct {
		loc *stripe.TerminalLocation
		err error
	}
	done := make(chan res)
	go func() {
		l, err := e.sc.TerminalLocations.New(params())
		done <- res{l, err}
	}()
	time.Sleep(150 * time.Millisecond)
	_, err := e.sc.TerminalLocations.New(params()) // retries off: the 409 surfaces
	se := stripeErr(t, err)
	if se.HTTPStatusCode != 409 || se.Code != stripe.ErrorCodeIdempotencyKeyInUse {
		t.Errorf("concurrent: %d %s", se.HTTPStatusCode, se.Code)
	}
	first := <-done
	if first.err != nil {
		t.Fatal(first.err)
	}
	again, err := e.sc.TerminalLocations.New(params())
	if err != nil || again.ID != first.loc.ID || again.LastResponse.Header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("replay: %v %v", again, err)
	}
}

func TestFrameworkIdempotencyScopedPerAccount(t *testing.T) {
	e := newEnv(t, Options{})
	seller := e.addSeller("Lumen Coffee Roasters", "US", "usd")
	ids := map[string]bool{}
	for _, acct := range []string{"", seller, ""} {
		p := &stripe.TerminalLocationParams{DisplayName: stripe.String("Front"),
			Address: &stripe.AddressParams{Line1: stripe.String("1 Main St"), City: stripe.String("Portland"),
				State: stripe.String("OR"), PostalCode: stripe.String("97201"), Country: stripe.String("US")}}
		p.SetIdempotencyKey("same-key")
		if acct != "" {
			p.SetStripeAccount(acct)
		}
		l, err := e.sc.TerminalLocations.New(p)
		if err != nil {
			t.Fatal(err)
		}
		ids[l.ID] = true
	}
	if len(ids) != 2 {
		t.Errorf("same key under two accounts gave %d objects, want 2", len(ids))
	}
}

func TestFrameworkIdempotencyDropThenReplay(t *testing.T) {
	e := newEnv(t, Options{})
	e.srv.SetFaults([]Fault{{Kind: FaultDrop, Method: "POST", Route: "/v1/terminal/locations", Times: 1}})
	p := &stripe.TerminalLocationParams{DisplayName: stripe.String("Northwind Bikes"),
		Address: &stripe.AddressParams{Line1: stripe.String("1200 Pearl St"), City: stripe.String("Boulder"),
			State: stripe.String("CO"), PostalCode: stripe.String("80302"), Country: stripe.String("US")}}
	p.SetIdempotencyKey("drop-1")
	_, err := e.sc.TerminalLocations.New(p)
	var se *stripe.Error
	if err == nil || errors.As(err, &se) {
		t.Fatalf("want a network error, got %v", err)
	}
	// The call took effect although no answer came.
	it := e.sc.TerminalLocations.List(&stripe.TerminalLocationListParams{})
	var created []string
	for it.Next() {
		created = append(created, it.TerminalLocation().ID)
	}
	if it.Err() != nil || len(created) != 1 {
		t.Fatalf("locations after drop: %v %v", created, it.Err())
	}
	l, err := e.sc.TerminalLocations.New(p)
	if err != nil || l.ID != created[0] || l.LastResponse.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("retry: %v %v", l, err)
	}
}

// A handler that panics (a bug) fails its call and leaves the sandbox
// working: the lock is free, no change is left running, the key is free.
func TestFrameworkPanicDoesNotWedge(t *testing.T) {
	e := newEnv(t, Options{})
	p := e.addProbe()
	p.set(func(s *Server, rq *request) (any, *apierr.Error) { panic("boom") })
	req, _ := http.NewRequest(http.MethodPost, e.url+"/v1/test_only/probe/x", strings.NewReader(""))
	req.Header.Set("Authorization", "Bearer "+testAPIKey)
	req.Header.Set("Idempotency-Key", "panic-1")
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("a panicking call answered %d", resp.StatusCode)
	}
	p.set(nil)
	if r := e.raw(http.MethodPost, "/v1/test_only/probe/x", "", fwHeaders{"Idempotency-Key": "panic-1"}); r.status != 200 {
		t.Fatalf("after the panic: %d %s", r.status, r.body)
	}
	e.tLocation("", "Still works")
}

// TestFrameworkIdempotencyFingerprintIsStable: the fingerprint of a call
// is kept with its key in the state file, so its computation never
// changes (a retry after a restart must still match). The value was
// computed by the first implementation.
func TestFrameworkIdempotencyFingerprintIsStable(t *testing.T) {
	p, err := form.Parse("amount=1250&currency=usd&payment_method_types[0]=card_present&metadata[kasse_sale]=S+1%2F2&metadata[n%C3%A4me]=%C3%A4&description=a%26b+c")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := fingerprint(&request{Method: "POST", Path: "/v1/payment_intents", Params: p}), "e9d58859260af2d31b1d3c1a84ec957c"; got != want {
		t.Errorf("fingerprint %s, want %s", got, want)
	}
}
