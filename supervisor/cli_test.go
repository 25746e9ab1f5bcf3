package supervisor_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"kasse/i18n"
	"kasse/internal/cli"
	"kasse/journal"
	"kasse/supervisor"
)

type run struct {
	code           int
	stdout, stderr string
}

func (e *env) refundCmd(stdin string, args ...string) run {
	var out, errb bytes.Buffer
	code := supervisor.RunRefund(context.Background(), e.deps, args, cli.IO{In: strings.NewReader(stdin), Out: &out, Err: &errb})
	return run{code, out.String(), errb.String()}
}

func (e *env) pinCmd(stdin string, args ...string) run {
	var out, errb bytes.Buffer
	code := supervisor.RunPin(context.Background(), e.deps, args, cli.IO{In: strings.NewReader(stdin), Out: &out, Err: &errb})
	return run{code, out.String(), errb.String()}
}

func TestRunRefundJSONAndText(t *testing.T) {
	e := newEnv(t)
	in := e.sale(2000, false)
	r := e.refundCmd("739184\n", "--seller", string(e.seller.ID), "--payment-intent", in.ID, "--amount", "5.00",
		"--reason", "requested_by_customer", "--why", "scratched", "--json")
	if r.code != 0 {
		t.Fatalf("exit %d: %s %s", r.code, r.stdout, r.stderr)
	}
	var got supervisor.RefundJSON
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatalf("%v: %s", err, r.stdout)
	}
	if got.Status != "succeeded" || got.Amount != 500 || got.Currency != "usd" || got.Remaining != 1500 ||
		got.IntentID != in.ID || got.Seller != string(e.seller.ID) || !strings.HasPrefix(got.RefundID, "re_") || got.ExitCode != 0 {
		t.Fatalf("json = %+v", got)
	}
	for _, key := range []string{`"refund_id"`, `"status"`, `"amount"`, `"currency"`, `"remaining"`, `"intent_id"`, `"seller"`} {
		if !strings.Contains(r.stdout, key) {
			t.Errorf("json lacks %s", key)
		}
	}
	// Same code path and audit entry as the console.
	if sub := e.auditOf("refund.submit"); len(sub) != 1 || sub[0].Who != "ann" || sub[0].Reason != "scratched" {
		t.Fatalf("audit = %+v", sub)
	}
	// Text, full rest, another supervisor.
	r = e.refundCmd("5802\n", "--seller", string(e.seller.ID), "--payment-intent", in.ID, "--reason", "duplicate", "--operator", "sam")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "Refunded $15.00 of "+in.ID) || !strings.Contains(r.stdout, "remaining  $0.00") {
		t.Fatalf("text: %d %q %q", r.code, r.stdout, r.stderr)
	}
}

func TestRunRefundExitCodes(t *testing.T) {
	e := newEnv(t)
	in := e.sale(1000, false)
	base := []string{"--seller", string(e.seller.ID), "--payment-intent", in.ID}
	with := func(extra ...string) []string { return append(append([]string(nil), base...), extra...) }
	cases := []struct {
		name, stdin string
		args        []string
		code        int
		msg         string
	}{
		{"no reason", "739184\n", with(), 64, "--reason is required"},
		{"bad reason", "739184\n", with("--reason", "oops"), 64, `refund reason "oops"`},
		{"pin flag", "", with("--reason", "duplicate", "--pin", "739184"), 64, "there is no PIN flag"},
		{"pin flag =", "", with("--reason", "duplicate", "-pin=739184"), 64, "there is no PIN flag"},
		{"no pin", "", with("--reason", "duplicate"), 64, "no PIN on stdin"},
		{"bad seller", "739184\n", []string{"--seller", "bob", "--payment-intent", in.ID, "--reason", "duplicate"}, 64, "acct_"},
		{"bad amount", "739184\n", with("--reason", "duplicate", "--amount", "5.555"), 64, "--amount"},
		{"zero amount", "739184\n", with("--reason", "duplicate", "--amount", "0"), 64, "more than zero"},
		{"cashier", "1357\n", with("--reason", "duplicate", "--operator", "bo"), 3, "bo is a cashier; refunds need a supervisor"},
		{"wrong pin", "111111\n", with("--reason", "duplicate"), 3, "wrong PIN, 4 tries left"},
		{"over-refund", "739184\n", with("--reason", "duplicate", "--amount", "10.01"), 1, "exceeds the $10.00 still refundable"},
	}
	for _, c := range cases {
		r := e.refundCmd(c.stdin, c.args...)
		if r.code != c.code || !strings.Contains(r.stderr, c.msg) {
			t.Errorf("%s: exit %d, stderr %q; want %d with %q", c.name, r.code, r.stderr, c.code, c.msg)
		}
		if strings.Contains(r.stdout+r.stderr, "739184") {
			t.Errorf("%s: output shows the PIN", c.name)
		}
	}
	if e.counter.Count("CreateRefund") != 0 {
		t.Fatalf("refunds were sent: %v", e.counter.Counts())
	}
	r := e.refundCmd("111111\n", with("--reason", "duplicate", "--json")...)
	var got supervisor.RefundJSON
	if json.Unmarshal([]byte(r.stdout), &got); r.code != 3 || got.Status != "refused" || got.ExitCode != 3 {
		t.Fatalf("refused json: %d %s", r.code, r.stdout)
	}
	if r := e.refundCmd("", "--help"); r.code != 0 || !strings.Contains(r.stdout, "never from a flag") {
		t.Fatalf("help: %d %q", r.code, r.stdout)
	}
}

func TestRunPin(t *testing.T) {
	e := newEnv(t)
	// A first PIN: new PIN twice, stored as a real argon2id hash.
	e.deps.Operators = append(e.deps.Operators, operators[0])
	e.deps.Operators[len(e.deps.Operators)-1].Name = "newbie"
	if r := e.pinCmd("739184\n739184\n", "set", "--operator", "newbie"); r.code != 3 || !strings.Contains(r.stderr, "--by SUPERVISOR") {
		t.Fatalf("first set without a supervisor: %+v", r)
	}
	if r := e.pinCmd("739184\n739184\n739184\n", "set", "--operator", "newbie", "--by", "ann"); r.code != 0 || r.stdout != "PIN set for newbie.\n" {
		t.Fatalf("first set: %+v", r)
	}
	h, err := e.journal.PinHash(context.Background(), "newbie")
	if err != nil || !strings.HasPrefix(h, "$argon2id$v=19$m=65536,t=2,p=2$") {
		t.Fatalf("stored hash %q, %v", h, err)
	}
	if st, err := os.Stat(e.jpath); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("journal mode after a PIN was set: %v, %v", st.Mode(), err)
	}
	cases := []struct {
		name, stdin string
		args        []string
		code        int
		msg         string
	}{
		{"unknown operator", "739184\n739184\n", []string{"set", "--operator", "zed"}, 64, `no operator named "zed"`},
		{"default operator has a PIN", "", []string{"set"}, 64, "ann has a PIN: their current PIN is needed first"},
		{"pin as argument", "", []string{"set", "--operator", "ann", "739184"}, 64, "never from arguments"},
		{"no verb", "", nil, 64, "usage: kasse pin set"},
		{"wrong current", "111111\n482916\n482916\n", []string{"set", "--operator", "ann"}, 3, "wrong PIN, 4 tries left"},
		{"weak new", "739184\n1111\n", []string{"set", "--operator", "ann"}, 1, "repeats a single digit"},
		{"mismatch", "739184\n482916\n482917\n", []string{"set", "--operator", "ann"}, 1, "the two new PINs differ"},
		{"cashier resets", "1357\n482916\n482916\n", []string{"set", "--operator", "ann", "--by", "bo"}, 3, "bo is a cashier; PIN resets need a supervisor"},
	}
	for _, c := range cases {
		r := e.pinCmd(c.stdin, c.args...)
		if r.code != c.code || !strings.Contains(r.stderr, c.msg) {
			t.Errorf("%s: exit %d, stderr %q; want %d with %q", c.name, r.code, r.stderr, c.code, c.msg)
		}
	}
	// Change: current PIN, then the new one twice.
	if r := e.pinCmd("739184\n482916\n482916\n", "set", "--operator", "ann"); r.code != 0 {
		t.Fatalf("change: %+v", r)
	}
	if err := e.svc.Guard.Authorize(context.Background(), supervisor.Attempt{Operator: "ann", Action: supervisor.ActionRefund, PIN: "482916"}); err != nil {
		t.Fatalf("the new PIN: %v", err)
	}
	// A forgotten PIN, reset by another supervisor with their own PIN.
	if r := e.pinCmd("5802\n739184\n739184\n", "set", "--operator", "ann", "--by", "sam"); r.code != 0 {
		t.Fatalf("reset: %+v", r)
	}
	set := e.auditOf("pin.set")
	if len(set) != 3 || set[2].Who != "sam" || set[2].Subject != "ann" || !strings.Contains(set[2].Detail, "reset by sam") ||
		set[0].Who != "ann" || set[0].Subject != "newbie" || !strings.Contains(set[0].Detail, "first PIN set by ann") {
		t.Fatalf("pin.set audit = %+v", set)
	}
}

// A first PIN needs a supervisor's PIN (--by), except for the very first
// supervisor of a journal: while no supervisor has a PIN, a supervisor
// sets their own. Nobody else can make themselves an operator with a PIN.
func TestFirstPINNeedsASupervisor(t *testing.T) {
	e := newEnv(t)
	j, err := journal.Open(filepath.Join(t.TempDir(), "fresh.db")) // no PIN in it yet
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	e.deps.Journal = j
	has := func(op string) bool {
		_, err := j.PinHash(context.Background(), op)
		return err == nil
	}
	// A tech or cashier cannot go first, not even before any supervisor.
	for _, op := range []string{"tess", "bo"} {
		r := e.pinCmd("482916\n482916\n", "set", "--operator", op)
		if r.code != 3 || !strings.Contains(r.stderr, op+"'s first PIN needs a supervisor's PIN") ||
			!strings.Contains(r.stderr, "set a supervisor's own first") || has(op) {
			t.Fatalf("%s first: %+v", op, r)
		}
	}
	// The very first supervisor sets their own.
	if r := e.pinCmd("739184\n739184\n", "set", "--operator", "ann"); r.code != 0 || !has("ann") {
		t.Fatalf("first supervisor: %+v", r)
	}
	// From now on every first PIN needs a supervisor — another supervisor's too.
	if r := e.pinCmd("5802\n5802\n", "set", "--operator", "sam"); r.code != 3 || !strings.Contains(r.stderr, "a supervisor already has a PIN") || has("sam") {
		t.Fatalf("second supervisor alone: %+v", r)
	}
	if r := e.pinCmd("111111\n482916\n482916\n", "set", "--operator", "tess", "--by", "ann"); r.code != 3 || !strings.Contains(r.stderr, "wrong PIN") || has("tess") {
		t.Fatalf("wrong supervisor PIN: %+v", r)
	}
	if r := e.pinCmd("739184\n482916\n482916\n", "set", "--operator", "tess", "--by", "ann"); r.code != 0 || !has("tess") {
		t.Fatalf("tess by ann: %+v", r)
	}
	if r := e.pinCmd("482916\n1357\n1357\n", "set", "--operator", "bo", "--by", "tess"); r.code != 3 || !strings.Contains(r.stderr, "tess is a tech") || has("bo") {
		t.Fatalf("bo by a tech: %+v", r)
	}
	// The Guard enforces it too, whoever calls it.
	g := &supervisor.Guard{Journal: j, Operators: e.deps.Operators, Now: e.clock.Now}
	err = g.SetPIN(context.Background(), supervisor.SetPINRequest{Operator: "bo", New: "1357"})
	if r, ok := supervisor.AsRefusal(err); !ok || r.Kind != supervisor.RefusedRole || has("bo") {
		t.Fatalf("SetPIN without a supervisor: %v", err)
	}
}

// kasse refund in German: the amount typed the German way (5,00), the
// refusals and the result in German, the JSON the same as in English.
func TestRunRefundInGerman(t *testing.T) {
	e := newEnv(t)
	in := e.sale(2000, false)
	de := i18n.New(i18n.German)
	refund := func(stdin string, args ...string) run {
		var out, errb bytes.Buffer
		code := supervisor.RunRefund(context.Background(), e.deps, args, cli.IO{In: strings.NewReader(stdin), Out: &out, Err: &errb, Loc: de})
		return run{code, out.String(), errb.String()}
	}
	base := []string{"--seller", string(e.seller.ID), "--payment-intent", in.ID}
	with := func(extra ...string) []string { return append(append([]string(nil), base...), extra...) }
	for _, c := range []struct {
		name, stdin string
		args        []string
		code        int
		msg         string
	}{
		{"no reason", "739184\n", with(), 64, "--reason ist Pflicht: requested_by_customer, duplicate oder fraudulent\n(siehe kasse refund --help)"},
		{"cashier", "1357\n", with("--reason", "duplicate", "--operator", "bo"), 3, "bo ist Kasse; Erstattungen brauchen Aufsicht"},
		{"wrong pin", "111111\n", with("--reason", "duplicate"), 3, "falsche PIN, noch 4 Versuche"},
		{"an English amount", "739184\n", with("--reason", "duplicate", "--amount", "1.250"), 64, "--amount: „1.250“ ist mehrdeutig"},
		{"over-refund", "739184\n", with("--reason", "duplicate", "--amount", "20,01"), 1, "die Erstattung von 20,01\u00a0$ übersteigt die noch erstattbaren 20,00\u00a0$"},
	} {
		if r := refund(c.stdin, c.args...); r.code != c.code || !strings.Contains(r.stderr, c.msg) {
			t.Errorf("%s: exit %d, stderr %q; want %d with %q", c.name, r.code, r.stderr, c.code, c.msg)
		}
	}
	r := refund("739184\n", with("--reason", "duplicate", "--amount", "5,00")...)
	if r.code != 0 || !strings.HasPrefix(r.stdout, "5,00\u00a0$ von "+in.ID+" bei "+string(e.seller.ID)+" erstattet\n") ||
		!strings.Contains(r.stdout, "  übrig      15,00\u00a0$\n") {
		t.Fatalf("German refund: %d %q %q", r.code, r.stdout, r.stderr)
	}
	if r := refund("", "--help"); r.code != 0 || !strings.HasPrefix(r.stdout, "Aufruf: kasse refund") {
		t.Errorf("German help: %q", r.stdout)
	}
	// --json says the same in every language.
	jsonOf := func(loc *i18n.Locale) string {
		var out, errb bytes.Buffer
		supervisor.RunRefund(context.Background(), e.deps, with("--reason", "duplicate", "--operator", "bo", "--json"),
			cli.IO{In: strings.NewReader("1357\n"), Out: &out, Err: &errb, Loc: loc})
		return out.String()
	}
	if en, ger := jsonOf(nil), jsonOf(de); en != ger || !strings.Contains(en, `"message":"bo is a cashier; refunds need a supervisor"`) {
		t.Errorf("--json differs by language:\n%s\n%s", en, ger)
	}
}
