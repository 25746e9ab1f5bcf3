package stripeapi

import (
	"net/http"
	"sync/atomic"
	"testing"

	"kasse/pos"
)

// What Kasse relies on from stripe-go v76's own retries (stripe.go
// shouldRetry), pinned against a fake Stripe with MaxNetworkRetries 2:
//   - Stripe-Should-Retry decides first: "true" is retried whatever the
//     status, "false" never;
//   - without it, a 429 lock_timeout is retried, a 429 rate_limit is not
//     (stripe-go leaves rate limits to the caller: the sale machine backs
//     off and resends, pos.Throttle);
//   - every attempt of a POST carries the caller's idempotency key, so a
//     retry can only replay.
//
// What is left after stripe-go gives up reaches Kasse as a *pos.Error of
// the matching kind. Each retry sleeps stripe-go's minimum 500 ms.
func TestStripeGoRetriesAndShouldRetry(t *testing.T) {
	tests := []struct {
		name        string
		status      int
		code        string
		shouldRetry string // Stripe-Should-Retry header, "" = absent
		attempts    int
		kind        pos.ErrorKind
	}{
		{"429 rate_limit: not retried by stripe-go", 429, "rate_limit", "", 1, pos.KindRateLimited},
		{"429 rate_limit, Should-Retry false (as the sandbox sends it)", 429, "rate_limit", "false", 1, pos.KindRateLimited},
		{"429 rate_limit, Should-Retry true: retried", 429, "rate_limit", "true", 3, pos.KindRateLimited},
		{"429 lock_timeout: retried", 429, "lock_timeout", "", 3, pos.KindRateLimited},
		{"429 lock_timeout, Should-Retry false: not retried", 429, "lock_timeout", "false", 1, pos.KindRateLimited},
		{"400 reader timeout, Should-Retry true: retried", 400, "terminal_reader_timeout", "true", 3, pos.KindReaderTimeout},
		{"503, Should-Retry false: not retried", 503, "", "false", 1, pos.KindUnknown},
		{"500 on a POST: not retried (the outcome is read, not guessed)", 500, "", "", 1, pos.KindUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel() // retries sleep stripe-go's 500 ms
			var n atomic.Int32
			fake := newFakeStripe(t, func(w http.ResponseWriter, r *http.Request) {
				n.Add(1)
				if tt.shouldRetry != "" {
					w.Header().Set("Stripe-Should-Retry", tt.shouldRetry)
				}
				typ := "invalid_request_error"
				if tt.status >= 500 {
					typ = "api_error"
				}
				jsonReply(tt.status, stripeError(typ, tt.code, ""))(w, r)
			})
			c, err := New(Config{APIKey: testKey, BaseURL: fake.URL, MaxNetworkRetries: 2})
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.ProcessIntent(testCtx(t), pos.Platform, "tmr_1", "pi_1", pos.ProcessConfig{}, "kasse-s1-process-1")
			if !pos.IsKind(err, tt.kind) {
				t.Errorf("err = %v, want kind %s", err, tt.kind)
			}
			reqs := fake.take()
			if len(reqs) != tt.attempts {
				t.Fatalf("%d attempts, want %d", len(reqs), tt.attempts)
			}
			for i, r := range reqs {
				if got := r.Header.Get("Idempotency-Key"); got != "kasse-s1-process-1" {
					t.Errorf("attempt %d: Idempotency-Key %q, want the caller's", i+1, got)
				}
			}
		})
	}
}
