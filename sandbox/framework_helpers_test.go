package sandbox

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"kasse/internal/conformance"

	"github.com/stripe/stripe-go/v76"
)

// Helpers of the platform part's tests (framework_*, accounts, events,
// seed): raw HTTP calls, so tests see exactly what is on the wire, with
// every JSON answer validated strictly against the 2023-10-16 spec.

// rawResp is one raw exchange's answer.
type rawResp struct {
	status int
	header http.Header
	body   []byte
	json   map[string]any
}

// errField returns error.<k> of an error body ("" when absent).
func (r *rawResp) errField(k string) string {
	e, _ := r.json["error"].(map[string]any)
	s, _ := e[k].(string)
	return s
}

// fwHeaders are extra request headers; "Authorization" overrides the
// default Bearer test key ("-" removes it).
type fwHeaders map[string]string

// raw sends method path with a form body (POST) or query (others).
func (e *env) raw(method, path, form string, h fwHeaders) *rawResp {
	e.t.Helper()
	url := e.url + path
	var body io.Reader
	if method == http.MethodPost {
		body = strings.NewReader(form)
	} else if form != "" {
		url += "?" + form
	}
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+testAPIKey)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range h {
		if v == "-" {
			req.Header.Del(k)
			continue
		}
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	out := &rawResp{status: resp.StatusCode, header: resp.Header, body: b}
	if err := json.Unmarshal(b, &out.json); err != nil {
		e.t.Fatalf("%s %s: body is not a JSON object: %v\n%s", method, path, err, b)
	}
	e.conform(method, path, out)
	return out
}

// conform validates a raw answer against the spec and stripe-mock's
// fixture keys (routes the spec does not know are skipped: the 404 for an
// unrecognized URL has no spec operation).
func (e *env) conform(method, path string, r *rawResp) {
	e.t.Helper()
	v, err := conformance.SharedValidator()
	if err != nil {
		e.t.Fatalf("conformance validator: %v", err)
	}
	if _, ok := v.Route(method, path); !ok {
		return
	}
	if err := v.ValidateResponse(method, path, r.status, r.body); err != nil {
		e.t.Errorf("response does not conform: %v", err)
	}
	if r.status == http.StatusOK {
		if miss := conformance.MissingFixtureKeys(r.json); len(miss) > 0 {
			e.t.Errorf("%s %s: keys of stripe-mock's fixture missing: %v", method, path, miss)
		}
	}
}

// want asserts the status and, for errors, type and code.
func (r *rawResp) want(t testing.TB, status int, typ, code string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d; body %s", r.status, status, r.body)
	}
	if typ != "" && r.errField("type") != typ {
		t.Errorf("error.type %q, want %q", r.errField("type"), typ)
	}
	if r.errField("code") != code {
		t.Errorf("error.code %q, want %q (message %q)", r.errField("code"), code, r.errField("message"))
	}
}

// skipRequestCheck marks a deliberately malformed stripe-go request so the
// conformance transport does not hold it to stripe-mock's request checks.
func skipRequestCheck(p *stripe.Params) {
	if p.Headers == nil {
		p.Headers = http.Header{}
	}
	p.Headers.Set("X-Kasse-Conformance", "skip-request")
}

// locked runs f with the sandbox's state lock held (white-box reads).
func (e *env) locked(f func(s *Server)) {
	e.srv.mu.Lock()
	defer e.srv.mu.Unlock()
	f(e.srv)
}

// change runs f as one change of the sandbox's state (white-box setup:
// seeding accounts, emitting events), as a request would.
func (e *env) change(f func(s *Server)) {
	e.locked(func(s *Server) { s.change(func() { f(s) }) })
}

// testAccount stores an active connected account with id (random when
// ""). Called in a change.
func testAccount(s *Server, id, name, country, currency, email string) *account {
	m := s.newMeta("acct", "")
	if id != "" {
		m.ID = id
	}
	a := newAccount(m, s.opts.Now().Unix(), accountSpec{name: name, displayName: name, country: country, currency: currency,
		email: email, accountType: "standard", active: true})
	put(s, s.st.accounts, a)
	return a
}

// addSeller stores a connected account like the demo's active sellers.
func (e *env) addSeller(name, country, currency string) string {
	var id string
	e.change(func(s *Server) {
		sp := demoSellers[0]
		sp.name, sp.displayName, sp.country, sp.currency = name, name, country, currency
		id = s.newSeller(sp, s.opts.Now().Unix()).ID
	})
	return id
}
