package e2e

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
	"time"

	"kasse/pos"
)

// Issue 10, finding 4: quitting the console mid-sale. ctrl+c asks; c
// clears the reader (it still shows this payment) and cancels the intent,
// and the console quits only then. On today's main a second ctrl+c quit
// with the intent open and the reader primed.
func TestConsoleQuitMidSaleCancelsFirst(t *testing.T) {
	requireTmux(t)
	w := newWorld(t)
	c := w.startConsole(t)
	pi := intentOnScreen(t, c.ringUp("1250", "$12.50"))

	c.send("C-c")
	c.waitFor(5*time.Second, "Quit while a payment is under way?", "$12.50 at Lumen Coffee", "keep it open and quit")
	c.send("c")
	status := c.waitExit(15 * time.Second)
	t.Logf("console exited: %s", status)

	ins := w.api.intents(t, w.lumen.Seller)
	if len(ins) != 1 || ins[0].ID != pi || ins[0].Status != pos.IntentCanceled {
		t.Fatalf("intents on Lumen = %+v, want exactly %s canceled", ins, pi)
	}
	if r := w.api.reader(t, w.lumen.Reader); r.Action != nil {
		t.Fatalf("reader after quitting: %s, want idle", r)
	}
	recs := w.sales(t)
	if len(recs) != 1 || recs[0].Sale.State != pos.SaleCanceled || recs[0].Sale.IntentID != pi {
		t.Fatalf("journal: %+v", recs)
	}
	// Nothing is left for the next start.
	c2 := w.startConsole(t)
	screen := c2.capture()
	if strings.Contains(screen, "unfinished sale") || strings.Contains(screen, "Reconciled") {
		t.Fatalf("the next start found something to settle:\n%s", screen)
	}
}

// Issue 10, finding 4 (after a restart): the cashier keeps the sale open
// on quitting (or the console dies); the next start reconciles it with
// Stripe and offers it: resume opens its live view, the customer pays.
func TestConsoleRestartOffersTheOpenSale(t *testing.T) {
	requireTmux(t)
	w := newWorld(t)
	c := w.startConsole(t)
	pi := intentOnScreen(t, c.ringUp("880", "$8.80"))
	c.send("C-c")
	c.waitFor(5*time.Second, "Quit while a payment is under way?")
	c.send("k")
	c.waitExit(10 * time.Second)
	if r := w.api.reader(t, w.lumen.Reader); r.Action == nil || r.Action.Status != pos.ActionInProgress || r.actionIntent() != pi {
		t.Fatalf("reader after keeping the sale: %s, want %s still in progress", r, pi)
	}
	sale := w.sales(t)[0].Sale

	c2 := w.startConsoleWith(t, w.flags())
	c2.waitFor(15*time.Second, "An unfinished sale was found", "$8.80 at Lumen Coffee", sale.ID, pi, "resume it")
	c2.send("Enter")
	c2.waitFor(10*time.Second, "Payment · $8.80 · Lumen Coffee", "Waiting for the customer's card on Counter 1", pi)
	w.api.present(t, w.lumen.Reader, visa)
	c2.waitFor(10*time.Second, "APPROVED", "$8.80", "4242", pi)
	assertOneIntent(t, w, pi, pos.IntentSucceeded)
	if rec := w.sale(t, sale.ID); rec.Sale.State != pos.SaleApproved || rec.Sale.Attempt != 1 {
		t.Fatalf("journal: %s, attempt %d (resuming must not resend the payment to the reader)", rec.Sale.State, rec.Sale.Attempt)
	}
	c2.send("Enter")
	c2.waitFor(5*time.Second, "Register · Lumen Coffee · USD")
}

// Issue 12, point 1: `kasse reconcile --json` settles what a killed
// `kasse charge` left and says what it did; a second run finds nothing.
func TestReconcileCommandSettlesAKilledCharge(t *testing.T) {
	w := newWorld(t)
	cmd, out, errOut := w.charge("--seller", w.lumen.Seller, "--reader", w.lumen.Reader, "--amount", "4.10", "--timeout", "1m")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	t.Cleanup(func() { _ = cmd.Process.Kill(); <-done })
	if !eventually(10*time.Second, 20*time.Millisecond, func() bool {
		recs, err := w.trySales()
		return err == nil && len(recs) == 1 && recs[0].Sale.State == pos.SaleWaitingForCard
	}) {
		t.Fatalf("kasse charge did not reach the card\nstdout: %s\nstderr: %s", out, errOut)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-done
	sale := crashed(t, w, pos.SaleWaitingForCard)

	run := func() (string, string, error) {
		rc := exec.Command(kasseBin, append(append([]string{"reconcile"}, w.flags()...), "--json")...)
		rc.Env = w.env()
		var o, e strings.Builder
		rc.Stdout, rc.Stderr = &o, &e
		err := rc.Run()
		return o.String(), e.String(), err
	}
	stdout, stderr, err := run()
	var rep struct {
		Sales []struct {
			SaleID   string `json:"sale_id"`
			IntentID string `json:"intent_id"`
			Was      string `json:"was"`
			Outcome  string `json:"outcome"`
		} `json:"sales"`
		Refunds []json.RawMessage `json:"refunds"`
	}
	if err != nil || json.Unmarshal([]byte(stdout), &rep) != nil {
		t.Fatalf("kasse reconcile: %v\n%s\n%s", err, stdout, stderr)
	}
	if len(rep.Sales) != 1 || rep.Sales[0].SaleID != sale.ID || rep.Sales[0].Was != "waiting_for_card" ||
		rep.Sales[0].Outcome != "canceled" || rep.Sales[0].IntentID != sale.IntentID {
		t.Fatalf("report: %s", stdout)
	}
	assertOneIntent(t, w, sale.IntentID, pos.IntentCanceled)
	if r := w.api.reader(t, w.lumen.Reader); r.Action != nil {
		t.Fatalf("reader after reconcile: %s", r)
	}
	assertNothingUnfinished(t, w)
	stdout, _, err = run()
	if err != nil || !strings.Contains(stdout, `"sales":[]`) {
		t.Fatalf("second run: %v %s", err, stdout)
	}
}

// Issue 12, point 1: `kasse refund` settles what a crash left before it
// refunds: a supervisor refunding an earlier sale closes the sale a killed
// `kasse charge` left waiting on the reader.
func TestRefundStartSettlesAKilledCharge(t *testing.T) {
	w := newWorld(t)
	w.withOperators(t, map[string]string{"bea": "482916"})
	paid := w.chargeOK(t, "--seller", w.sonnenkorn.Seller, "--reader", w.sonnenkorn.Reader, "--amount", "5.00",
		"--simulate-card", visa)

	cmd, out, errOut := w.charge("--seller", w.lumen.Seller, "--reader", w.lumen.Reader, "--amount", "2.20", "--timeout", "1m")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	t.Cleanup(func() { _ = cmd.Process.Kill(); <-done })
	var crashedID string
	if !eventually(10*time.Second, 20*time.Millisecond, func() bool {
		recs, err := w.trySales()
		for _, r := range recs {
			if err == nil && r.Sale.Seller == pos.Account(w.lumen.Seller) && r.Sale.State == pos.SaleWaitingForCard {
				crashedID = r.Sale.ID
				return true
			}
		}
		return false
	}) {
		t.Fatalf("kasse charge did not reach the card\nstdout: %s\nstderr: %s", out, errOut)
	}
	_ = cmd.Process.Kill()
	<-done

	rf := exec.Command(kasseBin, append(append([]string{"refund"}, w.flags()...), "--operator", "bea",
		"--seller", w.sonnenkorn.Seller, "--payment-intent", paid.IntentID, "--reason", "requested_by_customer", "--json")...)
	rf.Env = w.env()
	rf.Stdin = strings.NewReader("482916\n")
	if b, err := rf.CombinedOutput(); err != nil || !strings.Contains(string(b), `"succeeded"`) {
		t.Fatalf("kasse refund: %v\n%s\nlog:\n%s", err, b, w.logTail())
	}
	crashedSale := w.sale(t, crashedID).Sale
	if crashedSale.State != pos.SaleCanceled {
		t.Fatalf("the killed charge's sale is %s after kasse refund started", crashedSale.State)
	}
	assertOneIntent(t, w, crashedSale.IntentID, pos.IntentCanceled)
	if r := w.api.reader(t, w.lumen.Reader); r.Action != nil {
		t.Fatalf("reader: %s", r)
	}
	assertReconciledInLog(t, w, crashedID)
}
