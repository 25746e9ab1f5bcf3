package e2e

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"kasse/internal/testkit"
	"kasse/pos"
)

// Issue 10, finding 5: SIGINT to `kasse charge` while it waits for the
// card. The charge runs on the embedded sandbox (no --api-base), the way a
// new user runs it; on today's main the sandbox stopped with the signal,
// before the cancel was done: the reader stayed in_progress, the intent
// open, and the JSON said "canceled" anyway. Now the cancel finishes
// first (bounded), and the output says what is true.
//
// The sandbox's state outlives the process in the data directory; a
// `kasse sandbox --state` process serves it afterwards, so the reader and
// the intent are read back over HTTP as Stripe would show them.
func TestChargeInterruptedWhileWaitingCancelsFirst(t *testing.T) {
	w := newWorld(t)
	embedded := []string{"--console-id", w.consoleID, "--operator", "e2e"}
	state := filepath.Join(w.data, "kasse", "sandbox-state.json")
	// The first run seeds the embedded sandbox's state file.
	first := exec.Command(kasseBin, append([]string{"readers", "list"}, embedded...)...)
	first.Env = w.env()
	if out, err := first.CombinedOutput(); err != nil {
		t.Fatalf("readers list: %v\n%s", err, out)
	}
	seller, reader := demoPlaceFromState(t, state, "Lumen Coffee Roasters")

	cmd := exec.Command(kasseBin, append(append([]string{"charge"}, embedded...),
		"--seller", seller, "--reader", reader, "--amount", "6.40", "--timeout", "2m", "--json")...)
	cmd.Env = w.env()
	// Its own process group, as a shell with job control would start it:
	// a background child otherwise starts with SIGINT ignored.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	out, errOut := &testkit.SyncBuffer{}, &testkit.SyncBuffer{}
	cmd.Stdout, cmd.Stderr = out, errOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
		}
	})

	// Waiting for the card: the journal says so (the reader was primed).
	var saleID string
	if !eventually(15*time.Second, 50*time.Millisecond, func() bool {
		recs, err := w.trySales()
		if err != nil || len(recs) != 1 {
			return false
		}
		saleID = recs[0].Sale.ID
		return recs[0].Sale.State == pos.SaleWaitingForCard && !recs[0].Sale.Pending.Active()
	}) {
		t.Fatalf("kasse charge never waited for the card\nstdout: %s\nstderr: %s\nlog:\n%s", out, errOut, w.logTail())
	}
	if err := syscall.Kill(cmd.Process.Pid, syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case <-done:
	case <-time.After(45 * time.Second):
		t.Fatalf("kasse charge did not exit within 45s of SIGINT\nstderr: %s", errOut)
	}
	var res chargeResult
	if err := json.Unmarshal([]byte(out.String()), &res); err != nil {
		t.Fatalf("stdout is not the JSON result: %v\n%s\nstderr: %s", err, out, errOut)
	}
	t.Logf("kasse charge after SIGINT: %s — %s", res.Status, res.Message)

	// What Stripe (the sandbox's saved state) shows.
	sb := startSandbox(t, w.env(), filepath.Join(t.TempDir(), "after.log"), "--state", state)
	api := &sandboxAPI{base: sb.url, hc: w.api.hc}
	ins := api.intents(t, seller)
	if len(ins) != 1 || ins[0].Metadata["kasse_sale_id"] != saleID {
		t.Fatalf("intents on Lumen = %+v, want the one of sale %s", ins, saleID)
	}
	r := api.reader(t, reader)
	if ins[0].Status != pos.IntentCanceled || (r.Action != nil && r.Action.Status == pos.ActionInProgress) {
		t.Fatalf("after SIGINT: intent %s %s, reader %s; want canceled and idle (output said %q)",
			ins[0].ID, ins[0].Status, r, res.Status)
	}
	if res.Status != "canceled" || res.IntentID != ins[0].ID || !strings.Contains(res.Message, "Interrupted") {
		t.Fatalf("output %+v", res)
	}
	if rec := w.sale(t, saleID); rec.Sale.State != pos.SaleCanceled {
		t.Fatalf("journal: %s", rec.Sale.State)
	}
}
