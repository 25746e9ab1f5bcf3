package headless

import (
	"context"
	"encoding/json"
	"fmt"

	"kasse/checkout"
	"kasse/internal/cli"
)

// RunReconcile runs `kasse reconcile [--json]` (args: the words after
// "reconcile"): settle calls checkout.Runner.Settle on the journal, and
// the outcome is reported sale by sale, refund by refund. Exit 0 when
// everything is settled, 1 when something could not be, 64 on a usage
// error.
func RunReconcile(ctx context.Context, settle func(context.Context) checkout.Settlement, args []string, std cli.IO) int {
	asJSON := false
	for _, f := range args {
		switch f {
		case "--json", "-json":
			asJSON = true
		case "-h", "--help", "-help":
			fmt.Fprint(std.Out, reconcileHelp)
			return ExitApproved
		default:
			fmt.Fprintf(std.Err, "kasse reconcile: unknown argument %q\n%s", f, reconcileHelp)
			return ExitUsage
		}
	}
	s := settle(ctx)
	if asJSON {
		return printReconcileJSON(s, std)
	}
	return printReconcileText(s, std)
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

// ReconcileSaleJSON is one sale as `kasse reconcile --json` prints it.
type ReconcileSaleJSON struct {
	SaleID   string `json:"sale_id"`
	IntentID string `json:"intent_id"`
	Was      string `json:"was"`
	State    string `json:"state"`
	Outcome  string `json:"outcome"` // checkout.Reconciled.Outcome
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
	Seller   string `json:"seller"`
	Reader   string `json:"reader"`
	Message  string `json:"message"`
	// A separate charge's transfer to its seller: its state and id.
	TransferState string `json:"transfer_state,omitempty"`
	Transfer      string `json:"transfer,omitempty"`
}

// ReconcileRefundJSON is one refund as `kasse reconcile --json` prints it.
type ReconcileRefundJSON struct {
	ID       string `json:"id"`
	RefundID string `json:"refund_id"`
	SaleID   string `json:"sale_id"`
	State    string `json:"state"`
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
}

func reconcileExit(s checkout.Settlement) int {
	if s.Complete() {
		return ExitApproved
	}
	return ExitError
}

func printReconcileJSON(s checkout.Settlement, std cli.IO) int {
	out := struct {
		Sales   []ReconcileSaleJSON   `json:"sales"`
		Refunds []ReconcileRefundJSON `json:"refunds"`
		Error   string                `json:"error,omitempty"`
	}{Sales: []ReconcileSaleJSON{}, Refunds: []ReconcileRefundJSON{}}
	for _, x := range s.Sales {
		sale := x.Sale
		out.Sales = append(out.Sales, ReconcileSaleJSON{SaleID: sale.ID, IntentID: sale.IntentID, Was: string(x.Was),
			State: string(sale.State), Outcome: x.Outcome(), Amount: x.Amount(), Currency: sale.Currency,
			Seller: string(sale.Seller), Reader: sale.ReaderID, Message: x.Summary()})
		if t := sale.Transfer; t != nil {
			out.Sales[len(out.Sales)-1].TransferState, out.Sales[len(out.Sales)-1].Transfer = string(t.State), t.ID
		}
	}
	for _, f := range s.Refunds {
		out.Refunds = append(out.Refunds, ReconcileRefundJSON{ID: f.ID, RefundID: f.RefundID, SaleID: f.SaleID,
			State: string(f.State), Amount: f.Amount, Currency: f.Currency})
	}
	if s.Err != nil {
		out.Error = s.Err.Error()
	}
	if err := json.NewEncoder(std.Out).Encode(out); err != nil {
		fmt.Fprintln(std.Err, "kasse reconcile:", err)
		return ExitError
	}
	return reconcileExit(s)
}

func printReconcileText(s checkout.Settlement, std cli.IO) int {
	if len(s.Sales) == 0 && len(s.Refunds) == 0 {
		fmt.Fprintln(std.Out, "Nothing to reconcile: no sale or refund is unfinished.")
	}
	for _, x := range s.Sales {
		fmt.Fprintln(std.Out, "sale "+x.Line())
	}
	for _, f := range s.Refunds {
		fmt.Fprintln(std.Out, "refund "+checkout.RefundLine(f))
	}
	if s.Err != nil {
		fmt.Fprintln(std.Out, "Not everything could be settled; run kasse reconcile again once Stripe is reachable.")
	}
	return reconcileExit(s)
}
