package ui_test

import (
	"testing"

	"kasse/ui"
	"kasse/ui/app"
	"kasse/ui/internal/uitest"
)

func TestMain(m *testing.M) { uitest.Main(m) }

// While a screen loads the spinner turns (one tick in flight); when
// nothing loads it stops.
func TestSellersLoadingThenList(t *testing.T) {
	d, _, _, _ := uitest.DemoDeps()
	h := uitest.Start(t, d)
	answers := h.Exec(h.M.Init()) // run the loads, deliver later
	if !h.On("Choose a seller") || !h.Top().Loading() {
		t.Fatalf("want the seller picker loading, got %q loading=%v", h.Top().Title(), h.Top().Loading())
	}
	if !h.HasPending(ui.AnimTick{}) {
		t.Error("no spinner tick scheduled while loading")
	}
	h.Golden("sellers_loading")
	for _, a := range answers {
		h.Send(a)
	}
	if h.Top().Loading() {
		t.Error("still busy after the answer")
	}
	h.Golden("sellers_list")
	if n := h.Fire(ui.AnimTick{}); n != 1 {
		t.Errorf("fired %d spinner ticks, want 1", n)
	}
	if h.HasPending(ui.AnimTick{}) {
		t.Error("spinner keeps ticking with nothing loading")
	}
}

func TestStatusMessageClears(t *testing.T) {
	d, _, _, _ := uitest.DemoDeps()
	h := uitest.New(t, d)
	h.Send(app.StatusMsg{Text: "hello", Tone: app.ToneOK})
	h.Contains("hello")
	h.Send(app.StatusMsg{Text: "second", Tone: app.ToneInfo})
	h.Fire(ui.ClearStatus(0)) // fires both timers; only the newest clears
	h.Lacks("second")
	h.Send(app.StatusMsg{Text: "third"})
	h.Send(ui.ClearStatus(1))
	h.Contains("third")
}
