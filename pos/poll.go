package pos

import (
	"encoding/binary"
	"hash/fnv"
	"time"
)

// The poll schedule: how long the executor (checkout.Drive, the console's
// live view) waits before the next Tick. Stripe's test mode allows 25 reads
// a second per platform, so a live sale must cost well under one request a
// second, while an outcome still reaches the screen quickly.
//
// While the reader waits for the customer, nothing in the 2023-10-16 API
// tells "waiting for the card" from "card being read": action.status is
// in_progress throughout and no reader field changes when a card is
// presented. The only sign is the expanded PaymentIntent leaving
// requires_payment_method (CardPresented), and Stripe does not document
// that it ever does before the outcome; often the next read already holds
// the result. So the waiting interval is also the worst delay between the
// reader's outcome and the cashier's screen: it starts at WaitPoll,
// stretches to WaitPollMax over WaitRamp (a quick tap is seen within about
// a second; a customer who searches for a card costs half as much), and
// drops to FastPoll once a card is seen being authorized.
//
// Every interval is spread by a jitter drawn from the sale's id and request
// sequence (deterministic: pos has no clock and no randomness), so sales
// started at the same instant do not poll in lockstep.
const (
	// FastPoll: a card is being authorized, or a request is in flight.
	FastPoll = 500 * time.Millisecond
	// SlowPoll: nothing runs on its own (a decision, a final state).
	SlowPoll = 5 * time.Second

	// WaitPoll is the reader poll right after the payment reached the
	// reader; it stretches linearly to WaitPollMax over WaitRamp.
	WaitPoll    = 1 * time.Second
	WaitPollMax = 2 * time.Second
	WaitRamp    = 10 * time.Second

	// PollJitter spreads a poll interval by ±20 %; StartJitter spreads the
	// first poll after the reader got the payment by ±50 %, so that sales
	// charged together do not come back together.
	PollJitter  = 0.2
	StartJitter = 0.5

	// ThrottleBase is the first wait after Stripe refused a request with
	// 429 (rate_limit, or lock_timeout after stripe-go's own retries); it
	// doubles with each refusal in a row up to ThrottleMax, spread by
	// ±ThrottleJitter (50 %), as Stripe's rate-limit guide advises.
	ThrottleBase   = 1 * time.Second
	ThrottleMax    = 8 * time.Second
	ThrottleJitter = 0.5
)

// PollInterval is how long the executor waits before the next Tick for s:
//   - a request refused with 429 waits out its back-off (Throttle.Until);
//   - WaitingForCard: FastPoll once a card is seen being authorized, else
//     WaitPoll stretching to WaitPollMax over WaitRamp since the reader got
//     the payment (the first poll spread by ±StartJitter);
//   - Creating, Processing, Capturing (a request in flight): FastPoll;
//   - Unknown or Canceling: a back-off from FastPoll doubling per
//     inconclusive check up to SlowPoll, so a dead network is not hammered;
//   - SlowPoll otherwise.
//
// All but the in-flight FastPoll and the 429 back-off (jittered when it
// was set) are spread by ±PollJitter.
func PollInterval(s Sale) time.Duration {
	if s.Throttle.Waiting() && !s.Pending.Active() {
		return max(s.Throttle.Until.Sub(s.UpdatedAt), 0)
	}
	switch s.State {
	case SaleWaitingForCard:
		if s.CardPresented {
			return s.jitter(FastPoll, PollJitter)
		}
		waited := s.UpdatedAt.Sub(s.PrimedAt)
		if waited <= 0 {
			return s.jitter(WaitPoll, StartJitter)
		}
		return s.jitter(waitInterval(waited), PollJitter)
	case SaleCreating, SaleProcessing, SaleCapturing:
		return FastPoll
	case SaleUnknown, SaleCanceling:
		return s.jitter(backoff(FastPoll, s.Checks, SlowPoll), PollJitter)
	case SaleApproved:
		if s.TransferOwed() { // a separate charge's transfer to find out about
			return s.jitter(backoff(FastPoll, s.Transfer.Checks, SlowPoll), PollJitter)
		}
	}
	return SlowPoll
}

// waitInterval is the poll while the customer has not presented a card,
// waited after the reader got the payment.
func waitInterval(waited time.Duration) time.Duration {
	waited = min(max(waited, 0), WaitRamp)
	return WaitPoll + time.Duration(float64(WaitPollMax-WaitPoll)*float64(waited)/float64(WaitRamp))
}

// backoff is base doubled n times, capped at limit.
func backoff(base time.Duration, n int, limit time.Duration) time.Duration {
	return min(base<<min(max(n, 0), 16), limit)
}

// throttleDelay is the wait after the n-th 429 in a row (n ≥ 1).
func (s Sale) throttleDelay(n int) time.Duration {
	return s.jitter(backoff(ThrottleBase, n-1, ThrottleMax), ThrottleJitter)
}

// jitter spreads d by ±spread (a fraction of d) with a number drawn from
// the sale's id and its request sequence: the same sale at the same point
// always gets the same interval, two sales (or two polls of one sale)
// almost never the same one.
func (s Sale) jitter(d time.Duration, spread float64) time.Duration {
	u := unitHash(s.ID, s.Seq)
	return time.Duration(float64(d) * (1 - spread + 2*spread*u))
}

// unitHash maps (id, n) to [0, 1): FNV-1a, then a 64-bit finalizer so
// that ids differing in one character land far apart.
func unitHash(id string, n int64) float64 {
	h := fnv.New64a()
	h.Write([]byte(id))
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], uint64(n))
	h.Write(b[:])
	x := h.Sum64()
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	x *= 0xc4ceb9fe1a85ec53
	x ^= x >> 33
	return float64(x>>11) / (1 << 53)
}

// RefundPollInterval is PollInterval for a refund: a back-off while its
// outcome is Unknown or Pending, SlowPoll otherwise.
func RefundPollInterval(r RefundFlow) time.Duration {
	if r.State == RefundUnknown || r.State == RefundPending {
		return backoff(FastPoll, r.Checks, SlowPoll)
	}
	return SlowPoll
}
