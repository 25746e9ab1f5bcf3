package sandbox

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"

	"kasse/sandbox/internal/apierr"
	"kasse/sandbox/internal/auth"
	"kasse/sandbox/internal/expand"
	"kasse/sandbox/internal/faults"
	"kasse/sandbox/internal/form"
	"kasse/sandbox/internal/idempotency"
	"kasse/sandbox/internal/store"
)

// APIVersion is the only Stripe API version the sandbox speaks: the one
// stripe-go v76 pins. Objects and events are rendered in its shapes.
const APIVersion = "2023-10-16"

// Options configure a sandbox.
type Options struct {
	// Seed names the initial data: "demo" (default) or "none".
	Seed string
	// AutoPresent, when > 0, presents the default test card on a simulated
	// reader this long after a payment action started (for demos). Zero
	// means actions wait for present_payment_method, as in Stripe.
	AutoPresent time.Duration
	// AuthorizationDelay, when > 0, keeps a presented card "authorizing"
	// this long before the outcome settles; the reader is busy meanwhile.
	// Zero settles present_payment_method synchronously, as Stripe's
	// simulated readers answer.
	AuthorizationDelay time.Duration
	// Faults are injected per route; see Fault.
	Faults []Fault
	// FaultSeed seeds the random choice of probabilistic faults.
	FaultSeed int64
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// Logger receives one line per request (nil: discard).
	Logger *slog.Logger
	// StateFile, when set, persists the state: it is loaded from this file
	// at New (if it exists; else the seed is stored and the file written),
	// and every change is appended to it before its request is answered.
	// See state_file.go and internal/store for the format, crash safety,
	// compaction and what is not kept. One sandbox at a time may hold a
	// state file (ErrStateInUse).
	StateFile string
	// IdempotencyTTL is how long idempotency keys are kept (default 24
	// hours, as Stripe prunes them).
	IdempotencyTTL time.Duration
	// EventRetention is how long events are kept (default 30 days, what
	// Stripe guarantees).
	EventRetention time.Duration
	// WebhookRetries are the waits before each retry of a failed webhook
	// delivery (nil: 1 s, 5 s, 30 s — Stripe's test-mode schedule of three
	// retries over hours, compressed; empty: no retries). See
	// webhook_delivery.go.
	WebhookRetries []time.Duration
	// WebhookTimeout bounds one delivery attempt (default 10 s).
	WebhookTimeout time.Duration
	// DisputeDelay is how long after a payment with a dispute test card
	// succeeds its dispute opens, and how long a submitted dispute with
	// test evidence takes to close (default 2 s; Stripe takes moments to
	// minutes). See disputes.go.
	DisputeDelay time.Duration
}

// Server is the emulator. It is an http.Handler; all state sits behind mu.
type Server struct {
	opts   Options
	log    *slog.Logger
	mux    *http.ServeMux
	faults *faults.Set
	idem   *idempotency.Store // its own lock: a key in flight answers 409 while its call waits for mu
	hooks  dispatcher         // webhook deliveries (webhook_delivery.go); its own lock

	mu      sync.Mutex // guards everything below
	st      *state
	tx      *change            // the change running (state.go); nil outside one
	enc     encodeCache        // recent objects' JSON (state.go encode)
	scratch []byte             // where encode writes a hand-encoded object before copying it out
	file    *store.Log         // Options.StateFile, once open; nil without one (or after Close)
	rec     store.RecordWriter // the record being written (reused)
}

// New builds a sandbox with the seed named in opts.
func New(opts Options) (*Server, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{opts: opts, log: log, idem: idempotency.New(opts.IdempotencyTTL), st: newState(), mux: http.NewServeMux()}
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { s.serve(w, r, nil) })
	for i := range routeTable {
		s.addRoute(&routeTable[i])
	}
	s.faults = faults.NewSet(opts.Faults, opts.FaultSeed)
	if opts.StateFile != "" {
		if err := s.openState(); err != nil { // load the file, or seed and write it
			return nil, err
		}
	} else if err := s.seed(opts.Seed); err != nil {
		return nil, err
	}
	if changeHook != nil {
		s.mu.Lock()
		changeHook(s, nil)
		s.mu.Unlock()
	}
	s.resumeDeliveries()
	return s, nil
}

// request is one API call after authentication and decoding.
type request struct {
	Method    string
	Path      string
	Route     string // the matched route's path pattern, e.g. "/v1/payment_intents/{id}"
	ID        string // the path's {id}, if the route has one
	Account   string // "" = platform; else the Stripe-Account
	Params    *form.Params
	Expand    *expand.Tree
	Now       time.Time
	RequestID string
	IdemKey   string
	APIKey    string // the request's API key: never shown in full (auth.Redact)
}

// handlerFunc executes a call. It runs with s.mu held and returns the
// response object (marshalled as JSON) or a Stripe error.
type handlerFunc func(s *Server, rq *request) (any, *apierr.Error)

// route is one endpoint: a ServeMux pattern (method and path, with {id}
// wildcards) and the top-level parameters it accepts besides expand (nil:
// the handler checks its parameters itself).
type route struct {
	method  string
	path    string
	allowed []string
	h       handlerFunc
}

// addRoute serves rt (New registers routeTable; tests add probes).
func (s *Server) addRoute(rt *route) {
	s.mux.HandleFunc(rt.method+" "+rt.path, func(w http.ResponseWriter, r *http.Request) { s.serve(w, r, rt) })
}

// routes is a route table; it tells faults.Parse which routes exist.
type routes []route

// Methods lists the methods a path pattern is served with.
func (rs routes) Methods(pattern string) []string {
	var out []string
	for _, r := range rs {
		if r.path == pattern {
			out = append(out, r.method)
		}
	}
	return out
}

// Match returns the path pattern that serves method and a concrete path
// ("" when none does).
func (rs routes) Match(method, path string) string {
	mux := http.NewServeMux()
	for _, r := range rs {
		mux.Handle(r.method+" "+r.path, http.NotFoundHandler())
	}
	req, err := http.NewRequest(method, path, nil)
	if err != nil {
		return ""
	}
	_, pattern := mux.Handler(req)
	_, p, _ := strings.Cut(pattern, " ")
	return p
}

// ServeHTTP routes the call (a path that is not in canonical form, with
// "//", "." or "..", is an unrecognized URL, never a redirect) and serves
// it.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if p := r.URL.Path; p == "" || p[0] != '/' || path.Clean(p) != p && path.Clean(p)+"/" != p {
		s.serve(w, r, nil)
		return
	}
	s.mux.ServeHTTP(w, r)
}

// serve runs the pipeline for a call routed to rt (nil: no route matched):
// request id, auth, decoding, routing, account, parameters, faults,
// idempotency, execution; and logs one line.
func (s *Server) serve(w http.ResponseWriter, r *http.Request, rt *route) {
	start := time.Now()
	reqID := newRequestID()
	h := w.Header() // canonical names: set directly
	h["Request-Id"] = []string{reqID}
	h["Stripe-Version"] = stripeVersion
	if k := r.Header.Get("Idempotency-Key"); k != "" {
		h["Idempotency-Key"] = []string{k}
	}
	status := s.pipeline(w, r, rt, reqID)
	if s.log.Enabled(r.Context(), slog.LevelInfo) {
		s.log.Info("request", "method", r.Method, "path", r.URL.Path, "account", r.Header.Get("Stripe-Account"),
			"status", status, "request_id", reqID, "duration", time.Since(start))
	}
}

func (s *Server) pipeline(w http.ResponseWriter, r *http.Request, rt *route, reqID string) int {
	if e := auth.Check(r); e != nil {
		return writeError(w, e)
	}
	if e := s.checkVersion(r); e != nil { // version.go
		return writeError(w, e)
	}
	raw := r.URL.RawQuery
	if r.Method == http.MethodPost {
		b, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			return writeError(w, apierr.Internal("could not read request body"))
		}
		if ct := r.Header.Get("Content-Type"); len(b) > 0 && !strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
			e := apierr.Invalid(http.StatusBadRequest, "", "", "Invalid request: the body must be application/x-www-form-urlencoded, got %q.", ct)
			return writeError(w, e)
		}
		raw = string(b)
	}
	params, err := form.Parse(raw)
	if err != nil {
		return writeError(w, apierr.Invalid(http.StatusBadRequest, "", "", "Invalid request: %v", err))
	}
	if rt == nil {
		return writeError(w, apierr.UnrecognizedURL(r.Method, r.URL.Path))
	}
	account := r.Header.Get("Stripe-Account")
	if account != "" {
		s.mu.Lock()
		e := s.checkAccount(account, r)
		s.mu.Unlock()
		if e != nil {
			return writeError(w, e)
		}
	}
	if e := checkAllowed(rt.allowed, params); e != nil {
		return writeError(w, e)
	}
	rq := &request{Method: r.Method, Path: r.URL.Path, Route: rt.path, ID: r.PathValue("id"), Account: account,
		Params: params, Expand: expand.Parse(params.Child("expand").Strings()), RequestID: reqID,
		APIKey: auth.Key(r)}
	if r.Method == http.MethodPost {
		rq.IdemKey = r.Header.Get("Idempotency-Key")
	}
	return s.execute(w, rt, rq)
}

// execute applies faults and idempotency around the handler.
func (s *Server) execute(w http.ResponseWriter, rt *route, rq *request) int {
	f := s.faults.Pick(rq.Method, rt.path)
	if f != nil {
		if e := f.Before(); e != nil {
			time.Sleep(f.Latency)
			return writeError(w, e)
		}
	}
	var entry *idempotency.Entry
	if rq.IdemKey != "" {
		var replay *idempotency.Entry
		var e *apierr.Error
		entry, replay, e = s.idem.Begin(rq.Account, rq.IdemKey, fingerprint(rq), s.opts.Now())
		if e != nil {
			return writeError(w, e)
		}
		if replay != nil {
			w.Header().Set("Idempotent-Replayed", "true")
			return writeRaw(w, replay.Status, replay.Body)
		}
	}
	if f != nil && f.Latency > 0 {
		// The call is in flight (its idempotency key reserved) while it is
		// slow: a concurrent call with the same key gets the 409.
		time.Sleep(f.Latency)
	}
	status, body := s.run(w, rt, rq, f, entry)
	if f != nil && f.DropsResponse() {
		dropConnection(w)
		return 0
	}
	return writeRaw(w, status, body)
}

// run executes the handler under the state's lock — as one change if the
// call may change state — and encodes its answer. A handler that panics
// (a bug) leaves the lock free and no change running: the call fails,
// the sandbox goes on.
func (s *Server) run(w http.ResponseWriter, rt *route, rq *request, f *faults.Fault, entry *idempotency.Entry) (status int, body []byte) {
	mutating := rq.Method != http.MethodGet
	s.mu.Lock()
	defer func() {
		if p := recover(); p != nil {
			s.tx = nil
			s.mu.Unlock()
			if entry != nil {
				s.idem.Finish(entry, http.StatusInternalServerError, nil, false) // not answered: the key is free
			}
			s.log.Error("handler panicked", "route", rq.Method+" "+rt.path, "panic", p)
			panic(p)
		}
		s.mu.Unlock()
	}()
	rq.Now = s.opts.Now()
	if mutating {
		s.begin()
	}
	obj, apiErr := rt.h(s, rq)
	status, keep := http.StatusOK, apiErr == nil || !apiErr.Validation
	if apiErr != nil {
		status, body = apiErr.Status, s.marshal(apiErr.Body())
		if apiErr.ShouldRetry != nil {
			w.Header().Set("Stripe-Should-Retry", boolString(*apiErr.ShouldRetry))
		}
	} else {
		body = s.marshal(obj)
	}
	if f != nil {
		if e := f.After(); e != nil { // the call took effect, the answer says otherwise
			status, body, keep = e.Status, s.marshal(e.Body()), !e.Validation
		}
	}
	if entry != nil {
		s.idem.Finish(entry, status, body, keep)
	}
	if mutating {
		s.tx.idem = entry
		s.commit() // the change is in the state file before it is answered
	}
	return status, body
}

// fingerprint identifies a call for its idempotency key: a hash of its
// method, path and canonical parameters (128 bits; kept for every key, so
// short).
func fingerprint(rq *request) string {
	var buf [512]byte
	b := append(buf[:0], rq.Method...)
	b = append(b, ' ')
	b = append(b, rq.Path...)
	b = append(b, '?')
	sum := sha256.Sum256(rq.Params.AppendCanonical(b))
	return hex.EncodeToString(sum[:16])
}

func writeError(w http.ResponseWriter, e *apierr.Error) int {
	if e.ShouldRetry != nil {
		w.Header().Set("Stripe-Should-Retry", boolString(*e.ShouldRetry))
	}
	return writeRaw(w, e.Status, mustJSON(e.Body()))
}

var (
	stripeVersion = []string{APIVersion}
	contentJSON   = []string{"application/json"}
)

func writeRaw(w http.ResponseWriter, status int, body []byte) int {
	w.Header()["Content-Type"] = contentJSON
	w.WriteHeader(status)
	_, _ = w.Write(body)
	return status
}

// dropConnection closes the TCP connection without an answer: the client
// sees a network error although the call took effect.
func dropConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if c, _, err := hj.Hijack(); err == nil {
			_ = c.Close()
			return
		}
	}
	panic(http.ErrAbortHandler) // fallback: net/http aborts the response
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // our own objects always marshal
	}
	return b
}

func boolString(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// checkAllowed rejects top-level parameters the route does not know.
func checkAllowed(allowed []string, p *form.Params) *apierr.Error {
	if allowed == nil {
		return nil
	}
	for _, k := range p.Keys() {
		if k == "expand" {
			continue
		}
		ok := false
		for _, a := range allowed {
			if a == k {
				ok = true
				break
			}
		}
		if !ok {
			return apierr.UnknownParam(k)
		}
	}
	return nil
}
