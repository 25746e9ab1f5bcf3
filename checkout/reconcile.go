package checkout

import (
	"context"
	"errors"
	"fmt"
	"time"

	"kasse/pos"
)

// SaleJournal is what Reconcile needs from the journal; *journal.Journal
// implements it.
type SaleJournal interface {
	SaleStore
	UnfinishedSales(ctx context.Context) ([]pos.Sale, error)
}

// ReconcileTimeout bounds the work on one sale in Reconcile. A sale that
// cannot be resolved in time (Stripe unreachable) is returned as it stands
// and resolved on the next Reconcile or by the console.
const ReconcileTimeout = 30 * time.Second

// StaleCreate is the age after which a create's idempotency key may have
// been forgotten by Stripe (it keeps keys at least 24 hours): Reconcile then
// looks for the intent by the sale id in its metadata instead of resending.
const StaleCreate = 23 * time.Hour

// Reconcile settles every unfinished sale in the journal against Stripe,
// as at start-up after a crash, and returns the sales it touched, as saved.
//
//   - A draft never reached Stripe: it is canceled locally.
//   - Everything else gets pos.Resumed and is driven until the machine has
//     resolved what was in flight: the intent is read by its recorded id, a
//     create whose answer was lost is resent under its SAME recorded key
//     (Stripe replays the first answer; no second intent), a reader is read
//     before anything is resent. It stops once the sale is final, waits for
//     the cashier, or waits for the card on a reader that shows it (the
//     console takes over from there).
//   - A create older than StaleCreate is not resent: Reconcile searches the
//     seller's intents for metadata kasse_sale_id and cancels what it finds.
//
// An error for one sale does not stop the others; they are joined.
func (r *Runner) Reconcile(ctx context.Context, j SaleJournal) ([]pos.Sale, error) {
	sales, err := j.UnfinishedSales(ctx)
	if err != nil {
		return nil, fmt.Errorf("checkout: reconcile: %w", err)
	}
	var out []pos.Sale
	var errs []error
	for _, s := range sales {
		got, err := r.reconcileOne(ctx, s)
		if err != nil {
			errs = append(errs, fmt.Errorf("sale %s: %w", s.ID, err))
		}
		out = append(out, got)
		if ctx.Err() != nil {
			break
		}
	}
	return out, errors.Join(errs...)
}

func (r *Runner) reconcileOne(ctx context.Context, s pos.Sale) (pos.Sale, error) {
	at := r.now()
	if s.State == pos.SaleDraft {
		s, _, err := r.Step(ctx, s, pos.CancelRequested{At: at, Reason: "abandoned"})
		return s, err
	}
	ev := pos.SaleEvent(pos.Resumed{At: at})
	if s.IntentID == "" && s.State == pos.SaleCreating && s.Pending.Op == pos.OpCreateIntent &&
		!s.ChargedAt.IsZero() && at.Sub(s.ChargedAt) > StaleCreate {
		var err error
		if s, ev, err = r.staleCreate(ctx, s, at); err != nil {
			return s, err
		}
	}
	start := r.now()
	s, err := r.Drive(ctx, s, ev, func(s pos.Sale) bool {
		return resolved(s) || r.now().Sub(start) > ReconcileTimeout
	})
	if err != nil {
		return s, err
	}
	// Make sure the journal holds the outcome even if the last step
	// changed nothing durable (Drive saves material changes already).
	if err := r.Record(ctx, s, ""); err != nil {
		return s, err
	}
	if !resolved(s) {
		return s, fmt.Errorf("still %s after %s; Stripe may be unreachable", s.State, ReconcileTimeout)
	}
	return s, nil
}

// resolved: nothing in flight is unknown any more.
func resolved(s pos.Sale) bool {
	if s.Pending.Active() {
		return false
	}
	switch s.State {
	case pos.SaleCreating, pos.SaleProcessing, pos.SaleCapturing, pos.SaleUnknown, pos.SaleCanceling:
		return false
	}
	return true
}

// staleCreate answers a create too old to resend: it marks the sale for
// cancellation and looks for the intent by metadata. The event returned
// answers the pending create (IntentCreated with what was found, which the
// machine then cancels; or RequestNotSent when nothing was found).
func (r *Runner) staleCreate(ctx context.Context, s pos.Sale, at time.Time) (pos.Sale, pos.SaleEvent, error) {
	s, _, err := r.Step(ctx, s, pos.CancelRequested{At: at, Reason: "abandoned"})
	if err != nil {
		return s, nil, err
	}
	in, found, err := r.FindIntent(ctx, s)
	if err != nil {
		return s, nil, err
	}
	if found {
		return s, pos.IntentCreated{At: r.now(), Seq: s.Pending.Seq, Intent: in}, nil
	}
	return s, pos.RequestNotSent{At: r.now(), Seq: s.Pending.Seq, Op: pos.OpCreateIntent,
		Reason: "no PaymentIntent carries this sale's id"}, nil
}

// FindIntent searches the seller's intents created since the sale was
// charged (minus a minute of clock skew) for metadata kasse_sale_id = s.ID.
func (r *Runner) FindIntent(ctx context.Context, s pos.Sale) (pos.Intent, bool, error) {
	from := s.ChargedAt
	if from.IsZero() {
		from = s.CreatedAt
	}
	ctx, cancel := context.WithTimeout(ctx, r.timeout())
	defer cancel()
	list, err := r.Payments.ListIntents(ctx, s.Seller, pos.IntentFilter{CreatedFrom: from.Add(-time.Minute).Unix(), Limit: 100})
	if err != nil {
		return pos.Intent{}, false, err
	}
	for _, in := range list {
		if in.Metadata["kasse_sale_id"] == s.ID {
			return in, true, nil
		}
	}
	return pos.Intent{}, false, nil
}
