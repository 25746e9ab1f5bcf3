package ui

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"kasse/checkout"
	"kasse/pos"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	lipgloss.SetHasDarkBackground(true)
	os.Exit(m.Run())
}

// testNow is the fixed clock of every test.
var testNow = time.Date(2026, 3, 14, 15, 9, 26, 0, time.UTC)

// scheduledMsg is what the fake scheduler returns instead of sleeping.
type scheduledMsg struct {
	d   time.Duration
	msg tea.Msg
	at  time.Time // the harness clock when it was scheduled
}

// harness drives a Model synchronously: it runs every command a message
// produces and feeds the results back, except timers, which wait in
// pending until the test fires them.
type harness struct {
	t       testing.TB
	m       *Model
	pending []scheduledMsg
	quit    bool
	seen    []tea.Msg // every message delivered, in order
	clock   time.Time
}

func newHarness(t testing.TB, d Deps) *harness {
	t.Helper()
	h := startHarness(t, d)
	h.run(h.m.Init())
	return h
}

// startHarness builds the model and sizes it but does not run Init.
func startHarness(t testing.TB, d Deps) *harness {
	t.Helper()
	h := &harness{t: t, clock: testNow}
	if d.Now == nil {
		d.Now = func() time.Time { return h.clock }
	}
	if d.Mode == "" {
		d.Mode = ModeSandbox
	}
	if d.ConsoleID == "" {
		d.ConsoleID = "till-1"
	}
	if d.Operator == "" {
		d.Operator = "anna"
	}
	if d.NewKey == nil {
		n := 0
		d.NewKey = func() string { n++; return "k" + strconv.Itoa(n) }
	}
	if d.Runner == nil {
		d.Runner = &checkout.Runner{Terminal: d.Terminal, Payments: d.Payments, Presenter: d.Presenter,
			Journal: &memJournal{}, Now: d.Now}
	}
	h.m = newModel(d)
	h.m.sh.after = func(d time.Duration, msg tea.Msg) tea.Cmd {
		return func() tea.Msg { return scheduledMsg{d: d, msg: msg} }
	}
	h.send(tea.WindowSizeMsg{Width: 100, Height: 30})
	return h
}

// send delivers msg and everything that follows from it.
func (h *harness) send(msg tea.Msg) {
	h.t.Helper()
	queue := []tea.Msg{msg}
	for steps := 0; len(queue) > 0; steps++ {
		if steps > 10000 {
			h.t.Fatal("harness: message loop does not settle")
		}
		next := queue[0]
		queue = queue[1:]
		h.seen = append(h.seen, next)
		_, cmd := h.m.Update(next)
		queue = append(queue, h.exec(cmd)...)
	}
}

// run executes cmd and delivers its messages.
func (h *harness) run(cmd tea.Cmd) {
	h.t.Helper()
	for _, msg := range h.exec(cmd) {
		h.send(msg)
	}
}

func (h *harness) exec(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	switch msg := cmd().(type) {
	case nil:
		return nil
	case tea.BatchMsg:
		var out []tea.Msg
		for _, c := range msg {
			out = append(out, h.exec(c)...)
		}
		return out
	case scheduledMsg:
		msg.at = h.clock
		h.pending = append(h.pending, msg)
		return nil
	case tea.QuitMsg:
		h.quit = true
		return nil
	default:
		return []tea.Msg{msg}
	}
}

// fire delivers the pending timers whose message has the type of like
// (all pending timers when like is nil), advancing the clock to when each
// was due. It returns how many fired.
func (h *harness) fire(like tea.Msg) int {
	h.t.Helper()
	var due, keep []scheduledMsg
	for _, p := range h.pending {
		if like == nil || reflect.TypeOf(p.msg) == reflect.TypeOf(like) {
			due = append(due, p)
		} else {
			keep = append(keep, p)
		}
	}
	h.pending = keep
	for _, p := range due {
		if due := p.at.Add(p.d); due.After(h.clock) {
			h.clock = due
		}
		h.send(p.msg)
	}
	return len(due)
}

// hasPending reports whether a timer of like's type waits.
func (h *harness) hasPending(like tea.Msg) bool {
	for _, p := range h.pending {
		if reflect.TypeOf(p.msg) == reflect.TypeOf(like) {
			return true
		}
	}
	return false
}

// keys presses each named key: "enter", "esc", "up", "ctrl+r", "alt+c",
// a single character, or "text:..." to type a string rune by rune.
func (h *harness) keys(names ...string) {
	h.t.Helper()
	for _, n := range names {
		if s, ok := strings.CutPrefix(n, "text:"); ok {
			for _, r := range s {
				h.send(keyMsg(string(r)))
			}
			continue
		}
		h.send(keyMsg(n))
	}
}

var namedKeys = map[string]tea.KeyType{
	"enter": tea.KeyEnter, "esc": tea.KeyEsc, "up": tea.KeyUp, "down": tea.KeyDown,
	"pgup": tea.KeyPgUp, "pgdown": tea.KeyPgDown, "backspace": tea.KeyBackspace,
	"delete": tea.KeyDelete, "tab": tea.KeyTab, "shift+tab": tea.KeyShiftTab, "space": tea.KeySpace,
	"ctrl+c": tea.KeyCtrlC, "ctrl+r": tea.KeyCtrlR, "ctrl+e": tea.KeyCtrlE, "ctrl+d": tea.KeyCtrlD,
	"ctrl+t": tea.KeyCtrlT, "ctrl+x": tea.KeyCtrlX, "ctrl+u": tea.KeyCtrlU, "ctrl+l": tea.KeyCtrlL,
	"left": tea.KeyLeft, "right": tea.KeyRight,
	"f2": tea.KeyF2, "f3": tea.KeyF3, "f4": tea.KeyF4, "f9": tea.KeyF9,
}

func keyMsg(name string) tea.KeyMsg {
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

// view renders the whole console without escape codes.
func (h *harness) view() string { return ansi.Strip(h.m.View()) }

// golden compares the current view with testdata/<name>.golden.
func (h *harness) golden(name string) {
	h.t.Helper()
	got := h.view()
	if lines := strings.Count(got, "\n") + 1; lines != h.m.height {
		h.t.Errorf("view has %d lines, want %d", lines, h.m.height)
	}
	for i, l := range strings.Split(got, "\n") {
		if w := lipgloss.Width(l); w > h.m.width {
			h.t.Errorf("line %d is %d wide, want ≤ %d: %q", i+1, w, h.m.width, l)
		}
	}
	compareGolden(h.t, name, got)
}

func compareGolden(t testing.TB, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	// Trailing blanks are not part of the picture; strip them so the files
	// stay editor-friendly.
	var lines []string
	for _, l := range strings.Split(got, "\n") {
		lines = append(lines, strings.TrimRight(l, " "))
	}
	got = strings.Join(lines, "\n") + "\n"
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./ui -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("view differs from %s (run with -update after checking):\n--- want\n%s\n--- got\n%s", path, want, got)
	}
}

// contains fails unless the view contains every s.
func (h *harness) contains(ss ...string) {
	h.t.Helper()
	v := h.view()
	for _, s := range ss {
		if !strings.Contains(v, s) {
			h.t.Errorf("view lacks %q:\n%s", s, v)
		}
	}
}

// lacks fails if the view contains any s.
func (h *harness) lacks(ss ...string) {
	h.t.Helper()
	v := h.view()
	for _, s := range ss {
		if strings.Contains(v, s) {
			h.t.Errorf("view unexpectedly has %q:\n%s", s, v)
		}
	}
}

// Fixtures.

func demoSellers() []pos.Seller {
	return []pos.Seller{
		{ID: "acct_1Baeckerei", DisplayName: "Bäckerei Müller", Country: "DE", Currency: "eur", CardPayments: "active", ChargesEnabled: true},
		{ID: "acct_1Blumen", DisplayName: "Blumen Schmidt", Country: "DE", Currency: "eur", CardPayments: "pending"},
		{ID: "acct_1Ramen", DisplayName: "Ramen Ichiban", Country: "JP", Currency: "jpy", CardPayments: "active", ChargesEnabled: true},
		{ID: "acct_1Taco", DisplayName: "Taco Loco", Country: "US", Currency: "usd", CardPayments: "active", ChargesEnabled: true},
		{ID: "acct_1Vinyl", DisplayName: "Vinyl Corner", Country: "GB", Currency: "gbp", CardPayments: "inactive"},
	}
}

// demoTerminal has a platform location per seller, one seller-owned
// location for Taco Loco and readers on both.
func demoTerminal() *fakeTerminal {
	f := newFakeTerminal()
	f.locations[pos.Platform] = []pos.Location{
		{ID: "tml_baeckerei", DisplayName: "Bäckerei Müller", Address: pos.Address{Line1: "Hauptstr. 1", City: "Berlin", Country: "DE"}},
		{ID: "tml_baeckerei2", DisplayName: "Bäckerei Müller – Markt", Address: pos.Address{City: "Berlin", Country: "DE"}},
		{ID: "tml_baeckereiX", DisplayName: "Bäckerei Müllerstraße", Address: pos.Address{City: "Köln", Country: "DE"}},
		{ID: "tml_ramen", DisplayName: "Ramen Ichiban", Address: pos.Address{City: "Tokyo", Country: "JP"}},
		{ID: "tml_taco", DisplayName: "Taco Loco", Address: pos.Address{Line1: "1 Main St", City: "Austin", Country: "US"}},
		{ID: "tml_tagged", DisplayName: "Food court stand 7", Metadata: map[string]string{pos.LocationSellerKey: "acct_1Taco"},
			Address: pos.Address{City: "Austin", Country: "US"}},
	}
	f.locations["acct_1Taco"] = []pos.Location{
		{ID: "tml_taco_own", Owner: "acct_1Taco", DisplayName: "Taco truck", Address: pos.Address{City: "Austin", Country: "US"}},
	}
	f.readers[pos.Platform] = []pos.Reader{
		{ID: "tmr_front", Label: "Front counter", DeviceType: "simulated_wisepos_e", Status: "online", LocationID: "tml_baeckerei"},
		{ID: "tmr_back", Label: "Back counter", DeviceType: "simulated_wisepos_e", Status: "offline", LocationID: "tml_baeckerei"},
		{ID: "tmr_busy", Label: "Window", DeviceType: "bbpos_wisepos_e", Status: "online", LocationID: "tml_baeckerei",
			Action: &pos.ReaderAction{Type: pos.ActionProcessPaymentIntent, Status: pos.ActionInProgress, PaymentIntentID: "pi_other"}},
		{ID: "tmr_taco", Label: "Taco till", DeviceType: "simulated_wisepos_e", Status: "online", LocationID: "tml_taco"},
		{ID: "tmr_ramen", Label: "Ramen till", DeviceType: "simulated_wisepos_e", Status: "online", LocationID: "tml_ramen"},
	}
	f.readers["acct_1Taco"] = []pos.Reader{
		{ID: "tmr_truck", Owner: "acct_1Taco", Label: "Truck", DeviceType: "stripe_s700", Status: "online", LocationID: "tml_taco_own"},
	}
	return f
}

func demoDeps() (Deps, *fakeSellers, *fakeTerminal, *fakePrefs) {
	s := &fakeSellers{sellers: demoSellers()}
	t := demoTerminal()
	p := &fakePrefs{}
	return Deps{Sellers: s, Terminal: t, Prefs: p}, s, t, p
}

// memJournal is the console tests' journal: it keeps every saved sale.
type memJournal struct {
	mu    sync.Mutex
	saved []pos.Sale
}

func (j *memJournal) SaveSale(_ context.Context, s pos.Sale, _ ...string) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.saved = append(j.saved, s)
	return nil
}

// last returns the newest saved copy of sale id.
func (j *memJournal) last(id string) (pos.Sale, bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	for i := len(j.saved) - 1; i >= 0; i-- {
		if j.saved[i].ID == id {
			return j.saved[i], true
		}
	}
	return pos.Sale{}, false
}
