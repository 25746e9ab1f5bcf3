package checkout_test

import (
	"context"
	"testing"
	"time"

	"kasse/pos"
)

// A dropped cart is taken off the reader it was shown on — but only while
// the reader still shows it (compare before clear): another console's cart
// that replaced it stays.
func TestDroppedCartLeavesTheReader(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	show := func(s pos.Sale) pos.Sale {
		t.Helper()
		s, effs, _ := e.runner.Step(ctx, s, pos.CartChanged{At: time.Now(), Cart: s.Cart})
		if _, err := e.runner.Run(ctx, effs); err != nil {
			t.Fatal(err)
		}
		return s
	}
	drop := func(s pos.Sale) {
		t.Helper()
		s, effs, _ := e.runner.Step(ctx, s, pos.CancelRequested{At: time.Now()})
		if s.State != pos.SaleCanceled {
			t.Fatalf("dropped draft is %s", s.State)
		}
		if _, err := e.runner.Run(ctx, effs); err != nil {
			t.Fatal(err)
		}
	}
	action := func(id string) *pos.ReaderAction {
		t.Helper()
		r, err := e.client.GetReader(ctx, pos.Platform, id)
		if err != nil {
			t.Fatal(err)
		}
		return r.Action
	}

	mine := show(e.newSale(t, "usd", 450))
	if a := action(mine.ReaderID); a == nil || a.Type != pos.ActionSetReaderDisplay {
		t.Fatalf("the cart is not on the reader: %+v", a)
	}
	e.counter.Reset()
	drop(mine)
	if a := action(mine.ReaderID); a != nil {
		t.Fatalf("the dropped cart is still on the reader: %+v", a)
	}
	if e.counter.Count("GetReader") != 1 || e.counter.Count("CancelAction") != 1 {
		t.Fatalf("requests = %v", e.counter.Counts())
	}
	rec, err := e.journal.Record(ctx, mine.ID)
	if err != nil || rec.Sale.State != pos.SaleCanceled || !contains(rec.Keys, mine.ClearDisplayKey(1)) {
		t.Fatalf("journal: %s keys %v, %v", rec.Sale.State, rec.Keys, err)
	}

	// Another console shows its cart on the same reader afterwards.
	old := show(e.newSale(t, "usd", 300))
	theirs := show(e.newSale(t, "usd", 990))
	e.counter.Reset()
	drop(old)
	if a := action(old.ReaderID); a == nil || a.Type != pos.ActionSetReaderDisplay {
		t.Fatalf("another cart was cleared: %+v", a)
	}
	if n := e.counter.Count("CancelAction"); n != 0 {
		t.Fatalf("cancel_action sent %d times for a cart no longer shown", n)
	}
	_ = theirs
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}
