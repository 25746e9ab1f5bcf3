package stripeapi

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"
)

// Budget is one host's share of Stripe's rate limits, which are per
// account (the platform's: every counter of a `kasse serve` host, every
// seller it sells for, counts against it): 25 reads and 25 writes a second
// in test mode, 100 and 100 in live mode (docs /rate-limits). Every HTTP
// attempt the Client makes (stripe-go's own retries included) waits for a
// token of its kind first, so a host never sends more than its rates:
//
//   - Requests queue fairly: a token bucket per kind (golang.org/x/time/rate)
//     hands out slots in the order requests asked for them, so a burst of
//     polls from one counter delays no one else's charge more than its
//     own place in the queue. Below the rate nothing waits.
//   - A 429 rate_limit (Stripe or another program on the same account went
//     over) pauses the whole host, all kinds: 1 s, doubling with each 429
//     in a row up to 8 s, or Stripe's Retry-After when longer, until a
//     request gets through. The refused request is sent again after the
//     pause (at most MaxResends times: a rate-limited request is not
//     saved by Stripe's idempotency layer, so resending it under the same
//     key is safe); after that the 429 reaches the caller, and a sale's
//     machine backs off and resends in its turn (pos.Throttle). So a sale
//     never fails for a rate limit.
//   - 429 lock_timeout is not the host's doing (one object is busy):
//     stripe-go retries it and the budget leaves it alone.
//
// A Budget is safe for concurrent use; give one to every Client of a
// process (Config.Budget).
type Budget struct {
	read, write *rate.Limiter
	// MaxResends is how often a 429 rate_limit is sent again after the
	// pause (default 2; negative: never).
	MaxResends int

	mu      sync.Mutex
	until   time.Time // no request before this (a 429 pause)
	strikes int       // 429s in a row

	sent, throttled atomic.Int64
	waited          atomic.Int64 // nanoseconds requests spent waiting for a token or a pause
}

// Rates Kasse keeps to per kind (reads, writes): at most this many in any
// one second, below Stripe's with room for the other programs on the
// account (the Dashboard, webhooks' reads).
const (
	TestModeRate = 20 // of Stripe's 25 a second
	LiveModeRate = 80 // of Stripe's 100 a second
)

// NewBudget allows at most perSecond reads and perSecond writes in any one
// second (perSecond ≥ 2). A token bucket's worst second is its burst plus
// its refill rate, so the bucket holds a fifth of perSecond as its burst
// and refills the rest each second: 20 is a burst of 4 and 16 a second.
func NewBudget(perSecond float64) *Budget {
	burst := max(1, int(perSecond/5))
	every := perSecond - float64(burst)
	if every <= 0 {
		every = perSecond / 2
	}
	return &Budget{read: rate.NewLimiter(rate.Limit(every), burst), write: rate.NewLimiter(rate.Limit(every), burst),
		MaxResends: 2}
}

// BudgetFor is the budget of a host on a live or a test key (the sandbox
// is judged as test mode).
func BudgetFor(live bool) *Budget {
	if live {
		return NewBudget(LiveModeRate)
	}
	return NewBudget(TestModeRate)
}

// BudgetStats are a budget's counters since it was made.
type BudgetStats struct {
	Sent      int64         // HTTP attempts let through
	Throttled int64         // 429 rate_limit answers seen
	Waited    time.Duration // total time requests queued for a token or a pause
}

// Stats returns the counters.
func (b *Budget) Stats() BudgetStats {
	return BudgetStats{Sent: b.sent.Load(), Throttled: b.throttled.Load(), Waited: time.Duration(b.waited.Load())}
}

// Pause bounds of a 429 rate_limit.
const (
	budgetPauseBase = time.Second
	budgetPauseMax  = 8 * time.Second
)

// wait blocks until the request may go: after any pause, then in its turn
// for a token of its kind.
func (b *Budget) wait(ctx context.Context, write bool) error {
	start := time.Now()
	defer func() { b.waited.Add(int64(time.Since(start))) }()
	for {
		b.mu.Lock()
		d := time.Until(b.until)
		b.mu.Unlock()
		if d <= 0 {
			break
		}
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		}
	}
	l := b.read
	if write {
		l = b.write
	}
	return l.Wait(ctx)
}

// strike pauses the host after a 429 rate_limit and returns the pause.
func (b *Budget) strike(retryAfter time.Duration) time.Duration {
	b.throttled.Add(1)
	b.mu.Lock()
	defer b.mu.Unlock()
	b.strikes++
	d := min(budgetPauseBase<<min(b.strikes-1, 8), budgetPauseMax)
	d = max(d, min(retryAfter, time.Minute))
	if until := time.Now().Add(d); until.After(b.until) {
		b.until = until
	}
	return d
}

// clear ends a run of 429s: a request got through.
func (b *Budget) clear() {
	b.mu.Lock()
	b.strikes = 0
	b.mu.Unlock()
}

// Transport wraps next: every attempt waits for the budget.
func (b *Budget) Transport(next http.RoundTripper) http.RoundTripper {
	return &budgetTransport{b: b, next: next}
}

type budgetTransport struct {
	b    *Budget
	next http.RoundTripper
}

func (t *budgetTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	write := req.Method != http.MethodGet && req.Method != http.MethodHead
	for resend := 0; ; resend++ {
		if err := t.b.wait(req.Context(), write); err != nil {
			return nil, err
		}
		t.b.sent.Add(1)
		res, err := t.next.RoundTrip(req)
		if err != nil || res.StatusCode != http.StatusTooManyRequests {
			if err == nil {
				t.b.clear()
			}
			return res, err
		}
		limited, res := rateLimited(res)
		if !limited {
			return res, nil
		}
		t.b.strike(retryAfter(res))
		if resend >= t.b.MaxResends || (req.Body != nil && req.GetBody == nil) {
			return res, nil
		}
		next := req.Clone(req.Context())
		if req.GetBody != nil {
			body, err := req.GetBody()
			if err != nil {
				return res, nil
			}
			next.Body = body
		}
		_, _ = io.Copy(io.Discard, res.Body)
		_ = res.Body.Close()
		req = next
	}
}

// rateLimited reports whether a 429 is Stripe's rate_limit (not
// lock_timeout); it reads the body and gives back a response whose body
// reads the same.
func rateLimited(res *http.Response) (bool, *http.Response) {
	body, err := io.ReadAll(io.LimitReader(res.Body, 64<<10))
	_ = res.Body.Close()
	res.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil {
		return false, res
	}
	var e struct {
		Error struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &e) != nil {
		return true, res // a 429 without Stripe's body: treat as a rate limit
	}
	return e.Error.Code != "lock_timeout", res
}

// retryAfter reads a Retry-After header in seconds (0 when absent).
func retryAfter(res *http.Response) time.Duration {
	s, err := strconv.Atoi(res.Header.Get("Retry-After"))
	if err != nil || s <= 0 {
		return 0
	}
	return time.Duration(s) * time.Second
}
