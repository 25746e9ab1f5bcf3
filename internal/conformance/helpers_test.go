package conformance

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"sync"
	"testing"

	stripe "github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/client"
)

const testKey = "sk_test_123"

// newStripeClient points a stripe-go v76 client at base, sending every
// request through rt.
func newStripeClient(base, key string, rt http.RoundTripper) *client.API {
	cfg := &stripe.BackendConfig{
		URL:               stripe.String(base),
		HTTPClient:        &http.Client{Transport: rt},
		MaxNetworkRetries: stripe.Int64(0),
		LeveledLogger:     &stripe.LeveledLogger{Level: stripe.LevelNull},
	}
	return client.New(key, &stripe.Backends{
		API:     stripe.GetBackendWithConfig(stripe.APIBackend, cfg),
		Connect: stripe.GetBackendWithConfig(stripe.ConnectBackend, cfg),
		Uploads: stripe.GetBackendWithConfig(stripe.UploadsBackend, cfg),
	})
}

// mockURL returns the shared stripe-mock's base URL or fails the test.
func mockURL(t testing.TB) string {
	t.Helper()
	u, err := SharedStripeMock()
	if err != nil {
		t.Fatalf("SharedStripeMock: %v", err)
	}
	return u.String()
}

func sharedValidator(t testing.TB) *Validator {
	t.Helper()
	v, err := SharedValidator()
	if err != nil {
		t.Fatalf("SharedValidator: %v", err)
	}
	return v
}

// recorded is one exchange seen by a capture.
type recorded struct {
	method, path string
	status       int
	body         []byte
}

// capture is a RoundTripper that records every exchange it forwards.
type capture struct {
	next http.RoundTripper
	mu   sync.Mutex
	log  []recorded
}

func (c *capture) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := c.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	c.mu.Lock()
	c.log = append(c.log, recorded{req.Method, req.URL.Path, resp.StatusCode, body})
	c.mu.Unlock()
	return resp, nil
}

// take returns and clears the exchanges recorded so far.
func (c *capture) take() []recorded {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.log
	c.log = nil
	return out
}

// decode unmarshals a JSON object or fails the test.
func decode(t testing.TB, body []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("decode %s: %v", body, err)
	}
	return m
}

func encode(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("encode: %v", err)
	}
	return b
}

// child returns m[k] as an object or fails the test.
func child(t testing.TB, m map[string]any, k string) map[string]any {
	t.Helper()
	c, ok := m[k].(map[string]any)
	if !ok {
		t.Fatalf("%q is %T, want object", k, m[k])
	}
	return c
}

// recorderFunc adapts a function to Recorder.
type recorderFunc func(format string, args ...any)

func (f recorderFunc) Errorf(format string, args ...any) { f(format, args...) }
