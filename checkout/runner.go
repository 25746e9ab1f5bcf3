// Package checkout runs the sale state machine of package pos against the
// ports: it is the one executor of pos.Effect values, shared by the console
// (package ui) and the headless `kasse charge` command, so both make exactly
// the same requests in exactly the same order.
//
// The machine (pos.Step) decides; the Runner only carries out:
//
//	s, effs, _ := r.Step(ctx, s, ev)      // pos.Step + journal write of state changes
//	for _, e := range effs {
//		if out := r.Exec(ctx, s, e); out != nil {
//			// feed out to r.Step (the UI does it from a tea.Cmd)
//		}
//	}
//
// Run(ctx, effs) does the inner loop for one effect list and implements the
// console's ui.SaleRunner. Drive does the whole loop itself, with Ticks
// every pos.PollInterval, for callers without an event loop (headless,
// reconciliation, tests). Reconcile settles the journal's unfinished sales
// at start-up (pos.Orphaned; sales the console offers to its cashier only
// pos.Resumed), leaving alone the sales another running process claims
// (Claimer); ExecRefund, DriveRefund and ReconcileRefunds do the same for
// pos.StepRefund. Counter wraps the ports to count requests.
//
// # Journal first
//
// Every effect list that holds a mutating request starts with a pos.Record;
// Exec writes it to the journal (SaleStore) and remembers its key. Exec
// refuses to send a mutating request whose key was not recorded by a
// successful Record for that sale — whatever the caller did — and answers
// pos.RequestNotSent instead, which the machine treats as "Stripe never saw
// it". So no request leaves the console that a crash could make Kasse
// forget. A request outside a sale (a customer's, a saved card's) has no
// machine: Once.Send records it in an OpStore before it sends it (once.go).
//
// The package imports neither Stripe nor Bubble Tea.
package checkout

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"kasse/internal/wait"
	"kasse/pos"
)

// SaleStore persists sales durably; *journal.Journal implements it. SaveSale
// must not return before the sale is on disk. keys are idempotency keys to
// record with the snapshot (the key of the Record effect).
type SaleStore interface {
	SaveSale(ctx context.Context, s pos.Sale, keys ...string) error
}

// DefaultTimeout bounds one request when Runner.Timeout is zero.
const DefaultTimeout = 20 * time.Second

// Runner executes sale effects against the ports. Set the exported fields
// before first use and do not change them afterwards; a Runner is safe for
// concurrent use by several sales.
type Runner struct {
	Payments  pos.Payments
	Terminal  pos.Terminal
	Presenter pos.Presenter // simulated card presentment; nil in live mode
	// Transfers makes a separate charge's transfer and a separate refund's
	// reversal (platform calls); nil refuses them as not sent.
	Transfers pos.Transfers
	Journal   SaleStore // required: nothing mutating is sent without it
	// Customers runs a customer's sale's requests (share a saved card,
	// copy the customer, attach, link; customer_effects.go). Nil: a sale
	// for a customer that needs one fails as not sent.
	Customers pos.Customers

	// Now is the clock stamped on result events (default time.Now).
	Now func() time.Time
	// Sleep waits between Ticks in Drive (default: a timer that honours
	// ctx). Tests inject one that advances a fake clock.
	Sleep func(ctx context.Context, d time.Duration) error
	// Timeout bounds each request (default DefaultTimeout). A request cut
	// off by it is an unknown outcome, which the machine resolves by reading.
	Timeout time.Duration
	// Log receives one line per request failure and per refused send.
	Log *slog.Logger

	mu       sync.Mutex
	recorded map[string]map[string]bool // sale id → keys recorded by a successful Record
	claims   map[string]func()          // sale id → release of this process's claim on it
}

// Claimer is implemented by a journal that knows which running process
// looks after an open sale (*journal.Journal does: one lock per sale that
// the kernel drops when the process dies). The runner claims every sale it
// records until the sale is final; Reconcile leaves a sale that another
// running process holds alone.
type Claimer interface {
	// ClaimSale claims sale id for this process until release is called
	// or the process ends; ok is false when someone else holds it.
	ClaimSale(id string) (release func(), ok bool, err error)
}

// claim takes sale id for this runner unless it already holds it. ok is
// false when another process (or runner) holds it.
func (r *Runner) claim(id string) (ok bool, err error) {
	c, can := r.Journal.(Claimer)
	if !can {
		return true, nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, held := r.claims[id]; held {
		return true, nil
	}
	release, ok, err := c.ClaimSale(id)
	if err != nil || !ok {
		return false, err
	}
	if r.claims == nil {
		r.claims = map[string]func(){}
	}
	r.claims[id] = release
	return true, nil
}

// unclaim releases this runner's claim on sale id, if it holds one.
func (r *Runner) unclaim(id string) {
	r.mu.Lock()
	release := r.claims[id]
	delete(r.claims, id)
	r.mu.Unlock()
	if release != nil {
		release()
	}
}

// hold keeps the runner's claim in step with a sale just saved: an open
// sale that went to Stripe is claimed, a final one released.
func (r *Runner) hold(s pos.Sale) {
	switch {
	case s.State.Final() && !s.Pending.Active():
		r.unclaim(s.ID)
	case s.State != pos.SaleDraft:
		if ok, err := r.claim(s.ID); err != nil || !ok {
			r.log().Warn("could not claim the sale for this process; another Kasse may settle it",
				"sale", s.ID, "held_elsewhere", !ok && err == nil, "err", err)
		}
	}
}

// ReleaseClaims lets go of every sale this runner holds, as the end of the
// process does. Tests use it to play a crash within one process.
func (r *Runner) ReleaseClaims() {
	r.mu.Lock()
	claims := r.claims
	r.claims = nil
	r.mu.Unlock()
	for _, release := range claims {
		release()
	}
}

func (r *Runner) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

func (r *Runner) sleep(ctx context.Context, d time.Duration) error {
	if r.Sleep != nil {
		return r.Sleep(ctx, d)
	}
	return wait.Sleep(ctx, d)
}

func (r *Runner) log() *slog.Logger {
	if r.Log != nil {
		return r.Log
	}
	return slog.New(slog.DiscardHandler)
}

func (r *Runner) timeout() time.Duration {
	if r.Timeout > 0 {
		return r.Timeout
	}
	return DefaultTimeout
}

// markRecorded remembers that key was durably recorded for sale id.
func (r *Runner) markRecorded(id, key string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.recorded == nil {
		r.recorded = map[string]map[string]bool{}
	}
	if r.recorded[id] == nil {
		r.recorded[id] = map[string]bool{}
	}
	r.recorded[id][key] = true
}

func (r *Runner) isRecorded(id, key string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return key != "" && r.recorded[id][key]
}

// forget drops what the runner remembers about a sale (once it is final).
func (r *Runner) forget(id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.recorded, id)
}

// Record writes s to the journal with key (if any) and, on success,
// allows requests under key to be sent for s. Exec calls it for pos.Record
// effects; PresentCard uses it too.
func (r *Runner) Record(ctx context.Context, s pos.Sale, key string) error {
	if r.Journal == nil {
		return errors.New("checkout: no journal configured; refusing to record")
	}
	var keys []string
	if key != "" {
		keys = []string{key}
	}
	if err := r.Journal.SaveSale(ctx, s, keys...); err != nil {
		return err
	}
	if key != "" {
		r.markRecorded(s.ID, key)
	}
	r.hold(s)
	return nil
}

// Exec runs one effect of sale s and returns the event that answers it, or
// nil for effects without an answer (a successful Record, SetDisplay). s is
// the sale pos.Step returned with the effect; Exec reads only its ID.
//
// A failed Record returns nil; the request after it then finds its key
// unrecorded and Exec answers pos.RequestNotSent without sending it.
func (r *Runner) Exec(ctx context.Context, s pos.Sale, eff pos.Effect) pos.SaleEvent {
	ev, _ := r.exec(ctx, s.ID, eff)
	return ev
}

// Run executes one effect list of one sale, in order, and returns the
// answers to feed back to Step (it implements the console's ui.SaleRunner).
// The sale is the one the list's Record names; a mutating effect in a list
// without a successful Record is not sent. err joins the failures that
// have no answer event (journal write, reader display); it never replaces
// an answer.
func (r *Runner) Run(ctx context.Context, effects []pos.Effect) ([]pos.SaleEvent, error) {
	id := ""
	for _, e := range effects {
		if rec, ok := e.(pos.Record); ok {
			id = rec.Sale.ID
			break
		}
	}
	var events []pos.SaleEvent
	var soft []error
	for _, e := range effects {
		ev, err := r.exec(ctx, id, e)
		if ev != nil {
			events = append(events, ev)
		}
		if err != nil {
			soft = append(soft, err)
		}
	}
	return events, errors.Join(soft...)
}

// exec runs eff for sale id. soft is a failure without an answer event.
func (r *Runner) exec(ctx context.Context, id string, eff pos.Effect) (ev pos.SaleEvent, soft error) {
	if rec, ok := eff.(pos.Record); ok {
		if err := r.Record(ctx, rec.Sale, rec.Key); err != nil {
			r.log().Error("journal write failed; the request will not be sent",
				"sale", rec.Sale.ID, "for", rec.For, "err", err)
			return nil, fmt.Errorf("journal: %w", err)
		}
		return nil, nil
	}
	seq, answered := pos.EffectSeq(eff)
	op := opOf(eff)
	if !saleEffect(eff) {
		r.log().Error("checkout: not a sale effect; not run", "sale", id, "effect", fmt.Sprintf("%T", eff))
		if answered {
			return pos.RequestNotSent{At: r.now(), Seq: seq, Op: op, Reason: fmt.Sprintf("%T is not a sale effect", eff)}, nil
		}
		return nil, fmt.Errorf("checkout: %T is not a sale effect", eff)
	}
	if eff.Mutating() {
		if key := pos.EffectKey(eff); !r.isRecorded(id, key) {
			r.log().Error("refusing to send a request whose key is not in the journal",
				"sale", id, "op", op, "key", key)
			if !answered {
				return nil, fmt.Errorf("%s not sent: not recorded in the journal", op)
			}
			return pos.RequestNotSent{At: r.now(), Seq: seq, Op: op,
				Reason: "the sale could not be written to the local journal"}, nil
		}
	}
	ctx, cancel := context.WithTimeout(ctx, r.timeout())
	defer cancel()
	ev, err := r.call(ctx, eff)
	if err != nil {
		r.log().Warn("request failed", "sale", id, "op", op, "kind", pos.KindOf(err), "err", err)
		if !answered {
			return nil, fmt.Errorf("%s: %w", op, err)
		}
		return pos.RequestFailed{At: r.now(), Seq: seq, Op: op, Err: err}, nil
	}
	return ev, nil
}

// call performs the request of eff and builds its answer. A port the
// runner was built without answers with an error, never a crash.
func (r *Runner) call(ctx context.Context, eff pos.Effect) (pos.SaleEvent, error) {
	if err := r.portFor(eff); err != nil {
		r.log().Error("checkout: runner built without a port", "effect", fmt.Sprintf("%T", eff), "err", err)
		return nil, err
	}
	switch e := eff.(type) {
	case pos.CreateIntent:
		in, err := r.Payments.CreateIntent(ctx, e.Seller, e.Request, e.Key)
		return pos.IntentCreated{At: r.now(), Seq: e.Seq, Intent: in}, err
	case pos.ProcessIntent:
		rd, err := r.Terminal.ProcessIntent(ctx, e.Owner, e.ReaderID, e.IntentID, e.Config, e.Key)
		return pos.ProcessAccepted{At: r.now(), Seq: e.Seq, Reader: rd}, err
	case pos.PollReader:
		rd, err := r.Terminal.GetReader(ctx, e.Owner, e.ReaderID)
		return pos.ReaderPolled{At: r.now(), Seq: e.Seq, Reader: rd}, err
	case pos.GetIntent:
		in, err := r.Payments.GetIntent(ctx, e.Seller, e.IntentID)
		return pos.IntentRead{At: r.now(), Seq: e.Seq, Intent: in}, err
	case pos.CancelReaderAction:
		rd, err := r.Terminal.CancelAction(ctx, e.Owner, e.ReaderID, e.Key)
		return pos.ActionCanceled{At: r.now(), Seq: e.Seq, Reader: rd}, err
	case pos.CancelIntent:
		in, err := r.Payments.CancelIntent(ctx, e.Seller, e.IntentID, e.Reason, e.Key)
		return pos.CancelConfirmed{At: r.now(), Seq: e.Seq, Intent: in}, err
	case pos.CaptureIntent:
		in, err := r.Payments.CaptureIntent(ctx, e.Seller, e.IntentID, e.Amount, e.Key)
		return pos.IntentCaptured{At: r.now(), Seq: e.Seq, Intent: in}, err
	case pos.SetDisplay:
		_, err := r.Terminal.SetDisplay(ctx, e.Owner, e.ReaderID, e.Cart, e.Key)
		return nil, err
	case pos.ClearDisplay:
		return nil, r.clearDisplay(ctx, e)
	case pos.CreateTransfer:
		t, err := r.Transfers.CreateTransfer(ctx, e.Request, e.Key)
		return pos.TransferCreated{At: r.now(), Seq: e.Seq, Transfer: t}, err
	case pos.FindTransfers:
		list, err := r.Transfers.ListTransfers(ctx, pos.TransferFilter{Group: e.Group, Limit: 10})
		return pos.TransfersListed{At: r.now(), Seq: e.Seq, Transfers: list}, err
	}
	if ev, err, ok := r.callCustomer(ctx, eff); ok { // customer_effects.go
		return ev, err
	}
	return nil, errNotSaleEffect
}

var errNotSaleEffect = errors.New("not an effect of the sale machine")

// portFor reports a missing port that eff needs.
func (r *Runner) portFor(eff pos.Effect) error {
	switch eff.(type) {
	case pos.CreateIntent, pos.GetIntent, pos.CancelIntent, pos.CaptureIntent:
		if r.Payments == nil {
			return errNoPort("Payments")
		}
	case pos.ProcessIntent, pos.PollReader, pos.CancelReaderAction, pos.SetDisplay, pos.ClearDisplay:
		if r.Terminal == nil {
			return errNoPort("Terminal")
		}
	case pos.CreateTransfer, pos.FindTransfers, pos.ReverseTransfer, pos.ReadTransfer:
		if r.Transfers == nil {
			return errNoPort("Transfers")
		}
	case pos.ShareCard, pos.CopyCustomer, pos.AttachCard, pos.LinkCustomer:
		if r.Customers == nil {
			return errNoPort("Customers")
		}
	}
	return nil
}

// errNoPort is a request this runner cannot make: a wiring mistake, not
// something Stripe said, so nothing was sent.
func errNoPort(port string) error {
	return &pos.Error{Kind: pos.KindInvalidRequest, Message: "not sent: this console has no " + port + " connection configured for it"}
}

// clearDisplay reads the reader and clears it only while it still shows
// the cart (compare before clear): a payment, or another console's cart,
// that replaced it is left alone.
func (r *Runner) clearDisplay(ctx context.Context, e pos.ClearDisplay) error {
	rd, err := r.Terminal.GetReader(ctx, e.Owner, e.ReaderID)
	if err != nil {
		return err
	}
	if !pos.ShowsCart(rd, e.Cart) {
		return nil
	}
	_, err = r.Terminal.CancelAction(ctx, e.Owner, e.ReaderID, e.Key)
	return err
}

func saleEffect(eff pos.Effect) bool {
	switch eff.(type) {
	case pos.CreateIntent, pos.ProcessIntent, pos.PollReader, pos.GetIntent, pos.CancelReaderAction,
		pos.CancelIntent, pos.CaptureIntent, pos.SetDisplay, pos.ClearDisplay, pos.CreateTransfer, pos.FindTransfers,
		pos.ShareCard, pos.CopyCustomer, pos.AttachCard, pos.LinkCustomer:
		return true
	}
	return false
}

// opOf names the request an effect makes.
func opOf(eff pos.Effect) pos.Op {
	switch eff.(type) {
	case pos.CreateIntent:
		return pos.OpCreateIntent
	case pos.ProcessIntent:
		return pos.OpProcessIntent
	case pos.PollReader:
		return pos.OpReadReader
	case pos.GetIntent:
		return pos.OpReadIntent
	case pos.CancelReaderAction:
		return pos.OpCancelAction
	case pos.CancelIntent:
		return pos.OpCancelIntent
	case pos.CaptureIntent:
		return pos.OpCaptureIntent
	case pos.SetDisplay:
		return pos.OpSetDisplay
	case pos.ClearDisplay:
		return pos.OpClearDisplay
	case pos.CreateRefund:
		return pos.OpCreateRefund
	case pos.ListRefunds:
		return pos.OpListRefunds
	case pos.CreateTransfer:
		return pos.OpCreateTransfer
	case pos.FindTransfers:
		return pos.OpListTransfers
	case pos.ReverseTransfer:
		return pos.OpReverseTransfer
	case pos.ReadTransfer:
		return pos.OpReadTransfer
	case pos.ShareCard:
		return pos.OpShareCard
	case pos.CopyCustomer:
		return pos.OpCopyCustomer
	case pos.AttachCard:
		return pos.OpAttachCard
	case pos.LinkCustomer:
		return pos.OpLinkCustomer
	}
	return ""
}

// Holds reports whether this runner holds the claim on sale id (it drives
// the sale: package events leaves it to the runner).
func (r *Runner) Holds(id string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	_, ok := r.claims[id]
	return ok
}
