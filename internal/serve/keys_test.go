package serve

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/muesli/termenv"

	"kasse/config"
	"kasse/i18n"
	"kasse/internal/sshterm"
)

// The authorized keys file: the comment names the operator, a trailing
// @counter fixes the counter; broken lines, options and duplicates are
// skipped with a reason that never holds key material.
func TestParseKeys(t *testing.T) {
	var ks []sshterm.Key
	for range 5 {
		k, err := sshterm.NewKey()
		must(t, err)
		ks = append(ks, k)
	}
	blob := strings.Fields(ks[3].AuthorizedLine(""))[1]
	file := "# the counters of the shop\n\n" +
		ks[0].AuthorizedLine("alex") +
		ks[1].AuthorizedLine("Anna Müller@counter-2") +
		ks[2].AuthorizedLine("pat@home office") + // not a counter name: all of it is the operator
		`from="10.0.0.0/8" ` + ks[3].AuthorizedLine("sam") +
		strings.TrimSpace(ks[4].AuthorizedLine("")) + "\n" +
		ks[0].AuthorizedLine("alex again") +
		"ssh-ed25519 AAAAnot-base64 broken\n"
	got := ParseKeys("authorized_keys", []byte(file))
	want := []struct{ op, counter string }{{"alex", ""}, {"Anna Müller", "counter-2"}, {"pat@home office", ""}}
	if len(got.Keys) != len(want) {
		t.Fatalf("%d keys, want %d: %+v", len(got.Keys), len(want), got.Keys)
	}
	for i, w := range want {
		if k := got.Keys[i]; k.Operator != w.op || k.Counter != w.counter || k.Fingerprint != ks[i].Fingerprint() {
			t.Errorf("key %d = %+v, want %s at %q (%s)", i, k, w.op, w.counter, ks[i].Fingerprint())
		}
	}
	var lines, german []string
	for _, p := range got.Problems {
		lines, german = append(lines, i18n.Neutral().Render(p)), append(german, i18n.New(i18n.German).Render(p))
	}
	problems := strings.Join(lines, "\n")
	if g := strings.Join(german, "\n"); !strings.Contains(g, "Zeile 9: kein öffentlicher Schlüssel") || !strings.Contains(g, "Zeile 7 (") {
		t.Errorf("problems in German:\n%s", g)
	}
	for _, p := range []string{"line 6 (" + ks[3].Fingerprint() + "): OpenSSH options are not supported",
		"line 7 (" + ks[4].Fingerprint() + "): no operator named", "line 8 (" + ks[0].Fingerprint() + "): the same key again",
		"line 9: not a public key"} {
		if !strings.Contains(problems, p) {
			t.Errorf("problems lack %q:\n%s", p, problems)
		}
	}
	if strings.Contains(problems, blob) {
		t.Error("a problem quotes the key itself")
	}
	if k, ok := got.Lookup(ks[1].Signer.PublicKey()); !ok || k.Operator != "Anna Müller" {
		t.Errorf("lookup = %+v, %v", k, ok)
	}
	if _, ok := got.Lookup(ks[3].Signer.PublicKey()); ok {
		t.Error("a skipped line's key is let in")
	}
}

func TestReadKeysMissingFile(t *testing.T) {
	if _, err := ReadKeys(filepath.Join(t.TempDir(), "nope")); err == nil || !strings.Contains(err.Error(), "no authorized keys file at") {
		t.Errorf("err = %v", err)
	}
}

// Loopback unless named: the default is this machine only, a network
// address is served as given, an address without a host is refused.
func TestListenAddr(t *testing.T) {
	for _, c := range []struct{ flag, cfg, want, err string }{
		{"", "", DefaultListen, ""},
		{"", "0.0.0.0:2022", "0.0.0.0:2022", ""},
		{"10.1.2.3:22", "0.0.0.0:2022", "10.1.2.3:22", ""},
		{":2222", "", "", "names no host: give 127.0.0.1:2222 to serve this machine only, or 0.0.0.0:2222"},
		{"2222", "", "", "is not host:port"},
		{"localhost:", "", "", "names no port"},
	} {
		got, err := ListenAddr(c.flag, c.cfg)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("ListenAddr(%q, %q) = %q, %v; want %q", c.flag, c.cfg, got, err, c.err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("ListenAddr(%q, %q) = %q, %v; want %q", c.flag, c.cfg, got, err, c.want)
		}
	}
	if !loopback("127.0.0.1:2222") || !loopback("[::1]:22") || !loopback("localhost:1") || loopback("0.0.0.0:2222") || loopback("10.0.0.1:22") {
		t.Error("loopback misjudges an address")
	}
}

// The flag, then config (env or file), then beside the config file.
func TestAuthorizedKeysPath(t *testing.T) {
	dir := t.TempDir()
	cfg := &config.Config{File: filepath.Join(dir, "config.toml")}
	if got := AuthorizedKeysPath("", cfg); got != filepath.Join(dir, "authorized_keys") {
		t.Errorf("default = %q", got)
	}
	cfg.Serve.AuthorizedKeys = "/etc/kasse/keys"
	if got := AuthorizedKeysPath("", cfg); got != "/etc/kasse/keys" {
		t.Errorf("configured = %q", got)
	}
	if got := AuthorizedKeysPath("/tmp/k", cfg); got != "/tmp/k" {
		t.Errorf("flag = %q", got)
	}
}

// The host key is made once, private, and refused when others can read it.
func TestHostKey(t *testing.T) {
	p := filepath.Join(t.TempDir(), "data", HostKeyFile)
	_, fp, err := hostKey(p)
	must(t, err)
	if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("host key mode %v, %v; want 0600", fi.Mode().Perm(), err)
	}
	_, again, err := hostKey(p)
	if err != nil || again != fp {
		t.Errorf("the second start made another key (%s, %s) or failed: %v", fp, again, err)
	}
	must(t, os.Chmod(p, 0o644))
	if _, _, err := hostKey(p); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Errorf("a readable host key: %v", err)
	}
}

// A counter's colours come from its session's environment, never from a
// question to its terminal.
func TestRendererFromTheSessionsEnvironment(t *testing.T) {
	for _, c := range []struct {
		env  sessionEnv
		want termenv.Profile
		dark bool
	}{
		{sessionEnv{"TERM=xterm-256color"}, termenv.ANSI256, true},
		{sessionEnv{"TERM=xterm-256color", "COLORTERM=truecolor"}, termenv.TrueColor, true},
		{sessionEnv{"TERM=xterm-256color", "NO_COLOR=1"}, termenv.Ascii, true},
		{sessionEnv{"TERM=dumb"}, termenv.Ascii, true},
		{sessionEnv{"TERM=xterm", "COLORFGBG=0;15"}, termenv.ANSI, false},
	} {
		r := newRenderer(c.env)
		if r.ColorProfile() != c.want || r.HasDarkBackground() != c.dark {
			t.Errorf("%v: profile %v dark %v, want %v %v", c.env, r.ColorProfile(), r.HasDarkBackground(), c.want, c.dark)
		}
	}
}
