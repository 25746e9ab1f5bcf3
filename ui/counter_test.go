package ui_test

import (
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"kasse/config"
	"kasse/pos"
	"kasse/ui"
	"kasse/ui/app"
	"kasse/ui/internal/uitest"
)

// holds is a host's reader registry as the console sees it through
// app.Counter: one per host, one counter per session.
type holds struct {
	mu   sync.Mutex
	held map[string]app.ReaderHolder
}

type counterAt struct {
	h    *holds
	me   app.ReaderHolder
	mu   sync.Mutex
	last app.CounterState
}

func (c *counterAt) Hold(id string) (app.ReaderHolder, bool) {
	c.h.mu.Lock()
	defer c.h.mu.Unlock()
	if x, ok := c.h.held[id]; ok && x != c.me {
		return x, false
	}
	c.h.held[id] = c.me
	return c.me, true
}

func (c *counterAt) Holder(id string) (app.ReaderHolder, bool) {
	c.h.mu.Lock()
	defer c.h.mu.Unlock()
	x, ok := c.h.held[id]
	return x, ok && x != c.me
}

// Report lets go of what the session no longer uses, as the host does.
func (c *counterAt) Report(st app.CounterState) {
	c.mu.Lock()
	c.last = st
	c.mu.Unlock()
	c.h.mu.Lock()
	defer c.h.mu.Unlock()
	for id, x := range c.h.held {
		if x == c.me && id != st.Reader && !(st.Sale.Live && id == st.Sale.Reader) {
			delete(c.h.held, id)
		}
	}
}

func (c *counterAt) state() app.CounterState {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.last
}

// atCounter is the session's copy of the shared Deps, served at counter.
func atCounter(shared *ui.Deps, h *holds, operator, counter string) (*ui.Deps, *counterAt) {
	d := *shared
	c := &counterAt{h: h, me: app.ReaderHolder{Operator: operator, Counter: counter}}
	d.Counter = c
	d.ConsoleID = "shop." + counter
	return &d, c
}

// A reader one counter sells on is shown in use, with who holds it, at
// the others, and they cannot take it until that counter lets it go.
func TestAReaderHeldAtAnotherCounterIsShownAndRefused(t *testing.T) {
	d, _ := uitest.RegisterDeps()
	uitest.Defaults(&d)
	shared := d.Prepared()
	h := &holds{held: map[string]app.ReaderHolder{}}
	da, ca := atCounter(shared, h, "anna", "counter-1")
	db, _ := atCounter(shared, h, "carl", "counter-2")
	a := uitest.Drive(t, ui.NewSession(da, ui.SignIn{Operator: "anna", Role: config.RoleCashier}))
	b := uitest.Drive(t, ui.NewSession(db, ui.SignIn{Operator: "carl", Role: config.RoleCashier}))

	a.Keys("text:bäck", "enter", "enter", "enter")
	a.MustBeOn("Register")
	if got := ca.state().Reader; got != "tmr_front" {
		t.Fatalf("anna's counter reports reader %q, want tmr_front", got)
	}
	b.Keys("text:bäck", "enter", "enter")
	b.MustBeOn("Choose a reader at Bäckerei Müller")
	b.Contains("in use at counter-1 (anna)")
	b.Keys("enter")
	if b.On("Register") {
		t.Fatalf("carl took anna's reader:\n%s", b.View())
	}
	b.Contains("Front counter is in use at counter-1 (anna)")

	// Anna's payment holds the reader while she is on it.
	a.Keys("c", "enter")
	a.MustBeOn("Payment")
	if st := ca.state(); st.Sale.ID == "" || !st.Sale.Live || st.Sale.Reader != "tmr_front" {
		t.Fatalf("anna's payment is not reported live on tmr_front: %+v", st)
	}

	// Anna goes back to the readers: the host lets it go, carl may take it.
	a.Keys("esc", "y")
	a.Keys("enter", "esc")
	a.MustBeOn("Choose a reader at Bäckerei Müller")
	b.Send(ui.HoldsChangedMsg{})
	b.Lacks("● in use at counter-1")
	b.Keys("enter")
	b.MustBeOn("Register")
	a.Contains("in use at counter-2 (carl)")
}

// The host's hang-up ends a session without a payment under way (as
// ctrl+c does) and keeps one with a payment running; on shutdown the
// payment is canceled through the machine, and the session may then end.
func TestHangUpKeepsAPaymentAndShutdownCancelsIt(t *testing.T) {
	c := &counterAt{h: &holds{held: map[string]app.ReaderHolder{}}, me: app.ReaderHolder{Operator: "anna", Counter: "counter-1"}}
	f := uitest.Charging(t, func(d *ui.Deps) { d.Counter = c })
	h := f.H
	h.MustBeOn("Payment")
	if !c.state().Sale.Live {
		t.Fatalf("the payment is not live: %+v", c.state())
	}
	h.Send(ui.HangUpMsg{})
	if h.Quit || !h.On("Payment") {
		t.Fatalf("a hang-up during a payment ended the session (quit %v, on %q)", h.Quit, h.Top().Title())
	}
	f.Term.Reads = []uitest.ReaderAnswer{{R: uitest.Waiting("pi_1")}, {R: uitest.ReaderWith("tmr_front", nil)}}
	h.Send(ui.ShutdownMsg{})
	if st := c.state().Sale; st.State != pos.SaleCanceled || st.Live {
		t.Fatalf("after shutdown the payment is %s (live %v), want canceled", st.State, st.Live)
	}
	if got := strings.Join(f.Pay.Ops(), ","); got != "CreateIntent,CancelIntent" {
		t.Errorf("payments calls = %s", got)
	}
	h.Send(ui.HangUpMsg{})
	if !h.Quit {
		t.Error("a hang-up after the payment settled did not end the session")
	}
}

// Each session renders in its own terminal's colours: a counter in true
// colour and one with NO_COLOR, in one process, at once, whatever the
// process's own terminal is.
func TestSessionsRenderWithTheirOwnRenderer(t *testing.T) {
	d, _ := uitest.RegisterDeps()
	uitest.Defaults(&d)
	shared := d.Prepared()
	session := func(p termenv.Profile) *uitest.Harness {
		r := lipgloss.NewRenderer(io.Discard)
		r.SetColorProfile(p)
		r.SetHasDarkBackground(true)
		own := *shared
		own.Renderer, own.Styles = r, app.StylesFor(app.DefaultPalette(), r)
		return uitest.Drive(t, ui.NewSession(&own, ui.SignIn{Operator: "anna"}))
	}
	colour, plain := session(termenv.TrueColor), session(termenv.Ascii)
	for _, h := range []*uitest.Harness{colour, plain} {
		h.Keys("text:bäck", "enter", "enter", "enter", "c")
		h.MustBeOn("Register")
	}
	if v := colour.M.View(); !strings.Contains(v, "\x1b[38;2;") {
		t.Errorf("the true-colour session has no true colour:\n%q", v)
	}
	if v := plain.M.View(); strings.Contains(v, "\x1b[") {
		t.Errorf("the NO_COLOR session has escape sequences:\n%q", v)
	}
	if lipgloss.ColorProfile() != termenv.Ascii {
		t.Error("a session changed the process's renderer")
	}
}
