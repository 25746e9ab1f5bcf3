package pos

import (
	"context"
	"errors"
	"time"
)

// What Stripe's events mean for Kasse's sales: the event types Kasse acts
// on, the notices they give, and the pure rules that move a sale when an
// event shows that another system (the Dashboard, a back end) captured or
// canceled its payment. Package events stores, dedupes and applies them.

// Event types Kasse acts on (2023-10-16 names).
const (
	EventIntentSucceeded      = "payment_intent.succeeded"
	EventIntentCanceled       = "payment_intent.canceled"
	EventIntentCapturable     = "payment_intent.amount_capturable_updated"
	EventIntentFailed         = "payment_intent.payment_failed"
	EventChargeRefunded       = "charge.refunded"
	EventRefundUpdated        = "charge.refund.updated"
	EventDisputeCreated       = "charge.dispute.created"
	EventDisputeUpdated       = "charge.dispute.updated"
	EventDisputeClosed        = "charge.dispute.closed"
	EventDisputeWithdrawn     = "charge.dispute.funds_withdrawn"
	EventDisputeReinstated    = "charge.dispute.funds_reinstated"
	EventReaderActionSucceded = "terminal.reader.action_succeeded"
	EventReaderActionFailed   = "terminal.reader.action_failed"
)

// WebhookEvents are the types a webhook endpoint for Kasse should enable
// (the README's list): everything Kasse acts on.
func WebhookEvents() []string {
	return []string{EventIntentSucceeded, EventIntentCanceled, EventIntentCapturable, EventIntentFailed,
		EventChargeRefunded, EventRefundUpdated, EventDisputeCreated, EventDisputeUpdated, EventDisputeClosed,
		EventDisputeWithdrawn, EventDisputeReinstated}
}

// NoticeKind says what a notice tells.
type NoticeKind string

// Notice kinds.
const (
	NoticeRefundElsewhere  NoticeKind = "refund_elsewhere"  // a refund Kasse did not make
	NoticeCaptured         NoticeKind = "captured"          // captured by another system
	NoticeCanceled         NoticeKind = "canceled"          // canceled (voided) by another system
	NoticeDisputeOpened    NoticeKind = "dispute_opened"    // a dispute (or inquiry) was opened
	NoticeDisputeSubmitted NoticeKind = "dispute_submitted" // evidence was submitted
	NoticeDisputeClosed    NoticeKind = "dispute_closed"    // won, lost or closed
)

// ForSupervisors reports whether only supervisors see the notice on the
// console (disputes are theirs to answer).
func (k NoticeKind) ForSupervisors() bool {
	switch k {
	case NoticeDisputeOpened, NoticeDisputeSubmitted, NoticeDisputeClosed:
		return true
	}
	return false
}

// Notice is a short message an applied event leaves for the console.
type Notice struct {
	Seq       int64 // order of the notices (the journal's)
	At        time.Time
	Kind      NoticeKind
	EventID   string
	Seller    Account
	SaleID    string // "" when the payment is not a sale of this journal
	IntentID  string
	DisputeID string
	Amount    int64
	Currency  string
	// Status and Reason: a dispute's (needs_response, fraudulent, …).
	Status, Reason string
}

// EventFeed reads an account's events from Stripe's Events API.
type EventFeed interface {
	// EventsSince returns the account's events created at or after since
	// (unix seconds) that come after the event after ("" = all of them),
	// oldest first, at most limit. more reports that the limit cut it short.
	EventsSince(ctx context.Context, account Account, since int64, after string, limit int) (events []Event, more bool, err error)
}

// SaleEventOutcome says what an event did to a sale.
type SaleEventOutcome int

// Outcomes of ApplyIntentEvent.
const (
	EventNoChange SaleEventOutcome = iota // nothing to do: the sale already shows it, or the event is not about a change
	EventApplied                          // the sale moved (see the notice)
	EventWait                             // the sale is being driven: apply later, once it rests
)

// ApplyIntentEvent applies what a payment_intent event shows about in to
// sale s, which rests (no process drives it). Another system may capture
// or cancel a payment Kasse left authorized (or waiting for a decision):
// the sale follows Stripe. A sale whose payment is under way (its own
// machine polls it) is left to its machine: EventWait. Events never move a
// sale backwards: an old event (a capturable update after the capture)
// changes nothing.
func ApplyIntentEvent(s Sale, in Intent, at time.Time) (Sale, NoticeKind, SaleEventOutcome) {
	if s.IntentID != "" && in.ID != s.IntentID {
		return s, "", EventNoChange // another intent of the sale's (one it canceled)
	}
	if s.IntentID == "" || s.InProgress() || s.Pending.Active() {
		return s, "", EventWait
	}
	switch in.Status {
	case IntentSucceeded:
		switch {
		case s.State == SaleApproved:
			return s, "", EventNoChange
		case s.State == SaleRequiresCapture || s.State.Decision():
			s.IntentStatus = in.Status
			s.takeDetailsInto(in)
			if in.AmountReceived > 0 {
				s.Amount = in.AmountReceived
			}
			s.State, s.Checking, s.Cancel, s.DoneAt, s.UpdatedAt = SaleApproved, CheckNone, CancelPlan{}, at, at
			s.AmountCapturable = 0
			return s, NoticeCaptured, EventApplied
		}
	case IntentCanceled:
		switch {
		case s.State == SaleCanceled:
			return s, "", EventNoChange
		case s.State == SaleRequiresCapture || s.State.Decision():
			s.IntentStatus = in.Status
			s.State, s.Checking, s.Cancel, s.DoneAt, s.UpdatedAt = SaleCanceled, CheckNone, CancelPlan{}, at, at
			s.AmountCapturable = 0
			return s, NoticeCanceled, EventApplied
		case s.State == SaleFailed && s.IntentMayBeOpen():
			s.IntentStatus, s.UpdatedAt = in.Status, at // nothing left open at Stripe: finished
			return s, "", EventApplied
		}
	}
	return s, "", EventNoChange
}

// Why a webhook delivery is refused (the verifier's errors wrap one).
var (
	ErrWebhookUnsigned   = errors.New("no Stripe-Signature header, or a malformed one")
	ErrWebhookStale      = errors.New("signature timestamp outside the tolerance (a replay, or a clock off)")
	ErrWebhookSignature  = errors.New("no signature matches a configured secret (another secret, or a tampered body)")
	ErrWebhookPayload    = errors.New("the body is not a Stripe event")
	ErrWebhookAPIVersion = errors.New("the event is rendered in another API version")
)
