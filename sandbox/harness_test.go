package sandbox

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/client"

	"kasse/internal/conformance"
)

// testKey used by every sandbox test. Never a real key.
const testAPIKey = "sk_test_sandboxHarness0001"

// env is one sandbox served over loopback HTTP and a stripe-go v76 client
// pointed at it — the same client Kasse uses against Stripe.
type env struct {
	t   testing.TB
	srv *Server
	url string
	sc  *client.API
}

// newEnv starts a sandbox with opts (Seed "none" unless set) and a client
// with retries off, so tests see every answer as sent.
func newEnv(t testing.TB, opts Options) *env {
	t.Helper()
	if opts.Seed == "" {
		opts.Seed = "none"
	}
	srv, err := New(opts)
	if err != nil {
		t.Fatalf("sandbox.New: %v", err)
	}
	t.Cleanup(func() { _ = srv.Close() }) // runs after hs.Close: writes a state file, if any, and unlocks it
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	e := &env{t: t, srv: srv, url: hs.URL}
	e.sc = newClient(hs.URL, wrapTransport(t, http.DefaultTransport), 0)
	return e
}

func newClient(base string, rt http.RoundTripper, retries int64) *client.API {
	cfg := &stripe.BackendConfig{
		URL:               stripe.String(base),
		HTTPClient:        &http.Client{Transport: rt},
		MaxNetworkRetries: stripe.Int64(retries),
		LeveledLogger:     &stripe.LeveledLogger{Level: stripe.LevelNull},
	}
	return client.New(testAPIKey, &stripe.Backends{
		API:     stripe.GetBackendWithConfig(stripe.APIBackend, cfg),
		Connect: stripe.GetBackendWithConfig(stripe.ConnectBackend, cfg),
		Uploads: stripe.GetBackendWithConfig(stripe.UploadsBackend, cfg),
	})
}

// wrapTransport puts the conformance harness around every sandbox test:
// each request is shadowed to stripe-mock v0.183.0 (Q: it must be accepted)
// and each response is validated strictly against the 2023-10-16 spec and
// stripe-mock's fixture keys (R). Any finding fails the test.
func wrapTransport(t testing.TB, next http.RoundTripper) http.RoundTripper {
	t.Helper()
	tr, err := conformance.NewTransport(next, conformance.WithRecorder(t))
	if err != nil {
		t.Fatalf("conformance transport: %v", err)
	}
	return tr
}

// stripeErr asserts err is a *stripe.Error and returns it.
func stripeErr(t testing.TB, err error) *stripe.Error {
	t.Helper()
	se, ok := err.(*stripe.Error)
	if !ok {
		t.Fatalf("want *stripe.Error, got %T: %v", err, err)
	}
	return se
}
