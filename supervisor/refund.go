package supervisor

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"kasse/journal"
	"kasse/pos"
)

// RefundRequest asks for a refund of a payment on a seller.
type RefundRequest struct {
	Seller   pos.Account
	IntentID string
	Amount   int64 // minor units; 0 = everything still refundable
	Reason   pos.RefundReason
	Operator string
	PIN      PIN
	Why      string // the supervisor's explanation, for the audit log
}

// RefundResult is a refund's outcome.
type RefundResult struct {
	ID        string // Kasse's refund id (journal, audit subject)
	RefundID  string // Stripe's re_… (empty until known)
	State     pos.RefundState
	Status    string // Stripe's refund status: succeeded, pending, …
	Amount    int64
	Currency  string
	Remaining int64 // still refundable after this refund
	IntentID  string
	Seller    pos.Account
	SaleID    string // the journal's sale, if any
	// RefundApplicationFee: the refund returns the platform's fee in
	// proportion (the seller's policy, and the sale had a fee).
	RefundApplicationFee bool
	// Charge is the payment's charge type; Shares what the refund takes
	// back from the seller and from the platform.
	Charge pos.ChargeType
	Shares pos.RefundShares
	Notice string // e.g. an earlier unsettled refund was settled first
	// Warning: the refund's result could not be audited (the outcome
	// stands; the "refund.submit" entry was written before it was sent).
	Warning string
}

// outcomeGrace bounds the journal writes made after ctx ended.
const outcomeGrace = 5 * time.Second

// Refund refunds req.Amount (0: the rest) of a payment, in this order:
// checks the request (no PIN try is used on a malformed one); the Guard
// (role and PIN); settles earlier unsettled refunds of the payment; reads
// the payment with its charge; refuses an uncaptured payment (void or
// capture it instead), a fully refunded one and an amount above what
// remains, before any request; records the refund with its idempotency key
// in the journal and audits "refund.submit"; sends it through the checkout
// runner; audits "refund.result". An answer lost on the way is settled by
// listing the payment's refunds, never by a second refund. It blocks until
// the outcome is known or ctx ends: give ctx a deadline.
func (s *Service) Refund(ctx context.Context, req RefundRequest) (RefundResult, error) {
	if _, err := pos.ParseRefundReason(string(req.Reason)); err != nil {
		return RefundResult{}, err
	}
	if err := checkIDs(req.Seller, req.IntentID); err != nil {
		return RefundResult{}, err
	}
	if req.Amount < 0 {
		return RefundResult{}, inputf("a refund amount cannot be negative")
	}
	if err := s.Guard.Authorize(ctx, Attempt{Operator: req.Operator, Action: ActionRefund, Subject: req.IntentID, PIN: req.PIN}); err != nil {
		return RefundResult{}, err
	}
	req.Why = scrubPIN(req.Why, req.PIN)
	notice, err := s.settleEarlier(ctx, req)
	if err != nil {
		return RefundResult{}, err
	}
	p, err := s.Lookup(ctx, req.Seller, req.IntentID)
	if err != nil {
		return RefundResult{}, err
	}
	rf, err := pos.NewRefund(pos.RefundConfig{ID: "rf-" + s.newID(), SaleID: p.SaleID, Seller: req.Seller,
		Intent: p.Intent, Amount: req.Amount, Reason: req.Reason, RefundApplicationFee: p.Setup.RefundFee && p.HasFee,
		Facts: p.Facts, Dispute: p.Dispute}, s.now())
	if err != nil {
		if aerr := s.audit(ctx, req.Operator, "refund.rejected", req.IntentID, describe("seller", string(req.Seller),
			"intent", req.IntentID, "amount", amountText(req.Amount, p.Intent.Currency), "error", err.Error()), req.Why); aerr != nil {
			return RefundResult{}, aerr
		}
		return RefundResult{}, err
	}
	if err := s.audit(ctx, req.Operator, "refund.submit", rf.ID, describe("seller", string(rf.Seller), "intent", rf.IntentID,
		"sale", rf.SaleID, "amount", pos.Format(rf.Amount, rf.Currency), "currency", rf.Currency, "reason", string(rf.Reason),
		"refund_application_fee", strconv.FormatBool(rf.RefundApplicationFee), "remaining_before", pos.Format(rf.Refundable, rf.Currency),
		"charge_type", string(rf.Charge), "reverse_transfer", strconv.FormatBool(rf.ReverseTransfer),
		"from_seller", pos.Format(rf.Shares.Seller, rf.Currency), "from_platform", pos.Format(rf.Shares.Platform, rf.Currency),
		"idempotency_key", rf.Key()), req.Why); err != nil {
		return RefundResult{}, err
	}
	rf, driveErr := s.Runner.DriveRefund(ctx, rf, pos.SubmitRefund{At: s.now()})
	res := refundResult(rf)
	res.Notice = joinNotes(notice, rf.Notice)
	actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), outcomeGrace)
	defer cancel()
	errText := ""
	if rf.LastError != nil {
		errText = rf.LastError.Error()
	}
	reversal := ""
	if v := rf.Reversal; v != nil {
		reversal = v.ID
		if v.ID == "" {
			reversal = string(v.State)
		}
	}
	if err := s.audit(actx, req.Operator, "refund.result", rf.ID, describe("refund", rf.RefundID, "state", string(rf.State),
		"status", rf.Status, "amount", pos.Format(rf.Amount, rf.Currency), "remaining", pos.Format(res.Remaining, rf.Currency),
		"transfer_reversal", reversal, "error", errText), req.Why); err != nil {
		res.Warning = "the result could not be written to the audit log: " + err.Error()
	}
	return res, outcomeError(rf, driveErr)
}

// refundResult summarises rf.
func refundResult(rf pos.RefundFlow) RefundResult {
	res := RefundResult{ID: rf.ID, RefundID: rf.RefundID, State: rf.State, Status: rf.Status, Amount: rf.Amount,
		Currency: rf.Currency, Remaining: rf.Refundable, IntentID: rf.IntentID, Seller: rf.Seller, SaleID: rf.SaleID,
		RefundApplicationFee: rf.RefundApplicationFee, Charge: rf.Charge.Or(), Shares: rf.Shares}
	if rf.State != pos.RefundFailed && rf.State != pos.RefundDraft {
		res.Remaining = max(rf.Refundable-rf.Amount, 0)
	}
	return res
}

// outcomeError turns a refund that did not succeed (or go pending) into an
// error.
func outcomeError(rf pos.RefundFlow, driveErr error) error {
	switch rf.State {
	case pos.RefundSucceeded, pos.RefundPending:
		return nil
	case pos.RefundFailed:
		if rf.LastError != nil {
			return fmt.Errorf("refund %s failed: %w", rf.ID, rf.LastError)
		}
		return fmt.Errorf("refund %s failed: %s", rf.ID, rf.Notice)
	case pos.RefundRecorded:
		return fmt.Errorf("refund %s was not sent: %s", rf.ID, rf.Notice)
	}
	msg := fmt.Sprintf("refund %s: %s (%s): the journal keeps it and Kasse checks it again before anything else is done to the payment; do not refund again",
		rf.ID, ErrOutcomeUnknown, rf.State)
	if driveErr != nil {
		msg += " (" + driveErr.Error() + ")"
	}
	return &outcomeErr{msg}
}

type outcomeErr struct{ msg string }

func (e *outcomeErr) Error() string { return e.msg }
func (e *outcomeErr) Unwrap() error { return ErrOutcomeUnknown }

// settleEarlier drives the journal's unsettled refunds of the payment
// (recorded, sent or unknown; not Stripe-pending ones, which Stripe already
// counts) to an outcome first, so that a new refund is never made next to
// one whose fate is unknown.
func (s *Service) settleEarlier(ctx context.Context, req RefundRequest) (string, error) {
	recs, err := s.Journal.ListRefunds(ctx, journal.RefundFilter{Seller: req.Seller, IntentID: req.IntentID,
		States: []pos.RefundState{pos.RefundRecorded, pos.RefundSent, pos.RefundUnknown}})
	if err != nil {
		return "", err
	}
	notice := ""
	for _, rec := range recs {
		rf, derr := s.Runner.DriveRefund(ctx, rec.Refund, pos.Resumed{At: s.now()})
		if aerr := s.audit(context.WithoutCancel(ctx), req.Operator, "refund.settle", rf.ID, describe("refund", rf.RefundID,
			"state", string(rf.State), "amount", pos.Format(rf.Amount, rf.Currency)), "settled before a new refund of "+req.IntentID); aerr != nil {
			return "", aerr
		}
		if oe := outcomeError(rf, derr); oe != nil && errors.Is(oe, ErrOutcomeUnknown) {
			return "", fmt.Errorf("an earlier refund of this payment is not settled yet: %w", oe)
		}
		notice = joinNotes(notice, fmt.Sprintf("An earlier refund of this payment (%s, %s) was settled first: %s.",
			rf.ID, pos.Format(rf.Amount, rf.Currency), rf.State))
	}
	return notice, nil
}

func joinNotes(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + " " + b
}

// amountText formats amount in currency, or as a bare number when the
// currency is unknown; 0 reads "full".
func amountText(amount int64, currency string) string {
	if amount == 0 {
		return "full"
	}
	if _, err := pos.LookupCurrency(currency); err != nil {
		return strconv.FormatInt(amount, 10)
	}
	return pos.Format(amount, currency)
}
