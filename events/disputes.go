package events

import (
	"context"
	"fmt"

	"kasse/pos"
)

// disputeEvent keeps the dispute's latest state in the journal, linked
// to its sale, and tells supervisors.
func (h *Handler) disputeEvent(ctx context.Context, ev pos.Event) (Result, error) {
	d := ev.Dispute
	if d == nil {
		return ignored("no dispute in the event"), nil
	}
	dp := *d
	dp.Account = ev.Account
	s, found, err := h.Journal.SaleByIntent(ctx, dp.IntentID)
	if err != nil {
		return Result{}, err
	}
	saleID := ""
	if found {
		saleID = s.ID
	}
	changed, err := h.Journal.SaveDispute(ctx, dp, saleID)
	if err != nil {
		return Result{}, err
	}
	if !changed {
		return applied("dispute "+dp.ID+" already shows a later state", saleID, nil), nil
	}
	var kind pos.NoticeKind
	switch {
	case ev.Type == pos.EventDisputeCreated:
		kind = pos.NoticeDisputeOpened
	case dp.Closed():
		kind = pos.NoticeDisputeClosed
	case dp.Status == pos.DisputeUnderReview || dp.Status == pos.DisputeWarningUnderReview:
		kind = pos.NoticeDisputeSubmitted
	}
	note := fmt.Sprintf("dispute %s is %s (%s)", dp.ID, dp.Status, dp.Reason)
	var n *pos.Notice
	if kind != "" {
		n = &pos.Notice{Kind: kind, Seller: ev.Account, SaleID: saleID, IntentID: dp.IntentID, DisputeID: dp.ID,
			Amount: dp.Amount, Currency: dp.Currency, Status: dp.Status, Reason: dp.Reason}
	}
	return applied(note, saleID, n), nil
}
