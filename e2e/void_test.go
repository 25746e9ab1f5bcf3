package e2e

import (
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"kasse/pos"
)

// Void and capture of an authorized (manual-capture) payment, with the
// real binary (issue 10, finding 3): the supervisor's void crashed the
// console and left the payment authorized and the journal "canceling".

// withManualCapture makes the world's operators (PINs set) and captures
// manually: sales are authorized, a supervisor captures or voids them.
func (w *world) withManualCapture(t *testing.T, pins map[string]string) {
	t.Helper()
	w.withOperators(t, pins)
	cfg := "capture_method = \"manual\"\n" + operatorsConfig
	if err := os.WriteFile(filepath.Join(w.config, "kasse", "config.toml"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
}

// authorize runs `kasse charge` with a simulated Visa and wants the sale
// authorized (requires_capture, exit 0).
func (w *world) authorize(t *testing.T, amount string) chargeResult {
	t.Helper()
	cmd, out, errOut := w.charge("--seller", w.lumen.Seller, "--reader", w.lumen.Reader, "--amount", amount,
		"--simulate-card", "4242424242424242")
	err := runWithin(cmd, 60*time.Second)
	var res chargeResult
	if jerr := json.Unmarshal([]byte(out.String()), &res); err != nil || jerr != nil || res.Status != "requires_capture" {
		t.Fatalf("kasse charge --amount %s: %v / %v\nstdout: %s\nstderr: %s\nlog:\n%s", amount, err, jerr, out, errOut, w.logTail())
	}
	return res
}

// runWithin runs cmd, killing it after timeout.
func runWithin(cmd *exec.Cmd, timeout time.Duration) error {
	if err := cmd.Start(); err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return err
	case <-time.After(timeout):
		_ = cmd.Process.Kill()
		return <-done
	}
}

// intentStatus is the payment's status at the sandbox.
func (w *world) intentStatus(t *testing.T, id string) string {
	t.Helper()
	var in apiIntent
	if err := w.api.do(http.MethodGet, "/v1/payment_intents/"+id, w.lumen.Seller, nil, &in); err != nil {
		t.Fatal(err)
	}
	return in.Status
}

// TestConsoleVoidsAnAuthorizedPayment: a 26.00 sale is authorized (manual
// capture); in the console f2 opens Transactions with bea's PIN, enter
// the payment, v voids it with the PIN again → "Voided", the console is
// alive, the sandbox has the PaymentIntent canceled and the journal the
// sale canceled.
func TestConsoleVoidsAnAuthorizedPayment(t *testing.T) {
	w := newWorld(t)
	w.withManualCapture(t, map[string]string{"bea": beaPIN})
	res := w.authorize(t, "26.00")
	pi := res.IntentID

	c := w.startConsole(t)
	c.requireBackOffice()
	c.openTransactions(pi, "uncaptured")
	c.send("Enter")
	c.waitFor(10*time.Second, "Payment "+pi, "Authorized $26.00, not captured.")
	c.send("v")
	c.waitFor(5*time.Second, "Void "+pi, "releases $26.00 held on the card")
	c.send("Tab") // reason: requested_by_customer; why:
	c.typeText("customer changed their mind")
	c.send("Tab", "Tab") // operator (bea), PIN
	c.typeText(beaPIN)
	c.send("Enter")
	c.waitFor(30*time.Second, "Voided "+pi, "the hold on the card is released")
	if dead, status := c.dead(); dead {
		t.Fatalf("the console died (%s):\n%s", status, c.capture())
	}
	if st := w.intentStatus(t, pi); st != pos.IntentCanceled {
		t.Fatalf("the sandbox has %s %s, want canceled", pi, st)
	}
	if s := w.sale(t, res.SaleID).Sale; s.State != pos.SaleCanceled {
		t.Fatalf("the journal has sale %s %s, want canceled", s.ID, s.State)
	}
	c.send("Enter") // back to the payment, read again
	c.waitFor(10*time.Second, "Payment "+pi, "canceled")
}

// TestCaptureAndVoidCommands: kasse capture and kasse void with the real
// binary, the PIN on stdin: a wrong PIN is refused (exit 3) and changes
// nothing; the right one captures one authorization and voids another;
// voiding the captured one is refused with the reason (exit 1).
func TestCaptureAndVoidCommands(t *testing.T) {
	w := newWorld(t)
	w.withManualCapture(t, map[string]string{"bea": beaPIN})
	kept, dropped := w.authorize(t, "12.00"), w.authorize(t, "8.00")
	cmd := func(stdin string, args ...string) (int, string, string) {
		c := exec.Command(kasseBin, append(append([]string{args[0]}, w.flags()...), args[1:]...)...)
		c.Env = w.env()
		c.Stdin = strings.NewReader(stdin)
		var out, errOut strings.Builder
		c.Stdout, c.Stderr = &out, &errOut
		err := runWithin(c, 60*time.Second)
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatalf("kasse %v: %v", args, err)
		}
		if strings.Contains(out.String()+errOut.String(), beaPIN) {
			t.Fatalf("kasse %v printed the PIN", args)
		}
		return code, out.String(), errOut.String()
	}
	on := func(pi string) []string {
		return []string{"--seller", w.lumen.Seller, "--payment-intent", pi, "--operator", "bea", "--json"}
	}

	code, out, errOut := cmd("111111\n", append([]string{"void"}, on(dropped.IntentID)...)...)
	if code != 3 || !strings.Contains(out, `"status":"refused"`) || !strings.Contains(errOut, "wrong PIN") {
		t.Fatalf("void with a wrong PIN: %d %s %s", code, out, errOut)
	}
	if st := w.intentStatus(t, dropped.IntentID); st != pos.IntentRequiresCapture {
		t.Fatalf("after a refused void the payment is %s", st)
	}
	code, out, errOut = cmd(beaPIN+"\n", append([]string{"capture"}, on(kept.IntentID)...)...)
	if code != 0 || !strings.Contains(out, `"status":"captured"`) || !strings.Contains(out, `"amount":1200`) {
		t.Fatalf("capture: %d %s %s\nlog:\n%s", code, out, errOut, w.logTail())
	}
	code, out, errOut = cmd(beaPIN+"\n", append([]string{"void"}, on(dropped.IntentID)...)...)
	if code != 0 || !strings.Contains(out, `"status":"voided"`) || !strings.Contains(out, `"intent_status":"canceled"`) {
		t.Fatalf("void: %d %s %s\nlog:\n%s", code, out, errOut, w.logTail())
	}
	code, out, errOut = cmd(beaPIN+"\n", append([]string{"void"}, on(kept.IntentID)...)...)
	if code != 1 || !strings.Contains(errOut, "refund it instead") || !strings.Contains(out, `"intent_status":"succeeded"`) {
		t.Fatalf("void of a captured payment: %d %s %s", code, out, errOut)
	}
	if a, b := w.intentStatus(t, kept.IntentID), w.intentStatus(t, dropped.IntentID); a != pos.IntentSucceeded || b != pos.IntentCanceled {
		t.Fatalf("at the sandbox: captured one %s, voided one %s", a, b)
	}
	if a, b := w.sale(t, kept.SaleID).Sale.State, w.sale(t, dropped.SaleID).Sale.State; a != pos.SaleApproved || b != pos.SaleCanceled {
		t.Fatalf("in the journal: captured one %s, voided one %s", a, b)
	}
}
