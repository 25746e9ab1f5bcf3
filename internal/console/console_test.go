package console

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"kasse/checkout"
	"kasse/config"
	"kasse/i18n"
	"kasse/internal/app"
	"kasse/journal"
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

// The reconcile log reads the audit trail's settlements back as messages,
// in the reader's language; an entry it cannot read stays as written.
func TestReconcileLogInTheReadersLanguage(t *testing.T) {
	ctx := context.Background()
	a := sandboxApp(t, "")
	s := checkout.Settlement{Sales: []checkout.Reconciled{{Was: pos.SaleWaitingForCard,
		Sale: pos.Sale{ID: "till-1-s1", State: pos.SaleCanceled, Amount: 1250, Currency: "eur", IntentID: "pi_1"}}}}
	for _, n := range s.Notes() {
		if err := a.Journal.AppendAudit(ctx, journal.AuditEntry{Action: app.ReconcileAction, Subject: n.Subject, Detail: n.Detail}); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.Journal.AppendAudit(ctx, journal.AuditEntry{Action: app.ReconcileAction, Subject: "s0", Detail: "sale s0: an older line"}); err != nil {
		t.Fatal(err)
	}
	d, err := Deps(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	log, err := d.ReconcileLog.ReconcileLog(ctx, 10)
	if err != nil || len(log) != 2 {
		t.Fatalf("log %+v, %v", log, err)
	}
	de, en := i18n.New(i18n.German), i18n.New(i18n.English)
	if got := de.Render(log[1].Msg); got != "Verkauf till-1-s1: waiting_for_card → canceled · 12,50\u00a0€ · pi_1" {
		t.Errorf("German: %q", got)
	}
	if got := en.Render(log[1].Msg); got != "sale till-1-s1: waiting_for_card → canceled · €12.50 · pi_1" {
		t.Errorf("English: %q", got)
	}
	if log[0].Msg.ID != "" || log[0].Text != "sale s0: an older line" {
		t.Errorf("an older entry: %+v", log[0])
	}
}

// The console speaks its operator's language: theirs in config, else the
// console's, else the POSIX locale, else English. Two operators of one
// configuration can differ.
func TestLocalePerOperator(t *testing.T) {
	env := func(vars map[string]string) func(string) string { return func(k string) string { return vars[k] } }
	cfg := &config.Config{Language: "de", Operators: []config.Operator{
		{Name: "tom", Role: config.RoleTech, Language: "en-GB"}, {Name: "bea", Role: config.RoleSupervisor}}}
	for _, c := range []struct {
		operator string
		lang     string // the console's language
		env      map[string]string
		want     string
	}{
		{"tom", "de", nil, "en-GB"},
		{"bea", "de", map[string]string{"LANG": "en_US.UTF-8"}, "de"},
		{"bea", "", map[string]string{"LANG": "de_AT.UTF-8"}, "de-AT"},
		{"bea", "", map[string]string{"LC_ALL": "C", "LANG": "de_DE.UTF-8"}, "en"},
		{"bea", "", nil, "en"},
	} {
		cfg.Operator, cfg.Language = c.operator, c.lang
		if got := Locale(cfg, env(c.env)).Tag().String(); got != c.want {
			t.Errorf("%s (console %q, env %v): %s, want %s", c.operator, c.lang, c.env, got, c.want)
		}
	}
	// Deps carries it into the session the console opens.
	t.Setenv("LC_ALL", "de_DE.UTF-8")
	d, err := Deps(context.Background(), sandboxApp(t, "anna"))
	if err != nil {
		t.Fatal(err)
	}
	if d.Locale == nil || d.Locale.Language() != i18n.German {
		t.Fatalf("Deps.Locale = %v", d.Locale)
	}
	if got := ui.New(d).Screens()[0].Title(); got != "Händler wählen" {
		t.Errorf("the first screen: %q", got)
	}
}
