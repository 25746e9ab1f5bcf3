package app

import (
	"context"
	"time"

	"kasse/checkout"
	"kasse/journal"
)

// ReconcileAction is the audit trail's action of a settlement at start; the
// console's reconcile log lists these entries.
const ReconcileAction = "reconcile"

// reconcileBudget bounds the whole settlement at start.
const reconcileBudget = 45 * time.Second

// Reconcile settles the journal's unfinished sales and refunds before
// anything new is rung up (checkout.Runner.Settle; opts.Offer leaves the
// sales it picks open), logs every one and writes each settlement to the
// audit trail.
func (a *App) Reconcile(ctx context.Context, opts checkout.ReconcileOptions) checkout.Settlement {
	ctx, cancel := context.WithTimeout(ctx, reconcileBudget)
	defer cancel()
	s := a.Runner.Settle(ctx, a.Journal, opts)
	for _, x := range s.Sales {
		a.Log.Info("reconciled", "sale", x.Sale.ID, "intent", x.Sale.IntentID, "was", x.Was, "state", x.Sale.State,
			"offered", x.Offered, "in_use", x.InUse, "err", x.Err)
	}
	for _, r := range s.Refunds {
		a.Log.Info("reconciled", "refund", r.ID, "refund_id", r.RefundID, "state", r.State)
	}
	if s.Err != nil {
		a.Log.Error("reconcile", "err", s.Err)
	}
	for _, n := range s.Notes() {
		if err := a.Journal.AppendAudit(ctx, journal.AuditEntry{Action: ReconcileAction, Subject: n.Subject, Detail: n.Detail}); err != nil {
			a.Log.Error("audit", "err", err)
		}
	}
	return s
}

// ReconcileLog is the audit trail's settlements (ReconcileAction), newest
// first, at most limit.
func (a *App) ReconcileLog(ctx context.Context, limit int) ([]journal.AuditEntry, error) {
	return a.Journal.ListAudit(ctx, journal.AuditFilter{Action: ReconcileAction, Limit: limit})
}
