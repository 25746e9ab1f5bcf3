package ui_test

import (
	"strings"
	"testing"

	"kasse/pos"
	"kasse/ui/internal/uitest"
)

// Every screen of the console is usable at 80×24, the front ones at 60×15.
func TestEveryScreenIsUsableAt80x24(t *testing.T) {
	d, term := uitest.RegisterDeps()
	d.Presenter = &uitest.FakePresenter{}
	h := uitest.New(t, d)
	uitest.UsableAt80x24(t, h, "sellers", "Bäckerei Müller", "Vinyl Corner")
	h.Keys("text:bäck", "enter")
	uitest.UsableAt80x24(t, h, "locations", "Bäckerei Müller – Markt")
	h.Keys("enter")
	uitest.UsableAt80x24(t, h, "readers", "Front counter")
	h.Keys("enter", "c", "k")
	uitest.UsableAt80x24(t, h, "register", "Croissant", "Total")
	h.Keys("enter")
	uitest.UsableAt80x24(t, h, "payment", "Waiting for the customer's card")
	h.Keys("t")
	uitest.UsableAt80x24(t, h, "test cards", "Present a test card", "Declined · processing_error", "Tip", "Front counter online · in_progress   pi_1 · requires_payment_method")
	h.Keys("esc")
	tip := int64(100)
	term.Reads = []uitest.ReaderAnswer{{R: uitest.Approved("pi_1", 670, &tip)}}
	h.Fire(nil) // the poll that sees the approval
	h.MustBeOn("Receipt")
	uitest.UsableAt80x24(t, h, "receipt", "APPROVED", "Served by")

	o := uitest.OfficeDeps()
	h = uitest.New(t, o.D)
	h.Keys("f9")
	uitest.UsableAt80x24(t, h, "menu", "Transactions", "Readers")
	h.Keys("esc", "f2")
	uitest.UsableAt80x24(t, h, "pin", "Operator", "PIN")
	h.Keys("ctrl+u", "text:bea", "tab", "text:2468", "enter")
	uitest.UsableAt80x24(t, h, "transactions", "pi_paid")
	h.Keys("enter")
	uitest.UsableAt80x24(t, h, "transaction detail", "Refundable")
	h.Keys("r")
	uitest.UsableAt80x24(t, h, "refund form", "Reason", "PIN")

	h = uitest.OpenArea(t, uitest.OfficeDeps(), "f3", "bea", "2468")
	uitest.UsableAt80x24(t, h, "end of day", "Taco Loco")

	o = uitest.OfficeDeps()
	h = uitest.OpenArea(t, o, "f4", "tom", "1357")
	h.MustBeOn("Readers")
	h.Fire(nil)
	uitest.UsableAt80x24(t, h, "fleet", "Front cou")
	h.Keys("down", "down", "enter") // Window (tmr_busy), the third reader
	h.MustBeOn("Window")
	uitest.UsableAt80x24(t, h, "reader detail", "Health", "n renames")
	o.Term.Reads = []uitest.ReaderAnswer{{R: pos.Reader{ID: "tmr_busy", Label: "Window", Status: "online",
		Action: &pos.ReaderAction{Type: pos.ActionProcessPaymentIntent, Status: pos.ActionInProgress, PaymentIntentID: "pi_other"}}}}
	h.Keys("c")
	uitest.UsableAt80x24(t, h, "clear dialog", "Clear Window?", "y clears, n keeps it", "more (x saves the diagnostics)")
	h.Keys("n", "esc", "p", "tab", "tab", "left")
	uitest.UsableAt80x24(t, h, "pair with a new location", "Postal code", "Country", "enter registers")
}

// Below its minimum a screen says so, with both sizes, and takes no key
// but quit: nothing is typed blind. Back at a usable size, all is there.
func TestTooSmallSaysSoAndTakesNoKeys(t *testing.T) {
	f := uitest.Charging(t, nil)
	h := f.H
	h.Keys("t")
	h.Resize(60, 15)
	h.Contains("Terminal too small", "This screen needs at least 60×22; the terminal is 60×15.", "ctrl+c quits")
	h.Lacks("Present a test card", "Visa")
	h.Golden("too_small")
	h.Keys("down", "enter")
	if len(f.Pres.Calls()) != 0 { // the picker is still open: see below
		t.Fatalf("keys went through while too small: %+v", f.Pres.Calls())
	}
	h.Resize(80, 24)
	h.Contains("Present a test card", "Declined · processing_error", "Tip")
	h.Golden("testcards_80x24")
	h.Keys("enter")
	if len(f.Pres.Calls()) != 1 || !strings.HasPrefix(f.Pres.Calls()[0].Arg, "4242424242424242") {
		t.Fatalf("presenter calls = %+v", f.Pres.Calls())
	}
	// A terminal too small even for the message gets the sizes alone.
	h.Resize(20, 2)
	if v := h.View(); !strings.HasPrefix(v, "too small: 20×2, ne") || strings.Count(v, "\n") != 1 {
		t.Errorf("tiny terminal: %q", v)
	}
	h.Keys("ctrl+c", "ctrl+c")
	if !h.Quit {
		t.Error("ctrl+c does not quit while the terminal is too small")
	}
}
