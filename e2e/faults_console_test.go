package e2e

import (
	"strings"
	"testing"
	"time"

	"kasse/pos"
)

// TestConsoleSaleThroughInjectedFaults: the sandbox drops the answer to the
// first create (the intent exists, the console hears nothing) and answers
// the first process_payment_intent with terminal_reader_timeout although
// the reader took the command (the documented false negative). The console
// must end with exactly one intent, waiting on the reader, and — after the
// card — an approved sale on screen and in the journal.
func TestConsoleSaleThroughInjectedFaults(t *testing.T) {
	requireTmux(t)
	w := newWorld(t,
		"--fault", "drop@POST:/v1/payment_intents x1",
		"--fault", "reader_timeout_applied@POST:/v1/terminal/readers/{id}/process_payment_intent x1")
	c := w.startConsole(t)
	screen := c.ringUp("1800", "$18.00") // not a test-amount ending (…75 would decline)
	pi := intentOnScreen(t, screen)

	ins := w.api.intents(t, w.lumen.Seller)
	if len(ins) != 1 || ins[0].ID != pi {
		t.Fatalf("intents on Lumen after the faults = %+v, want exactly %s", ins, pi)
	}
	if r := w.api.reader(t, w.lumen.Reader); r.actionIntent() != pi {
		t.Fatalf("the reader holds %s, want %s", r, pi)
	}

	c.presentTestCard(0) // Visa · approved
	c.waitFor(10*time.Second, "APPROVED", "$18.00", "VISA", "4242", pi)
	ins = w.api.intents(t, w.lumen.Seller)
	if len(ins) != 1 || ins[0].Status != pos.IntentSucceeded {
		t.Fatalf("intents on Lumen after the card = %+v, want one succeeded", ins)
	}
	recs := w.sales(t)
	if len(recs) != 1 || recs[0].Sale.State != pos.SaleApproved || recs[0].Sale.IntentID != pi {
		t.Fatalf("journal = %+v, want one approved sale on %s", recs, pi)
	}
	// Both faults really fired: the sandbox logs every request it served
	// (status 0 = the connection was dropped after the create took effect).
	log := tail(w.sandboxLog, 400)
	for _, want := range []string{"method=POST path=/v1/payment_intents account=" + w.lumen.Seller + " status=0",
		"/process_payment_intent account=\"\" status=400"} {
		if !strings.Contains(log, want) {
			t.Errorf("the sandbox log lacks %q: the fault did not fire\n%s", want, log)
		}
	}
}
