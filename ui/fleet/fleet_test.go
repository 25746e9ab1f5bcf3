package ui

import (
	"errors"
	"strings"
	"testing"

	"kasse/pos"
	"kasse/readers"
)

func inReaders(t *testing.T, o *office) *harness {
	t.Helper()
	h := openArea(t, o, "f4", "tom", "1357")
	if _, ok := h.m.current().(*fleetScreen); !ok {
		t.Fatalf("not in Readers:\n%s", h.view())
	}
	return h
}

func (f *fakeFleet) count(prefix string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.calls {
		if strings.HasPrefix(c, prefix) {
			n++
		}
	}
	return n
}

// openReader moves the fleet cursor to reader id and opens it.
func openReader(t *testing.T, h *harness, id string) *readerDetailScreen {
	t.Helper()
	f := h.m.current().(*fleetScreen)
	for i, ref := range f.flat {
		if f.groups[ref.g].Readers[ref.r].ID == id {
			f.sel = i
		}
	}
	h.keys("enter")
	d, ok := h.m.current().(*readerDetailScreen)
	if !ok || d.r.ID != id {
		t.Fatalf("reader %s not open:\n%s", id, h.view())
	}
	return d
}

func TestReadersGroupedByLocationAndRefreshedWhileVisible(t *testing.T) {
	o := officeDeps()
	o.term.readers[pos.Platform][0].SerialNumber = "WPE-SIM-0001"
	o.term.readers[pos.Platform][0].SoftwareVersion = "2.30.1"
	o.term.readers[pos.Platform][0].IPAddress = "192.168.1.20"
	o.fleet.invErr = errors.New("inventory incomplete, 1 account could not be read: Blumen Schmidt (acct_1Blumen): permission denied")
	h := inReaders(t, o)
	h.contains("Bäckerei Müller · platform · Hauptstr. 1, Berlin, DE · tml_baeckerei", "Front counter", "● offline",
		"payment running", "Taco truck · Taco Loco", "WPE-SIM-0001", "⚠ inventory incomplete")
	h.golden("fleet_list")
	if o.fleet.count("Inventory") != 1 || !h.hasPending(fleetTickMsg{}) {
		t.Fatalf("inventory calls %d, refresh armed %v", o.fleet.count("Inventory"), h.hasPending(fleetTickMsg{}))
	}
	h.fire(fleetTickMsg{})
	if o.fleet.count("Inventory") != 2 {
		t.Fatalf("the refresh tick did not re-read (calls %d)", o.fleet.count("Inventory"))
	}
	// Hidden behind a reader's detail, the list pauses…
	openReader(t, h, "tmr_front")
	h.fire(fleetTickMsg{})
	if o.fleet.count("Inventory") != 2 {
		t.Fatal("the fleet refreshed while hidden")
	}
	// …and reads again when back on top.
	h.keys("esc")
	if o.fleet.count("Inventory") != 3 {
		t.Fatalf("not re-read when shown again (calls %d)", o.fleet.count("Inventory"))
	}
}

func TestReaderDetailShowsRawFieldsAndRunsActions(t *testing.T) {
	o := officeDeps()
	o.d.RecentRequests = func() []readers.RequestRecord {
		return []readers.RequestRecord{{Method: "GET", Path: "/v1/terminal/readers/tmr_busy", Status: 200}, {Method: "POST", Path: "/v1/terminal/readers/tmr_busy/cancel_action", Status: 200}}
	}
	h := inReaders(t, o)
	openReader(t, h, "tmr_busy")
	h.contains("tmr_busy", "bbpos_wisepos_e", "process_payment_intent in_progress (pi_other)", "Health", "platform")
	h.golden("reader_detail")
	// Display test.
	h.keys("s")
	h.contains("Display test sent: the reader should show 2 lines, total 5.40 EUR. Nothing is charged.")
	// Clear shows what the reader holds (read fresh) before clearing.
	o.term.getReader = []readerAnswer{{r: pos.Reader{ID: "tmr_busy", Label: "Window", Status: "online",
		Action: &pos.ReaderAction{Type: pos.ActionProcessPaymentIntent, Status: pos.ActionInProgress, PaymentIntentID: "pi_other"}}}}
	h.keys("c")
	h.contains("Clear Window?", "It holds: process_payment_intent in_progress (pi_other).")
	if o.fleet.count("Clear") != 0 {
		t.Fatal("cleared before the confirmation")
	}
	h.golden("reader_clear_confirm")
	h.keys("y")
	if o.fleet.count("Clear") != 1 {
		t.Fatal("y did not clear")
	}
	h.contains("cleared process_payment_intent in_progress (pi_other)")
	// Diagnostics bundle.
	h.keys("x")
	h.contains("Diagnostics bundle saved to /srv/kasse/exports/diagnostics-tmr_busy-20260314T150926.json")
	if o.fleet.count("Diagnostics tmr_busy recent=2") != 1 {
		t.Errorf("the bundle did not get the recent requests: %v", o.fleet.calls)
	}
	// How to move it.
	h.keys("v")
	h.contains("A reader cannot be moved to another location")
	// The detail re-reads itself while on screen.
	n := len(o.term.callsOf("GetReader"))
	h.fire(readerTickMsg{})
	if len(o.term.callsOf("GetReader")) != n+1 {
		t.Error("the detail did not refresh on its tick")
	}
}

func TestRenameAndMetadata(t *testing.T) {
	o := officeDeps()
	h := inReaders(t, o)
	openReader(t, h, "tmr_front")
	h.keys("n", "ctrl+u", "enter")
	h.contains("Type a label cashiers recognise")
	h.keys("text:Counter 1", "enter")
	if o.fleet.count("Rename tmr_front Counter 1") != 1 {
		t.Fatalf("calls = %v", o.fleet.calls)
	}
	d := h.m.current().(*readerDetailScreen)
	if d.r.Label != "Counter 1" {
		t.Errorf("detail label = %q", d.r.Label)
	}
	h.contains("Renamed tmr_front to Counter 1.")
	h.keys("m", "text:till", "tab", "text:2", "enter")
	if o.fleet.count("SetMetadata tmr_front map[till:2]") != 1 {
		t.Fatalf("calls = %v", o.fleet.calls)
	}
	h.contains("till=2")
}

func TestDeregisterNeedsTheLabelTyped(t *testing.T) {
	o := officeDeps()
	h := inReaders(t, o)
	openReader(t, h, "tmr_front")
	h.keys("d")
	h.golden("deregister")
	h.keys("text:front counter", "enter")
	h.contains("Type “Front counter” exactly to deregister this reader.")
	if o.fleet.count("Deregister") != 0 {
		t.Fatal("deregistered without the right confirmation")
	}
	h.keys("ctrl+u", "text:Front counter", "enter")
	if o.fleet.count("Deregister tmr_front Front counter") != 1 {
		t.Fatalf("calls = %v", o.fleet.calls)
	}
	if _, ok := h.m.current().(*fleetScreen); !ok {
		t.Fatalf("not back on the fleet:\n%s", h.view())
	}
	h.contains("Deregistered Front counter (tmr_front).")
	h.lacks("Front counter  ")
}

func TestPairASimulatedReaderAtANewLocationThenTestIt(t *testing.T) {
	o := officeDeps()
	h := inReaders(t, o)
	h.fire(nil) // let the sellers load first
	h.keys("p")
	p := h.m.current().(*pairScreen)
	h.keys("text:simulated-wpe", "tab", "text:Counter 2", "tab", "left") // ＋ new location
	if !p.isNew() {
		t.Fatalf("location = %d of %d", p.loc.choice, len(p.locs))
	}
	h.keys("tab", "right", "right", "right") // for Taco Loco (US)
	if p.country.value != "US" || !p.state.required || p.name.value != "Taco Loco" {
		t.Fatalf("country %q, state required %v, name %q", p.country.value, p.state.required, p.name.value)
	}
	h.golden("pair_new_location")
	h.keys("enter")
	h.contains("Address: address.line1, address.city, address.state and address.postal_code are required in US.")
	if o.fleet.count("CreateLocation")+o.fleet.count("Register") != 0 {
		t.Fatal("a request went out with an incomplete address")
	}
	h.keys("text:5 Elm St", "tab", "tab", "text:Austin", "tab", "text:TX", "tab", "text:78701", "enter")
	if o.fleet.count(`CreateLocation platform "Taco Loco" US for acct_1Taco`) != 1 ||
		o.fleet.count(`Register platform simulated-wpe "Counter 2" tml_new`) != 1 {
		t.Fatalf("calls = %v", o.fleet.calls)
	}
	d, ok := h.m.current().(*readerDetailScreen)
	if !ok || d.r.ID != "tmr_new" {
		t.Fatalf("not on the new reader:\n%s", h.view())
	}
	h.contains("Registered Counter 2 (tmr_new) at Taco Loco. t runs a test payment.")
	// A test payment: Taco Loco's smallest charge, the approved test card.
	h.keys("t")
	tt := h.m.current().(*testTxnScreen)
	if tt.amount.value != "0.50" {
		t.Errorf("default amount = %q", tt.amount.value)
	}
	h.keys("enter")
	if o.fleet.count("TestTransaction tmr_new acct_1Taco 50 card=4242424242424242 tip=0") != 1 {
		t.Fatalf("calls = %v", o.fleet.calls)
	}
	h.contains("PASS", "approved", "Hand-off → result", "1.234s", "pi_test", "canceled (voided)")
	h.golden("test_payment_result")
	h.keys("esc")
	h.contains("PASS approved: 0.50 USD on tmr_new (pi_test)")
}

func TestPairErrorsKeepTheFormAndTheCreatedLocation(t *testing.T) {
	o := officeDeps()
	o.fleet.registerErr = errors.New(`the reader did not accept registration code "simulated-xyz"`)
	h := inReaders(t, o)
	h.keys("p", "enter")
	h.contains("Type the registration code.")
	h.keys("text:simulated-xyz", "tab", "text:Counter 3", "tab", "left", "tab", "tab", "tab", "tab",
		"text:Markt 1", "tab", "tab", "text:Berlin", "tab", "tab", "text:10115", "enter")
	h.contains(`the reader did not accept registration code "simulated-xyz"`)
	if _, ok := h.m.current().(*pairScreen); !ok {
		t.Fatal("the form closed on an error")
	}
	// The location exists now: a retry registers only.
	o.fleet.registerErr = nil
	h.keys("enter")
	if o.fleet.count("CreateLocation") != 1 || o.fleet.count("Register") != 2 {
		t.Fatalf("calls = %v", o.fleet.calls)
	}
	if _, ok := h.m.current().(*readerDetailScreen); !ok {
		t.Fatalf("retry did not register:\n%s", h.view())
	}
}

func TestTestPaymentInLiveModeHasNoTestCard(t *testing.T) {
	o := officeDeps()
	o.d.Mode = ModeLive
	o.fleet.testResult = readers.TestResult{Passed: false, Outcome: readers.OutcomeTimeout}
	h := inReaders(t, o)
	openReader(t, h, "tmr_front")
	h.keys("t")
	h.contains("Live mode: tap a real card on the reader within 2 minutes.")
	h.lacks("Test card")
	h.keys("enter")
	if o.fleet.count("TestTransaction tmr_front acct_1Baeckerei 50 card= tip=0") != 1 {
		t.Fatalf("calls = %v", o.fleet.calls)
	}
	h.contains("FAIL", "timeout")
}
