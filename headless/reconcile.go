package headless

import (
	"context"
	"encoding/json"
	"fmt"

	"kasse/checkout"
	"kasse/i18n"
	"kasse/internal/cli"
)

// RunReconcile runs `kasse reconcile [--json]` (args: the words after
// "reconcile"): settle calls checkout.Runner.Settle on the journal, and
// the outcome is reported sale by sale, refund by refund. Exit 0 when
// everything is settled, 1 when something could not be, 64 on a usage
// error.
func RunReconcile(ctx context.Context, settle func(context.Context) checkout.Settlement, args []string, std cli.IO) int {
	asJSON, loc := false, std.Locale()
	for _, f := range args {
		switch f {
		case "--json", "-json":
			asJSON = true
		case "-h", "--help", "-help":
			fmt.Fprint(std.Out, loc.T("cli.headless.help.reconcile"))
			return ExitApproved
		default:
			fmt.Fprintf(std.Err, "%s: %s\n%s", progReconcile, loc.T("cli.headless.reconcile.unknown_argument", i18n.Args{"Arg": cli.Quote(f)}),
				loc.T("cli.headless.help.reconcile"))
			return ExitUsage
		}
	}
	s := settle(ctx)
	if asJSON {
		return printReconcileJSON(s, std)
	}
	return printReconcileText(s, std)
}

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
		out.Error = i18n.Neutral().Err(s.Err)
	}
	if err := json.NewEncoder(std.Out).Encode(out); err != nil {
		fmt.Fprintln(std.Err, progReconcile+":", std.Locale().Err(err))
		return ExitError
	}
	return reconcileExit(s)
}

func printReconcileText(s checkout.Settlement, std cli.IO) int {
	loc := std.Locale()
	if len(s.Sales) == 0 && len(s.Refunds) == 0 {
		fmt.Fprintln(std.Out, loc.T("cli.headless.reconcile.nothing"))
	}
	for _, x := range s.Sales {
		fmt.Fprintln(std.Out, loc.T("cli.checkout.note.sale", i18n.Args{"Line": x.LineMessage()}))
	}
	for _, f := range s.Refunds {
		fmt.Fprintln(std.Out, loc.T("cli.checkout.note.refund", i18n.Args{"Line": checkout.RefundLineMessage(f)}))
	}
	if s.Err != nil {
		fmt.Fprintln(std.Out, loc.T("cli.headless.reconcile.incomplete"))
	}
	return reconcileExit(s)
}
