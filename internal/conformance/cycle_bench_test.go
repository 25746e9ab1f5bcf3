package conformance

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	stripe "github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/client"

	"kasse/sandbox"
)

// The foundation issue's throughput figure: one sale's Stripe round trip —
// create a card_present PaymentIntent on a connected seller, hand it to a
// platform reader (process_payment_intent), present the test card, read
// the intent — through stripe-go v76 in one process, against the sandbox
// and, for scale, against stripe-mock v0.183.0 (stateless: it answers the
// same four requests from fixtures). Both report ns/op per cycle and req/s
// (four requests per cycle). Keep-alive connections, retries off.
//
//	go test ./internal/conformance -run '^$' -bench Cycle

const cycleRequests = 4

// BenchmarkSandboxCycle: the sandbox settles the presented card at once,
// so every cycle ends with the intent succeeded (checked).
func BenchmarkSandboxCycle(b *testing.B) {
	srv, err := sandbox.New(sandbox.Options{Seed: "demo"})
	if err != nil {
		b.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	sc := newStripeClient(ts.URL, testKey, http.DefaultTransport)
	seller, reader := demoLumen(b, sc)
	runCycles(b, sc, seller, reader, true)
}

// BenchmarkSandboxCycleStateFile is BenchmarkSandboxCycle with the state
// persisted (as the embedded sandbox does): every change is appended to
// the state file before it is answered.
func BenchmarkSandboxCycleStateFile(b *testing.B) {
	srv, err := sandbox.New(sandbox.Options{Seed: "demo", StateFile: filepath.Join(b.TempDir(), "state.json")})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	ts := httptest.NewServer(srv)
	defer ts.Close()
	sc := newStripeClient(ts.URL, testKey, http.DefaultTransport)
	seller, reader := demoLumen(b, sc)
	runCycles(b, sc, seller, reader, true)
}

// BenchmarkStripeMockCycle: stripe-mock answers from fixtures (the ids do
// not need to exist). Its unconditional per-request Printf output goes to
// /dev/null while it runs (the cost of formatting it is still measured).
func BenchmarkStripeMockCycle(b *testing.B) {
	devnull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		b.Fatal(err)
	}
	defer devnull.Close()
	stdout := os.Stdout
	os.Stdout = devnull // before the server's goroutines exist; restored after Close
	defer func() { os.Stdout = stdout }()
	h, err := NewStripeMockHandler()
	if err != nil {
		b.Fatal(err)
	}
	ts := httptest.NewServer(h)
	defer ts.Close()
	sc := newStripeClient(ts.URL, testKey, http.DefaultTransport)
	runCycles(b, sc, "acct_1KasseBenchSeller", "tmr_KasseBenchReader", false)
}

func runCycles(b *testing.B, sc *client.API, seller, reader string, wantSucceeded bool) {
	b.ReportAllocs()
	for b.Loop() {
		pi, err := sc.PaymentIntents.New(&stripe.PaymentIntentParams{
			Params:             stripe.Params{StripeAccount: stripe.String(seller)},
			Amount:             stripe.Int64(1250),
			Currency:           stripe.String("usd"),
			PaymentMethodTypes: stripe.StringSlice([]string{"card_present"}),
			CaptureMethod:      stripe.String("automatic"),
		})
		if err != nil {
			b.Fatalf("create: %v", err)
		}
		if _, err := sc.TerminalReaders.ProcessPaymentIntent(reader, &stripe.TerminalReaderProcessPaymentIntentParams{
			PaymentIntent: stripe.String(pi.ID),
		}); err != nil {
			b.Fatalf("process: %v", err)
		}
		if _, err := sc.TestHelpersTerminalReaders.PresentPaymentMethod(reader, &stripe.TestHelpersTerminalReaderPresentPaymentMethodParams{
			Type:        stripe.String("card_present"),
			CardPresent: &stripe.TestHelpersTerminalReaderPresentPaymentMethodCardPresentParams{Number: stripe.String("4242424242424242")},
		}); err != nil {
			b.Fatalf("present: %v", err)
		}
		got, err := sc.PaymentIntents.Get(pi.ID, &stripe.PaymentIntentParams{Params: stripe.Params{StripeAccount: stripe.String(seller)}})
		if err != nil {
			b.Fatalf("get: %v", err)
		}
		if wantSucceeded && got.Status != stripe.PaymentIntentStatusSucceeded {
			b.Fatalf("intent %s is %s after the card, want succeeded", got.ID, got.Status)
		}
	}
	b.ReportMetric(float64(cycleRequests*b.N)/b.Elapsed().Seconds(), "req/s")
}

// demoLumen finds the demo seed's Lumen Coffee Roasters and the platform
// reader at its location.
func demoLumen(b *testing.B, sc *client.API) (seller, reader string) {
	b.Helper()
	const name = "Lumen Coffee Roasters"
	accts := sc.Accounts.List(&stripe.AccountListParams{})
	for accts.Next() {
		if a := accts.Account(); a.BusinessProfile != nil && a.BusinessProfile.Name == name {
			seller = a.ID
		}
	}
	if err := accts.Err(); err != nil {
		b.Fatal(err)
	}
	location := ""
	locs := sc.TerminalLocations.List(&stripe.TerminalLocationListParams{})
	for locs.Next() {
		if l := locs.TerminalLocation(); l.DisplayName == name {
			location = l.ID
		}
	}
	if err := locs.Err(); err != nil {
		b.Fatal(err)
	}
	readers := sc.TerminalReaders.List(&stripe.TerminalReaderListParams{Location: stripe.String(location)})
	for readers.Next() {
		reader = readers.TerminalReader().ID
	}
	if err := readers.Err(); err != nil {
		b.Fatal(err)
	}
	if seller == "" || location == "" || reader == "" {
		b.Fatalf("demo seed: %q seller %q location %q reader %q", name, seller, location, reader)
	}
	return seller, reader
}

// The request mixes of issue 12, sent straight to each server's
// http.Handler (no sockets, no client library: what is measured is the
// server), the sandbox with and without a state file, after 10,000 paid
// sales on the seller, and stripe-mock v0.183.0 in the same run. Each
// reports ns per mix and req/s; BenchmarkMixRatio runs both servers in
// turn and reports how many times faster the sandbox is (the figure to
// read on a noisy machine).
//
//	go test ./internal/conformance -run '^$' -bench 'MixRatio' -benchtime 3s -count 3
//
// The sale mix is what a till sends for a sale up to the reader and back:
// create the intent on the seller, retrieve it (expand latest_charge), list
// the location's readers, process_payment_intent, cancel_action. The
// back-office mix: create, retrieve, list the newest 10 intents (expand
// data.latest_charge). Requests are shaped as Kasse's stripeapi sends them
// (idempotency keys on every POST).

const mixStored = 10_000

func BenchmarkSaleMix(b *testing.B) {
	for _, target := range []string{"sandbox", "sandbox-statefile", "stripe-mock"} {
		b.Run(target, func(b *testing.B) {
			m := newMixTarget(b, target)
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				n++
				m.saleMix(n)
			}
			b.ReportMetric(float64(5*b.N)/b.Elapsed().Seconds(), "req/s")
		})
	}
}

func BenchmarkBackOfficeMix(b *testing.B) {
	for _, target := range []string{"sandbox", "sandbox-statefile", "stripe-mock"} {
		b.Run(target, func(b *testing.B) {
			m := newMixTarget(b, target)
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				n++
				m.backOfficeMix(n)
			}
			b.ReportMetric(float64(3*b.N)/b.Elapsed().Seconds(), "req/s")
		})
	}
}

// BenchmarkMixRatio runs each mix on the sandbox and on stripe-mock in
// turn, one mix each per iteration, and reports the time per mix of both
// and how many times faster the sandbox is: on a shared, noisy machine
// both are measured under the same load, a few hundred microseconds apart.
func BenchmarkMixRatio(b *testing.B) {
	for _, mix := range []string{"sale", "back-office"} {
		for _, target := range []string{"sandbox", "sandbox-statefile"} {
			b.Run(mix+"/"+target, func(b *testing.B) {
				sb, mock := newMixTarget(b, target), newMixTarget(b, "stripe-mock")
				run := (*mixTarget).saleMix
				if mix == "back-office" {
					run = (*mixTarget).backOfficeMix
				}
				var tSandbox, tMock time.Duration
				n := 0
				for b.Loop() {
					n++
					t0 := time.Now()
					run(sb, n)
					t1 := time.Now()
					run(mock, n)
					tSandbox, tMock = tSandbox+t1.Sub(t0), tMock+time.Since(t1)
				}
				b.ReportMetric(float64(tSandbox.Nanoseconds())/float64(n), "sandbox-ns/mix")
				b.ReportMetric(float64(tMock.Nanoseconds())/float64(n), "stripe-mock-ns/mix")
				b.ReportMetric(float64(tMock)/float64(tSandbox), "x-faster")
			})
		}
	}
}

// saleMix: create, retrieve, list the location's readers,
// process_payment_intent, cancel_action.
func (m *mixTarget) saleMix(n int) {
	key := fmt.Sprintf("sale-%d", n)
	id := m.create(key)
	m.d.do("GET", "/v1/payment_intents/"+id+"?expand[0]=latest_charge", "", m.seller, "")
	m.d.do("GET", "/v1/terminal/readers?location="+m.location+"&limit=100", "", "", "")
	m.d.do("POST", "/v1/terminal/readers/"+m.reader+"/process_payment_intent",
		"payment_intent="+id+"&process_config[skip_tipping]=true&process_config[enable_customer_cancellation]=true", "", key+"-process")
	m.d.do("POST", "/v1/terminal/readers/"+m.reader+"/cancel_action", "", "", key+"-cancel")
}

// backOfficeMix: create, retrieve, list the newest ten.
func (m *mixTarget) backOfficeMix(n int) {
	id := m.create(fmt.Sprintf("office-%d", n))
	m.d.do("GET", "/v1/payment_intents/"+id+"?expand[0]=latest_charge", "", m.seller, "")
	m.d.do("GET", "/v1/payment_intents?limit=10&expand[0]=data.latest_charge", "", m.seller, "")
}

// mixTarget is one server under a mix.
type mixTarget struct {
	d                        *mixDriver
	seller, location, reader string
	mock                     bool
}

func newMixTarget(b *testing.B, target string) *mixTarget {
	if target == "stripe-mock" {
		devnull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
		if err != nil {
			b.Fatal(err)
		}
		stdout := os.Stdout
		os.Stdout = devnull // stripe-mock prints every request; restored after the run
		b.Cleanup(func() { os.Stdout = stdout; devnull.Close() })
		// (The sandbox under test writes nothing to stdout.)
		h, err := NewStripeMockHandler()
		if err != nil {
			b.Fatal(err)
		}
		return &mixTarget{d: newMixDriver(b, h), seller: "acct_1KasseBenchSeller", location: "tml_KasseBench",
			reader: "tmr_KasseBenchReader", mock: true}
	}
	opts := sandbox.Options{Seed: "demo"}
	if target == "sandbox-statefile" {
		opts.StateFile = filepath.Join(b.TempDir(), "state.json")
	}
	srv, err := sandbox.New(opts)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = srv.Close() })
	ts := httptest.NewServer(srv)
	seller, reader := demoLumen(b, newStripeClient(ts.URL, testKey, http.DefaultTransport))
	ts.Close()
	m := &mixTarget{d: newMixDriver(b, srv), seller: seller, reader: reader}
	var rd struct {
		Location string `json:"location"`
	}
	if err := json.Unmarshal(m.d.do("GET", "/v1/terminal/readers/"+reader, "", "", ""), &rd); err != nil {
		b.Fatal(err)
	}
	m.location = rd.Location
	for i := 0; i < mixStored; i++ { // paid sales
		key := fmt.Sprintf("stored-%d", i)
		id := m.create(key)
		m.d.do("POST", "/v1/terminal/readers/"+reader+"/process_payment_intent", "payment_intent="+id, "", key+"-process")
		m.d.do("POST", "/v1/test_helpers/terminal/readers/"+reader+"/present_payment_method", "", "", "")
	}
	return m
}

// create posts a sale's PaymentIntent and returns its id.
func (m *mixTarget) create(key string) string {
	body := m.d.do("POST", "/v1/payment_intents", "amount=1250&currency=usd&payment_method_types[0]=card_present"+
		"&capture_method=automatic&description=Kasse+sale&metadata[kasse_sale]="+key+"&metadata[kasse_console]=till-1", m.seller, key)
	if m.mock {
		return "pi_KasseBench"
	}
	i := bytes.Index(body, []byte(`"id":"`)) // the first key of the object
	if i < 0 {
		m.d.tb.Fatalf("create: %s", body)
	}
	id := body[i+6:]
	return string(id[:bytes.IndexByte(id, '"')])
}

// mixDriver sends requests to a handler directly, through a minimal
// http.ResponseWriter, failing on anything but 200.
type mixDriver struct {
	tb     testing.TB
	h      http.Handler
	header http.Header
	status int
	body   bytes.Buffer
}

func newMixDriver(tb testing.TB, h http.Handler) *mixDriver {
	return &mixDriver{tb: tb, h: h, header: http.Header{}}
}

func (d *mixDriver) Header() http.Header         { return d.header }
func (d *mixDriver) WriteHeader(status int)      { d.status = status }
func (d *mixDriver) Write(b []byte) (int, error) { return d.body.Write(b) }

func (d *mixDriver) do(method, path, body, account, key string) []byte {
	var rd io.Reader = http.NoBody
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, path, rd)
	if err != nil {
		d.tb.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+testKey)
	req.Header.Set("Stripe-Version", "2023-10-16")
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if account != "" {
		req.Header.Set("Stripe-Account", account)
	}
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	clear(d.header)
	d.status = http.StatusOK
	d.body.Reset()
	d.h.ServeHTTP(d, req)
	if d.status != http.StatusOK {
		d.tb.Fatalf("%s %s: %d %s", method, path, d.status, d.body.Bytes())
	}
	return d.body.Bytes()
}
