package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"kasse/checkout"
	"kasse/journal"
	"kasse/pos"
	"kasse/ui"
)

// Reconciliation at start: every command that touches the journal (the
// console, kasse charge, kasse refund, kasse reconcile) first settles what
// a crash or a lost connection left unfinished. The console offers its own
// open sales to the cashier (resume or cancel); everything else is settled
// — kept if paid, canceled otherwise. Each settlement is also written to
// the journal's audit trail (action "reconcile"), which the console's
// reconcile log shows.

// reconcileAction is the audit action of a settlement.
const reconcileAction = "reconcile"

// reconcileBudget bounds the whole start-up reconciliation.
const reconcileBudget = 45 * time.Second

// reconciled is what a start-up reconciliation did.
type reconciled struct {
	sales   []checkout.Reconciled
	refunds []pos.RefundFlow
	err     error
}

// reconcile settles the journal's unfinished sales and refunds before
// anything new is rung up; opts.Offer leaves the sales it picks open.
func (a *app) reconcile(ctx context.Context, opts checkout.ReconcileOptions) reconciled {
	ctx, cancel := context.WithTimeout(ctx, reconcileBudget)
	defer cancel()
	var out reconciled
	sales, serr := a.runner.Reconcile(ctx, a.journal, opts)
	for _, x := range sales {
		a.log.Info("reconciled", "sale", x.Sale.ID, "intent", x.Sale.IntentID, "was", x.Was, "state", x.Sale.State,
			"offered", x.Offered, "in_use", x.InUse, "err", x.Err)
		if x.Was != pos.SaleDraft && !x.Offered && !x.InUse {
			a.audit(ctx, x.Sale.ID, "sale "+saleLine(x))
		}
	}
	if serr != nil {
		a.log.Error("reconcile sales", "err", serr)
	}
	refunds, rerr := a.runner.ReconcileRefunds(ctx, a.journal)
	for _, r := range refunds {
		a.log.Info("reconciled", "refund", r.ID, "refund_id", r.RefundID, "state", r.State)
		a.audit(ctx, r.ID, "refund "+refundLine(r))
	}
	if rerr != nil {
		a.log.Error("reconcile refunds", "err", rerr)
	}
	out.sales, out.refunds, out.err = sales, refunds, errors.Join(serr, rerr)
	return out
}

func (a *app) audit(ctx context.Context, subject, detail string) {
	if err := a.journal.AppendAudit(ctx, journal.AuditEntry{Action: reconcileAction, Subject: subject, Detail: detail}); err != nil {
		a.log.Error("audit", "err", err)
	}
}

// saleLine is "<id>: waiting_for_card → canceled · 12.50 USD · pi_…".
func saleLine(x checkout.Reconciled) string {
	s := x.Sale
	line := s.ID + ": " + x.Summary()
	if amount := saleAmount(s); amount > 0 {
		line += " · " + pos.Format(amount, s.Currency)
	}
	if s.IntentID != "" {
		line += " · " + s.IntentID
	}
	return line
}

func saleAmount(s pos.Sale) int64 {
	if s.Amount > 0 {
		return s.Amount
	}
	return s.Cart.Total()
}

func refundLine(r pos.RefundFlow) string {
	line := r.ID + " → " + string(r.State)
	if r.Amount > 0 {
		line += " · " + pos.Format(r.Amount, r.Currency)
	}
	if r.RefundID != "" {
		line += " · " + r.RefundID
	}
	return line
}

// consoleStart splits a console start's reconciliation for the UI: the
// sales it settled (named in the start notice), the sales it leaves open
// for the cashier (offered: resume or cancel) and one line per sale that
// could not be settled or that another Kasse holds.
func consoleStart(r reconciled) (settled, offers []pos.Sale, open []string) {
	for _, x := range r.sales {
		switch {
		case x.Was == pos.SaleDraft:
		case x.Offered:
			offers = append(offers, x.Sale)
		case x.InUse || x.Err != nil:
			open = append(open, saleLine(x))
		default:
			settled = append(settled, x.Sale)
		}
	}
	return settled, offers, open
}

// reconcileLog is the console's ui.ReconcileLog: the audit trail's
// reconcile entries, newest first.
type reconcileLog struct{ j *journal.Journal }

func (l reconcileLog) ReconcileLog(ctx context.Context, limit int) ([]ui.LogEntry, error) {
	es, err := l.j.ListAudit(ctx, journal.AuditFilter{Action: reconcileAction, Limit: limit})
	if err != nil {
		return nil, err
	}
	out := make([]ui.LogEntry, len(es))
	for i, e := range es {
		out[i] = ui.LogEntry{At: e.At, Who: e.Who, Console: e.Console, Text: e.Detail}
	}
	return out, nil
}

// runReconcile is `kasse reconcile [--json]`: settle the journal now and
// report what was done.
func runReconcile(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return withApp(ctx, "reconcile", "reconcile [shared flags] [--json]", args, stderr, func(a *app, rest []string) int {
		asJSON := false
		for _, f := range rest {
			switch f {
			case "--json", "-json":
				asJSON = true
			case "-h", "--help", "-help":
				fmt.Fprint(stdout, reconcileHelp)
				return 0
			default:
				fmt.Fprintf(stderr, "kasse reconcile: unknown argument %q\n%s", f, reconcileHelp)
				return 64
			}
		}
		r := a.reconcile(ctx, checkout.ReconcileOptions{})
		if asJSON {
			return printReconcileJSON(r, stdout, stderr)
		}
		return printReconcileText(r, stdout)
	})
}

const reconcileHelp = `Usage: kasse reconcile [shared flags] [--json]

Settles every sale and refund the journal holds unfinished (after a crash,
a kill or a lost connection) against Stripe: a sale that was paid (or
authorized) is kept; any other is canceled on the reader it was sent to
(only while the reader still shows it) and on Stripe. A sale another
running Kasse is busy with is left alone. The console, kasse charge and
kasse refund do the same when they start.

Exit status: 0 when everything is settled, 1 when something could not be
(Stripe unreachable: run it again), 64 on a usage error.
`

// reconcileOutcome classifies one sale for the report.
func reconcileOutcome(x checkout.Reconciled) string {
	switch {
	case x.InUse:
		return "in_use"
	case x.Err != nil:
		return "not_settled"
	case x.Sale.State == pos.SaleRequiresCapture:
		return "authorized"
	}
	return string(x.Sale.State)
}

type reconcileSaleJSON struct {
	SaleID   string `json:"sale_id"`
	IntentID string `json:"intent_id"`
	Was      string `json:"was"`
	State    string `json:"state"`
	Outcome  string `json:"outcome"`
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
	Seller   string `json:"seller"`
	Reader   string `json:"reader"`
	Message  string `json:"message"`
}

type reconcileRefundJSON struct {
	ID       string `json:"id"`
	RefundID string `json:"refund_id"`
	SaleID   string `json:"sale_id"`
	State    string `json:"state"`
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
}

func reconcileExit(r reconciled) int {
	for _, x := range r.sales {
		if x.Err != nil {
			return 1
		}
	}
	if r.err != nil {
		return 1
	}
	return 0
}

func printReconcileJSON(r reconciled, stdout, stderr io.Writer) int {
	out := struct {
		Sales   []reconcileSaleJSON   `json:"sales"`
		Refunds []reconcileRefundJSON `json:"refunds"`
		Error   string                `json:"error,omitempty"`
	}{Sales: []reconcileSaleJSON{}, Refunds: []reconcileRefundJSON{}}
	for _, x := range r.sales {
		s := x.Sale
		out.Sales = append(out.Sales, reconcileSaleJSON{SaleID: s.ID, IntentID: s.IntentID, Was: string(x.Was),
			State: string(s.State), Outcome: reconcileOutcome(x), Amount: saleAmount(s), Currency: s.Currency,
			Seller: string(s.Seller), Reader: s.ReaderID, Message: x.Summary()})
	}
	for _, f := range r.refunds {
		out.Refunds = append(out.Refunds, reconcileRefundJSON{ID: f.ID, RefundID: f.RefundID, SaleID: f.SaleID,
			State: string(f.State), Amount: f.Amount, Currency: f.Currency})
	}
	if r.err != nil {
		out.Error = r.err.Error()
	}
	if err := json.NewEncoder(stdout).Encode(out); err != nil {
		fmt.Fprintln(stderr, "kasse reconcile:", err)
		return 1
	}
	return reconcileExit(r)
}

func printReconcileText(r reconciled, stdout io.Writer) int {
	if len(r.sales) == 0 && len(r.refunds) == 0 {
		fmt.Fprintln(stdout, "Nothing to reconcile: no sale or refund is unfinished.")
	}
	for _, x := range r.sales {
		fmt.Fprintln(stdout, "sale "+saleLine(x))
	}
	for _, f := range r.refunds {
		fmt.Fprintln(stdout, "refund "+refundLine(f))
	}
	if r.err != nil {
		fmt.Fprintln(stdout, "Not everything could be settled; run kasse reconcile again once Stripe is reachable.")
	}
	return reconcileExit(r)
}
