package conformance

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	stripe "github.com/stripe/stripe-go/v76"
)

func newTransport(t *testing.T, opts ...Option) *Transport {
	t.Helper()
	tr, err := NewTransport(http.DefaultTransport, opts...)
	if err != nil {
		t.Fatalf("NewTransport: %v", err)
	}
	return tr
}

// fakeSandbox serves h as the emulator under test.
func fakeSandbox(t *testing.T, h http.HandlerFunc) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

// serveJSON answers with a fixed status and body.
func serveJSON(status int, body []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		w.Write(body)
	}
}

func wantFindings(t *testing.T, got []Finding, inv Invariant, n int, substr string) {
	t.Helper()
	if len(got) != n {
		t.Fatalf("%d findings, want %d: %v", len(got), n, got)
	}
	for _, f := range got {
		if f.Invariant != inv || !strings.Contains(f.String(), substr) {
			t.Errorf("finding %q: want invariant %s mentioning %q", f, inv, substr)
		}
	}
}

// With stripe-mock as both oracle and "sandbox", the console's calls raise no
// findings, and every one is reported to the recorder (here: the test).
func TestTransportCleanFlow(t *testing.T) {
	tr := newTransport(t, WithRecorder(t))
	sc := newStripeClient(mockURL(t), testKey, tr)
	for _, c := range sampleCalls {
		if err := c.call(sc); err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	if f := tr.Findings(); len(f) != 0 {
		t.Errorf("findings on stripe-mock's own answers: %v", f)
	}
}

// (d) malformed requests are (Q) findings; stripe-mock's error answers are
// valid error bodies, so there is no (R) finding.
func TestTransportRequestFindings(t *testing.T) {
	tr := newTransport(t)
	sc := newStripeClient(mockURL(t), testKey, tr)

	p := &stripe.PaymentIntentParams{Params: params("pi-oops"), Amount: stripe.Int64(1250), Currency: stripe.String("usd")}
	p.AddExtra("oops", "1")
	if _, err := sc.PaymentIntents.New(p); err == nil {
		t.Error("stripe-mock accepted an unknown param")
	}
	wantFindings(t, tr.Findings(), InvariantRequest, 1, "unknown top-level params: oops")
	if f := tr.Findings()[0]; f.Status != 400 || f.Method != "POST" || f.Path != "/v1/payment_intents" {
		t.Errorf("finding = %+v, want 400 POST /v1/payment_intents", f)
	}

	tr.Reset()
	_, err := sc.TerminalReaders.SetReaderDisplay("tmr_1", &stripe.TerminalReaderSetReaderDisplayParams{
		Params: params("srd-1"),
		Type:   stripe.String("cart"),
		Cart:   &stripe.TerminalReaderSetReaderDisplayCartParams{Currency: stripe.String("usd"), Total: stripe.Int64(1250)},
	})
	if err == nil {
		t.Error("stripe-mock accepted a cart without line_items")
	}
	wantFindings(t, tr.Findings(), InvariantRequest, 1, "line_items")
}

// The skip header suppresses (Q) only, is stripped before forwarding, and the
// sandbox still receives the request unchanged.
func TestTransportSkipRequest(t *testing.T) {
	var mu sync.Mutex
	var gotHeader, gotBody string
	sandbox := fakeSandbox(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		gotHeader, gotBody = r.Header.Get(ControlHeader), string(b)
		mu.Unlock()
		serveJSON(400, []byte(`{"error":{"type":"invalid_request_error","message":"Received unknown parameter: oops","param":"oops","extra":1}}`))(w, r)
	})
	tr := newTransport(t)
	sc := newStripeClient(sandbox, testKey, tr)
	p := &stripe.PaymentIntentParams{Params: params("pi-skip"), Amount: stripe.Int64(1250), Currency: stripe.String("usd")}
	p.AddExtra("oops", "1")
	p.Headers = http.Header{ControlHeader: {SkipRequest}}
	sc.PaymentIntents.New(p)

	mu.Lock()
	defer mu.Unlock()
	if gotHeader != "" {
		t.Errorf("sandbox received %s: %q", ControlHeader, gotHeader)
	}
	if !strings.Contains(gotBody, "amount=1250") || !strings.Contains(gotBody, "oops=1") {
		t.Errorf("sandbox received body %q", gotBody)
	}
	// Only (R): the error body has an extra field.
	wantFindings(t, tr.Findings(), InvariantResponse, 1, "'extra' not allowed")
}

// (R) findings: schema violations, a dropped nullable key and a wrong content
// type, judged on the Stripe path even when the base URL has a prefix.
func TestTransportResponseFindings(t *testing.T) {
	good := decode(t, stripeMockSamples(t)["terminal.readers.get"].body)
	extra := decode(t, encode(t, good))
	extra["registration_code"] = "simulated-wpe"
	noAction := decode(t, encode(t, good))
	delete(noAction, "action")

	cases := []struct {
		name    string
		handler http.HandlerFunc
		want    string
	}{
		{"extra field", serveJSON(200, encode(t, extra)), "'registration_code' not allowed"},
		{"dropped nullable key", serveJSON(200, encode(t, noAction)), "fixture has: action"},
		{"content type", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			w.Write(encode(t, good))
		}, `Content-Type is "text/plain"`},
		{"error with bogus type", serveJSON(404, []byte(`{"error":{"type":"bogus","message":"No such reader"}}`)), "at '/error/type'"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sandbox := fakeSandbox(t, func(w http.ResponseWriter, r *http.Request) {
				if !strings.HasPrefix(r.URL.Path, "/stripe/v1/") {
					http.NotFound(w, r)
					return
				}
				c.handler(w, r)
			})
			var recorded []string
			tr := newTransport(t, WithRecorder(recorderFunc(func(format string, args ...any) {
				recorded = append(recorded, fmt.Sprintf(format, args...))
			})))
			sc := newStripeClient(sandbox+"/stripe", testKey, tr)
			p := &stripe.TerminalReaderParams{}
			p.SetStripeAccount(testAccount)
			sc.TerminalReaders.Get("tmr_123", p)

			wantFindings(t, tr.Findings(), InvariantResponse, 1, c.want)
			if f := tr.Findings()[0]; f.Path != "/v1/terminal/readers/tmr_123" {
				t.Errorf("finding path %q", f.Path)
			}
			if len(recorded) != 1 || recorded[0] != tr.Findings()[0].String() {
				t.Errorf("recorder got %q", recorded)
			}
		})
	}
}

// (e) the API key never appears in findings, although stripe-mock's 401
// message quotes the Authorization header.
func TestTransportRedactsSecrets(t *testing.T) {
	const key = "sk_test_Kasse_Secret_42" // four parts: stripe-mock rejects it
	sandbox := fakeSandbox(t, serveJSON(401, []byte(`{"error":{"type":"invalid_request_error","message":"Invalid API Key provided: `+key+`","leak":"`+key+`"}}`)))
	var recorded []string
	tr := newTransport(t, WithRecorder(recorderFunc(func(format string, args ...any) {
		recorded = append(recorded, fmt.Sprintf(format, args...))
	})))
	newStripeClient(sandbox, key, tr).TerminalReaders.Get("tmr_123", nil)

	got := tr.Findings()
	if len(got) != 2 || got[0].Invariant != InvariantRequest || got[0].Status != 401 {
		t.Fatalf("findings = %v, want a 401 (Q) finding and an (R) one", got)
	}
	if !strings.Contains(got[0].Detail, "Authorization was '"+redacted+"'") {
		t.Errorf("(Q) finding lost stripe-mock's message: %q", got[0].Detail)
	}
	for _, s := range append(recorded, fmt.Sprint(got)) {
		if strings.Contains(s, key) || strings.Contains(s, "Secret_42") {
			t.Errorf("secret leaked: %q", s)
		}
	}
}

func TestRedact(t *testing.T) {
	h := http.Header{"Authorization": {"Basic c2tfbGl2ZV9hYmNkZWZnaGk6"}} // the Basic form of a fake live key
	s := redact("auth=Basic c2tfbGl2ZV9hYmNkZWZnaGk6 key=sk_live_"+"abcdefghi rk_test_x_y "+
		"cs=pi_1_secret_Zz9 pk=pk_test_abc", secretsOf(h))
	for _, leak := range []string{"c2tf", "abcdefghi", "rk_test", "Zz9", "pk_test_abc"} {
		if strings.Contains(s, leak) {
			t.Errorf("redact left %q in %q", leak, s)
		}
	}
	if !strings.Contains(s, "cs=pi_1_secret_"+redacted) {
		t.Errorf("redact mangled the client secret's id: %q", s)
	}
}

// Findings are collected safely from concurrent requests (run with -race).
func TestTransportConcurrent(t *testing.T) {
	good := decode(t, stripeMockSamples(t)["terminal.readers.get"].body)
	good["registration_code"] = "x"
	tr := newTransport(t)
	sc := newStripeClient(fakeSandbox(t, serveJSON(200, encode(t, good))), testKey, tr)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			p := &stripe.TerminalReaderParams{}
			p.SetStripeAccount(testAccount)
			sc.TerminalReaders.Get(fmt.Sprintf("tmr_%d", i), p)
		})
	}
	wg.Wait()
	wantFindings(t, tr.Findings(), InvariantResponse, 8, "registration_code")
	var paths []string
	for _, f := range tr.Findings() {
		paths = append(paths, f.Path)
	}
	if b, _ := json.Marshal(paths); !strings.Contains(string(b), "tmr_7") {
		t.Errorf("paths %s", b)
	}
}
