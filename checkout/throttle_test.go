package checkout_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"kasse/pos"
	"kasse/sandbox"
)

// fakeClock is a clock that Sleep moves on, for one Drive at a time.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
	return ctx.Err()
}

// throttled reports (through saw) whether Drive ever saw the sale
// throttled; it never stops the drive on its own.
func throttled(saw *int) func(pos.Sale) bool {
	return func(s pos.Sale) bool {
		*saw = max(*saw, s.Throttle.Refusals)
		return false
	}
}

// rateLimitStorm makes the sandbox answer 429 rate_limit (with
// Stripe-Should-Retry: false) to the first two creates and to a share of
// Kasse's other requests: every route, every method, but not the test
// helper that plays the customer.
func rateLimitStorm(e *env, share float64) {
	faults := []sandbox.Fault{{Kind: sandbox.FaultRateLimit, Method: "POST", Route: "/v1/payment_intents", Times: 2}}
	for _, r := range []struct{ method, route string }{
		{"POST", "/v1/payment_intents"},
		{"GET", "/v1/payment_intents/{id}"},
		{"POST", "/v1/payment_intents/{id}/cancel"},
		{"POST", "/v1/payment_intents/{id}/capture"},
		{"POST", "/v1/terminal/readers/{id}/process_payment_intent"},
		{"POST", "/v1/terminal/readers/{id}/cancel_action"},
		{"GET", "/v1/terminal/readers/{id}"},
	} {
		faults = append(faults, sandbox.Fault{Kind: sandbox.FaultRateLimit, Method: r.method, Route: r.route, Rate: share})
	}
	e.srv.SetFaults(faults)
}

func stormFired(e *env) int {
	n := 0
	for _, f := range e.srv.FaultsFired() {
		n += f
	}
	return n
}

// A sale charged while Stripe rate limits most requests neither fails nor
// doubles: it reaches the reader, and once the limit lifts the card is
// approved on the one intent, charged once.
func TestSaleUnderRateLimitCompletesOnce(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	clock := &fakeClock{now: time.Now()}
	e.runner.Now, e.runner.Sleep = clock.Now, clock.Sleep
	s := e.newSale(t, "usd", 2450)

	chargesBefore := chargeEvents(t, e, s.Seller)

	rateLimitStorm(e, 0.7)
	var saw int
	s, err := e.runner.Drive(ctx, s, pos.ChargeRequested{At: clock.Now()}, func(s pos.Sale) bool {
		throttled(&saw)(s)
		return waitingForCard(s) && clock.Now().Sub(s.ChargedAt) > time.Minute
	})
	if err != nil || s.State != pos.SaleWaitingForCard {
		t.Fatalf("under 429s the sale must keep going: %s, %v (last error %v)", s.State, err, s.LastError)
	}
	refused := stormFired(e)
	if refused < 10 || saw == 0 {
		t.Fatalf("the storm refused only %d requests (sale saw %d in a row): the test proves nothing", refused, saw)
	}
	if n := e.counter.Count("CreateIntent"); n != 3 {
		t.Fatalf("create sent %d times, want 3 (two refused, then resent under its key)", n)
	}

	e.srv.SetFaults(nil)
	if err := e.runner.PresentCard(ctx, s, "4242424242424242", 0); err != nil {
		t.Fatal(err)
	}
	s, err = e.runner.Drive(ctx, s, pos.Tick{At: clock.Now()}, nil)
	if err != nil || s.State != pos.SaleApproved || s.Throttle.Active() {
		t.Fatalf("after the limit lifted: %s %+v, %v", s.State, s.Throttle, err)
	}
	intents := e.intentsOf(t, s)
	if len(intents) != 1 {
		t.Fatalf("%d intents for one sale, want 1", len(intents))
	}
	in := intents[0]
	if in.ID != s.IntentID || in.Status != pos.IntentSucceeded || in.AmountReceived != 2450 {
		t.Fatalf("intent %s %s received %d, want %s succeeded 2450", in.ID, in.Status, in.AmountReceived, s.IntentID)
	}
	if n := chargeEvents(t, e, s.Seller) - chargesBefore; n != 1 {
		t.Fatalf("%d charge.succeeded events on the seller, want exactly one", n)
	}
	t.Logf("%d requests refused with 429; requests sent: %v", refused, e.counter.Counts())
}

// Canceling under a rate-limit storm still clears the reader and cancels
// the intent: nothing is left open, and the cancel never touches a reader
// it did not just read as ours.
func TestCancelUnderRateLimit(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	clock := &fakeClock{now: time.Now()}
	e.runner.Now, e.runner.Sleep = clock.Now, clock.Sleep
	s := e.newSale(t, "eur", 1800)
	s, err := e.runner.Drive(ctx, s, pos.ChargeRequested{At: clock.Now()}, waitingForCard)
	if err != nil || s.State != pos.SaleWaitingForCard {
		t.Fatalf("to the reader: %s, %v", s.State, err)
	}

	rateLimitStorm(e, 0.7)
	var saw int
	s, err = e.runner.Drive(ctx, s, pos.CancelRequested{At: clock.Now(), Reason: "requested_by_customer"}, throttled(&saw))
	if err != nil || s.State != pos.SaleCanceled {
		t.Fatalf("cancel under 429s: %s, %v (last error %v)", s.State, err, s.LastError)
	}
	if saw == 0 || stormFired(e) == 0 {
		t.Fatalf("no 429 reached the cancel (fired %d): the test proves nothing", stormFired(e))
	}
	e.srv.SetFaults(nil)
	intents := e.intentsOf(t, s)
	if len(intents) != 1 || intents[0].Status != pos.IntentCanceled {
		t.Fatalf("intents after the cancel: %+v", intents)
	}
	rd, err := e.client.GetReader(ctx, s.ReaderOwner, s.ReaderID)
	if err != nil || rd.Action != nil && rd.Action.Status == pos.ActionInProgress {
		t.Fatalf("reader still busy after the cancel: %+v, %v", rd.Action, err)
	}
}

// chargeEvents counts the seller's charge.succeeded events.
func chargeEvents(t *testing.T, e *env, seller pos.Account) int {
	t.Helper()
	evs, err := e.client.ListEvents(context.Background(), seller, "charge.succeeded", 100)
	if err != nil {
		t.Fatal(err)
	}
	return len(evs)
}
