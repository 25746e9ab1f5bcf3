package pos

import (
	"testing"
	"time"
)

// A 429 (rate_limit, lock_timeout) never decides a sale: Stripe refused
// the request before running it, so the machine stays where it is and sends
// the same request again, under the same key, once a growing, jittered
// back-off has passed.
func TestSaleThrottled(t *testing.T) {
	tests := []struct {
		name string
		mods []func(*SaleConfig)
		run  func(x *h)
	}{
		{"create refused: same request, same key, after the back-off", nil, func(x *h) {
			x.charge()
			first := x.req().(CreateIntent)
			x.failed(KindRateLimited).expect(SaleCreating)
			if !x.s.Throttle.Active() || !x.s.Throttle.Waiting() || x.s.LastError != nil {
				x.t.Fatalf("throttle %+v, last error %v", x.s.Throttle, x.s.LastError)
			}
			x.afterThrottle().expect(SaleCreating, "Record", "CreateIntent")
			if again := x.req().(CreateIntent); again.Key != first.Key || again.Request.Amount != first.Request.Amount {
				x.t.Fatalf("resend %+v, first %+v", again, first)
			}
			x.created().expect(SaleProcessing, "Record", "ProcessIntent")
			if x.s.Throttle.Active() {
				x.t.Fatalf("a good answer must end the throttle: %+v", x.s.Throttle)
			}
		}},
		{"process refused: the same attempt resent, no new key, no read", nil, func(x *h) {
			x.charge().created()
			key := x.key()
			x.failed(KindRateLimited).expect(SaleProcessing)
			x.afterThrottle().expect(SaleProcessing, "Record", "ProcessIntent")
			if x.key() != key || x.s.Attempt != 1 {
				x.t.Fatalf("resent under %s (attempt %d), want %s", x.key(), x.s.Attempt, key)
			}
			x.accepted().expect(SaleWaitingForCard)
		}},
		{"ticks before the back-off's end send nothing", nil, func(x *h) {
			x.charge().created().failed(KindRateLimited)
			until := x.s.Throttle.Until
			x.now = until.Add(-time.Millisecond)
			x.do(Tick{At: x.now}).expect(SaleProcessing)
			if want := time.Millisecond; PollInterval(x.s) != want {
				x.t.Fatalf("after an early tick PollInterval = %s, want the rest of the back-off %s", PollInterval(x.s), want)
			}
			x.afterThrottle().expect(SaleProcessing, "Record", "ProcessIntent")
		}},
		{"refusals in a row back off further, up to the cap, and never fail the sale", nil, func(x *h) {
			x.charge().created()
			var waits []time.Duration
			for range 8 {
				at := x.next()
				x.do(RequestFailed{At: at, Seq: x.seq(), Err: &Error{Kind: KindRateLimited, Code: "rate_limit"}})
				waits = append(waits, x.s.Throttle.Until.Sub(at))
				x.afterThrottle().expect(SaleProcessing, "Record", "ProcessIntent")
			}
			for i, w := range waits {
				base := min(ThrottleBase<<i, ThrottleMax)
				if !within(w, base, ThrottleJitter) {
					x.t.Errorf("refusal %d: waited %s, want %s ±50%%", i+1, w, base)
				}
			}
			if x.s.Throttle.Refusals != 8 || x.s.Attempt != 1 {
				x.t.Fatalf("refusals %d attempt %d", x.s.Throttle.Refusals, x.s.Attempt)
			}
			x.accepted().expect(SaleWaitingForCard)
		}},
		{"watch poll refused: read again after the back-off, not at the waiting pace", nil, func(x *h) {
			x.waiting().tick().failed(KindRateLimited).expect(SaleWaitingForCard)
			if d := PollInterval(x.s); d < ThrottleBase/2 {
				x.t.Fatalf("PollInterval %s during a back-off", d)
			}
			x.afterThrottle().expect(SaleWaitingForCard, "PollReader")
			x.polled(rdr(withIntent(ours(ActionSucceeded), paid(IntentSucceeded, 0)))).expect(SaleApproved)
		}},
		{"cancel_action refused: the reader is read again before any new cancel_action", nil, func(x *h) {
			x.waiting().cancel().polled(rdr(ours(ActionInProgress))).expect(SaleCanceling, "Record", "CancelReaderAction")
			x.failed(KindRateLimited).expect(SaleCanceling)
			x.afterThrottle().expect(SaleCanceling, "PollReader")
			x.polled(rdr(ours(ActionInProgress))).expect(SaleCanceling, "Record", "CancelReaderAction")
			x.cleared().expect(SaleCanceling, "Record", "CancelIntent")
			x.canceled().expect(SaleCanceled)
		}},
		{"cancel_action refused, card approved meanwhile: kept, no cancel", nil, func(x *h) {
			x.waiting().cancel().polled(rdr(ours(ActionInProgress))).failed(KindRateLimited)
			x.afterThrottle().polled(rdr(withIntent(ours(ActionSucceeded), paid(IntentSucceeded, 0)))).expect(SaleApproved)
		}},
		{"intent cancel refused: resent under the same key", nil, func(x *h) {
			x.waiting().cancel().polled(rdr(nil)).expect(SaleCanceling, "Record", "CancelIntent")
			key := x.key()
			x.failed(KindRateLimited).expect(SaleCanceling).afterThrottle().expect(SaleCanceling, "Record", "CancelIntent")
			if x.key() != key {
				x.t.Fatalf("cancel resent under %s, want %s", x.key(), key)
			}
			x.canceled().expect(SaleCanceled)
		}},
		{"capture refused: resent under the same key", []func(*SaleConfig){manual}, func(x *h) {
			x.waiting().tick().polled(rdr(withIntent(ours(ActionSucceeded), paid(IntentRequiresCapture, 0)))).expect(SaleRequiresCapture)
			x.do(CaptureRequested{At: x.next()}).expect(SaleCapturing, "Record", "CaptureIntent")
			key := x.key()
			x.failed(KindRateLimited).expect(SaleCapturing).afterThrottle().expect(SaleCapturing, "Record", "CaptureIntent")
			if x.key() != key {
				x.t.Fatalf("capture resent under %s, want %s", x.key(), key)
			}
			x.captured(paid(IntentSucceeded, 0)).expect(SaleApproved)
		}},
		{"cashier cancels while a refused process waits: the cancel replaces it", nil, func(x *h) {
			x.charge().created().failed(KindRateLimited).cancel().expect(SaleCanceling, "PollReader")
			if x.s.Throttle.Waiting() {
				x.t.Fatal("the refused process still waits to be resent")
			}
			x.polled(rdr(nil)).expect(SaleCanceling, "Record", "CancelIntent")
			x.canceled().expect(SaleCanceled)
		}},
		{"process refused after the cashier asked to cancel: not resent, the cancel starts", nil, func(x *h) {
			x.charge().created().cancel().expect(SaleProcessing)
			x.failed(KindRateLimited).expect(SaleCanceling, "PollReader")
		}},
		{"create refused with a cancel noted: the create is still resent, then canceled", nil, func(x *h) {
			x.charge().failed(KindRateLimited).cancel().expect(SaleCreating)
			x.afterThrottle().expect(SaleCreating, "Record", "CreateIntent")
			x.created().expect(SaleCanceling, "Record", "CancelIntent")
		}},
		{"idle timeout during a back-off still clears the reader", []func(*SaleConfig){idle(time.Minute)}, func(x *h) {
			x.waiting().tickAt(50*time.Second).expect(SaleWaitingForCard, "PollReader")
			x.failed(KindRateLimited).expect(SaleWaitingForCard)
			x.tickAt(70*time.Second).expect(SaleCanceling, "PollReader")
			if !x.s.Cancel.ClearOnly {
				x.t.Fatalf("cancel plan %+v", x.s.Cancel)
			}
		}},
		{"resumed after a restart: the throttle is forgotten, the state leads", nil, func(x *h) {
			x.charge().created().failed(KindRateLimited)
			x.do(Resumed{At: x.next()}).expect(SaleUnknown, "PollReader")
			if x.s.Throttle != (Throttle{}) {
				x.t.Fatalf("throttle %+v after Resumed", x.s.Throttle)
			}
		}},
		{"a 429 on the card-details read of an approved sale changes nothing", nil, func(x *h) {
			x.waiting().tick()
			in := paid(IntentSucceeded, 0)
			in.LatestCharge = nil
			x.polled(rdr(withIntent(ours(ActionSucceeded), in))).expect(SaleApproved, "GetIntent")
			x.failed(KindRateLimited).expect(SaleApproved)
			if x.s.Throttle.Waiting() {
				x.t.Fatal("an approved sale waits to resend")
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.run(start(t, tt.mods...)) })
	}
}
