package pos

import "time"

// RequestRecord is one HTTP attempt an adapter made to Stripe, as a reader's
// diagnostics bundle shows it. The adapter (stripeapi) records them and
// package readers redacts and bundles them; both name this one type. By
// construction it holds no headers, no key, no query string and no body:
// only what identifies the request to Stripe support.
type RequestRecord struct {
	Time      time.Time     // when the attempt started
	Method    string        // GET, POST, DELETE
	Path      string        // URL path only, e.g. /v1/terminal/readers/tmr_1
	Account   string        // Stripe-Account, "" for platform calls
	RequestID string        // Request-Id response header
	Status    int           // HTTP status, 0 when no response arrived
	ErrorCode string        // error.code (or error.type) of a 4xx/5xx body
	Error     string        // transport error, when no response arrived
	Duration  time.Duration // time to response headers (and error body)
}
