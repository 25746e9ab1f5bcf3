package conformance

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"sync"
)

// ControlHeader is a request header the Transport reads and strips before
// anything is sent. With the value SkipRequest, the request is not shadowed to
// stripe-mock (invariant Q), for tests that send malformed requests on
// purpose; the response is still judged (invariant R).
const (
	ControlHeader = "X-Kasse-Conformance"
	SkipRequest   = "skip-request"
)

// Invariant names the rule a Finding breaks.
type Invariant string

const (
	// InvariantRequest (Q): every request gets a 200 from stripe-mock.
	InvariantRequest Invariant = "Q"
	// InvariantResponse (R): every response conforms to the spec and carries
	// every key of stripe-mock's fixture for its object type.
	InvariantResponse Invariant = "R"
)

// Finding is one violation seen by a Transport. Its text never contains the
// Authorization header, API keys or client secrets.
type Finding struct {
	Invariant Invariant
	Method    string
	Path      string // Stripe API path, e.g. /v1/terminal/readers/tmr_1
	Status    int    // stripe-mock's status (Q) or the next RoundTripper's (R); 0 if none
	Detail    string
}

func (f Finding) String() string {
	return fmt.Sprintf("conformance (%s) %s %s [%d]: %s", f.Invariant, f.Method, f.Path, f.Status, f.Detail)
}

// Recorder receives findings as they happen; testing.TB satisfies it.
type Recorder interface {
	Errorf(format string, args ...any)
}

// Option configures a Transport.
type Option func(*Transport)

// WithRecorder reports each finding to r (e.g. a *testing.T) as it is made,
// in addition to keeping it for Findings.
func WithRecorder(r Recorder) Option { return func(t *Transport) { t.rec = r } }

// WithValidator replaces SharedValidator.
func WithValidator(v *Validator) Option { return func(t *Transport) { t.v = v } }

// WithStripeMock shadows requests to the stripe-mock at base (scheme and
// host; e.g. an external binary) instead of SharedStripeMock.
func WithStripeMock(base *url.URL) Option {
	return func(t *Transport) { u := *base; t.mock = &u }
}

// Transport is an http.RoundTripper for a Stripe client (stripe-go's
// BackendConfig.HTTPClient) that checks both conformance invariants on every
// exchange while forwarding it to the next RoundTripper (the sandbox):
//
//   - Q: a shadow copy of the request (method, path, query, headers, body)
//     goes to stripe-mock first; any status but 200 is a finding.
//   - R: the response of the next RoundTripper is validated against the
//     spec (200 body or error body) and, for 200 JSON objects, checked for
//     fixture key parity (MissingFixtureKeys); failures are findings.
//
// Findings never change what the caller receives. Transport is safe for
// concurrent use.
type Transport struct {
	next   http.RoundTripper
	shadow http.RoundTripper
	mock   *url.URL
	v      *Validator
	rec    Recorder

	mu       sync.Mutex
	findings []Finding
}

// NewTransport wraps next (http.DefaultTransport if nil). Unless overridden by
// options it uses SharedValidator and SharedStripeMock, starting them if need be.
func NewTransport(next http.RoundTripper, opts ...Option) (*Transport, error) {
	t := &Transport{next: next, shadow: shadowTransport()}
	if t.next == nil {
		t.next = http.DefaultTransport
	}
	for _, o := range opts {
		o(t)
	}
	var err error
	if t.v == nil {
		if t.v, err = SharedValidator(); err != nil {
			return nil, err
		}
	}
	if t.mock == nil {
		if t.mock, err = SharedStripeMock(); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// shadowTransport is a connection pool of its own for shadow requests, so
// that they never share connections with the code under test.
var shadowTransport = sync.OnceValue(func() http.RoundTripper {
	return http.DefaultTransport.(*http.Transport).Clone()
})

// Findings returns a copy of the findings so far, in the order they were made.
func (t *Transport) Findings() []Finding {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]Finding(nil), t.findings...)
}

// Reset forgets all findings.
func (t *Transport) Reset() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.findings = nil
}

// RoundTrip implements http.RoundTripper. It does not modify req.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil && req.Body != http.NoBody {
		var err error
		body, err = io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("conformance: read request body: %w", err)
		}
	}
	fwd := withBody(req.Clone(req.Context()), body)
	skipQ := strings.EqualFold(strings.TrimSpace(fwd.Header.Get(ControlHeader)), SkipRequest)
	fwd.Header.Del(ControlHeader)

	ex := exchange{
		method:  req.Method,
		path:    apiPath(req.URL.Path),
		query:   req.URL.RawQuery,
		body:    body,
		secrets: secretsOf(req.Header),
	}
	if !skipQ {
		t.checkRequest(fwd, ex)
	}

	resp, err := t.next.RoundTrip(fwd)
	if err != nil {
		return nil, err
	}
	rb, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(rb))
	if err != nil {
		return nil, fmt.Errorf("conformance: read response body: %w", err)
	}
	t.checkResponse(ex, resp, rb)
	return resp, nil
}

// exchange is what the checks need to know about one request.
type exchange struct {
	method, path, query string
	body                []byte
	secrets             []string
}

// checkRequest sends the shadow copy to stripe-mock (invariant Q).
func (t *Transport) checkRequest(fwd *http.Request, ex exchange) {
	sh := withBody(fwd.Clone(fwd.Context()), ex.body)
	sh.URL = &url.URL{Scheme: t.mock.Scheme, Host: t.mock.Host, Path: ex.path, RawQuery: ex.query}
	sh.Host = ""
	sh.RequestURI = ""
	resp, err := t.shadow.RoundTrip(sh)
	if err != nil {
		if fwd.Context().Err() == nil {
			t.record(ex, Finding{Invariant: InvariantRequest, Detail: "stripe-mock unreachable: " + err.Error()})
		}
		return
	}
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	if resp.StatusCode == http.StatusOK {
		return
	}
	detail := fmt.Sprintf("stripe-mock rejected the request: %s", errorMessage(msg))
	if unknown := t.v.UnknownParams(ex.method, ex.path, requestParams(fwd, ex)); len(unknown) > 0 {
		detail += fmt.Sprintf("; unknown top-level params: %s", strings.Join(unknown, ", "))
	}
	if ex.query != "" {
		detail += fmt.Sprintf("; query=%q", truncate(ex.query, 2048))
	}
	if len(ex.body) > 0 {
		detail += fmt.Sprintf("; body=%q", truncate(string(ex.body), 2048))
	}
	t.record(ex, Finding{Invariant: InvariantRequest, Status: resp.StatusCode, Detail: detail})
}

// checkResponse judges the next RoundTripper's answer (invariant R).
func (t *Transport) checkResponse(ex exchange, resp *http.Response, body []byte) {
	fail := func(detail string) {
		t.record(ex, Finding{Invariant: InvariantResponse, Status: resp.StatusCode, Detail: detail})
	}
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt != "application/json" {
		fail(fmt.Sprintf("Content-Type is %q, want application/json", resp.Header.Get("Content-Type")))
	}
	if err := t.v.ValidateResponse(ex.method, ex.path, resp.StatusCode, body); err != nil {
		fail("response does not conform to the spec: " + err.Error())
	}
	if resp.StatusCode != http.StatusOK {
		return
	}
	var obj map[string]any
	if json.Unmarshal(body, &obj) != nil {
		return // not a JSON object; ValidateResponse has said so
	}
	if miss := MissingFixtureKeys(obj); len(miss) > 0 {
		fail("response lacks keys that stripe-mock's fixture has: " + strings.Join(miss, ", "))
	}
}

func (t *Transport) record(ex exchange, f Finding) {
	f.Method = ex.method
	f.Path = redact(ex.path, ex.secrets)
	f.Detail = redact(f.Detail, ex.secrets)
	t.mu.Lock()
	t.findings = append(t.findings, f)
	t.mu.Unlock()
	if t.rec != nil {
		t.rec.Errorf("%s", f)
	}
}

// requestParams returns the request's parameters as stripe-mock sees them:
// the query plus, for form-encoded bodies, the body's fields.
func requestParams(req *http.Request, ex exchange) url.Values {
	params, _ := url.ParseQuery(ex.query)
	if params == nil {
		params = url.Values{}
	}
	if mt, _, _ := mime.ParseMediaType(req.Header.Get("Content-Type")); mt == "application/x-www-form-urlencoded" {
		form, _ := url.ParseQuery(string(ex.body))
		for k, vs := range form {
			params[k] = append(params[k], vs...)
		}
	}
	return params
}

// errorMessage extracts error.message from a Stripe error body, falling back
// to the (truncated) body itself.
func errorMessage(body []byte) string {
	var e struct {
		Error struct {
			Type    string `json:"type"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &e) == nil && e.Error.Message != "" {
		return fmt.Sprintf("%s: %s", e.Error.Type, e.Error.Message)
	}
	return fmt.Sprintf("%q", truncate(string(body), 2048))
}

// apiPath strips any prefix before the Stripe API path, so that a client whose
// base URL carries a path (http://host/stripe) is judged on /v1/....
func apiPath(p string) string {
	if i := strings.Index(p, "/v1/"); i > 0 {
		return p[i:]
	}
	return p
}

func withBody(r *http.Request, body []byte) *http.Request {
	if body == nil {
		r.Body = nil
		r.GetBody = nil
		return r
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	return r
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…(truncated)"
}
