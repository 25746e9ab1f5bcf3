package pos

import (
	"errors"
	"strings"
	"time"
)

// The sale state machine, in short (decision states wait for the cashier's
// Retry, ChangeReader or Cancel; Unknown and Canceling progress on Ticks):
//
//	Draft ─Charge→ Creating ─created→ Processing ─accepted→ WaitingForCard
//	WaitingForCard ─action succeeded→ Approved | RequiresCapture ─Capture→ Capturing → Approved
//	WaitingForCard ─card_declined→ Declined      ─Retry (same intent, new key)→ Processing
//	WaitingForCard ─customer_canceled→ CustomerCanceled
//	WaitingForCard ─connection_error / payment left reader→ Unknown(payment) → read intent
//	WaitingForCard ─idle timeout, no card→ clear reader → Interrupted (intent kept)
//	Creating ─unknown→ Unknown(create) ─Tick→ same-key create
//	Processing ─unknown/timeout→ Unknown(process) → read reader → read intent → resend | busy | offline
//	Processing ─busy→ ReaderBusy ─offline→ ReaderOffline ─invalid request→ Interrupted
//	any open state ─Cancel→ Canceling: read reader → cancel_action if ours → cancel intent → Canceled
//	RequiresCapture ─Cancel (void)→ Canceling: cancel intent → Canceled (the reader is not involved)
//	Draft shown on the reader ─Cancel→ Canceled, ClearDisplay (compare before clear)
//	any open state ─Orphaned→ as Cancel, but the intent is read before its cancel: paid → Approved,
//	    authorized → RequiresCapture (kept); a lost create is resent first, a capture finished;
//	    a Failed sale whose intent may be open (not Finished) is settled the same way
//	any request ─429→ same state; after a jittered back-off the same request under the same key
//	    (cancel_action: the read before it) — Stripe rate limiting never decides a sale
//
// Step is the sale state machine: a pure function from a sale and an event
// to the next sale and the effects to run. It never reads the clock, never
// performs I/O and never mutates its input.
//
// Guarantees (tested, see sale_property_test.go):
//   - A sale has exactly one create key, CreateKey(); CreateIntent is never
//     emitted once IntentID is known. An unknown create outcome is resolved
//     only by resending the frozen Request under that same key.
//   - Every other mutating request gets a fresh key, and after an unknown
//     outcome it is resent only once a read proved the earlier send had no
//     effect (reader first, then intent). A request Stripe refused with 429
//     is resent as it was, under its key (Throttle).
//   - At most one request is outstanding; a mutating request is never
//     abandoned: the machine waits for its result (or a Resumed).
//   - A decline retry reuses the intent.
//   - cancel_action is sent only right after a read showed the reader
//     working on our intent; nothing cancels an Approved sale.
//   - Every effect list holding a mutating request starts with Record.
func Step(s Sale, ev SaleEvent) (Sale, []Effect) {
	if seq, op, ok := resultOf(ev); ok {
		if !s.Pending.Active() || seq != s.Pending.Seq || (op != "" && op != s.Pending.Op) {
			return s, nil // stale: answers a request the sale no longer waits for
		}
	}
	at := ev.When()
	var effs []Effect
	switch e := ev.(type) {
	case CartChanged:
		s, effs = s.onCartChanged(e)
	case ChargeRequested:
		s, effs = s.onCharge(at)
	case RetryRequested:
		s, effs = s.onRetry(at)
	case CancelRequested:
		s, effs = s.onCancel(e)
	case ChangeReader:
		s, effs = s.onChangeReader(e)
	case CaptureRequested:
		s.Notice = ""
		if s.State != SaleRequiresCapture {
			s.Notice = "Only an authorized, uncaptured sale can be captured."
			break
		}
		s, effs = s.sendCapture(at)
	case Tick:
		s, effs = s.onTick(at)
	case Resumed:
		s, effs = s.onResumed(at)
	case Orphaned:
		s, effs = s.onOrphaned(at)
	default:
		op := s.Pending.Op
		s.Pending = Pending{}
		if f, ok := ev.(RequestFailed); ok && IsKind(f.Err, KindRateLimited) && !s.State.Final() {
			s, effs = s.onThrottled(op, at)
			break
		}
		s.Throttle = Throttle{}
		s, effs = s.onResult(ev, op, at)
	}
	if s.Customer != nil && (s.State.Final() || s.State.Decision() || s.State == SaleRequiresCapture) {
		s, effs = s.linkAfterCreate(effs) // a new copy of a wallet customer: name it (sale_customer_outcome.go)
	}
	s.UpdatedAt = at
	for i, e := range effs {
		if r, ok := e.(Record); ok {
			r.Sale = s
			effs[i] = r
		}
	}
	return s, effs
}

func (s Sale) onResult(ev SaleEvent, op Op, at time.Time) (Sale, []Effect) {
	if _, failed := ev.(RequestFailed); !failed {
		s.Checks = 0
	}
	switch e := ev.(type) {
	case IntentCreated:
		return s.onIntentCreated(e.Intent, at)
	case ProcessAccepted:
		s.Reader = viewOf(e.Reader, at)
		s.State, s.PrimedAt, s.LastError = SaleWaitingForCard, at, nil
		if s.Cancel.Wanted {
			return s.startCancel(at)
		}
		if s.ourAction(e.Reader) == nil {
			return s, nil // the 200 is the acknowledgment; the next poll looks closer
		}
		return s.observe(e.Reader, at)
	case ReaderPolled:
		s.Reader = viewOf(e.Reader, at)
		if s.State == SaleCanceling {
			return s.observeForCancel(e.Reader, at)
		}
		return s.observe(e.Reader, at)
	case IntentRead:
		return s.onIntentRead(e.Intent, at)
	case ActionCanceled:
		s.Reader = viewOf(e.Reader, at)
		s.CardPresented = false
		if s.Cancel.ClearOnly {
			// Reader cleared after the idle timeout: confirm the intent is
			// still unpaid before offering Retry.
			s.Cancel = CancelPlan{}
			s.State, s.Checking, s.Interruption = SaleUnknown, CheckPayment, InterruptIdle
			return s.readIntent(at)
		}
		return s.cancelIntent(at)
	case CancelConfirmed:
		if e.Intent.Status != IntentCanceled {
			return s.readIntent(at)
		}
		return s.settle(e.Intent, at)
	case CardShared, CustomerCopied, CardAttached:
		return s.onPrepared(ev, at)
	case IntentCaptured:
		if e.Intent.Status != IntentSucceeded {
			s.State, s.Checking = SaleUnknown, CheckCapture
			return s.readIntent(at)
		}
		return s.settle(e.Intent, at)
	case TransferCreated:
		if s.Transfer == nil {
			return s, nil
		}
		return s.onTransferCreated(e.Transfer)
	case TransfersListed:
		if s.Transfer == nil {
			return s, nil
		}
		return s.onTransfersListed(e.Transfers, at)
	case RequestFailed:
		return s.onFailed(op, asPortError(e.Err), at)
	case RequestNotSent:
		return s.onNotSent(op, e.Reason, at)
	}
	return s, nil
}

func asPortError(err error) *Error {
	var pe *Error
	if errors.As(err, &pe) {
		c := *pe
		return &c
	}
	msg := "no response"
	if err != nil {
		msg = err.Error()
	}
	return &Error{Kind: KindUnknown, Message: msg}
}

func (s Sale) onCartChanged(e CartChanged) (Sale, []Effect) {
	s.Notice = ""
	if s.State != SaleDraft {
		s.Notice = "The cart is locked once charging has started."
		return s, nil
	}
	if c, err := LookupCurrency(e.Cart.Currency); err != nil || c.Code != s.Currency {
		s.Notice = "The cart's currency does not match the sale's (" + strings.ToUpper(s.Currency) + ")."
		return s, nil
	}
	prev := s.Cart
	s.Cart = e.Cart
	if len(e.Cart.Lines) == 0 && prev.Validate() == nil {
		// Emptied: take the cart that was shown off the reader (compare
		// before clear), rather than leave it there for the next customer.
		shown := s
		shown.Cart = prev
		_, effs := shown.clearDisplay()
		return s, effs
	}
	return s.showCart()
}

func (s Sale) showCart() (Sale, []Effect) {
	if s.ReaderID == "" || s.Cart.Validate() != nil {
		return s, nil
	}
	s.Displays++
	key := s.DisplayKey(s.Displays)
	return s, []Effect{
		Record{For: OpSetDisplay, Key: key},
		SetDisplay{Key: key, Owner: s.ReaderOwner, ReaderID: s.ReaderID, Cart: s.Cart.DisplayCart()},
	}
}

func (s Sale) onRetry(at time.Time) (Sale, []Effect) {
	s.Notice = ""
	switch {
	case s.State.Decision():
		s.Pending = Pending{} // at most a read (the busy inspection)
		s.AutoResends = 0
		return s.sendProcess(at)
	case s.State == SaleUnknown || s.State == SaleCanceling:
		if s.Pending.Active() {
			s.Notice = "Already checking."
			return s, nil
		}
		s.Checks = 0
		return s.onTick(at) // "check now"
	case s.State == SaleFailed:
		s.Notice = "This sale failed and cannot be retried; start a new sale."
	default:
		s.Notice = "Nothing to retry."
	}
	return s, nil
}

func (s Sale) onCancel(e CancelRequested) (Sale, []Effect) {
	s.Notice = ""
	reason := e.Reason
	if reason == "" {
		reason = "requested_by_customer"
	}
	want := CancelPlan{Wanted: true, Reason: reason}
	switch s.State {
	case SaleDraft:
		s.State, s.DoneAt = SaleCanceled, e.At
		return s.clearDisplay()
	case SaleApproved:
		s.Notice = "The payment was approved and cannot be canceled; refund it instead."
		return s, nil
	case SaleCapturing:
		s.Notice = "The capture is under way; refund the payment if needed."
		return s, nil
	case SaleCanceled:
		return s, nil
	case SaleCanceling:
		if s.Cancel.ClearOnly { // idle clearing under way: upgrade to a full cancel
			s.Cancel.ClearOnly, s.Cancel.Reason = false, reason
		}
		return s, nil
	case SaleFailed:
		if s.IntentID == "" {
			s.Notice = "Nothing to cancel: no payment was created."
			return s, nil
		}
		if s.Finished() {
			s.Notice = "Nothing to cancel: the payment is " + s.IntentStatus + "."
			return s, nil
		}
	}
	if s.Pending.Active() && s.Pending.Op.Mutating() || s.IntentID == "" {
		// A create/process is in flight, or the create's outcome is unknown:
		// cancel as soon as its result (and the intent id) is known.
		s.Cancel = want
		s.Notice = "Cancel noted: it runs as soon as the current request is resolved."
		return s, nil
	}
	s.Pending = Pending{} // only a read can be pending here
	s.Cancel = want
	return s.startCancel(e.At)
}

func (s Sale) onChangeReader(e ChangeReader) (Sale, []Effect) {
	s.Notice = ""
	if e.ReaderID == "" {
		s.Notice = "Choose a reader."
		return s, nil
	}
	switch {
	case s.State == SaleDraft:
		s.ReaderID, s.ReaderOwner, s.Reader = e.ReaderID, e.Owner, ReaderView{}
		return s.showCart()
	case s.State.Decision():
		s.ReaderID, s.ReaderOwner, s.Reader = e.ReaderID, e.Owner, ReaderView{}
		s.Pending, s.AutoResends = Pending{}, 0
		return s.sendProcess(e.At)
	}
	s.Notice = "The reader can only be changed before charging or after a failed attempt."
	return s, nil
}

func (s Sale) onTick(at time.Time) (Sale, []Effect) {
	if s.Pending.Active() {
		// Only a watch poll may be pre-empted, and only by the idle timeout.
		if s.State != SaleWaitingForCard || s.Pending.Op != OpReadReader || !s.idleExpired(at) {
			return s, nil
		}
		s.Pending = Pending{}
	}
	if s.Throttle.Waiting() {
		if at.Before(s.Throttle.Until) {
			return s, nil // Stripe is rate limiting: not yet
		}
		if !s.idleExpired(at) {
			return s.resend(at)
		}
	}
	switch s.State {
	case SaleApproved:
		if s.TransferOwed() {
			return s.resumeTransfer(at)
		}
	case SaleWaitingForCard:
		if s.idleExpired(at) {
			s.Cancel = CancelPlan{Wanted: true, ClearOnly: true, Reason: "abandoned"}
			return s.startCancel(at)
		}
		return s.readReader(at)
	case SalePreparing:
		return s.sendPrep(at) // after an unknown outcome: the same request, under its key
	case SaleUnknown:
		switch s.Checking {
		case CheckCreate:
			return s.sendCreate(at)
		case CheckCapture:
			return s.readIntent(at)
		}
		return s.readReader(at)
	case SaleCanceling:
		switch s.Cancel.Next {
		case OpReadIntent:
			return s.readIntent(at)
		case OpCancelIntent:
			return s.sendCancelIntent(at)
		}
		return s.startCancel(at)
	}
	return s, nil
}

func (s Sale) idleExpired(at time.Time) bool {
	return s.State == SaleWaitingForCard && s.IdleTimeout > 0 && !s.CardPresented &&
		!s.Cancel.Wanted && !s.PrimedAt.IsZero() && at.Sub(s.PrimedAt) >= s.IdleTimeout
}

// clearDisplay takes the cart a dropped draft showed off the reader.
func (s Sale) clearDisplay() (Sale, []Effect) {
	if s.Displays == 0 || s.ReaderID == "" || s.Cart.Validate() != nil {
		return s, nil
	}
	key := s.ClearDisplayKey(s.Displays)
	return s, []Effect{
		Record{For: OpClearDisplay, Key: key},
		ClearDisplay{Key: key, Owner: s.ReaderOwner, ReaderID: s.ReaderID, Cart: s.Cart.DisplayCart()},
	}
}

// onOrphaned settles a sale nobody resumes (see Orphaned).
func (s Sale) onOrphaned(at time.Time) (Sale, []Effect) {
	s.Notice = ""
	s.Pending, s.Checks, s.Throttle = Pending{}, 0, Throttle{}
	switch {
	case s.TransferOwed(): // paid; the seller's transfer is still to be made or found
		return s.resumeTransfer(at)
	case s.State == SaleDraft: // never reached Stripe; the reader is left to whoever uses it now
		s.State, s.DoneAt = SaleCanceled, at
		return s, nil
	case s.Finished(), s.State == SaleRequiresCapture:
		return s, nil // paid, canceled, failed before any intent, or authorized for the back office
	case s.State == SaleCapturing, s.State == SaleUnknown && s.Checking == CheckCapture:
		s.State, s.Checking = SaleUnknown, CheckCapture // a supervisor's capture: find out, finish it
		return s.readIntent(at)
	case s.State == SaleCanceling && s.Cancel.Wanted && !s.Cancel.ClearOnly:
		s.Cancel.Next = "" // the cashier's cancel (or void) goes on, from the reader
		return s.startCancel(at)
	}
	s.Cancel = CancelPlan{Wanted: true, Reason: "abandoned", KeepPaid: true}
	if s.IntentID == "" {
		if s.State == SaleCreating || s.Checking == CheckCreate {
			// The create may have reached Stripe: resend it under its one
			// key (Stripe replays the first answer); the cancel follows.
			s.State, s.Checking = SaleUnknown, CheckCreate
			return s.sendCreate(at)
		}
		s.State, s.DoneAt, s.Cancel = SaleCanceled, at, CancelPlan{}
		return s, nil
	}
	return s.startCancel(at)
}

func (s Sale) onResumed(at time.Time) (Sale, []Effect) {
	s.Pending, s.Checks, s.Throttle = Pending{}, 0, Throttle{}
	switch s.State {
	case SaleCreating:
		s.State, s.Checking = SaleUnknown, CheckCreate
	case SaleProcessing:
		s.State, s.Checking = SaleUnknown, CheckProcess
	case SaleCapturing:
		s.State, s.Checking = SaleUnknown, CheckCapture
	case SaleCanceling:
		s.Cancel.Next = "" // start over: read the reader first
	case SaleApproved:
		if s.TransferOwed() {
			return s.resumeTransfer(at)
		}
	}
	return s.onTick(at)
}
