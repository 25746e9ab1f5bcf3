package pos

import "testing"

// A sale that fails for good after its PaymentIntent exists is final for
// the cashier but not Finished: its intent may still be open at Stripe,
// so reconciliation (Orphaned) settles it like an open sale — the reader
// cleared only while it shows the payment, the intent read, then canceled
// or kept if it was paid (issue 12, point 1).
func TestFailedSaleWithAnOpenIntent(t *testing.T) {
	orphan := func(x *h) *h { return x.do(Orphaned{At: x.next()}) }
	// failedOpen wants a failed sale that still owes Stripe a cancel.
	failedOpen := func(x *h) *h {
		x.t.Helper()
		x.expect(SaleFailed)
		if x.s.Finished() || !x.s.IntentMayBeOpen() || x.s.IntentID != ourPI {
			x.t.Fatalf("failed on %s (%s): finished %v, intent may be open %v; want open, not finished",
				x.s.IntentID, x.s.IntentStatus, x.s.Finished(), x.s.IntentMayBeOpen())
		}
		return x
	}
	finished := func(x *h, st SaleState) {
		x.t.Helper()
		x.expect(st)
		if !x.s.Finished() || x.s.Pending.Active() {
			x.t.Fatalf("%s with intent %s: finished %v, pending %s", x.s.State, x.s.IntentStatus, x.s.Finished(), x.s.Pending.Op)
		}
	}
	tests := []struct {
		name string
		run  func(x *h)
	}{
		{"hand-off refused as unauthorized: the intent is read, then canceled", func(x *h) {
			x.charge().created().failed(KindAuth)
			failedOpen(x)
			x.do(Resumed{At: x.next()}).expect(SaleFailed) // nothing for a cashier to resume
			orphan(x).expect(SaleCanceling, "PollReader")
			x.polled(rdr(nil)).expect(SaleCanceling, "GetIntent")
			x.read(pi(IntentRequiresPaymentMethod)).expect(SaleCanceling, "Record", "CancelIntent")
			if c := x.req().(CancelIntent); c.Reason != "abandoned" || c.Key != "kasse-s1-cancel-1" || c.IntentID != ourPI {
				x.t.Fatalf("cancel = %+v", c)
			}
			x.canceled()
			finished(x, SaleCanceled)
			if x.s.Attempt != 1 {
				x.t.Fatalf("handed to the reader %d times, want only the refused attempt", x.s.Attempt)
			}
		}},
		{"hand-off refused as not found, the reader shows the payment after all: cleared first", func(x *h) {
			x.charge().created().failed(KindNotFound)
			failedOpen(x)
			orphan(x).expect(SaleCanceling, "PollReader")
			x.polled(rdr(ours(ActionInProgress))).expect(SaleCanceling, "Record", "CancelReaderAction")
			if c := x.req().(CancelReaderAction); c.IntentID != ourPI || c.ReaderID != readerID {
				x.t.Fatalf("cancel action = %+v", c)
			}
			x.cleared().expect(SaleCanceling, "GetIntent")
			x.read(pi(IntentRequiresPaymentMethod)).expect(SaleCanceling, "Record", "CancelIntent")
			x.canceled()
			finished(x, SaleCanceled)
		}},
		{"the reader serves another payment now: never touched", func(x *h) {
			x.charge().created().failed(KindAuth)
			orphan(x).polled(rdr(theirs())).expect(SaleCanceling, "GetIntent")
			x.read(pi(IntentRequiresPaymentMethod)).expect(SaleCanceling, "Record", "CancelIntent")
			x.canceled()
			finished(x, SaleCanceled)
		}},
		{"paid while nobody watched: kept approved, never canceled", func(x *h) {
			x.charge().created().failed(KindAuth)
			orphan(x).polled(rdr(withIntent(ours(ActionSucceeded), paid(IntentSucceeded, 0))))
			finished(x, SaleApproved)
			if x.s.CancelIntents != 0 || x.s.Card.Last4 != "4242" {
				x.t.Fatalf("cancel intents %d, card %+v", x.s.CancelIntents, x.s.Card)
			}
		}},
		{"paid and gone from the reader: the intent read keeps it", func(x *h) {
			x.charge().created().failed(KindNotFound)
			orphan(x).polled(rdr(nil)).read(paid(IntentSucceeded, 0))
			finished(x, SaleApproved)
		}},
		{"the cashier's cancel refused on the intent: failed, then canceled by reconciliation", func(x *h) {
			x.waiting().cancel().polled(rdr(nil)).expect(SaleCanceling, "Record", "CancelIntent")
			x.failed(KindAuth)
			failedOpen(x)
			orphan(x).expect(SaleCanceling, "PollReader")
			x.polled(rdr(nil)).expect(SaleCanceling, "GetIntent")
			x.read(pi(IntentRequiresPaymentMethod)).expect(SaleCanceling, "Record", "CancelIntent")
			if x.key() != "kasse-s1-cancel-2" {
				x.t.Fatalf("key %s: a new cancel needs a new key", x.key())
			}
			x.canceled()
			finished(x, SaleCanceled)
		}},
		{"refused again while settling: still failed and open, the next start tries again", func(x *h) {
			x.charge().created().failed(KindAuth)
			orphan(x).polled(rdr(nil)).read(pi(IntentRequiresPaymentMethod)).failed(KindAuth)
			failedOpen(x)
			orphan(x).polled(rdr(nil)).read(pi(IntentRequiresPaymentMethod)).expect(SaleCanceling, "Record", "CancelIntent")
			x.canceled()
			finished(x, SaleCanceled)
		}},
		{"canceled meanwhile (the cancel's answer was refused but it ran): the read settles it", func(x *h) {
			x.charge().created().failed(KindAuth)
			orphan(x).polled(rdr(nil)).read(pi(IntentCanceled))
			finished(x, SaleCanceled)
		}},
		{"create refused: no intent, nothing owed", func(x *h) {
			x.charge().failed(KindInvalidRequest)
			finished(x, SaleFailed)
			orphan(x).expect(SaleFailed)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.run(start(t)) })
	}
}

func TestSaleFinished(t *testing.T) {
	tests := []struct {
		state        SaleState
		intent, st   string
		open, finish bool
	}{
		{SaleApproved, ourPI, IntentSucceeded, false, true},
		{SaleCanceled, ourPI, IntentCanceled, false, true},
		{SaleCanceled, "", "", false, true},
		{SaleFailed, "", "", false, true},
		{SaleFailed, ourPI, IntentRequiresPaymentMethod, true, false},
		{SaleFailed, ourPI, "", true, false}, // status never learned: may be open
		{SaleFailed, ourPI, IntentRequiresCapture, true, false},
		{SaleFailed, ourPI, IntentCanceled, false, true},
		{SaleFailed, ourPI, IntentSucceeded, false, true},
		{SaleWaitingForCard, ourPI, IntentRequiresPaymentMethod, true, false},
		{SaleRequiresCapture, ourPI, IntentRequiresCapture, true, false},
		{SaleDraft, "", "", false, false},
	}
	for _, tt := range tests {
		s := Sale{State: tt.state, IntentID: tt.intent, IntentStatus: tt.st}
		if s.IntentMayBeOpen() != tt.open || s.Finished() != tt.finish {
			t.Errorf("%s, intent %q %q: open %v finished %v; want %v %v", tt.state, tt.intent, tt.st,
				s.IntentMayBeOpen(), s.Finished(), tt.open, tt.finish)
		}
	}
}
