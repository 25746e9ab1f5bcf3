package e2e

import (
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"kasse/pos"
)

// The console's back office (ui: f2 Transactions, f4 Readers), typed in
// tmux: a supervisor refunds part of a sale with a PIN; a technician pairs
// a simulated reader and runs a test payment on it. Both fail if the
// console is started without the back office (ui.Deps.Guard unset).

// operatorsConfig is the configuration of the back-office tests: the
// world's operator e2e is a cashier; bea a supervisor, tom a technician.
const operatorsConfig = `
[[operators]]
name = "e2e"
role = "cashier"

[[operators]]
name = "bea"
role = "supervisor"

[[operators]]
name = "tom"
role = "tech"
`

// withOperators writes the operators' configuration and sets their PINs
// with `kasse pin set`, as a shop would: bea, the first supervisor, sets
// her own (beaPIN unless pins names another), then she sets everybody
// else's first PIN with --by bea (PINs on stdin: bea's, then the new one
// twice).
func (w *world) withOperators(t *testing.T, pins map[string]string) {
	t.Helper()
	dir := filepath.Join(w.config, "kasse")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "config.toml"), []byte(operatorsConfig), 0o600); err != nil {
		t.Fatal(err)
	}
	bea, ok := pins["bea"]
	if !ok {
		bea = beaPIN
	}
	set := func(op, stdin string, extra ...string) {
		args := append([]string{"pin", "set"}, w.flags()...)
		args = append(append(args, "--operator", op), extra...)
		cmd := exec.Command(kasseBin, args...)
		cmd.Env = w.env()
		cmd.Stdin = strings.NewReader(stdin)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("kasse pin set --operator %s %v: %v\n%s\nlog:\n%s", op, extra, err, out, w.logTail())
		}
	}
	set("bea", bea+"\n"+bea+"\n")
	for op, pin := range pins {
		if op != "bea" {
			set(op, bea+"\n"+pin+"\n"+pin+"\n", "--by", "bea")
		}
	}
}

// requireBackOffice skips unless the seller list offers the back office.
func (c *console) requireBackOffice() {
	c.t.Helper()
	c.waitFor(5*time.Second, "f9 back office") // main.go wires Guard, Supervisor, Reports and Fleet
}

// openTransactions opens Transactions as bea (f2 and her PIN) and waits
// for the row of payment pi in state.
func (c *console) openTransactions(pi, state string) {
	c.t.Helper()
	c.send("F2")
	c.signIn("Transactions needs a supervisor's PIN", "bea", beaPIN)
	c.waitFor(15*time.Second, "Transactions · opened by bea", pi, state)
}

// signIn answers the PIN prompt that opened with an area's f-key.
func (c *console) signIn(prompt, operator, pin string) {
	c.t.Helper()
	c.waitFor(5*time.Second, prompt, "Operator", "PIN")
	c.send("C-u")
	c.typeText(operator)
	c.send("Tab")
	c.typeText(pin)
	c.send("Enter")
}

type apiRefund struct {
	ID            string `json:"id"`
	Amount        int64  `json:"amount"`
	Status        string `json:"status"`
	PaymentIntent string `json:"payment_intent"`
	Reason        string `json:"reason"`
}

// beaPIN is long and irregular so that finding it in a log or journal
// can only mean it leaked, never a coincidence with an id or a timestamp.
const beaPIN = "739184620573"

// TestConsoleRefundWithPIN: a 12.50 sale at Lumen Coffee; back on the
// seller list f2 opens Transactions with bea's PIN; the sale is the newest
// row; r refunds 5.00 as a duplicate with the PIN again → "Still
// refundable: $7.50", and Stripe holds exactly that refund; neither the
// PIN nor the API key is in the log or the journal afterwards.
func TestConsoleRefundWithPIN(t *testing.T) {
	w := newWorld(t)
	w.withOperators(t, map[string]string{"bea": beaPIN})
	c := w.startConsole(t)
	c.requireBackOffice()
	pi := intentOnScreen(t, c.ringUp("1250", "$12.50"))
	c.presentTestCard(0)
	c.waitFor(10*time.Second, "APPROVED", pi)
	c.toSellers()

	c.openTransactions(pi, "approved")
	c.send("Enter") // the newest row: this sale
	c.waitFor(10*time.Second, "Payment "+pi, "Refundable", "$12.50")
	c.send("r")
	c.waitFor(5*time.Second, "Refund "+pi, "empty = all $12.50 still refundable")
	c.typeText("5")
	c.send("Tab", "Right", "Tab") // reason: duplicate
	c.typeText("e2e")
	c.send("Tab", "Tab")
	c.typeText(beaPIN)
	screen := c.waitFor(5*time.Second, "••••", "duplicate")
	if strings.Contains(screen, beaPIN) {
		t.Fatalf("the PIN shows on screen:\n%s", screen)
	}
	c.send("Enter")
	c.waitFor(30*time.Second, "succeeded: $5.00. Still refundable: $7.50.")

	var page struct {
		Data []apiRefund `json:"data"`
	}
	if err := w.api.do(http.MethodGet, "/v1/refunds", w.lumen.Seller, url.Values{"payment_intent": {pi}}, &page); err != nil {
		t.Fatal(err)
	}
	if len(page.Data) != 1 || page.Data[0].Amount != 500 || page.Data[0].Status != "succeeded" || page.Data[0].Reason != "duplicate" {
		t.Fatalf("refunds of %s on Stripe = %+v, want one of 500, succeeded, duplicate", pi, page.Data)
	}
	c.send("Enter") // back to the payment, reloaded
	c.waitFor(10*time.Second, "Refunds (1)", page.Data[0].ID, "$7.50")

	// The PIN never reached the log or the journal (it is stored only as
	// an argon2id hash), and neither did the API key.
	for _, p := range []string{w.logPath(), w.journalPath(), w.journalPath() + "-wal"} {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatalf("read %s: %v", p, err)
		}
		for _, secret := range []string{beaPIN, "sk_test_KasseSandbox"} {
			if strings.Contains(string(b), secret) {
				t.Errorf("%s contains %q", filepath.Base(p), secret)
			}
		}
	}
}

var readerIDRE = regexp.MustCompile(`tmr_[A-Za-z0-9]+`)

// TestConsolePairSimulatedReaderThenTestPayment: f4 opens Readers with
// tom's PIN; p pairs simulated-wpe as "E2E Counter" at Lumen Coffee
// Roasters; the new reader's detail opens; t runs a test payment (Lumen's
// smallest charge, Visa 4242 presented) → PASS, with the time from
// hand-off to result; the test intent is voided on Stripe.
func TestConsolePairSimulatedReaderThenTestPayment(t *testing.T) {
	w := newWorld(t)
	w.withOperators(t, map[string]string{"tom": "1357"})
	c := w.startConsole(t)
	c.requireBackOffice()
	c.send("F4")
	c.signIn("Readers needs a technician's PIN", "tom", "1357")
	c.waitFor(15*time.Second, "Readers · opened by tom", "Lumen Coffee Roasters", "Counter 1")
	c.send("p")
	c.waitFor(5*time.Second, "Pair a reader", "simulated-wpe / simulated-s700")
	c.typeText("simulated-wpe")
	c.send("Tab")
	c.typeText("E2E Counter")
	c.send("Tab")
	if !eventually(5*time.Second, 0, func() bool {
		if strings.Contains(c.capture(), "‹ Lumen Coffee Roasters ·") {
			return true
		}
		c.send("Right")
		time.Sleep(100 * time.Millisecond)
		return false
	}) {
		t.Fatalf("no location choice for Lumen Coffee Roasters:\n%s", c.capture())
	}
	c.send("Enter")
	screen := c.waitFor(15*time.Second, "Registered E2E Counter (tmr_", "at Lumen Coffee Roasters")
	rid := readerIDRE.FindString(screen[strings.Index(screen, "Registered E2E Counter"):])
	if r := w.api.reader(t, rid); r.Label != "E2E Counter" || r.Location != w.lumen.Location {
		t.Fatalf("reader on Stripe = %+v, want E2E Counter at %s", r, w.lumen.Location)
	}

	c.send("t")
	c.waitFor(5*time.Second, "Test payment on E2E Counter", "Lumen Coffee (USD)", "smallest valid: $0.50", "Visa · approved")
	c.send("Enter")
	screen = c.waitFor(60*time.Second, "PASS", "approved", "Hand-off → result", "(voided)")
	pi := intentOnScreen(t, screen)
	var in apiIntent
	if err := w.api.do(http.MethodGet, "/v1/payment_intents/"+pi, w.lumen.Seller, nil, &in); err != nil {
		t.Fatal(err)
	}
	if in.Status != pos.IntentCanceled || in.Amount != 50 {
		t.Fatalf("test intent %s = %+v, want canceled (voided) for 50", pi, in)
	}
}

// TestConsoleDemoOperatorsOutOfTheBox: with no configuration the sandbox's
// first screen names the demo operators and their PINs, and those PINs
// open the back office: bea's Transactions, tom's Readers.
func TestConsoleDemoOperatorsOutOfTheBox(t *testing.T) {
	w := newWorld(t)
	c := w.startConsole(t)
	c.waitFor(5*time.Second, "Sandbox demo operators", "anna cashier PIN 3141", "bea supervisor PIN 2718", "tom tech PIN 1618")
	c.requireBackOffice()
	c.send("F2")
	c.waitFor(5*time.Second, "Sandbox demo: bea (supervisor) PIN 2718")
	c.signIn("Transactions needs a supervisor's PIN", "bea", "2718")
	c.waitFor(15*time.Second, "Transactions · opened by bea")
	c.send("Escape")
	c.waitFor(5*time.Second, "Choose a seller")
	c.send("F4")
	c.signIn("Readers needs a technician's PIN", "tom", "1618")
	c.waitFor(15*time.Second, "Readers · opened by tom", "Bäckerei Sonnenkorn")
}
