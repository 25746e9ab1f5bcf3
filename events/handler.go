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
	"errors"
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

// findSale is the sale a payment belongs to: by kasse_sale_id (written
// before the intent existed), else by the PaymentIntent id.
func (h *Handler) findSale(ctx context.Context, saleID, intentID string) (pos.Sale, bool, error) {
	if saleID != "" {
		s, err := h.Journal.Sale(ctx, saleID)
		switch {
		case err == nil:
			return s, true, nil
		case !errors.Is(err, journal.ErrNotFound):
			return s, false, err
		}
	}
	return h.Journal.SaleByIntent(ctx, intentID)
}

// intentEvent: a capture or cancel by another system moves a resting sale.
func (h *Handler) intentEvent(ctx context.Context, ev pos.Event) (Result, error) {
	in := ev.Intent
	if in == nil {
		return ignored("no payment_intent in the event"), nil
	}
	saleID := in.Metadata["kasse_sale_id"]
	s, found, err := h.findSale(ctx, saleID, in.ID)
	if err != nil {
		return Result{}, err
	}
	if !found {
		if saleID != "" && (h.ConsoleID == "" || in.Metadata["kasse_console_id"] == "" || in.Metadata["kasse_console_id"] == h.ConsoleID) {
			return waits("sale "+saleID+" is not in the journal yet", saleID), nil
		}
		return ignored("payment " + in.ID + " is not a sale of this journal"), nil
	}
	release, held, err := h.claim(s)
	if err != nil {
		return Result{}, err
	}
	if held != "" {
		return waits(held, s.ID), nil
	}
	defer release()
	next, kind, out := pos.ApplyIntentEvent(s, *in, h.now())
	switch out {
	case pos.EventWait:
		return waits("the sale is under way: its own process follows the payment", s.ID), nil
	case pos.EventNoChange:
		return applied("the sale already shows it", s.ID, nil), nil
	}
	if err := h.Journal.SaveSale(ctx, next); err != nil {
		return Result{}, err
	}
	what := map[pos.NoticeKind]string{pos.NoticeCaptured: "captured", pos.NoticeCanceled: "canceled"}[kind]
	note := fmt.Sprintf("sale %s %s by another system (%s → %s)", s.ID, orWord(what, "settled"), s.State, next.State)
	if err := h.audit(ctx, "sale.event", s.ID, ev, note); err != nil {
		return Result{}, err
	}
	var n *pos.Notice
	if kind != "" {
		n = &pos.Notice{Kind: kind, Seller: s.Seller, SaleID: s.ID, IntentID: in.ID, Amount: next.Amount, Currency: next.Currency}
	}
	return applied(note, s.ID, n), nil
}

func orWord(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

// claim makes sure no running process drives s while an event changes it.
// held says why the event must wait ("" = go ahead; call release after).
func (h *Handler) claim(s pos.Sale) (release func(), held string, err error) {
	nothing := func() {}
	if s.Finished() {
		return nothing, "", nil // nothing left to drive
	}
	if h.Holds != nil && h.Holds(s.ID) {
		if s.State == pos.SaleRequiresCapture {
			return nothing, "", nil // authorized, resting: this process only reads it again
		}
		return nil, "this console drives the sale: it settles the payment itself", nil
	}
	rel, ok, err := h.Journal.ClaimSale(s.ID)
	if err != nil {
		return nil, "", err
	}
	if !ok {
		return nil, "another running Kasse drives the sale", nil
	}
	return rel, "", nil
}

// refundEvent: a refund Kasse did not make is written to the journal
// (the sale's refunded amount follows); Kasse's own refund catches up
// with its outcome.
func (h *Handler) refundEvent(ctx context.Context, ev pos.Event) (Result, error) {
	r := ev.Refund
	if r == nil {
		return ignored("no refund in the event"), nil
	}
	state := refundState(r.Status)
	if own, ok, err := h.Journal.RefundByStripeID(ctx, r.ID); err != nil {
		return Result{}, err
	} else if ok {
		if own.State == state || own.State.Final() || state == pos.RefundPending {
			return applied("refund "+r.ID+" already recorded", own.SaleID, nil), nil
		}
		own.State, own.Status, own.UpdatedAt = state, r.Status, h.now()
		if state.Final() {
			own.DoneAt = h.now()
		}
		if err := h.Journal.SaveRefund(ctx, own); err != nil {
			return Result{}, err
		}
		return applied(fmt.Sprintf("refund %s is now %s", r.ID, r.Status), own.SaleID, nil), nil
	}
	if kid := r.Metadata["kasse_refund_id"]; kid != "" {
		own, err := h.Journal.Refund(ctx, kid)
		switch {
		case err == nil && !own.State.Final():
			return waits("Kasse's refund "+kid+" is still being settled", own.SaleID), nil
		case err == nil:
			return applied("Kasse's refund "+kid, own.SaleID, nil), nil
		case errors.Is(err, journal.ErrNotFound):
			return ignored("refund " + r.ID + " was made by another Kasse"), nil
		default:
			return Result{}, err
		}
	}
	s, found, err := h.Journal.SaleByIntent(ctx, r.IntentID)
	if err != nil {
		return Result{}, err
	}
	if !found {
		return ignored("refund " + r.ID + " is not of a sale of this journal"), nil
	}
	now := h.now()
	rf := pos.RefundFlow{ID: ExternalRefundID(r.ID), SaleID: s.ID, Seller: s.Seller, IntentID: r.IntentID, ChargeID: r.ChargeID,
		Currency: orWord(r.Currency, s.Currency), Amount: r.Amount, Reason: pos.RefundReason(r.Reason), State: state,
		RefundID: r.ID, Status: r.Status, CreatedAt: r.Created, UpdatedAt: now,
		Notice: "made outside Kasse (the Dashboard or another system)"}
	if rf.CreatedAt.IsZero() {
		rf.CreatedAt = ev.Created
	}
	if state.Final() {
		rf.DoneAt = now
	}
	if err := h.Journal.SaveRefund(ctx, rf); err != nil {
		return Result{}, err
	}
	note := fmt.Sprintf("refund %s of %s made outside Kasse recorded for sale %s", r.ID, pos.Format(r.Amount, rf.Currency), s.ID)
	if err := h.audit(ctx, "refund.external", rf.ID, ev, note); err != nil {
		return Result{}, err
	}
	var n *pos.Notice
	if state != pos.RefundFailed {
		n = &pos.Notice{Kind: pos.NoticeRefundElsewhere, Seller: s.Seller, SaleID: s.ID, IntentID: r.IntentID, Amount: r.Amount, Currency: rf.Currency}
	}
	return applied(note, s.ID, n), nil
}

// chargeRefunded reads the refunds of the charge's payment and applies
// each as charge.refund.updated would (a refund recorded before — by Kasse,
// or from an earlier event — changes nothing).
func (h *Handler) chargeRefunded(ctx context.Context, ev pos.Event) (Result, error) {
	ch := ev.Charge
	if ch == nil || ch.IntentID == "" {
		return ignored("no payment in the charge"), nil
	}
	if h.Refunds == nil {
		return ignored("refunds are applied from charge.refund.updated (no refund lister)"), nil
	}
	refunds, err := h.Refunds.ListRefunds(ctx, ev.Account, ch.IntentID)
	if err != nil {
		return waits("could not list the refunds of "+ch.IntentID+": "+err.Error(), ""), nil
	}
	out := applied("no refund of "+ch.IntentID+" is new", "", nil)
	var notes []string
	for i := range refunds {
		one := ev
		one.Refund, one.Charge = &refunds[i], nil
		if one.Refund.IntentID == "" {
			one.Refund.IntentID = ch.IntentID
		}
		res, err := h.refundEvent(ctx, one)
		if err != nil {
			return Result{}, err
		}
		if res.SaleID != "" {
			out.SaleID = res.SaleID
		}
		if res.State.Waiting() {
			return waits(res.Note, res.SaleID), nil
		}
		if res.Notice != nil && out.Notice == nil {
			out.Notice = res.Notice
		} else if res.Notice != nil { // several refunds at once: one notice of their sum
			n := *out.Notice
			n.Amount += res.Notice.Amount
			out.Notice = &n
		}
		if res.State == journal.EventApplied && !strings.HasSuffix(res.Note, "already recorded") {
			notes = append(notes, res.Note)
		}
	}
	if len(notes) > 0 {
		out.Note = strings.Join(notes, "; ")
	}
	return out, nil
}

// ExternalRefundID is the journal id of a refund made outside Kasse.
func ExternalRefundID(refundID string) string { return "ext-" + refundID }

func refundState(status string) pos.RefundState {
	switch status {
	case "succeeded":
		return pos.RefundSucceeded
	case "failed", "canceled":
		return pos.RefundFailed
	}
	return pos.RefundPending
}

// disputeEvent keeps the dispute's latest state in the journal, linked
// to its sale, and tells supervisors.
func (h *Handler) disputeEvent(ctx context.Context, ev pos.Event) (Result, error) {
	d := ev.Dispute
	if d == nil {
		return ignored("no dispute in the event"), nil
	}
	dp := *d
	dp.Account = ev.Account
	s, found, err := h.Journal.SaleByIntent(ctx, dp.IntentID)
	if err != nil {
		return Result{}, err
	}
	saleID := ""
	if found {
		saleID = s.ID
	}
	changed, err := h.Journal.SaveDispute(ctx, dp, saleID)
	if err != nil {
		return Result{}, err
	}
	if !changed {
		return applied("dispute "+dp.ID+" already shows a later state", saleID, nil), nil
	}
	var kind pos.NoticeKind
	switch {
	case ev.Type == pos.EventDisputeCreated:
		kind = pos.NoticeDisputeOpened
	case dp.Closed():
		kind = pos.NoticeDisputeClosed
	case dp.Status == pos.DisputeUnderReview || dp.Status == pos.DisputeWarningUnderReview:
		kind = pos.NoticeDisputeSubmitted
	}
	note := fmt.Sprintf("dispute %s is %s (%s)", dp.ID, dp.Status, dp.Reason)
	var n *pos.Notice
	if kind != "" {
		n = &pos.Notice{Kind: kind, Seller: ev.Account, SaleID: saleID, IntentID: dp.IntentID, DisputeID: dp.ID,
			Amount: dp.Amount, Currency: dp.Currency, Status: dp.Status, Reason: dp.Reason}
	}
	return applied(note, saleID, n), nil
}

func (h *Handler) audit(ctx context.Context, action, subject string, ev pos.Event, detail string) error {
	return h.Journal.AppendAudit(ctx, journal.AuditEntry{Who: "stripe", Action: action, Subject: subject,
		Detail: detail + " (event " + ev.ID + ", " + ev.Type + ")"})
}
