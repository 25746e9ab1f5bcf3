// Package events makes Kasse hear what happens to its payments after the
// sale: Stripe's events, pushed by signed webhooks (`kasse webhooks
// serve`, Server) or read from the Events API (CatchUp, at start and on an
// interval), go through one Handler that records each event once (by id,
// in the journal) and applies it: a refund made in the Dashboard, a
// capture or cancel by another system, a dispute opened or closed update
// the journal and leave a notice for the console. `kasse events tail`
// prints the feed as it happens (Tail).
//
// An event is applied at most once and applying it again changes nothing:
// the journal dedupes by event id, every change is keyed (a refund by its
// re_ id, a dispute by its dp_ id keeping its latest state), and a sale
// only moves forward (pos.ApplyIntentEvent). Events arrive in any order
// and twice: neither matters. An event that cannot be applied yet — its
// sale is not in the journal, or a running Kasse drives it, or its seller
// is unknown — is kept (pending) and tried again on every drain, until it
// applies or PendingFor passes.
package events

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"kasse/journal"
	"kasse/pos"
)

// DefaultPendingFor is how long a waiting event is tried again.
const DefaultPendingFor = 7 * 24 * time.Hour

// Handler records and applies events. It is safe for concurrent use:
// applying is serialized.
type Handler struct {
	Journal *journal.Journal
	// ConsoleID is this console's (the sales' kasse_console_id): an event
	// about a sale of another console (another journal) is not waited for.
	ConsoleID string
	// Known reports whether an account is one of the platform's sellers
	// (nil: every account is). An event of an unknown account waits.
	Known func(ctx context.Context, account pos.Account) (bool, error)
	// Holds reports whether this process drives sale id (the runner's
	// claim; nil: none). Another process's claim is asked of the journal.
	Holds func(id string) bool
	// Refunds lists a payment's refunds (nil: charge.refunded is only
	// noted). charge.refunded names no refund on 2023-10-16 (a charge's
	// refunds list is not in the object), and Stripe sends
	// charge.refund.updated only when a refund's status changes — not for a
	// card refund that succeeded at once — so on charge.refunded the
	// handler lists the payment's refunds and records those it does not
	// know.
	Refunds RefundLister
	// PendingFor bounds how long an event waits (DefaultPendingFor).
	PendingFor time.Duration
	Log        *slog.Logger
	Now        func() time.Time

	mu sync.Mutex
}

// RefundLister lists the refunds of a PaymentIntent on an account
// (pos.Payments.ListRefunds).
type RefundLister interface {
	ListRefunds(ctx context.Context, account pos.Account, intentID string) ([]pos.Refund, error)
}

// Result is what handling one event did.
type Result struct {
	New    bool // recorded now (false: seen before)
	State  journal.EventState
	Note   string
	SaleID string
	Notice *pos.Notice

	unknown bool // ignored for a reason worth a warning (an unknown type, a gave-up wait)
}

func (h *Handler) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}

func (h *Handler) log() *slog.Logger {
	if h.Log != nil {
		return h.Log
	}
	return slog.New(slog.DiscardHandler)
}

// Record stores ev once (source: journal.SourceWebhook or SourceCatchUp);
// inserted reports that it is new. A webhook is acknowledged after Record:
// the event is durable, and applied by Apply or the next Drain.
func (h *Handler) Record(ctx context.Context, ev pos.Event, source string) (inserted bool, err error) {
	return h.Journal.RecordEvent(ctx, ev, source)
}

// Handle records ev and, if it is new, applies it.
func (h *Handler) Handle(ctx context.Context, ev pos.Event, source string) (Result, error) {
	inserted, err := h.Record(ctx, ev, source)
	if err != nil {
		return Result{}, err
	}
	if !inserted {
		return Result{State: journal.EventApplied, Note: "seen before"}, nil
	}
	res, err := h.Apply(ctx, ev.ID)
	res.New = true
	return res, err
}

// Apply applies the recorded event id if it still waits (an event applied
// before is left alone).
func (h *Handler) Apply(ctx context.Context, id string) (Result, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	rec, err := h.Journal.EventRecordByID(ctx, id)
	if err != nil {
		return Result{}, err
	}
	if !rec.State.Waiting() {
		return Result{State: rec.State, Note: rec.Note, SaleID: rec.SaleID}, nil
	}
	return h.settle(ctx, rec)
}

// Drain applies every waiting event (the ones that waited for their sale,
// a claim or their seller), oldest first. It returns how many were
// applied (or ignored) and how many still wait.
func (h *Handler) Drain(ctx context.Context) (settled, waiting int, err error) {
	recs, err := h.Journal.WaitingEvents(ctx, journal.MaxLimit)
	if err != nil {
		return 0, 0, err
	}
	for _, r := range recs {
		res, err := h.Apply(ctx, r.Event.ID)
		if err != nil {
			return settled, waiting, err
		}
		if res.State.Waiting() {
			waiting++
		} else {
			settled++
		}
	}
	return settled, waiting, nil
}

// settle decides what rec does and records it. Called with mu held.
func (h *Handler) settle(ctx context.Context, rec journal.EventRecord) (Result, error) {
	ev := rec.Event
	res, err := h.decide(ctx, ev)
	if err != nil {
		return Result{}, err
	}
	if res.State.Waiting() {
		pendingFor := h.PendingFor
		if pendingFor <= 0 {
			pendingFor = DefaultPendingFor
		}
		if h.now().Sub(rec.ReceivedAt) > pendingFor {
			res.State, res.Note, res.unknown = journal.EventIgnored, fmt.Sprintf("gave up after %s: %s", pendingFor, res.Note), true
		} else {
			res.State = journal.EventPending
		}
	}
	if err := h.Journal.SettleEvent(ctx, ev.ID, res.State, res.Note, res.SaleID, res.Notice); err != nil {
		return Result{}, err
	}
	lg := h.log().With("event", ev.ID, "type", ev.Type, "account", ev.Account.String(), "sale", res.SaleID, "note", res.Note)
	switch {
	case res.State == journal.EventApplied:
		lg.Info("event applied")
	case res.State == journal.EventPending:
		lg.Info("event kept: it waits to be applied")
	case res.unknown:
		lg.Warn("event ignored")
	default:
		lg.Debug("event ignored")
	}
	return res, nil
}

// decide applies ev to the journal and says how it went.
func (h *Handler) decide(ctx context.Context, ev pos.Event) (Result, error) {
	if !ev.Account.IsPlatform() && h.Known != nil {
		known, err := h.Known(ctx, ev.Account)
		if err != nil {
			return Result{State: journal.EventPending, Note: "could not check the seller: " + err.Error()}, nil
		}
		if !known {
			return Result{State: journal.EventPending, Note: "unknown seller " + string(ev.Account) + " (not a connected account of this platform)"}, nil
		}
	}
	switch ev.Type {
	case pos.EventIntentSucceeded, pos.EventIntentCanceled, pos.EventIntentCapturable, pos.EventIntentFailed:
		return h.intentEvent(ctx, ev)
	case pos.EventRefundUpdated:
		return h.refundEvent(ctx, ev)
	case pos.EventChargeRefunded:
		return h.chargeRefunded(ctx, ev)
	case pos.EventDisputeCreated, pos.EventDisputeUpdated, pos.EventDisputeClosed, pos.EventDisputeWithdrawn, pos.EventDisputeReinstated:
		return h.disputeEvent(ctx, ev)
	}
	if known := knownPrefix(ev.Type); known {
		return ignored("Kasse does not act on " + ev.Type), nil
	}
	res := ignored("unknown event type " + quote(ev.Type))
	res.unknown = true
	return res, nil
}

func ignored(note string) Result { return Result{State: journal.EventIgnored, Note: note} }

func applied(note, saleID string, n *pos.Notice) Result {
	return Result{State: journal.EventApplied, Note: note, SaleID: saleID, Notice: n}
}

func waits(note, saleID string) Result {
	return Result{State: journal.EventPending, Note: note, SaleID: saleID}
}

// knownPrefix reports whether typ is of an object family Stripe sends
// events for (so a type Kasse does not act on is not "unknown").
func knownPrefix(typ string) bool {
	for _, p := range []string{"payment_intent.", "charge.", "refund.", "terminal.reader.", "setup_intent.", "customer.",
		"payment_method.", "account.", "capability.", "person.", "payout.", "balance.", "transfer.", "application_fee.",
		"invoice.", "subscription_schedule.", "price.", "product.", "plan.", "source.", "mandate.", "radar.", "review.",
		"issuing_", "treasury.", "financial_connections.", "identity.", "checkout.", "billing_portal.", "file.", "climate.",
		"credit_note.", "coupon.", "promotion_code.", "quote.", "reporting.", "sigma.", "tax.", "tax_rate.", "test_helpers.",
		"topup.", "payment_link."} {
		if strings.HasPrefix(typ, p) {
			return true
		}
	}
	return false
}

func quote(s string) string { return fmt.Sprintf("%q", s) }

func orWord(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

func (h *Handler) audit(ctx context.Context, action, subject string, ev pos.Event, detail string) error {
	return h.Journal.AppendAudit(ctx, journal.AuditEntry{Who: "stripe", Action: action, Subject: subject,
		Detail: detail + " (event " + ev.ID + ", " + ev.Type + ")"})
}
