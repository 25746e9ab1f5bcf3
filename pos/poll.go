package pos

import "time"

// Poll intervals: fast while a payment is under way, slow when idle.
const (
	FastPoll = 500 * time.Millisecond
	SlowPoll = 5 * time.Second
)

// PollInterval is how long the executor waits before the next Tick for s:
// FastPoll while a request or the card is awaited; a back-off from FastPoll
// doubling per inconclusive check up to SlowPoll while Unknown or Canceling
// (so a dead network is not hammered); SlowPoll otherwise.
func PollInterval(s Sale) time.Duration {
	switch s.State {
	case SaleCreating, SaleProcessing, SaleWaitingForCard, SaleCapturing:
		return FastPoll
	case SaleUnknown, SaleCanceling:
		d := FastPoll << min(max(s.Checks, 0), 4)
		return min(d, SlowPoll)
	}
	return SlowPoll
}

// RefundPollInterval is PollInterval for a refund: a back-off while its
// outcome is Unknown or Pending, SlowPoll otherwise.
func RefundPollInterval(r RefundFlow) time.Duration {
	if r.State == RefundUnknown || r.State == RefundPending {
		return min(FastPoll<<min(max(r.Checks, 0), 4), SlowPoll)
	}
	return SlowPoll
}
