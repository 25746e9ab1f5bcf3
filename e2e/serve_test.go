package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"kasse/internal/sshterm"
	"kasse/internal/testkit"
	"kasse/journal"
	"kasse/pos"
)

// `kasse serve`, the real binary on the sandbox, driven by counters over
// real SSH connections (x/crypto/ssh with a PTY request, the screen read
// as a terminal would show it).

// serveConfig names the host's operators; the keys file names their keys.
const serveConfig = `
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

// server is a running `kasse serve`.
type server struct {
	t       testing.TB
	w       *world
	cmd     *exec.Cmd
	addr    string
	hostKey string
	keys    map[string]sshterm.Key
	stdout  *testkit.SyncBuffer
	stderr  *testkit.SyncBuffer
	done    chan struct{}
}

var listeningOn = regexp.MustCompile(`kasse serve: listening on (\S+) \(host key (SHA256:\S+)\)`)

// startServe writes the config and the authorized keys file (one key per
// operator, the comment naming them) and starts `kasse serve` on the
// world's sandbox in its own process group.
func (w *world) startServe(t testing.TB) *server {
	t.Helper()
	keys := map[string]sshterm.Key{}
	var lines strings.Builder
	for _, op := range []string{"alice", "bob", "carol"} {
		k, err := sshterm.NewKey()
		if err != nil {
			t.Fatal(err)
		}
		keys[op] = k
		lines.WriteString(k.AuthorizedLine(op))
	}
	s := w.serve(t, lines.String(), "--api-base", w.sandbox.url, "--console-id", "shop", "--listen", "127.0.0.1:0")
	s.keys = keys
	return s
}

// serve writes the config (serveConfig) and authorizedKeys beside it (the
// default keys file), starts `kasse serve` with args in its own process
// group (SIGTERM in Cleanup) and waits until it listens.
func (w *world) serve(t testing.TB, authorizedKeys string, args ...string) *server {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(w.config, "kasse"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(w.config, "kasse", "config.toml"), []byte(serveConfig), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(w.config, "kasse", "authorized_keys"), []byte(authorizedKeys), 0o600); err != nil {
		t.Fatal(err)
	}
	s := &server{t: t, w: w, keys: map[string]sshterm.Key{}, stdout: &testkit.SyncBuffer{}, stderr: &testkit.SyncBuffer{}, done: make(chan struct{})}
	s.cmd = exec.Command(kasseBin, append([]string{"serve"}, args...)...)
	s.cmd.Env = w.env()
	s.cmd.Stdout, s.cmd.Stderr = s.stdout, s.stderr
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // signals reach it as they would under a service manager
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { _ = s.cmd.Wait(); close(s.done) }()
	t.Cleanup(func() {
		_ = s.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-s.done:
		case <-time.After(60 * time.Second):
			_ = s.cmd.Process.Kill()
			<-s.done
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for {
		if m := listeningOn.FindStringSubmatch(s.stdout.String()); m != nil {
			s.addr, s.hostKey = m[1], m[2]
			return s
		}
		select {
		case <-s.done:
			t.Fatalf("kasse serve exited: %v\nstdout: %s\nstderr: %s\nlog:\n%s", s.cmd.ProcessState, s.stdout, s.stderr, w.logTail())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("kasse serve did not listen within 30s\nstdout: %s\nstderr: %s", s.stdout, s.stderr)
		}
	}
}

// counter connects operator's key as counter, checking the host key.
func (s *server) counter(operator, counter string) *sshterm.Term {
	s.t.Helper()
	c, err := sshterm.Dial(s.addr, s.keys[operator], sshterm.Options{User: counter, HostKey: s.hostKey,
		Env: map[string]string{"LANG": "C.UTF-8"}})
	if err != nil {
		s.t.Fatalf("%s at %s: %v", operator, counter, err)
	}
	s.t.Cleanup(c.Close)
	return c
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// sshRingUp goes from the seller list to a charge of digits (shown as
// amount) at seller's Counter 1 and waits until the reader waits for the
// card.
func sshRingUp(t testing.TB, c *sshterm.Term, filter, seller, digits, amount string) {
	t.Helper()
	must(t, c.WaitFor(15*time.Second, "Choose a seller", "5 sellers"))
	must(t, c.Press(filter))
	must(t, c.WaitFor(5*time.Second, "1 of 5 sellers", seller))
	must(t, c.Press("enter"))
	must(t, c.WaitFor(10*time.Second, "Choose a location for "+seller, "▸ ")) // the list is there: an enter before it is lost
	must(t, c.Press("enter"))
	must(t, c.WaitFor(10*time.Second, "Choose a reader", "Counter 1"))
	must(t, c.Press("enter"))
	must(t, c.WaitFor(5*time.Second, "Register · "+seller))
	must(t, c.Press(digits))
	must(t, c.WaitFor(5*time.Second, "Amount  "+amount))
	must(t, c.Press("enter"))
	must(t, c.WaitFor(15*time.Second, "Payment · "+amount, "Waiting for the customer's card on Counter 1"))
}

// TestServeCountersOverSSH: two counters sell at once on two readers; a
// third is refused a reader in use and sees who holds it; a counter whose
// connection is lost mid-sale finds its sale approved when it connects
// again. Stripe (the sandbox) and the journal agree.
func TestServeCountersOverSSH(t *testing.T) {
	w := newWorld(t)
	s := w.startServe(t)
	alice, bob := s.counter("alice", "counter-1"), s.counter("bob", "counter-2")

	// Two sales on two readers, in parallel.
	var wg sync.WaitGroup
	for _, x := range []struct {
		c                              *sshterm.Term
		filter, seller, digits, amount string
		p                              place
	}{{alice, "lumen", "Lumen Coffee", "1250", "$12.50", w.lumen}, {bob, "sonnen", "Sonnenkorn", "840", "8,40 €", w.sonnenkorn}} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			amount := x.amount
			if x.c == bob {
				amount = "€8.40" // bob's console speaks English (LANG=C.UTF-8): euros as English writes them
			}
			sshRingUp(t, x.c, x.filter, x.seller, x.digits, amount)
		}()
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	w.api.present(t, w.lumen.Reader, visa)
	w.api.present(t, w.sonnenkorn.Reader, visa)
	must(t, alice.WaitFor(15*time.Second, "APPROVED", "$12.50", "4242"))
	must(t, bob.WaitFor(15*time.Second, "APPROVED", "€8.40", "4242"))

	// A third counter: Lumen's reader is alice's (she is still on it).
	carol := s.counter("carol", "counter-3")
	must(t, carol.WaitFor(15*time.Second, "Choose a seller"))
	must(t, carol.Press("lumen"))
	must(t, carol.WaitFor(5*time.Second, "1 of 5 sellers"))
	must(t, carol.Press("enter"))
	must(t, carol.WaitFor(10*time.Second, "Choose a location for Lumen Coffee", "1 location"))
	must(t, carol.Press("enter"))
	must(t, carol.WaitFor(10*time.Second, "Counter 1", "in use at counter-1 (alice)"))
	must(t, carol.Press("enter"))
	must(t, carol.WaitFor(5*time.Second, "Counter 1 is in use at counter-1 (alice)"))
	if strings.Contains(carol.Screen(), "Register ·") {
		t.Fatalf("carol got alice's reader:\n%s", carol.Screen())
	}

	// Alice's next sale; her connection is lost while the reader waits.
	must(t, alice.Press("enter")) // the receipt: next sale
	must(t, alice.WaitFor(5*time.Second, "Register · Lumen Coffee"))
	must(t, alice.Press("300"))
	must(t, alice.WaitFor(5*time.Second, "Amount  $3.00"))
	must(t, alice.Press("enter"))
	must(t, alice.WaitFor(15*time.Second, "Waiting for the customer's card on Counter 1"))
	alice.Drop()
	time.Sleep(300 * time.Millisecond)
	w.api.present(t, w.lumen.Reader, visa) // the customer pays meanwhile
	if !eventually(20*time.Second, 100*time.Millisecond, func() bool {
		ins := w.api.intents(t, w.lumen.Seller)
		return len(ins) == 2 && ins[0].Status == pos.IntentSucceeded && ins[1].Status == pos.IntentSucceeded
	}) {
		t.Fatalf("Lumen's intents: %+v, want two succeeded", w.api.intents(t, w.lumen.Seller))
	}
	back := s.counter("alice", "counter-1")
	must(t, back.WaitFor(15*time.Second, "APPROVED", "$3.00", "Welcome back at counter-1"))

	// Exactly one intent each, stamped by its counter; the journal agrees.
	ins := w.api.intents(t, w.sonnenkorn.Seller)
	if len(ins) != 1 || ins[0].Status != pos.IntentSucceeded || ins[0].Amount != 840 || ins[0].Metadata["kasse_console_id"] != "counter-2.shop" {
		t.Errorf("Sonnenkorn's intents = %+v, want one of 840 by counter-2.shop", ins)
	}
	byCounter := map[string][]pos.SaleState{}
	for _, r := range w.sales(t) {
		if r.Sale.State != pos.SaleDraft {
			byCounter[r.ConsoleID+" "+r.Operator] = append(byCounter[r.ConsoleID+" "+r.Operator], r.Sale.State)
		}
	}
	want := map[string][]pos.SaleState{"counter-1.shop alice": {pos.SaleApproved, pos.SaleApproved}, "counter-2.shop bob": {pos.SaleApproved}}
	if fmt.Sprint(byCounter) != fmt.Sprint(want) {
		t.Errorf("journal = %v, want %v", byCounter, want)
	}
	s.wantAudit(t, "alice", "counter-1.shop", "serve.session.start", "sale.charge", "sale.approved", "serve.session.drop", "serve.session.resume")
}

// wantAudit waits until the audit trail holds actions by operator at
// console, each with the operator's key fingerprint.
func (s *server) wantAudit(t *testing.T, operator, console string, actions ...string) {
	t.Helper()
	s.wantAuditKey(t, operator, s.keys[operator].Fingerprint(), console, actions...)
}

// wantAuditKey is wantAudit for a key given by its fingerprint.
func (s *server) wantAuditKey(t *testing.T, operator, fingerprint, console string, actions ...string) {
	t.Helper()
	var last []string
	ok := eventually(10*time.Second, 100*time.Millisecond, func() bool {
		j, err := journal.Open(s.w.journalPath())
		if err != nil {
			return false
		}
		defer j.Close()
		es, err := j.ListAudit(context.Background(), journal.AuditFilter{Limit: 1000})
		if err != nil {
			return false
		}
		seen := map[string]bool{}
		last = nil
		for _, e := range es {
			if e.Who == operator && e.Console == console && e.Key == fingerprint {
				seen[e.Action] = true
				last = append(last, e.Action)
			}
		}
		for _, a := range actions {
			if !seen[a] {
				return false
			}
		}
		return true
	})
	if !ok {
		t.Errorf("audit of %s at %s with their key: %v, want %v", operator, console, last, actions)
	}
}

// TestServeGracefulShutdown: SIGTERM takes no new session, cancels the
// payment under way on the reader and on Stripe, ends every session and
// exits 0 with the journal closed.
func TestServeGracefulShutdown(t *testing.T) {
	w := newWorld(t)
	s := w.startServe(t)
	alice, bob := s.counter("alice", "counter-1"), s.counter("bob", "counter-2")
	sshRingUp(t, alice, "lumen", "Lumen Coffee", "1250", "$12.50")
	must(t, bob.WaitFor(15*time.Second, "Choose a seller"))
	if r := w.api.reader(t, w.lumen.Reader); r.Action == nil || r.Action.Status != pos.ActionInProgress {
		t.Fatalf("reader before the shutdown: %s, want the payment in progress", r)
	}

	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-s.done:
	case <-time.After(60 * time.Second):
		t.Fatalf("kasse serve did not stop within 60s after SIGTERM\nlog:\n%s", w.logTail())
	}
	if code := s.cmd.ProcessState.ExitCode(); code != 0 || !strings.Contains(s.stdout.String(), "kasse serve: stopped") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, s.stdout, s.stderr)
	}
	for who, c := range map[string]*sshterm.Term{"alice": alice, "bob": bob} {
		if code, err := c.Wait(5 * time.Second); err != nil || code != 0 {
			t.Errorf("%s's session: exit %d, %v", who, code, err)
		}
	}
	ins := w.api.intents(t, w.lumen.Seller)
	if len(ins) != 1 || ins[0].Status != pos.IntentCanceled {
		t.Errorf("Lumen's intents after the shutdown: %+v, want one canceled", ins)
	}
	if r := w.api.reader(t, w.lumen.Reader); r.Action != nil && r.Action.Status == pos.ActionInProgress {
		t.Errorf("the reader still holds the payment after the shutdown: %s", r)
	}
	for _, r := range w.sales(t) { // the journal opens: it was closed cleanly, the sale is settled
		if r.Sale.State != pos.SaleDraft && r.Sale.State != pos.SaleCanceled {
			t.Errorf("sale %s is %s after the shutdown, want canceled", r.Sale.ID, r.Sale.State)
		}
	}
	if _, err := sshterm.Dial(s.addr, s.keys["bob"], sshterm.Options{User: "counter-2"}); err == nil {
		t.Error("the stopped server took a new session")
	}
}
