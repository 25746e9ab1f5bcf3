package pos

import (
	"strings"
	"testing"
)

// Orphaned: a sale the journal holds unfinished that nobody resumes (a
// crash, a headless run, `kasse reconcile`). Whatever it was doing, it ends
// approved or authorized if it was paid, else canceled at the reader
// (compare before cancel) and on Stripe (issue 12, point 1).
func TestSaleOrphaned(t *testing.T) {
	orphan := func(x *h) *h { return x.do(Orphaned{At: x.next()}) }
	tests := []struct {
		name string
		mods []func(*SaleConfig)
		run  func(x *h)
	}{
		{"draft: canceled locally, no request", nil, func(x *h) {
			orphan(x).expect(SaleCanceled)
		}},
		{"draft shown on the reader: canceled locally, the reader is left alone", nil, func(x *h) {
			x.do(CartChanged{At: x.next(), Cart: x.s.Cart})
			orphan(x).expect(SaleCanceled)
		}},
		{"created, the hand-off never reached the reader: canceled, never handed now", nil, func(x *h) {
			x.charge().created().expect(SaleProcessing, "Record", "ProcessIntent")
			orphan(x).expect(SaleCanceling, "PollReader")
			x.polled(rdr(nil)).expect(SaleCanceling, "GetIntent")
			x.read(pi(IntentRequiresPaymentMethod)).expect(SaleCanceling, "Record", "CancelIntent")
			if c := x.req().(CancelIntent); c.Reason != "abandoned" || c.Key != "kasse-s1-cancel-1" {
				x.t.Fatalf("cancel = %+v", c)
			}
			x.canceled().expect(SaleCanceled)
			if x.s.Attempt != 1 {
				x.t.Fatalf("process sent %d times, want only the first (crashed) one", x.s.Attempt)
			}
		}},
		{"created, journaled before any hand-off: the intent is read, then canceled", nil, func(x *h) {
			x.charge().created().expect(SaleProcessing, "Record", "ProcessIntent")
			x.s.Attempt, x.s.Pending = 0, Pending{} // a snapshot from before the process send
			orphan(x).expect(SaleCanceling, "GetIntent")
			x.read(pi(IntentRequiresPaymentMethod)).expect(SaleCanceling, "Record", "CancelIntent")
			x.canceled().expect(SaleCanceled)
		}},
		{"create in flight: resent under its one key, then canceled", nil, func(x *h) {
			x.charge()
			orphan(x).expect(SaleUnknown, "Record", "CreateIntent")
			if x.key() != "kasse-s1-create" {
				x.t.Fatalf("key %s", x.key())
			}
			x.created().expect(SaleCanceling, "GetIntent")
			x.read(pi(IntentRequiresPaymentMethod)).expect(SaleCanceling, "Record", "CancelIntent")
			x.canceled().expect(SaleCanceled)
			if x.s.Attempt != 0 {
				x.t.Fatal("an orphaned sale was handed to the reader")
			}
		}},
		{"create refused on the resend: nothing exists, canceled", nil, func(x *h) {
			x.charge()
			orphan(x).failed(KindInvalidRequest).expect(SaleCanceled)
		}},
		{"handed to the reader (process in flight): read the reader first, clear it, cancel", nil, func(x *h) {
			x.charge().created().expect(SaleProcessing, "Record", "ProcessIntent")
			orphan(x).expect(SaleCanceling, "PollReader")
			x.polled(rdr(ours(ActionInProgress))).expect(SaleCanceling, "Record", "CancelReaderAction")
			x.cleared().expect(SaleCanceling, "GetIntent")
			x.read(pi(IntentRequiresPaymentMethod)).expect(SaleCanceling, "Record", "CancelIntent")
			x.canceled().expect(SaleCanceled)
		}},
		{"waiting for the card: the reader still shows it → cleared and canceled", nil, func(x *h) {
			x.waiting()
			orphan(x).expect(SaleCanceling, "PollReader")
			x.polled(rdr(ours(ActionInProgress))).expect(SaleCanceling, "Record", "CancelReaderAction")
			if c := x.req().(CancelReaderAction); c.IntentID != ourPI {
				x.t.Fatalf("cancel action %+v", c)
			}
			x.cleared().read(pi(IntentRequiresPaymentMethod)).canceled().expect(SaleCanceled)
		}},
		{"waiting, the reader now serves ANOTHER payment: never touched", nil, func(x *h) {
			x.waiting()
			orphan(x).polled(rdr(theirs())).expect(SaleCanceling, "GetIntent")
			x.read(pi(IntentRequiresPaymentMethod)).expect(SaleCanceling, "Record", "CancelIntent")
			x.canceled().expect(SaleCanceled)
		}},
		{"waiting, paid while nobody watched: kept approved, nothing canceled", nil, func(x *h) {
			x.waiting()
			orphan(x).polled(rdr(withIntent(ours(ActionSucceeded), paid(IntentSucceeded, 0)))).expect(SaleApproved)
			if x.s.CancelIntents != 0 || x.s.Card.Last4 != "4242" {
				x.t.Fatalf("cancel intents %d card %+v", x.s.CancelIntents, x.s.Card)
			}
		}},
		{"waiting, paid and gone from the reader: the intent read keeps it approved", nil, func(x *h) {
			x.waiting()
			orphan(x).polled(rdr(nil)).expect(SaleCanceling, "GetIntent")
			x.read(paid(IntentSucceeded, 0)).expect(SaleApproved)
			if x.s.CancelIntents != 0 {
				x.t.Fatal("a paid sale was canceled")
			}
		}},
		{"manual capture authorized while nobody watched: kept, never voided", []func(*SaleConfig){manual}, func(x *h) {
			x.waiting()
			orphan(x).polled(rdr(nil)).expect(SaleCanceling, "GetIntent")
			x.read(paid(IntentRequiresCapture, 0)).expect(SaleRequiresCapture)
			if x.s.Cancel.Wanted || x.s.CancelIntents != 0 {
				x.t.Fatalf("authorized sale still being canceled: %+v", x.s.Cancel)
			}
			orphan(x).expect(SaleRequiresCapture)
		}},
		{"card being authorized: the cancel waits for the outcome", nil, func(x *h) {
			x.waiting()
			orphan(x).polled(rdr(ours(ActionInProgress))).failed(KindReaderBusy).expect(SaleWaitingForCard)
			x.tick().polled(rdr(failedWith("card_declined", nil))).expect(SaleCanceling, "PollReader")
			x.polled(rdr(nil)).expect(SaleCanceling, "GetIntent")
			x.read(declined("insufficient_funds")).expect(SaleCanceling, "Record", "CancelIntent")
			x.canceled().expect(SaleCanceled)
		}},
		{"decision states (declined, interrupted, busy, offline): canceled", nil, func(x *h) {
			x.waiting().tick().polled(rdr(failedWith("card_declined", nil))).expect(SaleDeclined)
			orphan(x).expect(SaleCanceling, "PollReader")
			x.polled(rdr(failedWith("card_declined", nil))).expect(SaleCanceling, "GetIntent")
			x.read(declined("generic_decline")).expect(SaleCanceling, "Record", "CancelIntent")
			x.canceled().expect(SaleCanceled)
		}},
		{"interrupted by the idle timeout: canceled", []func(*SaleConfig){idle(60e9)}, func(x *h) {
			x.waiting().tickAt(2 * 60e9).polled(rdr(ours(ActionInProgress))).cleared().read(pi(IntentRequiresPaymentMethod)).
				expect(SaleInterrupted)
			orphan(x).expect(SaleCanceling, "PollReader")
			x.polled(rdr(nil)).read(pi(IntentRequiresPaymentMethod)).canceled().expect(SaleCanceled)
		}},
		{"outcome unknown with a read pending: the read is dropped, the cancel starts", nil, func(x *h) {
			x.waiting().tick().failed(KindUnknown).tick().polled(rdr(nil)).expect(SaleUnknown, "GetIntent")
			orphan(x).expect(SaleCanceling, "PollReader")
		}},
		{"canceling (the cashier's cancel) goes on as it was", nil, func(x *h) {
			x.waiting().cancel().polled(rdr(ours(ActionInProgress))).expect(SaleCanceling, "Record", "CancelReaderAction")
			orphan(x).expect(SaleCanceling, "PollReader")
			if x.s.Cancel.Reason != "requested_by_customer" {
				x.t.Fatalf("reason %q", x.s.Cancel.Reason)
			}
			x.polled(rdr(nil)).expect(SaleCanceling, "Record", "CancelIntent")
		}},
		{"the cashier's void of an authorization goes on (not kept)", []func(*SaleConfig){manual}, func(x *h) {
			x.waiting().tick().polled(rdr(withIntent(ours(ActionSucceeded), paid(IntentRequiresCapture, 0)))).cancel()
			if orphan(x); x.s.State != SaleCanceling {
				x.t.Fatalf("state %s", x.s.State)
			}
			for x.s.State == SaleCanceling && !strings.Contains(strings.Join(effNames(x.effs), ","), "CancelIntent") {
				switch x.req().(type) {
				case PollReader:
					x.polled(rdr(withIntent(ours(ActionSucceeded), paid(IntentRequiresCapture, 0))))
				default:
					x.t.Fatalf("unexpected %v", effNames(x.effs))
				}
			}
			x.canceled().expect(SaleCanceled)
		}},
		{"capturing: the capture is found out and finished, never voided", []func(*SaleConfig){manual}, func(x *h) {
			x.waiting().tick().polled(rdr(withIntent(ours(ActionSucceeded), paid(IntentRequiresCapture, 0))))
			x.do(CaptureRequested{At: x.next()}).expect(SaleCapturing, "Record", "CaptureIntent")
			orphan(x).expect(SaleUnknown, "GetIntent")
			x.read(paid(IntentRequiresCapture, 0)).expect(SaleCapturing, "Record", "CaptureIntent")
			x.captured(paid(IntentSucceeded, 0)).expect(SaleApproved)
		}},
		{"final sales stay as they are", nil, func(x *h) {
			x.waiting().tick().polled(rdr(withIntent(ours(ActionSucceeded), paid(IntentSucceeded, 0))))
			orphan(x).expect(SaleApproved)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.run(start(t, tt.mods...)) })
	}
}

// A dropped cart leaves the reader (compare before clear): canceling a
// draft that was shown on the reader clears the display it showed, the key
// recorded first; a draft never shown sends nothing.
func TestDraftCancelClearsItsDisplay(t *testing.T) {
	x := start(t)
	x.do(CartChanged{At: x.next(), Cart: x.s.Cart}).expect(SaleDraft, "Record", "SetDisplay")
	x.cancel().expect(SaleCanceled, "Record", "ClearDisplay")
	c := x.effs[1].(ClearDisplay)
	if c.Key != "kasse-s1-clear-display-1" || c.ReaderID != readerID || c.Owner != Platform ||
		c.Cart.Total != x.s.Cart.Total() || len(c.Cart.Lines) != 1 {
		t.Fatalf("clear = %+v", c)
	}

	y := start(t)
	y.cancel().expect(SaleCanceled)
}

// An emptied cart leaves the reader too: the draft stays open for the next
// lines, and the cart it showed is cleared (compare before clear); emptied
// again before anything else was shown, it sends nothing more.
func TestEmptiedCartClearsItsDisplay(t *testing.T) {
	x := start(t)
	shown := x.s.Cart
	x.do(CartChanged{At: x.next(), Cart: shown}).expect(SaleDraft, "Record", "SetDisplay")
	empty := Cart{Currency: shown.Currency}
	x.do(CartChanged{At: x.next(), Cart: empty}).expect(SaleDraft, "Record", "ClearDisplay")
	if c := x.effs[1].(ClearDisplay); c.Cart.Total != shown.Total() || len(c.Cart.Lines) != len(shown.Lines) {
		t.Fatalf("clear = %+v, want the cart that was shown", c)
	}
	x.do(CartChanged{At: x.next(), Cart: empty}).expect(SaleDraft)
	x.do(CartChanged{At: x.next(), Cart: shown}).expect(SaleDraft, "Record", "SetDisplay")

	y := start(t) // never shown: nothing to clear
	y.do(CartChanged{At: y.next(), Cart: Cart{Currency: y.s.Cart.Currency}}).expect(SaleDraft)
}

func TestShowsCart(t *testing.T) {
	cart := DisplayCart{Currency: "usd", Lines: []CartLine{{Description: "Coffee", Quantity: 2, Amount: 700}}, Total: 700}
	other := cart
	other.Total = 800
	shown := func(status string, c *DisplayCart) Reader {
		return Reader{ID: readerID, Action: &ReaderAction{Type: ActionSetReaderDisplay, Status: status, Display: c}}
	}
	tests := []struct {
		name string
		r    Reader
		want bool
	}{
		{"our cart on screen", shown(ActionInProgress, &cart), true},
		{"another cart", shown(ActionInProgress, &other), false},
		{"display replaced by a payment", rdr(ours(ActionInProgress)), false},
		{"display finished", shown(ActionSucceeded, &cart), false},
		{"no action", rdr(nil), false},
		{"display without its cart", shown(ActionInProgress, nil), false},
	}
	for _, tt := range tests {
		if got := ShowsCart(tt.r, cart); got != tt.want {
			t.Errorf("%s: ShowsCart = %v, want %v", tt.name, got, tt.want)
		}
	}
}
