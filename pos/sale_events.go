package pos

import "time"

// SaleEvent is an input to Step. Every event carries the time it happened
// (At); the machine never reads the clock.
//
// Cashier and timer events: CartChanged, ChargeRequested, RetryRequested,
// CancelRequested, ChangeReader, CaptureRequested, Tick, Resumed, Orphaned.
// Result events answer the request effect with the same Seq: IntentCreated,
// ProcessAccepted, ReaderPolled, IntentRead, ActionCanceled, CancelConfirmed,
// IntentCaptured, RequestFailed, RequestNotSent.
type SaleEvent interface {
	When() time.Time
	saleEvent()
}

// CartChanged replaces the cart (Draft only) and shows it on the reader.
type CartChanged struct {
	At   time.Time
	Cart Cart
}

// ChargeRequested starts the payment (Draft only).
type ChargeRequested struct{ At time.Time }

// RetryRequested is the cashier's Retry: re-prime the reader with the same
// intent in a decision state, or "check now" while Unknown/Canceling.
type RetryRequested struct{ At time.Time }

// CancelRequested is the cashier's Cancel. Reason is the PaymentIntent
// cancellation_reason; "" means requested_by_customer.
type CancelRequested struct {
	At     time.Time
	Reason string
}

// ChangeReader switches the reader: in Draft it just sets it; in a decision
// state it also re-sends the payment to the new reader.
type ChangeReader struct {
	At       time.Time
	ReaderID string
	Owner    Account
}

// CaptureRequested captures an authorized (manual capture) sale.
type CaptureRequested struct{ At time.Time }

// Tick is the executor's timer, sent every PollInterval(sale). It drives
// reader polling, Unknown resolution, cancel retries and the idle timeout.
type Tick struct{ At time.Time }

// Resumed is sent once for every unfinished sale loaded from the journal at
// start-up: whatever was in flight is treated as unknown and checked.
type Resumed struct{ At time.Time }

// Orphaned is sent instead of Resumed for an unfinished sale from the
// journal that nobody will resume (a crashed headless run, a sale the
// cashier does not take back): whatever was in flight is treated as
// unknown, and the sale is settled — kept if it was paid or authorized,
// else canceled at the reader (compare before cancel) and on Stripe. A
// create whose answer was lost is first resent under its one key; a
// capture under way is finished; a cancel under way goes on as planned. A
// failed sale that is not Finished (its intent may be open) is canceled
// like an open one.
type Orphaned struct{ At time.Time }

// IntentCreated answers CreateIntent.
type IntentCreated struct {
	At     time.Time
	Seq    int64
	Intent Intent
}

// ProcessAccepted answers ProcessIntent (HTTP 200: the reader acknowledged).
type ProcessAccepted struct {
	At     time.Time
	Seq    int64
	Reader Reader
}

// ReaderPolled answers PollReader.
type ReaderPolled struct {
	At     time.Time
	Seq    int64
	Reader Reader
}

// IntentRead answers GetIntent.
type IntentRead struct {
	At     time.Time
	Seq    int64
	Intent Intent
}

// ActionCanceled answers CancelReaderAction.
type ActionCanceled struct {
	At     time.Time
	Seq    int64
	Reader Reader
}

// CancelConfirmed answers CancelIntent.
type CancelConfirmed struct {
	At     time.Time
	Seq    int64
	Intent Intent
}

// IntentCaptured answers CaptureIntent.
type IntentCaptured struct {
	At     time.Time
	Seq    int64
	Intent Intent
}

// RequestFailed reports that a request returned an error. Err should be a
// *Error from the port; any other error counts as KindUnknown (the request
// may or may not have taken effect). Op may be left empty.
type RequestFailed struct {
	At  time.Time
	Seq int64
	Op  Op
	Err error
}

// RequestNotSent reports that the executor did not send a request at all
// (typically: the Record before it could not be written). Unlike
// RequestFailed this is definite: Stripe never saw it.
type RequestNotSent struct {
	At     time.Time
	Seq    int64
	Op     Op
	Reason string
}

// When implements SaleEvent.
func (e CartChanged) When() time.Time { return e.At }

// When implements SaleEvent.
func (e ChargeRequested) When() time.Time { return e.At }

// When implements SaleEvent.
func (e RetryRequested) When() time.Time { return e.At }

// When implements SaleEvent.
func (e CancelRequested) When() time.Time { return e.At }

// When implements SaleEvent.
func (e ChangeReader) When() time.Time { return e.At }

// When implements SaleEvent.
func (e CaptureRequested) When() time.Time { return e.At }

// When implements SaleEvent.
func (e Tick) When() time.Time { return e.At }

// When implements SaleEvent.
func (e Resumed) When() time.Time { return e.At }

// When implements SaleEvent.
func (e Orphaned) When() time.Time { return e.At }

// When implements SaleEvent.
func (e IntentCreated) When() time.Time { return e.At }

// When implements SaleEvent.
func (e ProcessAccepted) When() time.Time { return e.At }

// When implements SaleEvent.
func (e ReaderPolled) When() time.Time { return e.At }

// When implements SaleEvent.
func (e IntentRead) When() time.Time { return e.At }

// When implements SaleEvent.
func (e ActionCanceled) When() time.Time { return e.At }

// When implements SaleEvent.
func (e CancelConfirmed) When() time.Time { return e.At }

// When implements SaleEvent.
func (e IntentCaptured) When() time.Time { return e.At }

// When implements SaleEvent.
func (e RequestFailed) When() time.Time { return e.At }

// When implements SaleEvent.
func (e RequestNotSent) When() time.Time { return e.At }

func (CartChanged) saleEvent()      {}
func (ChargeRequested) saleEvent()  {}
func (RetryRequested) saleEvent()   {}
func (CancelRequested) saleEvent()  {}
func (ChangeReader) saleEvent()     {}
func (CaptureRequested) saleEvent() {}
func (Tick) saleEvent()             {}
func (Resumed) saleEvent()          {}
func (Orphaned) saleEvent()         {}
func (IntentCreated) saleEvent()    {}
func (ProcessAccepted) saleEvent()  {}
func (ReaderPolled) saleEvent()     {}
func (IntentRead) saleEvent()       {}
func (ActionCanceled) saleEvent()   {}
func (CancelConfirmed) saleEvent()  {}
func (IntentCaptured) saleEvent()   {}
func (RequestFailed) saleEvent()    {}
func (RequestNotSent) saleEvent()   {}

// resultOf returns the Seq and the Op a result event answers; ok is false
// for cashier and timer events. RequestFailed/RequestNotSent answer their
// Op, or any op when Op is empty.
func resultOf(ev SaleEvent) (seq int64, op Op, ok bool) {
	switch e := ev.(type) {
	case IntentCreated:
		return e.Seq, OpCreateIntent, true
	case ProcessAccepted:
		return e.Seq, OpProcessIntent, true
	case ReaderPolled:
		return e.Seq, OpReadReader, true
	case IntentRead:
		return e.Seq, OpReadIntent, true
	case ActionCanceled:
		return e.Seq, OpCancelAction, true
	case CancelConfirmed:
		return e.Seq, OpCancelIntent, true
	case IntentCaptured:
		return e.Seq, OpCaptureIntent, true
	case TransferCreated:
		return e.Seq, OpCreateTransfer, true
	case TransfersListed:
		return e.Seq, OpListTransfers, true
	case RequestFailed:
		return e.Seq, e.Op, true
	case RequestNotSent:
		return e.Seq, e.Op, true
	}
	return customerResult(ev)
}
