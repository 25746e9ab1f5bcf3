package pos

import "testing"

// A reader read answered "not found" means the reader was deregistered:
// it shows nothing, so the sale goes on as after a read of an idle reader
// instead of reading it again forever (found by the checkout test of a
// failed sale whose reader a field tech deregistered: reconciliation read
// the missing reader 11,000 times until its timeout).
func TestDeregisteredReader(t *testing.T) {
	tests := []struct {
		name string
		run  func(x *h)
	}{
		{"settling: nothing to clear, the intent is read and canceled", func(x *h) {
			x.charge().created().failed(KindNotFound).expect(SaleFailed)
			x.do(Orphaned{At: x.next()}).expect(SaleCanceling, "PollReader")
			x.failed(KindNotFound).expect(SaleCanceling, "GetIntent")
			x.read(pi(IntentRequiresPaymentMethod)).expect(SaleCanceling, "Record", "CancelIntent")
			x.canceled().expect(SaleCanceled)
		}},
		{"the cashier's cancel: the intent is canceled", func(x *h) {
			x.waiting().cancel().expect(SaleCanceling, "PollReader")
			x.failed(KindNotFound).expect(SaleCanceling, "Record", "CancelIntent")
			x.canceled().expect(SaleCanceled)
		}},
		{"waiting for the card: the payment left the reader, the intent tells", func(x *h) {
			x.waiting().tick().expect(SaleWaitingForCard, "PollReader")
			x.failed(KindNotFound).expect(SaleUnknown, "GetIntent")
			x.read(pi(IntentRequiresPaymentMethod)).expect(SaleInterrupted)
			if x.s.Interruption != InterruptLeftReader || !IsKind(x.s.LastError, KindNotFound) {
				x.t.Fatalf("interruption %q, last error %v", x.s.Interruption, x.s.LastError)
			}
		}},
		{"waiting, paid just before the reader went: approved", func(x *h) {
			x.waiting().tick().failed(KindNotFound).read(paid(IntentSucceeded, 0)).expect(SaleApproved)
		}},
		{"an unreadable reader for another reason is read again", func(x *h) {
			x.waiting().tick().failed(KindUnknown).expect(SaleWaitingForCard)
			x.tick().expect(SaleWaitingForCard, "PollReader")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.run(start(t)) })
	}
}
