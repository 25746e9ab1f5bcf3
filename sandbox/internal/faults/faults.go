// Package faults injects failures into the sandbox's answers: latency,
// 5xx, rate limits and lock timeouts, dropped connections, and the
// Terminal reader errors, selected by method and route pattern, with a
// rate and a cap (Fault). Parse reads them from the command line.
package faults

import (
	"math/rand"
	"net/http"
	"sync"
	"time"

	"kasse/sandbox/internal/apierr"
)

// Kind names an injectable failure.
type Kind string

const (
	// Latency delays the request by Fault.Latency, then serves it.
	Latency Kind = "latency"
	// Status500 answers 500 api_error without executing.
	Status500 Kind = "500"
	// Status503 answers 503 api_error without executing (stripe-go retries).
	Status503 Kind = "503"
	// LockTimeout answers 429 lock_timeout (stripe-go retries).
	LockTimeout Kind = "lock_timeout"
	// RateLimit answers 429 rate_limit (stripe-go does not retry).
	RateLimit Kind = "rate_limit"
	// Drop executes the request, then drops the connection unanswered.
	Drop Kind = "drop"
	// ReaderOffline answers terminal_reader_offline without executing.
	ReaderOffline Kind = "reader_offline"
	// ReaderTimeout answers terminal_reader_timeout without executing.
	ReaderTimeout Kind = "reader_timeout"
	// ReaderTimeoutApplied executes the command, then answers
	// terminal_reader_timeout anyway: the documented false negative.
	ReaderTimeoutApplied Kind = "reader_timeout_applied"
)

// Fault injects one kind of failure into matching requests.
type Fault struct {
	Kind Kind
	// Method and Route select requests ("" matches any). Route is a route
	// pattern such as "/v1/terminal/readers/{id}/process_payment_intent".
	Method string
	Route  string
	// Latency is the added delay (Latency; added before any kind).
	Latency time.Duration
	// Rate is the probability of firing per matching request; 0 means 1.
	Rate float64
	// Times caps how often the fault fires; 0 means without limit.
	Times int
}

// Set is the faults in force and how often each fired. It is safe for
// concurrent use.
type Set struct {
	mu     sync.Mutex
	faults []Fault
	fired  []int
	rnd    *rand.Rand
}

// NewSet returns fs in force, probabilistic ones drawn from seed.
func NewSet(fs []Fault, seed int64) *Set {
	return &Set{faults: append([]Fault(nil), fs...), fired: make([]int, len(fs)), rnd: rand.New(rand.NewSource(seed))}
}

// Replace puts fs in force instead (and forgets what fired).
func (f *Set) Replace(fs []Fault) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.faults = append([]Fault(nil), fs...)
	f.fired = make([]int, len(fs))
}

// Fired reports how often each fault in force fired.
func (f *Set) Fired() []int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]int(nil), f.fired...)
}

// Pick returns the first matching fault that fires for a request to the
// route pattern with method (nil: none).
func (f *Set) Pick(method, pattern string) *Fault {
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

// Before returns the error answered instead of executing, if any.
func (ft *Fault) Before() *apierr.Error {
	switch ft.Kind {
	case Status500:
		return &apierr.Error{Status: http.StatusInternalServerError, Type: apierr.TypeAPI, Message: "An unknown error occurred (sandbox fault injection).", Validation: true}
	case Status503:
		return &apierr.Error{Status: http.StatusServiceUnavailable, Type: apierr.TypeAPI, Message: "Stripe is temporarily unavailable (sandbox fault injection).", Validation: true, ShouldRetry: &yes}
	case LockTimeout:
		return &apierr.Error{Status: http.StatusTooManyRequests, Type: apierr.TypeInvalidRequest, Code: "lock_timeout", Validation: true,
			Message: "This object cannot be accessed right now because another API request or Stripe process is currently accessing it. If you see this error intermittently, retry the request. If you see this error frequently and are making multiple concurrent requests to a single object, make your requests serially or at a lower rate."}
	case RateLimit:
		return &apierr.Error{Status: http.StatusTooManyRequests, Type: apierr.TypeInvalidRequest, Code: "rate_limit", Validation: true, ShouldRetry: &no,
			Message: "Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits."}
	case ReaderOffline:
		return apierr.ReaderOffline()
	case ReaderTimeout:
		return apierr.ReaderTimeout()
	}
	return nil
}

// After returns the error answered although the call was executed.
func (ft *Fault) After() *apierr.Error {
	if ft.Kind == ReaderTimeoutApplied {
		return apierr.ReaderTimeout()
	}
	return nil
}

// DropsResponse: the call executes and the connection closes unanswered.
func (ft *Fault) DropsResponse() bool { return ft.Kind == Drop }
