package pos

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

// within reports whether d is base spread by at most ±spread.
func within(d, base time.Duration, spread float64) bool {
	lo := time.Duration(float64(base) * (1 - spread))
	hi := time.Duration(float64(base) * (1 + spread))
	return d >= lo && d <= hi
}

func TestPollInterval(t *testing.T) {
	primed := t0
	waitingFor := func(d time.Duration, presented bool) Sale {
		return Sale{ID: "s1", State: SaleWaitingForCard, PrimedAt: primed, UpdatedAt: primed.Add(d), CardPresented: presented}
	}
	throttled := Sale{ID: "s1", State: SaleProcessing, UpdatedAt: t0,
		Throttle: Throttle{Refusals: 2, Op: OpProcessIntent, Until: t0.Add(1700 * time.Millisecond)}}
	resending := throttled
	resending.Throttle.Op, resending.Pending = "", Pending{Seq: 3, Op: OpProcessIntent}
	tests := []struct {
		name   string
		s      Sale
		base   time.Duration
		spread float64
	}{
		{"draft", Sale{State: SaleDraft}, SlowPoll, 0},
		{"request in flight", Sale{State: SaleProcessing, Checks: 3}, FastPoll, 0},
		{"creating", Sale{State: SaleCreating}, FastPoll, 0},
		{"capturing", Sale{State: SaleCapturing}, FastPoll, 0},
		{"waiting, reader just got the payment: first poll, widely spread", waitingFor(0, false), WaitPoll, StartJitter},
		{"waiting, second poll", waitingFor(time.Second, false), 1100 * time.Millisecond, PollJitter},
		{"waiting 5 s: half way up the ramp", waitingFor(5*time.Second, false), 1500 * time.Millisecond, PollJitter},
		{"waiting 10 s: top of the ramp", waitingFor(WaitRamp, false), WaitPollMax, PollJitter},
		{"waiting 3 min: no slower than the ramp's top", waitingFor(3*time.Minute, false), WaitPollMax, PollJitter},
		{"card seen being authorized: fast", waitingFor(40*time.Second, true), FastPoll, PollJitter},
		{"unknown, first check", Sale{State: SaleUnknown}, FastPoll, PollJitter},
		{"unknown, 1 inconclusive check", Sale{State: SaleUnknown, Checks: 1}, time.Second, PollJitter},
		{"unknown, 3 checks", Sale{State: SaleUnknown, Checks: 3}, 4 * time.Second, PollJitter},
		{"unknown, 40 checks: capped", Sale{State: SaleUnknown, Checks: 40}, SlowPoll, PollJitter},
		{"canceling, 2 checks", Sale{State: SaleCanceling, Checks: 2}, 2 * time.Second, PollJitter},
		{"declined: waits for the cashier", Sale{State: SaleDeclined}, SlowPoll, 0},
		{"approved", Sale{State: SaleApproved}, SlowPoll, 0},
		{"429: the back-off's end, exactly", throttled, 1700 * time.Millisecond, 0},
		{"429 resend in flight: the state's interval", resending, FastPoll, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := PollInterval(tt.s); !within(got, tt.base, tt.spread) {
				t.Errorf("PollInterval = %s, want %s ±%.0f%%", got, tt.base, tt.spread*100)
			}
		})
	}
}

// The waiting schedule is what bounds both the request budget and how late
// an outcome shows: each interval between WaitPoll·(1-StartJitter) and
// WaitPollMax·(1+PollJitter), never shorter as the wait goes on, and on
// average below one poll a second.
func TestPollWaitingForCardBounds(t *testing.T) {
	s := Sale{ID: "bounds", State: SaleWaitingForCard, PrimedAt: t0}
	lo, hi := time.Duration(float64(WaitPoll)*(1-StartJitter)), time.Duration(float64(WaitPollMax)*(1+PollJitter))
	polls, prevBase := 0, time.Duration(0)
	for at := t0; at.Before(t0.Add(2 * time.Minute)); polls++ {
		s.UpdatedAt, s.Seq = at, s.Seq+1
		d := PollInterval(s)
		if d < lo || d > hi {
			t.Fatalf("poll %d after %s: %s outside [%s, %s]", polls, at.Sub(t0), d, lo, hi)
		}
		if base := waitInterval(at.Sub(t0)); base < prevBase {
			t.Fatalf("the ramp went down at %s", at.Sub(t0))
		} else {
			prevBase = base
		}
		at = at.Add(d)
	}
	if rate := float64(polls) / 120; rate >= 1 {
		t.Errorf("%d polls in 2 min = %.2f/s, want < 1/s", polls, rate)
	}
	if hi > 2500*time.Millisecond {
		t.Errorf("worst poll gap %s: an approved card could wait that long for the screen", hi)
	}
}

// Jitter is a pure function of the sale id and request sequence: the same
// sale at the same point gets the same interval, but sales and polls are
// spread over the whole ±PollJitter band.
func TestPollJitterDeterministicAndSpread(t *testing.T) {
	s := Sale{ID: "same", State: SaleWaitingForCard, PrimedAt: t0, UpdatedAt: t0.Add(20 * time.Second), Seq: 4}
	if PollInterval(s) != PollInterval(s) {
		t.Fatal("PollInterval is not deterministic")
	}
	var ds []time.Duration
	for i := range 200 {
		s.ID = fmt.Sprintf("sale-%d", i)
		ds = append(ds, PollInterval(s))
	}
	slices.Sort(ds)
	if ds[0] > 1700*time.Millisecond || ds[len(ds)-1] < 2300*time.Millisecond {
		t.Errorf("200 sales' polls span only %s–%s, want most of 1.6s–2.4s", ds[0], ds[len(ds)-1])
	}
	// The first poll after the charge is spread wider (±StartJitter).
	s.UpdatedAt = s.PrimedAt
	lo, hi := time.Hour, time.Duration(0)
	for i := range 200 {
		s.ID = fmt.Sprintf("sale-%d", i)
		lo, hi = min(lo, PollInterval(s)), max(hi, PollInterval(s))
	}
	if lo > 600*time.Millisecond || hi < 1400*time.Millisecond {
		t.Errorf("200 sales' first polls span only %s–%s, want most of 500ms–1.5s", lo, hi)
	}
	if distinct := len(slices.Compact(ds)); distinct < 190 {
		t.Errorf("only %d distinct intervals among 200 sales", distinct)
	}
	// One sale's consecutive polls differ too (the sequence enters).
	s.ID = "one"
	a := PollInterval(s)
	s.Seq++
	if b := PollInterval(s); a == b {
		t.Errorf("consecutive polls of one sale got the same jitter %s", a)
	}
}

// Twenty sales charged at the same instant, every answer instant: their
// polls must not line up. Within any 100 ms at most a few of them poll.
func TestPollNoLockstep(t *testing.T) {
	const n = 20
	next := make([]time.Time, n)
	sales := make([]*h, n)
	for i := range sales {
		x := start(t, func(c *SaleConfig) { c.ID = fmt.Sprintf("till-%02d", i+1) })
		x.now = t0
		x.do(ChargeRequested{At: t0})
		x.do(IntentCreated{At: t0, Seq: x.seq(), Intent: pi(IntentRequiresPaymentMethod)})
		x.do(ProcessAccepted{At: t0, Seq: x.seq(), Reader: rdr(ours(ActionInProgress))}).expect(SaleWaitingForCard)
		sales[i], next[i] = x, t0.Add(PollInterval(x.s))
	}
	var polls []time.Time
	end := t0.Add(time.Minute)
	for {
		i := 0
		for j := range next {
			if next[j].Before(next[i]) {
				i = j
			}
		}
		at := next[i]
		if at.After(end) {
			break
		}
		x := sales[i]
		x.now = at
		x.do(Tick{At: at}).expect(SaleWaitingForCard, "PollReader")
		polls = append(polls, at)
		x.do(ReaderPolled{At: at, Seq: x.seq(), Reader: rdr(withIntent(ours(ActionInProgress), pi(IntentRequiresPaymentMethod)))})
		next[i] = at.Add(PollInterval(x.s))
	}
	slices.SortFunc(polls, func(a, b time.Time) int { return a.Compare(b) })
	worst := 0
	for i := range polls {
		k := i
		for k < len(polls) && polls[k].Sub(polls[i]) < 100*time.Millisecond {
			k++
		}
		worst = max(worst, k-i)
	}
	if worst > 6 {
		t.Errorf("%d of %d sales polled within 100 ms (lockstep)", worst, n)
	}
	if rate := float64(len(polls)) / 60; rate >= n {
		t.Errorf("%d sales made %.1f polls/s, want < %d", n, rate, n)
	}
	t.Logf("%d polls in 60 s (%.1f/s), at most %d within 100 ms", len(polls), float64(len(polls))/60, worst)
}

func TestThrottleBackoff(t *testing.T) {
	s := Sale{ID: "s1", Seq: 9}
	for n, base := range []time.Duration{1 * time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 8 * time.Second, 8 * time.Second} {
		if d := s.throttleDelay(n + 1); !within(d, base, ThrottleJitter) {
			t.Errorf("after %d refusals: %s, want %s ±50%%", n+1, d, base)
		}
	}
	var lo, hi time.Duration = time.Hour, 0
	for i := range 100 {
		d := Sale{ID: fmt.Sprintf("s%d", i), Seq: 3}.throttleDelay(1)
		lo, hi = min(lo, d), max(hi, d)
	}
	if lo > 650*time.Millisecond || hi < 1350*time.Millisecond {
		t.Errorf("first 429 back-offs of 100 sales span %s–%s, want most of 500ms–1.5s", lo, hi)
	}
}
