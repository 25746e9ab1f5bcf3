package pos

import "time"

// RefundState is where a refund stands.
type RefundState string

// Refund states: Draft → Recorded (journal written) → Sent → Succeeded |
// Pending (Stripe accepted it, still pending) | Failed | Unknown. Unknown
// is resolved by listing the intent's refunds and looking for ours
// (metadata kasse_refund_id), then by resending under the same key.
const (
	RefundDraft     RefundState = "draft"
	RefundRecorded  RefundState = "recorded"
	RefundSent      RefundState = "sent"
	RefundPending   RefundState = "pending"
	RefundSucceeded RefundState = "succeeded"
	RefundFailed    RefundState = "failed"
	RefundUnknown   RefundState = "unknown"
)

// Final reports whether the refund's outcome is settled.
func (st RefundState) Final() bool { return st == RefundSucceeded || st == RefundFailed }

// RefundResendWindow bounds same-key resends: Stripe may forget a key
// after 24 hours, after which a resend could refund twice.
const RefundResendWindow = 23 * time.Hour

// RefundConfig sets up a refund.
type RefundConfig struct {
	ID                   string // 1–64 of [A-Za-z0-9_-]; the key derives from it
	SaleID               string // for the journal; may be empty
	Seller               Account
	Intent               Intent // the paid intent, latest charge expanded
	Amount               int64  // 0 = everything still refundable
	Reason               RefundReason
	RefundApplicationFee bool // the seller's policy: give the platform's fee back in proportion
	// Facts describe the charge's fee and transfer (ChargeFacts; Type is
	// the charge type). Zero: a direct charge, its fee as the intent shows
	// it, nothing of it refunded yet.
	Facts ChargeFacts
	// Dispute is the payment's dispute as Kasse knows it (nil: none
	// known). A chargeback not won refuses the refund (CheckDispute).
	Dispute *Dispute
}

// RefundFlow is one refund being made. Like Sale it is a value advanced by
// a pure function, StepRefund.
type RefundFlow struct {
	ID                   string
	SaleID               string
	Seller               Account
	IntentID             string
	ChargeID             string
	Currency             string
	Amount               int64 // explicit amount sent
	Refundable           int64 // refundable when validated
	Reason               RefundReason
	RefundApplicationFee bool
	// Charge is the payment's charge type (the zero value: direct); its
	// refunds are made on the account it lives on (ChargeAccount).
	// ReverseTransfer asks Stripe to reverse a destination charge's
	// transfer in proportion; TransferID is the transfer a separate
	// charge's refund reverses itself (Reversal, refund_reversal.go).
	// Shares is what the refund takes back from whom, as planned.
	Charge          ChargeType `json:",omitempty"`
	ReverseTransfer bool       `json:",omitempty"`
	TransferID      string     `json:",omitempty"`
	Shares          RefundShares
	Reversal        *RefundReversal `json:",omitempty"`

	State     RefundState
	RefundID  string // re_… once known
	Status    string // Stripe's refund status
	Seq       int64
	Pending   Pending
	Sends     int
	Checks    int
	LastError *Error
	Notice    string

	CreatedAt, RecordedAt, FirstSentAt, UpdatedAt, DoneAt time.Time
}

// NewRefund validates cfg against the intent (see RefundableFromIntent and
// ValidateRefund) and returns a Draft refund.
func NewRefund(cfg RefundConfig, at time.Time) (RefundFlow, error) {
	if !validSaleID(cfg.ID) {
		return RefundFlow{}, invalid(ErrRefundConfig, "refund id %q: use 1–64 letters, digits, '-' or '_'", cfg.ID)
	}
	reason, err := ParseRefundReason(string(cfg.Reason))
	if err != nil {
		return RefundFlow{}, err
	}
	refundable, err := RefundableFromIntent(cfg.Intent)
	if err != nil {
		return RefundFlow{}, err
	}
	if err := CheckDispute(cfg.Intent, cfg.Dispute); err != nil {
		return RefundFlow{}, err
	}
	amount, err := ValidateRefund(cfg.Amount, refundable, cfg.Intent.Currency)
	if err != nil {
		return RefundFlow{}, err
	}
	f := cfg.Facts
	if f.Captured == 0 {
		f.Captured = capturedOf(*cfg.Intent.LatestCharge)
		if f.Type.Or() == ChargeDirect && f.Fee == 0 {
			f.Fee = cfg.Intent.ApplicationFeeAmount
		}
	}
	f.Refundable = refundable
	t := f.Type.Or()
	shares, err := PlanRefund(f, amount, cfg.RefundApplicationFee, cfg.Intent.Currency)
	if err != nil {
		return RefundFlow{}, err
	}
	return RefundFlow{
		ID: cfg.ID, SaleID: cfg.SaleID, Seller: cfg.Seller, IntentID: cfg.Intent.ID,
		ChargeID: cfg.Intent.LatestCharge.ID, Currency: currencyOrDefault(cfg.Intent.Currency).Code,
		Amount: amount, Refundable: refundable, Reason: reason,
		RefundApplicationFee: shares.FeeRefund > 0 || cfg.RefundApplicationFee && t != ChargeSeparate && f.Fee > 0,
		Charge:               t, ReverseTransfer: t == ChargeDestination, TransferID: f.TransferID, Shares: shares,
		State: RefundDraft, CreatedAt: at, UpdatedAt: at,
	}, nil
}

// capturedOf is what a charge captured (its amount when it does not say).
func capturedOf(c Charge) int64 {
	if c.AmountCaptured > 0 {
		return c.AmountCaptured
	}
	return c.Amount
}

// ChargeAccount is the account the refunded charge lives on: the seller
// for a direct charge, the platform for destination and separate ones.
func (r RefundFlow) ChargeAccount() Account { return r.Charge.IntentAccount(r.Seller) }

// Key is the refund's only idempotency key: "kasse-<id>-refund".
func (r RefundFlow) Key() string { return IdempotencyKey(r.ID, "refund", 0) }

// Request is the exact request every send of this refund makes.
func (r RefundFlow) Request() RefundRequest {
	md := map[string]string{"kasse_refund_id": r.ID}
	if r.SaleID != "" {
		md["kasse_sale_id"] = r.SaleID
	}
	if r.Charge.OnPlatform() {
		md[MetaSeller] = string(r.Seller)
	}
	return RefundRequest{IntentID: r.IntentID, Amount: r.Amount, Reason: string(r.Reason),
		RefundApplicationFee: r.RefundApplicationFee && r.Charge.Or() != ChargeSeparate,
		ReverseTransfer:      r.ReverseTransfer && r.Charge.Or() == ChargeDestination, Metadata: md}
}

// RefundEvent is an input to StepRefund. Tick, Resumed, RequestFailed and
// RequestNotSent serve both machines.
type RefundEvent interface {
	When() time.Time
	refundEvent()
}

// SubmitRefund is the supervisor's confirmation: record the refund.
type SubmitRefund struct{ At time.Time }

// RefundRecordSaved tells the machine the Recorded snapshot is durable.
type RefundRecordSaved struct{ At time.Time }

// RefundCreated answers CreateRefund.
type RefundCreated struct {
	At     time.Time
	Seq    int64
	Refund Refund
}

// RefundsListed answers ListRefunds.
type RefundsListed struct {
	At      time.Time
	Seq     int64
	Refunds []Refund
}

// When implements RefundEvent.
func (e SubmitRefund) When() time.Time { return e.At }

// When implements RefundEvent.
func (e RefundRecordSaved) When() time.Time { return e.At }

// When implements RefundEvent.
func (e RefundCreated) When() time.Time { return e.At }

// When implements RefundEvent.
func (e RefundsListed) When() time.Time { return e.At }
func (SubmitRefund) refundEvent()       {}
func (RefundRecordSaved) refundEvent()  {}
func (RefundCreated) refundEvent()      {}
func (RefundsListed) refundEvent()      {}
func (Tick) refundEvent()               {}
func (Resumed) refundEvent()            {}
func (RequestFailed) refundEvent()      {}
func (RequestNotSent) refundEvent()     {}

// RecordRefund persists the refund snapshot (StepRefund fills Refund).
type RecordRefund struct{ Refund RefundFlow }

// CreateRefund sends the refund.
type CreateRefund struct {
	Seq     int64
	Key     string
	Seller  Account
	Request RefundRequest
}

// ListRefunds lists the intent's refunds.
type ListRefunds struct {
	Seq      int64
	Seller   Account
	IntentID string
}

// Mutating implements Effect.
func (RecordRefund) Mutating() bool { return false }

// Mutating implements Effect.
func (CreateRefund) Mutating() bool { return true }

// Mutating implements Effect.
func (ListRefunds) Mutating() bool { return false }

// StepRefund is the refund state machine; same contract as Step: pure, one
// request outstanding at most, stale results ignored, Record first. A
// refund has one key and CreateRefund is only emitted from Recorded (after
// the journal acknowledged it) or, to resolve Unknown, after a refund list
// did not show it and within RefundResendWindow of the first send.
func StepRefund(r RefundFlow, ev RefundEvent) (RefundFlow, []Effect) {
	var seq int64
	var op Op
	result := true
	switch e := ev.(type) {
	case RefundCreated:
		seq, op = e.Seq, OpCreateRefund
	case RefundsListed:
		seq, op = e.Seq, OpListRefunds
	case TransferReversed:
		seq, op = e.Seq, OpReverseTransfer
	case TransferRead:
		seq, op = e.Seq, OpReadTransfer
	case RequestFailed:
		seq, op = e.Seq, e.Op
	case RequestNotSent:
		seq, op = e.Seq, e.Op
	default:
		result = false
	}
	if result {
		if !r.Pending.Active() || seq != r.Pending.Seq || (op != "" && op != r.Pending.Op) {
			return r, nil
		}
		op = r.Pending.Op
		r.Pending = Pending{}
	}
	at := ev.When()
	var effs []Effect
	switch e := ev.(type) {
	case SubmitRefund:
		r.Notice = ""
		if r.State != RefundDraft && r.State != RefundRecorded {
			r.Notice = "This refund was already submitted."
			break
		}
		r.State, r.RecordedAt = RefundRecorded, at
		effs = []Effect{RecordRefund{}}
	case RefundRecordSaved:
		if r.State == RefundRecorded && !r.Pending.Active() {
			r, effs = r.send(at)
		}
	case RefundCreated:
		r.Checks = 0
		r = r.adopt(e.Refund, at)
		r, effs = r.startReversal(at)
	case RefundsListed:
		r, effs = r.onListed(e.Refunds, at)
		if len(effs) == 0 {
			r, effs = r.startReversal(at)
		}
	case TransferReversed:
		if r.Reversal != nil {
			r = r.onReversed(e.Reversal)
		}
	case TransferRead:
		if r.Reversal != nil {
			r, effs = r.onTransferRead(e.Transfer, at)
		}
	case RequestFailed:
		err := asPortError(e.Err)
		if (op == OpReverseTransfer || op == OpReadTransfer) && r.Reversal != nil {
			r = r.onReversalFailed(op, err) // the refund stands
			break
		}
		r.LastError = err
		switch {
		case op == OpListRefunds || err.Kind == KindUnknown || err.Kind == KindRateLimited:
			r.Checks++
			if r.State == RefundSent {
				r.State = RefundUnknown
			}
		default: // Stripe refused the refund (over-refund, already refunded, …)
			r.State, r.DoneAt = RefundFailed, at
		}
	case RequestNotSent:
		r.Notice = "Not sent: " + e.Reason
		if op == OpReverseTransfer && r.Reversal != nil {
			v := *r.Reversal
			v.notSent()
			r.Reversal = &v
			break
		}
		if r.Sends == 1 && r.State == RefundSent { // the key was never used
			r.State, r.Sends, r.FirstSentAt = RefundRecorded, 0, time.Time{}
		} else if r.State == RefundSent {
			r.State = RefundUnknown
		}
	case Tick:
		switch {
		case r.Pending.Active():
		case r.State == RefundUnknown || r.State == RefundPending:
			r, effs = r.list(at)
		case r.ReversalOwed():
			r, effs = r.resumeReversal(at)
		}
	case Resumed:
		r.Pending, r.Checks = Pending{}, 0
		switch r.State {
		case RefundRecorded: // the Sent snapshot was never written: nothing went out
			r, effs = r.send(at)
		case RefundSent, RefundUnknown, RefundPending:
			if r.State == RefundSent {
				r.State = RefundUnknown
			}
			r, effs = r.list(at)
		case RefundSucceeded:
			if r.ReversalOwed() {
				r, effs = r.resumeReversal(at)
			} else {
				r, effs = r.startReversal(at) // succeeded, reversal never planned (a crash right after)
			}
		}
	}
	r.UpdatedAt = at
	for i, e := range effs {
		if _, ok := e.(RecordRefund); ok {
			effs[i] = RecordRefund{Refund: r}
		}
	}
	return r, effs
}

func (r RefundFlow) begin(op Op, key string, at time.Time) (RefundFlow, int64) {
	r.Seq++
	r.Pending = Pending{Seq: r.Seq, Op: op, Key: key, Since: at}
	return r, r.Seq
}

func (r RefundFlow) send(at time.Time) (RefundFlow, []Effect) {
	r.Sends++
	if r.FirstSentAt.IsZero() {
		r.FirstSentAt = at
	}
	r.State = RefundSent
	r, seq := r.begin(OpCreateRefund, r.Key(), at)
	return r, []Effect{RecordRefund{}, CreateRefund{Seq: seq, Key: r.Key(), Seller: r.ChargeAccount(), Request: r.Request()}}
}

func (r RefundFlow) list(at time.Time) (RefundFlow, []Effect) {
	r, seq := r.begin(OpListRefunds, "", at)
	return r, []Effect{ListRefunds{Seq: seq, Seller: r.ChargeAccount(), IntentID: r.IntentID}}
}

func (r RefundFlow) onListed(list []Refund, at time.Time) (RefundFlow, []Effect) {
	for _, rf := range list {
		if (r.RefundID != "" && rf.ID == r.RefundID) || rf.Metadata["kasse_refund_id"] == r.ID {
			r.Checks = 0
			return r.adopt(rf, at), nil
		}
	}
	r.Checks++
	if r.State != RefundUnknown {
		return r, nil
	}
	if at.Sub(r.FirstSentAt) < RefundResendWindow {
		return r.send(at) // not there: Stripe never executed it; same key is safe
	}
	r.Notice = "The refund's outcome is unknown and its key may have expired: check the seller's payments in the Dashboard before refunding again."
	return r, nil
}

func (r RefundFlow) adopt(rf Refund, at time.Time) RefundFlow {
	r.RefundID, r.Status, r.LastError = rf.ID, rf.Status, nil
	switch rf.Status {
	case "succeeded":
		r.State, r.DoneAt = RefundSucceeded, at
	case "failed", "canceled":
		r.State, r.DoneAt = RefundFailed, at
		r.LastError = &Error{Kind: KindDeclined, Message: "Stripe reports the refund as " + rf.Status}
	default: // pending, requires_action
		r.State = RefundPending
	}
	if rf.Amount != 0 && rf.Amount != r.Amount {
		r.Notice = "Stripe's refund amount " + Format(rf.Amount, r.Currency) + " differs from the requested " + Format(r.Amount, r.Currency) + "."
	}
	return r
}
