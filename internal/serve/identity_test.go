package serve

import (
	"os"
	"strings"
	"testing"
	"time"

	"kasse/internal/sshterm"
)

// Who someone is comes from the key alone: the SSH user name names the
// counter, even when it is another operator's name.
func TestTheUserNameNamesOnlyTheCounter(t *testing.T) {
	h := newHost(t, Options{})
	c := h.dial("alice", "carol", sshterm.Options{})
	must(t, c.WaitFor(10*time.Second, "Choose a seller", "alice (cashier) @ carol.shop"))
	if strings.Contains(c.Screen(), "supervisor") {
		t.Errorf("alice's key as user carol got carol's role:\n%s", c.Screen())
	}
}

// The authorized keys file is read on every connection: a key taken out
// is refused at its next connection (logged by fingerprint), one put back
// with a fixed counter goes to that counter; a session already open goes
// on.
func TestTheKeysFileIsReadOnEveryConnection(t *testing.T) {
	h := newHost(t, Options{})
	a := h.dial("alice", "counter-1", sshterm.Options{})
	must(t, a.WaitFor(10*time.Second, "Choose a seller"))

	without := ""
	for _, who := range []string{"alice", "carol"} {
		without += h.keys[who].AuthorizedLine(who)
	}
	must(t, os.WriteFile(h.keyFile, []byte(without), 0o600))
	if _, err := sshterm.Dial(h.addr, h.keys["bob"], sshterm.Options{User: "counter-2", HostKey: h.hostKey}); err == nil ||
		!strings.Contains(err.Error(), "unable to authenticate") {
		t.Fatalf("bob's key, taken out of the file, got in: %v", err)
	}
	eventually(t, 5*time.Second, "the refusal is logged by fingerprint", func() bool {
		return strings.Contains(h.logText(), "unknown key refused") && strings.Contains(h.logText(), h.keys["bob"].Fingerprint())
	})
	must(t, a.Press("lumen"))
	must(t, a.WaitFor(5*time.Second, "1 of 5 sellers")) // alice's open session goes on

	must(t, os.WriteFile(h.keyFile, []byte(without+h.keys["bob"].AuthorizedLine("bob@counter-5")), 0o600))
	b := h.dial("bob", "counter-2", sshterm.Options{})
	must(t, b.WaitFor(10*time.Second, "Choose a seller", "bob (cashier) @ counter-5.shop"))
}
