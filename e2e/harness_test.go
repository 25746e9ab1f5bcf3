package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"kasse/internal/testkit"
	"kasse/journal"
)

// Test cards (Stripe's Terminal testing page).
const (
	visa         = "4242424242424242" // approved
	insufficient = "4000000000009995" // declined: insufficient_funds
)

// kasseBin is the binary TestMain built from this module.
var kasseBin string

// tmuxSocket names this test process's private tmux server (tmux -L), so
// the tests never touch the user's sessions.
var tmuxSocket = fmt.Sprintf("kasse-e2e-%d", os.Getpid())

// tmuxPath is tmux's path, "" when it is not installed.
var tmuxPath, _ = exec.LookPath("tmux")

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "kasse-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		os.Exit(1)
	}
	kasseBin = filepath.Join(dir, "kasse")
	if err := build(kasseBin); err != nil {
		fmt.Fprintln(os.Stderr, "e2e: building kasse:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	if tmuxPath != "" {
		_ = tmuxCmd("kill-server").Run() // fails harmlessly when no test started it
		tmpdir := os.Getenv("TMUX_TMPDIR")
		if tmpdir == "" {
			tmpdir = "/tmp"
		}
		_ = os.Remove(filepath.Join(tmpdir, fmt.Sprintf("tmux-%d", os.Getuid()), tmuxSocket)) // tmux leaves it
	}
	os.RemoveAll(dir)
	os.Exit(code)
}

// sourcesRead makes every test that runs the binary open its sources
// (once per process; it must happen inside m.Run, where go test logs the
// files a test opens).
var sourcesRead = sync.OnceValue(readSources)

// readSources opens every file the binary is built from. go test caches
// a package's result keyed on the test binary and on the files the test
// itself opened; the binary built in a child process would otherwise not
// count, and a change to (say) package ui would replay a stale PASS.
func readSources() error {
	root, err := filepath.Abs("..")
	if err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		return fmt.Errorf("module root: %w", err)
	}
	return filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (strings.HasPrefix(name, ".") || name == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go") || name == "go.mod" || name == "go.sum" {
			f, err := os.Open(path)
			if err != nil {
				return err
			}
			_, err = io.Copy(io.Discard, f)
			f.Close()
			return err
		}
		return nil
	})
}

// build compiles the kasse command (the module's main package) to out.
func build(out string) error {
	gobin, err := exec.LookPath("go")
	if err != nil {
		gobin = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	cmd := exec.Command(gobin, "build", "-o", out, "kasse")
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%v\n%s", err, stderr.String())
	}
	return nil
}

// baseEnv is this process's environment without anything that could make
// a child talk to real Stripe or read the user's configuration: no
// STRIPE_API_KEY, no KASSE_* settings, no XDG_* directories, no TMUX. The
// machine's locale is replaced by LANG=C.UTF-8 (English, UTF-8 for tmux):
// the tests read English words off the screen, whatever the machine
// speaks; a German test sets its own (germanEnv).
func baseEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch {
		case k == "STRIPE_API_KEY", k == "TMUX", k == "TMUX_PANE",
			strings.HasPrefix(k, "KASSE_"), strings.HasPrefix(k, "XDG_"),
			k == "LANG", k == "LANGUAGE", strings.HasPrefix(k, "LC_"):
			continue
		}
		env = append(env, kv)
	}
	return append(env, "LANG=C.UTF-8")
}

// germanEnv is what makes a console German without any configuration: the
// POSIX locale (LC_ALL, LC_MESSAGES and LANG decide in that order).
var germanEnv = []string{"LANG=de_DE.UTF-8"}

// world is one test's isolated installation: its own XDG directories (so
// config, journal, prefs and log are private) and its own sandbox process.
type world struct {
	config, data, state string
	sandbox             *sandboxProc
	api                 *sandboxAPI
	lumen, sonnenkorn   place
	consoleID           string
	consoles            int    // tmux sessions started, for unique names
	sandboxLog          string // the sandbox's log: one line per request it served
}

// place is a demo seller with its platform reader.
type place struct {
	Seller, Reader, Location string
}

// newWorld starts a sandbox (seed demo) with extra `kasse sandbox` flags
// (--fault …) and prepares private XDG directories.
func newWorld(t testing.TB, sandboxFlags ...string) *world {
	t.Helper()
	if err := sourcesRead(); err != nil {
		t.Fatalf("reading the module's sources: %v", err)
	}
	dir := t.TempDir()
	w := &world{config: filepath.Join(dir, "config"), data: filepath.Join(dir, "data"),
		state: filepath.Join(dir, "state"), consoleID: "e2e"}
	for _, d := range []string{w.config, w.data, w.state} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	w.sandboxLog = filepath.Join(dir, "sandbox.log")
	w.sandbox = startSandbox(t, w.env(), w.sandboxLog, sandboxFlags...)
	w.api = &sandboxAPI{base: w.sandbox.url, hc: &http.Client{Timeout: 10 * time.Second}}
	w.lumen = w.api.place(t, "Lumen Coffee Roasters")
	w.sonnenkorn = w.api.place(t, "Bäckerei Sonnenkorn")
	return w
}

// env is the environment of every kasse process of the world.
func (w *world) env() []string {
	return append(baseEnv(), "XDG_CONFIG_HOME="+w.config, "XDG_DATA_HOME="+w.data, "XDG_STATE_HOME="+w.state)
}

// flags are the shared flags every kasse command of the world gets.
func (w *world) flags() []string {
	return []string{"--api-base", w.sandbox.url, "--console-id", w.consoleID, "--operator", "e2e"}
}

func (w *world) journalPath() string { return filepath.Join(w.data, "kasse", "journal-sandbox.db") }
func (w *world) logPath() string     { return filepath.Join(w.state, "kasse", "kasse.log") }

// logTail is the end of the kasse log, for failure messages.
func (w *world) logTail() string {
	return tail(w.logPath(), 40)
}

func tail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return "(" + err.Error() + ")"
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// ---- the sandbox process ----

// sandboxProc is a `kasse sandbox` process.
type sandboxProc struct {
	cmd    *exec.Cmd
	url    string
	stderr *testkit.SyncBuffer
	done   chan struct{}
}

var listeningRE = regexp.MustCompile(`(?m)^sandbox listening on (http://127\.0\.0\.1:\d+)\n`)

// startSandbox runs `kasse sandbox --addr 127.0.0.1:0 --seed demo` and
// parses the one line it prints. The process is stopped in Cleanup.
func startSandbox(t testing.TB, env []string, logFile string, extra ...string) *sandboxProc {
	t.Helper()
	args := append([]string{"sandbox", "--addr", "127.0.0.1:0", "--seed", "demo", "--log-file", logFile}, extra...)
	cmd := exec.Command(kasseBin, args...)
	cmd.Env = env
	stdout, stderr := &testkit.SyncBuffer{}, &testkit.SyncBuffer{}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("start sandbox: %v", err)
	}
	p := &sandboxProc{cmd: cmd, stderr: stderr, done: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(p.done) }()
	t.Cleanup(func() { p.stop() })
	deadline := time.Now().Add(15 * time.Second)
	for {
		if m := listeningRE.FindStringSubmatch(stdout.String()); m != nil {
			p.url = m[1]
			return p
		}
		select {
		case <-p.done:
			t.Fatalf("kasse sandbox exited: %v\nstdout: %s\nstderr: %s", cmd.ProcessState, stdout, stderr)
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("kasse sandbox printed no URL within 15s\nstdout: %s\nstderr: %s", stdout, stderr)
		}
	}
}

// stop ends the sandbox: SIGTERM (graceful), SIGKILL if it lingers (a
// request held by a latency fault keeps a graceful shutdown waiting).
func (p *sandboxProc) stop() {
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(time.Second):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

// ---- the sandbox's HTTP API, to assert on Stripe-side state ----

// sandboxAPI queries the sandbox like a Stripe client would (Basic auth
// with any test key, Stripe-Account for a connected account).
type sandboxAPI struct {
	base string
	hc   *http.Client
}

type apiIntent struct {
	ID       string            `json:"id"`
	Status   string            `json:"status"`
	Amount   int64             `json:"amount"`
	Currency string            `json:"currency"`
	Metadata map[string]string `json:"metadata"`
}

type apiReader struct {
	ID       string  `json:"id"`
	Label    string  `json:"label"`
	Location string  `json:"location"`
	Status   *string `json:"status"`
	Action   *struct {
		Type                 string  `json:"type"`
		Status               string  `json:"status"`
		FailureCode          *string `json:"failure_code"`
		ProcessPaymentIntent *struct {
			PaymentIntent string `json:"payment_intent"`
		} `json:"process_payment_intent"`
	} `json:"action"`
}

// actionIntent is the intent of the reader's payment action ("" if none).
func (r apiReader) actionIntent() string {
	if r.Action == nil || r.Action.ProcessPaymentIntent == nil {
		return ""
	}
	return r.Action.ProcessPaymentIntent.PaymentIntent
}

func (r apiReader) String() string {
	if r.Action == nil {
		return r.ID + " (no action)"
	}
	return fmt.Sprintf("%s (%s %s, intent %q)", r.ID, r.Action.Type, r.Action.Status, r.actionIntent())
}

// do sends a request and decodes a 200 answer into out.
func (a *sandboxAPI) do(method, path, account string, form url.Values, out any) error {
	var body io.Reader
	if method == http.MethodPost {
		body = strings.NewReader(form.Encode())
	} else if len(form) > 0 {
		path += "?" + form.Encode()
	}
	req, err := http.NewRequest(method, a.base+path, body)
	if err != nil {
		return err
	}
	req.SetBasicAuth("sk_test_e2eHarness", "")
	if account != "" {
		req.Header.Set("Stripe-Account", account)
	}
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	res, err := a.hc.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return err
	}
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("%s %s: %s: %s", method, path, res.Status, b)
	}
	return json.Unmarshal(b, out)
}

// list pages through a list endpoint.
func list[T any](a *sandboxAPI, path, account string, q url.Values) ([]T, error) {
	var all []T
	if q == nil {
		q = url.Values{}
	}
	q.Set("limit", "100")
	for {
		var page struct {
			Data    []json.RawMessage `json:"data"`
			HasMore bool              `json:"has_more"`
		}
		if err := a.do(http.MethodGet, path, account, q, &page); err != nil {
			return nil, err
		}
		last := ""
		for _, raw := range page.Data {
			var v T
			if err := json.Unmarshal(raw, &v); err != nil {
				return nil, err
			}
			var id struct {
				ID string `json:"id"`
			}
			_ = json.Unmarshal(raw, &id)
			last = id.ID
			all = append(all, v)
		}
		if !page.HasMore || last == "" {
			return all, nil
		}
		q.Set("starting_after", last)
	}
}

// intents lists every PaymentIntent on a seller.
func (a *sandboxAPI) intents(t testing.TB, seller string) []apiIntent {
	t.Helper()
	ins, err := list[apiIntent](a, "/v1/payment_intents", seller, nil)
	if err != nil {
		t.Fatalf("list intents of %s: %v", seller, err)
	}
	return ins
}

// reader reads a platform reader.
func (a *sandboxAPI) reader(t testing.TB, id string) apiReader {
	t.Helper()
	var r apiReader
	if err := a.do(http.MethodGet, "/v1/terminal/readers/"+id, "", nil, &r); err != nil {
		t.Fatalf("read reader: %v", err)
	}
	return r
}

// present is the customer tapping card on a simulated platform reader.
func (a *sandboxAPI) present(t testing.TB, readerID, card string) apiReader {
	t.Helper()
	var r apiReader
	form := url.Values{"type": {"card_present"}, "card_present[number]": {card}}
	if err := a.do(http.MethodPost, "/v1/test_helpers/terminal/readers/"+readerID+"/present_payment_method", "", form, &r); err != nil {
		t.Fatalf("present %s on %s: %v", card, readerID, err)
	}
	return r
}

// place finds a demo seller by business name with its platform location
// (named after it) and that location's reader.
func (a *sandboxAPI) place(t testing.TB, business string) place {
	t.Helper()
	type account struct {
		ID              string `json:"id"`
		BusinessProfile struct {
			Name string `json:"name"`
		} `json:"business_profile"`
	}
	type location struct {
		ID          string `json:"id"`
		DisplayName string `json:"display_name"`
	}
	accts, err := list[account](a, "/v1/accounts", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	locs, err := list[location](a, "/v1/terminal/locations", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	readers, err := list[apiReader](a, "/v1/terminal/readers", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	var p place
	for _, ac := range accts {
		if ac.BusinessProfile.Name == business {
			p.Seller = ac.ID
		}
	}
	for _, l := range locs {
		if l.DisplayName == business {
			p.Location = l.ID
		}
	}
	for _, r := range readers {
		if r.Location == p.Location && p.Location != "" {
			p.Reader = r.ID
		}
	}
	if p.Seller == "" || p.Reader == "" {
		t.Fatalf("demo seed: no seller %q with a platform reader (%+v)", business, p)
	}
	return p
}

// ---- the journal ----

// sales opens the world's journal (after or alongside a kasse process:
// SQLite WAL) and returns every sale, newest first.
func (w *world) sales(t testing.TB) []journal.SaleRecord {
	t.Helper()
	if _, err := os.Stat(w.journalPath()); err != nil {
		t.Fatalf("journal: %v", err)
	}
	j, err := journal.Open(w.journalPath())
	if err != nil {
		t.Fatalf("open journal: %v", err)
	}
	defer j.Close()
	recs, err := j.ListSales(context.Background(), journal.SaleFilter{Limit: journal.MaxLimit})
	if err != nil {
		t.Fatalf("journal: %v", err)
	}
	return recs
}

// trySales is sales without failing: for polling while a kasse process
// writes the journal. It never creates the file.
func (w *world) trySales() ([]journal.SaleRecord, error) {
	if _, err := os.Stat(w.journalPath()); err != nil {
		return nil, err
	}
	j, err := journal.Open(w.journalPath())
	if err != nil {
		return nil, err
	}
	defer j.Close()
	return j.ListSales(context.Background(), journal.SaleFilter{Limit: journal.MaxLimit})
}

// sale returns the journal's record of one sale.
func (w *world) sale(t testing.TB, id string) journal.SaleRecord {
	t.Helper()
	for _, r := range w.sales(t) {
		if r.Sale.ID == id {
			return r
		}
	}
	t.Fatalf("sale %s is not in the journal", id)
	return journal.SaleRecord{}
}

// ---- kasse charge ----

// chargeResult is `kasse charge --json` output.
type chargeResult struct {
	SaleID   string `json:"sale_id"`
	IntentID string `json:"intent_id"`
	Status   string `json:"status"`
	Amount   int64  `json:"amount"`
	Message  string `json:"message"`
}

// charge starts `kasse charge --json` with the world's shared flags and
// args; the caller waits for or kills it.
func (w *world) charge(args ...string) (*exec.Cmd, *testkit.SyncBuffer, *testkit.SyncBuffer) {
	cmd := exec.Command(kasseBin, append(append([]string{"charge"}, w.flags()...), append([]string{"--json"}, args...)...)...)
	cmd.Env = w.env()
	out, errOut := &testkit.SyncBuffer{}, &testkit.SyncBuffer{}
	cmd.Stdout, cmd.Stderr = out, errOut
	return cmd, out, errOut
}

// chargeOK runs `kasse charge` to the end and wants exit 0 and approved.
func (w *world) chargeOK(t *testing.T, args ...string) chargeResult {
	t.Helper()
	cmd, out, errOut := w.charge(args...)
	done := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		var res chargeResult
		if jerr := json.Unmarshal([]byte(out.String()), &res); err != nil || jerr != nil || res.Status != "approved" {
			t.Fatalf("kasse charge %v: %v / %v\nstdout: %s\nstderr: %s\nlog:\n%s", args, err, jerr, out, errOut, w.logTail())
		}
		return res
	case <-time.After(60 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatalf("kasse charge %v did not finish within 60s\nstderr: %s\nlog:\n%s", args, errOut, w.logTail())
	}
	return chargeResult{}
}

// ---- polling ----

// eventually polls cond every interval until it returns true or timeout
// passes; it returns whether cond held.
func eventually(timeout, interval time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(timeout)
	for {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(interval)
	}
}

// ---- tmux ----

// requireTmux: the console end-to-end tests need tmux. Without it they
// skip on a developer's machine, but fail in CI (CI=true, as CI services
// set it), where a missing tmux must not pass silently.
func requireTmux(t *testing.T) {
	t.Helper()
	if tmuxPath != "" {
		return
	}
	if fail, msg := missingTmux(os.Getenv); fail {
		t.Fatal(msg)
	} else {
		t.Skip(msg)
	}
}

// missingTmux says what a test does when tmux is not installed: fail in
// CI (CI set to a true value: true, 1, …), skip elsewhere; msg says why
// and how to install it.
func missingTmux(getenv func(string) string) (fail bool, msg string) {
	msg = "tmux is not installed: the console end-to-end tests need it (apt-get install tmux)"
	if inCI(getenv) {
		return true, msg + "; CI=" + getenv("CI") + ", so they fail instead of skipping"
	}
	return false, msg
}

// inCI reports whether CI is set to a true value (true, 1, …), as CI
// services set it: there a missing tool fails a test instead of skipping it.
func inCI(getenv func(string) string) bool {
	ci, err := strconv.ParseBool(strings.TrimSpace(getenv("CI")))
	return err == nil && ci
}

// tmuxCmd is a command against this process's private tmux server, which
// ignores the user's tmux.conf.
func tmuxCmd(args ...string) *exec.Cmd {
	cmd := exec.Command(tmuxPath, append([]string{"-u", "-f", "/dev/null", "-L", tmuxSocket}, args...)...)
	cmd.Env = baseEnv()
	return cmd
}

func tmux(t testing.TB, args ...string) string {
	t.Helper()
	out, err := tmuxCmd(args...).CombinedOutput()
	if err != nil {
		t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// console is the kasse console running in a tmux session of 110×32.
type console struct {
	t    *testing.T
	w    *world
	name string
}

// startConsole runs `kasse --api-base SANDBOX` in a new detached tmux
// session and waits for the seller picker.
func (w *world) startConsole(t *testing.T) *console {
	t.Helper()
	c := w.startConsoleWith(t, w.flags())
	c.waitFor(15*time.Second, "Choose a seller", "5 sellers")
	return c
}

// startConsoleWith runs kasse with these flags in a new detached tmux
// session (killed in Cleanup; the pane stays readable after the process
// exits) and returns at once. It speaks English (LANG=C.UTF-8).
func (w *world) startConsoleWith(t *testing.T, flags []string) *console {
	t.Helper()
	return w.startConsoleEnv(t, nil, flags)
}

// startConsoleEnv is startConsoleWith with env (KEY=value) set for kasse
// after the English default, e.g. germanEnv.
func (w *world) startConsoleEnv(t *testing.T, env, flags []string) *console {
	t.Helper()
	requireTmux(t)
	w.consoles++
	name := fmt.Sprintf("%s-%d", strings.NewReplacer("/", "-", ".", "-", ":", "-").Replace(t.Name()), w.consoles)
	args := []string{"new-session", "-d", "-s", name, "-x", "110", "-y", "32",
		"env", "-u", "STRIPE_API_KEY", "-u", "LC_ALL", "-u", "LC_MESSAGES", "-u", "LANGUAGE", "LANG=C.UTF-8", "TERM=xterm-256color",
		"XDG_CONFIG_HOME=" + w.config, "XDG_DATA_HOME=" + w.data, "XDG_STATE_HOME=" + w.state}
	args = append(append(args, env...), kasseBin)
	args = append(args, flags...)
	args = append(args, ";", "set-option", "-t", name, "remain-on-exit", "on")
	tmux(t, args...)
	c := &console{t: t, w: w, name: name}
	t.Cleanup(func() { _ = tmuxCmd("kill-session", "-t", name).Run() })
	return c
}

// send sends tmux key names (Enter, Escape, Down, C-c, …).
func (c *console) send(keys ...string) {
	c.t.Helper()
	tmux(c.t, append([]string{"send-keys", "-t", c.name}, keys...)...)
}

// typeText types s literally.
func (c *console) typeText(s string) {
	c.t.Helper()
	tmux(c.t, "send-keys", "-t", c.name, "-l", s)
}

// capture is the visible screen.
func (c *console) capture() string {
	c.t.Helper()
	return tmux(c.t, "capture-pane", "-p", "-t", c.name)
}

// dead reports whether the console process has exited, with its status.
func (c *console) dead() (bool, string) {
	out, err := tmuxCmd("display-message", "-p", "-t", c.name, "#{pane_dead} #{pane_dead_status}").Output()
	if err != nil {
		return true, "session gone"
	}
	f := strings.Fields(string(out))
	return len(f) > 0 && f[0] == "1", strings.Join(f[1:], " ")
}

// pid is the console process's pid (tmux runs the command directly: env
// execs kasse).
func (c *console) pid() int {
	c.t.Helper()
	out := strings.TrimSpace(tmux(c.t, "display-message", "-p", "-t", c.name, "#{pane_pid}"))
	pid, err := strconv.Atoi(out)
	if err != nil {
		c.t.Fatalf("pane pid %q: %v", out, err)
	}
	return pid
}

// waitFor polls the screen every 100 ms until it shows every one of texts,
// and returns it; on timeout (or if kasse exits) it fails with the screen
// and the end of the log.
func (c *console) waitFor(timeout time.Duration, texts ...string) string {
	c.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		screen := c.capture()
		missing := ""
		for _, s := range texts {
			if !strings.Contains(screen, s) {
				missing = s
				break
			}
		}
		if missing == "" {
			return screen
		}
		if dead, status := c.dead(); dead {
			c.t.Fatalf("kasse exited (%s) while waiting for %q; screen:\n%s\nlog:\n%s", status, missing, screen, c.w.logTail())
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("screen did not show %q within %s; screen:\n%s\nlog:\n%s", missing, timeout, screen, c.w.logTail())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// waitExit waits for the console process to end.
func (c *console) waitExit(timeout time.Duration) string {
	c.t.Helper()
	var status string
	if !eventually(timeout, 50*time.Millisecond, func() bool {
		var dead bool
		dead, status = c.dead()
		return dead
	}) {
		c.t.Fatalf("kasse did not exit within %s; screen:\n%s", timeout, c.capture())
	}
	return status
}

// kill SIGKILLs the console process: no deferred code, no journal close.
func (c *console) kill() {
	c.t.Helper()
	pid := c.pid()
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		c.t.Fatalf("kill %d: %v", pid, err)
	}
	c.waitExit(5 * time.Second)
}

// ---- console flows ----

var intentRE = regexp.MustCompile(`pi_[A-Za-z0-9]+`)

// intentOnScreen is the PaymentIntent id shown on screen.
func intentOnScreen(t *testing.T, screen string) string {
	t.Helper()
	id := intentRE.FindString(screen)
	if id == "" {
		t.Fatalf("no PaymentIntent id on screen:\n%s", screen)
	}
	return id
}

// ringUp goes from the seller picker to a charge of digits on Lumen
// Coffee's Counter 1 and waits until the reader waits for the card. It
// returns the screen.
func (c *console) ringUp(digits, amount string) string {
	c.t.Helper()
	c.toRegister()
	return c.charge(digits, amount, "Waiting for the customer's card on Counter 1")
}

// toRegister picks Lumen Coffee (type-to-filter), its location and its
// reader, each with enter, and waits for the register.
func (c *console) toRegister() {
	c.t.Helper()
	c.typeText("lumen")
	c.waitFor(5*time.Second, "1 of 5 sellers", "Lumen Coffee")
	c.send("Enter")
	c.waitFor(10*time.Second, "Choose a location for Lumen Coffee", "Lumen Coffee Roasters", "1 location")
	c.send("Enter")
	c.waitFor(10*time.Second, "Choose a reader at Lumen Coffee Roasters", "Counter 1", "1 reader")
	c.send("Enter")
	c.waitFor(5*time.Second, "Register · Lumen Coffee · USD")
}

// toSellers goes from an outcome at Lumen Coffee back to the seller
// picker: a new sale (enter) opens the register, escape leaves it, the
// reader and the location.
func (c *console) toSellers() {
	c.t.Helper()
	c.send("Enter")
	c.waitFor(5*time.Second, "Register · Lumen Coffee")
	c.send("Escape")
	c.waitFor(5*time.Second, "Choose a reader")
	c.send("Escape")
	c.waitFor(5*time.Second, "Choose a location")
	c.send("Escape")
	c.waitFor(5*time.Second, "Choose a seller")
}

// charge types digits on the register, waits for the amount, charges with
// enter and waits for the payment view to show want.
func (c *console) charge(digits, amount string, want ...string) string {
	c.t.Helper()
	c.typeText(digits)
	c.waitFor(5*time.Second, "Amount  "+amount)
	c.send("Enter")
	return c.waitFor(10*time.Second, append([]string{"Payment · " + amount}, want...)...)
}

// presentTestCard opens the test-card picker (t), moves down n rows and
// presents that card (Enter).
func (c *console) presentTestCard(down int) {
	c.t.Helper()
	c.send("t")
	c.waitFor(5*time.Second, "Present a test card", "4242424242424242")
	for range down {
		c.send("Down")
	}
	c.send("Enter")
}

// In CI a missing tmux fails the console tests; elsewhere it skips them.
func TestMissingTmuxFailsInCI(t *testing.T) {
	for _, c := range []struct {
		ci   string
		fail bool
	}{{"true", true}, {"1", true}, {"TRUE", true}, {"", false}, {"false", false}, {"0", false}} {
		fail, msg := missingTmux(func(k string) string {
			if k == "CI" {
				return c.ci
			}
			return ""
		})
		if fail != c.fail || !strings.Contains(msg, "apt-get install tmux") {
			t.Errorf("CI=%q: fail %v (want %v), %q", c.ci, fail, c.fail, msg)
		}
	}
}
