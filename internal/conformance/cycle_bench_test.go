package conformance

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

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
// persisted (as the embedded sandbox does): every POST rewrites the file,
// so the cost per cycle grows with what the state holds (-benchtime=Nx).
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
