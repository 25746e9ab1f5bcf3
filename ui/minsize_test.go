package ui

import (
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"kasse/pos"
)

// resize sends a window size.
func (h *harness) resize(w, hh int) { h.send(tea.WindowSizeMsg{Width: w, Height: hh}) }

// usableAt80x24 checks the screen on top at 80×24: drawn (not "too
// small"), exactly 24 lines of at most 80 columns; and that one column or
// one line below its minimum it says so with both sizes. It restores the
// harness's 100×30.
func usableAt80x24(t *testing.T, h *harness, name string, want ...string) {
	t.Helper()
	defer h.resize(100, 30)
	h.resize(80, 24)
	v := h.view()
	if h.m.tooSmall() || strings.Contains(v, "Terminal too small") {
		w, hh := h.m.minSize()
		t.Errorf("%s: too small at 80×24 (needs %d×%d)", name, w, hh)
		return
	}
	lines := strings.Split(v, "\n")
	if len(lines) != 24 {
		t.Errorf("%s: %d lines at 80×24", name, len(lines))
	}
	for i, l := range lines {
		if lipgloss.Width(l) > 80 {
			t.Errorf("%s: line %d is %d wide", name, i+1, lipgloss.Width(l))
		}
	}
	for _, s := range want {
		if !strings.Contains(v, s) {
			t.Errorf("%s at 80×24 lacks %q:\n%s", name, s, v)
		}
	}
	minW, minH := h.m.minSize()
	for _, sz := range [][2]int{{minW - 1, minH}, {minW, minH - 1}} {
		h.resize(sz[0], sz[1])
		want := fmt.Sprintf("This screen needs at least %d×%d; the terminal is %d×%d.", minW, minH, sz[0], sz[1])
		if v := h.view(); !strings.Contains(strings.Join(strings.Fields(v), " "), want) {
			t.Errorf("%s at %d×%d does not say it is too small:\n%s", name, sz[0], sz[1], v)
		}
	}
}

// Every screen of the console is usable at 80×24, the front ones at 60×15.
func TestEveryScreenIsUsableAt80x24(t *testing.T) {
	d, _ := registerDeps()
	d.Presenter = &fakePresenter{}
	h := newHarness(t, d)
	usableAt80x24(t, h, "sellers", "Bäckerei Müller", "Vinyl Corner")
	h.keys("text:bäck", "enter")
	usableAt80x24(t, h, "locations", "Bäckerei Müller – Markt")
	h.keys("enter")
	usableAt80x24(t, h, "readers", "Front counter")
	h.keys("enter", "c", "k")
	usableAt80x24(t, h, "register", "Croissant", "Total")
	h.keys("enter")
	usableAt80x24(t, h, "payment", "Waiting for the customer's card")
	h.keys("t")
	usableAt80x24(t, h, "test cards", "Present a test card", "Declined · processing_error", "Tip", "Front counter online · in_progress   pi_1 · requires_payment_method")
	h.keys("esc")
	tip := int64(100)
	h.m.sh.deps.Terminal.(*fakeTerminal).getReader = []readerAnswer{{r: approved("pi_1", 670, &tip)}}
	h.fire(saleTickMsg{})
	usableAt80x24(t, h, "receipt", "APPROVED", "Served by")

	o := officeDeps()
	h = newHarness(t, o.d)
	h.keys("f9")
	usableAt80x24(t, h, "menu", "Transactions", "Readers")
	h.keys("esc", "f2")
	usableAt80x24(t, h, "pin", "Operator", "PIN")
	h.keys("ctrl+u", "text:bea", "tab", "text:2468", "enter")
	usableAt80x24(t, h, "transactions", "pi_paid")
	h.keys("enter")
	usableAt80x24(t, h, "transaction detail", "Refundable")
	h.keys("r")
	usableAt80x24(t, h, "refund form", "Reason", "PIN")

	h = openArea(t, officeDeps(), "f3", "bea", "2468")
	usableAt80x24(t, h, "end of day", "Taco Loco")

	o = officeDeps()
	h = inReaders(t, o)
	h.fire(nil)
	usableAt80x24(t, h, "fleet", "Front cou")
	openReader(t, h, "tmr_busy")
	usableAt80x24(t, h, "reader detail", "Health", "n renames")
	o.term.getReader = []readerAnswer{{r: pos.Reader{ID: "tmr_busy", Label: "Window", Status: "online",
		Action: &pos.ReaderAction{Type: pos.ActionProcessPaymentIntent, Status: pos.ActionInProgress, PaymentIntentID: "pi_other"}}}}
	h.keys("c")
	usableAt80x24(t, h, "clear dialog", "Clear Window?", "y clears, n keeps it", "more (x saves the diagnostics)")
	h.keys("n", "esc", "p", "tab", "tab", "left")
	usableAt80x24(t, h, "pair with a new location", "Postal code", "Country", "enter registers")
}

// Below its minimum a screen says so, with both sizes, and takes no key
// but quit: nothing is typed blind. Back at a usable size, all is there.
func TestTooSmallSaysSoAndTakesNoKeys(t *testing.T) {
	f := charging(t, nil)
	h := f.h
	h.keys("t")
	h.resize(60, 15)
	h.contains("Terminal too small", "This screen needs at least 60×21; the terminal is 60×15.", "ctrl+c quits")
	h.lacks("Present a test card", "Visa")
	h.golden("too_small")
	h.keys("down", "enter")
	if len(f.pres.calls) != 0 || h.m.payment.cards == nil {
		t.Fatalf("keys went through while too small: %+v", f.pres.calls)
	}
	h.resize(80, 24)
	h.contains("Present a test card", "Declined · processing_error", "Tip")
	h.golden("testcards_80x24")
	h.keys("enter")
	if len(f.pres.calls) != 1 || !strings.HasPrefix(f.pres.calls[0].Arg, "4242424242424242") {
		t.Fatalf("presenter calls = %+v", f.pres.calls)
	}
	// A terminal too small even for the message gets the sizes alone.
	h.resize(20, 2)
	if v := h.view(); !strings.HasPrefix(v, "too small: 20×2, ne") || strings.Count(v, "\n") != 1 {
		t.Errorf("tiny terminal: %q", v)
	}
	h.keys("ctrl+c", "ctrl+c")
	if !h.quit {
		t.Error("ctrl+c does not quit while the terminal is too small")
	}
}
