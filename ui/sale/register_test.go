package ui

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"kasse/pos"
)

// atRegister drives a harness to the register: filter picks the seller,
// then the first location and the first reader.
func atRegister(t testing.TB, d Deps, filter string) *harness {
	t.Helper()
	h := newHarness(t, d)
	h.keys("text:"+filter, "enter", "enter", "enter")
	if h.m.active != scrRegister {
		t.Fatalf("not at the register (active=%d):\n%s", h.m.active, h.view())
	}
	return h
}

func registerDeps() (Deps, *fakeTerminal) {
	d, _, term, _ := demoDeps()
	d.Payments = &fakePayments{}
	d.QuickKeys = []QuickKey{
		{Key: "c", Description: "Coffee", Prices: map[string]int64{"eur": 350, "usd": 350}},
		{Key: "k", Description: "Croissant", Prices: map[string]int64{"eur": 220, "usd": 220}},
		{Key: "1", Description: "Water", Prices: map[string]int64{"eur": 100, "usd": 100, "jpy": 150}},
	}
	return d, term
}

func lines(c pos.Cart) string {
	var out []string
	for _, l := range c.Lines {
		out = append(out, l.Description+" "+itoa64(l.Quantity)+"×"+itoa64(l.UnitPrice))
	}
	return strings.Join(out, ", ")
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

func TestRegisterDigitsUseCurrencyDecimals(t *testing.T) {
	d, _ := registerDeps()
	h := atRegister(t, d, "bäck")
	h.keys("text:1250")
	if got := h.m.register.entry.String(); got != "12.50 EUR" {
		t.Errorf("EUR entry = %s", got)
	}
	h.keys("backspace")
	if got := h.m.register.entry.Amount(); got != 125 {
		t.Errorf("after backspace = %d", got)
	}
	h2 := atRegister(t, d, "ramen")
	h2.keys("text:1250")
	if got := h2.m.register.entry.String(); got != "1250 JPY" {
		t.Errorf("JPY entry = %s", got)
	}
	h2.keys("+")
	if got := lines(h2.m.register.cart); got != "Item 1×1250" {
		t.Errorf("JPY cart = %s", got)
	}
}

func TestRegisterLinesQuantitiesAndQuickKeys(t *testing.T) {
	d, _ := registerDeps()
	h := atRegister(t, d, "bäck")
	h.keys("text:3", "*", "text:450", "+") // 3 × 4.50
	h.keys("c")                            // coffee
	h.keys("text:2", "c")                  // digits then a quick key: quantity, merged
	h.keys("alt+1")                        // water
	h.keys("1")                            // a digit is an amount, not the water key
	if got := lines(h.m.register.cart); got != "Item 3×450, Coffee 3×350, Water 1×100" {
		t.Fatalf("cart = %s", got)
	}
	if got := h.m.register.entry.Amount(); got != 1 {
		t.Errorf("entry = %d, want the typed 1", got)
	}
	if got := h.m.register.cart.Total(); got != 1350+1050+100 {
		t.Errorf("total = %d", got)
	}
	h.keys("esc")
	if !h.m.register.entry.Empty() || h.m.active != scrRegister {
		t.Error("esc should clear the entry first")
	}
	h.keys("z")
	h.contains(`No quick key "z".`)
}

// Every key config accepts for a quick key (a-z alone, 1-9 with alt, any
// of them with alt) adds its line on the register: no register command is
// bound to a letter, so no quick key is ever shadowed.
func TestRegisterEveryQuickKeyReachesTheCart(t *testing.T) {
	d, _ := registerDeps()
	d.QuickKeys = nil
	var want []string
	for _, k := range "abcdefghijklmnopqrstuvwxyz123456789" {
		d.QuickKeys = append(d.QuickKeys, QuickKey{Key: string(k), Description: "Item " + string(k), Prices: map[string]int64{"eur": 100}})
		want = append(want, "Item "+string(k)+" 1×100")
	}
	h := atRegister(t, d, "bäck")
	for _, k := range "abcdefghijklmnopqrstuvwxyz" {
		h.keys(string(k))
	}
	for _, k := range "123456789" {
		h.keys("alt+" + string(k))
	}
	if got := lines(h.m.register.cart); got != strings.Join(want, ", ") {
		t.Fatalf("cart = %s\nwant   %s", got, strings.Join(want, ", "))
	}
	h.keys("alt+c") // alt works for letters too
	if got := h.m.register.cart.Lines[2]; got.Description != "Item c" || got.Quantity != 2 {
		t.Errorf("alt+c: line %+v, want Item c ×2", got)
	}
	if h.m.active != scrRegister {
		t.Errorf("a quick key left the register (screen %v)", h.m.active)
	}
}

func TestRegisterEditAndRemove(t *testing.T) {
	d, _ := registerDeps()
	h := atRegister(t, d, "bäck")
	h.keys("c", "k", "text:990", "+")
	h.keys("up", "up") // Croissant
	h.keys("ctrl+e")
	if h.m.register.edit == nil || h.m.register.edit.index != 1 {
		t.Fatal("ctrl+e did not edit the selected line")
	}
	if !h.m.register.capturesText() {
		t.Error("the editor must capture text (? is a character there)")
	}
	h.keys("ctrl+u", "text:Pain au chocolat?", "tab", "backspace", "text:2", "tab", "ctrl+u", "text:240")
	h.golden("register_edit")
	h.keys("enter")
	if got := lines(h.m.register.cart); got != "Coffee 1×350, Pain au chocolat? 2×240, Item 1×990" {
		t.Fatalf("after edit: %s", got)
	}
	if h.m.showHelp {
		t.Error("? in the editor opened the help")
	}
	h.keys("ctrl+e", "tab", "ctrl+u", "enter")
	h.contains("quantity 0: it must be at least 1")
	h.keys("esc")
	h.keys("delete") // removes the selected line (Pain au chocolat?)
	if got := lines(h.m.register.cart); got != "Coffee 1×350, Item 1×990" {
		t.Fatalf("after delete: %s", got)
	}
	h.keys("esc", "ctrl+d") // no selection: removes the last line
	if got := lines(h.m.register.cart); got != "Coffee 1×350" {
		t.Fatalf("after ctrl+d: %s", got)
	}
}

func TestRegisterTaxAndClear(t *testing.T) {
	d, _ := registerDeps()
	d.TaxRate = 8250
	h := atRegister(t, d, "taco")
	h.keys("text:1010", "+")
	if got := h.m.register.cart.Tax(); got != 83 {
		t.Errorf("tax = %d, want 83", got)
	}
	h.keys("c", "c", "k")
	h.golden("register_lines_tax")
	h.keys("ctrl+t")
	if h.m.register.cart.Tax() != 0 {
		t.Error("ctrl+t did not turn tax off")
	}
	h.contains("tax off")
	h.keys("ctrl+x")
	if len(h.m.register.cart.Lines) == 0 {
		t.Fatal("one ctrl+x cleared the sale")
	}
	h.contains("Press ctrl+x again")
	h.keys("ctrl+x")
	if len(h.m.register.cart.Lines) != 0 {
		t.Error("ctrl+x twice did not clear")
	}
}

func TestRegisterEmptyView(t *testing.T) {
	d, _ := registerDeps()
	h := atRegister(t, d, "bäck")
	h.golden("register_empty")
	h.keys("enter")
	h.contains("Type an amount or press a quick key first.")
	h.keys("text:10", "enter") // 0.10 EUR is below Stripe's minimum
	h.contains("below the minimum charge of 0.50 EUR")
}

func TestRegisterDisplayDebounced(t *testing.T) {
	d, term := registerDeps()
	h := atRegister(t, d, "bäck")
	h.keys("c", "c", "k")
	if n := len(term.callsOf("SetDisplay")); n != 0 {
		t.Fatalf("display sent before the debounce: %d", n)
	}
	h.fire(displayTickMsg{})
	calls := term.callsOf("SetDisplay")
	if len(calls) != 1 {
		t.Fatalf("%d SetDisplay calls, want only the latest", len(calls))
	}
	c := calls[0]
	if c.ID != "tmr_front" || c.Account != pos.Platform || c.Arg != "2 lines, total 920 eur" {
		t.Errorf("SetDisplay = %+v", c)
	}
	if !strings.HasPrefix(c.IdemKey, "kasse-till-1-20260314T150926-") || !strings.HasSuffix(c.IdemKey, "-display-1") {
		t.Errorf("display key %q does not derive from the sale", c.IdemKey)
	}
	h.contains("on reader 15:09:26")

	term.displayErr = &pos.Error{Kind: pos.KindReaderBusy, Code: "terminal_reader_busy", Message: "Reader is busy"}
	h.keys("k")
	h.fire(displayTickMsg{})
	h.contains("reader display failed")
}

func TestRegisterKeepsCartAcrossReaderChange(t *testing.T) {
	d, term := registerDeps()
	h := atRegister(t, d, "bäck")
	h.keys("c", "k")
	old := h.m.register.sale.ID
	h.keys("esc") // back to the readers
	if h.m.active != scrReaders {
		t.Fatalf("esc with an empty entry should go back, active=%d", h.m.active)
	}
	h.keys("down", "down", "enter") // Window
	if got := lines(h.m.register.cart); got != "Coffee 1×350, Croissant 1×220" {
		t.Fatalf("cart lost: %s", got)
	}
	if h.m.register.sale.ID == old {
		t.Error("a new place should start a new draft sale")
	}
	h.fire(displayTickMsg{})
	calls := term.callsOf("SetDisplay")
	if len(calls) != 1 || calls[0].ID != "tmr_busy" {
		t.Errorf("display calls = %+v", calls)
	}
}

func TestRegisterDisplayErrorsAreSoft(t *testing.T) {
	d, term := registerDeps()
	term.displayErr = errors.New("connection reset")
	h := atRegister(t, d, "bäck")
	h.keys("c")
	h.fire(displayTickMsg{})
	if h.m.register.displayErr == "" {
		t.Error("display error not kept")
	}
	h.keys("enter")
	if len(h.m.register.cart.Lines) != 1 {
		t.Error("the display error must not block the sale")
	}
}

func TestRegisterFiftyLinesScrolls(t *testing.T) {
	d, _ := registerDeps()
	h := atRegister(t, d, "bäck")
	for i := range 50 {
		h.keys("text:"+strings.Repeat("1", 1+i%3), "+")
	}
	if n := len(h.m.register.cart.Lines); n != 50 {
		t.Fatalf("%d lines", n)
	}
	h.contains("50 ", "↑ ")
	h.keys("up", "up", "up")
	h.contains("▸ 48")
	h.golden("register_50_lines")
}

// Bubble Tea v1 groups quickly typed runes into one message.
func TestRegisterGroupedRunes(t *testing.T) {
	d, _ := registerDeps()
	h := atRegister(t, d, "bäck")
	h.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("cc1250+")})
	if got := lines(h.m.register.cart); got != "Coffee 2×350, Item 1×1250" {
		t.Errorf("cart = %s", got)
	}
	h.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("99+"), Paste: true})
	if len(h.m.register.cart.Lines) != 2 {
		t.Error("a paste must not be typed into the register")
	}
}
