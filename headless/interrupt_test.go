package headless_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"kasse/headless"
	"kasse/internal/cli"
	"kasse/pos"
	"kasse/sandbox"
)

func TestInterruptCancelsTheIntent(t *testing.T) {
	e := newEnv(t, nil)
	seller, reader := e.sellers["eur"], e.readers["eur"]
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	d := e.deps(headless.ModeSandbox)
	d.Sleep = func(c context.Context, dur time.Duration) error { cancel(); return c.Err() } // Ctrl-C while waiting
	var out, errOut bytes.Buffer
	code := headless.RunCharge(ctx, d, []string{"--seller", string(seller.ID), "--reader", reader.ID, "--amount", "2.50", "--json"}, cli.IO{Out: &out, Err: &errOut})
	var r headless.Result
	json.Unmarshal(out.Bytes(), &r)
	if code != headless.ExitCanceled || r.Status != "canceled" || !strings.Contains(r.Message, "Interrupted") {
		t.Fatalf("exit %d %+v %s", code, r, errOut.String())
	}
	if ins := e.intents(t, seller.ID); len(ins) != 1 || ins[0].Status != pos.IntentCanceled {
		t.Fatalf("intents = %+v", ins)
	}
}

func TestOfflineReaderIsAnError(t *testing.T) {
	e := newEnv(t, nil)
	seller, reader := e.sellers["usd"], e.readers["usd"]
	if err := e.srv.SetReaderOnline(reader.ID, false); err != nil {
		t.Fatal(err)
	}
	code, r, _ := e.chargeJSON(t, e.deps(headless.ModeSandbox), "--seller", string(seller.ID), "--reader", reader.ID,
		"--amount", "3.00", "--simulate-card", "")
	if code != headless.ExitError || r.Status != "failed" || !strings.Contains(r.Message, "offline") {
		t.Fatalf("exit %d %+v", code, r)
	}
	if ins := e.intents(t, seller.ID); len(ins) != 1 || ins[0].Status != pos.IntentCanceled {
		t.Fatalf("intents = %+v", ins)
	}
}

// Issue 10, finding 5: an interrupt whose cleanup cancel cannot reach
// Stripe must not be reported as canceled: the outcome is unknown, and the
// output names the intent so that it can be settled (kasse reconcile).
func TestInterruptWhoseCancelFailsIsUnknownNotCanceled(t *testing.T) {
	e := newEnv(t, nil)
	seller, reader := e.sellers["usd"], e.readers["usd"]
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	d := e.deps(headless.ModeSandbox)
	d.CancelGrace = 300 * time.Millisecond
	interrupted := false
	d.Sleep = func(c context.Context, dur time.Duration) error {
		if !interrupted { // Ctrl-C while waiting, and Stripe is gone with it
			interrupted = true
			e.srv.SetFaults([]sandbox.Fault{{Kind: sandbox.Fault503}})
			cancel()
			return c.Err()
		}
		time.Sleep(5 * time.Millisecond)
		return c.Err()
	}
	var out, errOut bytes.Buffer
	code := headless.RunCharge(ctx, d, []string{"--seller", string(seller.ID), "--reader", reader.ID, "--amount", "2.50", "--json"}, cli.IO{Out: &out, Err: &errOut})
	var r headless.Result
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		t.Fatalf("stdout: %v\n%s", err, out.String())
	}
	if code == headless.ExitCanceled || r.Status == "canceled" {
		t.Fatalf("reported canceled although the cancel never reached Stripe: exit %d %+v", code, r)
	}
	if r.Status != "unknown" || r.IntentID == "" || !strings.Contains(r.Message, r.IntentID) ||
		!strings.Contains(r.Message, "kasse reconcile") || code != headless.ExitError {
		t.Fatalf("exit %d %+v\nstderr: %s", code, r, errOut.String())
	}
	e.srv.SetFaults(nil)
	if ins := e.intents(t, seller.ID); len(ins) != 1 || ins[0].Status != pos.IntentRequiresPaymentMethod {
		t.Fatalf("intents = %+v (the test wants the cancel to have failed)", ins)
	}
	rec, err := e.journal.Record(context.Background(), r.SaleID)
	if err != nil || rec.Sale.State.Final() {
		t.Fatalf("journal: %s, %v; want the sale kept open for reconciliation", rec.Sale.State, err)
	}
}
