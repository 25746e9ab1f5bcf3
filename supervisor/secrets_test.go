package supervisor_test

import (
	"context"
	"encoding/hex"
	"fmt"
	"os"
	"strings"
	"testing"

	"kasse/journal"
	"kasse/sandbox"
	"kasse/supervisor"
)

// TestNoSecretAnywhere runs PIN set, refunds (headless, text and JSON, one
// with a dropped answer), a void, a lockout and the refusals that follow
// with a distinctive PIN and API key — the PIN even typed into --why by
// mistake — and then looks for them in every log line, every byte written
// to stdout and stderr, every audit row and the journal files themselves.
func TestNoSecretAnywhere(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	var screens []string
	keep := func(r run) run { screens = append(screens, r.stdout, r.stderr); return r }

	// The PIN is set for real (argon2id, DefaultParams) through the command.
	if r := keep(e.pinCmd("5802\n739184\n739184\n", "set", "--operator", "ann", "--by", "sam")); r.code != 0 {
		t.Fatalf("pin set: %+v", r)
	}
	in := e.sale(5000, false)
	args := []string{"--seller", string(e.seller.ID), "--payment-intent", in.ID, "--reason", "requested_by_customer", "--why", "pin 739184?"}
	if r := keep(e.refundCmd("739184\n", append(args, "--amount", "10.00")...)); r.code != 0 {
		t.Fatalf("refund: %+v", r)
	}
	e.srv.SetFaults([]sandbox.Fault{{Kind: sandbox.FaultDrop, Method: "POST", Route: "/v1/refunds", Times: 1}})
	if r := keep(e.refundCmd("739184\n", append(args, "--amount", "10.00", "--json")...)); r.code != 0 {
		t.Fatalf("refund with a dropped answer: %+v", r)
	}
	manual := e.sale(1200, true)
	if _, err := e.svc.Void(ctx20(t), e.authReq(manual.ID)); err != nil {
		t.Fatal(err)
	}
	// Five wrong PINs, then the right one while locked; errors as shown.
	for i := 0; i < 5; i++ {
		if r := keep(e.refundCmd("739185\n", args...)); r.code != 3 {
			t.Fatalf("wrong PIN %d: %+v", i, r)
		}
	}
	r := keep(e.refundCmd("739184\n", append(args, "--json")...))
	if r.code != 3 || !strings.Contains(r.stderr, "ann is locked until") {
		t.Fatalf("locked: %+v", r)
	}
	_, err := e.refund(supervisor.RefundRequest{IntentID: in.ID})
	screens = append(screens, err.Error(), fmt.Sprintf("%v %+v %#v", err, err, err))

	var audit []string
	list, _ := e.journal.ListAudit(ctx, journal.AuditFilter{Limit: 1000})
	for _, a := range list {
		audit = append(audit, fmt.Sprintf("%+v", a))
	}
	if len(list) < 15 || !strings.Contains(strings.Join(audit, "\n"), "Reason:pin [redacted]?") {
		t.Fatalf("%d audit rows; the PIN typed into --why should read [redacted]", len(list))
	}
	files := func() string {
		var b strings.Builder
		for _, p := range []string{e.jpath, e.jpath + "-wal", e.jpath + "-shm"} {
			data, err := os.ReadFile(p)
			if err == nil {
				b.Write(data)
			}
		}
		return b.String()
	}
	open := files()
	e.journal.Close() // checkpoints the WAL into the file
	closed := files()

	secrets := map[string]string{
		"PIN": "739184", "PIN (hex)": hex.EncodeToString([]byte("739184")),
		"API key": testKey, "API key secret part": strings.TrimPrefix(testKey, "sk_test_"),
	}
	places := map[string]string{
		"logs": e.logs.String(), "stdout/stderr": strings.Join(screens, "\n"), "audit": strings.Join(audit, "\n"),
		"journal file (open)": open, "journal file (closed)": closed,
	}
	if !strings.Contains(places["logs"], "component=stripe") || len(open) == 0 || len(closed) == 0 {
		t.Fatalf("nothing captured: logs %d bytes, journal %d/%d bytes", len(places["logs"]), len(open), len(closed))
	}
	for where, text := range places {
		for what, s := range secrets {
			if i := strings.Index(text, s); i >= 0 {
				lo, hi := max(i-80, 0), min(i+len(s)+40, len(text))
				t.Errorf("the %s appears in the %s: …%q…", what, where, text[lo:hi])
			}
		}
	}
}
