package checkout_test

import (
	"context"
	"testing"
	"time"

	"kasse/checkout"
	"kasse/pos"
)

// The three charge types end to end through the runner, the real adapter
// and the sandbox (every exchange judged by the conformance transport).

// sellerSale is e.newSale for the usd seller charged as setup says.
func (e *env) sellerSale(t testing.TB, setup pos.ChargeSetup, amount int64) pos.Sale {
	t.Helper()
	s := e.newSale(t, "usd", amount)
	s.Charge, s.Fee = setup.Type.Or(), setup.Fee
	return s
}

// settled reports whether the sale is finished (its transfer included).
func finished(s pos.Sale) bool { return s.Finished() && !s.Pending.Active() }

// TestChargeTypesRequestCounts: whatever the charge type, Enter reaches
// in_progress with exactly two sequential requests (create, then
// process_payment_intent); a separate charge settles with exactly one
// request more than a direct or destination one: its transfer.
func TestChargeTypesRequestCounts(t *testing.T) {
	ctx := context.Background()
	rule := pos.FeeRule{Percent: 2500} // 2.5 % of 12.50 = 0.31
	settle := map[pos.ChargeType]int{}
	for _, typ := range pos.ChargeTypes() {
		t.Run(string(typ), func(t *testing.T) {
			e := newEnv(t)
			s := e.sellerSale(t, pos.ChargeSetup{Type: typ, Fee: rule}, 1250)
			s, err := e.runner.Drive(ctx, s, pos.ChargeRequested{At: time.Now()}, waitingForCard)
			if err != nil || s.State != pos.SaleWaitingForCard {
				t.Fatalf("drive to the reader: %s, %v (%q, %v)", s.State, err, s.Notice, s.LastError)
			}
			if got := e.counter.Counts(); e.counter.Total() != 2 || got["CreateIntent"] != 1 || got["ProcessIntent"] != 1 {
				t.Fatalf("%s: requests from Enter to in_progress = %v, want CreateIntent + ProcessIntent", typ, got)
			}
			t.Logf("%s: %d sequential requests from Enter to in_progress", typ, e.counter.Total())
			e.counter.Reset()
			if err := e.runner.PresentCard(ctx, s, "4242424242424242", 0); err != nil {
				t.Fatal(err)
			}
			e.counter.Reset() // the simulated customer is not the console's request
			s, err = e.runner.Drive(ctx, s, pos.Tick{At: time.Now()}, finished)
			if err != nil || s.State != pos.SaleApproved || !s.Finished() {
				t.Fatalf("after the card: %s finished=%v, %v (transfer %+v)", s.State, s.Finished(), err, s.Transfer)
			}
			settle[typ] = e.counter.Total()
			t.Logf("%s: %d requests from the card to settled: %v", typ, e.counter.Total(), e.counter.Counts())

			in, err := e.client.GetIntent(ctx, s.IntentAccount(), s.IntentID)
			if err != nil {
				t.Fatal(err)
			}
			switch typ {
			case pos.ChargeDirect:
				if in.Account != s.Seller || in.ApplicationFeeAmount != 31 || in.LatestCharge.ApplicationFeeID == "" {
					t.Fatalf("direct: %+v", in)
				}
			case pos.ChargeDestination:
				if in.TransferDestination != s.Seller || in.OnBehalfOf != s.Seller || in.ApplicationFeeAmount != 31 ||
					in.Metadata[pos.MetaSeller] != string(s.Seller) || in.LatestCharge.TransferID == "" {
					t.Fatalf("destination: %+v", in)
				}
				tr, err := e.client.GetTransfer(ctx, in.LatestCharge.TransferID)
				if err != nil || tr.Amount != 1250 || tr.Destination != s.Seller {
					t.Fatalf("destination transfer %+v, %v", tr, err)
				}
			case pos.ChargeSeparate:
				if in.TransferGroup != pos.TransferGroupOf(s.ID) || in.ApplicationFeeAmount != 0 {
					t.Fatalf("separate: %+v", in)
				}
				trs, err := e.client.ListTransfers(ctx, pos.TransferFilter{Group: pos.TransferGroupOf(s.ID)})
				if err != nil || len(trs) != 1 || trs[0].Amount != 1250-31 || trs[0].SourceCharge != s.ChargeID || trs[0].ID != s.Transfer.ID {
					t.Fatalf("separate transfers %+v, %v", trs, err)
				}
				if e.counter.Count("CreateTransfer") != 1 {
					t.Fatalf("transfers sent: %d", e.counter.Count("CreateTransfer"))
				}
				rec, err := e.journal.Record(ctx, s.ID)
				if err != nil || rec.Keys[len(rec.Keys)-1] != s.TransferKey() || !rec.Sale.Finished() {
					t.Fatalf("journal keys %v, finished %v, %v", rec.Keys, rec.Sale.Finished(), err)
				}
			}
		})
	}
	if settle[pos.ChargeSeparate] != settle[pos.ChargeDirect]+1 || settle[pos.ChargeDestination] != settle[pos.ChargeDirect] {
		t.Fatalf("requests from the card to settled %v: a separate charge should need exactly its transfer more", settle)
	}
}

// lossy is a Transfers port that loses the answer of the first
// CreateTransfer: before sending it (nothing reaches Stripe), or after
// (the transfer exists, the console does not know).
type lossy struct {
	pos.Transfers
	after bool
	lost  int
}

func (l *lossy) CreateTransfer(ctx context.Context, req pos.TransferRequest, key string) (pos.Transfer, error) {
	if l.lost > 0 {
		return l.Transfers.CreateTransfer(ctx, req, key)
	}
	l.lost++
	if l.after {
		if _, err := l.Transfers.CreateTransfer(ctx, req, key); err != nil {
			return pos.Transfer{}, err
		}
	}
	return pos.Transfer{}, &pos.Error{Kind: pos.KindUnknown, Message: "connection reset"}
}

// TestSeparateTransferCrash: the console dies between charge and transfer
// — the answer of the transfer lost before or after it reached Stripe,
// or the process gone right after the key was recorded. The journal keeps
// the approved sale unfinished; the next start's reconciliation finds the
// transfer by its group or sends it under its one key: the seller is
// transferred to exactly once.
func TestSeparateTransferCrash(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		after bool
	}{{"answer lost before Stripe", false}, {"answer lost after Stripe", true}} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			r := e.newRunner(e.journal)
			r.Transfers = &lossy{Transfers: e.client, after: tc.after}
			s := e.sellerSale(t, pos.ChargeSetup{Type: pos.ChargeSeparate, Fee: pos.FeeRule{Percent: 2500}}, 1250)
			s, _ = r.Drive(ctx, s, pos.ChargeRequested{At: time.Now()}, waitingForCard)
			if err := r.PresentCard(ctx, s, "4242424242424242", 0); err != nil {
				t.Fatal(err)
			}
			// The console stops once the sale is approved and its transfer
			// sent: the answer never came (a crash, a kill).
			s, err := r.Drive(ctx, s, pos.Tick{At: time.Now()}, func(s pos.Sale) bool { return s.Transfer != nil && s.Transfer.Sends > 0 && !s.Pending.Active() })
			if err != nil || s.State != pos.SaleApproved || s.Transfer.State != pos.TransferUnknown {
				t.Fatalf("before the crash: %s %+v, %v", s.State, s.Transfer, err)
			}
			r.ReleaseClaims()
			un, err := e.journal.UnfinishedSales(ctx)
			if err != nil || len(un) != 1 || un[0].ID != s.ID {
				t.Fatalf("the journal does not keep the sale open: %v, %v", un, err)
			}
			e.counter.Reset()
			got, err := e.newRunner(e.journal).Reconcile(ctx, e.journal, checkout.ReconcileOptions{Offer: checkout.OfferConsoleSales})
			if err != nil || len(got) != 1 || !got[0].Sale.Finished() || got[0].Sale.Transfer.State != pos.TransferDone {
				t.Fatalf("reconcile: %+v, %v", got, err)
			}
			trs, err := e.client.ListTransfers(ctx, pos.TransferFilter{Group: pos.TransferGroupOf(s.ID)})
			if err != nil || len(trs) != 1 || trs[0].Amount != 1219 {
				t.Fatalf("transfers of the sale: %+v, %v", trs, err)
			}
			wantSends := 1 // lost before Stripe: the listing shows none, so it is sent
			if tc.after {
				wantSends = 0 // lost after: the listing shows it
			}
			if e.counter.Count("ListTransfers") != 1 || e.counter.Count("CreateTransfer") != wantSends {
				t.Fatalf("settling the transfer: %v", e.counter.Counts())
			}
			if un, _ := e.journal.UnfinishedSales(ctx); len(un) != 0 {
				t.Fatalf("still unfinished: %v", un)
			}
		})
	}
	t.Run("killed after the key was recorded", func(t *testing.T) {
		e := newEnv(t)
		s := e.sellerSale(t, pos.ChargeSetup{Type: pos.ChargeSeparate, Fee: pos.FeeRule{Percent: 2500}}, 1250)
		s, _ = e.runner.Drive(ctx, s, pos.ChargeRequested{At: time.Now()}, waitingForCard)
		if err := e.runner.PresentCard(ctx, s, "4242424242424242", 0); err != nil {
			t.Fatal(err)
		}
		// Run the sale to its approval, effects and all, but stop at the
		// transfer: its Record is written, then the process dies before
		// CreateTransfer leaves.
		queue := []pos.SaleEvent{pos.Tick{At: time.Now()}}
	run:
		for len(queue) > 0 {
			var effs []pos.Effect
			s, effs, _ = e.runner.Step(ctx, s, queue[0])
			queue = queue[1:]
			for _, eff := range effs {
				if _, ok := eff.(pos.CreateTransfer); ok {
					break run
				}
				if out := e.runner.Exec(ctx, s, eff); out != nil {
					queue = append(queue, out)
				}
			}
		}
		e.runner.ReleaseClaims()
		rec, err := e.journal.Record(ctx, s.ID)
		if err != nil || rec.Sale.Transfer == nil || rec.Sale.Transfer.State != pos.TransferSent || rec.Keys[len(rec.Keys)-1] != s.TransferKey() {
			t.Fatalf("journal before the crash: %+v keys %v, %v", rec.Sale.Transfer, rec.Keys, err)
		}
		got, err := e.newRunner(e.journal).Reconcile(ctx, e.journal, checkout.ReconcileOptions{})
		if err != nil || len(got) != 1 || got[0].Sale.Transfer.State != pos.TransferDone {
			t.Fatalf("reconcile: %+v, %v", got, err)
		}
		again, err := e.newRunner(e.journal).Reconcile(ctx, e.journal, checkout.ReconcileOptions{})
		if err != nil || len(again) != 0 {
			t.Fatalf("a second start found %v, %v", again, err)
		}
		trs, _ := e.client.ListTransfers(ctx, pos.TransferFilter{Group: pos.TransferGroupOf(s.ID)})
		if len(trs) != 1 {
			t.Fatalf("%d transfers", len(trs))
		}
	})
}

// TestSeparateRefundReversal: a separate charge's refund is made on the
// platform and reverses the seller's transfer in proportion, keyed and
// recorded; lost after Stripe, the reversal is found by its refund id on
// the next start, never made twice.
func TestSeparateRefundReversal(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	s := e.sellerSale(t, pos.ChargeSetup{Type: pos.ChargeSeparate, Fee: pos.FeeRule{Percent: 2500}}, 1250)
	s, _ = e.runner.Drive(ctx, s, pos.ChargeRequested{At: time.Now()}, waitingForCard)
	if err := e.runner.PresentCard(ctx, s, "4242424242424242", 0); err != nil {
		t.Fatal(err)
	}
	s, _ = e.runner.Drive(ctx, s, pos.Tick{At: time.Now()}, finished)
	in, err := e.client.GetIntent(ctx, pos.Platform, s.IntentID)
	if err != nil {
		t.Fatal(err)
	}
	rf, err := pos.NewRefund(pos.RefundConfig{ID: "rf-" + s.ID, SaleID: s.ID, Seller: s.Seller, Intent: in, Amount: 500,
		Reason: pos.RefundRequestedByCustomer, Facts: pos.ChargeFacts{Type: pos.ChargeSeparate, Fee: 31, TransferID: s.Transfer.ID, Transferred: 1219}}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if rf.Shares.Reversal != 488 || rf.Shares.Platform != 12 { // 500 × 1219/1250 = 487.6
		t.Fatalf("shares %+v", rf.Shares)
	}
	r := e.newRunner(e.journal)
	r.Transfers = &lostReversal{Transfers: e.client}
	rf, err = r.DriveRefund(ctx, rf, pos.SubmitRefund{At: time.Now()})
	if err != nil || rf.State != pos.RefundSucceeded || !rf.Finished() || rf.Reversal.Sends != 1 {
		t.Fatalf("refund %s reversal %+v, %v", rf.State, rf.Reversal, err)
	}
	tr, err := e.client.GetTransfer(ctx, s.Transfer.ID)
	if err != nil || tr.AmountReversed != 488 || len(tr.Reversals) != 1 {
		t.Fatalf("transfer %+v, %v", tr, err)
	}
	saved, err := e.journal.Refund(ctx, rf.ID)
	if err != nil || !saved.Finished() || saved.Reversal.ID != tr.Reversals[0].ID {
		t.Fatalf("journal refund %+v, %v", saved.Reversal, err)
	}
}

// lostReversal loses the answer of the first reversal after it reached
// Stripe.
type lostReversal struct {
	pos.Transfers
	lost bool
}

func (l *lostReversal) ReverseTransfer(ctx context.Context, id string, req pos.ReversalRequest, key string) (pos.TransferReversal, error) {
	rv, err := l.Transfers.ReverseTransfer(ctx, id, req, key)
	if !l.lost && err == nil {
		l.lost = true
		return pos.TransferReversal{}, &pos.Error{Kind: pos.KindUnknown, Message: "connection reset"}
	}
	return rv, err
}
