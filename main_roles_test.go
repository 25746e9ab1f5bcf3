package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"kasse/sandbox"
)

// cliWorld runs kasse commands in-process (run) against the embedded
// sandbox, with every setting isolated in a temporary directory.
type cliWorld struct {
	t    *testing.T
	dir  string
	args []string // shared flags every command gets
}

func newCLIWorld(t *testing.T) *cliWorld {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("HOME", dir)
	for _, v := range []string{"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"} {
		t.Setenv(v, filepath.Join(dir, strings.ToLower(v)))
	}
	for _, v := range []string{"KASSE_CONFIG", "STRIPE_API_KEY", "KASSE_API_BASE", "KASSE_CONSOLE_ID",
		"KASSE_OPERATOR", "KASSE_DATA_DIR", "KASSE_LOG_FILE"} {
		t.Setenv(v, "")
	}
	return &cliWorld{t: t, dir: dir, args: []string{"--data-dir", filepath.Join(dir, "data")}}
}

type cliResult struct {
	code           int
	stdout, stderr string
}

// kasse runs `kasse cmd… args… <shared flags>` with stdin.
func (w *cliWorld) kasse(stdin string, args ...string) cliResult {
	w.t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), append(append([]string(nil), args...), w.args...), strings.NewReader(stdin), &out, &errb)
	return cliResult{code, out.String(), errb.String()}
}

func (r cliResult) expect(t *testing.T, code int, stdout, stderr string) {
	t.Helper()
	if r.code != code || !strings.Contains(r.stdout, stdout) || !strings.Contains(r.stderr, stderr) {
		t.Errorf("exit %d (want %d)\nstdout (want %q):\n%s\nstderr (want %q):\n%s", r.code, code, stdout, r.stdout, stderr, r.stderr)
	}
}

// platformLocation is the id of the demo's platform location called name.
func (w *cliWorld) platformLocation(name string) string {
	w.t.Helper()
	r := w.kasse("", "readers", "list", "--json")
	var groups []struct {
		Owner    string `json:"owner"`
		Location struct {
			ID          string `json:"id"`
			DisplayName string `json:"display_name"`
			Seller      string `json:"seller"`
		} `json:"location"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &groups); err != nil {
		w.t.Fatalf("readers list --json: %v\n%s\n%s", err, r.stdout, r.stderr)
	}
	for _, g := range groups {
		if g.Owner == "platform" && g.Location.DisplayName == name {
			if !strings.HasPrefix(g.Location.Seller, "acct_") {
				w.t.Errorf("%s is tied to no seller: %+v", name, g.Location)
			}
			return g.Location.ID
		}
	}
	w.t.Fatalf("no platform location %q in %s", name, r.stdout)
	return ""
}

var readerIDRE = regexp.MustCompile(`registered (tmr_[A-Za-z0-9]+)`)

// Out of the box (the sandbox's demo) a cashier cannot pair or remove a
// reader from the shell; the demo tech and supervisor can, each with their
// own PIN on stdin; the PIN is never echoed.
func TestReadersFleetCommandsNeedATechOrSupervisorPIN(t *testing.T) {
	w := newCLIWorld(t)
	loc := w.platformLocation("Lumen Coffee Roasters")
	register := []string{"readers", "register", "--code", "simulated-wpe", "--label", "Counter 9", "--location", loc}

	w.kasse("3141\n", append(register, "--operator", "anna")...).
		expect(t, 3, "", "kasse readers register: not allowed: anna is a cashier; reader screens and commands need a tech or a supervisor")
	w.kasse("", append(register, "--operator", "tom")...).expect(t, 64, "", "no PIN on stdin")
	w.kasse("9999\n", append(register, "--operator", "tom")...).expect(t, 3, "", "wrong PIN, 4 tries left")
	w.kasse("1618\n", append(register, "--operator", "nobody")...).expect(t, 3, "", `there is no operator named "nobody"`)
	if r := w.kasse("", "readers", "list"); strings.Contains(r.stdout, "Counter 9") {
		t.Fatalf("a refused register paired a reader:\n%s", r.stdout)
	}

	r := w.kasse("1618\n", append(register, "--operator", "tom")...)
	r.expect(t, 0, "registered tmr_", "PIN of tom: ")
	id := readerIDRE.FindStringSubmatch(r.stdout)
	if id == nil {
		t.Fatalf("no reader id in %q", r.stdout)
	}
	if strings.Contains(r.stdout+r.stderr, "1618") {
		t.Error("the PIN was echoed")
	}
	w.kasse("1618\n", "readers", "rename", "--reader", id[1], "--label", "Counter 10", "--operator", "anna").
		expect(t, 3, "", "anna is a cashier")
	w.kasse("2718\n", "readers", "deregister", "--reader", id[1], "--confirm", "Counter 9", "--operator", "bea").
		expect(t, 0, "deregistered "+id[1], "")
	// Reading needs no PIN.
	w.kasse("", "readers", "list", "--operator", "anna").expect(t, 0, "Lumen Coffee Roasters", "")
}

// The demo operators exist in the sandbox only: with a test key against a
// Stripe (here a sandbox served on loopback, as if it were Stripe) nobody
// is an operator until the configuration says so.
func TestNoDemoOperatorsWithARealKey(t *testing.T) {
	w := newCLIWorld(t)
	srv, err := sandbox.New(sandbox.Options{Seed: "demo"})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	t.Setenv("STRIPE_API_KEY", "sk_test_KasseRolesTest0000")
	w.args = append(w.args, "--api-base", ts.URL)
	w.kasse("1618\n", "readers", "rename", "--reader", "tmr_1", "--label", "x", "--operator", "tom").
		expect(t, 3, "", `there is no operator named "tom"`)
	w.kasse("2718\n482916\n482916\n", "pin", "set", "--operator", "bea").expect(t, 64, "", `no operator named "bea"`)
}

// In the sandbox the demo supervisor's PIN is the published one; the very
// first PIN of an operator of one's own needs no supervisor only while no
// supervisor has a PIN (a configuration with operators replaces the demo's).
func TestPinSetRulesFromTheShell(t *testing.T) {
	w := newCLIWorld(t)
	w.kasse("2718\n482916\n482916\n", "pin", "set", "--operator", "bea").expect(t, 0, "PIN set for bea.", "")
	w.kasse("2718\n", "readers", "rename", "--reader", "tmr_1", "--label", "x", "--operator", "bea").
		expect(t, 3, "", "wrong PIN") // changed: the demo PIN no longer opens

	cfg := filepath.Join(w.dir, "xdg_config_home", "kasse")
	if err := os.MkdirAll(cfg, 0o700); err != nil {
		t.Fatal(err)
	}
	const ops = "[[operators]]\nname = \"kim\"\nrole = \"tech\"\n\n[[operators]]\nname = \"ola\"\nrole = \"supervisor\"\n"
	if err := os.WriteFile(filepath.Join(cfg, "config.toml"), []byte(ops), 0o600); err != nil {
		t.Fatal(err)
	}
	w.kasse("2468\n2468\n", "pin", "set", "--operator", "kim").expect(t, 3, "", "kim's first PIN needs a supervisor's PIN")
	w.kasse("5802\n5802\n", "pin", "set", "--operator", "ola").expect(t, 0, "PIN set for ola.", "")
	w.kasse("2468\n2468\n", "pin", "set", "--operator", "kim").expect(t, 3, "", "--by SUPERVISOR")
	w.kasse("5802\n2468\n2468\n", "pin", "set", "--operator", "kim", "--by", "ola").expect(t, 0, "PIN set for kim.", "")
	// The demo operators are gone with a configuration of one's own.
	w.kasse("482916\n", "readers", "rename", "--reader", "tmr_1", "--label", "x", "--operator", "bea").
		expect(t, 3, "", `there is no operator named "bea"`)
}
