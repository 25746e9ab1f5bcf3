package supervisor_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"kasse/internal/cli"
	"kasse/pos"
	"kasse/supervisor"
)

func (e *env) captureCmd(stdin string, args ...string) run {
	var out, errb bytes.Buffer
	code := supervisor.RunCapture(context.Background(), e.deps, args, cli.IO{In: strings.NewReader(stdin), Out: &out, Err: &errb})
	return run{code, out.String(), errb.String()}
}

func (e *env) voidCmd(stdin string, args ...string) run {
	var out, errb bytes.Buffer
	code := supervisor.RunVoid(context.Background(), e.deps, args, cli.IO{In: strings.NewReader(stdin), Out: &out, Err: &errb})
	return run{code, out.String(), errb.String()}
}

func decodeAuth(t *testing.T, r run) supervisor.AuthorizationJSON {
	t.Helper()
	var got supervisor.AuthorizationJSON
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatalf("%v: %q (stderr %q)", err, r.stdout, r.stderr)
	}
	return got
}

// kasse void: this console's authorized sale through its sale machine (the
// console's crash, issue 10 finding 3, with the runner `kasse` builds), and
// another console's payment directly; JSON and text.
func TestRunVoid(t *testing.T) {
	e := newEnv(t)
	e.deps.Runner = nil // as main builds it for a command: the default runner
	s := e.journalSale(2600, 0, true)
	r := e.voidCmd("739184\n", "--seller", string(e.seller.ID), "--payment-intent", s.IntentID, "--reason", "duplicate",
		"--why", "rang up twice", "--json")
	got := decodeAuth(t, r)
	if r.code != 0 || got.Status != "voided" || got.Action != "void" || got.Amount != 2600 || got.Currency != "usd" ||
		got.IntentStatus != pos.IntentCanceled || got.SaleID != s.ID || got.ExitCode != 0 {
		t.Fatalf("void json: %d %+v %q", r.code, got, r.stderr)
	}
	if saved, err := e.journal.Sale(context.Background(), s.ID); err != nil || saved.State != pos.SaleCanceled {
		t.Fatalf("journal sale after kasse void: %s, %v", saved.State, err)
	}
	if in, _ := e.client.GetIntent(context.Background(), e.seller.ID, s.IntentID); in.Status != pos.IntentCanceled || in.CancellationReason != "duplicate" {
		t.Fatalf("at the sandbox: %s (%s)", in.Status, in.CancellationReason)
	}
	if sub := e.auditOf("void.submit"); len(sub) != 1 || sub[0].Who != "ann" || sub[0].Reason != "rang up twice" {
		t.Fatalf("audit = %+v", sub)
	}

	in := e.sale(1800, true)
	r = e.voidCmd("5802\n", "--seller", string(e.seller.ID), "--payment-intent", in.ID, "--operator", "sam")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "Voided $18.00 of "+in.ID) || !strings.Contains(r.stdout, "status     canceled") {
		t.Fatalf("void text: %d %q %q", r.code, r.stdout, r.stderr)
	}
	// Voided already: nothing to do, exit 1, and the JSON says what the payment is.
	r = e.voidCmd("739184\n", "--seller", string(e.seller.ID), "--payment-intent", in.ID, "--json")
	if got := decodeAuth(t, r); r.code != 1 || got.Status != "error" || got.IntentStatus != pos.IntentCanceled ||
		!strings.Contains(r.stderr, "voided (canceled) already") {
		t.Fatalf("second void: %d %+v %q", r.code, got, r.stderr)
	}
}

func TestRunCapture(t *testing.T) {
	e := newEnv(t)
	e.deps.Runner = nil
	s := e.journalSale(1200, 0, true)
	r := e.captureCmd("739184\n", "--seller", string(e.seller.ID), "--payment-intent", s.IntentID)
	if r.code != 0 || !strings.HasPrefix(r.stdout, "Captured $12.00 of "+s.IntentID) || !strings.Contains(r.stdout, "sale       "+s.ID) {
		t.Fatalf("capture text: %d %q %q", r.code, r.stdout, r.stderr)
	}
	if saved, _ := e.journal.Sale(context.Background(), s.ID); saved.State != pos.SaleApproved {
		t.Fatalf("journal sale after kasse capture: %s", saved.State)
	}
	// Part of another console's authorization.
	in := e.sale(2000, true)
	r = e.captureCmd("739184\n", "--seller", string(e.seller.ID), "--payment-intent", in.ID, "--amount", "15.00", "--json")
	got := decodeAuth(t, r)
	if r.code != 0 || got.Status != "captured" || got.Amount != 1500 || got.IntentStatus != pos.IntentSucceeded {
		t.Fatalf("partial capture json: %d %+v %q", r.code, got, r.stderr)
	}
	// Captured already, and a captured payment cannot be voided.
	r = e.captureCmd("739184\n", "--seller", string(e.seller.ID), "--payment-intent", in.ID, "--json")
	if got := decodeAuth(t, r); r.code != 1 || got.IntentStatus != pos.IntentSucceeded || !strings.Contains(r.stderr, "captured already") {
		t.Fatalf("second capture: %d %+v %q", r.code, got, r.stderr)
	}
	r = e.voidCmd("739184\n", "--seller", string(e.seller.ID), "--payment-intent", in.ID)
	if r.code != 1 || !strings.Contains(r.stderr, "cannot be voided: refund it instead") {
		t.Fatalf("void of a captured payment: %d %q", r.code, r.stderr)
	}
}

func TestRunCaptureAndVoidRefusals(t *testing.T) {
	e := newEnv(t)
	in := e.sale(1000, true)
	base := []string{"--seller", string(e.seller.ID), "--payment-intent", in.ID}
	with := func(extra ...string) []string { return append(append([]string(nil), base...), extra...) }
	type cmd func(string, ...string) run
	cases := []struct {
		name  string
		cmd   cmd
		stdin string
		args  []string
		code  int
		msg   string
	}{
		{"void: bad reason", e.voidCmd, "739184\n", with("--reason", "oops"), 64, `void reason "oops"`},
		{"void: an amount", e.voidCmd, "739184\n", with("--amount", "5.00"), 64, "-amount"},
		{"void: pin flag", e.voidCmd, "", with("--pin", "739184"), 64, "there is no PIN flag"},
		{"void: no pin", e.voidCmd, "", with(), 64, "no PIN on stdin"},
		{"void: bad seller", e.voidCmd, "739184\n", []string{"--seller", "bob", "--payment-intent", in.ID}, 64, "acct_"},
		{"void: no payment", e.voidCmd, "739184\n", []string{"--seller", string(e.seller.ID)}, 64, "--payment-intent is required"},
		{"void: cashier", e.voidCmd, "1357\n", with("--operator", "bo"), 3, "bo is a cashier"},
		{"void: wrong pin", e.voidCmd, "111111\n", with(), 3, "wrong PIN, 4 tries left"},
		{"capture: wrong pin", e.captureCmd, "111111\n", with(), 3, "wrong PIN, 3 tries left"},
		{"capture: pin flag", e.captureCmd, "", with("-pin=739184"), 64, "there is no PIN flag"},
		{"capture: bad amount", e.captureCmd, "739184\n", with("--amount", "5.555"), 64, "--amount"},
		{"capture: zero", e.captureCmd, "739184\n", with("--amount", "0"), 64, "more than zero"},
		{"capture: too much", e.captureCmd, "739184\n", with("--amount", "10.01"), 1, "exceeds the $10.00 authorized"},
		{"capture: a reason", e.captureCmd, "739184\n", with("--reason", "duplicate"), 64, "-reason"},
		{"capture: tech", e.captureCmd, "2468\n", with("--operator", "tess"), 3, "tess is a tech"},
	}
	for _, c := range cases {
		r := c.cmd(c.stdin, c.args...)
		if r.code != c.code || !strings.Contains(r.stderr, c.msg) {
			t.Errorf("%s: exit %d, stderr %q; want %d with %q", c.name, r.code, r.stderr, c.code, c.msg)
		}
		if strings.Contains(r.stdout+r.stderr, "739184") {
			t.Errorf("%s: output shows the PIN", c.name)
		}
	}
	if n := e.counter.Count("CaptureIntent") + e.counter.Count("CancelIntent"); n != 0 {
		t.Fatalf("requests were sent: %v", e.counter.Counts())
	}
	r := e.voidCmd("111111\n", with("--json")...)
	if got := decodeAuth(t, r); r.code != 3 || got.Status != "refused" || got.ExitCode != 3 || got.Action != "void" {
		t.Fatalf("refused json: %d %s", r.code, r.stdout)
	}
	for _, c := range []cmd{e.voidCmd, e.captureCmd} {
		if r := c("", "--help"); r.code != 0 || !strings.Contains(r.stdout, "never from a flag") {
			t.Fatalf("help: %d %q", r.code, r.stdout)
		}
	}
	if got, _ := e.client.GetIntent(context.Background(), e.seller.ID, in.ID); got.Status != pos.IntentRequiresCapture {
		t.Fatalf("the payment is %s after refused commands", got.Status)
	}
}
