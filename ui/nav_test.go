package ui_test

import (
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kasse/ui/app"
	"kasse/ui/internal/uitest"
)

// The navigation contract, with probe screens pushed above the seller
// list: the root keeps one stack, moves it only on the screens' messages,
// gives keys to the top screen and everything else to every screen on the
// stack, and draws dialogs and the help above any screen.

// probe is a screen that records what reaches it. Esc pops it (as the
// console's screens do when they have nothing of their own to close).
type probe struct {
	name    string
	inits   int
	resumes int
	keys    []string
	other   []tea.Msg
	minW    int
	typing  bool // CapturesText
}

type ping struct{ n int } // a message for every screen

func (p *probe) Init() tea.Cmd { p.inits++; return nil }
func (p *probe) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		p.keys = append(p.keys, msg.String())
		if msg.Type == tea.KeyEsc {
			return app.Pop()
		}
	default:
		p.other = append(p.other, msg)
	}
	return nil
}
func (p *probe) View(w, h int) string { return "probe " + p.name + " body" }
func (p *probe) Title() string        { return "Probe " + p.name }
func (p *probe) ShortHelp() []key.Binding {
	return []key.Binding{key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "probe "+p.name+" short"))}
}
func (p *probe) FullHelp() [][]key.Binding {
	return [][]key.Binding{{key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "probe "+p.name+" full"))}}
}
func (p *probe) MinSize() (int, int) {
	if p.minW > 0 {
		return p.minW, app.DefaultMinHeight
	}
	return app.DefaultMinSize()
}
func (p *probe) Loading() bool      { return false }
func (p *probe) CapturesText() bool { return p.typing }

// resumingProbe also wants to know when it is on top again.
type resumingProbe struct{ *probe }

func (p resumingProbe) Resume() tea.Cmd { p.resumes++; return nil }

// titles are the stack's screens' titles, bottom first.
func titles(h *uitest.Harness) string {
	var out []string
	for _, s := range h.M.Screens() {
		out = append(out, s.Title())
	}
	return strings.Join(out, " / ")
}

func console(t *testing.T) *uitest.Harness {
	t.Helper()
	d, _, _, _ := uitest.DemoDeps()
	return uitest.New(t, d)
}

func TestPushStartsTheScreenAndPopResumesTheOneBelow(t *testing.T) {
	h := console(t)
	a, b := resumingProbe{&probe{name: "a"}}, &probe{name: "b"}
	h.Run(app.Push(a))
	h.Run(app.Push(b))
	if got := titles(h); got != "Choose a seller / Probe a / Probe b" {
		t.Fatalf("stack %s", got)
	}
	if a.inits != 1 || b.inits != 1 {
		t.Errorf("Init ran %d and %d times, want once each", a.inits, b.inits)
	}
	h.Contains("probe b body", "probe b short")
	h.Lacks("probe a body")
	h.Run(app.Pop())
	if got := titles(h); got != "Choose a seller / Probe a" || a.resumes != 1 {
		t.Fatalf("after pop: stack %s, a resumed %d times", got, a.resumes)
	}
	h.Contains("probe a body")
}

func TestPopNeverClosesTheSellerList(t *testing.T) {
	h := console(t)
	h.Run(app.Push(&probe{name: "a"}))
	h.Run(app.PopN(5))
	if got := titles(h); got != "Choose a seller" {
		t.Fatalf("stack %s", got)
	}
	h.Run(app.Pop())
	h.Run(app.Replace(&probe{name: "b"}))
	if got := titles(h); got != "Choose a seller" {
		t.Fatalf("the bottom screen was popped or replaced: %s", got)
	}
}

func TestReplaceAndReplaceAtAndPopTo(t *testing.T) {
	h := console(t)
	a, b, c, d, e := &probe{name: "a"}, &probe{name: "b"}, &probe{name: "c"}, &probe{name: "d"}, &probe{name: "e"}
	h.Run(app.Push(a))
	h.Run(app.Push(b))
	h.Run(app.Replace(c))
	if got := titles(h); got != "Choose a seller / Probe a / Probe c" || c.inits != 1 {
		t.Fatalf("replace: stack %s, c started %d times", got, c.inits)
	}
	h.Run(app.Push(d))
	h.Run(app.ReplaceAt(a, e)) // a and everything above it
	if got := titles(h); got != "Choose a seller / Probe e" || e.inits != 1 {
		t.Fatalf("replace at: stack %s", got)
	}
	h.Run(app.ReplaceAt(a, b)) // a is no longer on the stack
	if got := titles(h); got != "Choose a seller / Probe e" {
		t.Fatalf("replacing a closed screen changed the stack: %s", got)
	}
	h.Run(app.Push(a))
	h.Run(app.Push(b))
	h.Run(app.PopTo(e))
	if got := titles(h); got != "Choose a seller / Probe e" {
		t.Fatalf("pop to: stack %s", got)
	}
}

func TestHomeRebuildsTheStackAboveTheSellerList(t *testing.T) {
	h := console(t)
	a, b, c := &probe{name: "a"}, &probe{name: "b"}, &probe{name: "c"}
	h.Run(app.Push(a))
	h.Run(app.Home(b, c))
	if got := titles(h); got != "Choose a seller / Probe b / Probe c" || b.inits != 1 || c.inits != 1 {
		t.Fatalf("stack %s, inits %d %d", got, b.inits, c.inits)
	}
}

func TestKeysGoToTheTopOtherMessagesToEveryScreen(t *testing.T) {
	h := console(t)
	a, b := &probe{name: "a"}, &probe{name: "b"}
	h.Run(app.Push(a))
	h.Run(app.Push(b))
	h.Keys("x")
	if len(a.keys) != 0 || strings.Join(b.keys, ",") != "x" {
		t.Errorf("keys: a %v, b %v", a.keys, b.keys)
	}
	h.Send(ping{1})
	for _, p := range []*probe{a, b} {
		if len(p.other) != 1 || p.other[0] != (ping{1}) {
			t.Errorf("probe %s got %v, want the ping", p.name, p.other)
		}
	}
	h.Run(app.Pop())
	h.Send(ping{2})
	if len(b.other) != 1 {
		t.Errorf("a closed screen still gets messages: %v", b.other)
	}
}

// Esc goes back: each screen pops itself when it has nothing of its own
// to close (a filter, an editor, a question). The back office and the
// reconcile log are screens like any other.
func TestEscPops(t *testing.T) {
	h := console(t)
	h.Run(app.Push(&probe{name: "a"}))
	h.Keys("esc")
	if got := titles(h); got != "Choose a seller" {
		t.Fatalf("esc on a probe: %s", got)
	}
	o := uitest.OfficeDeps()
	h = uitest.New(t, o.D)
	h.Keys("f9", "enter") // the menu, then Transactions' PIN prompt above it
	if got := titles(h); got != "Choose a seller / Back office / Transactions — PIN" {
		t.Fatalf("stack %s", got)
	}
	h.Keys("esc")
	h.MustBeOn("Back office")
	h.Keys("esc")
	h.MustBeOn("Choose a seller")
	h.Keys("enter", "esc") // a seller's locations, and back
	h.MustBeOn("Choose a seller")
}

// A dialog opens above any screen: its keys answer it and nothing else
// reaches the screens; each choice closes it and runs what it does.
func TestDialogsAboveAnyScreen(t *testing.T) {
	h := console(t)
	a := &probe{name: "a"}
	h.Run(app.Push(a))
	answered := 0
	yes := key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "yes"))
	ask := &app.Dialog{Title: "Really?", Lines: []string{"A question above the probe."},
		Choices: []app.Choice{{Key: yes, Text: "do it", Do: func() tea.Cmd { answered++; return app.Push(&probe{name: "b"}) }}}}
	h.Run(app.Ask(ask))
	h.Contains("Really?", "A question above the probe.", "do it", "y yes")
	h.Lacks("probe a body")
	if h.M.Asking() != "Really?" {
		t.Fatalf("asking %q", h.M.Asking())
	}
	h.Keys("x", "?", "esc", "f9")
	if len(a.keys) != 0 || h.M.HelpOpen() || h.M.Asking() != "Really?" {
		t.Fatalf("keys went past the dialog: probe %v, help %v, asking %q", a.keys, h.M.HelpOpen(), h.M.Asking())
	}
	h.Keys("y")
	if answered != 1 || h.M.Asking() != "" || !h.On("Probe b") {
		t.Fatalf("answer: ran %d, asking %q, on %q", answered, h.M.Asking(), h.Top().Title())
	}
	// ctrl+c, when not one of the answers, closes the dialog and quits.
	h.Run(app.Ask(ask))
	h.Keys("ctrl+c")
	if !h.Quit || h.M.Asking() != "" || answered != 1 {
		t.Fatalf("ctrl+c: quit %v, asking %q, answered %d", h.Quit, h.M.Asking(), answered)
	}
}

// `?` shows every key of the screen on top and the global ones, above any
// screen, and takes no other key; not while the screen takes text.
func TestHelpScreenAboveAnyScreen(t *testing.T) {
	h := console(t)
	a := &probe{name: "a"}
	h.Run(app.Push(a))
	h.Keys("?")
	if !h.M.HelpOpen() {
		t.Fatal("? did not open the help")
	}
	h.Contains("Keys — Probe a", "probe a full", "all keys", "quit")
	h.Keys("x", "down")
	if len(a.keys) != 0 {
		t.Errorf("keys reached the screen under the help: %v", a.keys)
	}
	h.Keys("esc")
	if h.M.HelpOpen() || len(h.M.Screens()) != 2 {
		t.Fatalf("esc closed the help %v and left %d screens", !h.M.HelpOpen(), len(h.M.Screens()))
	}
	a.typing = true
	h.Keys("?")
	if h.M.HelpOpen() || strings.Join(a.keys, ",") != "?" {
		t.Errorf("? while typing: help %v, typed %v", h.M.HelpOpen(), a.keys)
	}
}

// The top screen's minimum decides "terminal too small".
func TestTooSmallFollowsTheTopScreen(t *testing.T) {
	h := console(t)
	h.Resize(80, 24)
	h.Run(app.Push(&probe{name: "wide", minW: 90}))
	h.Contains("Terminal too small", "This screen needs at least 90×15; the terminal is 80×24.")
	h.Keys("esc")
	if !h.On("Probe wide") {
		t.Fatal("a key reached a screen too small to see")
	}
	h.Run(app.Pop())
	h.Lacks("Terminal too small")
	h.Contains("Choose a seller")
}
