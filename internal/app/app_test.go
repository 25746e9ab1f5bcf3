package app

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"kasse/checkout"
	"kasse/config"
)

// sandboxConfig loads the configuration of a machine with no API key and
// everything in a temporary directory.
func sandboxConfig(t *testing.T) *config.Config {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("HOME", dir)
	for _, v := range []string{"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "KASSE_CONFIG", "STRIPE_API_KEY",
		"KASSE_API_BASE", "KASSE_CONSOLE_ID", "KASSE_OPERATOR"} {
		t.Setenv(v, "")
	}
	t.Setenv("KASSE_DATA_DIR", filepath.Join(dir, "data"))
	t.Setenv("KASSE_LOG_FILE", filepath.Join(dir, "kasse.log"))
	cfg, err := config.Load(&config.Flags{})
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// With no API key the App runs the embedded sandbox with its state in the
// data directory, the sandbox journal and the demo operators; a second App
// on the same data directory is refused with what to do; Close writes the
// sandbox's state.
func TestSetupStartsTheEmbeddedSandbox(t *testing.T) {
	ctx := context.Background()
	cfg := sandboxConfig(t)
	a, err := Setup(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if a.Mode != config.ModeSandbox || !strings.HasPrefix(a.BaseURL, "http://127.0.0.1:") || a.Runner.Presenter == nil {
		t.Errorf("mode %s, url %s, presenter %v", a.Mode, a.BaseURL, a.Runner.Presenter)
	}
	if _, err := os.Stat(filepath.Join(cfg.DataDir, "journal-sandbox.db")); err != nil {
		t.Error("no sandbox journal:", err)
	}
	if sellers, err := a.Client.ListSellers(ctx); err != nil || len(sellers) != 5 {
		t.Errorf("demo sellers: %d, %v", len(sellers), err)
	}
	if ops := a.DemoOperators(ctx); len(ops) != 3 || len(a.Config.Operators) != 3 {
		t.Errorf("demo operators %+v, configured %+v", ops, a.Config.Operators)
	}
	if s := a.Reconcile(ctx, checkout.ReconcileOptions{}); !s.Complete() || len(s.Sales)+len(s.Refunds) != 0 {
		t.Errorf("fresh journal settled %+v", s)
	}

	_, err = Setup(ctx, sandboxConfig2(t, cfg))
	if err == nil || !strings.Contains(err.Error(), "kasse sandbox --state "+cfg.SandboxStatePath()) {
		t.Errorf("a second App on the same sandbox state: %v", err)
	}

	a.Close()
	if _, err := os.Stat(cfg.SandboxStatePath()); err != nil {
		t.Error("Close did not leave the sandbox's state:", err)
	}
	b, err := Setup(ctx, sandboxConfig2(t, cfg))
	if err != nil {
		t.Fatal("the state is free once the first App is closed:", err)
	}
	b.Close()
}

// sandboxConfig2 is cfg loaded again (demo operators are added to the
// loaded copy).
func sandboxConfig2(t *testing.T, cfg *config.Config) *config.Config {
	t.Helper()
	again, err := config.Load(&config.Flags{})
	if err != nil || again.DataDir != cfg.DataDir {
		t.Fatalf("reload: %v (%s)", err, again.DataDir)
	}
	return again
}
