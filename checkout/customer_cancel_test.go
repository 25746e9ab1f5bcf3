package checkout_test

import (
	"context"
	"testing"
	"time"

	"kasse/pos"
)

// The customer presses Cancel on the reader: the sale stops in the
// customer_canceled decision on the same intent, and a retry processes that
// intent again (no second intent) and can be paid.
func TestCustomerCanceledOnTheReaderThenRetry(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	s := e.newSale(t, "usd", 2100)
	s.Process.EnableCustomerCancellation = true
	s, err := e.runner.Drive(ctx, s, pos.ChargeRequested{At: time.Now()}, waitingForCard)
	if err != nil || !waitingForCard(s) {
		t.Fatalf("before the customer: %s, %v", s.State, err)
	}
	if err := e.srv.CustomerCancel(s.ReaderID); err != nil {
		t.Fatal(err)
	}
	s, err = e.runner.Drive(ctx, s, pos.Tick{At: time.Now()}, nil)
	if err != nil || s.State != pos.SaleCustomerCanceled {
		t.Fatalf("after the customer pressed cancel: %s, %v (%v)", s.State, err, s.LastError)
	}
	first := s.IntentID
	s, err = e.runner.Drive(ctx, s, pos.RetryRequested{At: time.Now()}, waitingForCard)
	if err != nil || !waitingForCard(s) || s.IntentID != first {
		t.Fatalf("retry: %s on %s (first %s), %v", s.State, s.IntentID, first, err)
	}
	if _, err := e.client.PresentCard(ctx, s.ReaderOwner, s.ReaderID, "", 0, "cc-present-"+s.ID); err != nil {
		t.Fatal(err)
	}
	s, err = e.runner.Drive(ctx, s, pos.Tick{At: time.Now()}, nil)
	if err != nil || s.State != pos.SaleApproved {
		t.Fatalf("after the second attempt: %s, %v", s.State, err)
	}
	if n := len(e.intentsOf(t, s)); n != 1 {
		t.Fatalf("intents for the sale = %d, want 1", n)
	}
}
