package e2e

import (
	"testing"
	"time"

	"kasse/pos"
)

// TestConsoleTypedAmountIsCharged (issue 10, finding 1): on the real
// register, "12.50" charges 1250 cents on the seller's PaymentIntent, and
// "12,50" either means the same or is refused — it is never misread. Kasse
// takes ',' as the decimal separator for currencies with at most two
// decimals; "1,250" (a thousands separator) is refused with a message and
// cannot be charged, nothing reaches Stripe.
func TestConsoleTypedAmountIsCharged(t *testing.T) {
	requireTmux(t)
	w := newWorld(t)
	c := w.startConsole(t)
	c.toRegister()
	pi := intentOnScreen(t, c.charge("12.50", "$12.50", "Waiting for the customer's card on Counter 1"))
	c.presentTestCard(0) // Visa · approved
	c.waitFor(10*time.Second, "APPROVED", "$12.50", pi)
	ins := w.api.intents(t, w.lumen.Seller)
	if len(ins) != 1 || ins[0].ID != pi || ins[0].Amount != 1250 || ins[0].Status != pos.IntentSucceeded {
		t.Fatalf("intents on Lumen = %+v, want %s succeeded for 1250", ins, pi)
	}

	c.send("Enter") // new sale
	c.waitFor(5*time.Second, "Register · Lumen Coffee · USD", "no items yet")
	c.typeText("1,250")
	c.waitFor(5*time.Second, "Amount  $1.25", "USD has 2 decimals")
	c.send("Enter")
	c.waitFor(5*time.Second, "Register · Lumen Coffee · USD", "USD has 2 decimals")
	if n := len(w.api.intents(t, w.lumen.Seller)); n != 1 {
		t.Fatalf("a refused amount reached Stripe: %d intents on Lumen", n)
	}

	c.send("Escape") // clears the entry
	c.waitFor(5*time.Second, "Amount  $0.00")
	pi2 := intentOnScreen(t, c.charge("12,50", "$12.50", "Waiting for the customer's card on Counter 1"))
	ins = w.api.intents(t, w.lumen.Seller)
	if len(ins) != 2 {
		t.Fatalf("intents on Lumen = %+v, want two", ins)
	}
	for _, in := range ins {
		if in.ID == pi2 && in.Amount != 1250 {
			t.Fatalf("12,50 was charged as %d, want 1250", in.Amount)
		}
	}
	c.send("Escape")
	c.waitFor(5*time.Second, "Cancel this payment?")
	c.send("y")
	c.waitFor(10*time.Second, "Canceled", "nothing was charged")
}
