package checkout_test

import (
	"context"
	"testing"
	"time"

	"kasse/pos"
)

// The console feeds effect lists to Run (ui.SaleRunner) and its answers
// back to Step, as from tea.Cmds.
func TestRunAsTheConsoleUsesIt(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	s := e.newSale(t, "usd", 1250)

	// A cart change in Draft shows the cart: Record + SetDisplay, no answer.
	s, effs, _ := e.runner.Step(ctx, s, pos.CartChanged{At: time.Now(), Cart: s.Cart})
	events, err := e.runner.Run(ctx, effs)
	if len(effs) != 2 || len(events) != 0 || err != nil || e.counter.Count("SetDisplay") != 1 {
		t.Fatalf("display: effs=%d events=%v err=%v counts=%v", len(effs), events, err, e.counter.Counts())
	}

	queue := []pos.SaleEvent{pos.ChargeRequested{At: time.Now()}}
	for len(queue) > 0 && s.State != pos.SaleWaitingForCard {
		s, effs, _ = e.runner.Step(ctx, s, queue[0])
		queue = queue[1:]
		events, err := e.runner.Run(ctx, effs)
		if err != nil {
			t.Fatal(err)
		}
		queue = append(queue, events...)
	}
	if s.State != pos.SaleWaitingForCard || e.counter.Count("CreateIntent") != 1 || e.counter.Count("ProcessIntent") != 1 {
		t.Fatalf("state %s, counts %v", s.State, e.counter.Counts())
	}

	// A mutating effect whose list has no Record is not sent.
	events, err = e.runner.Run(ctx, []pos.Effect{pos.CancelIntent{Seq: 99, Key: "kasse-x-cancel-1", Seller: s.Seller, IntentID: s.IntentID}})
	if err != nil || len(events) != 1 {
		t.Fatalf("unrecorded cancel: %v, %v", events, err)
	}
	if ns, ok := events[0].(pos.RequestNotSent); !ok || ns.Seq != 99 || ns.Op != pos.OpCancelIntent {
		t.Fatalf("unrecorded cancel answered %#v", events[0])
	}
	if e.counter.Count("CancelIntent") != 0 {
		t.Fatal("unrecorded cancel was sent")
	}
	// Refund effects are not run as sale effects.
	events, _ = e.runner.Run(ctx, []pos.Effect{pos.ListRefunds{Seq: 7, Seller: s.Seller, IntentID: s.IntentID}})
	if ns, ok := events[0].(pos.RequestNotSent); !ok || ns.Seq != 7 || e.counter.Count("ListRefunds") != 0 {
		t.Fatalf("refund effect in a sale list: %#v", events)
	}
}
