package pos

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"
)

// TestSaleRandomEvents feeds 10,000 random but plausible events (results
// answering the outstanding request, stale results, cashier keys, ticks,
// restarts) through Step and checks after every step:
//   - the rules of checkStep (Record first with the returned sale and the
//     key, one request at a time, no CreateIntent once an intent is known,
//     create key == CreateKey(), nothing cancels an Approved sale, …);
//   - all CreateIntent effects of a sale carry one key and one request;
//   - no idempotency key is reused, except the create key for the
//     identical create request, and the key of a request Stripe refused
//     with 429 (not run, nothing kept under the key) for the identical
//     request;
//   - the intent id never changes once known.
func TestSaleRandomEvents(t *testing.T) {
	rng := rand.New(rand.NewPCG(20261123, 7))
	g := &gen{rng: rng, now: t0}
	var s Sale
	var lastReq Effect
	sales := 0
	keys := map[string]Effect{}  // key → request first sent under it (Seq zeroed)
	refused := map[string]bool{} // keys whose last answer was a 429
	reached := map[SaleState]int{}
	for i := 0; i < 10000; i++ {
		if sales == 0 || s.State.Final() && rng.IntN(3) == 0 {
			sales++
			s, lastReq = g.newSale(t, fmt.Sprintf("p%d", sales)), nil
		}
		ev := g.event(s, lastReq)
		if f, ok := ev.(RequestFailed); ok && IsKind(f.Err, KindRateLimited) && s.Pending.Active() && f.Seq == s.Pending.Seq {
			refused[s.Pending.Key] = true
		}
		before := s
		var effs []Effect
		s, effs = Step(s, ev)
		reached[s.State]++
		if err := checkStep(before, ev, s, effs); err != nil {
			t.Fatalf("step %d (sale %s, %s, event %T %+v): %v", i, s.ID, before.State, ev, ev, err)
		}
		if before.IntentID != "" && s.IntentID != before.IntentID {
			t.Fatalf("step %d: intent changed from %s to %s", i, before.IntentID, s.IntentID)
		}
		for _, e := range effs {
			if _, ok := EffectSeq(e); ok {
				lastReq = e
			}
			k := EffectKey(e)
			if k == "" {
				continue
			}
			norm := zeroSeq(e)
			if prev, ok := keys[k]; ok {
				// Only the create, or a request refused with 429, is ever
				// resent under its key, and only as the identical request.
				if _, create := e.(CreateIntent); !create && !refused[k] || !reflect.DeepEqual(prev, norm) {
					t.Fatalf("step %d: key %s reused:\n%+v\n%+v", i, k, prev, norm)
				}
				delete(refused, k)
			}
			keys[k] = norm
		}
	}
	for _, st := range []SaleState{SaleApproved, SaleDeclined, SaleCanceled, SaleUnknown, SaleWaitingForCard,
		SaleReaderBusy, SaleReaderOffline, SaleCustomerCanceled, SaleInterrupted, SaleRequiresCapture, SaleFailed} {
		if reached[st] == 0 {
			t.Errorf("generator never reached %s (%v)", st, reached)
		}
	}
	t.Logf("%d sales, states reached: %v", sales, reached)
	if sales < 50 {
		t.Errorf("only %d sales in 10,000 steps", sales)
	}
}

func zeroSeq(e Effect) Effect {
	switch e := e.(type) {
	case CreateIntent:
		e.Seq = 0
		return e
	case ProcessIntent:
		e.Seq = 0
		return e
	case CancelReaderAction:
		e.Seq = 0
		return e
	case CancelIntent:
		e.Seq = 0
		return e
	case CaptureIntent:
		e.Seq = 0
		return e
	}
	return e
}

type gen struct {
	rng *rand.Rand
	now time.Time
}

func (g *gen) newSale(t *testing.T, id string) Sale {
	cfg := SaleConfig{ID: id, Seller: seller, ReaderID: readerID, Currency: "usd"}
	if g.rng.IntN(3) == 0 {
		cfg.CaptureMethod = "manual"
	}
	if g.rng.IntN(2) == 0 {
		cfg.IdleTimeout = time.Minute
	}
	s, err := NewSale(cfg, g.now)
	if err != nil {
		t.Fatal(err)
	}
	s.Cart, _ = s.Cart.Add(Line{Description: "Item", Quantity: 1 + g.rng.Int64N(3), UnitPrice: 40 + g.rng.Int64N(2000)})
	return s
}

func (g *gen) pick(n int) int { return g.rng.IntN(n) }

func (g *gen) event(s Sale, last Effect) SaleEvent {
	g.now = g.now.Add(time.Duration(g.rng.IntN(30000)) * time.Millisecond)
	at := g.now
	if s.State == SaleDraft && g.pick(2) == 0 {
		return ChargeRequested{At: at}
	}
	switch r := g.pick(100); {
	case r < 55 && last != nil:
		seq, _ := EffectSeq(last)
		if g.pick(10) == 0 {
			seq-- // stale
		}
		return g.result(s, last, seq, at)
	case r < 75:
		return Tick{At: at}
	case r < 80:
		return ChargeRequested{At: at}
	case r < 85:
		return RetryRequested{At: at}
	case r < 90:
		return CancelRequested{At: at}
	case r < 93:
		return ChangeReader{At: at, ReaderID: []string{readerID, "tmr_2"}[g.pick(2)]}
	case r < 96:
		return CaptureRequested{At: at}
	case r < 98:
		c, _ := s.Cart.Add(Line{Description: "More", Quantity: 1, UnitPrice: 100})
		return CartChanged{At: at, Cart: c}
	case r < 99:
		return Orphaned{At: at}
	}
	return Resumed{At: at}
}

var kinds = []ErrorKind{KindUnknown, KindDeclined, KindReaderBusy, KindReaderOffline, KindReaderTimeout,
	KindInvalidRequest, KindInvalidState, KindNotFound, KindAuth, KindRateLimited, KindIdempotency}

func (g *gen) result(s Sale, last Effect, seq int64, at time.Time) SaleEvent {
	switch g.pick(10) {
	case 0, 1:
		return RequestFailed{At: at, Seq: seq, Err: &Error{Kind: kinds[g.pick(len(kinds))]}}
	case 2:
		if g.pick(4) == 0 {
			return RequestNotSent{At: at, Seq: seq, Reason: "journal"}
		}
	}
	switch last.(type) {
	case CreateIntent:
		in := pi(IntentRequiresPaymentMethod)
		in.ID, in.Amount = "pi_"+s.ID, s.Request.Amount
		if g.pick(20) == 0 {
			in.Amount++ // mismatch: the machine must cancel it
		}
		return IntentCreated{At: at, Seq: seq, Intent: in}
	case ProcessIntent:
		return ProcessAccepted{At: at, Seq: seq, Reader: g.reader(s)}
	case PollReader:
		return ReaderPolled{At: at, Seq: seq, Reader: g.reader(s)}
	case GetIntent:
		return IntentRead{At: at, Seq: seq, Intent: g.intent(s)}
	case CancelReaderAction:
		return ActionCanceled{At: at, Seq: seq, Reader: Reader{ID: s.ReaderID, Status: "online"}}
	case CancelIntent:
		in := g.intent(s)
		if g.pick(3) > 0 {
			in.Status = IntentCanceled
		}
		return CancelConfirmed{At: at, Seq: seq, Intent: in}
	case CaptureIntent:
		return IntentCaptured{At: at, Seq: seq, Intent: g.intent(s)}
	}
	return Tick{At: at}
}

var intentStatuses = []string{IntentRequiresPaymentMethod, IntentRequiresConfirmation, IntentRequiresAction,
	IntentProcessing, IntentRequiresCapture, IntentCanceled, IntentSucceeded}

func (g *gen) intent(s Sale) Intent {
	in := Intent{ID: s.IntentID, Status: intentStatuses[g.pick(len(intentStatuses))], Amount: s.Request.Amount, Currency: "usd"}
	if g.pick(8) == 0 {
		in.ID = otherPI
	}
	if g.pick(2) == 0 {
		in.LatestCharge = &Charge{ID: "ch_x", Card: Card{Brand: "visa", Last4: "0002"}}
	}
	return in
}

func (g *gen) reader(s Sale) Reader {
	r := Reader{ID: s.ReaderID, Status: "online"}
	if g.pick(8) == 0 {
		r.Status = "offline"
	}
	if g.pick(5) == 0 {
		return r // no action
	}
	a := &ReaderAction{Type: ActionProcessPaymentIntent, PaymentIntentID: s.IntentID,
		Status: []string{ActionInProgress, ActionSucceeded, ActionFailed}[g.pick(3)]}
	if g.pick(4) == 0 {
		a.PaymentIntentID = otherPI
	}
	if a.Status == ActionFailed {
		a.FailureCode = []string{"card_declined", "customer_canceled", "connection_error", "expired_card", "weird"}[g.pick(5)]
	}
	if g.pick(3) > 0 {
		in := g.intent(s)
		a.Intent = &in
	}
	r.Action = a
	return r
}
