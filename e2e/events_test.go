package e2e

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"kasse/internal/testkit"
	"kasse/journal"
	"kasse/pos"
)

// Stripe's events reaching Kasse (package events), with the real binary:
// `kasse webhooks serve` takes a refund made straight on the sandbox (as
// in the Dashboard) into the journal and onto the console's screen; a
// console that was off catches up from the Events API; the disputes desk
// in tmux answers a dispute with test evidence and wins it.

// webhooks is a `kasse webhooks serve` process.
type webhooks struct {
	cmd      *exec.Cmd
	out, err *testkit.SyncBuffer
	done     chan struct{}
}

var servingRE = regexp.MustCompile(`listening on (http://\S+)`)

// freePort is a loopback address whose port was free a moment ago.
func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// endpoint registers a connect webhook endpoint on the sandbox for url
// with the events Kasse acts on, and returns its signing secret.
func (w *world) endpoint(t *testing.T, u string) string {
	t.Helper()
	form := url.Values{"url": {u}, "connect": {"true"}}
	for i, e := range pos.WebhookEvents() {
		form.Set("enabled_events["+strconv.Itoa(i)+"]", e)
	}
	var we struct {
		Secret string `json:"secret"`
	}
	if err := w.api.do(http.MethodPost, "/v1/webhook_endpoints", "", form, &we); err != nil || !strings.HasPrefix(we.Secret, "whsec_") {
		t.Fatalf("create webhook endpoint: %v (%q)", err, we.Secret)
	}
	return we.Secret
}

// serveWebhooks runs `kasse webhooks serve --addr addr` with secret in
// KASSE_WEBHOOK_SECRET (never a flag) until the test ends.
func (w *world) serveWebhooks(t *testing.T, addr, secret string) *webhooks {
	t.Helper()
	args := append(append([]string{"webhooks", "serve"}, w.flags()...), "--addr", addr, "--catch-up", "0")
	cmd := exec.Command(kasseBin, args...)
	cmd.Env = append(w.env(), "KASSE_WEBHOOK_SECRET="+secret)
	p := &webhooks{cmd: cmd, out: &testkit.SyncBuffer{}, err: &testkit.SyncBuffer{}, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = p.out, p.err
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { _ = cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		select {
		case <-p.done:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			<-p.done
		}
	})
	if !eventually(15*time.Second, 20*time.Millisecond, func() bool { return servingRE.MatchString(p.out.String()) }) {
		t.Fatalf("kasse webhooks serve did not start\nstdout: %s\nstderr: %s", p.out, p.err)
	}
	return p
}

// journalRefund reads the journal's refund with Stripe id re.
func (w *world) journalRefund(t *testing.T, re string) (pos.RefundFlow, bool) {
	t.Helper()
	j, err := journal.Open(w.journalPath())
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	rf, ok, err := j.RefundByStripeID(context.Background(), re)
	if err != nil {
		t.Fatal(err)
	}
	return rf, ok
}

// dashboardRefund refunds amount (minor units) of pi on seller straight
// on the sandbox, as the Dashboard would: no Kasse metadata.
func (w *world) dashboardRefund(t *testing.T, seller, pi string, amount int64) string {
	t.Helper()
	var r apiRefund
	form := url.Values{"payment_intent": {pi}, "amount": {strconv.FormatInt(amount, 10)}}
	if err := w.api.do(http.MethodPost, "/v1/refunds", seller, form, &r); err != nil {
		t.Fatal(err)
	}
	return r.ID
}

// TestWebhooksServeSeesADashboardRefund: a sale by kasse charge; a
// refund of 4.00 made straight on the sandbox reaches kasse webhooks
// serve signed; the journal has it (once), and the console that runs
// meanwhile says so in its status line. The secret is nowhere in the
// output or the log.
func TestWebhooksServeSeesADashboardRefund(t *testing.T) {
	w := newWorld(t)
	sale := w.chargeOK(t, "--seller", w.lumen.Seller, "--reader", w.lumen.Reader, "--amount", "12.50", "--simulate-card", "4242424242424242")
	addr := freePort(t)
	secret := w.endpoint(t, "http://"+addr+"/")
	hooks := w.serveWebhooks(t, addr, secret)
	c := w.startConsole(t)

	re := w.dashboardRefund(t, w.lumen.Seller, sale.IntentID, 400)
	c.waitFor(20*time.Second, "$4.00 refunded outside Kasse: sale "+sale.SaleID+" at Lumen Coffee")
	rf, ok := w.journalRefund(t, re)
	if !ok || rf.SaleID != sale.SaleID || rf.Amount != 400 || rf.State != pos.RefundSucceeded {
		t.Fatalf("journal refund %s: %+v (found %v)\nwebhooks: %s%s", re, rf, ok, hooks.out, hooks.err)
	}
	if !strings.Contains(hooks.err.String(), "webhook received") || !strings.Contains(hooks.err.String(), "event applied") {
		t.Errorf("webhooks serve logged no delivery:\n%s", hooks.err)
	}
	for _, out := range []string{hooks.out.String(), hooks.err.String(), tail(w.logPath(), 10000)} {
		if strings.Contains(out, secret) {
			t.Fatal("the webhook secret is in the output or the log")
		}
	}
}

// TestCatchUpAfterTheConsoleWasDown: a console runs (its catch-up puts a
// cursor in the journal) and quits; meanwhile a refund is made in the
// Dashboard and an authorized sale is voided elsewhere; the console,
// started again with no webhooks, reads both from the Events API: the
// journal has them and the screen says so.
func TestCatchUpAfterTheConsoleWasDown(t *testing.T) {
	w := newWorld(t)
	paid := w.chargeOK(t, "--seller", w.lumen.Seller, "--reader", w.lumen.Reader, "--amount", "8.00", "--simulate-card", "4242424242424242")
	// The next sale is only authorized (manual capture).
	if err := os.MkdirAll(filepath.Join(w.config, "kasse"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(w.config, "kasse", "config.toml"), []byte("capture_method = \"manual\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	auth := w.authorize(t, "3.00")
	c := w.startConsole(t)
	if !eventually(20*time.Second, 100*time.Millisecond, func() bool { return w.cursor(t, w.lumen.Seller) }) {
		t.Fatalf("the console's catch-up set no cursor for Lumen\nlog:\n%s", w.logTail())
	}
	c.send("C-c")
	c.waitExit(10 * time.Second)

	re := w.dashboardRefund(t, w.lumen.Seller, paid.IntentID, 250)
	var voided apiIntent
	if err := w.api.do(http.MethodPost, "/v1/payment_intents/"+auth.IntentID+"/cancel", w.lumen.Seller, url.Values{}, &voided); err != nil || voided.Status != "canceled" {
		t.Fatalf("void elsewhere: %v %s", err, voided.Status)
	}

	c2 := w.startConsole(t)
	c2.waitFor(20*time.Second, "Sale "+auth.SaleID+" at Lumen Coffee ($3.00) was canceled elsewhere (+1 more)")
	if _, ok := w.journalRefund(t, re); !ok {
		t.Errorf("the Dashboard refund %s is not in the journal", re)
	}
	if s := w.sale(t, auth.SaleID); s.Sale.State != pos.SaleCanceled {
		t.Errorf("the sale voided elsewhere is %s in the journal", s.Sale.State)
	}
}

// cursor reports whether the journal has an Events API cursor for seller.
func (w *world) cursor(t *testing.T, seller string) bool {
	t.Helper()
	j, err := journal.Open(w.journalPath())
	if err != nil {
		return false
	}
	defer j.Close()
	_, ok, err := j.EventCursor(context.Background(), pos.Account(seller))
	return ok && err == nil
}

// TestDisputesDeskInTmux: a sale paid with the dispute test card is
// disputed; a refund of it is refused before any request; the supervisor
// opens the desk (f5), finds the dispute linked to the sale, stages the
// test evidence with the PIN, submits it, and the dispute is won.
func TestDisputesDeskInTmux(t *testing.T) {
	w := newWorld(t)
	w.withOperators(t, map[string]string{"bea": beaPIN})
	sale := w.chargeOK(t, "--seller", w.lumen.Seller, "--reader", w.lumen.Reader, "--amount", "42.00",
		"--simulate-card", "4000000000000259")
	type apiDispute struct {
		ID       string `json:"id"`
		Status   string `json:"status"`
		Evidence struct {
			UncategorizedText *string `json:"uncategorized_text"`
		} `json:"evidence"`
	}
	var dp apiDispute
	if !eventually(20*time.Second, 100*time.Millisecond, func() bool {
		ds, err := list[apiDispute](w.api, "/v1/disputes", w.lumen.Seller, url.Values{"payment_intent": {sale.IntentID}})
		if err == nil && len(ds) == 1 {
			dp = ds[0]
		}
		return dp.ID != ""
	}) {
		t.Fatal("the sandbox opened no dispute for the dispute card")
	}

	// kasse refund refuses before any refund request.
	before := strings.Count(tail(w.sandboxLog, 100000), "method=POST path=/v1/refunds")
	cmd := exec.Command(kasseBin, append(append([]string{"refund"}, w.flags()...), "--operator", "bea", "--seller", w.lumen.Seller,
		"--payment-intent", sale.IntentID, "--reason", "requested_by_customer")...)
	cmd.Env, cmd.Stdin = w.env(), strings.NewReader(beaPIN+"\n")
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "disputed") {
		t.Fatalf("kasse refund of a disputed sale: %v\n%s", err, out)
	}
	if after := strings.Count(tail(w.sandboxLog, 100000), "method=POST path=/v1/refunds"); after != before {
		t.Errorf("a refund request reached the sandbox (%d → %d)", before, after)
	}

	c := w.startConsole(t)
	c.requireBackOffice()
	c.send("F5")
	c.signIn("Disputes needs a supervisor's PIN", "bea", beaPIN)
	c.waitFor(20*time.Second, "Disputes · opened by bea", "1 dispute", "fraudulent", "needs a response", sale.SaleID)
	c.send("Enter")
	c.waitFor(10*time.Second, "Dispute "+dp.ID, "$42.00", "refused while the chargeback stands", "VISA ····0259")
	c.send("e")
	c.waitFor(5*time.Second, "Evidence for "+dp.ID, "In-person sale at Lumen Coffee")
	c.send("Tab", "Tab", "Tab", "Tab", "Tab") // to the explanation
	c.typeText("winning_evidence")
	c.send("Tab", "Right") // without the receipt: the test evidence alone
	c.send("Tab", "Tab", "Tab")
	c.typeText(beaPIN)
	c.send("Enter")
	c.waitFor(15*time.Second, "Evidence staged for "+dp.ID)
	c.send("Escape")
	c.waitFor(10*time.Second, "Evidence (submitted 0×)", "winning_evidence")
	c.send("s")
	c.waitFor(5*time.Second, "Submit the evidence of "+dp.ID)
	c.send("Tab", "Tab")
	c.typeText(beaPIN)
	c.send("Enter")
	c.waitFor(15*time.Second, "Evidence submitted for "+dp.ID)
	c.send("Escape")
	// Back on the dispute's detail before ctrl+r: an escape followed at once
	// by another key reaches the console as one alt-key (tmux's escape-time).
	c.waitFor(10*time.Second, "Dispute "+dp.ID)
	if !eventually(20*time.Second, 300*time.Millisecond, func() bool {
		c.send("C-r")
		return strings.Contains(c.capture(), "won")
	}) {
		t.Fatalf("the dispute was not won:\n%s", c.capture())
	}
	ds, err := list[apiDispute](w.api, "/v1/disputes", w.lumen.Seller, nil)
	if err != nil || len(ds) != 1 || ds[0].Status != "won" || ds[0].Evidence.UncategorizedText == nil || *ds[0].Evidence.UncategorizedText != "winning_evidence" {
		t.Fatalf("the sandbox's dispute: %+v %v", ds, err)
	}
	for _, p := range []string{w.logPath(), w.journalPath()} {
		if b, _ := os.ReadFile(p); strings.Contains(string(b), beaPIN) {
			t.Errorf("%s contains the PIN", filepath.Base(p))
		}
	}
}
