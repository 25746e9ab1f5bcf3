package config

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	testKey = "sk_test_Kasse0000TestKey1111"
	liveKey = "rk_live_" + "Kasse0000LiveKey2222"
)

// isolate gives the test its own home directory and clears every variable
// Load reads, so the developer's real configuration never leaks in.
func isolate(t *testing.T) (home string) {
	t.Helper()
	home = t.TempDir()
	t.Setenv("HOME", home)
	for _, v := range []string{"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME",
		"KASSE_CONFIG", "STRIPE_API_KEY", "KASSE_API_BASE", "KASSE_CONSOLE_ID",
		"KASSE_OPERATOR", "KASSE_DATA_DIR", "KASSE_LOG_FILE", "KASSE_WEBHOOK_SECRET", EnvAuthorizedKeys} {
		t.Setenv(v, "")
	}
	return home
}

// writeFile writes content to name inside a fresh temporary directory.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// load parses args as a subcommand would and loads the configuration.
func load(t *testing.T, args ...string) (*Config, error) {
	t.Helper()
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	var f Flags
	f.Register(fs, nil)
	if err := fs.Parse(args); err != nil {
		t.Fatalf("parse %q: %v", args, err)
	}
	return Load(&f)
}

// loadFile loads content as the file named by --config, plus args.
func loadFile(t *testing.T, content string, args ...string) (*Config, string, error) {
	t.Helper()
	p := writeFile(t, "config.toml", content)
	c, err := load(t, append([]string{"--config", p}, args...)...)
	return c, p, err
}

func mustLoad(t *testing.T, content string, args ...string) *Config {
	t.Helper()
	c, _, err := loadFile(t, content, args...)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return c
}

// errorLines splits a joined error into its messages.
func errorLines(err error) []string {
	if err == nil {
		return nil
	}
	return strings.Split(err.Error(), "\n")
}

// firstError returns the first *Error inside err.
func firstError(t *testing.T, err error) *Error {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v is not a *config.Error", err)
	}
	return e
}
