package checkout

import (
	"context"
	"errors"
	"fmt"
	"time"

	"kasse/i18n"
	"kasse/pos"
)

// SaleJournal is what Reconcile needs from the journal; *journal.Journal
// implements it (and Claimer).
type SaleJournal interface {
	SaleStore
	UnfinishedSales(ctx context.Context) ([]pos.Sale, error)
}

// ReconcileTimeout bounds the work on one sale in Reconcile. A sale that
// cannot be settled in time (Stripe unreachable) is returned with an error
// and settled on the next start.
const ReconcileTimeout = 30 * time.Second

// StaleCreate is the age after which a create's idempotency key may have
// been forgotten by Stripe (it keeps keys at least 24 hours): Reconcile then
// looks for the intent by the sale id in its metadata instead of resending.
const StaleCreate = 23 * time.Hour

// ReconcileOptions says what Reconcile may leave open.
type ReconcileOptions struct {
	// Offer picks the sales that are only brought up to date with Stripe
	// and then left open for the cashier to resume or cancel (the console
	// offers its own sales). Nil: every sale is settled.
	Offer func(pos.Sale) bool
}

// OfferConsoleSales is the console's Offer: sales rung up in a console.
func OfferConsoleSales(s pos.Sale) bool { return s.Origin == pos.OriginConsole }

// Reconciled is what Reconcile did with one unfinished sale of the journal.
type Reconciled struct {
	Sale pos.Sale      // the sale as saved afterwards
	Was  pos.SaleState // its state in the journal before
	// Offered: brought up to date and left open for the cashier (see
	// ReconcileOptions.Offer); this runner keeps the sale claimed.
	Offered bool
	// InUse: another running Kasse looks after the sale; not touched.
	InUse bool
	// Err: not settled (Stripe unreachable, …); the next start tries again.
	Err error
}

// Open reports whether the sale is still open afterwards (offered, in use
// elsewhere, or not settled).
func (x Reconciled) Open() bool {
	return !x.Sale.Finished() && x.Sale.State != pos.SaleRequiresCapture
}

// Summary is SummaryMessage in English, for logs and --json:
// "waiting_for_card → canceled".
func (x Reconciled) Summary() string { return i18n.Neutral().Render(x.SummaryMessage()) }

// SummaryMessage is what reconciliation did with the sale, for people:
// its states before and after (codes), and whether it was left alone,
// offered to the cashier or not settled (and why).
func (x Reconciled) SummaryMessage() i18n.Message {
	a := i18n.Args{"Was": string(x.Was), "State": string(x.Sale.State)}
	switch {
	case x.InUse:
		return i18n.M("cli.checkout.summary.in_use", a)
	case x.Err != nil:
		a["Error"] = x.Err
		return i18n.M("cli.checkout.summary.not_settled", a)
	case x.Offered:
		return i18n.M("cli.checkout.summary.offered", a)
	}
	if t := x.Sale.Transfer; t != nil { // a separate charge's transfer to its seller
		a["Transfer"], a["TransferID"] = string(t.State), t.ID
		if t.ID != "" {
			return i18n.M("cli.checkout.summary.settled_transfer_id", a)
		}
		return i18n.M("cli.checkout.summary.settled_transfer", a)
	}
	return i18n.M("cli.checkout.summary.settled", a)
}

// Reconcile settles every unfinished sale in the journal against Stripe,
// as at start-up after a crash, and reports what it did, oldest sale
// first. A sale that another running Kasse holds (Claimer) is left alone.
//
//   - A draft never reached Stripe: it is canceled locally.
//   - An authorized sale waiting for capture is the back office's: not
//     touched (and not reported).
//   - A sale Offer picks gets pos.Resumed and is driven until what was in
//     flight is known (the intent read by its recorded id, a lost create
//     resent under its SAME key, the reader read before anything is
//     resent): it then waits for the cashier, or is final if it was paid
//     or canceled meanwhile.
//   - Every other sale gets pos.Orphaned and is driven until final: kept if
//     it was paid (or authorized), else canceled at the reader (compare
//     before cancel) and on Stripe. So is a failed sale whose intent may
//     still be open (not pos.Sale.Finished): never offered, it has nothing
//     left for a cashier to decide.
//   - A create older than StaleCreate is not resent: Reconcile searches the
//     seller's intents for metadata kasse_sale_id and cancels what it finds.
//
// The journal holds each outcome. An error for one sale does not stop the
// others; they are joined.
func (r *Runner) Reconcile(ctx context.Context, j SaleJournal, opts ReconcileOptions) ([]Reconciled, error) {
	sales, err := j.UnfinishedSales(ctx)
	if err != nil {
		return nil, fmt.Errorf("checkout: reconcile: %w", err)
	}
	var out []Reconciled
	var errs []error
	for _, s := range sales {
		if s.State == pos.SaleRequiresCapture && !s.Pending.Active() {
			continue
		}
		x := r.reconcileOne(ctx, s, opts)
		if x.Err != nil {
			errs = append(errs, fmt.Errorf("sale %s: %w", s.ID, x.Err))
		}
		out = append(out, x)
		if ctx.Err() != nil {
			break
		}
	}
	return out, errors.Join(errs...)
}

func (r *Runner) reconcileOne(ctx context.Context, s pos.Sale, opts ReconcileOptions) Reconciled {
	x := Reconciled{Sale: s, Was: s.State}
	if ok, err := r.claim(s.ID); err != nil {
		x.Err = err
		return x
	} else if !ok {
		x.InUse = true
		return x
	}
	at := r.now()
	// A failed sale has nothing left for a cashier to decide: its intent,
	// if it may be open, is settled like a headless sale's.
	offer := s.State != pos.SaleDraft && !s.State.Final() && opts.Offer != nil && opts.Offer(s)
	ev := pos.SaleEvent(pos.Orphaned{At: at})
	done := func(s pos.Sale) bool { return s.Finished() || s.State == pos.SaleRequiresCapture }
	if offer {
		ev, done = pos.Resumed{At: at}, resolved
	}
	if s.IntentID == "" && s.State == pos.SaleCreating && s.Pending.Op == pos.OpCreateIntent &&
		!s.ChargedAt.IsZero() && at.Sub(s.ChargedAt) > StaleCreate {
		var err error
		if s, ev, err = r.staleCreate(ctx, s, at); err != nil {
			x.Sale, x.Err = s, err
			return x
		}
		done = func(s pos.Sale) bool { return s.Finished() }
	}
	start := r.now()
	s, err := r.Drive(ctx, s, ev, func(s pos.Sale) bool {
		return done(s) && !s.Pending.Active() || r.now().Sub(start) > ReconcileTimeout
	})
	x.Sale = s
	if err != nil {
		x.Err = err
		return x
	}
	// Make sure the journal holds the outcome even if the last step
	// changed nothing durable (Drive saves material changes already).
	if err := r.Record(ctx, s, ""); err != nil {
		x.Err = err
		return x
	}
	switch {
	case s.State == pos.SaleFailed && !s.Finished():
		x.Err = &i18n.Error{Kind: errCancelRefused, Msg: i18n.M("cli.checkout.cancel_refused", i18n.Args{"Intent": s.IntentID, "Error": s.LastError})}
	case !done(s) || s.Pending.Active():
		x.Err = &i18n.Error{Kind: errStillOpen, Msg: i18n.M("cli.checkout.still_open", i18n.Args{"State": string(s.State), "Timeout": ReconcileTimeout})}
	case offer:
		x.Offered = x.Open()
	}
	if !x.Offered && !x.Open() {
		r.unclaim(s.ID)
	}
	return x
}

// Why Reconcile could not settle a sale.
var (
	errCancelRefused = errors.New("its PaymentIntent may be open: canceling it was refused")
	errStillOpen     = errors.New("not settled in time")
)

// resolved: nothing in flight is unknown any more (the sale may still wait
// for the card or for the cashier).
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
		Reason: "no PaymentIntent carries this sale's id"}, nil // i18n:ok pos's notice reason, shown as written
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
