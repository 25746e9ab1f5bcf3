package pos

import "time"

// A transfer step is one platform request that moves a seller's money and
// is made exactly once: a separate-charge sale's transfer
// (sale_transfer.go) and its refund's reversal of it
// (refund_reversal.go). It has one idempotency key, is recorded before
// every send, and an answer that is lost is looked up on Stripe before
// anything is sent again:
//
//	owed ─send→ sent ─answered→ done
//	sent ─unknown (timeout, 5xx, crash)→ unknown ─look up→ done (found) | send again (absent)
//	sent ─refused (4xx)→ failed (a supervisor must look)
//
// What the request is, and how it is looked up, is the machine's; where
// the step stands, and how each answer moves it, is TransferStep's.

// TransferState is where a transfer step stands.
type TransferState string

// Transfer states.
const (
	TransferOwed    TransferState = "owed"    // to send: never sent, or proven not to exist
	TransferSent    TransferState = "sent"    // sent, answer awaited
	TransferUnknown TransferState = "unknown" // the answer was lost: look up before any resend
	TransferDone    TransferState = "done"    // Stripe made it (or nothing was owed)
	TransferFailed  TransferState = "failed"  // Stripe refused it: a supervisor must look
)

// Final reports whether nothing more will be done about the transfer.
func (st TransferState) Final() bool { return st == TransferDone || st == TransferFailed }

// TransferStep is the progress of a transfer step.
type TransferStep struct {
	State       TransferState
	ID          string // tr_… / trr_… once known
	Sends       int
	Checks      int // inconclusive look-ups in a row (back-off)
	FirstSentAt time.Time
	LastError   *Error
}

// sending: the request goes out (again) at at, under the step's one key.
func (t *TransferStep) sending(at time.Time) {
	t.Sends++
	if t.FirstSentAt.IsZero() {
		t.FirstSentAt = at
	}
	t.State = TransferSent
}

// done: Stripe's object id exists.
func (t *TransferStep) done(id string) {
	t.ID, t.State, t.LastError, t.Checks = id, TransferDone, nil, 0
}

// failed: the send or the look-up (lookUp) failed with err. A look-up's
// failure, a lost answer or a rate limit leaves the step to be looked up;
// Stripe's refusal of the send made nothing and is final.
func (t *TransferStep) failed(lookUp bool, err *Error) {
	t.LastError = err
	switch {
	case lookUp || err.Kind == KindUnknown || err.Kind == KindRateLimited:
		t.Checks++
		if t.State == TransferSent {
			t.State = TransferUnknown
		}
	default: // Stripe refused it (4xx): it made nothing; a person must look
		t.State = TransferFailed
	}
}

// notSent: the journal write before the send failed. A first send never
// used its key and is owed again; a resend may have been answered before,
// so the step is looked up.
func (t *TransferStep) notSent() {
	if t.Sends == 1 && t.State == TransferSent { // the key was never used
		t.State, t.Sends, t.FirstSentAt = TransferOwed, 0, time.Time{}
	} else if t.State == TransferSent {
		t.State = TransferUnknown
	}
	t.Checks++
}
