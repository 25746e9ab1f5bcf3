package sandbox

import (
	"net/http"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v76"
)

func TestFrameworkFaultAnswers(t *testing.T) {
	for _, c := range []struct {
		kind        FaultKind
		status      int
		typ, code   string
		ShouldRetry string
		executed    int64
	}{
		{Fault500, 500, "api_error", "", "", 0},
		{Fault503, 503, "api_error", "", "true", 0},
		{FaultLockTimeout, 429, "invalid_request_error", "lock_timeout", "", 0},
		{FaultRateLimit, 429, "invalid_request_error", "rate_limit", "false", 0},
		{FaultReaderOffline, 400, "invalid_request_error", "terminal_reader_offline", "", 0},
		{FaultReaderTimeout, 400, "invalid_request_error", "terminal_reader_timeout", "", 0},
		{FaultReaderTimeoutApplied, 400, "invalid_request_error", "terminal_reader_timeout", "", 1},
	} {
		t.Run(string(c.kind), func(t *testing.T) {
			e := newEnv(t, Options{})
			p := e.addProbe()
			e.srv.SetFaults([]Fault{{Kind: c.kind, Method: "POST", Route: probeRoute, Times: 1}})
			h := fwHeaders{"Idempotency-Key": "k"}
			r := e.raw("POST", "/v1/test_only/probe/a", "", h)
			r.want(t, c.status, c.typ, c.code)
			if got := r.header.Get("Stripe-Should-Retry"); got != c.ShouldRetry {
				t.Errorf("Stripe-Should-Retry %q, want %q", got, c.ShouldRetry)
			}
			if p.calls.Load() != c.executed {
				t.Errorf("executed %d times, want %d", p.calls.Load(), c.executed)
			}
			// None of these answers is stored under the key: the retry
			// (the fault fired once) executes the call.
			r2 := e.raw("POST", "/v1/test_only/probe/a", "", h)
			if r2.status != 200 || r2.header.Get("Idempotent-Replayed") != "" || p.calls.Load() != c.executed+1 {
				t.Errorf("retry: %d replayed=%q calls=%d", r2.status, r2.header.Get("Idempotent-Replayed"), p.calls.Load())
			}
			if got := e.srv.FaultsFired(); len(got) != 1 || got[0] != 1 {
				t.Errorf("FaultsFired %v", got)
			}
		})
	}
}

func TestFrameworkFaultDrop(t *testing.T) {
	e := newEnv(t, Options{})
	p := e.addProbe()
	e.srv.SetFaults([]Fault{{Kind: FaultDrop, Route: probeRoute, Times: 1}})
	req, _ := http.NewRequest("POST", e.url+"/v1/test_only/probe/a", nil)
	req.Header.Set("Authorization", "Bearer "+testAPIKey)
	req.Header.Set("Idempotency-Key", "k-drop")
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("want a network error, got status %d", resp.StatusCode)
	}
	if p.calls.Load() != 1 {
		t.Fatalf("the dropped call executed %d times, want 1", p.calls.Load())
	}
	r := e.raw("POST", "/v1/test_only/probe/a", "", fwHeaders{"Idempotency-Key": "k-drop"})
	if r.status != 200 || r.header.Get("Idempotent-Replayed") != "true" || p.calls.Load() != 1 {
		t.Errorf("retry after drop: %d %q calls=%d", r.status, r.header.Get("Idempotent-Replayed"), p.calls.Load())
	}
}

// stripe-go's retry rules meet the sandbox's retry signals.
func TestFrameworkFaultsWithStripeGoRetries(t *testing.T) {
	locParams := func(key string) *stripe.TerminalLocationParams {
		p := &stripe.TerminalLocationParams{DisplayName: stripe.String("Bäckerei Sonnenkorn"),
			Address: &stripe.AddressParams{Line1: stripe.String("Bergmannstraße 12"), City: stripe.String("Berlin"),
				PostalCode: stripe.String("10961"), Country: stripe.String("DE")}}
		p.SetIdempotencyKey(key)
		return p
	}
	for _, c := range []struct {
		kind    FaultKind
		retried bool
		status  int
		code    string
	}{
		{Fault503, true, 503, ""},
		{FaultLockTimeout, true, 429, "lock_timeout"},
		{FaultRateLimit, false, 429, "rate_limit"},
		{Fault500, false, 500, ""}, // POST 500s are not retried
	} {
		t.Run(string(c.kind), func(t *testing.T) {
			e := newEnv(t, Options{})
			e.srv.SetFaults([]Fault{{Kind: c.kind, Method: "POST", Route: "/v1/terminal/locations", Times: 1}})
			sc := newClient(e.url, wrapTransport(t, http.DefaultTransport), 1)
			l, err := sc.TerminalLocations.New(locParams("k-" + string(c.kind)))
			if c.retried {
				if err != nil {
					t.Fatalf("stripe-go should have retried: %v", err)
				}
				if l.DisplayName != "Bäckerei Sonnenkorn" {
					t.Errorf("location %+v", l)
				}
				return
			}
			se := stripeErr(t, err)
			if se.HTTPStatusCode != c.status || string(se.Code) != c.code {
				t.Errorf("got %d %q", se.HTTPStatusCode, se.Code)
			}
			if n := len(listIDs(t, e.raw("GET", "/v1/terminal/locations", "", nil))); n != 0 {
				t.Errorf("%d locations exist after a fault that does not execute", n)
			}
		})
	}
}

func TestFrameworkFaultLatencyRateAndTimes(t *testing.T) {
	e := newEnv(t, Options{FaultSeed: 7})
	p := e.addProbe()
	e.srv.SetFaults([]Fault{
		{Kind: FaultLatency, Method: "GET", Route: "/v1/account", Latency: 120 * time.Millisecond, Times: 1},
		{Kind: Fault500, Route: probeRoute, Rate: 0.5},
	})
	start := time.Now()
	e.raw("GET", "/v1/account", "", nil)
	if d := time.Since(start); d < 120*time.Millisecond {
		t.Errorf("latency fault: answered in %v", d)
	}
	start = time.Now()
	e.raw("GET", "/v1/account", "", nil)
	if d := time.Since(start); d > 100*time.Millisecond {
		t.Errorf("latency fault fired past Times: %v", d)
	}
	fails := 0
	for i := 0; i < 40; i++ {
		if r := e.raw("POST", "/v1/test_only/probe/a", "", nil); r.status == 500 {
			fails++
		}
	}
	if fails == 0 || fails == 40 || int64(40-fails) != p.calls.Load() {
		t.Errorf("rate 0.5: %d of 40 failed, %d executed", fails, p.calls.Load())
	}
	if got := e.srv.FaultsFired(); got[0] != 1 || got[1] != fails {
		t.Errorf("FaultsFired %v", got)
	}
}

// The reader kinds on a real reader command of the demo's platform reader:
// the applied timeout changed the reader, the plain one and offline did not.
func TestFrameworkFaultReaderKinds(t *testing.T) {
	for _, c := range []struct {
		kind    FaultKind
		code    string
		applied bool
	}{
		{FaultReaderOffline, "terminal_reader_offline", false},
		{FaultReaderTimeout, "terminal_reader_timeout", false},
		{FaultReaderTimeoutApplied, "terminal_reader_timeout", true},
	} {
		t.Run(string(c.kind), func(t *testing.T) {
			e := newEnv(t, Options{Seed: "demo"})
			it := e.sc.TerminalReaders.List(&stripe.TerminalReaderListParams{})
			if !it.Next() {
				t.Fatalf("no demo reader: %v", it.Err())
			}
			rd := it.TerminalReader()
			e.srv.SetFaults([]Fault{{Kind: c.kind, Method: "POST", Route: "/v1/terminal/readers/{id}/set_reader_display", Times: 1}})
			p := &stripe.TerminalReaderSetReaderDisplayParams{Type: stripe.String("cart"),
				Cart: &stripe.TerminalReaderSetReaderDisplayCartParams{Currency: stripe.String("usd"), Total: stripe.Int64(450),
					LineItems: []*stripe.TerminalReaderSetReaderDisplayCartLineItemParams{
						{Amount: stripe.Int64(450), Description: stripe.String("Flat white"), Quantity: stripe.Int64(1)}}}}
			_, err := e.sc.TerminalReaders.SetReaderDisplay(rd.ID, p)
			se := stripeErr(t, err)
			if se.HTTPStatusCode != 400 || string(se.Code) != c.code {
				t.Fatalf("got %d %s", se.HTTPStatusCode, se.Code)
			}
			got, err := e.sc.TerminalReaders.Get(rd.ID, nil)
			if err != nil {
				t.Fatal(err)
			}
			if applied := got.Action != nil && got.Action.Type == "set_reader_display"; applied != c.applied {
				t.Errorf("action after %s: %+v", c.kind, got.Action)
			}
		})
	}
}
