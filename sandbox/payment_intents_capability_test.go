package sandbox

import (
	"testing"

	"github.com/stripe/stripe-go/v76"
)

// A seller without an active card_payments capability cannot take a card
// payment: the PaymentIntent is refused before it exists, and nothing is
// stored under the idempotency key.
func TestIntentRefusedWithoutCardPayments(t *testing.T) {
	e := newEnv(t, Options{Seed: "demo"})
	var blocked, active string
	it := e.sc.Accounts.List(&stripe.AccountListParams{})
	for it.Next() {
		a := it.Account()
		switch a.Capabilities.CardPayments {
		case stripe.AccountCapabilityStatusActive:
			active = a.ID
		default:
			blocked = a.ID
		}
	}
	if err := it.Err(); err != nil || blocked == "" || active == "" {
		t.Fatalf("demo seed: blocked=%q active=%q err=%v; want one of each", blocked, active, err)
	}
	newPI := func(acct string) (*stripe.PaymentIntent, error) {
		p := &stripe.PaymentIntentParams{Amount: stripe.Int64(1250), Currency: stripe.String("gbp"),
			PaymentMethodTypes: stripe.StringSlice([]string{"card_present"})}
		p.SetStripeAccount(acct)
		p.SetIdempotencyKey("cap-" + acct)
		return e.sc.PaymentIntents.New(p)
	}
	_, err := newPI(blocked)
	se := stripeErr(t, err)
	if se.HTTPStatusCode != 400 || se.Param != "payment_method_types" || se.Type != stripe.ErrorTypeInvalidRequest {
		t.Fatalf("blocked seller: got %d %s param=%q: %s", se.HTTPStatusCode, se.Type, se.Param, se.Msg)
	}
	if pi, err := newPI(active); err != nil || pi.Status != stripe.PaymentIntentStatusRequiresPaymentMethod {
		t.Fatalf("active seller: %v %v", pi, err)
	}
}
