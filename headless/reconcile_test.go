package headless_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"kasse/checkout"
	"kasse/headless"
	"kasse/internal/cli"
	"kasse/pos"
)

func reconcile(t *testing.T, s checkout.Settlement, args ...string) (code int, stdout, stderr string, settled bool) {
	t.Helper()
	var out, errb bytes.Buffer
	code = headless.RunReconcile(context.Background(), func(context.Context) checkout.Settlement {
		settled = true
		return s
	}, args, cli.IO{Out: &out, Err: &errb})
	return code, out.String(), errb.String(), settled
}

// kasse reconcile reports each sale and refund it settled; one it could not
// settle makes the exit status 1 and says to run it again.
func TestRunReconcileReportsEverySaleAndRefund(t *testing.T) {
	down := errors.New("stripe unreachable")
	s := checkout.Settlement{
		Sales: []checkout.Reconciled{
			{Sale: pos.Sale{ID: "s1", State: pos.SaleCanceled, Amount: 1250, Currency: "usd", IntentID: "pi_1", Seller: "acct_1", ReaderID: "tmr_1"}, Was: pos.SaleWaitingForCard},
			{Sale: pos.Sale{ID: "s2", State: pos.SaleProcessing, Amount: 900, Currency: "eur", IntentID: "pi_2"}, Was: pos.SaleProcessing, Err: down},
		},
		Refunds: []pos.RefundFlow{{ID: "rf-1", SaleID: "s0", State: pos.RefundSucceeded, Amount: 500, Currency: "usd", RefundID: "re_1"}},
		Err:     down,
	}
	code, out, _, _ := reconcile(t, s)
	for _, want := range []string{"sale s1: waiting_for_card → canceled · $12.50 · pi_1\n", "sale s2: processing → still processing (not settled: stripe unreachable)",
		"refund rf-1 → succeeded · $5.00 · re_1\n", "run kasse reconcile again"} {
		if !strings.Contains(out, want) {
			t.Errorf("text lacks %q:\n%s", want, out)
		}
	}
	if code != 1 {
		t.Errorf("exit %d with a sale not settled", code)
	}
	code, out, _, _ = reconcile(t, s, "--json")
	var got struct {
		Sales   []headless.ReconcileSaleJSON
		Refunds []headless.ReconcileRefundJSON
		Error   string
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil || code != 1 {
		t.Fatalf("exit %d, %v: %s", code, err, out)
	}
	if g := got.Sales[0]; g.Outcome != "canceled" || g.Amount != 1250 || g.Seller != "acct_1" || g.Reader != "tmr_1" || g.Was != "waiting_for_card" ||
		got.Sales[1].Outcome != "not_settled" || got.Refunds[0].RefundID != "re_1" || got.Error != "stripe unreachable" {
		t.Errorf("json %+v", got)
	}
	code, out, _, _ = reconcile(t, checkout.Settlement{})
	if code != 0 || out != "Nothing to reconcile: no sale or refund is unfinished.\n" {
		t.Errorf("nothing: exit %d %q", code, out)
	}
	code, out, _, _ = reconcile(t, checkout.Settlement{}, "--json")
	if code != 0 || strings.TrimSpace(out) != `{"sales":[],"refunds":[]}` {
		t.Errorf("nothing, json: exit %d %q", code, out)
	}
}

// --help and a bad argument settle nothing.
func TestRunReconcileHelpAndUsage(t *testing.T) {
	if code, out, _, settled := reconcile(t, checkout.Settlement{}, "--help"); code != 0 || settled || !strings.HasPrefix(out, "Usage: kasse reconcile") {
		t.Errorf("--help: exit %d, settled %v, %q", code, settled, out)
	}
	if code, _, errs, settled := reconcile(t, checkout.Settlement{}, "--jsn"); code != 64 || settled || !strings.Contains(errs, `unknown argument "--jsn"`) {
		t.Errorf("--jsn: exit %d, settled %v, %q", code, settled, errs)
	}
}
