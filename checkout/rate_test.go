package checkout_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"kasse/checkout"
	"kasse/internal/conformance"
	"kasse/journal"
	"kasse/pos"
	"kasse/sandbox"
	"kasse/stripeapi"
)

// This file measures what live sales cost in Stripe requests: N sales,
// each on its own simulated reader, are driven by checkout.Drive — the
// executor of kasse charge, on the same pos.PollInterval schedule as the
// console — against the in-process sandbox, on a virtual clock. Every
// request the sandbox receives is counted at the virtual instant it was
// made, so the figures are exact counts per virtual second, the same on a
// busy 2-core machine as anywhere: nothing here depends on how fast the
// machine is.

// vclock is a virtual clock shared by several Drive loops. A driver that
// sleeps blocks until every driver sleeps; then time jumps to the earliest
// wake-up (running the customer actions due before it), and those drivers
// run again. Sleeping past end stops the driver.
type vclock struct {
	mu       sync.Mutex
	now      time.Time
	end      time.Time
	running  int
	sleepers []*sleeper
	actions  []action // sorted by at
}

type sleeper struct {
	wake time.Time
	ch   chan error
}

// action is something a customer does at a virtual instant (presenting a
// card). It runs while every driver sleeps.
type action struct {
	at time.Time
	do func()
}

var errHorizon = errors.New("virtual time is up")

func newVClock(start time.Time, horizon time.Duration, drivers int) *vclock {
	return &vclock{now: start, end: start.Add(horizon), running: drivers}
}

func (c *vclock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// at schedules do at virtual time t (before Drive starts).
func (c *vclock) at(t time.Time, do func()) {
	c.actions = append(c.actions, action{t, do})
	slices.SortStableFunc(c.actions, func(a, b action) int { return a.at.Compare(b.at) })
}

func (c *vclock) Sleep(_ context.Context, d time.Duration) error {
	c.mu.Lock()
	wake := c.now.Add(d)
	if wake.After(c.end) {
		c.running--
		c.advance()
		c.mu.Unlock()
		return errHorizon
	}
	sl := &sleeper{wake: wake, ch: make(chan error, 1)}
	c.sleepers = append(c.sleepers, sl)
	c.running--
	c.advance()
	c.mu.Unlock()
	return <-sl.ch
}

// done is called by a driver whose Drive returned on its own.
func (c *vclock) done() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.running--
	c.advance()
}

// advance (under mu) moves time on once nobody runs.
func (c *vclock) advance() {
	if c.running > 0 || len(c.sleepers) == 0 {
		return
	}
	slices.SortStableFunc(c.sleepers, func(a, b *sleeper) int { return a.wake.Compare(b.wake) })
	next := c.sleepers[0].wake
	for len(c.actions) > 0 && !c.actions[0].at.After(next) {
		a := c.actions[0]
		c.actions = c.actions[1:]
		c.now = a.at
		a.do()
	}
	c.now = next
	for len(c.sleepers) > 0 && c.sleepers[0].wake.Equal(next) {
		c.running++
		c.sleepers[0].ch <- nil
		c.sleepers = c.sleepers[1:]
	}
}

// realClock is the wall clock, for the opt-in check that the virtual
// figures hold in real time.
type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) Sleep(ctx context.Context, d time.Duration) error {
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-tm.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (realClock) at(t time.Time, do func()) { time.AfterFunc(time.Until(t), do) }
func (realClock) done()                     {}

// clockLike is the vclock or the realClock.
type clockLike interface {
	Now() time.Time
	Sleep(context.Context, time.Duration) error
	at(time.Time, func())
	done()
}

// rateRun is one measurement: its requests by virtual time, and when each
// sale settled.
type rateRun struct {
	start    time.Time
	horizon  time.Duration
	mu       sync.Mutex
	requests []time.Time // Kasse's requests (test helpers excluded)
	settled  map[string]time.Time
	sales    map[string]pos.Sale
}

// perSecond is the mean requests per second over [from, to) of virtual
// time, and the busiest one-second window (aligned to whole seconds).
func (r *rateRun) perSecond(from, to time.Duration) (mean float64, peak int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	buckets := map[int]int{}
	n := 0
	for _, at := range r.requests {
		d := at.Sub(r.start)
		if d < from || d >= to {
			continue
		}
		n++
		buckets[int(d/time.Second)]++
	}
	for _, c := range buckets {
		peak = max(peak, c)
	}
	return float64(n) / (to - from).Seconds(), peak
}

// runLiveSales drives n sales on n simulated readers for horizon of
// virtual time. present maps a sale index to when (after the start) its
// customer presents a card; sales without an entry wait for the card
// throughout.
// checked runs every exchange through the conformance harness (stripe-mock
// and the spec), as tests do; benchmarks leave it off for speed. realTime
// runs on the wall clock instead of the virtual one (it takes horizon).
func runLiveSales(t testing.TB, n int, horizon time.Duration, present map[int]time.Duration, checked, realTime bool) *rateRun {
	t.Helper()
	start := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	var clock clockLike = newVClock(start, horizon, n)
	ctx := context.Background()
	if realTime {
		clock = realClock{}
	}
	run := &rateRun{start: start, horizon: horizon, settled: map[string]time.Time{}, sales: map[string]pos.Sale{}}
	var counting atomic.Bool
	srv, err := sandbox.New(sandbox.Options{Seed: "demo"})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, rq *http.Request) {
		if counting.Load() && !strings.HasPrefix(rq.URL.Path, "/v1/test_helpers/") {
			at := clock.Now()
			run.mu.Lock()
			run.requests = append(run.requests, at)
			run.mu.Unlock()
		}
		srv.ServeHTTP(w, rq)
	}))
	t.Cleanup(ts.Close)
	hc := &http.Client{Timeout: 10 * time.Second}
	if checked {
		if hc, err = conformance.Client(t, hc); err != nil {
			t.Fatal(err)
		}
	}
	client, err := stripeapi.New(stripeapi.Config{APIKey: "sk_test_rate", BaseURL: ts.URL,
		MaxNetworkRetries: stripeapi.NoRetries, HTTPClient: hc, RequestLogSize: -1})
	if err != nil {
		t.Fatal(err)
	}
	j, err := journal.Open(filepath.Join(t.TempDir(), "journal.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })

	// The usd seller and the location of its platform reader; n more
	// simulated readers there, one per till.
	sellers, err := client.ListSellers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var seller pos.Seller
	for _, s := range sellers {
		if s.Currency == "usd" && s.CardPayments == pos.CapabilityActive {
			seller = s
			break
		}
	}
	readers, err := client.ListReaders(ctx, pos.Platform, pos.ReaderFilter{})
	if err != nil || len(readers) == 0 {
		t.Fatalf("readers: %v, %v", readers, err)
	}
	loc := readers[0].LocationID
	tills := make([]pos.Reader, n)
	for i := range tills {
		tills[i], err = client.RegisterReader(ctx, pos.Platform, "simulated-wpe", fmt.Sprintf("Till %d", i+1), loc,
			fmt.Sprintf("rate-register-%d", i))
		if err != nil {
			t.Fatal(err)
		}
	}

	runner := &checkout.Runner{Payments: client, Terminal: client, Presenter: client, Journal: j,
		Now: clock.Now, Sleep: clock.Sleep}
	sales := make([]pos.Sale, n)
	for i := range sales {
		s, err := pos.NewSale(pos.SaleConfig{
			ID:     fmt.Sprintf("rate-%02d-of-%02d", i+1, n),
			Seller: seller.ID, ReaderOwner: pos.Platform, ReaderID: tills[i].ID, LocationID: loc,
			Currency: "usd", Process: pos.ProcessConfig{SkipTipping: true},
		}, start)
		if err != nil {
			t.Fatal(err)
		}
		s.Cart, err = s.Cart.Add(pos.Line{Description: "Coffee", Quantity: 1, UnitPrice: 450})
		if err != nil {
			t.Fatal(err)
		}
		sales[i] = s
		if d, ok := present[i]; ok && !realTime {
			clock.at(start.Add(d), func() {
				if _, err := client.PresentCard(ctx, pos.Platform, s.ReaderID, "", 0, "rate-present-"+s.ID); err != nil {
					t.Errorf("present on %s: %v", s.ID, err)
				}
			})
		}
	}

	driveCtx := ctx
	if realTime {
		start = time.Now()
		for i, d := range present { // the virtual schedule was set from the fixed start
			s := sales[i]
			clock.at(start.Add(d), func() {
				if _, err := client.PresentCard(ctx, pos.Platform, s.ReaderID, "", 0, "rate-present-"+s.ID); err != nil {
					t.Errorf("present on %s: %v", s.ID, err)
				}
			})
		}
		run.start = start
		var cancel context.CancelFunc
		driveCtx, cancel = context.WithDeadline(ctx, start.Add(horizon))
		defer cancel()
	}
	counting.Store(true)
	var wg sync.WaitGroup
	for i := range sales {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := runner.Drive(driveCtx, sales[i], pos.ChargeRequested{At: clock.Now()}, nil)
			at := clock.Now() // before done: it may move time on
			if err == nil {
				clock.done()
			}
			run.mu.Lock()
			run.sales[s.ID] = s
			if err == nil {
				run.settled[s.ID] = at
			}
			run.mu.Unlock()
		}()
	}
	wg.Wait()
	counting.Store(false)
	return run
}

// latency is, for the sales whose customer presented a card, the longest
// and the mean time from the card to the sale's approval in Kasse.
func (r *rateRun) latency(t testing.TB, present map[int]time.Duration, n int) (worst, mean time.Duration) {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	var sum time.Duration
	for i, d := range present {
		id := fmt.Sprintf("rate-%02d-of-%02d", i+1, n)
		s, at := r.sales[id], r.settled[id]
		if s.State != pos.SaleApproved || at.IsZero() {
			t.Fatalf("sale %s presented at %s ended %s (settled %v)", id, d, s.State, !at.IsZero())
		}
		l := at.Sub(r.start.Add(d))
		worst, sum = max(worst, l), sum+l
	}
	return worst, sum / time.Duration(len(present))
}

// presentings: the customers of every other sale present a card at
// staggered moments — early (the first seconds) and late (after the poll
// slowed down) — never on a poll's instant by design.
func presentings(n int) map[int]time.Duration {
	m := map[int]time.Duration{}
	for i := 0; i < n; i += 2 {
		m[i] = time.Duration(1300+i*2917) * time.Millisecond
	}
	return m
}

// TestLiveSalesRequestBudget: 20 live sales stay under Stripe's test-mode
// read limit with room to spare — under one request a second per sale over
// the first minute, start burst included, and about half that once the
// customers take their time — and a presented card is still seen within
// one waiting poll (at most WaitPollMax·(1+PollJitter)). Virtual time and
// exact counts: the figures do not depend on the machine.
func TestLiveSalesRequestBudget(t *testing.T) {
	const n = 20
	present := presentings(n)
	run := runLiveSales(t, n, time.Minute, present, true, false)
	mean, peak := run.perSecond(0, time.Minute)
	steady, _ := run.perSecond(15*time.Second, time.Minute)
	worst, avg := run.latency(t, present, n)
	t.Logf("%d sales: %.1f req/s over the first minute (busiest second %d), %.1f req/s after 15 s; card to approved: worst %s, mean %s",
		n, mean, peak, steady, worst, avg)
	if mean >= n {
		t.Errorf("%.1f req/s for %d sales, want < %d (under 1 a second per sale)", mean, n, n)
	}
	if steady >= 0.6*n {
		t.Errorf("%.1f req/s after 15 s, want < %.0f: the waiting poll should have slowed down", steady, 0.6*n)
	}
	if limit := time.Duration(float64(pos.WaitPollMax) * (1 + pos.PollJitter)); worst > limit {
		t.Errorf("a presented card took %s to show as approved, want ≤ %s", worst, limit)
	}
}

// BenchmarkLiveSalesRequestRate reports the requests per second that 10
// and 20 sales waiting for the card make over two virtual minutes from the
// charge (start burst included), after the first 15 s, and in the busiest
// second; and, with every other customer presenting a card, the worst and
// mean time from card to approved. ns/op is the cost of simulating it,
// not a figure of Kasse.
func BenchmarkLiveSalesRequestRate(b *testing.B) {
	for _, n := range []int{10, 20} {
		b.Run(fmt.Sprintf("sales=%d", n), func(b *testing.B) {
			var mean, steady float64
			var peak int
			var worst, avg time.Duration
			for b.Loop() {
				run := runLiveSales(b, n, 2*time.Minute, nil, false, false)
				mean, peak = run.perSecond(0, 2*time.Minute)
				steady, _ = run.perSecond(15*time.Second, 2*time.Minute)
				present := presentings(n)
				worst, avg = runLiveSales(b, n, time.Minute, present, false, false).latency(b, present, n)
			}
			b.ReportMetric(mean, "req/s")
			b.ReportMetric(steady, "req/s-after-15s")
			b.ReportMetric(float64(peak), "peak-req/s")
			b.ReportMetric(mean/float64(n), "req/s/sale")
			b.ReportMetric(worst.Seconds(), "worst-card-to-approved-s")
			b.ReportMetric(avg.Seconds(), "mean-card-to-approved-s")
		})
	}
}

// BenchmarkLiveSalesRequestRateRealTime repeats the measurement on the
// wall clock, with real sleeps and real request times, to check the
// virtual figures (a benchmark, so it runs only when asked for; about a
// minute per size): go test ./checkout -run '^$' -bench RealTime -benchtime 1x
func BenchmarkLiveSalesRequestRateRealTime(b *testing.B) {
	for _, n := range []int{10, 20} {
		b.Run(fmt.Sprintf("sales=%d", n), func(b *testing.B) {
			for range b.N {
				present := presentings(n)
				run := runLiveSales(b, n, time.Minute, present, false, true)
				mean, peak := run.perSecond(0, time.Minute)
				steady, _ := run.perSecond(15*time.Second, time.Minute)
				worst, avg := run.latency(b, present, n)
				b.ReportMetric(mean, "req/s")
				b.ReportMetric(float64(peak), "busiest-second-req")
				b.ReportMetric(steady, "req/s-after-15s")
				b.ReportMetric(worst.Seconds(), "worst-card-to-approved-s")
				b.ReportMetric(avg.Seconds(), "mean-card-to-approved-s")
				if mean >= float64(n) {
					b.Errorf("%.1f req/s for %d sales, want < %d", mean, n, n)
				}
			}
		})
	}
}
