package config

import (
	"path/filepath"
	"testing"
)

// Sandbox, test and live sales never share a journal; live keeps the
// plain name journal.db.
func TestJournalPerMode(t *testing.T) {
	for mode, want := range map[string]string{ModeSandbox: "journal-sandbox.db", ModeTest: "journal-test.db", ModeLive: "journal.db"} {
		if got := JournalFile(mode); got != want {
			t.Errorf("JournalFile(%s) = %s, want %s", mode, got, want)
		}
	}
	dir := t.TempDir()
	for key, want := range map[string]string{"": "journal-sandbox.db", testKey: "journal-test.db", liveKey: "journal.db"} {
		c := &Config{DataDir: dir, APIKey: NewSecret(key)}
		if got := c.JournalPath(); got != filepath.Join(dir, want) {
			t.Errorf("key mode %s: JournalPath = %s, want %s", c.KeyMode(), got, want)
		}
	}
	c := &Config{DataDir: dir}
	if c.SandboxStatePath() != filepath.Join(dir, "sandbox-state.json") || c.PrefsPath() != filepath.Join(dir, "prefs.json") ||
		c.ExportsPath() != filepath.Join(dir, "exports") {
		t.Errorf("data dir layout: %s %s %s", c.SandboxStatePath(), c.PrefsPath(), c.ExportsPath())
	}
}

// An operator the configuration does not name, or names without a role,
// is a cashier.
func TestOperatorRoleDefaultsToCashier(t *testing.T) {
	c := &Config{Operators: []Operator{{Name: "bea", Role: RoleSupervisor}, {Name: "tom", Role: RoleTech}, {Name: "ida"}}}
	for name, want := range map[string]Role{"bea": RoleSupervisor, "tom": RoleTech, "ida": RoleCashier, "nobody": RoleCashier, "": RoleCashier} {
		if got := c.OperatorRole(name); got != want {
			t.Errorf("OperatorRole(%q) = %s, want %s", name, got, want)
		}
	}
}
