package serve

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"kasse/config"
	"kasse/internal/app"
	"kasse/internal/sshterm"
)

// host is a `kasse serve` in this process on the embedded sandbox (demo
// seed), with operators alice and bob (cashiers), carol (supervisor, her
// key fixed at counter-9) and a key for dave, whom the configuration does
// not know.
type host struct {
	t       *testing.T
	app     *app.App
	srv     *Server
	addr    string
	hostKey string
	keys    map[string]sshterm.Key
	keyFile string
	logFile string
	stop    func()
}

const hostConfig = `
console_id = "shop"
[[operators]]
name = "alice"
role = "cashier"
[[operators]]
name = "bob"
role = "cashier"
[[operators]]
name = "carol"
role = "supervisor"
`

func newHost(t *testing.T, opts Options, setup ...func(*Server)) *host {
	t.Helper()
	return newHostEnv(t, nil, opts, setup...)
}

// newHostEnv is newHost with env set over the cleaned environment (an API
// key and base, say).
func newHostEnv(t *testing.T, env map[string]string, opts Options, setup ...func(*Server)) *host {
	t.Helper()
	return newHostConfig(t, hostConfig, env, opts, setup...)
}

// newHostConfig is newHostEnv with the config file's content.
func newHostConfig(t *testing.T, content string, env map[string]string, opts Options, setup ...func(*Server)) *host {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("HOME", dir)
	for _, v := range []string{"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "STRIPE_API_KEY", "KASSE_API_BASE",
		"KASSE_CONSOLE_ID", "KASSE_OPERATOR", config.EnvAuthorizedKeys, "LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE"} {
		t.Setenv(v, "")
	}
	cfgPath := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(cfgPath, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("KASSE_CONFIG", cfgPath)
	t.Setenv("KASSE_DATA_DIR", filepath.Join(dir, "data"))
	t.Setenv("KASSE_LOG_FILE", filepath.Join(dir, "kasse.log"))
	for k, v := range env {
		t.Setenv(k, v)
	}
	h := &host{t: t, keys: map[string]sshterm.Key{}, keyFile: filepath.Join(dir, "authorized_keys"), logFile: filepath.Join(dir, "kasse.log")}
	var lines strings.Builder
	for _, who := range []struct{ name, comment string }{
		{"alice", "alice"}, {"bob", "bob"}, {"carol", "carol@counter-9"}, {"dave", "dave"},
	} {
		k, err := sshterm.NewKey()
		if err != nil {
			t.Fatal(err)
		}
		h.keys[who.name] = k
		lines.WriteString(k.AuthorizedLine(who.comment))
	}
	if err := os.WriteFile(h.keyFile, []byte(lines.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(&config.Flags{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	a, err := app.Setup(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	h.app = a
	opts.Listen, opts.AuthorizedKeys = "127.0.0.1:0", h.keyFile
	if h.srv, err = New(ctx, a, opts); err != nil {
		a.Close()
		t.Fatal(err)
	}
	for _, f := range setup {
		f(h.srv)
	}
	ready := make(chan struct{})
	served := make(chan error, 1)
	go func() {
		served <- h.srv.Serve(ctx, func(addr, fp string) { h.addr, h.hostKey = addr, fp; close(ready) })
	}()
	select {
	case <-ready:
	case err := <-served:
		t.Fatalf("serve: %v", err)
	}
	stopped := false
	h.stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		select {
		case <-served:
		case <-time.After(90 * time.Second):
			t.Error("the server did not stop")
		}
		a.Close()
	}
	t.Cleanup(h.stop)
	return h
}

// dial connects operator's key as counter (the SSH user name).
func (h *host) dial(operator, counter string, opts sshterm.Options) *sshterm.Term {
	h.t.Helper()
	opts.User, opts.HostKey = counter, h.hostKey
	c, err := sshterm.Dial(h.addr, h.keys[operator], opts)
	if err != nil {
		h.t.Fatalf("%s at %s: %v", operator, counter, err)
	}
	h.t.Cleanup(c.Close)
	return c
}

// must fails the test on err.
func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// toRegister goes from the seller list to the register of seller (a
// filter that picks it) at its first location and reader.
func toRegister(t *testing.T, c *sshterm.Term, filter, register string) {
	t.Helper()
	must(t, c.WaitFor(10*time.Second, "Choose a seller"))
	must(t, c.Press(filter))
	must(t, c.WaitFor(5*time.Second, "1 of "))
	must(t, c.Press("enter"))
	must(t, c.WaitFor(10*time.Second, "Choose a location", "▸ ")) // the list is there: an enter before it is lost
	must(t, c.Press("enter"))
	must(t, c.WaitFor(10*time.Second, "Choose a reader", "Counter 1"))
	must(t, c.Press("enter"))
	must(t, c.WaitFor(10*time.Second, register))
}

// logText is the host's log so far.
func (h *host) logText() string {
	h.t.Helper()
	b, err := os.ReadFile(h.logFile)
	if err != nil {
		h.t.Fatal(err)
	}
	return string(b)
}

// refused dials and wants the session refused with exit 1 and a message
// on stderr holding want.
func (h *host) refused(operator, counter string, opts sshterm.Options, want string) {
	h.t.Helper()
	c := h.dial(operator, counter, opts)
	code, err := c.Wait(10 * time.Second)
	if err != nil || code != 1 {
		h.t.Fatalf("%s at %q: exit %d, %v; want a refusal (1)\nstderr: %s\nscreen:\n%s", operator, counter, code, err, c.Stderr(), c.Screen())
	}
	if !strings.Contains(c.Stderr(), want) {
		h.t.Errorf("%s at %q: stderr %q, want %q", operator, counter, c.Stderr(), want)
	}
}
