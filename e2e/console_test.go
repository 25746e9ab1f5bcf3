package e2e

import (
	"testing"
	"time"

	"kasse/pos"
)

// The console's three basic flows, typed in tmux with the real keys
// (ui/app/keys.go): type-to-filter + enter on the pickers, digits + enter on
// the register, t for the test-card picker, r to retry, esc/y to cancel.

// TestConsoleSaleApproved: pick Lumen Coffee, its location and reader, ring
// up 12.50, present Visa 4242 from the test-card picker → the receipt;
// exactly one intent on the seller, succeeded.
func TestConsoleSaleApproved(t *testing.T) {
	requireTmux(t)
	w := newWorld(t)
	c := w.startConsole(t)
	pi := intentOnScreen(t, c.ringUp("1250", "$12.50"))

	c.presentTestCard(0) // Visa · approved
	c.waitFor(10*time.Second, "APPROVED", "Total", "$12.50", "VISA", "4242", pi, "Served by")

	ins := w.api.intents(t, w.lumen.Seller)
	if len(ins) != 1 || ins[0].ID != pi || ins[0].Status != pos.IntentSucceeded || ins[0].Amount != 1250 {
		t.Fatalf("intents on Lumen = %+v, want exactly %s succeeded for 1250", ins, pi)
	}
	if r := w.api.reader(t, w.lumen.Reader); r.Action == nil || r.Action.Status != pos.ActionSucceeded || r.actionIntent() != pi {
		t.Fatalf("reader after the sale: %s", r)
	}
	recs := w.sales(t)
	if len(recs) != 1 {
		t.Fatalf("journal holds %d sales, want 1", len(recs))
	}
	if s := recs[0].Sale; s.State != pos.SaleApproved || s.IntentID != pi || s.Card.Last4 != "4242" || s.Amount != 1250 {
		t.Fatalf("journal: %s intent %s card %+v amount %d", s.State, s.IntentID, s.Card, s.Amount)
	}
}

// TestConsoleDeclineThenRetrySameIntent: a decline (insufficient funds)
// leaves the intent open; r reprocesses the SAME intent and Visa 4242 pays
// it. One intent on the seller, succeeded after two attempts.
func TestConsoleDeclineThenRetrySameIntent(t *testing.T) {
	requireTmux(t)
	w := newWorld(t)
	c := w.startConsole(t)
	pi := intentOnScreen(t, c.ringUp("800", "$8.00"))

	c.presentTestCard(2) // Declined · insufficient_funds, 4000000000009995
	c.waitFor(10*time.Second, "Declined", "insufficient_funds", "r retries the same payment")
	ins := w.api.intents(t, w.lumen.Seller)
	if len(ins) != 1 || ins[0].ID != pi || ins[0].Status != pos.IntentRequiresPaymentMethod {
		t.Fatalf("after the decline: intents on Lumen = %+v, want %s requires_payment_method", ins, pi)
	}

	c.send("r")
	if got := intentOnScreen(t, c.waitFor(10*time.Second, "Waiting for the customer's card on Counter 1")); got != pi {
		t.Fatalf("the retry shows intent %s, want the same %s", got, pi)
	}
	if r := w.api.reader(t, w.lumen.Reader); r.Action == nil || r.Action.Status != pos.ActionInProgress || r.actionIntent() != pi {
		t.Fatalf("reader after the retry: %s, want %s in progress", r, pi)
	}
	c.presentTestCard(0)
	c.waitFor(10*time.Second, "APPROVED", "$8.00", "VISA", "4242", pi)

	ins = w.api.intents(t, w.lumen.Seller)
	if len(ins) != 1 || ins[0].ID != pi || ins[0].Status != pos.IntentSucceeded {
		t.Fatalf("intents on Lumen = %+v, want exactly %s succeeded", ins, pi)
	}
	recs := w.sales(t)
	if len(recs) != 1 {
		t.Fatalf("journal holds %d sales, want 1", len(recs))
	}
	if s := recs[0].Sale; s.State != pos.SaleApproved || s.IntentID != pi || s.Attempt != 2 {
		t.Fatalf("journal: %s intent %s attempt %d, want approved %s on attempt 2", s.State, s.IntentID, s.Attempt, pi)
	}
}

// TestConsoleCancelWhileWaiting: esc while the reader waits for the card
// asks for confirmation; y clears the reader and cancels the intent.
func TestConsoleCancelWhileWaiting(t *testing.T) {
	requireTmux(t)
	w := newWorld(t)
	c := w.startConsole(t)
	pi := intentOnScreen(t, c.ringUp("333", "$3.33"))
	if r := w.api.reader(t, w.lumen.Reader); r.Action == nil || r.Action.Status != pos.ActionInProgress || r.actionIntent() != pi {
		t.Fatalf("reader while waiting: %s, want %s in progress", r, pi)
	}

	c.send("Escape")
	c.waitFor(5*time.Second, "Cancel this payment?")
	c.send("y")
	c.waitFor(10*time.Second, "Canceled", "nothing was charged", "enter continues")

	ins := w.api.intents(t, w.lumen.Seller)
	if len(ins) != 1 || ins[0].ID != pi || ins[0].Status != pos.IntentCanceled {
		t.Fatalf("intents on Lumen = %+v, want exactly %s canceled", ins, pi)
	}
	if r := w.api.reader(t, w.lumen.Reader); r.Action != nil {
		t.Fatalf("reader after the cancel: %s, want its action cleared", r)
	}
	recs := w.sales(t)
	if len(recs) != 1 || recs[0].Sale.State != pos.SaleCanceled || recs[0].Sale.IntentID != pi {
		t.Fatalf("journal: %d sales, first %s", len(recs), recs[0].Sale.State)
	}

	// enter goes back to the register with the cart kept.
	c.send("Enter")
	c.waitFor(5*time.Second, "Register · Lumen Coffee · USD", "3.33")
}

// TestConsoleSonnenkornHasItsLocation: the demo seller "Sonnenkorn" sells
// at "Bäckerei Sonnenkorn" (tied by metadata, the name does not start with
// the seller's) and gets to its reader.
func TestConsoleSonnenkornHasItsLocation(t *testing.T) {
	requireTmux(t)
	w := newWorld(t)
	c := w.startConsole(t)
	c.typeText("sonnen")
	c.send("Enter")
	c.waitFor(10*time.Second, "Choose a location for Sonnenkorn", "Bäckerei Sonnenkorn", "Bergmannstraße 12")
	c.send("Enter")
	c.waitFor(10*time.Second, "Counter 1", "online")
}
