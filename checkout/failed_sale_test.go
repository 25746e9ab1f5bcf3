package checkout_test

import (
	"context"
	"testing"
	"time"

	"kasse/checkout"
	"kasse/pos"
	"kasse/sandbox"
)

// Issue 12, point 1: a sale that fails for good after its PaymentIntent
// exists is settled by the next start like any open sale. Here a field
// tech deregisters the reader while the hand-off is slow (a latency fault
// holds process_payment_intent): Stripe refuses the hand-off as not found,
// the sale fails — and its intent stays open at Stripe. Before, the
// journal counted the failed sale as finished and no start ever canceled
// the intent. Now it stays unfinished; reconciliation (not offered to the
// cashier even for a console sale: there is nothing left to retry) reads
// the reader — gone, so nothing to clear — and the intent, then cancels it.
func TestReconcileCancelsTheIntentOfAFailedSale(t *testing.T) {
	ctx := context.Background()
	slow, err := sandbox.ParseFault("latency=400ms@POST:/v1/terminal/readers/{id}/process_payment_intent x1")
	if err != nil {
		t.Fatal(err)
	}
	e := newEnvOpts(t, noKeepAlive(), sandbox.Options{Seed: "demo", Faults: []sandbox.Fault{slow}})
	s := e.newSale(t, "usd", 1250)
	s.Origin = pos.OriginConsole
	reader := e.readers["usd"]

	type result struct {
		s   pos.Sale
		err error
	}
	done := make(chan result, 1)
	go func() {
		s, err := e.runner.Drive(ctx, s, pos.ChargeRequested{At: time.Now()}, nil)
		done <- result{s, err}
	}()
	deadline := time.Now().Add(5 * time.Second)
	for len(e.intentsOf(t, s)) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the sale's intent was not created within 5s")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := e.client.DeleteReader(ctx, reader.Owner, reader.ID); err != nil {
		t.Fatalf("deregister the reader: %v", err)
	}
	res := <-done
	failed := res.s
	if res.err != nil || failed.State != pos.SaleFailed || !pos.IsKind(failed.LastError, pos.KindNotFound) {
		t.Fatalf("the hand-off to a deregistered reader: %s (%v), %v; want failed, not found", failed.State, failed.LastError, res.err)
	}
	if failed.Finished() || !failed.IntentMayBeOpen() {
		t.Fatalf("failed sale on %s (%s): finished %v; want unfinished, its intent may be open",
			failed.IntentID, failed.IntentStatus, failed.Finished())
	}
	ins := e.intentsOf(t, s)
	if len(ins) != 1 || ins[0].ID != failed.IntentID || ins[0].Status != pos.IntentRequiresPaymentMethod {
		t.Fatalf("intents at Stripe after the failure: %+v; want %s open", ins, failed.IntentID)
	}
	open, err := e.journal.UnfinishedSales(ctx)
	if err != nil || len(open) != 1 || open[0].ID != s.ID || open[0].State != pos.SaleFailed {
		t.Fatalf("journal's unfinished sales: %+v, %v; want the failed sale", open, err)
	}

	// The next start (a console: it offers its own open sales).
	e.runner.ReleaseClaims()
	e.counter.Reset()
	restarted := e.newRunner(e.journal)
	got, err := restarted.Reconcile(ctx, e.journal, checkout.ReconcileOptions{Offer: checkout.OfferConsoleSales})
	if err != nil || len(got) != 1 {
		t.Fatalf("reconcile: %+v, %v; want the failed sale settled", got, err)
	}
	x := got[0]
	if x.Was != pos.SaleFailed || x.Sale.State != pos.SaleCanceled || x.Offered || x.Open() || x.Sale.IntentID != failed.IntentID {
		t.Fatalf("reconciled: %s (offered %v, open %v); want failed → canceled on %s", x.Summary(), x.Offered, x.Open(), failed.IntentID)
	}
	if n := e.counter.Count("ProcessIntent") + e.counter.Count("CreateIntent"); n != 0 {
		t.Fatalf("reconcile sent %d creates or hand-offs; a failed sale is never charged again", n)
	}
	if n := e.counter.Count("CancelIntent"); n != 1 {
		t.Fatalf("intent cancels = %d, want 1", n)
	}
	ins = e.intentsOf(t, s)
	if len(ins) != 1 || ins[0].Status != pos.IntentCanceled {
		t.Fatalf("intents at Stripe after reconcile: %+v; want %s canceled", ins, failed.IntentID)
	}
	if open, err := e.journal.UnfinishedSales(ctx); err != nil || len(open) != 0 {
		t.Fatalf("journal still holds %d unfinished sales (%v)", len(open), err)
	}
	again, err := e.newRunner(e.journal).Reconcile(ctx, e.journal, checkout.ReconcileOptions{})
	if err != nil || len(again) != 0 {
		t.Fatalf("a second reconcile: %+v, %v; want nothing left", again, err)
	}
}
