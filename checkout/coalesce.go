package checkout

import (
	"context"
	"maps"
	"sync"
	"sync/atomic"
	"time"

	"kasse/pos"
)

// Coalescer is one poller per reader for many sessions of one process
// (`kasse serve`): it stands in front of the Terminal port, and reads of
// the same reader that come close together share one request. N counters
// watching M readers then cost about M reads per poll interval, not N.
//
// # The rule
//
// A read of reader R by caller C at time t takes the answer of an earlier
// read of R (in flight, or done without an error) when all of these hold:
//
//   - it was sent no earlier than t − Window (DefaultShareWindow: 1 s,
//     pos.WaitPoll, the cadence of a sale waiting for the card), so a
//     shared answer is never older than Window plus one request;
//   - no change of R made through this Coalescer (ProcessIntent,
//     CancelAction, SetDisplay, UpdateReader, DeleteReader, PresentCard)
//     began or ended since it was sent, nor is one in flight: a read that
//     starts after this process changed the reader never gets an answer
//     from before the change — the sale machine's own command is always
//     followed by a read that sees it;
//   - C has not had that answer already (a caller that asks again wants
//     something newer than what it has: a sale's fast poll is never
//     answered with its own last read). Callers are named with
//     WithCaller; unnamed reads share with everyone.
//
// Changes Kasse does not make (a customer tapping a card) are seen by the
// next read that is sent, at most Window later than without sharing.
// Errors are never handed to a later read, only to those waiting for that
// request. A shared request runs on its own context (bounded by
// DefaultTimeout), so one caller giving up does not fail the others.
//
// Every other method of the Terminal passes through. A Coalescer is safe
// for concurrent use.
type Coalescer struct {
	pos.Terminal
	// Presenter simulates card presentment (nil in live mode); Presenting
	// wraps it so that a card presented ends the sharing of older reads.
	Presenter pos.Presenter
	// Window is how old (since it was sent) a read may be to answer
	// another (default DefaultShareWindow).
	Window time.Duration
	// Now is the clock (default time.Now).
	Now func() time.Time

	mu      sync.Mutex
	readers map[string]*readerShare // by reader id

	sent, shared atomic.Int64
}

// DefaultShareWindow is Coalescer.Window's default: the wait poll's
// interval (pos.WaitPoll).
const DefaultShareWindow = pos.WaitPoll

// readerShare is what the Coalescer knows of one reader.
type readerShare struct {
	epoch    uint64 // changes when a change of the reader begins or ends
	changing int    // changes in flight
	last     *sharedRead
}

// sharedRead is one GetReader request and who took its answer.
type sharedRead struct {
	owner    pos.Account
	epoch    uint64
	sent     time.Time
	done     chan struct{}
	finished bool // done is closed (read under Coalescer.mu)
	r        pos.Reader
	err      error
	takers   map[string]bool
}

type callerKey struct{}

// WithCaller names the caller of the reads made with ctx (a session, a
// counter): a Coalescer never answers a caller twice with the same read.
func WithCaller(ctx context.Context, caller string) context.Context {
	return context.WithValue(ctx, callerKey{}, caller)
}

func callerOf(ctx context.Context) string {
	c, _ := ctx.Value(callerKey{}).(string)
	return c
}

// CoalescerStats count the reads asked for.
type CoalescerStats struct {
	Sent   int64 // GetReader requests sent
	Shared int64 // reads answered by another read's request
}

// Stats returns the counters since the Coalescer was made.
func (c *Coalescer) Stats() CoalescerStats {
	return CoalescerStats{Sent: c.sent.Load(), Shared: c.shared.Load()}
}

func (c *Coalescer) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

func (c *Coalescer) window() time.Duration {
	if c.Window > 0 {
		return c.Window
	}
	return DefaultShareWindow
}

// share is the reader's state; c.mu is held.
func (c *Coalescer) share(id string) *readerShare {
	if c.readers == nil {
		c.readers = map[string]*readerShare{}
	}
	st := c.readers[id]
	if st == nil {
		st = &readerShare{}
		c.readers[id] = st
	}
	return st
}

// GetReader reads reader id, or takes the answer of a read that the rule
// (see Coalescer) allows to share.
func (c *Coalescer) GetReader(ctx context.Context, owner pos.Account, id string) (pos.Reader, error) {
	caller := callerOf(ctx)
	now := c.now()
	c.mu.Lock()
	st := c.share(id)
	if l := st.last; l != nil && st.changing == 0 && l.epoch == st.epoch && l.owner == owner &&
		now.Sub(l.sent) <= c.window() && !(l.finished && l.err != nil) && (caller == "" || !l.takers[caller]) {
		if caller != "" {
			l.takers[caller] = true
		}
		c.mu.Unlock()
		select {
		case <-l.done:
		case <-ctx.Done():
			return pos.Reader{}, ctx.Err()
		}
		c.shared.Add(1)
		return cloneReader(l.r), l.err
	}
	call := &sharedRead{owner: owner, epoch: st.epoch, sent: now, done: make(chan struct{}), takers: map[string]bool{}}
	if caller != "" {
		call.takers[caller] = true
	}
	st.last = call
	c.mu.Unlock()

	c.sent.Add(1)
	go func() {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), DefaultTimeout)
		r, err := c.Terminal.GetReader(rctx, owner, id)
		cancel()
		c.mu.Lock()
		call.r, call.err, call.finished = r, err, true
		close(call.done)
		c.mu.Unlock()
	}()
	select {
	case <-call.done:
		return cloneReader(call.r), call.err
	case <-ctx.Done():
		return pos.Reader{}, ctx.Err()
	}
}

// changing marks a change of reader id under way: no read sent before its
// end answers a read that starts after it. The returned func ends it.
func (c *Coalescer) changing(id string) func() {
	c.mu.Lock()
	st := c.share(id)
	st.epoch++
	st.changing++
	c.mu.Unlock()
	return func() {
		c.mu.Lock()
		st.epoch++
		st.changing--
		c.mu.Unlock()
	}
}

func (c *Coalescer) ProcessIntent(ctx context.Context, owner pos.Account, readerID, intentID string, cfg pos.ProcessConfig, idemKey string) (pos.Reader, error) {
	defer c.changing(readerID)()
	return c.Terminal.ProcessIntent(ctx, owner, readerID, intentID, cfg, idemKey)
}

func (c *Coalescer) CancelAction(ctx context.Context, owner pos.Account, readerID, idemKey string) (pos.Reader, error) {
	defer c.changing(readerID)()
	return c.Terminal.CancelAction(ctx, owner, readerID, idemKey)
}

func (c *Coalescer) SetDisplay(ctx context.Context, owner pos.Account, readerID string, cart pos.DisplayCart, idemKey string) (pos.Reader, error) {
	defer c.changing(readerID)()
	return c.Terminal.SetDisplay(ctx, owner, readerID, cart, idemKey)
}

func (c *Coalescer) UpdateReader(ctx context.Context, owner pos.Account, id, label string, metadata map[string]string, idemKey string) (pos.Reader, error) {
	defer c.changing(id)()
	return c.Terminal.UpdateReader(ctx, owner, id, label, metadata, idemKey)
}

func (c *Coalescer) DeleteReader(ctx context.Context, owner pos.Account, id string) error {
	defer c.changing(id)()
	return c.Terminal.DeleteReader(ctx, owner, id)
}

// Presenting is the Presenter to use with this Coalescer (nil when it has
// none, as in live mode): a presented card is a change of the reader.
func (c *Coalescer) Presenting() pos.Presenter {
	if c.Presenter == nil {
		return nil
	}
	return coalescedPresenter{c}
}

type coalescedPresenter struct{ c *Coalescer }

func (p coalescedPresenter) PresentCard(ctx context.Context, owner pos.Account, readerID, cardNumber string, tip int64, idemKey string) (pos.Reader, error) {
	defer p.c.changing(readerID)()
	return p.c.Presenter.PresentCard(ctx, owner, readerID, cardNumber, tip, idemKey)
}

// cloneReader copies what a reader shares by reference, so that callers
// sharing one answer never share memory.
func cloneReader(r pos.Reader) pos.Reader {
	r.Metadata = maps.Clone(r.Metadata)
	if r.Action != nil {
		a := *r.Action
		if a.Intent != nil {
			in := *a.Intent
			in.Metadata = maps.Clone(in.Metadata)
			if in.Tip != nil {
				tip := *in.Tip
				in.Tip = &tip
			}
			if in.LastError != nil {
				e := *in.LastError
				in.LastError = &e
			}
			if in.LatestCharge != nil {
				ch := *in.LatestCharge
				in.LatestCharge = &ch
			}
			a.Intent = &in
		}
		if a.Display != nil {
			d := *a.Display
			d.Lines = append([]pos.CartLine(nil), d.Lines...)
			a.Display = &d
		}
		r.Action = &a
	}
	return r
}
