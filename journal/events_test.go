package journal

import (
	"context"
	"errors"
	"testing"
	"time"

	"kasse/pos"
)

func TestEventsAreRecordedOnce(t *testing.T) {
	j, path := openTemp(t)
	ctx := context.Background()
	ev := pos.Event{ID: "evt_1", Type: pos.EventRefundUpdated, Account: "acct_1", Created: time.Unix(1_800_000_000, 0).UTC(),
		ObjectType: "refund", Refund: &pos.Refund{ID: "re_1", Amount: 500, IntentID: "pi_1"}, Payload: []byte(`{"id":"evt_1"}`)}
	for i, want := range []bool{true, false} {
		src := SourceWebhook
		if i == 1 {
			src = SourceCatchUp
		}
		got, err := j.RecordEvent(ctx, ev, src)
		if err != nil || got != want {
			t.Fatalf("record #%d: inserted %v %v, want %v", i+1, got, err, want)
		}
	}
	w, err := j.WaitingEvents(ctx, 0)
	if err != nil || len(w) != 1 || w[0].State != EventReceived || w[0].Source != SourceWebhook ||
		w[0].Event.Refund == nil || w[0].Event.Refund.Amount != 500 || string(w[0].Event.Payload) != `{"id":"evt_1"}` {
		t.Fatalf("waiting: %+v %v", w, err)
	}
	if err := j.SettleEvent(ctx, "evt_1", EventPending, "sale not in the journal yet", "", nil); err != nil {
		t.Fatal(err)
	}
	if w, _ := j.WaitingEvents(ctx, 0); len(w) != 1 || w[0].State != EventPending || w[0].Tries != 1 {
		t.Errorf("pending: %+v", w)
	}
	last, _ := j.LastNotice(ctx)
	n := &pos.Notice{Kind: pos.NoticeRefundElsewhere, Seller: "acct_1", SaleID: "s1", Amount: 500, Currency: "usd"}
	if err := j.SettleEvent(ctx, "evt_1", EventApplied, "refund re_1 recorded", "s1", n); err != nil {
		t.Fatal(err)
	}
	if w, _ := j.WaitingEvents(ctx, 0); len(w) != 0 {
		t.Errorf("applied but waiting: %+v", w)
	}
	ns, err := j.Notices(ctx, last, 0)
	if err != nil || len(ns) != 1 || ns[0].Seq <= last || ns[0].EventID != "evt_1" || ns[0].Kind != pos.NoticeRefundElsewhere || ns[0].Amount != 500 {
		t.Errorf("notices: %+v %v", ns, err)
	}
	if err := j.SettleEvent(ctx, "evt_nope", EventApplied, "", "", nil); !errors.Is(err, ErrNotFound) {
		t.Errorf("settling an unknown event: %v", err)
	}
	// Survives a reopen.
	j.Close()
	j2, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer j2.Close()
	r, err := j2.EventRecordByID(ctx, "evt_1")
	if err != nil || r.State != EventApplied || r.SaleID != "s1" || r.SettledAt.IsZero() {
		t.Errorf("after reopen: %+v %v", r, err)
	}
	if got, _ := j2.RecordEvent(ctx, ev, SourceWebhook); got {
		t.Error("a reopened journal records the event again")
	}
	evs, err := j2.Events(ctx, EventFilter{Account: "acct_1", Types: []string{pos.EventRefundUpdated}})
	if err != nil || len(evs) != 1 {
		t.Errorf("events: %d %v", len(evs), err)
	}
}

func TestEventCursor(t *testing.T) {
	j, _ := openTemp(t)
	ctx := context.Background()
	if _, ok, err := j.EventCursor(ctx, "acct_1"); ok || err != nil {
		t.Fatalf("a new journal has a cursor: %v %v", ok, err)
	}
	for _, c := range []EventCursor{{LastID: "evt_1", Created: 100}, {LastID: "evt_2", Created: 200}} {
		if err := j.SetEventCursor(ctx, "acct_1", c); err != nil {
			t.Fatal(err)
		}
	}
	c, ok, err := j.EventCursor(ctx, "acct_1")
	if !ok || err != nil || c.LastID != "evt_2" || c.Created != 200 || c.Updated.IsZero() {
		t.Errorf("cursor %+v %v %v", c, ok, err)
	}
	if _, ok, _ := j.EventCursor(ctx, "acct_2"); ok {
		t.Error("cursors are not per account")
	}
}

func TestDisputesKeepTheLatestState(t *testing.T) {
	j, _ := openTemp(t)
	ctx := context.Background()
	opened := pos.Dispute{ID: "dp_1", Account: "acct_1", IntentID: "pi_1", ChargeID: "ch_1", Amount: 900, Currency: "usd",
		Reason: "fraudulent", Status: pos.DisputeNeedsResponse, Created: time.Unix(1_800_000_000, 0).UTC()}
	review := opened
	review.Status, review.HasEvidence, review.SubmissionCount = pos.DisputeUnderReview, true, 1
	lost := review
	lost.Status = pos.DisputeLost
	steps := []struct {
		d       pos.Dispute
		sale    string
		changed bool
		status  string
		saleNow string
	}{
		{review, "", true, pos.DisputeUnderReview, ""},
		{opened, "s1", false, pos.DisputeUnderReview, "s1"}, // late: keeps the state, learns the sale
		{lost, "", true, pos.DisputeLost, "s1"},
		{review, "", false, pos.DisputeLost, "s1"},
	}
	for i, st := range steps {
		changed, err := j.SaveDispute(ctx, st.d, st.sale)
		if err != nil || changed != st.changed {
			t.Fatalf("step %d: changed %v %v", i+1, changed, err)
		}
		r, err := j.DisputeRecordByID(ctx, "dp_1")
		if err != nil || r.Dispute.Status != st.status || r.SaleID != st.saleNow {
			t.Fatalf("step %d: %s sale %q %v", i+1, r.Dispute.Status, r.SaleID, err)
		}
	}
	d, ok, err := j.DisputeForIntent(ctx, "pi_1")
	if !ok || err != nil || d.Status != pos.DisputeLost || d.Amount != 900 {
		t.Errorf("for intent: %+v %v %v", d, ok, err)
	}
	if _, ok, _ := j.DisputeForIntent(ctx, "pi_2"); ok {
		t.Error("a dispute for another intent")
	}
	inq := pos.Dispute{ID: "dp_2", Account: "acct_1", Status: pos.DisputeWarningNeedsResponse, Created: time.Unix(1_800_000_100, 0)}
	if _, err := j.SaveDispute(ctx, inq, ""); err != nil {
		t.Fatal(err)
	}
	open, err := j.DisputeRecords(ctx, true, 0)
	if err != nil || len(open) != 1 || open[0].Dispute.ID != "dp_2" {
		t.Errorf("open disputes: %+v %v", open, err)
	}
	if all, _ := j.DisputeRecords(ctx, false, 0); len(all) != 2 || all[0].Dispute.ID != "dp_2" {
		t.Errorf("all disputes, newest first: %d", len(all))
	}
}

func TestSaleByIntentAndRefundByStripeID(t *testing.T) {
	j, _ := openTemp(t)
	ctx := context.Background()
	at := time.Unix(1_800_000_000, 0)
	s := approve(testSale(t, "s1", "acct_1", at), at)
	if err := j.SaveSale(ctx, s); err != nil {
		t.Fatal(err)
	}
	got, ok, err := j.SaleByIntent(ctx, "pi_s1")
	if !ok || err != nil || got.ID != "s1" {
		t.Errorf("by intent: %v %v %v", got.ID, ok, err)
	}
	if _, ok, _ := j.SaleByIntent(ctx, ""); ok {
		t.Error("an empty intent id finds a sale")
	}
	rf := pos.RefundFlow{ID: "ext-re_1", SaleID: "s1", Seller: "acct_1", IntentID: "pi_s1", Amount: 300, Currency: "usd",
		State: pos.RefundSucceeded, RefundID: "re_1", Status: "succeeded", CreatedAt: at}
	if err := j.SaveRefund(ctx, rf); err != nil {
		t.Fatal(err)
	}
	r, ok, err := j.RefundByStripeID(ctx, "re_1")
	if !ok || err != nil || r.ID != "ext-re_1" {
		t.Errorf("by stripe id: %+v %v %v", r, ok, err)
	}
	if _, ok, _ := j.RefundByStripeID(ctx, "re_2"); ok {
		t.Error("found a refund that is not there")
	}
}
