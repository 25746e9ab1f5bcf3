package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v76"
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
// reader at its platform location from a sandbox state file: JSON Lines, a
// header and then records of objects, each object's API JSON with the
// account it belongs to ("" = the platform); a later version of an object
// replaces an earlier one (sandbox/internal/store/log.go).
func demoPlaceFromState(t *testing.T, path, business string) (seller, reader string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	type item struct {
		Type    string          `json:"type"`
		Account string          `json:"account"`
		Deleted bool            `json:"deleted"`
		Object  json.RawMessage `json:"object"`
	}
	latest := map[string]item{} // by type and id
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	for _, line := range lines[1:] { // the first line is the header
		var rec struct {
			R struct{ Items []item } `json:"r"`
		}
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("state file: %v", err)
		}
		for _, it := range rec.R.Items {
			var o struct{ ID string }
			if err := json.Unmarshal(it.Object, &o); err != nil {
				t.Fatal(err)
			}
			latest[it.Type+" "+o.ID] = it
		}
	}
	var location string
	for _, it := range latest {
		switch it.Type {
		case "account":
			var a stripe.Account
			if err := json.Unmarshal(it.Object, &a); err != nil {
				t.Fatal(err)
			}
			if a.BusinessProfile != nil && a.BusinessProfile.Name == business {
				seller = a.ID
			}
		case "terminal.location":
			var l stripe.TerminalLocation
			if err := json.Unmarshal(it.Object, &l); err != nil {
				t.Fatal(err)
			}
			if l.DisplayName == business && it.Account == "" { // platform objects have no owner account
				location = l.ID
			}
		}
	}
	for _, it := range latest {
		if it.Type != "terminal.reader" || it.Deleted {
			continue
		}
		var r stripe.TerminalReader
		if err := json.Unmarshal(it.Object, &r); err != nil {
			t.Fatal(err)
		}
		if r.Location != nil && r.Location.ID == location && location != "" {
			reader = r.ID
		}
	}
	if seller == "" || reader == "" {
		t.Fatalf("state file: no seller %q with a platform reader (seller %q, location %q)", business, seller, location)
	}
	return seller, reader
}
