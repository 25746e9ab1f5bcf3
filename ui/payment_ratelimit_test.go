package ui

import (
	"testing"

	"kasse/pos"
)

// Stripe answering 429 does not fail the payment: the live view says that
// Stripe is rate limiting and that Kasse retries, shows no error, and sends
// the same process_payment_intent (same key) again after the back-off;
// once Stripe takes it, the view is back to waiting for the card.
func TestPaymentRateLimitedShowsNoticeAndRetries(t *testing.T) {
	limited := func() error {
		return &pos.Error{Kind: pos.KindRateLimited, Code: "rate_limit", HTTPStatus: 429,
			Message: "Request rate limit exceeded."}
	}
	f := charging(t, func(d *Deps) {
		d.Terminal.(*fakeTerminal).processErr = []error{limited(), limited()}
	})
	h := f.h
	if st := h.m.payment.sale.State; st != pos.SaleProcessing || !h.m.payment.sale.Throttle.Active() {
		t.Fatalf("after a 429: state %s, throttle %+v", st, h.m.payment.sale.Throttle)
	}
	h.contains("Stripe is rate limiting, retrying…")
	h.lacks("Last error", "failed", "Sending the payment to")

	for i := 0; i < 10 && len(f.term.callsOf("ProcessIntent")) < 3; i++ {
		h.fire(saleTickMsg{})
		if n := len(f.term.callsOf("ProcessIntent")); n < 3 {
			h.contains("Stripe is rate limiting, retrying…")
		}
	}
	p := f.term.callsOf("ProcessIntent")
	if len(p) != 3 {
		t.Fatalf("process sent %d times after two 429s, want 3", len(p))
	}
	for _, c := range p[1:] {
		if c.IdemKey != p[0].IdemKey || c.Arg != p[0].Arg {
			t.Errorf("resend %+v differs from the first send %+v: same intent, same key", c, p[0])
		}
	}
	if st := h.m.payment.sale.State; st != pos.SaleWaitingForCard || h.m.payment.sale.Throttle.Active() {
		t.Fatalf("after Stripe took it: state %s, throttle %+v", st, h.m.payment.sale.Throttle)
	}
	h.lacks("rate limiting")
	h.contains("Waiting for the customer's card")
}
