package console

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"kasse/config"
	"kasse/internal/app"
	"kasse/pos"
	"kasse/ui"
)

func sandboxApp(t *testing.T, operator string) *app.App {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("HOME", dir)
	for _, v := range []string{"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "KASSE_CONFIG", "STRIPE_API_KEY",
		"KASSE_API_BASE", "KASSE_CONSOLE_ID"} {
		t.Setenv(v, "")
	}
	t.Setenv("KASSE_OPERATOR", operator)
	t.Setenv("KASSE_DATA_DIR", filepath.Join(dir, "data"))
	t.Setenv("KASSE_LOG_FILE", filepath.Join(dir, "kasse.log"))
	cfg, err := config.Load(&config.Flags{})
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.Setup(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Close)
	return a
}

// The console's Deps: the operator's role (a cashier unless configured
// otherwise), the demo operators, and the adapters writing into the data
// directory, privately.
func TestDepsFromTheApp(t *testing.T) {
	ctx := context.Background()
	for op, role := range map[string]config.Role{"bea": config.RoleSupervisor, "someone": config.RoleCashier} {
		a := sandboxApp(t, op)
		d, err := Deps(ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		if string(d.Role) != string(role) || d.Operator != op || d.Mode != config.ModeSandbox || len(d.DemoOperators) != 3 ||
			d.Supervisor == nil || d.Reports == nil || d.Fleet == nil || d.Presenter == nil {
			t.Errorf("%s: role %q, mode %s, %d demo operators", op, d.Role, d.Mode, len(d.DemoOperators))
		}
	}
}

// Remembered choices and exported files land in the data directory, 0600.
func TestAdaptersWriteTheDataDirectory(t *testing.T) {
	a := sandboxApp(t, "")
	d, err := Deps(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	r := ui.Remembered{Seller: "acct_1", Locations: map[pos.Account]string{"acct_1": "tml_1"}, Readers: map[string]string{"tml_1": "tmr_1"}}
	if err := d.Prefs.Save(r); err != nil {
		t.Fatal(err)
	}
	got, err := d.Prefs.Load()
	if err != nil || got.Seller != r.Seller || got.Locations["acct_1"] != "tml_1" || got.Readers["tml_1"] != "tmr_1" {
		t.Errorf("remembered %+v, %v", got, err)
	}
	path, err := d.Exports.Save("../eod.csv", []byte("x"))
	if err != nil || path != filepath.Join(a.Config.DataDir, "exports", "eod.csv") {
		t.Fatalf("export saved at %s, %v", path, err)
	}
	for _, p := range []string{path, a.Config.PrefsPath()} {
		if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v %v", p, fi.Mode(), err)
		}
	}
	log, err := d.ReconcileLog.ReconcileLog(context.Background(), 10)
	if err != nil || len(log) != 0 {
		t.Errorf("a fresh journal's reconcile log: %+v, %v", log, err)
	}
}
