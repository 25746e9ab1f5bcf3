package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"kasse/sandbox"
)

// The embedded sandbox (no key, no --api-base) keeps its state in the data
// directory: a sale charged by one kasse process is refunded by the next,
// as on Stripe. Sandbox sales go to their own journal, never to the one a
// live key would use; and two processes never share the state file.
func TestEmbeddedSandboxKeepsItsStateAcrossRuns(t *testing.T) {
	w := newWorld(t)
	w.withOperators(t, map[string]string{"bea": "482916"})
	embedded := []string{"--console-id", w.consoleID, "--operator", "e2e"} // no --api-base: the embedded sandbox
	run := func(stdin string, args ...string) (string, string, error) {
		cmd := exec.Command(kasseBin, args...)
		cmd.Env = w.env()
		cmd.Stdin = strings.NewReader(stdin)
		var out, errOut strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &errOut
		err := cmd.Run()
		return out.String(), errOut.String(), err
	}

	// The first run creates the state file with the demo seed.
	if out, errOut, err := run("", append([]string{"readers", "list"}, embedded...)...); err != nil {
		t.Fatalf("readers list: %v\n%s%s", err, out, errOut)
	}
	dir := filepath.Join(w.data, "kasse")
	seller, reader := demoPlaceFromState(t, filepath.Join(dir, "sandbox-state.json"), "Lumen Coffee Roasters")

	out, errOut, err := run("", append(append([]string{"charge"}, embedded...), "--seller", seller, "--reader", reader,
		"--amount", "8.40", "--simulate-card", "4242424242424242", "--json")...)
	var sale chargeResult
	if err != nil || json.Unmarshal([]byte(out), &sale) != nil || sale.Status != "approved" {
		t.Fatalf("charge: %v\n%s%s", err, out, errOut)
	}

	// Another process, another embedded sandbox: the sale is still there.
	out, errOut, err = run("482916\n", append(append([]string{"refund"}, embedded...), "--operator", "bea",
		"--seller", seller, "--payment-intent", sale.IntentID, "--amount", "3.00", "--reason", "requested_by_customer", "--json")...)
	var rf struct {
		Status    string `json:"status"`
		Remaining int64  `json:"remaining"`
	}
	if err != nil || json.Unmarshal([]byte(out), &rf) != nil || rf.Status != "succeeded" || rf.Remaining != 540 {
		t.Fatalf("refund in a new process: %v\n%s%s\nlog:\n%s", err, out, errOut, w.logTail())
	}

	if _, err := os.Stat(filepath.Join(dir, "journal-sandbox.db")); err != nil {
		t.Errorf("sandbox journal: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "journal.db")); !os.IsNotExist(err) {
		t.Errorf("the live journal exists after sandbox runs (err %v)", err)
	}

	// While a console holds the embedded sandbox, another kasse is refused
	// with the way out, and the console's state is untouched.
	requireTmux(t)
	c := w.startConsoleWith(t, embedded)
	c.waitFor(15*time.Second, "Choose a seller")
	_, errOut, err = run("", append([]string{"readers", "list"}, embedded...)...)
	if err == nil || !strings.Contains(errOut, "in use by another sandbox") || !strings.Contains(errOut, "kasse sandbox --state") {
		t.Errorf("second kasse on the embedded sandbox: %v\n%s", err, errOut)
	}
	c.send("C-c")
	c.waitExit(10 * time.Second)
	if out, errOut, err := run("", append([]string{"readers", "list"}, embedded...)...); err != nil {
		t.Errorf("after the console quit: %v\n%s%s", err, out, errOut)
	}
}

// demoPlaceFromState reads the seller with this business name and the
// reader at its platform location from a sandbox state file.
func demoPlaceFromState(t *testing.T, path, business string) (seller, reader string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var st sandbox.SavedState
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatal(err)
	}
	var location string
	for _, a := range st.Accounts {
		if a.BusinessName == business {
			seller = a.ID
		}
	}
	for _, l := range st.Locations {
		if l.DisplayName == business && l.Account == "" { // platform objects have no owner account
			location = l.ID
		}
	}
	for _, r := range st.Readers {
		if r.LocationID == location && location != "" && !r.Deleted {
			reader = r.ID
		}
	}
	if seller == "" || reader == "" {
		t.Fatalf("state file: no seller %q with a platform reader (seller %q, location %q)", business, seller, location)
	}
	return seller, reader
}
