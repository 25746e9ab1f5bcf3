package pos

import (
	"strings"
	"testing"
	"time"
)

func TestSaleCancel(t *testing.T) {
	tests := []struct {
		name string
		mods []func(*SaleConfig)
		run  func(x *h)
	}{
		{"draft: canceled at once, no requests", nil, func(x *h) {
			x.cancel().expect(SaleCanceled)
		}},
		{"waiting, reader holds our payment: clear it, then cancel the intent", nil, func(x *h) {
			x.waiting().cancel().expect(SaleCanceling, "PollReader")
			x.polled(rdr(ours(ActionInProgress))).expect(SaleCanceling, "Record", "CancelReaderAction")
			if c := x.req().(CancelReaderAction); c.Key != "kasse-s1-cancel-action-1" || c.IntentID != ourPI || c.Owner != Platform {
				x.t.Fatalf("cancel action = %+v", c)
			}
			x.cleared().expect(SaleCanceling, "Record", "CancelIntent")
			x.canceled().expect(SaleCanceled)
		}},
		{"waiting, reader now holds ANOTHER intent: never touch the reader", nil, func(x *h) {
			x.waiting().cancel().polled(rdr(theirs())).expect(SaleCanceling, "Record", "CancelIntent")
			x.canceled().expect(SaleCanceled)
		}},
		{"waiting, reader empty: cancel the intent only", nil, func(x *h) {
			x.waiting().cancel().polled(rdr(nil)).expect(SaleCanceling, "Record", "CancelIntent")
			x.canceled().expect(SaleCanceled)
		}},
		{"waiting, reader shows a display action: not ours, left alone", nil, func(x *h) {
			x.waiting().cancel().polled(rdr(&ReaderAction{Type: ActionSetReaderDisplay, Status: ActionInProgress})).
				expect(SaleCanceling, "Record", "CancelIntent")
		}},
		{"cancel during authorization: reader busy, the payment is approved → too late", nil, func(x *h) {
			x.waiting().cancel().polled(rdr(ours(ActionInProgress))).failed(KindReaderBusy).expect(SaleWaitingForCard)
			x.tick().expect(SaleWaitingForCard, "PollReader")
			x.polled(rdr(withIntent(ours(ActionSucceeded), paid(IntentSucceeded, 0)))).expect(SaleApproved)
			if !strings.Contains(x.s.Notice, "Too late to cancel") {
				x.t.Fatalf("notice %q", x.s.Notice)
			}
			x.cancel().expect(SaleApproved)
		}},
		{"cancel during authorization: the card is declined → the cancel proceeds", nil, func(x *h) {
			x.waiting().cancel().polled(rdr(ours(ActionInProgress))).failed(KindReaderBusy)
			x.tick().polled(rdr(failedWith("card_declined", nil))).expect(SaleCanceling, "PollReader")
			x.polled(rdr(failedWith("card_declined", nil))).expect(SaleCanceling, "Record", "CancelIntent")
			x.canceled().expect(SaleCanceled)
		}},
		{"cancel during authorization: card removed, clearing is retried", nil, func(x *h) {
			x.waiting().cancel().polled(rdr(ours(ActionInProgress))).failed(KindReaderBusy)
			x.tick().polled(rdr(ours(ActionInProgress))).expect(SaleCanceling, "Record", "CancelReaderAction")
			if x.key() != "kasse-s1-cancel-action-2" {
				x.t.Fatalf("key %s", x.key())
			}
		}},
		{"cancel_action outcome unknown: re-read before re-sending", nil, func(x *h) {
			x.waiting().cancel().polled(rdr(ours(ActionInProgress))).failed(KindUnknown).expect(SaleCanceling)
			x.tick().expect(SaleCanceling, "PollReader")
			x.polled(rdr(nil)).expect(SaleCanceling, "Record", "CancelIntent") // the first one worked
		}},
		{"reader offline while canceling: cancel the intent anyway", nil, func(x *h) {
			x.waiting().cancel().polled(rdr(ours(ActionInProgress))).failed(KindReaderOffline).
				expect(SaleCanceling, "Record", "CancelIntent")
		}},
		{"cancel loses the race: intent already succeeded → Approved", nil, func(x *h) {
			x.waiting().cancel().polled(rdr(nil)).failed(KindInvalidState).expect(SaleCanceling, "GetIntent")
			x.read(paid(IntentSucceeded, 0)).expect(SaleApproved)
		}},
		{"cancel intent outcome unknown: read, then resend with a new key", nil, func(x *h) {
			x.waiting().cancel().polled(rdr(nil)).failed(KindUnknown).expect(SaleCanceling)
			x.tick().expect(SaleCanceling, "GetIntent")
			x.read(pi(IntentRequiresPaymentMethod)).expect(SaleCanceling, "Record", "CancelIntent")
			if x.key() != "kasse-s1-cancel-2" {
				x.t.Fatalf("key %s", x.key())
			}
			x.failed(KindUnknown).tick().read(pi(IntentCanceled)).expect(SaleCanceled)
		}},
		{"cancel while the create is in flight: cancel the intent once known, never process it", nil, func(x *h) {
			x.charge().cancel().expect(SaleCreating)
			x.created().expect(SaleCanceling, "Record", "CancelIntent")
			x.canceled().expect(SaleCanceled)
			if x.s.Attempt != 0 {
				x.t.Fatal("processed a canceled sale")
			}
		}},
		{"cancel while the create is unknown: resolve with the same key first", nil, func(x *h) {
			x.charge().failed(KindUnknown).cancel().expect(SaleUnknown)
			x.tick().expect(SaleUnknown, "Record", "CreateIntent")
			x.created().expect(SaleCanceling, "Record", "CancelIntent")
		}},
		{"cancel while the create is in flight, create refused: nothing to cancel", nil, func(x *h) {
			x.charge().cancel().failed(KindInvalidRequest).expect(SaleCanceled)
		}},
		{"cancel while process is in flight: runs after the reader answers", nil, func(x *h) {
			x.charge().created().cancel().expect(SaleProcessing)
			x.accepted().expect(SaleCanceling, "PollReader")
			x.polled(rdr(ours(ActionInProgress))).expect(SaleCanceling, "Record", "CancelReaderAction")
		}},
		{"stale poll after cancel is ignored", nil, func(x *h) {
			x.waiting().tick()
			stale := x.seq()
			x.cancel().expect(SaleCanceling, "PollReader")
			before := x.s
			x.do(ReaderPolled{At: x.next(), Seq: stale, Reader: rdr(withIntent(ours(ActionSucceeded), paid(IntentSucceeded, 0)))})
			x.expect(SaleCanceling)
			if x.s.Pending != before.Pending {
				x.t.Fatal("stale result changed the sale")
			}
		}},
		{"manual capture, authorized, cancel voids it", []func(*SaleConfig){manual}, func(x *h) {
			x.waiting().tick().polled(rdr(withIntent(ours(ActionSucceeded), paid(IntentRequiresCapture, 0)))).expect(SaleRequiresCapture)
			// The reader's part is over: the void is the intent's cancel
			// alone (no reader read, no Terminal needed).
			x.cancel().expect(SaleCanceling, "Record", "CancelIntent")
			x.canceled().expect(SaleCanceled)
		}},
		{"manual capture, authorized, void outcome unknown: read the intent, never the reader", []func(*SaleConfig){manual}, func(x *h) {
			x.waiting().tick().polled(rdr(withIntent(ours(ActionSucceeded), paid(IntentRequiresCapture, 0)))).expect(SaleRequiresCapture)
			x.cancel().expect(SaleCanceling, "Record", "CancelIntent")
			x.failed(KindUnknown).tick().expect(SaleCanceling, "GetIntent")
			x.read(paid(IntentRequiresCapture, 0)).expect(SaleCanceling, "Record", "CancelIntent")
			x.canceled().expect(SaleCanceled)
		}},
		{"capturing cannot be canceled", []func(*SaleConfig){manual}, func(x *h) {
			x.waiting().tick().polled(rdr(withIntent(ours(ActionSucceeded), paid(IntentRequiresCapture, 0))))
			x.do(CaptureRequested{At: x.next()}).cancel().expect(SaleCapturing)
		}},
		{"custom reason is passed on", nil, func(x *h) {
			x.waiting().do(CancelRequested{At: x.next(), Reason: "duplicate"}).polled(rdr(nil))
			if c := x.req().(CancelIntent); c.Reason != "duplicate" {
				x.t.Fatalf("reason %q", c.Reason)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.run(start(t, tt.mods...)) })
	}
}

func TestSaleIdleTimeout(t *testing.T) {
	tests := []struct {
		name string
		run  func(x *h)
	}{
		{"no card within the timeout: clear the reader, keep the intent", func(x *h) {
			x.waiting() // primed at t0+3s
			x.tickAt(30*time.Second).expect(SaleWaitingForCard, "PollReader")
			x.polled(rdr(ours(ActionInProgress))).expect(SaleWaitingForCard)
			x.tickAt(64*time.Second).expect(SaleCanceling, "PollReader")
			x.polled(rdr(ours(ActionInProgress))).expect(SaleCanceling, "Record", "CancelReaderAction")
			x.cleared().expect(SaleUnknown, "GetIntent")
			x.read(pi(IntentRequiresPaymentMethod)).expect(SaleInterrupted)
			if x.s.Interruption != InterruptIdle || x.s.CancelIntents != 0 {
				x.t.Fatalf("interruption %q, cancel intents %d", x.s.Interruption, x.s.CancelIntents)
			}
			x.retry().expect(SaleProcessing, "Record", "ProcessIntent")
		}},
		{"timeout pre-empts an outstanding watch poll", func(x *h) {
			x.waiting().tickAt(30*time.Second).expect(SaleWaitingForCard, "PollReader")
			x.tickAt(70*time.Second).expect(SaleCanceling, "PollReader")
		}},
		{"card presented: never cleared", func(x *h) {
			x.waiting().tick().polled(rdr(withIntent(ours(ActionInProgress), pi(IntentRequiresConfirmation))))
			if !x.s.CardPresented {
				x.t.Fatal("card not seen")
			}
			x.tickAt(10*time.Minute).expect(SaleWaitingForCard, "PollReader")
		}},
		{"card presented between timeout and clear: back to waiting", func(x *h) {
			x.waiting().tickAt(2*time.Minute).expect(SaleCanceling, "PollReader")
			x.polled(rdr(withIntent(ours(ActionInProgress), pi(IntentRequiresConfirmation)))).expect(SaleWaitingForCard)
		}},
		{"payment approved just before the clear", func(x *h) {
			x.waiting().tickAt(2 * time.Minute).polled(rdr(withIntent(ours(ActionSucceeded), paid(IntentSucceeded, 0)))).expect(SaleApproved)
		}},
		{"cashier cancels while the idle clear runs: full cancel", func(x *h) {
			x.waiting().tickAt(2 * time.Minute).polled(rdr(ours(ActionInProgress))).cancel().expect(SaleCanceling)
			x.cleared().expect(SaleCanceling, "Record", "CancelIntent")
		}},
		{"clear hits an authorizing card: keep waiting", func(x *h) {
			x.waiting().tickAt(2 * time.Minute).polled(rdr(ours(ActionInProgress))).failed(KindReaderBusy).expect(SaleWaitingForCard)
			x.tick().expect(SaleWaitingForCard, "PollReader")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.run(start(t, idle(time.Minute))) })
	}
	t.Run("no timeout configured", func(t *testing.T) {
		start(t).waiting().tickAt(time.Hour).expect(SaleWaitingForCard, "PollReader")
	})
}
