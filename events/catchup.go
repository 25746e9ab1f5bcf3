package events

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"kasse/journal"
	"kasse/pos"
)

// CatchUp reads what a console missed from the Events API, per seller,
// from a cursor in the journal (the last event applied), and feeds it to
// the Handler — the same one webhooks feed, so an event seen both ways
// changes nothing the second time. A console without a public URL (no
// webhooks at all) hears everything this way, at start and on an
// interval; one with webhooks catches up what arrived while it was off.
//
// Where a seller has no cursor yet (a new journal, a new seller), reading
// starts at the seller's oldest sale in the journal (at most 30 days back,
// what Stripe keeps), or, with no sale, at now: there is nothing of the
// past to bring up to date.
type CatchUp struct {
	Feed    pos.EventFeed
	Sellers pos.Sellers
	Journal *journal.Journal
	Handler *Handler
	// Platform also reads the platform's own events (its readers'), which
	// nothing in the journal needs today; off by default.
	Platform bool
	// Batch is how many events one Events API read returns (default 100).
	Batch int
	Log   *slog.Logger
	Now   func() time.Time

	mu sync.Mutex // one run at a time
}

// Summary is what one catch-up run did.
type Summary struct {
	Accounts int // accounts read
	Read     int // events read from Stripe
	New      int // of them new to the journal
	Settled  int // waiting events applied (or given up) by the drain
	Waiting  int // events still waiting after the run
	// Failed names the accounts whose reading failed (the run goes on).
	Failed []error
}

// maxLookback is how far back a first catch-up reads (Stripe keeps
// events 30 days).
const maxLookback = 30 * 24 * time.Hour

func (c *CatchUp) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

func (c *CatchUp) log() *slog.Logger {
	if c.Log != nil {
		return c.Log
	}
	return slog.New(slog.DiscardHandler)
}

// Run catches up every seller (and the platform with Platform), then
// drains the events that waited. An account whose reading fails is in
// Summary.Failed; err is for a run that could not start (the seller list)
// or a journal failure.
func (c *CatchUp) Run(ctx context.Context) (Summary, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var sum Summary
	sellers, err := c.Sellers.ListSellers(ctx)
	if err != nil {
		return sum, fmt.Errorf("catch-up: the seller list: %w", err) // i18n:ok for the log (the console logs a failed catch-up)
	}
	accounts := make([]pos.Account, 0, len(sellers)+1)
	if c.Platform {
		accounts = append(accounts, pos.Platform)
	}
	for _, s := range sellers {
		accounts = append(accounts, s.ID)
	}
	for _, a := range accounts {
		if ctx.Err() != nil {
			return sum, ctx.Err()
		}
		read, fresh, err := c.account(ctx, a)
		sum.Accounts++
		sum.Read += read
		sum.New += fresh
		var jerr journalError
		switch {
		case errors.As(err, &jerr):
			return sum, jerr.err
		case err != nil:
			sum.Failed = append(sum.Failed, fmt.Errorf("%s: %w", a, err))
			c.log().Warn("catch-up: could not read the account's events", "account", a.String(), "err", err)
		}
	}
	sum.Settled, sum.Waiting, err = c.Handler.Drain(ctx)
	if err != nil {
		return sum, err
	}
	if sum.Read > 0 || sum.Settled > 0 {
		c.log().Info("caught up", "accounts", sum.Accounts, "read", sum.Read, "new", sum.New, "settled", sum.Settled, "waiting", sum.Waiting)
	}
	return sum, nil
}

// journalError marks a journal failure (the run stops) apart from a
// Stripe one (the account is skipped).
type journalError struct{ err error }

func (e journalError) Error() string { return e.err.Error() }

// account reads one account's events after its cursor, applies them
// oldest first and moves the cursor past each.
func (c *CatchUp) account(ctx context.Context, a pos.Account) (read, fresh int, err error) {
	cur, ok, err := c.Journal.EventCursor(ctx, a)
	if err != nil {
		return 0, 0, journalError{err}
	}
	if !ok {
		if cur, err = c.firstCursor(ctx, a); err != nil {
			return 0, 0, journalError{err}
		}
		if err := c.Journal.SetEventCursor(ctx, a, cur); err != nil {
			return 0, 0, journalError{err}
		}
	}
	batch := c.Batch
	if batch <= 0 {
		batch = 100
	}
	for {
		evs, more, err := c.Feed.EventsSince(ctx, a, cur.Created, cur.LastID, batch)
		if err != nil {
			return read, fresh, err
		}
		for _, ev := range evs {
			if ev.Account == "" {
				ev.Account = a
			}
			res, err := c.Handler.Handle(ctx, ev, journal.SourceCatchUp)
			if err != nil {
				return read, fresh, journalError{err}
			}
			read++
			if res.New {
				fresh++
			}
			cur = journal.EventCursor{LastID: ev.ID, Created: ev.Created.Unix()}
			if err := c.Journal.SetEventCursor(ctx, a, cur); err != nil {
				return read, fresh, journalError{err}
			}
		}
		if !more || len(evs) == 0 {
			return read, fresh, nil
		}
	}
}

// firstCursor is where a seller's first catch-up starts.
func (c *CatchUp) firstCursor(ctx context.Context, a pos.Account) (journal.EventCursor, error) {
	now := c.now()
	from := now.Add(-maxLookback)
	if a.IsPlatform() {
		return journal.EventCursor{Created: now.Unix()}, nil
	}
	recs, err := c.Journal.ListSales(ctx, journal.SaleFilter{Seller: a, From: from, Limit: journal.MaxLimit})
	if err != nil {
		return journal.EventCursor{}, err
	}
	start := now
	for _, r := range recs {
		if t := r.Sale.CreatedAt; !t.IsZero() && t.Before(start) {
			start = t
		}
	}
	return journal.EventCursor{Created: start.Unix()}, nil
}

// Every runs c at once and then every interval until ctx ends, reporting
// each run to done (nil: nothing). interval <= 0 runs once.
func (c *CatchUp) Every(ctx context.Context, interval time.Duration, done func(Summary, error)) {
	for {
		sum, err := c.Run(ctx)
		if done != nil && ctx.Err() == nil {
			done(sum, err)
		}
		if interval <= 0 {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(interval):
		}
	}
}
