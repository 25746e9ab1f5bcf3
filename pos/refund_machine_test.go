package pos

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"
)

type rh struct {
	t       *testing.T
	r       RefundFlow
	effs    []Effect
	lastReq Effect
	now     time.Time
}

func startRefund(t *testing.T) *rh {
	t.Helper()
	r, err := NewRefund(RefundConfig{ID: "r1", Seller: seller, Intent: paidIntent(0), Amount: 400, Reason: RefundDuplicate}, t0)
	if err != nil {
		t.Fatal(err)
	}
	return &rh{t: t, r: r, now: t0}
}

func (x *rh) do(ev RefundEvent) *rh {
	x.t.Helper()
	before := x.r
	x.r, x.effs = StepRefund(x.r, ev)
	if err := checkRefundStep(before, x.r, x.effs); err != nil {
		x.t.Fatalf("after %T: %v", ev, err)
	}
	for _, e := range x.effs {
		if _, ok := EffectSeq(e); ok {
			x.lastReq = e
		}
	}
	return x
}

func (x *rh) expect(st RefundState, effs ...string) *rh {
	x.t.Helper()
	if got := effNames(x.effs); x.r.State != st || strings.Join(got, ",") != strings.Join(effs, ",") {
		x.t.Fatalf("state %s effects %v; want %s %v (notice %q)", x.r.State, got, st, effs, x.r.Notice)
	}
	return x
}

func (x *rh) next() time.Time { x.now = x.now.Add(time.Second); return x.now }
func (x *rh) seq() int64      { s, _ := EffectSeq(x.lastReq); return s }
func (x *rh) submit() *rh {
	return x.do(SubmitRefund{At: x.next()}).do(RefundRecordSaved{At: x.next()})
}
func (x *rh) created(status string) *rh {
	return x.do(RefundCreated{At: x.next(), Seq: x.seq(), Refund: Refund{ID: "re_1", Amount: 400, Status: status}})
}
func (x *rh) failed(k ErrorKind) *rh {
	return x.do(RequestFailed{At: x.next(), Seq: x.seq(), Err: &Error{Kind: k, Message: "x"}})
}
func (x *rh) listed(rs ...Refund) *rh {
	return x.do(RefundsListed{At: x.next(), Seq: x.seq(), Refunds: rs})
}

func ourRefund(status string) Refund {
	return Refund{ID: "re_1", Amount: 400, Status: status, Metadata: map[string]string{"kasse_refund_id": "r1"}}
}

func TestRefundMachine(t *testing.T) {
	tests := []struct {
		name string
		run  func(x *rh)
	}{
		{"record, then send, succeed", func(x *rh) {
			x.do(SubmitRefund{At: x.next()}).expect(RefundRecorded, "RecordRefund")
			if rec := x.effs[0].(RecordRefund); rec.Refund.State != RefundRecorded {
				x.t.Fatalf("recorded snapshot %+v", rec.Refund)
			}
			x.do(RefundRecordSaved{At: x.next()}).expect(RefundSent, "RecordRefund", "CreateRefund")
			c := x.lastReq.(CreateRefund)
			if c.Key != "kasse-r1-refund" || c.Seller != seller || c.Request.Amount != 400 || c.Request.Reason != "duplicate" {
				x.t.Fatalf("create refund = %+v", c)
			}
			x.created("succeeded").expect(RefundSucceeded)
			if x.r.RefundID != "re_1" || x.r.DoneAt.IsZero() {
				x.t.Fatalf("%+v", x.r)
			}
		}},
		{"no request before the journal acknowledged", func(x *rh) {
			x.do(SubmitRefund{At: x.next()}).do(Tick{At: x.next()}).expect(RefundRecorded)
		}},
		{"pending, then succeeded via the list", func(x *rh) {
			x.submit().created("pending").expect(RefundPending)
			x.do(Tick{At: x.next()}).expect(RefundPending, "ListRefunds")
			x.listed(ourRefund("pending")).expect(RefundPending)
			x.do(Tick{At: x.next()}).listed(ourRefund("succeeded")).expect(RefundSucceeded)
		}},
		{"refused by Stripe: failed", func(x *rh) {
			x.submit().failed(KindInvalidRequest).expect(RefundFailed)
			x.do(Tick{At: x.next()}).expect(RefundFailed)
		}},
		{"unknown, found in the list by metadata: adopted, not resent", func(x *rh) {
			x.submit().failed(KindUnknown).expect(RefundUnknown)
			x.do(Tick{At: x.next()}).expect(RefundUnknown, "ListRefunds")
			x.listed(Refund{ID: "re_other", Amount: 400, Status: "succeeded"}, ourRefund("succeeded")).expect(RefundSucceeded)
		}},
		{"unknown, not in the list: resend under the SAME key", func(x *rh) {
			x.submit().failed(KindUnknown).do(Tick{At: x.next()}).listed().expect(RefundSent, "RecordRefund", "CreateRefund")
			if c := x.lastReq.(CreateRefund); c.Key != "kasse-r1-refund" || x.r.Sends != 2 {
				x.t.Fatalf("resend %+v sends %d", c, x.r.Sends)
			}
			x.created("succeeded").expect(RefundSucceeded)
		}},
		{"unknown past the key window: no resend, ask for a manual check", func(x *rh) {
			x.submit().failed(KindUnknown)
			x.now = x.now.Add(RefundResendWindow)
			x.do(Tick{At: x.next()}).listed().expect(RefundUnknown)
			if !strings.Contains(x.r.Notice, "Dashboard") {
				x.t.Fatalf("notice %q", x.r.Notice)
			}
		}},
		{"list fails: retry on the next tick", func(x *rh) {
			x.submit().failed(KindUnknown).do(Tick{At: x.next()}).failed(KindUnknown).expect(RefundUnknown)
			x.do(Tick{At: x.next()}).expect(RefundUnknown, "ListRefunds")
		}},
		{"first send not sent: back to recorded, key unused", func(x *rh) {
			x.submit().do(RequestNotSent{At: x.next(), Seq: x.seq(), Reason: "disk"}).expect(RefundRecorded)
			x.do(RefundRecordSaved{At: x.next()}).expect(RefundSent, "RecordRefund", "CreateRefund")
		}},
		{"resumed while sent: unknown, list", func(x *rh) {
			x.submit().do(Resumed{At: x.next()}).expect(RefundUnknown, "ListRefunds")
		}},
		{"resumed while recorded: send", func(x *rh) {
			x.do(SubmitRefund{At: x.next()}).do(Resumed{At: x.next()}).expect(RefundSent, "RecordRefund", "CreateRefund")
		}},
		{"stale result ignored", func(x *rh) {
			x.submit()
			stale := x.seq()
			x.failed(KindUnknown).do(Tick{At: x.next()})
			x.do(RefundCreated{At: x.next(), Seq: stale, Refund: ourRefund("succeeded")}).expect(RefundUnknown)
		}},
		{"failed refund reported by Stripe", func(x *rh) {
			x.submit().created("failed").expect(RefundFailed)
			if x.r.LastError == nil {
				x.t.Fatal("no error")
			}
		}},
		{"double submit", func(x *rh) {
			x.submit().do(SubmitRefund{At: x.next()}).expect(RefundSent)
			if x.r.Notice == "" {
				x.t.Fatal("no notice")
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.run(startRefund(t)) })
	}
}

func TestRefundPollInterval(t *testing.T) {
	tests := []struct {
		st     RefundState
		checks int
		want   time.Duration
	}{
		{RefundDraft, 0, SlowPoll}, {RefundSucceeded, 0, SlowPoll}, {RefundUnknown, 0, FastPoll},
		{RefundUnknown, 2, 2 * time.Second}, {RefundPending, 9, SlowPoll},
	}
	for _, tt := range tests {
		if got := RefundPollInterval(RefundFlow{State: tt.st, Checks: tt.checks}); got != tt.want {
			t.Errorf("RefundPollInterval(%s, %d) = %s, want %s", tt.st, tt.checks, got, tt.want)
		}
	}
}

func checkRefundStep(before, r RefundFlow, effs []Effect) error {
	for i, e := range effs {
		if e.Mutating() {
			rec, ok := effs[0].(RecordRefund)
			if i == 0 || !ok || !reflect.DeepEqual(rec.Refund, r) {
				return errorf("mutating %T without a leading RecordRefund of the returned refund", e)
			}
			switch c := e.(type) {
			case CreateRefund:
				if c.Key != r.Key() || !reflect.DeepEqual(c.Request, r.Request()) {
					return errorf("CreateRefund key %q / request differs", c.Key)
				}
				if before.State != RefundRecorded && before.State != RefundUnknown {
					return errorf("CreateRefund from %s", before.State)
				}
			case ReverseTransfer:
				if c.Key != r.ReversalKey() || !reflect.DeepEqual(c.Request, r.reversalRequest()) || c.TransferID != r.TransferID {
					return errorf("ReverseTransfer key %q / request differs", c.Key)
				}
				if r.State != RefundSucceeded {
					return errorf("ReverseTransfer of a refund that is %s", r.State)
				}
			default:
				return errorf("unexpected mutating %T", e)
			}
		}
	}
	if before.State.Final() && r.State != before.State {
		return errorf("left final %s for %s", before.State, r.State)
	}
	return nil
}

// TestRefundRandomEvents: random events never produce a CreateRefund with
// another key or request, nor from a state other than Recorded/Unknown.
func TestRefundRandomEvents(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 8))
	now := t0
	var r RefundFlow
	var last Effect
	for i := 0; i < 5000; i++ {
		if i == 0 || r.State.Final() && rng.IntN(3) == 0 {
			r, _ = NewRefund(RefundConfig{ID: "r1", Seller: seller, Intent: paidIntent(0), Reason: RefundDuplicate}, now)
			last = nil
		}
		now = now.Add(time.Duration(rng.IntN(7200)) * time.Second)
		seq, _ := EffectSeq(last)
		if rng.IntN(8) == 0 {
			seq--
		}
		var ev RefundEvent
		switch rng.IntN(9) {
		case 0:
			ev = SubmitRefund{At: now}
		case 1:
			ev = RefundRecordSaved{At: now}
		case 2:
			ev = Tick{At: now}
		case 3:
			ev = Resumed{At: now}
		case 4:
			ev = RequestFailed{At: now, Seq: seq, Err: &Error{Kind: kinds[rng.IntN(len(kinds))]}}
		case 5:
			ev = RequestNotSent{At: now, Seq: seq}
		case 6:
			ev = RefundCreated{At: now, Seq: seq, Refund: ourRefund([]string{"succeeded", "pending", "failed"}[rng.IntN(3)])}
		default:
			var list []Refund
			if rng.IntN(2) == 0 {
				list = append(list, ourRefund([]string{"succeeded", "pending", "failed"}[rng.IntN(3)]))
			}
			ev = RefundsListed{At: now, Seq: seq, Refunds: list}
		}
		before := r
		var effs []Effect
		r, effs = StepRefund(r, ev)
		if err := checkRefundStep(before, r, effs); err != nil {
			t.Fatalf("step %d (%s, %T): %v", i, before.State, ev, err)
		}
		for _, e := range effs {
			if _, ok := EffectSeq(e); ok {
				last = e
			}
		}
	}
}

func errorf(format string, args ...any) error { return fmt.Errorf(format, args...) }
