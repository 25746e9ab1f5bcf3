package journal

import (
	"context"
	"strings"
	"testing"
	"time"

	"kasse/pos"
)

func testRefund(t *testing.T, id, saleID string, at time.Time) pos.RefundFlow {
	t.Helper()
	in := pos.Intent{ID: "pi_" + saleID, Status: pos.IntentSucceeded, Amount: 1250, Currency: "usd",
		LatestCharge: &pos.Charge{ID: "ch_" + saleID, Amount: 1250, AmountCaptured: 1250, Captured: true, Status: "succeeded"}}
	r, err := pos.NewRefund(pos.RefundConfig{ID: id, SaleID: saleID, Seller: "acct_a", Intent: in,
		Amount: 500, Reason: pos.RefundRequestedByCustomer}, at)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestRefundsRoundTripUnfinishedAndList(t *testing.T) {
	ctx := context.Background()
	j, _ := openTemp(t)
	j.SetOrigin("till-1", "sup")

	r1 := testRefund(t, "r1", "s1", t0)
	r1, effs := pos.StepRefund(r1, pos.SubmitRefund{At: t0})
	if len(effs) != 1 {
		t.Fatalf("submit effects = %v", effs)
	}
	if err := j.SaveRefund(ctx, effs[0].(pos.RecordRefund).Refund); err != nil {
		t.Fatal(err)
	}
	r2 := testRefund(t, "r2", "s2", t0.Add(time.Minute))
	r2.State, r2.RefundID, r2.Status = pos.RefundSucceeded, "re_2", "succeeded"
	r2.LastError = &pos.Error{Kind: pos.KindAuth, Message: "bad key sk_live_abc123"}
	if err := j.SaveRefund(ctx, r2); err != nil {
		t.Fatal(err)
	}

	got, err := j.Refund(ctx, "r1")
	if err != nil || got.State != pos.RefundRecorded || got.Amount != 500 || got.IntentID != "pi_s1" ||
		got.Reason != pos.RefundRequestedByCustomer || !got.RecordedAt.Equal(t0) {
		t.Fatalf("round trip: %+v, %v", got, err)
	}
	un, err := j.UnfinishedRefunds(ctx)
	if err != nil || len(un) != 1 || un[0].ID != "r1" {
		t.Fatalf("unfinished = %+v, %v", un, err)
	}

	// Upsert r1 to succeeded.
	r1.State, r1.RefundID = pos.RefundSucceeded, "re_1"
	if err := j.SaveRefund(ctx, r1); err != nil {
		t.Fatal(err)
	}
	if un, _ := j.UnfinishedRefunds(ctx); len(un) != 0 {
		t.Fatalf("unfinished after success = %+v", un)
	}
	var key, errText string
	var n int
	if err := j.db.QueryRow("SELECT COUNT(*), MAX(idempotency_key) FROM refunds WHERE id = 'r1'").Scan(&n, &key); err != nil || n != 1 || key != "kasse-r1-refund" {
		t.Fatalf("r1 row: n=%d key=%q err=%v", n, key, err)
	}
	j.db.QueryRow("SELECT error FROM refunds WHERE id = 'r2'").Scan(&errText)
	if strings.Contains(errText, "abc123") || !strings.Contains(errText, "sk_live_[redacted]") {
		t.Fatalf("error column = %q", errText)
	}

	list, err := j.ListRefunds(ctx, RefundFilter{Seller: "acct_a"})
	if err != nil || len(list) != 2 || list[0].Refund.ID != "r2" || list[1].Operator != "sup" {
		t.Fatalf("list = %+v, %v", list, err)
	}
	if list, _ := j.ListRefunds(ctx, RefundFilter{SaleID: "s1"}); len(list) != 1 || list[0].Refund.ID != "r1" {
		t.Fatalf("by sale = %+v", list)
	}
	if list, _ := j.ListRefunds(ctx, RefundFilter{IntentID: "pi_s2", States: []pos.RefundState{pos.RefundSucceeded}}); len(list) != 1 {
		t.Fatalf("by intent+state = %+v", list)
	}
	if _, err := j.Refund(ctx, "nope"); err == nil {
		t.Fatal("missing refund found")
	}
}
