package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestXDGPaths(t *testing.T) {
	cases := []struct {
		name                       string
		config, data, state        string // XDG_*_HOME values
		wantCfg, wantData, wantLog string // relative to HOME unless absolute
	}{
		{"unset", "", "", "",
			".config/kasse/config.toml", ".local/share/kasse", ".local/state/kasse/kasse.log"},
		{"set", "/xdg/cfg", "/xdg/data", "/xdg/state",
			"/xdg/cfg/kasse/config.toml", "/xdg/data/kasse", "/xdg/state/kasse/kasse.log"},
		{"relative values are ignored", "cfg", "./data", "state",
			".config/kasse/config.toml", ".local/share/kasse", ".local/state/kasse/kasse.log"},
		{"trailing slash", "/xdg/cfg/", "/xdg/data/", "/xdg/state/",
			"/xdg/cfg/kasse/config.toml", "/xdg/data/kasse", "/xdg/state/kasse/kasse.log"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			home := isolate(t)
			t.Setenv("XDG_CONFIG_HOME", tc.config)
			t.Setenv("XDG_DATA_HOME", tc.data)
			t.Setenv("XDG_STATE_HOME", tc.state)
			abs := func(p string) string {
				if filepath.IsAbs(p) {
					return p
				}
				return filepath.Join(home, p)
			}
			cfg, err1 := DefaultConfigPath()
			data, err2 := DefaultDataDir()
			logf, err3 := DefaultLogFile()
			if err1 != nil || err2 != nil || err3 != nil {
				t.Fatal(err1, err2, err3)
			}
			if cfg != abs(tc.wantCfg) || data != abs(tc.wantData) || logf != abs(tc.wantLog) {
				t.Errorf("got %s %s %s", cfg, data, logf)
			}
			c, err := load(t)
			if err != nil {
				t.Fatal(err)
			}
			if c.File != cfg || c.DataDir != data || c.ReceiptsDir != filepath.Join(data, "receipts") || c.LogFile != logf {
				t.Errorf("Load: File %s DataDir %s ReceiptsDir %s LogFile %s", c.File, c.DataDir, c.ReceiptsDir, c.LogFile)
			}
		})
	}
}

func TestNoHome(t *testing.T) {
	isolate(t)
	t.Setenv("HOME", "")
	if _, err := DefaultConfigPath(); err == nil {
		t.Error("DefaultConfigPath without HOME: no error")
	}
	t.Setenv("XDG_CONFIG_HOME", "/xdg")
	if p, err := DefaultConfigPath(); err != nil || p != "/xdg/kasse/config.toml" {
		t.Errorf("DefaultConfigPath = %q, %v", p, err)
	}
}

func TestPathValues(t *testing.T) {
	home := isolate(t)
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	c, p, err := loadFile(t, "data_dir = \"~/till\"\nreceipts_dir = \"receipts\"\nlog_file = \"../logs/k.log\"\n")
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Dir(p)
	if c.DataDir != filepath.Join(home, "till") {
		t.Errorf("DataDir = %s, want ~ expanded", c.DataDir)
	}
	if c.ReceiptsDir != filepath.Join(dir, "receipts") {
		t.Errorf("ReceiptsDir = %s, want relative to the file", c.ReceiptsDir)
	}
	if c.LogFile != filepath.Join(filepath.Dir(dir), "logs", "k.log") {
		t.Errorf("LogFile = %s", c.LogFile)
	}

	// Environment and flag values are relative to the working directory;
	// receipts follow data_dir when not set.
	t.Setenv("KASSE_DATA_DIR", "rel/data")
	c, err = load(t, "--log-file", "k.log")
	if err != nil {
		t.Fatal(err)
	}
	if c.DataDir != filepath.Join(wd, "rel", "data") || c.ReceiptsDir != filepath.Join(wd, "rel", "data", "receipts") {
		t.Errorf("DataDir %s ReceiptsDir %s", c.DataDir, c.ReceiptsDir)
	}
	if c.LogFile != filepath.Join(wd, "k.log") {
		t.Errorf("LogFile = %s", c.LogFile)
	}
}

func TestSanitizeConsoleID(t *testing.T) {
	for in, want := range map[string]string{
		"till-01":                      "till-01",
		"Front-Till.shop.example":      "front-till",
		"MacBook Pro (2)":              "macbook-pro-2",
		"__weird__host__":              "weird-host",
		"":                             "kasse",
		"...":                          "kasse",
		"ünïcode-höst":                 "n-code-h-st",
		string(make([]byte, 100)):      "kasse",
		strings.Repeat("a", 70):        strings.Repeat("a", 64),
		strings.Repeat("b", 63) + ".x": strings.Repeat("b", 63),
		strings.Repeat("c", 63) + "_d": strings.Repeat("c", 63), // no trailing '-'
	} {
		got := sanitizeConsoleID(in)
		if got != want {
			t.Errorf("sanitizeConsoleID(%q) = %q, want %q", in, got, want)
		}
		if !consoleIDPattern.MatchString(got) {
			t.Errorf("sanitizeConsoleID(%q) = %q is not a valid console_id", in, got)
		}
	}
}
