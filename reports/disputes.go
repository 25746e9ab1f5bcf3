package reports

import (
	"context"
	"errors"

	"kasse/i18n"
	"kasse/pos"
)

// Disputes in reports: a row shows its payment's dispute (what the journal
// knows from Stripe's events and the disputes desk), and a detail refuses
// a refund while a chargeback stands.

// disputeJournal is a Journal that knows disputes (*journal.Journal).
type disputeJournal interface {
	DisputesForIntents(ctx context.Context, ids []string) (map[string]pos.Dispute, error)
	DisputeForIntent(ctx context.Context, intentID string) (pos.Dispute, bool, error)
}

// markDisputes sets Row.Dispute of the rows whose payment is disputed.
func (s *Searcher) markDisputes(ctx context.Context, rows []Row) error {
	dj, ok := s.Journal.(disputeJournal)
	if !ok || len(rows) == 0 {
		return nil
	}
	ids := make([]string, 0, len(rows))
	for _, r := range rows {
		if r.IntentID != "" {
			ids = append(ids, r.IntentID)
		}
	}
	ds, err := dj.DisputesForIntents(ctx, ids)
	if err != nil {
		return err
	}
	for i := range rows {
		if d, ok := ds[rows[i].IntentID]; ok {
			rows[i].Dispute = d.Status
		}
	}
	return nil
}

// detailDispute sets Detail.Dispute, and refuses refunds of a chargeback.
func (s *Searcher) detailDispute(ctx context.Context, d *Detail) error {
	dj, ok := s.Journal.(disputeJournal)
	if !ok {
		return nil
	}
	dp, found, err := dj.DisputeForIntent(ctx, d.Intent.ID)
	if err != nil || !found {
		return err
	}
	d.Dispute = &dp
	var refused *i18n.Error
	if err := i18n.RefundDisputed(d.Intent, d.Dispute); errors.As(err, &refused) {
		d.NotRefundable = refused.Msg
	}
	return nil
}
