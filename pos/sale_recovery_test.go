package pos

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestSaleUnknownOutcomes(t *testing.T) {
	tests := []struct {
		name string
		run  func(x *h)
	}{
		{"create outcome unknown: resend with the SAME key and request", func(x *h) {
			x.charge()
			first := x.req().(CreateIntent)
			x.failed(KindUnknown).expect(SaleUnknown)
			if x.s.Checking != CheckCreate {
				x.t.Fatalf("checking %q", x.s.Checking)
			}
			x.tick().expect(SaleUnknown, "Record", "CreateIntent")
			again := x.req().(CreateIntent)
			if again.Key != first.Key || again.Request.Amount != first.Request.Amount {
				x.t.Fatalf("resend %+v differs from %+v", again, first)
			}
			x.failed(KindRateLimited).expect(SaleUnknown).afterThrottle().expect(SaleUnknown, "Record", "CreateIntent")
			x.created().expect(SaleProcessing, "Record", "ProcessIntent")
		}},
		{"create refused for good: failed, nothing to resolve", func(x *h) {
			x.charge().failed(KindAuth).expect(SaleFailed)
			x.tick().retry().expect(SaleFailed)
		}},
		{"create refused after an unknown first try: failed", func(x *h) {
			x.charge().failed(KindUnknown).tick().failed(KindIdempotency).expect(SaleFailed)
		}},
		{"foreign error counts as unknown", func(x *h) {
			x.charge().do(RequestFailed{At: x.next(), Seq: x.seq(), Err: errors.New("connection reset")}).expect(SaleUnknown)
			if x.s.LastError.Kind != KindUnknown || !strings.Contains(x.s.LastError.Message, "reset") {
				x.t.Fatalf("last error %+v", x.s.LastError)
			}
		}},
		{"process outcome unknown, reader got it: no resend", func(x *h) {
			x.charge().created().failed(KindUnknown).expect(SaleUnknown, "PollReader")
			x.polled(rdr(ours(ActionInProgress))).expect(SaleWaitingForCard)
			if x.s.Attempt != 1 {
				x.t.Fatalf("attempt %d", x.s.Attempt)
			}
		}},
		{"reader timeout false negative: poll shows our payment, no resend", func(x *h) {
			x.charge().created().failed(KindReaderTimeout).expect(SaleUnknown, "PollReader")
			x.polled(rdr(ours(ActionInProgress))).expect(SaleWaitingForCard)
		}},
		{"reader timeout true negative: reader idle, intent unpaid → resend with a new key", func(x *h) {
			x.charge().created().failed(KindReaderTimeout).polled(rdr(nil)).expect(SaleUnknown, "GetIntent")
			x.read(pi(IntentRequiresPaymentMethod)).expect(SaleProcessing, "Record", "ProcessIntent")
			if x.key() != "kasse-s1-process-2" || x.s.AutoResends != 1 {
				x.t.Fatalf("key %s resends %d", x.key(), x.s.AutoResends)
			}
		}},
		{"reader timeout: reader shows an old failed attempt → cashier decides", func(x *h) {
			x.charge().created().failed(KindReaderTimeout).polled(rdr(failedWith("card_declined", nil))).expect(SaleDeclined)
		}},
		{"process unknown, payment completed meanwhile: approved", func(x *h) {
			x.charge().created().failed(KindUnknown).polled(rdr(nil)).read(paid(IntentSucceeded, 0)).expect(SaleApproved)
		}},
		{"process unknown, reader busy with someone else: do not steal it", func(x *h) {
			x.charge().created().failed(KindUnknown).polled(rdr(theirs())).read(pi(IntentRequiresPaymentMethod)).expect(SaleReaderBusy)
		}},
		{"process unknown, reader offline", func(x *h) {
			r := rdr(nil)
			r.Status = "offline"
			x.charge().created().failed(KindUnknown).polled(r).read(pi(IntentRequiresPaymentMethod)).expect(SaleReaderOffline)
		}},
		{"resends are capped", func(x *h) {
			x.charge().created()
			for i := 0; i < MaxAutoResends; i++ {
				x.failed(KindReaderTimeout).polled(rdr(nil)).read(pi(IntentRequiresPaymentMethod)).expect(SaleProcessing, "Record", "ProcessIntent")
			}
			x.failed(KindReaderTimeout).polled(rdr(nil)).read(pi(IntentRequiresPaymentMethod)).expect(SaleInterrupted)
			if x.s.Interruption != InterruptNoPickup {
				x.t.Fatalf("interruption %q", x.s.Interruption)
			}
		}},
		{"read failures back off and retry on the next tick", func(x *h) {
			x.charge().created().failed(KindUnknown).failed(KindUnknown).expect(SaleUnknown)
			if d := PollInterval(x.s); x.s.Checks != 1 || d < 2*FastPoll*8/10 || d > 2*FastPoll*12/10 {
				x.t.Fatalf("checks %d interval %s", x.s.Checks, PollInterval(x.s))
			}
			x.tick().expect(SaleUnknown, "PollReader")
		}},
		{"intent_invalid_state on process: read the intent", func(x *h) {
			x.charge().created().failed(KindInvalidState).expect(SaleUnknown, "GetIntent")
			x.read(paid(IntentSucceeded, 0)).expect(SaleApproved)
		}},
		{"our payment left the reader (replaced elsewhere) and is unpaid", func(x *h) {
			x.waiting().tick().polled(rdr(theirs())).expect(SaleUnknown, "GetIntent")
			x.read(pi(IntentRequiresPaymentMethod)).expect(SaleInterrupted)
			if x.s.Interruption != InterruptLeftReader {
				x.t.Fatalf("interruption %q", x.s.Interruption)
			}
		}},
		{"intent canceled elsewhere", func(x *h) {
			x.waiting().tick().polled(rdr(nil)).read(pi(IntentCanceled)).expect(SaleCanceled)
		}},
		{"check now while unknown", func(x *h) {
			x.charge().failed(KindUnknown).retry().expect(SaleUnknown, "Record", "CreateIntent")
			x.retry().expect(SaleUnknown) // already checking
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.run(start(t)) })
	}
}

func TestSaleReaderProblems(t *testing.T) {
	tests := []struct {
		name string
		run  func(x *h)
	}{
		{"busy with another payment: inspect, then retry", func(x *h) {
			x.charge().created().failed(KindReaderBusy).expect(SaleReaderBusy, "PollReader")
			x.polled(rdr(theirs())).expect(SaleReaderBusy)
			if x.s.Reader.ActionIntentID != otherPI {
				x.t.Fatalf("reader view %+v", x.s.Reader)
			}
			x.retry().expect(SaleProcessing, "Record", "ProcessIntent")
		}},
		{"busy with OUR earlier send: it is waiting for the card", func(x *h) {
			x.charge().created().failed(KindReaderBusy).polled(rdr(ours(ActionInProgress))).expect(SaleWaitingForCard)
		}},
		{"busy: change to another reader", func(x *h) {
			x.charge().created().failed(KindReaderBusy).polled(rdr(theirs()))
			x.do(ChangeReader{At: x.next(), ReaderID: "tmr_2", Owner: Platform}).expect(SaleProcessing, "Record", "ProcessIntent")
			if p := x.req().(ProcessIntent); p.ReaderID != "tmr_2" || p.IntentID != ourPI {
				x.t.Fatalf("process = %+v", p)
			}
		}},
		{"offline: change reader", func(x *h) {
			x.charge().created().failed(KindReaderOffline).expect(SaleReaderOffline)
			x.do(ChangeReader{At: x.next(), ReaderID: "tmr_2"}).expect(SaleProcessing, "Record", "ProcessIntent")
		}},
		{"offline: cancel reads the reader, then cancels the intent", func(x *h) {
			x.charge().created().failed(KindReaderOffline).cancel().expect(SaleCanceling, "PollReader")
			x.polled(rdr(nil)).expect(SaleCanceling, "Record", "CancelIntent")
		}},
		{"invalid location for payment: interrupted, not failed", func(x *h) {
			x.charge().created().failed(KindInvalidRequest).expect(SaleInterrupted)
		}},
		{"no such payment_intent (wrong account context): failed", func(x *h) {
			x.charge().created().failed(KindNotFound).expect(SaleFailed)
			x.cancel().expect(SaleCanceling, "PollReader") // the open intent can still be cleaned up
		}},
		{"reader cannot change while waiting for the card", func(x *h) {
			x.waiting().do(ChangeReader{At: x.next(), ReaderID: "tmr_2"}).expect(SaleWaitingForCard)
			if x.s.ReaderID != readerID || x.s.Notice == "" {
				x.t.Fatal("reader changed mid-payment")
			}
		}},
		{"reader chosen in draft", func(x *h) {
			x.s.ReaderID = ""
			x.do(ChangeReader{At: x.next(), ReaderID: "tmr_9"}).expect(SaleDraft, "Record", "SetDisplay")
			x.charge().expect(SaleCreating, "Record", "CreateIntent")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.run(start(t)) })
	}
}

func TestSaleResumeAndNotSent(t *testing.T) {
	tests := []struct {
		name string
		run  func(x *h)
	}{
		{"resumed while creating: resend with the same key", func(x *h) {
			x.charge().do(Resumed{At: x.next()}).expect(SaleUnknown, "Record", "CreateIntent")
			if x.key() != "kasse-s1-create" {
				x.t.Fatalf("key %s", x.key())
			}
		}},
		{"resumed while processing: read the reader first", func(x *h) {
			x.charge().created().do(Resumed{At: x.next()}).expect(SaleUnknown, "PollReader")
		}},
		{"resumed while waiting: poll", func(x *h) {
			x.waiting().do(Resumed{At: x.next()}).expect(SaleWaitingForCard, "PollReader")
		}},
		{"resumed while capturing: read the intent", func(x *h) {
			x.s.CaptureMethod = "manual"
			x.waiting().tick().polled(rdr(withIntent(ours(ActionSucceeded), paid(IntentRequiresCapture, 0))))
			x.do(CaptureRequested{At: x.next()}).do(Resumed{At: x.next()}).expect(SaleUnknown, "GetIntent")
		}},
		{"resumed while canceling: start over from the reader", func(x *h) {
			x.waiting().cancel().polled(rdr(ours(ActionInProgress))).do(Resumed{At: x.next()}).expect(SaleCanceling, "PollReader")
		}},
		{"first create not sent: back to draft, same key next time", func(x *h) {
			x.charge().do(RequestNotSent{At: x.next(), Seq: x.seq(), Reason: "disk full"}).expect(SaleDraft)
			if !strings.Contains(x.s.Notice, "disk full") {
				x.t.Fatalf("notice %q", x.s.Notice)
			}
			x.charge().expect(SaleCreating, "Record", "CreateIntent")
			if x.key() != "kasse-s1-create" {
				x.t.Fatalf("key %s", x.key())
			}
		}},
		{"create resend not sent: stays unknown", func(x *h) {
			x.charge().failed(KindUnknown).tick().do(RequestNotSent{At: x.next(), Seq: x.seq()}).expect(SaleUnknown)
		}},
		{"process not sent: interrupted", func(x *h) {
			x.charge().created().do(RequestNotSent{At: x.next(), Seq: x.seq(), Op: OpProcessIntent}).expect(SaleInterrupted)
			if x.s.Interruption != InterruptNotSent {
				x.t.Fatalf("interruption %q", x.s.Interruption)
			}
		}},
		{"process acknowledged with a bare reader: wait, the next poll decides", func(x *h) {
			x.charge().created().do(ProcessAccepted{At: x.next(), Seq: x.seq(), Reader: rdr(nil)}).expect(SaleWaitingForCard)
			x.tick().polled(rdr(ours(ActionInProgress))).expect(SaleWaitingForCard)
		}},
		{"result for the wrong op is ignored", func(x *h) {
			x.charge().do(RequestFailed{At: x.next(), Seq: x.seq(), Op: OpReadReader, Err: &Error{}}).expect(SaleCreating)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.run(start(t)) })
	}
}

func TestSaleStateClasses(t *testing.T) {
	tests := []struct {
		st                          SaleState
		final, decision, inProgress bool
	}{
		{SaleDraft, false, false, false},
		{SaleCreating, false, false, true},
		{SaleWaitingForCard, false, false, true},
		{SaleUnknown, false, false, true},
		{SaleCanceling, false, false, true},
		{SaleDeclined, false, true, false},
		{SaleReaderBusy, false, true, false},
		{SaleInterrupted, false, true, false},
		{SaleRequiresCapture, false, false, false},
		{SaleApproved, true, false, false},
		{SaleCanceled, true, false, false},
		{SaleFailed, true, false, false},
	}
	for _, tt := range tests {
		s := Sale{State: tt.st}
		if tt.st.Final() != tt.final || tt.st.Decision() != tt.decision || s.InProgress() != tt.inProgress {
			t.Errorf("%s: final %v decision %v in progress %v", tt.st, tt.st.Final(), tt.st.Decision(), s.InProgress())
		}
	}
	if (ReaderView{ActionType: ActionSetReaderDisplay, ActionStatus: ActionInProgress}).BusyWithOther(ourPI) {
		t.Error("a cart display does not make the reader busy")
	}
	if !(ReaderView{ActionType: ActionProcessSetupIntent, ActionStatus: ActionInProgress}).BusyWithOther(ourPI) {
		t.Error("a setup intent does")
	}
}

func TestNewSale(t *testing.T) {
	ok := SaleConfig{ID: "s-1_A", Currency: "USD"}
	tests := []struct {
		name string
		mod  func(*SaleConfig)
		err  error
	}{
		{"ok", func(*SaleConfig) {}, nil},
		{"empty id", func(c *SaleConfig) { c.ID = "" }, ErrSaleConfig},
		{"id with space", func(c *SaleConfig) { c.ID = "a b" }, ErrSaleConfig},
		{"long id", func(c *SaleConfig) { c.ID = strings.Repeat("a", 65) }, ErrSaleConfig},
		{"bad currency", func(c *SaleConfig) { c.Currency = "dollar" }, ErrCurrency},
		{"bad capture", func(c *SaleConfig) { c.CaptureMethod = "later" }, ErrSaleConfig},
		{"negative fee", func(c *SaleConfig) { c.ApplicationFee = -1 }, ErrApplicationFee},
		{"negative idle", func(c *SaleConfig) { c.IdleTimeout = -time.Second }, ErrSaleConfig},
	}
	for _, tt := range tests {
		cfg := ok
		tt.mod(&cfg)
		s, err := NewSale(cfg, t0)
		if !errors.Is(err, tt.err) {
			t.Errorf("%s: err = %v, want %v", tt.name, err, tt.err)
		}
		if err == nil && (s.State != SaleDraft || s.Currency != "usd" || s.CaptureMethod != "automatic" || s.CreateKey() != "kasse-s-1_A-create") {
			t.Errorf("%s: sale %+v", tt.name, s)
		}
	}
}
