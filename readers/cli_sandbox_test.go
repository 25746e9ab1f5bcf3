package readers

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"regexp"
	"strings"
	"testing"

	"kasse/i18n"
	kcli "kasse/internal/cli"
	"kasse/pos"
	"kasse/sandbox"
)

// cliRun is one `kasse readers …` invocation.
type cliRun struct {
	code           int
	stdout, stderr string
}

func (w *world) cli(deps CLIDeps, args ...string) cliRun {
	w.t.Helper()
	if deps.Fleet == nil {
		deps.Fleet = w.fleet
	}
	if deps.Recent == nil {
		deps.Recent = w.recent
	}
	if deps.Authorize == nil { // a tech with the right PIN; TestCLIFleetChangesNeedAuthorization refuses
		deps.Authorize = func(context.Context, string) error { return nil }
	}
	var out, errb bytes.Buffer
	code := RunReaders(w.ctx, deps, append([]string{"readers"}, args...), kcli.IO{Out: &out, Err: &errb})
	return cliRun{code, out.String(), errb.String()}
}

func (r cliRun) expect(t *testing.T, code int, stdout, stderr string) {
	t.Helper()
	if r.code != code || !strings.Contains(r.stdout, stdout) || !strings.Contains(r.stderr, stderr) {
		t.Errorf("exit %d (want %d)\nstdout (want %q):\n%s\nstderr (want %q):\n%s", r.code, code, stdout, r.stdout, stderr, r.stderr)
	}
}

func TestCLIUsage(t *testing.T) {
	w := newWorld(t, sandbox.Options{})
	w.cli(CLIDeps{}).expect(t, ExitUsage, "", "Usage: kasse readers COMMAND")
	w.cli(CLIDeps{}, "--help").expect(t, ExitOK, "diagnostics", "")
	w.cli(CLIDeps{}, "frobnicate").expect(t, ExitUsage, "", `unknown command "frobnicate"`)
	for _, cmd := range commands {
		r := w.cli(CLIDeps{}, cmd.name, "--help")
		r.expect(t, ExitOK, "Usage: kasse readers "+cmd.name+" "+i18n.Neutral().Render(cmd.args), "")
		if !strings.Contains(r.stdout, "Flags:") || !strings.Contains(r.stdout, "  -") {
			t.Errorf("%s --help lists no flags:\n%s", cmd.name, r.stdout)
		}
	}
	w.cli(CLIDeps{}, "list", "--bogus").expect(t, ExitUsage, "", "flag provided but not defined: -bogus")
	w.cli(CLIDeps{}, "list", "extra").expect(t, ExitUsage, "", `unexpected argument "extra"`)
	w.cli(CLIDeps{}, "register", "--code", "simulated-wpe").expect(t, ExitUsage, "", "missing --label and --location")
	w.cli(CLIDeps{}, "test", "--reader", "tmr_1").expect(t, ExitUsage, "", "missing --seller")
	w.cli(CLIDeps{}, "test", "--reader", "tmr_1", "--seller", "Lumen").expect(t, ExitUsage, "", "expected an account id")
	w.cli(CLIDeps{}, "register", "--code", "simulated-wpe", "--label", "x", "--location", "tml_1", "--owner", "bob").
		expect(t, ExitUsage, "", `--owner "bob"`)
	w.cli(CLIDeps{Fleet: &Fleet{}}, "list").expect(t, ExitError, "", "no Stripe connection")
}

func TestCLIListAndRegister(t *testing.T) {
	w := newWorld(t, sandbox.Options{})
	north := w.seller("Northwind")
	lumen := w.location(pos.Platform, "Lumen")
	northLoc := w.location(north.ID, "Northwind")

	r := w.cli(CLIDeps{}, "list")
	r.expect(t, ExitOK, "4 readers at 4 locations", "")
	for _, want := range []string{"platform · Lumen Coffee Roasters " + lumen.ID + " · 2140 NW Kearney St, Portland, OR 97210, US",
		"Northwind Bikes (" + string(north.ID) + ") · Northwind Bikes " + northLoc.ID, "simulated_wisepos_e", "Counter 1", "online", "idle", "ok"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("list lacks %q:\n%s", want, r.stdout)
		}
	}

	r = w.cli(CLIDeps{}, "register", "--code", "simulated-wpe", "--label", "Counter 2", "--location", northLoc.ID)
	r.expect(t, ExitOK, "registered tmr_", "")
	if !strings.Contains(r.stdout, `"Counter 2" (simulated_wisepos_e`) || !strings.HasSuffix(strings.TrimSpace(r.stdout), "on "+string(north.ID)) {
		t.Errorf("without --owner the reader goes on the location's account: %s", r.stdout)
	}
	w.cli(CLIDeps{}, "register", "--code", "simulated-wpe", "--label", "Counter 3", "--location", northLoc.ID, "--owner", "platform").
		expect(t, ExitError, "", "is on account "+string(north.ID)+", the reader would be registered on the platform account")
	w.cli(CLIDeps{}, "register", "--code", "apple-grape", "--label", "x", "--location", lumen.ID).
		expect(t, ExitError, "", `"apple-grape" is not a registration code`)
	w.cli(CLIDeps{}, "register", "--code", "apple-grape-orange", "--label", "x", "--location", lumen.ID).
		expect(t, ExitError, "", `the reader did not accept registration code "apple-grape-orange"`)

	r = w.cli(CLIDeps{}, "list", "--json")
	var groups []groupView
	if err := json.Unmarshal([]byte(r.stdout), &groups); err != nil || r.code != ExitOK {
		t.Fatalf("list --json: %v\n%s", err, r.stdout)
	}
	if len(groups) != 4 || groups[3].Owner != string(north.ID) || len(groups[3].Readers) != 2 ||
		groups[3].Location.Address.PostalCode != "80302" || groups[3].Readers[1].Health.Level != LevelOK {
		t.Errorf("groups %+v", groups)
	}
}

func TestCLIListPartial(t *testing.T) {
	w := newWorld(t, sandbox.Options{Faults: []sandbox.Fault{{Kind: sandbox.Fault500, Method: "GET", Route: "/v1/terminal/readers", Times: 1}}})
	r := w.cli(CLIDeps{}, "list")
	r.expect(t, ExitError, "", "warning: inventory incomplete, 1 account could not be read")
	// The fault hits whichever account's reader list is read first: the
	// accounts read list their readers, one or more.
	if !regexp.MustCompile(`^\d+ readers? at \d+ locations?\n`).MatchString(r.stdout) {
		t.Errorf("the readers that could be read are not listed:\n%s", r.stdout)
	}
}

func TestCLITest(t *testing.T) {
	w := newWorld(t, sandbox.Options{})
	s, rd := w.platformReader("Lumen")
	args := []string{"test", "--reader", rd.ID, "--seller", string(s.ID)}

	w.cli(CLIDeps{}, args...).expect(t, ExitOK, "PASS approved: $0.50 on "+rd.ID, "testing reader "+rd.ID)
	r := w.cli(CLIDeps{}, append(args, "--simulate-card", "4000000000009995")...)
	r.expect(t, ExitTestFailed, "FAIL declined", "")
	if !strings.Contains(r.stdout, "decline_code insufficient_funds") || !strings.Contains(r.stdout, "canceled (by this test)") {
		t.Errorf("decline output:\n%s", r.stdout)
	}
	r = w.cli(CLIDeps{}, append(args, "--amount", "12.00", "--tip", "1.50", "--json")...)
	var res TestResult
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil || r.code != ExitOK || res.Amount != 1200 || res.Tip != 150 || !res.Passed {
		t.Errorf("--json: %v %+v\n%s%s", err, res, r.stdout, r.stderr)
	}
	w.cli(CLIDeps{}, append(args, "--amount", "0.10")...).expect(t, ExitError, "", "below the minimum charge of $0.50")
	w.cli(CLIDeps{}, append(args, "--amount", "12,345.00")...).expect(t, ExitUsage, "", "--amount")
	w.cli(CLIDeps{}, "test", "--reader", "tmr_nowhere", "--seller", string(s.ID)).expect(t, ExitError, "", "tmr_nowhere is not on the platform account")
}

func TestCLIClearDisplayDiagnosticsDeregister(t *testing.T) {
	w := newWorld(t, sandbox.Options{})
	_, rd := w.platformReader("Sakura")
	w.cli(CLIDeps{}, "display", "--reader", rd.ID, "--currency", "jpy").expect(t, ExitOK, "  Total                                  ¥540\n", "")
	w.cli(CLIDeps{}, "clear", "--reader", rd.ID).expect(t, ExitOK, "held: set_reader_display in_progress", "")
	w.cli(CLIDeps{}, "clear", "--reader", rd.ID).expect(t, ExitOK, "nothing to clear", "")

	files := map[string][]byte{}
	perms := map[string]os.FileMode{}
	deps := CLIDeps{WriteFile: func(name string, data []byte, perm os.FileMode) error {
		files[name], perms[name] = data, perm
		return nil
	}}
	w.cli(deps, "diagnostics", "--reader", rd.ID, "--out", "diag.json").expect(t, ExitOK, "written to diag.json", "")
	var b Bundle
	if err := json.Unmarshal(files["diag.json"], &b); err != nil || b.Reader.ID != rd.ID || len(b.Requests) == 0 || perms["diag.json"] != 0o600 {
		t.Errorf("bundle %v %+v perm %v", err, b, perms["diag.json"])
	}
	if bytes.Contains(files["diag.json"], []byte("sk_test_readers")) {
		t.Error("the key is in the bundle")
	}
	w.cli(CLIDeps{}, "diagnostics", "--reader", rd.ID, "--text").expect(t, ExitOK, "Kasse reader diagnostics", "")
	w.cli(CLIDeps{}, "rename", "--reader", rd.ID, "--label", "Ramen bar").expect(t, ExitOK, `is now "Ramen bar"`, "")
	w.cli(CLIDeps{}, "deregister", "--reader", rd.ID, "--confirm", "Counter 1").expect(t, ExitError, "", `type its label ("Ramen bar")`)
	w.cli(CLIDeps{}, "deregister", "--reader", rd.ID, "--confirm", "Ramen bar").expect(t, ExitOK, "deregistered "+rd.ID, "")
	w.cli(CLIDeps{}, "diagnostics", "--reader", rd.ID).expect(t, ExitError, `"read_error"`, "not on the platform account")
}

func TestCLICreateLocation(t *testing.T) {
	w := newWorld(t, sandbox.Options{})
	sonnenkorn := w.seller("Sonnenkorn")
	w.cli(CLIDeps{}, "create-location", "--name", "Kiosk", "--country", "US", "--line1", "1 Main", "--city", "Austin", "--postal-code", "78701").
		expect(t, ExitUsage, "", "--seller is required for a platform location")
	w.cli(CLIDeps{}, "create-location", "--name", "Kiosk", "--country", "US", "--seller", "Sonnenkorn").
		expect(t, ExitUsage, "", `--seller "Sonnenkorn": expected a connected account id`)
	w.cli(CLIDeps{}, "create-location", "--name", "Kiosk", "--country", "US", "--seller", "acct_1NoSuchSeller").
		expect(t, ExitError, "", "acct_1NoSuchSeller")
	w.cli(CLIDeps{}, "create-location", "--name", "Kiosk", "--country", "US", "--line1", "1 Main", "--city", "Austin", "--postal-code", "78701",
		"--seller", string(sonnenkorn.ID)).expect(t, ExitError, "", "address.state is required in US")
	r := w.cli(CLIDeps{}, "create-location", "--name", "Markthalle Neun", "--country", "de", "--line1", "Eisenbahnstraße 42",
		"--city", "Berlin", "--postal-code", "10997", "--seller", string(sonnenkorn.ID), "--json")
	var l locationView
	if err := json.Unmarshal([]byte(r.stdout), &l); err != nil || !strings.HasPrefix(l.ID, "tml_") || l.Address.Country != "DE" ||
		l.Seller != string(sonnenkorn.ID) {
		t.Errorf("%v %+v\n%s", err, l, r.stderr)
	}
	if got := w.location(pos.Platform, "Markthalle Neun"); !pos.LocationServes(got, sonnenkorn) {
		t.Errorf("the new location does not serve Sonnenkorn: metadata %v", got.Metadata)
	}
	w.cli(CLIDeps{}, "create-location", "--name", "Kiosk", "--country", "ie", "--line1", "1 Grafton St", "--postal-code", "D02",
		"--seller", string(sonnenkorn.ID)).expect(t, ExitOK, "for Sonnenkorn ("+string(sonnenkorn.ID)+")", "")
}

// Every command that changes the fleet or drives a reader asks Authorize
// (the operator's role and PIN) after its command line is checked and
// before any request; a refusal sends nothing. list and diagnostics only
// read and ask nobody.
func TestCLIFleetChangesNeedAuthorization(t *testing.T) {
	w := newWorld(t, sandbox.Options{})
	north := w.seller("Northwind")
	loc := w.location(north.ID, "Northwind")
	rd := w.reader(north.ID, loc.ID)
	args := map[string][]string{
		"register":        {"--code", "simulated-wpe", "--label", "Counter 2", "--location", loc.ID},
		"test":            {"--reader", rd.ID, "--seller", string(north.ID)},
		"clear":           {"--reader", rd.ID},
		"display":         {"--reader", rd.ID},
		"rename":          {"--reader", rd.ID, "--label", "Till"},
		"deregister":      {"--reader", rd.ID, "--confirm", "Counter 1"},
		"create-location": {"--name", "Kiosk", "--country", "US", "--seller", string(north.ID)},
		"list":            nil,
		"diagnostics":     {"--reader", rd.ID, "--owner", string(north.ID)},
	}
	var asked []string
	refuse := CLIDeps{Authorize: func(_ context.Context, command string) error {
		asked = append(asked, command)
		return Refused(errors.New("bo is a cashier; reader screens and commands need a tech or a supervisor"))
	}}
	for _, cmd := range commands {
		a, ok := args[cmd.name]
		if !ok {
			t.Fatalf("no arguments for %s", cmd.name)
		}
		asked = nil
		before := len(w.client.RecentRequests())
		r := w.cli(refuse, append([]string{cmd.name}, a...)...)
		sent := len(w.client.RecentRequests()) - before
		if !cmd.changes {
			if r.code != ExitOK || len(asked) != 0 {
				t.Errorf("%s (read only): exit %d, asked %v\n%s", cmd.name, r.code, asked, r.stderr)
			}
			continue
		}
		if r.code != ExitRefused || sent != 0 || len(asked) != 1 || asked[0] != cmd.name ||
			!strings.Contains(r.stderr, "kasse readers "+cmd.name+": not allowed: bo is a cashier") {
			t.Errorf("%s: exit %d, %d requests, asked %v\n%s", cmd.name, r.code, sent, asked, r.stderr)
		}
	}
	// No PIN on stdin is a usage error; a bad command line is one before
	// any PIN is asked for; --help needs none.
	noPIN := CLIDeps{Authorize: func(context.Context, string) error {
		return MissingPIN(errors.New("no PIN on stdin: the first line of stdin must be tom's PIN"))
	}}
	w.cli(noPIN, "rename", "--reader", rd.ID, "--label", "Till").expect(t, ExitUsage, "", "no PIN on stdin")
	asked = nil
	w.cli(refuse, "rename", "--reader", rd.ID).expect(t, ExitUsage, "", "missing --label")
	w.cli(refuse, "rename", "--help").expect(t, ExitOK, "Needs a tech's or a supervisor's PIN", "")
	if len(asked) != 0 {
		t.Errorf("asked for a PIN on a usage error or --help: %v", asked)
	}
	// Nothing configured to check: refused, not waved through.
	var out, errb bytes.Buffer
	if code := RunReaders(w.ctx, CLIDeps{Fleet: w.fleet}, []string{"readers", "rename", "--reader", rd.ID, "--label", "Till"}, kcli.IO{Out: &out, Err: &errb}); code != ExitRefused ||
		!strings.Contains(errb.String(), "no operator check") {
		t.Errorf("nil Authorize: exit %d %s", code, errb.String())
	}
	// Another failure of the check (the journal) is an error.
	broken := CLIDeps{Authorize: func(context.Context, string) error { return errors.New("journal: disk I/O error") }}
	w.cli(broken, "rename", "--reader", rd.ID, "--label", "Till").expect(t, ExitError, "", "journal: disk I/O error")
	if got, _ := w.client.GetReader(w.ctx, north.ID, rd.ID); got.Label != "Counter 1" {
		t.Errorf("the reader was renamed to %q", got.Label)
	}
}

// A simulated S700 is shown as an S700, though 2023-10-16 (and so the
// sandbox) reports simulated_wisepos_e for it; the JSON keeps Stripe's
// device_type next to Kasse's device.
func TestCLIRegisterSimulatedS700(t *testing.T) {
	w := newWorld(t, sandbox.Options{})
	north := w.seller("Northwind")
	loc := w.location(north.ID, "Northwind")
	r := w.cli(CLIDeps{}, "register", "--code", "simulated-s700", "--label", "Workshop", "--location", loc.ID)
	r.expect(t, ExitOK, `"Workshop" (simulated_stripe_s700, serial S700-SIM-`, "")
	r = w.cli(CLIDeps{}, "list")
	if !regexp.MustCompile(`Workshop +simulated_stripe_s700 +online +S700-SIM-`).MatchString(r.stdout) {
		t.Errorf("list does not show the S700:\n%s", r.stdout)
	}
	r = w.cli(CLIDeps{}, "register", "--code", "simulated-s700", "--label", "Back room", "--location", loc.ID, "--json")
	var f ReaderFacts
	if err := json.Unmarshal([]byte(r.stdout), &f); err != nil || f.Device != "simulated_stripe_s700" || f.DeviceType != "simulated_wisepos_e" {
		t.Errorf("json %v: %+v", err, f)
	}
}
