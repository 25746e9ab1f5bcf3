package supervisor_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"kasse/pos"
	"kasse/supervisor"
)

func (e *env) authReq(intentID string) supervisor.AuthorizationRequest {
	return supervisor.AuthorizationRequest{Seller: e.seller.ID, IntentID: intentID, Operator: "ann", PIN: thePIN, Why: "customer changed mind"}
}

func ctx20(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// An uncaptured payment is not refunded: the error says to void or capture
// it, and Void cancels it (another console's payment: directly, with a key
// written to the audit log first).
func TestUncapturedIsVoidedNotRefunded(t *testing.T) {
	e := newEnv(t)
	in := e.sale(4200, true)
	_, err := e.refund(supervisor.RefundRequest{IntentID: in.ID})
	if !errors.Is(err, pos.ErrUncaptured) || !strings.Contains(err.Error(), "capture it, or void it") {
		t.Fatalf("refund of an uncaptured payment: %v", err)
	}
	if e.counter.Count("CreateRefund") != 0 {
		t.Fatal("a refund was sent for an uncaptured payment")
	}
	p, err := e.svc.Lookup(ctx20(t), e.seller.ID, in.ID)
	if err != nil || !p.Uncaptured || p.Refusal == nil || p.Refundable != 0 {
		t.Fatalf("lookup: %+v, %v", p, err)
	}
	req := e.authReq(in.ID)
	req.Reason = "later"
	if _, err := e.svc.Void(ctx20(t), req); !errors.Is(err, supervisor.ErrInput) {
		t.Fatalf("bad void reason: %v", err)
	}
	res, err := e.svc.Void(ctx20(t), e.authReq(in.ID))
	if err != nil || res.Intent.Status != pos.IntentCanceled || res.Amount != 4200 || res.SaleID != "" {
		t.Fatalf("void: %+v, %v", res, err)
	}
	if e.counter.Count("CancelIntent") != 1 {
		t.Fatalf("requests = %v", e.counter.Counts())
	}
	sub, out := e.auditOf("void.submit"), e.auditOf("void.result")
	if len(sub) != 1 || sub[0].Who != "ann" || sub[0].Reason != "customer changed mind" ||
		!strings.Contains(sub[0].Detail, "amount=42.00 USD") || !strings.Contains(sub[0].Detail, "idempotency_key=kasse-void-") ||
		len(out) != 1 || !strings.Contains(out[0].Detail, "status=canceled") {
		t.Fatalf("audit: %+v %+v", sub, out)
	}
	if _, err := e.svc.Void(ctx20(t), e.authReq(in.ID)); err == nil || !strings.Contains(err.Error(), "voided (canceled) already") {
		t.Fatalf("second void: %v", err)
	}
	if _, err := e.refund(supervisor.RefundRequest{IntentID: in.ID}); !errors.Is(err, pos.ErrNotRefundable) {
		t.Fatalf("refund of a voided payment: %v", err)
	}
}

func TestCaptureThenRefund(t *testing.T) {
	e := newEnv(t)
	in := e.sale(1500, true)
	res, err := e.svc.Capture(ctx20(t), e.authReq(in.ID))
	if err != nil || res.Intent.Status != pos.IntentSucceeded || res.Amount != 1500 {
		t.Fatalf("capture: %+v, %v", res, err)
	}
	if _, err := e.svc.Void(ctx20(t), e.authReq(in.ID)); err == nil || !strings.Contains(err.Error(), "refund it instead") {
		t.Fatalf("void after capture: %v", err)
	}
	if r, err := e.refund(supervisor.RefundRequest{IntentID: in.ID, Amount: 500}); err != nil || r.Remaining != 1000 {
		t.Fatalf("refund after capture: %+v, %v", r, err)
	}
	if len(e.auditOf("capture.submit")) != 1 || len(e.auditOf("capture.result")) != 1 {
		t.Fatal("capture not audited")
	}
	// Captures and voids need a supervisor too.
	req := e.authReq(in.ID)
	req.Operator, req.PIN = "bo", "1357"
	if _, err := e.svc.Capture(ctx20(t), req); err == nil {
		t.Fatal("a cashier captured")
	}
}

// This console's own authorized sale is voided through its sale machine, so
// the journal's sale ends canceled.
func TestVoidOfJournalSaleGoesThroughTheSaleMachine(t *testing.T) {
	e := newEnv(t)
	s := e.journalSale(2600, 0, true)
	res, err := e.svc.Void(ctx20(t), e.authReq(s.IntentID))
	if err != nil || res.Intent.Status != pos.IntentCanceled || res.SaleID != s.ID {
		t.Fatalf("void: %+v, %v", res, err)
	}
	saved, err := e.journal.Sale(context.Background(), s.ID)
	if err != nil || saved.State != pos.SaleCanceled || saved.CancelIntents != 1 {
		t.Fatalf("journal sale: %s (%d cancels), %v", saved.State, saved.CancelIntents, err)
	}
	if e.counter.Count("CancelIntent") != 1 {
		t.Fatalf("requests = %v", e.counter.Counts())
	}
	// And a captured one through the machine ends approved.
	s2 := e.journalSale(700, 0, true)
	if _, err := e.svc.Capture(ctx20(t), e.authReq(s2.IntentID)); err != nil {
		t.Fatal(err)
	}
	if saved, _ := e.journal.Sale(context.Background(), s2.ID); saved.State != pos.SaleApproved {
		t.Fatalf("captured journal sale is %s", saved.State)
	}
}

func TestPartialCapture(t *testing.T) {
	e := newEnv(t)
	in := e.sale(2000, true)
	req := e.authReq(in.ID)
	req.Amount = 2001
	if _, err := e.svc.Capture(ctx20(t), req); !errors.Is(err, supervisor.ErrInput) || !strings.Contains(err.Error(), "exceeds the $20.00 authorized") {
		t.Fatalf("over-capture: %v", err)
	}
	req.Amount = 1500
	res, err := e.svc.Capture(ctx20(t), req)
	if err != nil || res.Amount != 1500 || res.Intent.Status != pos.IntentSucceeded || res.Intent.AmountReceived != 1500 {
		t.Fatalf("partial capture: %+v, %v", res, err)
	}
	if p, _ := e.svc.Lookup(ctx20(t), e.seller.ID, in.ID); p.Refundable != 1500 {
		t.Fatalf("refundable after a partial capture = %d", p.Refundable)
	}
	// This console's own sale is captured by its machine, in full only.
	s := e.journalSale(900, 0, true)
	req = e.authReq(s.IntentID)
	req.Amount = 500
	if _, err := e.svc.Capture(ctx20(t), req); !errors.Is(err, supervisor.ErrInput) {
		t.Fatalf("partial capture of a journal sale: %v", err)
	}
	if e.counter.Count("CaptureIntent") != 0 {
		t.Fatalf("requests = %v", e.counter.Counts())
	}
}

// The service as `kasse` builds it, with no runner of its own (issue 10,
// finding 3): voiding this console's authorized sale used to drive the
// sale machine through a runner without a Terminal, which read the reader
// first and crashed on the nil port, leaving the payment authorized and the
// journal "canceling". A void of an authorized payment goes straight to
// the PaymentIntent: the reader's part of the sale is over.
func TestVoidOfJournalSaleWithTheDefaultRunner(t *testing.T) {
	e := newEnv(t)
	s := e.journalSale(3100, 0, true)
	d := e.deps
	d.Runner = nil
	svc, err := supervisor.New(d)
	if err != nil {
		t.Fatal(err)
	}
	res, err := svc.Void(ctx20(t), e.authReq(s.IntentID))
	if err != nil || res.Intent.Status != pos.IntentCanceled || res.SaleID != s.ID {
		t.Fatalf("void: %+v, %v", res, err)
	}
	saved, err := e.journal.Sale(context.Background(), s.ID)
	if err != nil || saved.State != pos.SaleCanceled {
		t.Fatalf("journal sale: %s, %v", saved.State, err)
	}
	if n := e.counter.Count("GetReader"); n != 0 {
		t.Fatalf("the void read the reader %d times: %v", n, e.counter.Counts())
	}
	// And a capture with the default runner ends approved.
	s2 := e.journalSale(800, 0, true)
	if res, err := svc.Capture(ctx20(t), e.authReq(s2.IntentID)); err != nil || res.Intent.Status != pos.IntentSucceeded {
		t.Fatalf("capture: %+v, %v", res, err)
	}
	if saved, _ := e.journal.Sale(context.Background(), s2.ID); saved.State != pos.SaleApproved {
		t.Fatalf("captured journal sale is %s", saved.State)
	}
}
