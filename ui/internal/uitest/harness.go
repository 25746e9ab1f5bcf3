// Package uitest drives the console in tests: a harness around the root
// model that runs every command synchronously against in-memory fakes of
// the ports (fakes.go, fakes_office.go), holds timers until a test fires
// them, and compares views with the golden files in ui/testdata. It is
// linked into tests only.
package uitest

import (
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"kasse/checkout"
	"kasse/config"
	"kasse/ui"
	"kasse/ui/app"
)

var update = flag.Bool("update", false, "rewrite ui/testdata/*.golden from the current output")

// Main runs a test binary with the colour profile pinned (ASCII, dark
// background), so views and goldens do not depend on the terminal.
func Main(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	lipgloss.SetHasDarkBackground(true)
	os.Exit(m.Run())
}

// Now is the fixed clock of every test.
var Now = time.Date(2026, 3, 14, 15, 9, 26, 0, time.UTC)

// Scheduled is what After returns instead of sleeping: the harness keeps
// it until a test fires it.
type Scheduled struct {
	D   time.Duration
	Msg tea.Msg
	At  time.Time // the harness clock when it was scheduled
}

// After is the tests' Deps.After: a timer that waits in the harness.
// Stateless, so sessions sharing one Deps can use it at once.
func After(d time.Duration, msg tea.Msg) tea.Cmd {
	return func() tea.Msg { return Scheduled{D: d, Msg: msg} }
}

// Harness drives a console session synchronously: it runs every command a
// message produces and feeds the results back, except timers, which wait
// in Pending until the test fires them.
type Harness struct {
	T       testing.TB
	M       *ui.Model
	Pending []Scheduled
	Quit    bool
	Seen    []tea.Msg // every message delivered, in order
	Clock   time.Time
	// Width and Height are the terminal's size (the last size sent).
	Width, Height int
}

// New starts a console on d (defaults filled in as Start does) and runs
// its Init.
func New(t testing.TB, d ui.Deps) *Harness {
	t.Helper()
	h := Start(t, d)
	h.Run(h.M.Init())
	return h
}

// Start builds the console and sizes it (100×30) but does not run Init.
// Fields of d left empty get the tests' defaults: the harness clock,
// sandbox mode, till-1, anna, numbered keys, the shared executor over a
// MemJournal, the harness's timers.
func Start(t testing.TB, d ui.Deps) *Harness {
	t.Helper()
	h := &Harness{T: t, Clock: Now}
	if d.Now == nil {
		d.Now = func() time.Time { return h.Clock }
	}
	Defaults(&d)
	h.M = ui.New(d)
	h.Send(tea.WindowSizeMsg{Width: 100, Height: 30})
	return h
}

// Defaults fills in what Start fills in, but the clock: for Deps shared by
// sessions that run at once (NewKey is then safe for concurrent use).
func Defaults(d *ui.Deps) {
	if d.Now == nil {
		d.Now = func() time.Time { return Now }
	}
	if d.Mode == "" {
		d.Mode = config.ModeSandbox
	}
	if d.ConsoleID == "" {
		d.ConsoleID = "till-1"
	}
	if d.Operator == "" {
		d.Operator = "anna"
	}
	if d.NewKey == nil {
		var n atomic.Int64
		d.NewKey = func() string { return "k" + strconv.FormatInt(n.Add(1), 10) }
	}
	if d.Runner == nil {
		d.Runner = &checkout.Runner{Terminal: d.Terminal, Payments: d.Payments, Presenter: d.Presenter,
			Journal: &MemJournal{}, Now: d.Now}
	}
	if d.After == nil {
		d.After = After
	}
}

// Drive is a harness around a session built elsewhere (ui.NewSession on
// shared Deps whose After is uitest.After), sized 100×30; Init runs.
func Drive(t testing.TB, m *ui.Model) *Harness {
	t.Helper()
	h := &Harness{T: t, M: m, Clock: Now}
	h.Send(tea.WindowSizeMsg{Width: 100, Height: 30})
	h.Run(m.Init())
	return h
}

// Send delivers msg and everything that follows from it.
func (h *Harness) Send(msg tea.Msg) {
	h.T.Helper()
	queue := []tea.Msg{msg}
	for steps := 0; len(queue) > 0; steps++ {
		if steps > 10000 {
			h.T.Fatal("harness: message loop does not settle")
		}
		next := queue[0]
		queue = queue[1:]
		if s, ok := next.(tea.WindowSizeMsg); ok {
			h.Width, h.Height = s.Width, s.Height
		}
		h.Seen = append(h.Seen, next)
		_, cmd := h.M.Update(next)
		queue = append(queue, h.Exec(cmd)...)
	}
}

// Run executes cmd and delivers its messages.
func (h *Harness) Run(cmd tea.Cmd) {
	h.T.Helper()
	for _, msg := range h.Exec(cmd) {
		h.Send(msg)
	}
}

// Exec runs cmd and returns its messages (timers are kept, a quit noted).
func (h *Harness) Exec(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	switch msg := cmd().(type) {
	case nil:
		return nil
	case tea.BatchMsg:
		var out []tea.Msg
		for _, c := range msg {
			out = append(out, h.Exec(c)...)
		}
		return out
	case Scheduled:
		msg.At = h.Clock
		h.Pending = append(h.Pending, msg)
		return nil
	case tea.QuitMsg:
		h.Quit = true
		return nil
	default:
		return []tea.Msg{msg}
	}
}

// Fire delivers the pending timers whose message has the type of like
// (all pending timers when like is nil), advancing the clock to when each
// was due. It returns how many fired.
func (h *Harness) Fire(like tea.Msg) int {
	h.T.Helper()
	var due, keep []Scheduled
	for _, p := range h.Pending {
		if like == nil || reflect.TypeOf(p.Msg) == reflect.TypeOf(like) {
			due = append(due, p)
		} else {
			keep = append(keep, p)
		}
	}
	h.Pending = keep
	for _, p := range due {
		if due := p.At.Add(p.D); due.After(h.Clock) {
			h.Clock = due
		}
		h.Send(p.Msg)
	}
	return len(due)
}

// HasPending reports whether a timer of like's type waits.
func (h *Harness) HasPending(like tea.Msg) bool {
	for _, p := range h.Pending {
		if reflect.TypeOf(p.Msg) == reflect.TypeOf(like) {
			return true
		}
	}
	return false
}

// Keys presses each named key: "enter", "esc", "up", "ctrl+r", "alt+c",
// a single character, or "text:..." to type a string rune by rune.
func (h *Harness) Keys(names ...string) {
	h.T.Helper()
	for _, n := range names {
		if s, ok := strings.CutPrefix(n, "text:"); ok {
			for _, r := range s {
				h.Send(KeyMsg(string(r)))
			}
			continue
		}
		h.Send(KeyMsg(n))
	}
}

// Resize sends a window size.
func (h *Harness) Resize(w, hh int) { h.Send(tea.WindowSizeMsg{Width: w, Height: hh}) }

// Top is the screen on top.
func (h *Harness) Top() app.Screen {
	s := h.M.Screens()
	return s[len(s)-1]
}

// On reports whether the screen on top is titled title; "…" at its end
// or its start matches the rest of the title ("Choose a location…",
// "… — PIN").
func (h *Harness) On(title string) bool {
	top := h.Top().Title()
	if p, ok := strings.CutSuffix(title, "…"); ok {
		return strings.HasPrefix(top, p)
	}
	if p, ok := strings.CutPrefix(title, "…"); ok {
		return strings.HasSuffix(top, p)
	}
	return top == title
}

// MustBeOn fails the test unless the screen on top is titled title (see
// On).
func (h *Harness) MustBeOn(title string) {
	h.T.Helper()
	if !h.On(title) {
		h.T.Fatalf("on %q, want %q:\n%s", h.Top().Title(), title, h.View())
	}
}

var namedKeys = map[string]tea.KeyType{
	"enter": tea.KeyEnter, "esc": tea.KeyEsc, "up": tea.KeyUp, "down": tea.KeyDown,
	"pgup": tea.KeyPgUp, "pgdown": tea.KeyPgDown, "backspace": tea.KeyBackspace,
	"delete": tea.KeyDelete, "tab": tea.KeyTab, "shift+tab": tea.KeyShiftTab, "space": tea.KeySpace,
	"ctrl+c": tea.KeyCtrlC, "ctrl+r": tea.KeyCtrlR, "ctrl+e": tea.KeyCtrlE, "ctrl+d": tea.KeyCtrlD,
	"ctrl+t": tea.KeyCtrlT, "ctrl+x": tea.KeyCtrlX, "ctrl+u": tea.KeyCtrlU, "ctrl+l": tea.KeyCtrlL,
	"left": tea.KeyLeft, "right": tea.KeyRight,
	"f2": tea.KeyF2, "f3": tea.KeyF3, "f4": tea.KeyF4, "f5": tea.KeyF5, "f6": tea.KeyF6, "f9": tea.KeyF9,
	// customers
	"ctrl+k": tea.KeyCtrlK, "ctrl+n": tea.KeyCtrlN, "ctrl+s": tea.KeyCtrlS, "ctrl+o": tea.KeyCtrlO,
}

// KeyMsg is the key message of a key name (see Keys).
func KeyMsg(name string) tea.KeyMsg {
	if t, ok := namedKeys[name]; ok {
		if t == tea.KeySpace {
			return tea.KeyMsg{Type: t, Runes: []rune{' '}}
		}
		return tea.KeyMsg{Type: t}
	}
	if s, ok := strings.CutPrefix(name, "alt+"); ok && len([]rune(s)) == 1 {
		return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s), Alt: true}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(name)}
}

// View renders the whole console without escape codes.
func (h *Harness) View() string { return ansi.Strip(h.M.View()) }

// Golden compares the current view with ui/testdata/<name>.golden.
func (h *Harness) Golden(name string) {
	h.T.Helper()
	got := h.View()
	if lines := strings.Count(got, "\n") + 1; lines != h.Height {
		h.T.Errorf("view has %d lines, want %d", lines, h.Height)
	}
	for i, l := range strings.Split(got, "\n") {
		if w := lipgloss.Width(l); w > h.Width {
			h.T.Errorf("line %d is %d wide, want ≤ %d: %q", i+1, w, h.Width, l)
		}
	}
	CompareGolden(h.T, name, got)
}

// goldenDir is ui/testdata: the goldens are pictures of the whole console,
// whichever package's tests draw them.
func goldenDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "testdata")
}

// CompareGolden compares got with ui/testdata/<name>.golden (-update
// rewrites it).
func CompareGolden(t testing.TB, name, got string) {
	t.Helper()
	path := filepath.Join(goldenDir(), name+".golden")
	// Trailing blanks are not part of the picture; strip them so the files
	// stay editor-friendly.
	var lines []string
	for _, l := range strings.Split(got, "\n") {
		lines = append(lines, strings.TrimRight(l, " "))
	}
	got = strings.Join(lines, "\n") + "\n"
	if *update {
		if err := os.MkdirAll(goldenDir(), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./ui/... -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("view differs from %s (run with -update after checking):\n--- want\n%s\n--- got\n%s", path, want, got)
	}
}

// Contains fails unless the view contains every s.
func (h *Harness) Contains(ss ...string) {
	h.T.Helper()
	v := h.View()
	for _, s := range ss {
		if !strings.Contains(v, s) {
			h.T.Errorf("view lacks %q:\n%s", s, v)
		}
	}
}

// Lacks fails if the view contains any s.
func (h *Harness) Lacks(ss ...string) {
	h.T.Helper()
	v := h.View()
	for _, s := range ss {
		if strings.Contains(v, s) {
			h.T.Errorf("view unexpectedly has %q:\n%s", s, v)
		}
	}
}
