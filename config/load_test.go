package config

import (
	"kasse/i18n"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestDefaults(t *testing.T) {
	home := isolate(t)
	c, err := load(t)
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"File", c.File, filepath.Join(home, ".config", "kasse", "config.toml")},
		{"FileLoaded", c.FileLoaded, false},
		{"APIBase", c.APIBase, "https://api.stripe.com"},
		{"ConsoleID", c.ConsoleID, defaultConsoleID()},
		{"Operator", c.Operator, defaultOperator()},
		{"CaptureMethod", c.CaptureMethod, "automatic"},
		{"Tipping", c.Tipping, false},
		{"CustomerCancellation", c.CustomerCancellation, true},
		{"IdleCancel", c.IdleCancel, 2 * time.Minute},
		{"PinLockout", c.PinLockout, 5 * time.Minute},
		{"TaxRate", c.TaxRate, int64(0)},
		{"DataDir", c.DataDir, filepath.Join(home, ".local", "share", "kasse")},
		{"ReceiptsDir", c.ReceiptsDir, filepath.Join(home, ".local", "share", "kasse", "receipts")},
		{"LogFile", c.LogFile, filepath.Join(home, ".local", "state", "kasse", "kasse.log")},
		{"SandboxOptions", c.SandboxOptions, SandboxOptions{AutoPresent: 0, Seed: "demo"}},
		{"Sandbox()", c.Sandbox(), true},
		{"KeyMode()", c.KeyMode(), "sandbox"},
		{"Origin(api_base)", c.Origin("api_base"), "default"},
		{"len(QuickKeys)", len(c.QuickKeys), 0},
		{"len(Operators)", len(c.Operators), 0},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("%s = %v, want %v", ch.name, ch.got, ch.want)
		}
	}
	if c.ConsoleID == "" || c.Operator == "" {
		t.Errorf("empty derived defaults: console %q operator %q", c.ConsoleID, c.Operator)
	}
}

func TestDefaultFileIsRead(t *testing.T) {
	home := isolate(t)
	p := filepath.Join(home, ".config", "kasse", "config.toml")
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte("operator = \"dana\"\ncapture_method = \"manual\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := load(t)
	if err != nil {
		t.Fatal(err)
	}
	if !c.FileLoaded || c.File != p || c.Operator != "dana" || c.CaptureMethod != "manual" {
		t.Errorf("got File %q loaded %v operator %q capture %q", c.File, c.FileLoaded, c.Operator, c.CaptureMethod)
	}
	if c.Origin("operator") != p {
		t.Errorf("Origin(operator) = %q, want %q", c.Origin("operator"), p)
	}
}

// TestPrecedence checks defaults < file < environment < flags for every
// key that all three can set.
func TestPrecedence(t *testing.T) {
	keys := []struct {
		key, env, flag    string
		file, envV, flagV string
		get               func(*Config) string
	}{
		{"api_base", "KASSE_API_BASE", "api-base", "http://127.0.0.1:1111", "http://127.0.0.1:2222", "http://127.0.0.1:3333",
			func(c *Config) string { return c.APIBase }},
		{"console_id", "KASSE_CONSOLE_ID", "console-id", "file-till", "env-till", "flag-till",
			func(c *Config) string { return c.ConsoleID }},
		{"operator", "KASSE_OPERATOR", "operator", "file-op", "env-op", "flag-op",
			func(c *Config) string { return c.Operator }},
		{"data_dir", "KASSE_DATA_DIR", "data-dir", "/srv/file", "/srv/env", "/srv/flag",
			func(c *Config) string { return c.DataDir }},
		{"log_file", "KASSE_LOG_FILE", "log-file", "/srv/file.log", "/srv/env.log", "/srv/flag.log",
			func(c *Config) string { return c.LogFile }},
	}
	for _, k := range keys {
		for _, tc := range []struct {
			name                  string
			useFile, useEnv, flag bool
			want, origin          string
		}{
			{"file", true, false, false, k.file, "<file>"},
			{"file<env", true, true, false, k.envV, "env " + k.env},
			{"file<env<flag", true, true, true, k.flagV, "flag --" + k.flag},
			{"file<flag", true, false, true, k.flagV, "flag --" + k.flag},
			{"env<flag", false, true, true, k.flagV, "flag --" + k.flag},
		} {
			t.Run(k.key+"/"+tc.name, func(t *testing.T) {
				isolate(t)
				content := ""
				if tc.useFile {
					content = k.key + " = \"" + k.file + "\"\n"
				}
				if tc.useEnv {
					t.Setenv(k.env, k.envV)
				}
				var args []string
				if tc.flag {
					args = []string{"--" + k.flag, k.flagV}
				}
				c, p, err := loadFile(t, content, args...)
				if err != nil {
					t.Fatal(err)
				}
				if got := k.get(c); got != tc.want {
					t.Errorf("%s = %q, want %q", k.key, got, tc.want)
				}
				want := strings.Replace(tc.origin, "<file>", p, 1)
				if got := c.Origin(k.key); got != want {
					t.Errorf("Origin(%s) = %q, want %q", k.key, got, want)
				}
			})
		}
	}
}

func TestAPIKeyPrecedenceAndMode(t *testing.T) {
	isolate(t)
	c := mustLoad(t, `api_key = "`+testKey+`"`)
	if c.APIKey.Reveal() != testKey || c.Sandbox() || c.KeyMode() != "test" {
		t.Errorf("file key: sandbox %v mode %q", c.Sandbox(), c.KeyMode())
	}
	t.Setenv("STRIPE_API_KEY", "  "+liveKey+"\n")
	c = mustLoad(t, `api_key = "`+testKey+`"`)
	if c.APIKey.Reveal() != liveKey || c.KeyMode() != "live" || c.Origin("api_key") != "env STRIPE_API_KEY" {
		t.Errorf("env key: mode %q origin %q", c.KeyMode(), c.Origin("api_key"))
	}
}

// A key in a file other users can read is a warning naming the file and
// the fix, never the key; a private file, or a file without a key, is not.
func TestAPIKeyInReadableFileWarns(t *testing.T) {
	isolate(t)
	p := writeFile(t, "kasse.toml", `api_key = "`+testKey+`"`)
	c, err := load(t, "--config", p)
	if err != nil || len(c.Warnings) != 0 {
		t.Fatalf("0600 file: err %v, warnings %v", err, c.Warnings)
	}
	if err := os.Chmod(p, 0o644); err != nil {
		t.Fatal(err)
	}
	c, err = load(t, "--config", p)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Warnings) != 1 {
		t.Fatalf("warnings = %v", c.Warnings)
	}
	for _, w := range []string{i18n.New(i18n.English).Render(c.Warnings[0]), i18n.New(i18n.German).Render(c.Warnings[0])} {
		if !strings.Contains(w, p) || !strings.Contains(w, "0644") || !strings.Contains(w, "chmod 600") || strings.Contains(w, testKey) {
			t.Errorf("warning = %q", w)
		}
	}
	q := writeFile(t, "nokey.toml", `operator = "ana"`)
	if err := os.Chmod(q, 0o644); err != nil {
		t.Fatal(err)
	}
	if c, err := load(t, "--config", q); err != nil || len(c.Warnings) != 0 {
		t.Errorf("file without a key: err %v, warnings %v", err, c.Warnings)
	}
}

func TestKeyMode(t *testing.T) {
	for key, want := range map[string]string{
		"": "sandbox", "sk_test_a1": "test", "rk_test_a1": "test", "sk_live_a1": "live", "rk_live_a1": "live",
	} {
		c := &Config{APIKey: NewSecret(key)}
		if got := c.KeyMode(); got != want {
			t.Errorf("KeyMode(%.7s…) = %q, want %q", key, got, want)
		}
		if c.Sandbox() != (key == "") {
			t.Errorf("Sandbox() with key %.7s… = %v", key, c.Sandbox())
		}
	}
}

// Demo operators come with the sandbox's demo only: no key, the demo
// seed, no operators of one's own.
func TestDemoOperators(t *testing.T) {
	ops := []Operator{{Name: "kim", Role: RoleSupervisor}}
	for _, c := range []struct {
		key, seed string
		ops       []Operator
		want      bool
	}{
		{"", SeedDemo, nil, true},
		{"", "", nil, true},
		{"", SeedNone, nil, false},
		{"", SeedDemo, ops, false},
		{"sk_test_a1", SeedDemo, nil, false},
		{"rk_test_a1", SeedDemo, nil, false},
		{"sk_live_a1", SeedDemo, nil, false},
	} {
		cfg := &Config{APIKey: NewSecret(c.key), SandboxOptions: SandboxOptions{Seed: c.seed}, Operators: c.ops}
		if got := cfg.DemoOperators(); got != c.want {
			t.Errorf("key %.7s… seed %q operators %v: DemoOperators() = %v", c.key, c.seed, c.ops, got)
		}
	}
}

func TestConfigFileSelection(t *testing.T) {
	isolate(t)
	a := writeFile(t, "a.toml", `operator = "from-env-file"`)
	b := writeFile(t, "b.toml", `operator = "from-flag-file"`)
	t.Setenv("KASSE_CONFIG", a)
	c, err := load(t)
	if err != nil || c.Operator != "from-env-file" || c.File != a {
		t.Fatalf("KASSE_CONFIG: %v %+v", err, c)
	}
	c, err = load(t, "--config", b)
	if err != nil || c.Operator != "from-flag-file" || c.File != b {
		t.Fatalf("--config over KASSE_CONFIG: %v %+v", err, c)
	}
}

func TestMissingExplicitFile(t *testing.T) {
	isolate(t)
	missing := filepath.Join(t.TempDir(), "nope.toml")
	_, err := load(t, "--config", missing)
	want := "config: " + missing + ": no such file (named by flag --config)"
	if err == nil || err.Error() != want {
		t.Errorf("--config: got %v, want %s", err, want)
	}
	t.Setenv("KASSE_CONFIG", missing)
	_, err = load(t)
	want = "config: " + missing + ": no such file (named by env KASSE_CONFIG)"
	if err == nil || err.Error() != want {
		t.Errorf("KASSE_CONFIG: got %v, want %s", err, want)
	}
}

func TestSyntaxErrorHasLine(t *testing.T) {
	isolate(t)
	_, p, err := loadFile(t, "capture_method = \"manual\"\n\ntipping = tru\n")
	if err == nil {
		t.Fatal("no error")
	}
	e := firstError(t, err)
	if e.Line != 3 || e.Source != p {
		t.Errorf("Line %d Source %q, want 3 %q", e.Line, e.Source, p)
	}
	if prefix := "config: " + p + ": line 3: "; !strings.HasPrefix(err.Error(), prefix) {
		t.Errorf("error %q does not start with %q", err, prefix)
	}
}

func TestUnknownKeys(t *testing.T) {
	isolate(t)
	cases := []struct{ content, want string }{
		{`captur_method = "manual"`, `captur_method: unknown key; did you mean capture_method?`},
		{`API_BASE = "https://api.stripe.com"`, `API_BASE: unknown key; did you mean api_base?`},
		{"[sandbx]\nseed = \"none\"", `sandbx: unknown key; did you mean sandbox?`},
		{"[sandbox]\nautopresent = \"5s\"", `sandbox.autopresent: unknown key; did you mean sandbox.auto_present?`},
		{"[[quick_keys]]\nkey = \"1\"\ndescription = \"Tea\"\nprices = {usd = \"2\"}\ncolour = \"red\"", `quick_keys.colour: unknown key`},
		{`flux_capacitor = true`, `flux_capacitor: unknown key`},
	}
	for _, tc := range cases {
		_, p, err := loadFile(t, tc.content)
		if got := errorLines(err); len(got) != 1 || got[0] != "config: "+p+": "+tc.want {
			t.Errorf("%q:\n got %q\nwant %q", tc.content, got, "config: "+p+": "+tc.want)
		}
	}
}

func TestErrorsAreCollected(t *testing.T) {
	isolate(t)
	t.Setenv("KASSE_API_BASE", "http://10.0.0.1")
	_, p, err := loadFile(t, "capture_method = \"later\"\ntipping = \"yes\"\ntypo = 1\n", "--console-id", "a b")
	got := errorLines(err)
	want := []string{
		"config: " + p + ": typo: unknown key",
		"config: " + p + `: capture_method: "later" is not one of automatic, manual`,
		"config: " + p + `: tipping: must be true or false, not the string "yes"`,
		`config: env KASSE_API_BASE: api_base: "http://10.0.0.1" is not allowed: use https://api.stripe.com or a loopback address (http or https on 127.0.0.1, localhost or [::1], with an optional port)`,
		`config: flag --console-id: console_id: "a b" must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// The same problems in German, the sources too.
	wantDE := []string{
		"Konfiguration: " + p + ": typo: unbekannter Schlüssel",
		"Konfiguration: " + p + `: capture_method: "later" ist keiner der Werte automatic, manual`,
		"Konfiguration: " + p + `: tipping: muss true oder false sein, nicht der Text "yes"`,
		`Konfiguration: Umgebung KASSE_API_BASE: api_base: "http://10.0.0.1" ist nicht erlaubt: https://api.stripe.com oder eine Loopback-Adresse verwenden (http oder https auf 127.0.0.1, localhost oder [::1], wahlweise mit Port)`,
		`Konfiguration: Option --console-id: console_id: "a b" muss aus 1 bis 64 Buchstaben, Ziffern, '.', '_' oder '-' bestehen und mit einem Buchstaben oder einer Ziffer beginnen`,
	}
	if got := i18n.New(i18n.German).Err(err); got != strings.Join(wantDE, "\n") {
		t.Errorf("German: got\n%s\nwant\n%s", got, strings.Join(wantDE, "\n"))
	}
}

// A configuration that names its operator's language reports its problems
// in it (ErrorLocale), whatever LANG says; without one, LANG decides.
func TestErrorLocaleIsTheConfiguredLanguage(t *testing.T) {
	isolate(t)
	env := func(lang string) func(string) string {
		return func(k string) string {
			if k == "LANG" {
				return lang
			}
			return ""
		}
	}
	_, _, err := loadFile(t, "language = \"de\"\ntipping = \"yes\"\n")
	if loc := ErrorLocale(err, env("C.UTF-8")); loc.Language() != i18n.German || !strings.Contains(loc.Err(err), "muss true oder false sein") {
		t.Errorf("configured de: %s %q", loc.Tag(), loc.Err(err))
	}
	_, _, err = loadFile(t, "[[operators]]\nname = \"ann\"\nrole = \"tech\"\nlanguage = \"en\"\n\ntipping = \"yes\"\n", "--operator", "ann")
	if loc := ErrorLocale(err, env("de_DE.UTF-8")); loc.Language() != i18n.English {
		t.Errorf("ann speaks en: %s", loc.Tag())
	}
	_, _, err = loadFile(t, "tipping = \"yes\"\n")
	if loc := ErrorLocale(err, env("de_DE.UTF-8")); loc.Language() != i18n.German {
		t.Errorf("nothing configured, LANG=de: %s", loc.Tag())
	}
}

func TestEmptyFlagIsAnError(t *testing.T) {
	isolate(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--operator="}, "config: flag --operator: operator: must not be empty"},
		{[]string{"--data-dir="}, "config: flag --data-dir: data_dir: must not be empty"},
		{[]string{"--config="}, "config: flag --config: the config file path must not be empty"},
	} {
		if _, err := load(t, tc.args...); err == nil || err.Error() != tc.want {
			t.Errorf("%v: got %v, want %s", tc.args, err, tc.want)
		}
	}
}
