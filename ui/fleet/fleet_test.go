package fleet_test

import (
	"errors"
	"testing"

	"kasse/config"
	"kasse/pos"
	"kasse/readers"
	"kasse/ui/fleet"
	"kasse/ui/internal/uitest"
)

func TestMain(m *testing.M) { uitest.Main(m) }

func inReaders(t *testing.T, o *uitest.Office) *uitest.Harness {
	t.Helper()
	h := uitest.OpenArea(t, o, "f4", "tom", "1357")
	h.MustBeOn("Readers")
	return h
}

// openReader moves the fleet cursor to reader id and opens it.
func openReader(t *testing.T, h *uitest.Harness, id string) *fleet.ReaderDetail {
	t.Helper()
	if !h.Top().(*fleet.FleetScreen).SelectReader(id) {
		t.Fatalf("reader %s not listed:\n%s", id, h.View())
	}
	h.Keys("enter")
	d, ok := h.Top().(*fleet.ReaderDetail)
	if !ok || d.Reader().ID != id {
		t.Fatalf("reader %s not open:\n%s", id, h.View())
	}
	return d
}

func TestReadersGroupedByLocationAndRefreshedWhileVisible(t *testing.T) {
	o := uitest.OfficeDeps()
	o.Term.Readers[pos.Platform][0].SerialNumber = "WPE-SIM-0001"
	o.Term.Readers[pos.Platform][0].SoftwareVersion = "2.30.1"
	o.Term.Readers[pos.Platform][0].IPAddress = "192.168.1.20"
	o.Fleet.InvErr = errors.New("inventory incomplete, 1 account could not be read: Blumen Schmidt (acct_1Blumen): permission denied")
	h := inReaders(t, o)
	h.Contains("Bäckerei Müller · platform · Hauptstr. 1, Berlin, DE · tml_baeckerei", "Front counter", "● offline",
		"payment running", "Taco truck · Taco Loco", "WPE-SIM-0001", "⚠ inventory incomplete")
	h.Golden("fleet_list")
	if o.Fleet.Count("Inventory") != 1 || !h.HasPending(fleet.FleetTick{}) {
		t.Fatalf("inventory calls %d, refresh armed %v", o.Fleet.Count("Inventory"), h.HasPending(fleet.FleetTick{}))
	}
	h.Fire(fleet.FleetTick{})
	if o.Fleet.Count("Inventory") != 2 {
		t.Fatalf("the refresh tick did not re-read (calls %d)", o.Fleet.Count("Inventory"))
	}
	// Hidden behind a reader's detail, the list pauses…
	openReader(t, h, "tmr_front")
	h.Fire(fleet.FleetTick{})
	if o.Fleet.Count("Inventory") != 2 {
		t.Fatal("the fleet refreshed while hidden")
	}
	// …and reads again when back on top.
	h.Keys("esc")
	if o.Fleet.Count("Inventory") != 3 {
		t.Fatalf("not re-read when shown again (calls %d)", o.Fleet.Count("Inventory"))
	}
}

func TestReaderDetailShowsRawFieldsAndRunsActions(t *testing.T) {
	o := uitest.OfficeDeps()
	o.D.RecentRequests = func() []readers.RequestRecord {
		return []readers.RequestRecord{{Method: "GET", Path: "/v1/terminal/readers/tmr_busy", Status: 200}, {Method: "POST", Path: "/v1/terminal/readers/tmr_busy/cancel_action", Status: 200}}
	}
	h := inReaders(t, o)
	openReader(t, h, "tmr_busy")
	h.Contains("tmr_busy", "bbpos_wisepos_e", "process_payment_intent in_progress (pi_other)", "Health", "platform")
	h.Golden("reader_detail")
	// Display test.
	h.Keys("s")
	h.Contains("Display test sent: the reader should show 2 lines, total €5.40. Nothing is charged.")
	// Clear shows what the reader holds (read fresh) before clearing.
	o.Term.Reads = []uitest.ReaderAnswer{{R: pos.Reader{ID: "tmr_busy", Label: "Window", Status: "online",
		Action: &pos.ReaderAction{Type: pos.ActionProcessPaymentIntent, Status: pos.ActionInProgress, PaymentIntentID: "pi_other"}}}}
	h.Keys("c")
	h.Contains("Clear Window?", "It holds: process_payment_intent in_progress (pi_other).")
	if o.Fleet.Count("Clear") != 0 {
		t.Fatal("cleared before the confirmation")
	}
	h.Golden("reader_clear_confirm")
	h.Keys("y")
	if o.Fleet.Count("Clear") != 1 {
		t.Fatal("y did not clear")
	}
	h.Contains("cleared process_payment_intent in_progress (pi_other)")
	// Diagnostics bundle.
	h.Keys("x")
	h.Contains("Diagnostics bundle saved to /srv/kasse/exports/diagnostics-tmr_busy-20260314T150926.json")
	if o.Fleet.Count("Diagnostics tmr_busy recent=2") != 1 {
		t.Errorf("the bundle did not get the recent requests: %v", o.Fleet.Calls())
	}
	// How to move it.
	h.Keys("v")
	h.Contains("A reader cannot be moved to another location")
	// The detail re-reads itself while on screen.
	n := len(o.Term.CallsOf("GetReader"))
	h.Fire(fleet.ReaderTick{})
	if len(o.Term.CallsOf("GetReader")) != n+1 {
		t.Error("the detail did not refresh on its tick")
	}
}

func TestRenameAndMetadata(t *testing.T) {
	o := uitest.OfficeDeps()
	h := inReaders(t, o)
	openReader(t, h, "tmr_front")
	h.Keys("n", "ctrl+u", "enter")
	h.Contains("Type a label cashiers recognise")
	h.Keys("text:Counter 1", "enter")
	if o.Fleet.Count("Rename tmr_front Counter 1") != 1 {
		t.Fatalf("calls = %v", o.Fleet.Calls())
	}
	d := h.Top().(*fleet.ReaderDetail)
	if d.Reader().Label != "Counter 1" {
		t.Errorf("detail label = %q", d.Reader().Label)
	}
	h.Contains("Renamed tmr_front to Counter 1.")
	h.Keys("m", "text:till", "tab", "text:2", "enter")
	if o.Fleet.Count("SetMetadata tmr_front map[till:2]") != 1 {
		t.Fatalf("calls = %v", o.Fleet.Calls())
	}
	h.Contains("till=2")
}

func TestDeregisterNeedsTheLabelTyped(t *testing.T) {
	o := uitest.OfficeDeps()
	h := inReaders(t, o)
	openReader(t, h, "tmr_front")
	h.Keys("d")
	h.Golden("deregister")
	h.Keys("text:front counter", "enter")
	h.Contains("Type “Front counter” exactly to deregister this reader.")
	if o.Fleet.Count("Deregister") != 0 {
		t.Fatal("deregistered without the right confirmation")
	}
	h.Keys("ctrl+u", "text:Front counter", "enter")
	if o.Fleet.Count("Deregister tmr_front Front counter") != 1 {
		t.Fatalf("calls = %v", o.Fleet.Calls())
	}
	if !h.On("Readers") {
		t.Fatalf("not back on the fleet:\n%s", h.View())
	}
	h.Contains("Deregistered Front counter (tmr_front).")
	h.Lacks("Front counter  ")
}

func TestPairASimulatedReaderAtANewLocationThenTestIt(t *testing.T) {
	o := uitest.OfficeDeps()
	h := inReaders(t, o)
	h.Fire(nil) // let the sellers load first
	h.Keys("p")
	p := h.Top().(*fleet.PairScreen)
	h.Keys("text:simulated-wpe", "tab", "text:Counter 2", "tab", "left") // ＋ new location
	if !p.NewLocation() {
		t.Fatalf("location = %s", p.Field("Location").Options[p.Field("Location").Choice])
	}
	h.Keys("tab", "right", "right", "right") // for Taco Loco (US)
	country, state, name := p.Field("Country"), p.Field("State"), p.Field("Name")
	if country.Value != "US" || !state.Required || name.Value != "Taco Loco" {
		t.Fatalf("country %q, state required %v, name %q", country.Value, state.Required, name.Value)
	}
	h.Golden("pair_new_location")
	h.Keys("enter")
	h.Contains("Address: address.line1, address.city, address.state and address.postal_code are required in US.")
	if o.Fleet.Count("CreateLocation")+o.Fleet.Count("Register") != 0 {
		t.Fatal("a request went out with an incomplete address")
	}
	h.Keys("text:5 Elm St", "tab", "tab", "text:Austin", "tab", "text:TX", "tab", "text:78701", "enter")
	if o.Fleet.Count(`CreateLocation platform "Taco Loco" US for acct_1Taco`) != 1 ||
		o.Fleet.Count(`Register platform simulated-wpe "Counter 2" tml_new`) != 1 {
		t.Fatalf("calls = %v", o.Fleet.Calls())
	}
	d, ok := h.Top().(*fleet.ReaderDetail)
	if !ok || d.Reader().ID != "tmr_new" {
		t.Fatalf("not on the new reader:\n%s", h.View())
	}
	h.Contains("Registered Counter 2 (tmr_new) at Taco Loco. t runs a test payment.")
	// A test payment: Taco Loco's smallest charge, the approved test card.
	h.Keys("t")
	tt := h.Top().(*fleet.TestPaymentScreen)
	if tt.AmountField().Value != "0.50" {
		t.Errorf("default amount = %q", tt.AmountField().Value)
	}
	h.Keys("enter")
	if o.Fleet.Count("TestTransaction tmr_new acct_1Taco 50 card=4242424242424242 tip=0") != 1 {
		t.Fatalf("calls = %v", o.Fleet.Calls())
	}
	h.Contains("PASS", "approved", "Hand-off → result", "1.234s", "pi_test", "canceled (voided)")
	h.Golden("test_payment_result")
	h.Keys("esc")
	h.Contains("PASS approved: $0.50 on tmr_new (pi_test)")
}

func TestPairErrorsKeepTheFormAndTheCreatedLocation(t *testing.T) {
	o := uitest.OfficeDeps()
	o.Fleet.RegisterErr = errors.New(`the reader did not accept registration code "simulated-xyz"`)
	h := inReaders(t, o)
	h.Keys("p", "enter")
	h.Contains("Type the registration code.")
	h.Keys("text:simulated-xyz", "tab", "text:Counter 3", "tab", "left", "tab", "tab", "tab", "tab",
		"text:Markt 1", "tab", "tab", "text:Berlin", "tab", "tab", "text:10115", "enter")
	h.Contains(`the reader did not accept registration code "simulated-xyz"`)
	if !h.On("Pair a reader") {
		t.Fatal("the form closed on an error")
	}
	// The location exists now: a retry registers only.
	o.Fleet.RegisterErr = nil
	h.Keys("enter")
	if o.Fleet.Count("CreateLocation") != 1 || o.Fleet.Count("Register") != 2 {
		t.Fatalf("calls = %v", o.Fleet.Calls())
	}
	if _, ok := h.Top().(*fleet.ReaderDetail); !ok {
		t.Fatalf("retry did not register:\n%s", h.View())
	}
}

func TestTestPaymentInLiveModeHasNoTestCard(t *testing.T) {
	o := uitest.OfficeDeps()
	o.D.Mode = config.ModeLive
	o.Fleet.TestResult = readers.TestResult{Passed: false, Outcome: readers.OutcomeTimeout}
	h := inReaders(t, o)
	openReader(t, h, "tmr_front")
	h.Keys("t")
	h.Contains("Live mode: tap a real card on the reader within 2 minutes.")
	h.Lacks("Test card")
	h.Keys("enter")
	if o.Fleet.Count("TestTransaction tmr_front acct_1Baeckerei 50 card= tip=0") != 1 {
		t.Fatalf("calls = %v", o.Fleet.Calls())
	}
	h.Contains("FAIL", "timeout")
}
