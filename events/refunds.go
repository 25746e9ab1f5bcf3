package events

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"kasse/journal"
	"kasse/pos"
)

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
