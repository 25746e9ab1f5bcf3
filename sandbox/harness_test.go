package sandbox

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
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
	t.Cleanup(func() {
		_ = srv.Close() // runs after hs.Close: syncs a state file, if any, and unlocks it
		for _, f := range changeFailures(srv) {
			t.Errorf("a change did not record what it did: %s", f)
		}
	})
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

// TestMain checks, in every test (not in benchmarks: it costs a pass over
// the whole state per change), that each change recorded every object it
// modified: after each commit, every stored object must encode exactly as
// it was last written, the encoding kept with it (if any) must be current,
// and a hand-written encoder must agree with encoding/json (checkChanges).
func TestMain(m *testing.M) {
	if path := os.Getenv(crashChildEnv); path != "" { // TestStateFileSurvivesSIGKILL's child
		crashChild(path)
		return
	}
	flag.Parse()
	if f := flag.Lookup("test.bench"); f == nil || f.Value.String() == "" {
		changeHook = checkChanges
	}
	os.Exit(m.Run())
}

var changeCheck struct {
	sync.Mutex
	written  map[*Server]map[string]string // per server: "type id" → the JSON (and bookkeeping) last written
	failures map[*Server][]string
	off      map[*Server]bool
}

// written is an object's record as commit writes it.
func writtenForm(o resource) string {
	m := o.Stored()
	extra := ""
	if x, ok := o.(extraSaver); ok {
		extra = string(x.saveExtra())
	}
	return fmt.Sprintf("%s|%d|%v|%s|%s", m.Account, m.Seq, m.Deleted, extra, encodeResource(o))
}

func checkChanges(s *Server, tx *change) {
	changeCheck.Lock()
	defer changeCheck.Unlock()
	if changeCheck.written == nil {
		changeCheck.written, changeCheck.failures, changeCheck.off = map[*Server]map[string]string{}, map[*Server][]string{}, map[*Server]bool{}
	}
	if changeCheck.off[s] {
		return
	}
	w := changeCheck.written[s]
	if w == nil || tx == nil {
		w = map[string]string{}
		changeCheck.written[s] = w
		s.st.each(func(o resource) { w[o.objectType()+" "+o.Stored().ID] = writtenForm(o) })
		return
	}
	for _, o := range tx.touched {
		w[o.objectType()+" "+o.Stored().ID] = writtenForm(o)
	}
	s.st.each(func(o resource) {
		key := o.objectType() + " " + o.Stored().ID
		if got, ok := w[key]; !ok {
			changeCheck.failures[s] = append(changeCheck.failures[s], key+" was stored without touch")
		} else if now := writtenForm(o); got != now {
			changeCheck.failures[s] = append(changeCheck.failures[s], key+" changed without touch:\nwritten "+got+"\nnow     "+now)
			w[key] = now
		}
		if b, _ := o.Stored().Encoded(); b != nil && !bytes.Equal(b, encodeResource(o)) {
			changeCheck.failures[s] = append(changeCheck.failures[s], fmt.Sprintf("%s: the encoding kept is stale:\nkept %s\nnow  %s", key, b, encodeResource(o)))
		}
		if a, ok := o.(jsonAppender); ok {
			want, err := json.Marshal(o)
			if got := a.appendJSON(nil); err != nil || !bytes.Equal(got, want) {
				changeCheck.failures[s] = append(changeCheck.failures[s], fmt.Sprintf("%s: appendJSON differs from encoding/json (%v):\nappendJSON %s\njson       %s", key, err, got, want))
			}
		}
	})
}

// uncheckedChanges turns checkChanges off for s (tests whose states are
// too big to re-encode after every change).
func uncheckedChanges(s *Server) {
	changeCheck.Lock()
	defer changeCheck.Unlock()
	if changeCheck.off != nil {
		changeCheck.off[s] = true
	}
}

// changeFailures returns (and forgets) what checkChanges found for s.
func changeFailures(s *Server) []string {
	changeCheck.Lock()
	defer changeCheck.Unlock()
	f := changeCheck.failures[s]
	delete(changeCheck.failures, s)
	delete(changeCheck.written, s)
	return f
}
