package serve

import (
	"regexp"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"kasse/internal/sshterm"
)

// Who may not come in, and what they are told.
func TestRefusals(t *testing.T) {
	h := newHost(t, Options{})

	t.Run("an unknown key", func(t *testing.T) {
		stranger, err := sshterm.NewKey()
		must(t, err)
		_, err = sshterm.Dial(h.addr, stranger, sshterm.Options{User: "alice"})
		if err == nil || !strings.Contains(err.Error(), "unable to authenticate") {
			t.Fatalf("a key not in the file got in: %v", err)
		}
		eventually(t, 5*time.Second, "the refusal is logged", func() bool {
			return strings.Contains(h.logText(), "unknown key refused") && strings.Contains(h.logText(), stranger.Fingerprint())
		})
		blob := strings.Fields(stranger.AuthorizedLine(""))[1]
		if strings.Contains(h.logText(), blob) {
			t.Error("the log holds the refused key itself, not only its fingerprint")
		}
	})
	t.Run("a key whose operator is not in the configuration", func(t *testing.T) {
		h.refused("dave", "counter-1", sshterm.Options{},
			"this key ("+h.keys["dave"].Fingerprint()+") signs in as dave, who is not an operator in this host's configuration")
	})
	t.Run("a user name that cannot be a counter", func(t *testing.T) {
		h.refused("alice", "front till!", sshterm.Options{}, "“front till!” is not a counter name")
	})
	t.Run("no terminal", func(t *testing.T) {
		h.refused("alice", "counter-1", sshterm.Options{NoPTY: true}, "the console needs a terminal")
	})
	t.Run("a counter another operator is signed in at", func(t *testing.T) {
		a := h.dial("alice", "counter-1", sshterm.Options{})
		must(t, a.WaitFor(10*time.Second, "Choose a seller"))
		h.refused("bob", "counter-1", sshterm.Options{}, "counter counter-1 is in use: alice is signed in there")
		must(t, a.Press("lumen"))
		must(t, a.WaitFor(5*time.Second, "1 of 5 sellers")) // alice goes on
		a.Close()
	})
}

// A key fixed at a counter always goes there, whatever the SSH user name
// says; and the same operator connecting again takes their counter over
// from a connection that is still open (a terminal that hung).
func TestFixedCountersAndTakeover(t *testing.T) {
	h := newHost(t, Options{})
	c := h.dial("carol", "counter-1", sshterm.Options{})
	must(t, c.WaitFor(10*time.Second, "carol (supervisor) @ counter-9.shop"))
	must(t, c.Press("lumen"))
	must(t, c.WaitFor(5*time.Second, "1 of 5 sellers"))

	again := h.dial("carol", "anything", sshterm.Options{})
	must(t, again.WaitFor(10*time.Second, "carol (supervisor) @ counter-9.shop", "1 of 5 sellers", "Welcome back at counter-9"))
	if _, err := c.Wait(10 * time.Second); err != nil {
		t.Errorf("the old connection was not closed when carol took her counter over: %v", err)
	}
}

// Each counter gets its own colours: NO_COLOR (sent by the client) means
// none at all, a true-colour terminal gets true colour, in one process at
// once; a terminal too small is told so, and is drawn once it grows.
func TestColoursAndSizesPerCounter(t *testing.T) {
	h := newHost(t, Options{})
	plain := h.dial("alice", "counter-1", sshterm.Options{Env: map[string]string{"NO_COLOR": "1"}})
	colour := h.dial("bob", "counter-2", sshterm.Options{Env: map[string]string{"COLORTERM": "truecolor"}})
	small := h.dial("carol", "counter-9", sshterm.Options{Width: 40, Height: 10})
	must(t, plain.WaitFor(10*time.Second, "Choose a seller", "Lumen Coffee"))
	must(t, colour.WaitFor(10*time.Second, "Choose a seller", "Lumen Coffee"))
	sgrColour := regexp.MustCompile(`\x1b\[([0-9;]*;)?(3[0-9]|4[0-9]|9[0-7]|10[0-7])(;[0-9;]*)?m`)
	if m := sgrColour.FindString(plain.Raw()); m != "" {
		t.Errorf("the NO_COLOR counter got colour %q", m)
	}
	if !strings.Contains(colour.Raw(), "\x1b[38;2;") {
		t.Errorf("the true-colour counter got no true colour")
	}
	must(t, small.WaitFor(10*time.Second, "Terminal too small", "40×10"))
	must(t, small.Resize(100, 30))
	must(t, small.WaitFor(10*time.Second, "Choose a seller", "Lumen Coffee"))
}

// Garbage on the wire, a connection lost in the middle of an escape
// sequence, and a session whose console panics: each is that counter's
// alone; the others go on.
func TestBadInputStaysWithItsCounter(t *testing.T) {
	h := newHost(t, Options{}, func(s *Server) {
		s.wrap = func(m tea.Model) tea.Model { return panicky{m} }
	})
	a := h.dial("alice", "counter-1", sshterm.Options{})
	must(t, a.WaitFor(10*time.Second, "Choose a seller"))

	g := h.dial("bob", "counter-2", sshterm.Options{})
	must(t, g.WaitFor(10*time.Second, "Choose a seller"))
	must(t, g.Type("\x1b[\x00\xff\xfe\x1bO\x1b[999999999999;99999999999H\x1b]11;?\x07zz\x1b[200~half a paste"))
	must(t, g.Type("\x1b[1;"))
	g.Drop()

	p := h.dial("carol", "counter-9", sshterm.Options{})
	must(t, p.WaitFor(10*time.Second, "Choose a seller"))
	must(t, p.Type("§"))
	if code, err := p.Wait(10 * time.Second); err != nil || code != 1 {
		t.Fatalf("the panicking session: exit %d, %v", code, err)
	}
	if !strings.Contains(p.Stderr(), "the session at counter-9 failed and was closed; the other counters are not affected") {
		t.Errorf("the panicking session was told %q", p.Stderr())
	}
	must(t, a.Press("lumen"))
	must(t, a.WaitFor(5*time.Second, "1 of 5 sellers", "Lumen Coffee"))
	eventually(t, 5*time.Second, "the failure is logged", func() bool {
		return strings.Contains(h.logText(), "session failed") && strings.Contains(h.logText(), "counter=counter-9")
	})
	again := h.dial("carol", "counter-9", sshterm.Options{})
	must(t, again.WaitFor(10*time.Second, "Choose a seller")) // the counter is free again
}

// panicky is a console that panics on "§" (a bug in one session).
type panicky struct{ tea.Model }

func (p panicky) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok && k.String() == "§" {
		panic("a bug in one session")
	}
	m, cmd := p.Model.Update(msg)
	return panicky{m}, cmd
}
