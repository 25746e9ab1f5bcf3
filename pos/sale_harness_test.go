package pos

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

// Test harness for the sale machine: h drives one sale through Step,
// checks the Record rule after every step, and builds result events that
// answer the last request effect.

var t0 = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

const (
	ourPI    = "pi_1"
	otherPI  = "pi_other"
	readerID = "tmr_1"
	seller   = Account("acct_seller")
)

type h struct {
	t       *testing.T
	s       Sale
	effs    []Effect
	lastReq Effect // last request effect emitted by any step
	now     time.Time
}

func start(t *testing.T, mods ...func(*SaleConfig)) *h {
	t.Helper()
	cfg := SaleConfig{ID: "s1", Seller: seller, ReaderOwner: Platform, ReaderID: readerID, Currency: "usd"}
	for _, m := range mods {
		m(&cfg)
	}
	s, err := NewSale(cfg, t0)
	if err != nil {
		t.Fatal(err)
	}
	s.Cart, _ = s.Cart.Add(Line{Description: "Coffee beans", Quantity: 1, UnitPrice: 1000})
	return &h{t: t, s: s, now: t0}
}

func manual(c *SaleConfig) { c.CaptureMethod = "manual" }

func idle(d time.Duration) func(*SaleConfig) { return func(c *SaleConfig) { c.IdleTimeout = d } }

// next advances the clock by one second.
func (x *h) next() time.Time { x.now = x.now.Add(time.Second); return x.now }

func (x *h) do(ev SaleEvent) *h {
	x.t.Helper()
	before := x.s
	x.s, x.effs = Step(x.s, ev)
	if err := checkStep(before, ev, x.s, x.effs); err != nil {
		x.t.Fatalf("after %T: %v", ev, err)
	}
	for _, e := range x.effs {
		if _, ok := EffectSeq(e); ok {
			x.lastReq = e
		}
	}
	return x
}

// expect asserts the state and the effect types, e.g. expect(SaleCreating, "Record", "CreateIntent").
func (x *h) expect(st SaleState, effs ...string) *h {
	x.t.Helper()
	got := effNames(x.effs)
	if x.s.State != st || strings.Join(got, ",") != strings.Join(effs, ",") {
		x.t.Fatalf("state %s effects %v; want %s %v (notice %q, err %v)", x.s.State, got, st, effs, x.s.Notice, x.s.LastError)
	}
	return x
}

func effNames(effs []Effect) []string {
	var n []string
	for _, e := range effs {
		n = append(n, strings.TrimPrefix(fmt.Sprintf("%T", e), "pos."))
	}
	return n
}

// req returns the last request effect emitted (the one with a Seq).
func (x *h) req() Effect {
	x.t.Helper()
	if x.lastReq == nil {
		x.t.Fatal("no request effect emitted yet")
	}
	return x.lastReq
}

func (x *h) seq() int64 { x.t.Helper(); s, _ := EffectSeq(x.req()); return s }

func (x *h) key() string { x.t.Helper(); return EffectKey(x.req()) }

// Cashier and timer events.
func (x *h) charge() *h { return x.do(ChargeRequested{At: x.next()}) }
func (x *h) retry() *h  { return x.do(RetryRequested{At: x.next()}) }
func (x *h) cancel() *h { return x.do(CancelRequested{At: x.next()}) }
func (x *h) tick() *h   { return x.do(Tick{At: x.next()}) }

// afterThrottle ticks when the back-off after a 429 has passed.
func (x *h) afterThrottle() *h {
	x.t.Helper()
	if !x.s.Throttle.Waiting() {
		x.t.Fatalf("no request waits for a 429's back-off (state %s)", x.s.State)
	}
	x.now = x.s.Throttle.Until
	return x.do(Tick{At: x.now})
}
func (x *h) tickAt(d time.Duration) *h {
	x.now = t0.Add(d)
	return x.do(Tick{At: x.now})
}

// Results answering the last request.
func (x *h) created() *h {
	return x.do(IntentCreated{At: x.next(), Seq: x.seq(), Intent: pi(IntentRequiresPaymentMethod)})
}
func (x *h) accepted() *h {
	return x.do(ProcessAccepted{At: x.next(), Seq: x.seq(), Reader: rdr(ours(ActionInProgress))})
}
func (x *h) polled(r Reader) *h { return x.do(ReaderPolled{At: x.next(), Seq: x.seq(), Reader: r}) }
func (x *h) read(in Intent) *h  { return x.do(IntentRead{At: x.next(), Seq: x.seq(), Intent: in}) }
func (x *h) cleared() *h        { return x.do(ActionCanceled{At: x.next(), Seq: x.seq(), Reader: rdr(nil)}) }
func (x *h) canceled() *h {
	return x.do(CancelConfirmed{At: x.next(), Seq: x.seq(), Intent: pi(IntentCanceled)})
}
func (x *h) captured(in Intent) *h {
	return x.do(IntentCaptured{At: x.next(), Seq: x.seq(), Intent: in})
}
func (x *h) failed(k ErrorKind) *h {
	return x.do(RequestFailed{At: x.next(), Seq: x.seq(), Err: &Error{Kind: k, Message: k.String()}})
}

// waiting brings a fresh sale to WaitingForCard: charge, create, process.
func (x *h) waiting() *h {
	return x.charge().created().accepted().expect(SaleWaitingForCard)
}

func ours(status string) *ReaderAction {
	return &ReaderAction{Type: ActionProcessPaymentIntent, Status: status, PaymentIntentID: ourPI}
}

func theirs() *ReaderAction {
	return &ReaderAction{Type: ActionProcessPaymentIntent, Status: ActionInProgress, PaymentIntentID: otherPI}
}

func failedWith(code string, in *Intent) *ReaderAction {
	a := ours(ActionFailed)
	a.FailureCode, a.FailureMessage, a.Intent = code, code, in
	return a
}

func withIntent(a *ReaderAction, in Intent) *ReaderAction { a.Intent = &in; return a }

func rdr(a *ReaderAction) Reader { return Reader{ID: readerID, Status: "online", Action: a} }

func pi(status string) Intent {
	return Intent{ID: ourPI, Status: status, Amount: 1000, Currency: "usd"}
}

func paid(status string, tip int64) Intent {
	in := pi(status)
	in.Amount += tip
	in.Tip = &tip
	in.AmountCapturable = in.Amount
	in.LatestCharge = &Charge{ID: "ch_1", Amount: in.Amount, Status: "succeeded", Card: Card{Brand: "visa", Last4: "4242"}}
	return in
}

func declined(declineCode string) Intent {
	in := pi(IntentRequiresPaymentMethod)
	in.LastError = &PaymentError{Type: "card_error", Code: "card_declined", DeclineCode: declineCode, Message: "declined"}
	return in
}

// checkStep verifies the rules every Step must keep, whatever the input.
func checkStep(before Sale, ev SaleEvent, s Sale, effs []Effect) error {
	requests := 0
	for i, e := range effs {
		if e.Mutating() {
			if i == 0 {
				return fmt.Errorf("mutating %T is not preceded by a Record", e)
			}
			r, ok := effs[0].(Record)
			if !ok {
				return fmt.Errorf("effect list %v does not start with Record", effNames(effs))
			}
			if r.Key != EffectKey(e) || !reflect.DeepEqual(r.Sale, s) {
				return fmt.Errorf("Record (key %q) does not carry the returned sale and key %q", r.Key, EffectKey(e))
			}
		}
		if seq, ok := EffectSeq(e); ok {
			requests++
			if seq != s.Pending.Seq {
				return fmt.Errorf("%T seq %d but pending seq %d", e, seq, s.Pending.Seq)
			}
		}
		switch e := e.(type) {
		case CreateIntent:
			if before.IntentID != "" || s.IntentID != "" {
				return fmt.Errorf("CreateIntent with intent %q known", before.IntentID)
			}
			if e.Key != s.CreateKey() || !reflect.DeepEqual(e.Request, s.Request) {
				return fmt.Errorf("CreateIntent key %q / request differs from the sale's", e.Key)
			}
		case CancelIntent:
			if before.State == SaleApproved {
				return fmt.Errorf("%T after approval", e)
			}
		case CancelReaderAction:
			// Compare before cancel: only right after a read showing the
			// reader working on our intent.
			rp, ok := ev.(ReaderPolled)
			if before.State == SaleApproved || !ok || rp.Reader.Action == nil ||
				rp.Reader.Action.PaymentIntentID != s.IntentID || rp.Reader.Action.Status != ActionInProgress ||
				rp.Reader.Action.Type != ActionProcessPaymentIntent || e.IntentID != s.IntentID {
				return fmt.Errorf("CancelReaderAction not justified by a read showing our payment (event %T)", ev)
			}
		case ProcessIntent:
			switch ev.(type) {
			case IntentCreated, RetryRequested, ChangeReader, IntentRead:
			case Tick:
				// Only the resend of a send Stripe refused with 429, once
				// its back-off has passed, under the same key.
				if before.Throttle.Op != OpProcessIntent || ev.When().Before(before.Throttle.Until) ||
					before.Attempt != s.Attempt {
					return fmt.Errorf("ProcessIntent on a Tick without a refused send to repeat")
				}
			default: // never straight after a failure or a poll: read first
				return fmt.Errorf("ProcessIntent in answer to %T", ev)
			}
			if e.IntentID == "" || e.IntentID != s.IntentID || e.Key != s.ProcessKey(s.Attempt) {
				return fmt.Errorf("ProcessIntent intent %q key %q", e.IntentID, e.Key)
			}
		}
	}
	if f, ok := ev.(RequestFailed); ok && before.Pending.Active() && f.Seq == before.Pending.Seq {
		for _, e := range effs {
			if e.Mutating() && effOp(e) == before.Pending.Op {
				return fmt.Errorf("%s resent right after it failed, without a read", before.Pending.Op)
			}
		}
	}
	if s.State.Final() && s.Cancel.Wanted {
		return fmt.Errorf("final state %s still wants a cancel", s.State)
	}
	if (s.State == SaleCanceled || s.State == SaleFailed) && s.Pending.Active() {
		return fmt.Errorf("%s with %s pending", s.State, s.Pending.Op)
	}
	if requests > 1 {
		return fmt.Errorf("%d requests in one step: %v", requests, effNames(effs))
	}
	if requests == 1 && before.Pending.Active() && before.Pending.Op.Mutating() {
		if seq, _, ok := resultOf(ev); !ok || seq != before.Pending.Seq {
			_, resumed := ev.(Resumed)
			_, orphaned := ev.(Orphaned)
			if !resumed && !orphaned {
				return fmt.Errorf("new request while mutating %s (seq %d) is outstanding", before.Pending.Op, before.Pending.Seq)
			}
		}
	}
	if before.Finished() && s.State != before.State {
		return fmt.Errorf("left %s (finished) for %s", before.State, s.State)
	}
	if s.State == SaleFailed && !s.Finished() && s.Cancel.Wanted {
		return fmt.Errorf("failed with an open intent but a cancel still planned: %+v", s.Cancel)
	}
	return nil
}

func effOp(e Effect) Op {
	switch e.(type) {
	case CreateIntent:
		return OpCreateIntent
	case ProcessIntent:
		return OpProcessIntent
	case CancelReaderAction:
		return OpCancelAction
	case CancelIntent:
		return OpCancelIntent
	case CaptureIntent:
		return OpCaptureIntent
	case SetDisplay:
		return OpSetDisplay
	case ClearDisplay:
		return OpClearDisplay
	case CreateTransfer:
		return OpCreateTransfer
	}
	return ""
}
