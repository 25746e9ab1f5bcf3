package serve

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"kasse/internal/sshterm"
	"kasse/journal"
)

// The operators are read from the config file again on every connection,
// without a restart: an operator taken out is refused at the next
// connection (told why, and audited); a changed role and language reach
// the next session, while a session already open keeps its own.
func TestOperatorsAreReadOnEveryConnection(t *testing.T) {
	h := newHost(t, Options{})
	a := h.dial("alice", "counter-1", sshterm.Options{})
	must(t, a.WaitFor(10*time.Second, "Choose a seller", "alice (cashier) @ counter-1.shop"))

	h.writeConfig(`
console_id = "shop"
[[operators]]
name = "alice"
role = "cashier"
[[operators]]
name = "carol"
role = "supervisor"
`)
	h.refused("bob", "counter-2", sshterm.Options{},
		"this key ("+h.keys["bob"].Fingerprint()+") signs in as bob, who is not an operator in this host's configuration")
	eventually(t, 5*time.Second, "bob's refusal is audited", func() bool {
		es, err := h.app.Journal.ListAudit(context.Background(), journal.AuditFilter{Action: "serve.refused", Limit: 10})
		must(t, err)
		for _, e := range es {
			if e.Who == "bob" && e.Key == h.keys["bob"].Fingerprint() {
				return true
			}
		}
		return false
	})

	h.writeConfig(`
console_id = "shop"
[[operators]]
name = "alice"
role = "supervisor"
language = "de"
[[operators]]
name = "carol"
role = "supervisor"
`)
	again := h.dial("alice", "counter-2", sshterm.Options{})
	must(t, again.WaitFor(10*time.Second, "Händler wählen", "alice (Aufsicht) an counter-2.shop"))
	must(t, a.Press("lumen"))
	must(t, a.WaitFor(5*time.Second, "1 of 5 sellers", "alice (cashier) @ counter-1.shop")) // the open session keeps its own
}

// A config file that no longer reads (a half-saved edit) locks nobody
// out: the last operators read stay, and the host log says why the file
// was not taken.
func TestABrokenConfigKeepsTheLastGoodOperators(t *testing.T) {
	h := newHost(t, Options{})
	h.writeConfig(`
console_id = "shop"
[[operators]]
name = "alice"
role = "cashier"
[[operators]]
name = "carol"
role = "supervisor"
`)
	h.refused("bob", "counter-2", sshterm.Options{}, "bob, who is not an operator")

	h.writeConfig("console_id = \"shop\"\n[[operators]]\nname = \"alice\nrole = \"cashier\"\n")
	a := h.dial("alice", "counter-1", sshterm.Options{})
	must(t, a.WaitFor(10*time.Second, "Choose a seller", "alice (cashier) @ counter-1.shop"))
	h.refused("bob", "counter-2", sshterm.Options{}, "bob, who is not an operator") // the last good list, not the first
	eventually(t, 5*time.Second, "the warning is logged", func() bool {
		log := h.logText()
		return strings.Contains(log, "operators not read again") && strings.Contains(log, h.app.Config.File+": line 3: strings cannot contain newlines")
	})

	h.writeConfig("console_id = \"shop\"\n[[operators]]\nname = \"alice\"\nrole = \"boss\"\n")
	c := h.dial("carol", "counter-9", sshterm.Options{})
	must(t, c.WaitFor(10*time.Second, "Choose a seller", "carol (supervisor) @ counter-9.shop"))
	eventually(t, 5*time.Second, "the validation problem is logged", func() bool {
		return strings.Contains(h.logText(), `operators[0].role: \"boss\" is not one of cashier, supervisor, tech`)
	})
}

// writeConfig replaces the host's config file.
func (h *host) writeConfig(content string) {
	h.t.Helper()
	must(h.t, os.WriteFile(h.app.Config.File, []byte(content), 0o600))
}

// The sandbox demo's operators (a config file that names none) stay
// while the file names none; once it names its own, they go, as a
// restart would have it.
func TestDemoOperatorsStayWhileTheFileNamesNone(t *testing.T) {
	h := newHostConfig(t, "console_id = \"shop\"\n", nil, Options{})
	must(t, os.WriteFile(h.keyFile, []byte(h.keys["alice"].AuthorizedLine("anna")), 0o600))
	a := h.dial("alice", "counter-1", sshterm.Options{})
	must(t, a.WaitFor(10*time.Second, "Choose a seller", "anna (cashier) @ counter-1.shop"))

	h.writeConfig("console_id = \"shop\"\n[[operators]]\nname = \"alice\"\nrole = \"cashier\"\n")
	h.refused("alice", "counter-2", sshterm.Options{}, "signs in as anna, who is not an operator")

	h.writeConfig("console_id = \"shop\"\n")
	b := h.dial("alice", "counter-3", sshterm.Options{})
	must(t, b.WaitFor(10*time.Second, "Choose a seller", "anna (cashier) @ counter-3.shop"))
}
