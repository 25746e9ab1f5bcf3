package supervisor

import (
	"context"
	"errors"
	"strconv"
	"time"

	"kasse/i18n"
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
	// Notice is what else happened (an earlier unsettled refund was
	// settled first, pos's notice), in English for --json; Notices say it
	// in the reader's language.
	Notice  string
	Notices []i18n.Message
	// Warning: the refund's result could not be audited (the outcome
	// stands; the "refund.submit" entry was written before it was sent).
	// In English; WarningMsg says it in the reader's language.
	Warning    string
	WarningMsg i18n.Message
}

// note adds m to the result's notices (and its English Notice).
func (r *RefundResult) note(m i18n.Message) {
	r.Notices = append(r.Notices, m)
	r.Notice = joinNotes(r.Notice, i18n.Neutral().Render(m))
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
		return RefundResult{}, failure(err, badReason(string(req.Reason)))
	}
	if err := checkIDs(req.Seller, req.IntentID); err != nil {
		return RefundResult{}, err
	}
	if req.Amount < 0 {
		return RefundResult{}, input(i18n.M("cli.supervisor.refund_negative"))
	}
	if err := s.Guard.Authorize(ctx, Attempt{Operator: req.Operator, Action: ActionRefund, Subject: req.IntentID, PIN: req.PIN}); err != nil {
		return RefundResult{}, err
	}
	req.Why = scrubPIN(req.Why, req.PIN)
	notes, err := s.settleEarlier(ctx, req)
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
		return RefundResult{}, refundRefusal(err, p, req.Amount)
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
	for _, n := range notes {
		res.note(n)
	}
	if rf.Notice != "" {
		res.note(i18n.NoticeMessage(rf.Notice))
	}
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
		res.WarningMsg = i18n.M("cli.supervisor.result_not_audited", i18n.Args{"Error": err})
		res.Warning = i18n.Neutral().Render(res.WarningMsg)
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
			return failure(rf.LastError, i18n.M("cli.supervisor.refund_failed", i18n.Args{"ID": rf.ID, "Error": rf.LastError}))
		}
		return failure(errRefundFailed, i18n.M("cli.supervisor.refund_failed", i18n.Args{"ID": rf.ID, "Error": i18n.NoticeMessage(rf.Notice)}))
	case pos.RefundRecorded:
		return failure(errNotSent, i18n.M("cli.supervisor.refund_not_sent", i18n.Args{"ID": rf.ID, "Notice": i18n.NoticeMessage(rf.Notice)}))
	}
	a := i18n.Args{"ID": rf.ID, "State": string(rf.State)}
	if driveErr != nil {
		a["Error"] = driveErr
		return failure(ErrOutcomeUnknown, i18n.M("cli.supervisor.refund_unknown_because", a))
	}
	return failure(ErrOutcomeUnknown, i18n.M("cli.supervisor.refund_unknown", a))
}

// Refunds that did not go through (pos's notice says why).
var (
	errNotSent      = errors.New("refund not sent")
	errRefundFailed = errors.New("refund failed")
)

// refundRefusal words pos.NewRefund's refusal of a refund of amount (0:
// the rest) of payment p, by its sentinel (errors.Is still sees it).
func refundRefusal(err error, p Payment, amount int64) error {
	cur := p.Intent.Currency
	money := func(a int64) i18n.Money { return i18n.Money{Amount: a, Currency: cur} }
	switch {
	case errors.Is(err, pos.ErrUncaptured), errors.Is(err, pos.ErrNotRefundable):
		return notRefundable(p.Intent, err)
	case errors.Is(err, pos.ErrNothingRefund) && p.Refundable > 0:
		return failure(err, i18n.M("cli.supervisor.refund_below_smallest", i18n.Args{"Left": money(p.Refundable)}))
	case errors.Is(err, pos.ErrNothingRefund):
		return failure(err, i18n.M("cli.supervisor.fully_refunded"))
	case errors.Is(err, pos.ErrRefundExceeds):
		return failure(err, i18n.M("cli.supervisor.refund_exceeds", i18n.Args{"Amount": money(amount), "Refundable": money(p.Refundable)}))
	case errors.Is(err, pos.ErrAmountNegative):
		return input(i18n.M("cli.supervisor.refund_negative"))
	case errors.Is(err, pos.ErrRefundReason):
		return failure(err, badReason(""))
	case errors.Is(err, pos.ErrDisputed):
		if refused := i18n.RefundDisputed(p.Intent, p.Dispute); refused != nil {
			return refused
		}
	}
	f := p.Facts
	if f.Refundable == 0 {
		f.Refundable = p.Refundable
	}
	if m, ok := i18n.RefundSplitProblem(err, f, amount, cur); ok {
		return failure(err, m)
	}
	return failure(err, i18n.M("cli.supervisor.refund_refused", i18n.Args{"Error": i18n.Neutral().CartProblem(err, cur)}))
}

// notRefundable words pos.RefundableFromIntent's refusal of in (err).
func notRefundable(in pos.Intent, err error) error {
	a := i18n.Args{"Intent": in.ID, "Status": in.Status}
	switch {
	case errors.Is(err, pos.ErrUncaptured) && in.Status == pos.IntentRequiresCapture:
		return failure(err, i18n.M("cli.supervisor.not_refundable.authorized", a))
	case errors.Is(err, pos.ErrUncaptured):
		return failure(err, i18n.M("cli.supervisor.not_refundable.uncaptured", a))
	case errors.Is(err, pos.ErrNotRefundable) && in.Status != pos.IntentSucceeded:
		return failure(err, i18n.M("cli.supervisor.not_refundable.status", a))
	case errors.Is(err, pos.ErrNotRefundable):
		return failure(err, i18n.M("cli.supervisor.not_refundable.unloaded", a))
	}
	return err
}

// badReason refuses a refund reason (reason, if given, quoted).
func badReason(reason string) i18n.Message {
	return i18n.M("cli.supervisor.bad_reason", i18n.Args{"Value": strconv.Quote(reason)})
}

// settleEarlier drives the journal's unsettled refunds of the payment
// (recorded, sent or unknown; not Stripe-pending ones, which Stripe already
// counts) to an outcome first, so that a new refund is never made next to
// one whose fate is unknown.
func (s *Service) settleEarlier(ctx context.Context, req RefundRequest) ([]i18n.Message, error) {
	recs, err := s.Journal.ListRefunds(ctx, journal.RefundFilter{Seller: req.Seller, IntentID: req.IntentID,
		States: []pos.RefundState{pos.RefundRecorded, pos.RefundSent, pos.RefundUnknown}})
	if err != nil {
		return nil, err
	}
	var notes []i18n.Message
	for _, rec := range recs {
		rf, derr := s.Runner.DriveRefund(ctx, rec.Refund, pos.Resumed{At: s.now()})
		if aerr := s.audit(context.WithoutCancel(ctx), req.Operator, "refund.settle", rf.ID, describe("refund", rf.RefundID,
			"state", string(rf.State), "amount", pos.Format(rf.Amount, rf.Currency)),
			"settled before a new refund of "+req.IntentID); aerr != nil { // i18n:ok the audit trail's data, in one language
			return nil, aerr
		}
		if oe := outcomeError(rf, derr); oe != nil && errors.Is(oe, ErrOutcomeUnknown) {
			return nil, failure(oe, i18n.M("cli.supervisor.earlier_unsettled", i18n.Args{"Error": oe}))
		}
		notes = append(notes, i18n.M("cli.supervisor.earlier_settled", i18n.Args{"ID": rf.ID,
			"Amount": i18n.Money{Amount: rf.Amount, Currency: rf.Currency}, "State": string(rf.State)}))
	}
	return notes, nil
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
		return "full" // i18n:ok the audit trail's data
	}
	if _, err := pos.LookupCurrency(currency); err != nil {
		return strconv.FormatInt(amount, 10)
	}
	return pos.Format(amount, currency)
}
