package sale_test

import (
	"testing"

	"kasse/pos"
	"kasse/ui"
	"kasse/ui/internal/uitest"
	"kasse/ui/sale"
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
	f := uitest.Charging(t, func(d *ui.Deps) {
		d.Terminal.(*uitest.FakeTerminal).ProcessErr = []error{limited(), limited()}
	})
	h := f.H
	if s := payment(h).Sale(); s.State != pos.SaleProcessing || !s.Throttle.Active() {
		t.Fatalf("after a 429: state %s, throttle %+v", s.State, s.Throttle)
	}
	h.Contains("Stripe is rate limiting, retrying…")
	h.Lacks("Last error", "failed", "Sending the payment to")

	for i := 0; i < 10 && len(f.Term.CallsOf("ProcessIntent")) < 3; i++ {
		h.Fire(sale.SaleTick{})
		if n := len(f.Term.CallsOf("ProcessIntent")); n < 3 {
			h.Contains("Stripe is rate limiting, retrying…")
		}
	}
	p := f.Term.CallsOf("ProcessIntent")
	if len(p) != 3 {
		t.Fatalf("process sent %d times after two 429s, want 3", len(p))
	}
	for _, c := range p[1:] {
		if c.IdemKey != p[0].IdemKey || c.Arg != p[0].Arg {
			t.Errorf("resend %+v differs from the first send %+v: same intent, same key", c, p[0])
		}
	}
	if s := payment(h).Sale(); s.State != pos.SaleWaitingForCard || s.Throttle.Active() {
		t.Fatalf("after Stripe took it: state %s, throttle %+v", s.State, s.Throttle)
	}
	h.Lacks("rate limiting")
	h.Contains("Waiting for the customer's card")
}
