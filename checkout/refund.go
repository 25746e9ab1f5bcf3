package checkout

import (
	"context"
	"errors"
	"fmt"

	"kasse/pos"
)

// RefundStore persists refunds durably; *journal.Journal implements it.
// Runner.Journal must implement it for refunds to be sent.
type RefundStore interface {
	SaveRefund(ctx context.Context, r pos.RefundFlow) error
}

// refundNS keeps refund ids apart from sale ids in the recorded-keys map.
const refundNS = "refund:"

// ExecRefund runs one effect of refund rf (as pos.StepRefund returned
// them) and returns its answer, or nil. A RecordRefund is answered with
// pos.RefundRecordSaved once durable; CreateRefund is refused with
// RequestNotSent unless a RecordRefund of this refund succeeded before.
func (r *Runner) ExecRefund(ctx context.Context, rf pos.RefundFlow, eff pos.Effect) pos.RefundEvent {
	switch e := eff.(type) {
	case pos.RecordRefund:
		store, ok := r.Journal.(RefundStore)
		if !ok {
			r.log().Error("checkout: the journal cannot store refunds", "refund", e.Refund.ID)
			return nil
		}
		if err := store.SaveRefund(ctx, e.Refund); err != nil {
			r.log().Error("journal write failed; the refund will not be sent", "refund", e.Refund.ID, "err", err)
			return nil
		}
		r.markRecorded(refundNS+e.Refund.ID, e.Refund.Key())
		if e.Refund.Reversal != nil {
			r.markRecorded(refundNS+e.Refund.ID, e.Refund.ReversalKey())
		}
		return pos.RefundRecordSaved{At: r.now()}
	case pos.CreateRefund:
		if !r.isRecorded(refundNS+rf.ID, e.Key) {
			r.log().Error("refusing to send a refund whose key is not in the journal", "refund", rf.ID)
			return pos.RequestNotSent{At: r.now(), Seq: e.Seq, Op: pos.OpCreateRefund,
				Reason: "the refund could not be written to the local journal"}
		}
		ctx, cancel := context.WithTimeout(ctx, r.timeout())
		defer cancel()
		out, err := r.Payments.CreateRefund(ctx, e.Seller, e.Request, e.Key)
		if err != nil {
			return pos.RequestFailed{At: r.now(), Seq: e.Seq, Op: pos.OpCreateRefund, Err: err}
		}
		return pos.RefundCreated{At: r.now(), Seq: e.Seq, Refund: out}
	case pos.ListRefunds:
		ctx, cancel := context.WithTimeout(ctx, r.timeout())
		defer cancel()
		list, err := r.Payments.ListRefunds(ctx, e.Seller, e.IntentID)
		if err != nil {
			return pos.RequestFailed{At: r.now(), Seq: e.Seq, Op: pos.OpListRefunds, Err: err}
		}
		return pos.RefundsListed{At: r.now(), Seq: e.Seq, Refunds: list}
	case pos.ReverseTransfer:
		if !r.isRecorded(refundNS+rf.ID, e.Key) {
			r.log().Error("refusing to send a reversal whose key is not in the journal", "refund", rf.ID)
			return pos.RequestNotSent{At: r.now(), Seq: e.Seq, Op: pos.OpReverseTransfer,
				Reason: "the refund could not be written to the local journal"}
		}
		if err := r.portFor(e); err != nil {
			return pos.RequestNotSent{At: r.now(), Seq: e.Seq, Op: pos.OpReverseTransfer, Reason: err.Error()}
		}
		ctx, cancel := context.WithTimeout(ctx, r.timeout())
		defer cancel()
		out, err := r.Transfers.ReverseTransfer(ctx, e.TransferID, e.Request, e.Key)
		if err != nil {
			return pos.RequestFailed{At: r.now(), Seq: e.Seq, Op: pos.OpReverseTransfer, Err: err}
		}
		return pos.TransferReversed{At: r.now(), Seq: e.Seq, Reversal: out}
	case pos.ReadTransfer:
		if err := r.portFor(e); err != nil {
			return pos.RequestFailed{At: r.now(), Seq: e.Seq, Op: pos.OpReadTransfer, Err: err}
		}
		ctx, cancel := context.WithTimeout(ctx, r.timeout())
		defer cancel()
		t, err := r.Transfers.GetTransfer(ctx, e.TransferID)
		if err != nil {
			return pos.RequestFailed{At: r.now(), Seq: e.Seq, Op: pos.OpReadTransfer, Err: err}
		}
		return pos.TransferRead{At: r.now(), Seq: e.Seq, Transfer: t}
	}
	r.log().Error("checkout: effect not for a refund; ignored", "refund", rf.ID)
	return nil
}

// DriveRefund runs refund rf from ev (SubmitRefund, Resumed) until its
// outcome is settled or Stripe reports it pending, or ctx ends. Every
// state change is saved through RecordRefund effects and at the end.
func (r *Runner) DriveRefund(ctx context.Context, rf pos.RefundFlow, ev pos.RefundEvent) (pos.RefundFlow, error) {
	store, ok := r.Journal.(RefundStore)
	if !ok {
		return rf, errors.New("checkout: the journal cannot store refunds")
	}
	queue := []pos.RefundEvent{ev}
	for {
		for len(queue) > 0 {
			e := queue[0]
			queue = queue[1:]
			var effs []pos.Effect
			rf, effs = pos.StepRefund(rf, e)
			for _, eff := range effs {
				if out := r.ExecRefund(ctx, rf, eff); out != nil {
					queue = append(queue, out)
				}
			}
		}
		if !rf.Pending.Active() && rf.State != pos.RefundUnknown && rf.State != pos.RefundSent && !rf.ReversalOwed() {
			if rf.Finished() {
				r.forget(refundNS + rf.ID)
			}
			return rf, store.SaveRefund(ctx, rf)
		}
		if err := ctx.Err(); err != nil {
			return rf, err
		}
		checks := rf.Checks
		if rf.Reversal != nil {
			checks = max(checks, rf.Reversal.Checks)
		}
		if err := r.sleep(ctx, min(pos.FastPoll<<min(max(checks, 0), 4), pos.SlowPoll)); err != nil {
			return rf, err
		}
		queue = append(queue, pos.Tick{At: r.now()})
	}
}

// RefundJournal is what ReconcileRefunds needs; *journal.Journal
// implements it.
type RefundJournal interface {
	RefundStore
	UnfinishedRefunds(ctx context.Context) ([]pos.RefundFlow, error)
}

// ReconcileRefunds settles every unfinished refund in the journal (as at
// start-up): each gets pos.Resumed, so a refund recorded but never sent is
// sent, and one whose answer was lost is looked up among the intent's
// refunds before any same-key resend (see pos.StepRefund). It returns the
// refunds as saved; errors of single refunds are joined.
func (r *Runner) ReconcileRefunds(ctx context.Context, j RefundJournal) ([]pos.RefundFlow, error) {
	list, err := j.UnfinishedRefunds(ctx)
	if err != nil {
		return nil, fmt.Errorf("checkout: reconcile refunds: %w", err)
	}
	var out []pos.RefundFlow
	var errs []error
	for _, rf := range list {
		one, cancel := context.WithTimeout(ctx, ReconcileTimeout)
		got, err := r.DriveRefund(one, rf, pos.Resumed{At: r.now()})
		cancel()
		if err != nil {
			errs = append(errs, fmt.Errorf("refund %s: %w", rf.ID, err))
		}
		out = append(out, got)
	}
	return out, errors.Join(errs...)
}
