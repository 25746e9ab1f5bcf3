package sandbox

import (
	"math/rand"
	"net/http"
	"sync"
	"time"
)

// FaultKind names an injectable failure.
type FaultKind string

const (
	// FaultLatency delays the request by Fault.Latency, then serves it.
	FaultLatency FaultKind = "latency"
	// Fault500 answers 500 api_error without executing.
	Fault500 FaultKind = "500"
	// Fault503 answers 503 api_error without executing (stripe-go retries).
	Fault503 FaultKind = "503"
	// FaultLockTimeout answers 429 lock_timeout (stripe-go retries).
	FaultLockTimeout FaultKind = "lock_timeout"
	// FaultRateLimit answers 429 rate_limit (stripe-go does not retry).
	FaultRateLimit FaultKind = "rate_limit"
	// FaultDrop executes the request, then drops the connection unanswered.
	FaultDrop FaultKind = "drop"
	// FaultReaderOffline answers terminal_reader_offline without executing.
	FaultReaderOffline FaultKind = "reader_offline"
	// FaultReaderTimeout answers terminal_reader_timeout without executing.
	FaultReaderTimeout FaultKind = "reader_timeout"
	// FaultReaderTimeoutApplied executes the command, then answers
	// terminal_reader_timeout anyway: the documented false negative.
	FaultReaderTimeoutApplied FaultKind = "reader_timeout_applied"
)

// Fault injects one kind of failure into matching requests.
type Fault struct {
	Kind FaultKind
	// Method and Route select requests ("" matches any). Route is a route
	// pattern such as "/v1/terminal/readers/{id}/process_payment_intent".
	Method string
	Route  string
	// Latency is the added delay (FaultLatency; added before any kind).
	Latency time.Duration
	// Rate is the probability of firing per matching request; 0 means 1.
	Rate float64
	// Times caps how often the fault fires; 0 means without limit.
	Times int
}

type faultSet struct {
	mu     sync.Mutex
	faults []Fault
	fired  []int
	rnd    *rand.Rand
}

func newFaultSet(fs []Fault, seed int64) *faultSet {
	return &faultSet{faults: append([]Fault(nil), fs...), fired: make([]int, len(fs)), rnd: rand.New(rand.NewSource(seed))}
}

// SetFaults replaces the injected faults at run time (tests, demos).
func (s *Server) SetFaults(fs []Fault) {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	s.faults.faults = append([]Fault(nil), fs...)
	s.faults.fired = make([]int, len(fs))
}

// FaultsFired reports how often each configured fault fired.
func (s *Server) FaultsFired() []int {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	return append([]int(nil), s.faults.fired...)
}

// pick returns the first matching fault that fires for this request.
func (f *faultSet) pick(method, pattern, _ string) *Fault {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, ft := range f.faults {
		if ft.Method != "" && ft.Method != method || ft.Route != "" && ft.Route != pattern {
			continue
		}
		if ft.Times > 0 && f.fired[i] >= ft.Times {
			continue
		}
		if ft.Rate > 0 && ft.Rate < 1 && f.rnd.Float64() >= ft.Rate {
			continue
		}
		f.fired[i]++
		c := ft
		return &c
	}
	return nil
}

var (
	yes = true
	no  = false
)

// before returns the error answered instead of executing, if any.
func (ft *Fault) before() *apiError {
	switch ft.Kind {
	case Fault500:
		return &apiError{Status: http.StatusInternalServerError, Type: errAPI, Message: "An unknown error occurred (sandbox fault injection).", validation: true}
	case Fault503:
		return &apiError{Status: http.StatusServiceUnavailable, Type: errAPI, Message: "Stripe is temporarily unavailable (sandbox fault injection).", validation: true, shouldRetry: &yes}
	case FaultLockTimeout:
		return &apiError{Status: http.StatusTooManyRequests, Type: errInvalidRequest, Code: "lock_timeout", validation: true,
			Message: "This object cannot be accessed right now because another API request or Stripe process is currently accessing it. If you see this error intermittently, retry the request. If you see this error frequently and are making multiple concurrent requests to a single object, make your requests serially or at a lower rate."}
	case FaultRateLimit:
		return &apiError{Status: http.StatusTooManyRequests, Type: errInvalidRequest, Code: "rate_limit", validation: true, shouldRetry: &no,
			Message: "Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits."}
	case FaultReaderOffline:
		return errReaderOffline()
	case FaultReaderTimeout:
		return errReaderTimeout()
	}
	return nil
}

// after returns the error answered although the call was executed.
func (ft *Fault) after() *apiError {
	if ft.Kind == FaultReaderTimeoutApplied {
		return errReaderTimeout()
	}
	return nil
}

func (ft *Fault) dropsResponse() bool { return ft.Kind == FaultDrop }

func errReaderOffline() *apiError {
	e := invalid(http.StatusBadRequest, "terminal_reader_offline", "",
		"Reader is currently offline, please ensure the reader is powered on and connected to the internet before retrying your request. Reference the integration guide at https://stripe.com/docs/terminal/payments/collect-payment?terminal-sdk-platform=server-driven#handle-errors for details on how to handle this error.")
	e.validation = true
	return e
}

// errReaderTimeout is not stored under the idempotency key: Stripe asks
// integrations to retry it, and a retry must reach the reader again.
func errReaderTimeout() *apiError {
	e := invalid(http.StatusBadRequest, "terminal_reader_timeout", "",
		"There was a timeout when sending this command to the reader. Please retry the request. Reference the integration guide at https://stripe.com/docs/terminal/payments/collect-payment?terminal-sdk-platform=server-driven#handle-errors for details on how to handle this error.")
	e.validation = true
	return e
}

func errReaderBusy() *apiError {
	e := invalid(http.StatusBadRequest, "terminal_reader_busy", "",
		"Reader is currently busy processing another request. Please reference the integration guide at https://stripe.com/docs/terminal/payments/collect-payment?terminal-sdk-platform=server-driven#handle-errors for details on how to handle this error.")
	e.validation = true
	return e
}
