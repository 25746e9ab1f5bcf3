package supervisor_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"kasse/journal"
	"kasse/pos"
	"kasse/sandbox"
	"kasse/supervisor"
)

func TestFullRefund(t *testing.T) {
	e := newEnv(t)
	in := e.sale(1250, false)
	res, err := e.refund(supervisor.RefundRequest{IntentID: in.ID, Why: "wrong size"})
	if err != nil {
		t.Fatal(err)
	}
	if res.State != pos.RefundSucceeded || res.Status != "succeeded" || res.Amount != 1250 || res.Remaining != 0 ||
		res.Currency != "usd" || !strings.HasPrefix(res.RefundID, "re_") || res.RefundApplicationFee {
		t.Fatalf("result = %+v", res)
	}
	list := e.refunds(in.ID)
	if len(list) != 1 || list[0].ID != res.RefundID || list[0].Amount != 1250 || list[0].Metadata["kasse_refund_id"] != res.ID ||
		list[0].Reason != "requested_by_customer" {
		t.Fatalf("refunds at Stripe: %+v", list)
	}
	if got := e.counter.Counts(); got["CreateRefund"] != 1 || got["GetIntent"] != 1 || e.mutating() != 1 {
		t.Fatalf("requests = %v", got)
	}
	saved, err := e.journal.Refund(context.Background(), res.ID)
	if err != nil || saved.State != pos.RefundSucceeded || saved.RefundID != res.RefundID {
		t.Fatalf("journal: %+v, %v", saved.State, err)
	}
	// Audit: who, when, what, why.
	sub := e.auditOf("refund.submit")
	if len(sub) != 1 || sub[0].Who != "ann" || sub[0].Subject != res.ID || sub[0].Reason != "wrong size" || sub[0].At.IsZero() {
		t.Fatalf("refund.submit = %+v", sub)
	}
	for _, want := range []string{"seller=" + string(e.seller.ID), "intent=" + in.ID, "amount=12.50 USD", "currency=usd",
		"reason=requested_by_customer", "idempotency_key=kasse-" + res.ID + "-refund"} {
		if !strings.Contains(sub[0].Detail, want) {
			t.Errorf("refund.submit detail %q lacks %q", sub[0].Detail, want)
		}
	}
	out := e.auditOf("refund.result")
	if len(out) != 1 || out[0].Who != "ann" || !strings.Contains(out[0].Detail, "refund="+res.RefundID) ||
		!strings.Contains(out[0].Detail, "state=succeeded") || !strings.Contains(out[0].Detail, "remaining=0.00 USD") {
		t.Fatalf("refund.result = %+v", out)
	}
	if len(e.auditOf("auth.ok")) != 1 {
		t.Fatal("no auth.ok entry")
	}
}

func TestTwoPartialsThenOverRefund(t *testing.T) {
	e := newEnv(t)
	in := e.sale(2000, false)
	r1, err := e.refund(supervisor.RefundRequest{IntentID: in.ID, Amount: 500})
	if err != nil || r1.Remaining != 1500 || r1.Amount != 500 {
		t.Fatalf("first partial: %+v, %v", r1, err)
	}
	r2, err := e.refund(supervisor.RefundRequest{IntentID: in.ID, Amount: 1000, Reason: pos.RefundDuplicate})
	if err != nil || r2.Remaining != 500 {
		t.Fatalf("second partial: %+v, %v", r2, err)
	}
	before := e.counter.Counts()
	_, err = e.refund(supervisor.RefundRequest{IntentID: in.ID, Amount: 600})
	if !errors.Is(err, pos.ErrRefundExceeds) || err.Error() != "refund $6.00 exceeds the $5.00 still refundable" {
		t.Fatalf("over-refund: %v", err)
	}
	after := e.counter.Counts()
	if after["CreateRefund"] != before["CreateRefund"] || after["GetIntent"] != before["GetIntent"]+1 {
		t.Fatalf("the over-refund made requests: before %v after %v", before, after)
	}
	if rej := e.auditOf("refund.rejected"); len(rej) != 1 || !strings.Contains(rej[0].Detail, "exceeds") {
		t.Fatalf("refund.rejected = %+v", rej)
	}
	// The exact rest is fine; then nothing is left.
	if r3, err := e.refund(supervisor.RefundRequest{IntentID: in.ID, Amount: 500}); err != nil || r3.Remaining != 0 {
		t.Fatalf("the rest: %+v, %v", r3, err)
	}
	if list := e.refunds(in.ID); len(list) != 3 {
		t.Fatalf("refunds at Stripe = %d", len(list))
	}
}

func TestRefundOfFullyRefundedSale(t *testing.T) {
	e := newEnv(t)
	in := e.sale(990, false)
	if _, err := e.refund(supervisor.RefundRequest{IntentID: in.ID}); err != nil {
		t.Fatal(err)
	}
	n := e.counter.Count("CreateRefund")
	for _, amount := range []int64{0, 100} {
		_, err := e.refund(supervisor.RefundRequest{IntentID: in.ID, Amount: amount})
		if !errors.Is(err, pos.ErrNothingRefund) || !strings.Contains(err.Error(), "fully refunded") {
			t.Fatalf("refund %d of a refunded sale: %v", amount, err)
		}
	}
	if e.counter.Count("CreateRefund") != n {
		t.Fatal("a refund was sent for a fully refunded sale")
	}
}

func TestRefundRequestValidation(t *testing.T) {
	e := newEnv(t)
	in := e.sale(500, false)
	cases := []struct {
		req  supervisor.RefundRequest
		want error
	}{
		{supervisor.RefundRequest{IntentID: in.ID, Reason: "because"}, pos.ErrRefundReason},
		{supervisor.RefundRequest{IntentID: in.ID, Reason: "expired_uncaptured_charge"}, pos.ErrRefundReason},
		{supervisor.RefundRequest{IntentID: "ch_123"}, supervisor.ErrInput},
		{supervisor.RefundRequest{IntentID: in.ID, Seller: "seller1"}, supervisor.ErrInput},
		{supervisor.RefundRequest{IntentID: in.ID, Amount: -5}, supervisor.ErrInput},
	}
	for _, c := range cases {
		if _, err := e.refund(c.req); !errors.Is(err, c.want) {
			t.Errorf("%+v: %v, want %v", c.req, err, c.want)
		}
	}
	if e.counter.Total() != 0 {
		t.Fatalf("invalid requests reached Stripe: %v", e.counter.Counts())
	}
	if st, _ := e.svc.Guard.Status(context.Background(), "ann"); st.TriesLeft != 5 || len(e.auditOf("auth.ok")) != 0 {
		t.Fatal("an invalid request used a PIN try")
	}
}

func TestRefundRefusedBeforeAnyRequest(t *testing.T) {
	e := newEnv(t)
	in := e.sale(500, false)
	_, err := e.refund(supervisor.RefundRequest{IntentID: in.ID, Operator: "bo", PIN: "1357"})
	refusal(t, err, supervisor.RefusedRole)
	_, err = e.refund(supervisor.RefundRequest{IntentID: in.ID, Operator: "ann", PIN: "123987"})
	refusal(t, err, supervisor.RefusedWrongPIN)
	if e.counter.Total() != 0 || len(e.refunds(in.ID)) != 0 {
		t.Fatalf("a refused refund made requests: %v", e.counter.Counts())
	}
}

// The answer to the refund is lost after Stripe made it: the machine finds
// it by listing the payment's refunds; there is exactly one.
func TestDroppedResponseExactlyOneRefund(t *testing.T) {
	e := newEnv(t)
	in := e.sale(3000, false)
	e.srv.SetFaults([]sandbox.Fault{{Kind: sandbox.FaultDrop, Method: "POST", Route: "/v1/refunds", Times: 1}})
	res, err := e.refund(supervisor.RefundRequest{IntentID: in.ID, Amount: 1200})
	if err != nil || res.State != pos.RefundSucceeded || res.Remaining != 1800 {
		t.Fatalf("refund with a dropped answer: %+v, %v", res, err)
	}
	if e.counter.Count("CreateRefund") != 1 || e.counter.Count("ListRefunds") < 1 {
		t.Fatalf("requests = %v", e.counter.Counts())
	}
	list := e.refunds(in.ID)
	if len(list) != 1 || list[0].ID != res.RefundID || list[0].Amount != 1200 {
		t.Fatalf("refunds at Stripe: %+v (ours %s)", list, res.RefundID)
	}
	// The next refund starts from what Stripe says remains.
	if r2, err := e.refund(supervisor.RefundRequest{IntentID: in.ID}); err != nil || r2.Amount != 1800 || r2.Remaining != 0 {
		t.Fatalf("the rest: %+v, %v", r2, err)
	}
}

// A refund recorded but never sent (a crash) is settled before a new one is
// made, and the new one is checked against what remains after it.
func TestEarlierUnsentRefundIsSettledFirst(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	in := e.sale(1000, false)
	in, _ = e.client.GetIntent(ctx, e.seller.ID, in.ID)
	rf, err := pos.NewRefund(pos.RefundConfig{ID: "rf-crashed", Seller: e.seller.ID, Intent: in, Amount: 700,
		Reason: pos.RefundRequestedByCustomer}, e.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	_, effs := pos.StepRefund(rf, pos.SubmitRefund{At: e.clock.Now()})
	if err := e.journal.SaveRefund(ctx, effs[0].(pos.RecordRefund).Refund); err != nil {
		t.Fatal(err)
	}
	e.counter.Reset()
	_, err = e.refund(supervisor.RefundRequest{IntentID: in.ID, Amount: 500})
	if !errors.Is(err, pos.ErrRefundExceeds) {
		t.Fatalf("refund next to the settled one: %v", err)
	}
	if got, _ := e.journal.Refund(ctx, "rf-crashed"); got.State != pos.RefundSucceeded {
		t.Fatalf("the earlier refund is %s", got.State)
	}
	res, err := e.refund(supervisor.RefundRequest{IntentID: in.ID})
	if err != nil || res.Amount != 300 || len(e.refunds(in.ID)) != 2 || len(e.auditOf("refund.settle")) != 1 {
		t.Fatalf("the rest: %+v, %v", res, err)
	}
}

// A sale with an application fee is refunded with refund_application_fee.
func TestApplicationFeeIsRefunded(t *testing.T) {
	e := newEnv(t)
	withFee := e.journalSale(5000, 150, false)
	res, err := e.refund(supervisor.RefundRequest{IntentID: withFee.IntentID, Amount: 2000})
	if err != nil || !res.RefundApplicationFee || res.SaleID != withFee.ID {
		t.Fatalf("refund of a sale with a fee: %+v, %v", res, err)
	}
	plain := e.sale(800, false)
	if res, err := e.refund(supervisor.RefundRequest{IntentID: plain.ID}); err != nil || res.RefundApplicationFee {
		t.Fatalf("refund of a sale without a fee: %+v, %v", res, err)
	}
	e.spy.mu.Lock()
	defer e.spy.mu.Unlock()
	if len(e.spy.reqs) != 2 || !e.spy.reqs[0].RefundApplicationFee || e.spy.reqs[1].RefundApplicationFee ||
		e.spy.reqs[0].Metadata["kasse_sale_id"] != withFee.ID {
		t.Fatalf("refund requests = %+v", e.spy.reqs)
	}
	if recs, _ := e.journal.ListRefunds(context.Background(), journal.RefundFilter{SaleID: withFee.ID}); len(recs) != 1 {
		t.Fatalf("journal refunds of the sale = %d", len(recs))
	}
}

// A sale made at another console is not in this journal: its fee is known
// from Stripe's intent, and the refund still returns it.
func TestApplicationFeeOfAnotherConsolesSale(t *testing.T) {
	e := newEnv(t)
	elsewhere := e.saleWithFee(4000, 120, false)
	if elsewhere.ApplicationFeeAmount != 120 {
		t.Fatalf("intent fee = %d, want 120 (the adapter must read it)", elsewhere.ApplicationFeeAmount)
	}
	res, err := e.refund(supervisor.RefundRequest{IntentID: elsewhere.ID, Amount: 1000})
	if err != nil || !res.RefundApplicationFee || res.SaleID != "" {
		t.Fatalf("refund of another console's sale with a fee: %+v, %v", res, err)
	}
}

// Stripe rate limiting the payment's look-up delays a refund, never fails
// it: the read goes again after a back-off (the kill soak saw 3 of 100
// `kasse refund` runs fail on one 429 before).
func TestLookupRetriesARateLimitedRead(t *testing.T) {
	e := newEnv(t)
	in := e.sale(1200, false)
	f, err := sandbox.ParseFault("rate_limit@GET:/v1/payment_intents/{id} x2")
	if err != nil {
		t.Fatal(err)
	}
	e.srv.SetFaults([]sandbox.Fault{f})
	before := e.clock.Now()
	p, err := e.svc.Lookup(context.Background(), e.seller.ID, in.ID)
	if err != nil || p.Intent.ID != in.ID || p.Refundable != 1200 {
		t.Fatalf("lookup: %+v, %v", p, err)
	}
	if e.clock.Now().Sub(before) < time.Second {
		t.Errorf("the clock moved %s: the reads did not back off", e.clock.Now().Sub(before))
	}
}
