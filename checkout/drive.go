package checkout

import (
	"context"
	"reflect"

	"kasse/pos"
)

// Step is pos.Step plus the journal: when the step changed what the journal
// keeps (state, intent, card, amounts, … — not poll bookkeeping) and its
// effects hold no Record that will write it anyway, the new sale is saved
// (cart edits of a draft are not: a draft has sent nothing).
// So a sale that settles (approved, declined, canceled) is on disk before
// the caller shows the outcome. The error reports a failed write only; the
// returned sale and effects are valid regardless (the journal then lags,
// and reconciliation on the next start reads Stripe).
func (r *Runner) Step(ctx context.Context, s pos.Sale, ev pos.SaleEvent) (pos.Sale, []pos.Effect, error) {
	next, effs := pos.Step(s, ev)
	var err error
	if needsRecord(s, next, effs) {
		if err = r.Record(ctx, next, ""); err != nil {
			r.log().Error("journal write failed", "sale", next.ID, "state", next.State, "err", err)
		}
	}
	if next.State.Final() && !next.Pending.Active() {
		r.forget(next.ID)
		r.unclaim(next.ID)
	}
	return next, effs, err
}

// WithRecord is Step's journal rule for callers that must not write in
// place (the console's Update runs no I/O): it returns effs preceded by a
// Record of next when Step would have saved next, so that running the
// effects through Runner.Run writes the journal first.
func WithRecord(prev, next pos.Sale, effs []pos.Effect) []pos.Effect {
	if !needsRecord(prev, next, effs) {
		return effs
	}
	return append([]pos.Effect{pos.Record{Sale: next}}, effs...)
}

// needsRecord: the step changed what the journal keeps and no Record in
// effs writes it anyway (cart edits of a draft are not kept: a draft has
// sent nothing).
func needsRecord(prev, next pos.Sale, effs []pos.Effect) bool {
	drafting := prev.State == pos.SaleDraft && next.State == pos.SaleDraft
	return !hasRecord(effs) && !drafting && material(prev, next)
}

func hasRecord(effs []pos.Effect) bool {
	for _, e := range effs {
		if _, ok := e.(pos.Record); ok {
			return true
		}
	}
	return false
}

// material reports whether b differs from a in anything but the
// bookkeeping that changes on every poll.
func material(a, b pos.Sale) bool {
	return !reflect.DeepEqual(durable(a), durable(b))
}

func durable(s pos.Sale) pos.Sale {
	s.UpdatedAt = s.CreatedAt
	s.Reader.SeenAt = s.CreatedAt
	s.Checks, s.Seq, s.Pending, s.Notice, s.Throttle = 0, 0, pos.Pending{}, "", pos.Throttle{}
	return s
}

// Settled reports whether nothing more happens to s on its own: no request
// is outstanding and the sale is final, waits for the cashier (a decision,
// an authorization to capture) or is a draft. Drive stops there.
func Settled(s pos.Sale) bool {
	return !s.Pending.Active() && !s.InProgress()
}

// Drive runs sale s from event ev (ChargeRequested, Resumed, RetryRequested,
// CancelRequested, …) until it is Settled, until until(s) reports true (nil:
// never), or until ctx ends. Between rounds it waits pos.PollInterval(s) and
// sends a Tick. Every result is fed back before any stop condition is
// checked, so a request is never left unanswered by Drive itself; only a
// ctx that ends mid-request makes its outcome unknown (the machine resolves
// that on the next Drive, or Reconcile after a restart).
//
// It returns the last sale and ctx's error if ctx ended the drive.
func (r *Runner) Drive(ctx context.Context, s pos.Sale, ev pos.SaleEvent, until func(pos.Sale) bool) (pos.Sale, error) {
	queue := []pos.SaleEvent{ev}
	for {
		for len(queue) > 0 {
			e := queue[0]
			queue = queue[1:]
			var effs []pos.Effect
			s, effs, _ = r.Step(ctx, s, e)
			for _, eff := range effs {
				if out := r.Exec(ctx, s, eff); out != nil {
					queue = append(queue, out)
				}
			}
		}
		if Settled(s) || (until != nil && until(s)) {
			return s, nil
		}
		if err := ctx.Err(); err != nil {
			return s, err
		}
		if err := r.sleep(ctx, pos.PollInterval(s)); err != nil {
			return s, err
		}
		queue = append(queue, pos.Tick{At: r.now()})
	}
}

// PresentKey is the idempotency key of the n-th simulated card presentment.
func PresentKey(s pos.Sale) string {
	return pos.IdempotencyKey(s.ID, "present", s.Attempt)
}

// PresentCard simulates the customer presenting card (a test card number,
// "" for Stripe's default) with tip on the sale's reader (test mode only:
// it needs a Presenter). The key is recorded in the journal first, like
// every mutating request. The outcome is learned by the next Tick's poll.
func (r *Runner) PresentCard(ctx context.Context, s pos.Sale, card string, tip int64) error {
	if r.Presenter == nil {
		return errPresenter
	}
	key := PresentKey(s)
	if err := r.Record(ctx, s, key); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, r.timeout())
	defer cancel()
	_, err := r.Presenter.PresentCard(ctx, s.ReaderOwner, s.ReaderID, card, tip, key)
	return err
}

var errPresenter = &pos.Error{Kind: pos.KindInvalidRequest,
	Message: "card simulation is only available in sandbox and test mode"}
