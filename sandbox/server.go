package sandbox

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"
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
	// at New (if it exists; else the seed is stored and the file written)
	// and written back atomically after every state-changing request and
	// on Close/shutdown. See persist.go for the format and what is not kept.
	StateFile string
}

// Server is the emulator. It is an http.Handler; all state sits behind mu.
type Server struct {
	opts   Options
	log    *slog.Logger
	routes []route
	faults *faultSet

	idemMu sync.Mutex
	idem   map[string]*idemEntry

	saveMu sync.Mutex // serialises state file writes (persist.go)
	unlock func()     // releases the state file's lock; nil when not held
	// encoded caches the JSON of saved events and idempotency keys (they
	// never change), under saveMu (persist.go encodeState).
	encoded map[string][]byte

	mu sync.Mutex // guards everything below
	st *state
}

// New builds a sandbox with the seed named in opts.
func New(opts Options) (*Server, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	s := &Server{opts: opts, log: log, idem: map[string]*idemEntry{}, st: newState()}
	s.routes = s.buildRoutes()
	s.faults = newFaultSet(opts.Faults, opts.FaultSeed)
	if opts.StateFile != "" {
		if err := s.openState(); err != nil { // load the file, or seed and write it
			return nil, err
		}
		return s, nil
	}
	if err := s.seed(opts.Seed); err != nil {
		return nil, err
	}
	return s, nil
}

// request is one API call after authentication and decoding.
type request struct {
	Method    string
	Path      string
	Route     string            // the matched pattern, e.g. "/v1/payment_intents/{id}"
	Vars      map[string]string // path variables by name
	Account   string            // "" = platform; else the Stripe-Account
	Params    *Params
	Expand    *expansion
	Now       time.Time
	RequestID string
	IdemKey   string
	KeyHint   string // the API key as error messages show it (redactKey); never the full key
}

// handlerFunc executes a call. It runs with s.mu held and returns the
// response object (marshalled as JSON) or a Stripe error.
type handlerFunc func(s *Server, rq *request) (any, *apiError)

type route struct {
	method  string
	pattern string
	segs    []string
	h       handlerFunc
	// allowed lists the top-level parameters the route accepts (besides
	// expand); nil means the handler checks parameters itself.
	allowed []string
}

func (s *Server) handle(method, pattern string, allowed []string, h handlerFunc) route {
	return route{method: method, pattern: pattern, segs: strings.Split(pattern, "/"), h: h, allowed: allowed}
}

func (s *Server) match(method, path string) (*route, map[string]string) {
	segs := strings.Split(path, "/")
	var best *route
	var bestVars map[string]string
	bestScore := -1
	for i := range s.routes {
		r := &s.routes[i]
		if r.method != method || len(r.segs) != len(segs) {
			continue
		}
		score, vars := 0, map[string]string{}
		for j, p := range r.segs {
			switch {
			case p == segs[j]:
				score++
			case strings.HasPrefix(p, "{") && segs[j] != "":
				vars[strings.Trim(p, "{}")] = segs[j]
			default:
				score = -1
			}
			if score < 0 {
				break
			}
		}
		if score > bestScore {
			best, bestVars, bestScore = r, vars, score
		}
	}
	return best, bestVars
}

// ServeHTTP runs the pipeline: request id, auth, decoding, account,
// routing, faults, idempotency, execution.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	reqID := newRequestID()
	w.Header().Set("Request-Id", reqID)
	w.Header().Set("Stripe-Version", APIVersion)
	if k := r.Header.Get("Idempotency-Key"); k != "" {
		w.Header().Set("Idempotency-Key", k)
	}
	status := s.serve(w, r, reqID)
	s.log.Info("request", "method", r.Method, "path", r.URL.Path, "account", r.Header.Get("Stripe-Account"),
		"status", status, "request_id", reqID, "duration", time.Since(start))
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request, reqID string) int {
	if e := checkAuth(r); e != nil {
		return writeError(w, e)
	}
	raw := r.URL.RawQuery
	if r.Method == http.MethodPost {
		b, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			return writeError(w, errInternal("could not read request body"))
		}
		if ct := r.Header.Get("Content-Type"); len(b) > 0 && !strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
			e := invalid(http.StatusBadRequest, "", "", "Invalid request: the body must be application/x-www-form-urlencoded, got %q.", ct)
			return writeError(w, e)
		}
		raw = string(b)
	}
	params, err := ParseForm(raw)
	if err != nil {
		return writeError(w, invalid(http.StatusBadRequest, "", "", "Invalid request: %v", err))
	}
	rt, vars := s.match(r.Method, r.URL.Path)
	if rt == nil {
		return writeError(w, errUnrecognizedURL(r.Method, r.URL.Path))
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
	rq := &request{Method: r.Method, Path: r.URL.Path, Route: rt.pattern, Vars: vars, Account: account,
		Params: params, Expand: newExpansion(params.Child("expand").Strings()), RequestID: reqID,
		KeyHint: redactKey(apiKey(r))}
	if r.Method == http.MethodPost {
		rq.IdemKey = r.Header.Get("Idempotency-Key")
	}
	return s.execute(w, r, rt, rq)
}

// execute applies faults and idempotency around the handler.
func (s *Server) execute(w http.ResponseWriter, r *http.Request, rt *route, rq *request) int {
	f := s.faults.pick(rq.Method, rt.pattern, rq.Vars["id"])
	if f != nil {
		if e := f.before(); e != nil {
			time.Sleep(f.Latency)
			return writeError(w, e)
		}
	}
	var entry *idemEntry
	if rq.IdemKey != "" {
		var replay *idemEntry
		var e *apiError
		entry, replay, e = s.idemBegin(rq)
		if e != nil {
			return writeError(w, e)
		}
		if replay != nil {
			w.Header().Set("Idempotent-Replayed", "true")
			return writeRaw(w, replay.status, replay.body)
		}
	}
	if f != nil && f.Latency > 0 {
		// The call is in flight (its idempotency key reserved) while it is
		// slow: a concurrent call with the same key gets the 409.
		time.Sleep(f.Latency)
	}
	s.mu.Lock()
	rq.Now = s.opts.Now()
	obj, apiErr := rt.h(s, rq)
	s.mu.Unlock()
	status, body, noStore := http.StatusOK, []byte(nil), apiErr != nil && apiErr.validation
	if apiErr != nil {
		status, body = apiErr.Status, mustJSON(apiErr.body())
		if apiErr.shouldRetry != nil {
			w.Header().Set("Stripe-Should-Retry", boolString(*apiErr.shouldRetry))
		}
	} else {
		body = mustJSON(obj)
	}
	if f != nil {
		if e := f.after(); e != nil { // the call took effect, the answer says otherwise
			status, body, noStore = e.Status, mustJSON(e.body()), e.validation
		}
	}
	if entry != nil {
		s.idemFinish(rq, entry, status, body, noStore)
	}
	s.persistAfter(rq) // Options.StateFile: write the state after a POST or DELETE
	if f != nil && f.dropsResponse() {
		dropConnection(w)
		return 0
	}
	return writeRaw(w, status, body)
}

func writeError(w http.ResponseWriter, e *apiError) int {
	if e.shouldRetry != nil {
		w.Header().Set("Stripe-Should-Retry", boolString(*e.shouldRetry))
	}
	return writeRaw(w, e.Status, mustJSON(e.body()))
}

func writeRaw(w http.ResponseWriter, status int, body []byte) int {
	w.Header().Set("Content-Type", "application/json")
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
	b, err := json.MarshalIndent(v, "", "  ")
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
func checkAllowed(allowed []string, p *Params) *apiError {
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
			return errUnknownParam(k)
		}
	}
	return nil
}
