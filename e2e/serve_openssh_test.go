package e2e

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"kasse/journal"
	"kasse/pos"
)

// `kasse serve` as a counter meets it: the real OpenSSH client in tmux,
// its key made by ssh-keygen, against the real binary on the embedded
// sandbox.

// sshPath and sshKeygenPath are OpenSSH's client and key tool, "" when
// they are not installed.
var (
	sshPath, _       = exec.LookPath("ssh")
	sshKeygenPath, _ = exec.LookPath("ssh-keygen")
)

// requireOpenSSH: the OpenSSH end-to-end test needs ssh and ssh-keygen.
// Without them it skips on a developer's machine but fails in CI, as a
// missing tmux does.
func requireOpenSSH(t *testing.T) {
	t.Helper()
	var missing []string
	for _, tool := range []struct{ name, path string }{{"ssh", sshPath}, {"ssh-keygen", sshKeygenPath}} {
		if tool.path == "" {
			missing = append(missing, tool.name)
		}
	}
	if len(missing) == 0 {
		return
	}
	if fail, msg := missingOpenSSH(os.Getenv, missing); fail {
		t.Fatal(msg)
	} else {
		t.Skip(msg)
	}
}

// missingOpenSSH says what the test does when OpenSSH's tools are
// missing: fail in CI, skip elsewhere; msg names them and how to install
// them.
func missingOpenSSH(getenv func(string) string, missing []string) (fail bool, msg string) {
	msg = fmt.Sprintf("%s not installed: the OpenSSH end-to-end test needs the OpenSSH client (apt-get install openssh-client)",
		strings.Join(missing, " and "))
	if inCI(getenv) {
		return true, msg + "; CI=" + getenv("CI") + ", so it fails instead of skipping"
	}
	return false, msg
}

// sshKey is a key pair ssh-keygen made.
type sshKey struct {
	path        string // the private key; path+".pub" the public one
	public      string // the .pub file's line: type, base64 blob, comment
	blob        string // the base64 public key alone
	fingerprint string // SHA256:…, as ssh-keygen -l prints it
}

// sshKeygen makes an Ed25519 key without a passphrase in dir, its comment
// naming the operator (as the authorized keys file wants it).
func sshKeygen(t *testing.T, dir, name, comment string) sshKey {
	t.Helper()
	k := sshKey{path: filepath.Join(dir, name)}
	if out, err := exec.Command(sshKeygenPath, "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", k.path).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen: %v\n%s", err, out)
	}
	pub, err := os.ReadFile(k.path + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	k.public = string(pub)
	if f := strings.Fields(k.public); len(f) != 3 || f[0] != "ssh-ed25519" || f[2] != comment {
		t.Fatalf("ssh-keygen wrote %q", k.public)
	} else {
		k.blob = f[1]
	}
	k.fingerprint = sshFingerprints(t, k.path+".pub")[0][0]
	return k
}

// sshFingerprints is `ssh-keygen -l -f file`: per key, its SHA256
// fingerprint and what follows it (comment, or host, and type).
func sshFingerprints(t *testing.T, file string) [][2]string {
	t.Helper()
	out, err := exec.Command(sshKeygenPath, "-l", "-E", "sha256", "-f", file).CombinedOutput()
	if err != nil {
		t.Fatalf("ssh-keygen -l -f %s: %v\n%s", file, err, out)
	}
	var fps [][2]string
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.SplitN(line, " ", 3) // bits, fingerprint, rest
		if len(f) != 3 || !strings.HasPrefix(f[1], "SHA256:") {
			t.Fatalf("ssh-keygen -l -f %s: %q", file, out)
		}
		fps = append(fps, [2]string{f[1], f[2]})
	}
	return fps
}

// sshCounter runs OpenSSH's client in a new detached tmux session of
// 110×32: user@127.0.0.1 at port with key, the host key accepted on first
// sight into knownHosts. A shell around ssh writes its exit status when it
// ends, and the pane is kept for its last words. Nothing of the machine's
// or the user's SSH setup takes part: no config file (-F none), no agent,
// no other identity, HOME a private directory. LANG=C.UTF-8 goes along
// (SendEnv) so the console speaks English.
func (w *world) sshCounter(t *testing.T, home, port string, key sshKey, knownHosts, user string) *console {
	t.Helper()
	requireTmux(t)
	w.consoles++
	name := fmt.Sprintf("%s-%d", strings.NewReplacer("/", "-", ".", "-", ":", "-").Replace(t.Name()), w.consoles)
	args := []string{"new-session", "-d", "-s", name, "-x", "110", "-y", "32",
		"env", "-u", "SSH_AUTH_SOCK", "-u", "LC_ALL", "-u", "LC_MESSAGES", "-u", "LANGUAGE",
		"HOME=" + home, "LANG=C.UTF-8", "TERM=xterm-256color",
		"sh", "-c", `"$0" "$@"; echo "[ssh exited $?]"`,
		sshPath, "-F", "none", "-p", port, "-i", key.path, "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none",
		"-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=accept-new", "-o", "UserKnownHostsFile=" + knownHosts,
		"-o", "GlobalKnownHostsFile=/dev/null", "-o", "SendEnv=LANG", user + "@127.0.0.1",
		";", "set-option", "-t", name, "remain-on-exit", "on"}
	tmux(t, args...)
	t.Cleanup(func() { _ = tmuxCmd("kill-session", "-t", name).Run() })
	return &console{t: t, w: w, name: name}
}

// scrollback is everything the pane showed, its history and the screen
// (a pane that died pushes its last lines into the history).
func (c *console) scrollback() string {
	c.t.Helper()
	return tmux(c.t, "capture-pane", "-p", "-S", "-", "-t", c.name)
}

// sshExitRE is the line sshCounter's shell writes when ssh ends.
var sshExitRE = regexp.MustCompile(`\[ssh exited (\d+)\]`)

// sshExit waits until ssh has ended in the pane and returns its exit
// status, as the shell around it wrote it. (tmux's own #{pane_dead_status}
// is not used: tmux 3.3 can miss a quickly exiting pane's SIGCHLD, leaving
// it unreaped and its status unknown; tmux/tmux#311.)
func (c *console) sshExit(timeout time.Duration) string {
	c.t.Helper()
	var status string
	if !eventually(timeout, 50*time.Millisecond, func() bool {
		if m := sshExitRE.FindStringSubmatch(c.scrollback()); m != nil {
			status = m[1]
		}
		return status != ""
	}) {
		c.t.Fatalf("ssh did not end within %s; it wrote:\n%s", timeout, c.scrollback())
	}
	return status
}

// TestServeOverOpenSSH: alice's counter, OpenSSH with a key ssh-keygen
// made, signs in to `kasse serve` (embedded sandbox) as counter-1, learns
// the host key kasse serve printed, and sells: the sale and the audit
// trail carry the counter's console id and alice's key. A key nobody
// authorized is refused at the door (ssh: Permission denied, exit 255),
// and the server's log names that key by its fingerprint only.
func TestServeOverOpenSSH(t *testing.T) {
	requireOpenSSH(t)
	requireTmux(t)
	w := newWorld(t)
	home := t.TempDir()
	alice := sshKeygen(t, home, "alice_ed25519", "alice")
	stranger := sshKeygen(t, home, "stranger_ed25519", "mallory")

	// No --api-base: the embedded sandbox, with the demo sellers.
	s := w.serve(t, alice.public, "--console-id", "shop", "--listen", "127.0.0.1:0")
	_, port, err := net.SplitHostPort(s.addr)
	if err != nil {
		t.Fatalf("kasse serve listens on %q: %v", s.addr, err)
	}
	knownHosts := filepath.Join(home, "known_hosts")

	// The counter's console: the seller list, then a sale on Lumen
	// Coffee's simulated reader, paid with the test card Visa 4242.
	c := w.sshCounter(t, home, port, alice, knownHosts, "counter-1")
	c.waitFor(20*time.Second, "Choose a seller", "5 sellers")
	pi := intentOnScreen(t, c.ringUp("1250", "$12.50"))
	c.presentTestCard(0) // Visa · approved
	c.waitFor(15*time.Second, "APPROVED", "Total", "$12.50", "VISA", "4242", pi)

	// The host key ssh recorded on first sight is the one kasse serve
	// printed: the line an operator compares before trusting the host.
	fps := sshFingerprints(t, knownHosts)
	if want := "[127.0.0.1]:" + port; len(fps) != 1 || fps[0][0] != s.hostKey || !strings.HasPrefix(fps[0][1], want+" ") {
		t.Errorf("known_hosts holds %q, want one key for %s with kasse serve's %s", fps, want, s.hostKey)
	}

	// The journal: one sale, approved, by alice at counter-1 of this host.
	var sale journal.SaleRecord
	for _, r := range w.sales(t) {
		if r.Sale.State != pos.SaleDraft {
			if sale.Sale.ID != "" {
				t.Fatalf("a second sale in the journal: %s and %s", sale.Sale.ID, r.Sale.ID)
			}
			sale = r
		}
	}
	if sale.Sale.State != pos.SaleApproved || sale.Sale.IntentID != pi || sale.Sale.Amount != 1250 ||
		sale.ConsoleID != "counter-1.shop" || sale.Operator != "alice" {
		t.Errorf("journal: sale %s %s intent %s amount %d by %q at %q, want approved %s 1250 by alice at counter-1.shop",
			sale.Sale.ID, sale.Sale.State, sale.Sale.IntentID, sale.Sale.Amount, sale.Operator, sale.ConsoleID, pi)
	}
	s.wantAuditKey(t, "alice", alice.fingerprint, "counter-1.shop", "serve.session.start", "sale.charge", "sale.approved")

	// A key nobody authorized: refused before any console, ssh exits 255.
	refused := w.sshCounter(t, home, port, stranger, knownHosts, "counter-2")
	if status := refused.sshExit(15 * time.Second); status != "255" {
		t.Errorf("ssh with an unknown key exited %q, want 255; it wrote:\n%s", status, refused.scrollback())
	}
	if out := refused.scrollback(); !strings.Contains(out, "counter-2@127.0.0.1: Permission denied (publickey).") || strings.Contains(out, "Choose a seller") {
		t.Errorf("ssh with an unknown key wrote:\n%s\nwant Permission denied (publickey) and no console", out)
	}
	// The log names the refused key by its fingerprint, never by the key
	// itself; the refusal reached no console and no audit entry.
	if !eventually(10*time.Second, 100*time.Millisecond, func() bool {
		b, _ := os.ReadFile(w.logPath())
		for _, line := range strings.Split(string(b), "\n") {
			if strings.Contains(line, "unknown key refused") && strings.Contains(line, "fingerprint="+stranger.fingerprint) {
				return true
			}
		}
		return false
	}) {
		t.Errorf("the log does not name the refused key %s:\n%s", stranger.fingerprint, w.logTail())
	}
	if log, err := os.ReadFile(w.logPath()); err != nil || strings.Contains(string(log), stranger.blob) {
		t.Errorf("the log holds the refused key itself (%v)", err)
	}
	j, err := journal.Open(w.journalPath())
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	es, err := j.ListAudit(context.Background(), journal.AuditFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		if e.Key == stranger.fingerprint || strings.HasPrefix(e.Console, "counter-2") {
			t.Errorf("audit entry for the refused key: %+v", e)
		}
	}

	// Alice's counter is untouched by the refusal.
	c.waitFor(5*time.Second, "APPROVED", pi)
}

// In CI a missing ssh or ssh-keygen fails the OpenSSH test; elsewhere it
// skips it, saying what to install.
func TestMissingOpenSSHFailsInCI(t *testing.T) {
	for _, c := range []struct {
		ci   string
		fail bool
	}{{"true", true}, {"1", true}, {"", false}, {"false", false}} {
		fail, msg := missingOpenSSH(func(k string) string {
			if k == "CI" {
				return c.ci
			}
			return ""
		}, []string{"ssh", "ssh-keygen"})
		if fail != c.fail || !strings.Contains(msg, "ssh and ssh-keygen not installed") || !strings.Contains(msg, "apt-get install openssh-client") {
			t.Errorf("CI=%q: fail %v (want %v), %q", c.ci, fail, c.fail, msg)
		}
	}
}
