package stripeapi

import (
	"context"
	"errors"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"kasse/pos"
)

// arrivals is a fake Stripe that notes when each request arrived.
type arrivals struct {
	mu sync.Mutex
	at []time.Time
}

func (a *arrivals) note() {
	a.mu.Lock()
	a.at = append(a.at, time.Now())
	a.mu.Unlock()
}

func (a *arrivals) times() []time.Time {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := append([]time.Time(nil), a.at...)
	sort.Slice(out, func(i, j int) bool { return out[i].Before(out[j]) })
	return out
}

// maxInWindow is the most arrivals within any window of length d.
func maxInWindow(at []time.Time, d time.Duration) int {
	best := 0
	for i := range at {
		n := 0
		for j := i; j < len(at) && at[j].Sub(at[i]) < d; j++ {
			n++
		}
		best = max(best, n)
	}
	return best
}

// Many counters reading at once never push the host over its rate: in no
// second does Stripe see more than the budget's perSecond, whatever the
// machine's speed (the bucket can only slow requests down).
func TestBudgetHoldsTheHostUnderItsRate(t *testing.T) {
	var arr arrivals
	fake := newFakeStripe(t, func(w http.ResponseWriter, r *http.Request) {
		arr.note()
		jsonReply(200, readerJSON)(w, r)
	})
	b := NewBudget(5)
	c, err := New(Config{APIKey: testKey, BaseURL: fake.URL, Budget: b, MaxNetworkRetries: NoRetries})
	if err != nil {
		t.Fatal(err)
	}
	const n = 16
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.GetReader(testCtx(t), pos.Platform, "tmr_1"); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	at := arr.times()
	if len(at) != n {
		t.Fatalf("%d requests arrived, want %d", len(at), n)
	}
	// 5 in any second: a burst of 1 and 4 a second.
	if m := maxInWindow(at, time.Second); m > 5 {
		t.Errorf("%d requests within one second, the budget allows 5", m)
	}
	if s := b.Stats(); s.Sent != n || s.Waited <= 0 {
		t.Errorf("stats = %+v, want %d sent and some waiting", s, n)
	}
}

// Reads and writes have a bucket each, as Stripe counts them apart: a
// queue of reads does not hold up a charge.
func TestBudgetReadsDoNotStarveWrites(t *testing.T) {
	b := NewBudget(2)
	ctx := testCtx(t)
	for range 2 { // the read bucket's burst (1) is spent, and a second read queues
		if err := b.wait(ctx, false); err != nil {
			t.Fatal(err)
		}
	}
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if err := b.wait(short, true); err != nil {
		t.Errorf("a write waited behind the reads: %v", err)
	}
}

// A 429 rate_limit pauses the whole host and the refused request is sent
// again after the pause: the caller gets the answer, and no request of any
// counter reaches Stripe during the pause.
func TestBudgetPausesTheHostOnRateLimitAndResends(t *testing.T) {
	var arr arrivals
	var n atomic.Int32
	fake := newFakeStripe(t, func(w http.ResponseWriter, r *http.Request) {
		arr.note()
		if n.Add(1) == 1 {
			jsonReply(429, stripeError("invalid_request_error", "rate_limit", ""))(w, r)
			return
		}
		jsonReply(200, readerJSON)(w, r)
	})
	b := NewBudget(50)
	c, err := New(Config{APIKey: testKey, BaseURL: fake.URL, Budget: b, MaxNetworkRetries: NoRetries})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ProcessIntent(testCtx(t), pos.Platform, "tmr_1", "pi_1", pos.ProcessConfig{}, "kasse-s1-process-1"); err != nil {
		t.Fatalf("the rate-limited request failed: %v", err)
	}
	reqs := fake.take()
	if len(reqs) != 2 {
		t.Fatalf("%d attempts, want the refused one and its resend", len(reqs))
	}
	for i, r := range reqs {
		if r.Header.Get("Idempotency-Key") != "kasse-s1-process-1" || r.Form.Get("payment_intent") != "pi_1" {
			t.Errorf("attempt %d: key %q, form %v: the resend must be the same request", i+1, r.Header.Get("Idempotency-Key"), r.Form)
		}
	}
	// Another counter's read right after the 429 waits for the pause too.
	if _, err := c.GetReader(testCtx(t), pos.Platform, "tmr_1"); err != nil {
		t.Fatal(err)
	}
	at := arr.times()
	if gap := at[1].Sub(at[0]); gap < budgetPauseBase {
		t.Errorf("the resend went %v after the 429, want a pause of at least %v", gap, budgetPauseBase)
	}
	if s := b.Stats(); s.Throttled != 1 {
		t.Errorf("throttled = %d, want 1", s.Throttled)
	}
}

// Past MaxResends the 429 reaches the caller as a rate limit (a sale's
// machine then backs off and resends, pos.Throttle); lock_timeout is left
// to stripe-go, which retries it itself.
func TestBudgetGivesUpAfterMaxResendsAndLeavesLockTimeouts(t *testing.T) {
	for _, tt := range []struct {
		code     string
		resends  int
		attempts int
	}{
		{"rate_limit", 1, 2},
		{"lock_timeout", 2, 1},
	} {
		t.Run(tt.code, func(t *testing.T) {
			fake := newFakeStripe(t, jsonReply(429, stripeError("invalid_request_error", tt.code, "")))
			b := NewBudget(50)
			b.MaxResends = tt.resends
			c, err := New(Config{APIKey: testKey, BaseURL: fake.URL, Budget: b, MaxNetworkRetries: NoRetries})
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.GetReader(testCtx(t), pos.Platform, "tmr_1")
			if !pos.IsKind(err, pos.KindRateLimited) {
				t.Errorf("err = %v, want a rate limit", err)
			}
			if got := len(fake.take()); got != tt.attempts {
				t.Errorf("%d attempts, want %d", got, tt.attempts)
			}
		})
	}
}

// A request whose caller gives up while it queues is not sent.
func TestBudgetWaitEndsWithTheContext(t *testing.T) {
	b := NewBudget(1)
	ctx := testCtx(t)
	if err := b.wait(ctx, false); err != nil { // the one token
		t.Fatal(err)
	}
	b.strike(0) // and a pause
	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	if err := b.wait(short, false); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want the context's deadline", err)
	}
}
