package checkout_test

import (
	"context"
	"testing"
	"time"

	"kasse/pos"
	"kasse/sandbox"
)

// crashDuringCreate charges s with the create's response dropped and
// "crashes": the answer is never fed back, so the journal holds the sale in
// Creating with its create key, and Stripe holds the intent.
func crashDuringCreate(t *testing.T, e *env, s pos.Sale) pos.Sale {
	t.Helper()
	ctx := context.Background()
	e.srv.SetFaults([]sandbox.Fault{{Kind: sandbox.FaultDrop, Method: "POST", Route: "/v1/payment_intents", Times: 1}})
	s, effs, err := e.runner.Step(ctx, s, pos.ChargeRequested{At: time.Now()})
	if err != nil || len(effs) != 2 {
		t.Fatalf("charge: %v %#v", err, effs)
	}
	for _, eff := range effs {
		if ev := e.runner.Exec(ctx, s, eff); ev != nil {
			if _, failed := ev.(pos.RequestFailed); !failed {
				t.Fatalf("dropped create answered %#v", ev)
			}
		}
	}
	rec, err := e.journal.Record(ctx, s.ID)
	if err != nil || rec.Sale.State != pos.SaleCreating || len(rec.Keys) != 1 || rec.Keys[0] != s.CreateKey() {
		t.Fatalf("journal before the restart: %s %v, %v", rec.Sale.State, rec.Keys, err)
	}
	if n := len(e.intentsOf(t, s)); n != 1 {
		t.Fatalf("the dropped create made %d intents", n)
	}
	return s
}

func TestReconcileFindsTheIntentOfALostCreate(t *testing.T) {
	ctx := context.Background()
	e := newEnvWith(t, noKeepAlive())
	s := crashDuringCreate(t, e, e.newSale(t, "usd", 1250))
	created := e.intentsOf(t, s)[0]

	e.counter.Reset()
	restarted := e.newRunner(e.journal)
	got, err := restarted.Reconcile(ctx, e.journal)
	if err != nil || len(got) != 1 {
		t.Fatalf("reconcile: %d sales, %v", len(got), err)
	}
	r := got[0]
	if r.IntentID != created.ID || r.State != pos.SaleWaitingForCard {
		t.Fatalf("reconciled: %s intent %q, want waiting_for_card on %s", r.State, r.IntentID, created.ID)
	}
	if n := e.counter.Count("CreateIntent"); n != 1 {
		t.Fatalf("creates during reconcile = %d, want the one same-key resend", n)
	}
	if ins := e.intentsOf(t, s); len(ins) != 1 {
		t.Fatalf("intents after reconcile = %d, want 1", len(ins))
	}
	saved, _ := e.journal.Sale(ctx, s.ID)
	if saved.IntentID != created.ID || saved.State != pos.SaleWaitingForCard {
		t.Fatalf("journal after reconcile: %s %q", saved.State, saved.IntentID)
	}

	// The customer pays; the console picks up from the reconciled sale.
	if err := restarted.PresentCard(ctx, r, "", 0); err != nil {
		t.Fatal(err)
	}
	r, err = restarted.Drive(ctx, r, pos.Tick{At: time.Now()}, nil)
	if err != nil || r.State != pos.SaleApproved {
		t.Fatalf("after paying: %s, %v", r.State, err)
	}
}

func TestReconcileStaleCreateSearchesAndCancels(t *testing.T) {
	ctx := context.Background()
	e := newEnvWith(t, noKeepAlive())
	s := crashDuringCreate(t, e, e.newSale(t, "eur", 1500))

	e.counter.Reset()
	restarted := e.newRunner(e.journal)
	restarted.Now = func() time.Time { return time.Now().Add(25 * time.Hour) } // the key may be gone
	got, err := restarted.Reconcile(ctx, e.journal)
	if err != nil || len(got) != 1 || got[0].State != pos.SaleCanceled {
		t.Fatalf("reconcile: %+v, %v", got, err)
	}
	if n := e.counter.Count("CreateIntent"); n != 0 {
		t.Fatalf("a stale create was resent %d times", n)
	}
	if e.counter.Count("ListIntents") != 1 || e.counter.Count("CancelIntent") != 1 {
		t.Fatalf("requests = %v", e.counter.Counts())
	}
	ins := e.intentsOf(t, s)
	if len(ins) != 1 || ins[0].Status != pos.IntentCanceled {
		t.Fatalf("intents = %+v", ins)
	}
}

func TestReconcileSettlesPaymentMadeWhileDown(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	s := e.newSale(t, "usd", 700)
	s, err := e.runner.Drive(ctx, s, pos.ChargeRequested{At: time.Now()}, waitingForCard)
	if err != nil || s.State != pos.SaleWaitingForCard {
		t.Fatalf("to the reader: %s, %v", s.State, err)
	}
	// The console dies; the customer taps anyway.
	if _, err := e.client.PresentCard(ctx, s.ReaderOwner, s.ReaderID, "", 0, "test-present-"+s.ID); err != nil {
		t.Fatal(err)
	}
	draft := e.newSale(t, "usd", 300)
	if err := e.journal.SaveSale(ctx, draft); err != nil {
		t.Fatal(err)
	}
	e.counter.Reset()
	got, err := e.newRunner(e.journal).Reconcile(ctx, e.journal)
	if err != nil || len(got) != 2 {
		t.Fatalf("reconcile: %d, %v", len(got), err)
	}
	states := map[string]pos.SaleState{got[0].ID: got[0].State, got[1].ID: got[1].State}
	if states[s.ID] != pos.SaleApproved || states[draft.ID] != pos.SaleCanceled {
		t.Fatalf("states = %v", states)
	}
	if e.counter.Count("CreateIntent")+e.counter.Count("ProcessIntent")+e.counter.Count("CancelIntent") != 0 {
		t.Fatalf("reconcile sent mutating requests: %v", e.counter.Counts())
	}
	if un, _ := e.journal.UnfinishedSales(ctx); len(un) != 0 {
		t.Fatalf("still unfinished: %d", len(un))
	}
}

func TestRefundThroughTheRunner(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	s := e.newSale(t, "usd", 2500)
	s, _ = e.runner.Drive(ctx, s, pos.ChargeRequested{At: time.Now()}, waitingForCard)
	if err := e.runner.PresentCard(ctx, s, "", 0); err != nil {
		t.Fatal(err)
	}
	if s, _ = e.runner.Drive(ctx, s, pos.Tick{At: time.Now()}, nil); s.State != pos.SaleApproved {
		t.Fatalf("sale %s", s.State)
	}
	in, err := e.client.GetIntent(ctx, s.Seller, s.IntentID)
	if err != nil {
		t.Fatal(err)
	}
	rf, err := pos.NewRefund(pos.RefundConfig{ID: "rf-" + s.ID, SaleID: s.ID, Seller: s.Seller, Intent: in,
		Amount: 1000, Reason: pos.RefundRequestedByCustomer}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	rf, err = e.runner.DriveRefund(ctx, rf, pos.SubmitRefund{At: time.Now()})
	if err != nil || rf.State != pos.RefundSucceeded || rf.RefundID == "" {
		t.Fatalf("refund: %s %q, %v (%v)", rf.State, rf.RefundID, err, rf.LastError)
	}
	saved, err := e.journal.Refund(ctx, rf.ID)
	if err != nil || saved.State != pos.RefundSucceeded {
		t.Fatalf("journal refund: %s, %v", saved.State, err)
	}
	list, _ := e.client.ListRefunds(ctx, s.Seller, s.IntentID)
	if len(list) != 1 || list[0].Amount != 1000 {
		t.Fatalf("refunds at Stripe: %+v", list)
	}
}

// approvedSale runs a sale to approval and returns it with its intent.
func approvedSale(t *testing.T, e *env, currency string, amount int64) (pos.Sale, pos.Intent) {
	t.Helper()
	ctx := context.Background()
	s := e.newSale(t, currency, amount)
	s, _ = e.runner.Drive(ctx, s, pos.ChargeRequested{At: time.Now()}, waitingForCard)
	if err := e.runner.PresentCard(ctx, s, "", 0); err != nil {
		t.Fatal(err)
	}
	if s, _ = e.runner.Drive(ctx, s, pos.Tick{At: time.Now()}, nil); s.State != pos.SaleApproved {
		t.Fatalf("sale %s", s.State)
	}
	in, err := e.client.GetIntent(ctx, s.Seller, s.IntentID)
	if err != nil {
		t.Fatal(err)
	}
	return s, in
}

func TestRefundWithDroppedAnswerAndReconcile(t *testing.T) {
	ctx := context.Background()
	e := newEnvWith(t, noKeepAlive())
	s, in := approvedSale(t, e, "usd", 3000)

	// 1. The create's answer is dropped: the refund is found by listing, not resent.
	e.srv.SetFaults([]sandbox.Fault{{Kind: sandbox.FaultDrop, Method: "POST", Route: "/v1/refunds", Times: 1}})
	rf, err := pos.NewRefund(pos.RefundConfig{ID: "rf1-" + s.ID, SaleID: s.ID, Seller: s.Seller, Intent: in,
		Amount: 1000, Reason: pos.RefundRequestedByCustomer}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	rf, err = e.runner.DriveRefund(ctx, rf, pos.SubmitRefund{At: time.Now()})
	if err != nil || rf.State != pos.RefundSucceeded || e.counter.Count("ListRefunds") < 1 {
		t.Fatalf("refund after a drop: %s, %v, counts %v", rf.State, err, e.counter.Counts())
	}
	// The list is looked at before anything is resent, and it recognises
	// the refund by its kasse_refund_id metadata: no second create is sent.
	if n := e.counter.Count("CreateRefund"); n != 1 {
		t.Fatalf("CreateRefund sent %d times after a dropped answer, want 1 (counts %v)", n, e.counter.Counts())
	}
	if list, _ := e.client.ListRefunds(ctx, s.Seller, s.IntentID); len(list) != 1 || list[0].ID != rf.RefundID {
		t.Fatalf("refunds at Stripe after a dropped answer: %+v (sale refund %s)", list, rf.RefundID)
	}
	t.Logf("refund with a dropped answer: %v", e.counter.Counts())

	// 2. A refund recorded just before a crash is sent on reconcile.
	e.srv.SetFaults(nil)
	in, _ = e.client.GetIntent(ctx, s.Seller, s.IntentID)
	rf2, err := pos.NewRefund(pos.RefundConfig{ID: "rf2-" + s.ID, SaleID: s.ID, Seller: s.Seller, Intent: in,
		Reason: pos.RefundDuplicate}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	_, effs := pos.StepRefund(rf2, pos.SubmitRefund{At: time.Now()})
	if err := e.journal.SaveRefund(ctx, effs[0].(pos.RecordRefund).Refund); err != nil {
		t.Fatal(err)
	}
	got, err := e.newRunner(e.journal).ReconcileRefunds(ctx, e.journal)
	if err != nil || len(got) != 1 || got[0].State != pos.RefundSucceeded || got[0].Amount != 2000 {
		t.Fatalf("reconcile refunds: %+v, %v", got, err)
	}
	list, _ := e.client.ListRefunds(ctx, s.Seller, s.IntentID)
	if len(list) != 2 {
		t.Fatalf("refunds at Stripe = %d, want 2", len(list))
	}
	if un, _ := e.journal.UnfinishedRefunds(ctx); len(un) != 0 {
		t.Fatalf("unfinished refunds: %+v", un)
	}
}
