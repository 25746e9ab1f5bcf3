package events

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"kasse/journal"
	"kasse/pos"
)

// Figures (go test -bench . ./events/): how many events the handler
// records and applies per second on this machine's journal (SQLite WAL,
// synchronous=FULL: every event is fsynced before it counts), for the
// three kinds of work an event can be.

func benchHandler(b *testing.B) (*Handler, pos.Sale) {
	b.Helper()
	j, err := journal.Open(filepath.Join(b.TempDir(), "journal.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { j.Close() })
	j.SetOrigin("till-1", "anna")
	at := time.Unix(1_800_000_000, 0)
	s := pos.Sale{ID: "till-1-bench", Seller: "acct_1Bench", Currency: "usd", Amount: 1_000_000_00, State: pos.SaleApproved,
		IntentID: "pi_bench", IntentStatus: pos.IntentSucceeded, ChargeID: "ch_bench", CreatedAt: at, UpdatedAt: at}
	if err := j.SaveSale(context.Background(), s); err != nil {
		b.Fatal(err)
	}
	return &Handler{Journal: j, ConsoleID: "till-1"}, s
}

func perSecond(b *testing.B) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// A refund made elsewhere: recorded, a refund row, an audit entry and a
// notice written.
func BenchmarkHandleRefundElsewhere(b *testing.B) {
	h, s := benchHandler(b)
	ctx := context.Background()
	b.ResetTimer()
	for i := range b.N {
		re := fmt.Sprintf("re_bench%08d", i)
		ev := pos.Event{ID: fmt.Sprintf("evt_bench%08d", i), Type: pos.EventRefundUpdated, Account: s.Seller, Created: time.Now(),
			ObjectType: "refund", Refund: &pos.Refund{ID: re, Amount: 1, Currency: "usd", IntentID: s.IntentID, ChargeID: s.ChargeID, Status: "succeeded"}}
		if res, err := h.Handle(ctx, ev, journal.SourceWebhook); err != nil || res.Notice == nil {
			b.Fatalf("%+v %v", res, err)
		}
	}
	perSecond(b)
}

// An event that changes nothing (the sale already shows it): recorded
// and settled.
func BenchmarkHandleNoChange(b *testing.B) {
	h, s := benchHandler(b)
	ctx := context.Background()
	in := &pos.Intent{ID: s.IntentID, Status: pos.IntentSucceeded, Amount: s.Amount, Metadata: map[string]string{"kasse_sale_id": s.ID}}
	b.ResetTimer()
	for i := range b.N {
		ev := pos.Event{ID: fmt.Sprintf("evt_nochange%08d", i), Type: pos.EventIntentSucceeded, Account: s.Seller, Created: time.Now(),
			ObjectType: "payment_intent", Intent: in}
		if res, err := h.Handle(ctx, ev, journal.SourceCatchUp); err != nil || res.State != journal.EventApplied {
			b.Fatalf("%+v %v", res, err)
		}
	}
	perSecond(b)
}

// The same event again (a redelivery, or webhook and catch-up both):
// one insert that does nothing.
func BenchmarkHandleSeenBefore(b *testing.B) {
	h, s := benchHandler(b)
	ctx := context.Background()
	ev := pos.Event{ID: "evt_again", Type: "customer.created", Account: s.Seller, Created: time.Now()}
	if _, err := h.Handle(ctx, ev, journal.SourceWebhook); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		if res, err := h.Handle(ctx, ev, journal.SourceWebhook); err != nil || res.New {
			b.Fatalf("%+v %v", res, err)
		}
	}
	perSecond(b)
}
