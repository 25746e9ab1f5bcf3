package sale_test

import (
	"errors"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"kasse/pos"
	"kasse/ui"
	"kasse/ui/internal/uitest"
	"kasse/ui/sale"
)

func TestRegisterDigitsUseCurrencyDecimals(t *testing.T) {
	d, _ := uitest.RegisterDeps()
	h := uitest.AtRegister(t, d, "bäck")
	h.Keys("text:1250")
	if got := reg(h).Entry().String(); got != "12.50 EUR" {
		t.Errorf("EUR entry = %s", got)
	}
	h.Keys("backspace")
	if got := reg(h).Entry().Amount(); got != 125 {
		t.Errorf("after backspace = %d", got)
	}
	h2 := uitest.AtRegister(t, d, "ramen")
	h2.Keys("text:1250")
	if got := reg(h2).Entry().String(); got != "1250 JPY" {
		t.Errorf("JPY entry = %s", got)
	}
	h2.Keys("+")
	if got := uitest.Lines(reg(h2).Cart()); got != "Item 1×1250" {
		t.Errorf("JPY cart = %s", got)
	}
}

func TestRegisterLinesQuantitiesAndQuickKeys(t *testing.T) {
	d, _ := uitest.RegisterDeps()
	h := uitest.AtRegister(t, d, "bäck")
	h.Keys("text:3", "*", "text:450", "+") // 3 × 4.50
	h.Keys("c")                            // coffee
	h.Keys("text:2", "c")                  // digits then a quick key: quantity, merged
	h.Keys("alt+1")                        // water
	h.Keys("1")                            // a digit is an amount, not the water key
	if got := uitest.Lines(reg(h).Cart()); got != "Item 3×450, Coffee 3×350, Water 1×100" {
		t.Fatalf("cart = %s", got)
	}
	if got := reg(h).Entry().Amount(); got != 1 {
		t.Errorf("entry = %d, want the typed 1", got)
	}
	if got := reg(h).Cart().Total(); got != 1350+1050+100 {
		t.Errorf("total = %d", got)
	}
	h.Keys("esc")
	if !reg(h).Entry().Empty() || !h.On("Register") {
		t.Error("esc should clear the entry first")
	}
	h.Keys("z")
	h.Contains("No quick key “z”.")
}

// Every key config accepts for a quick key (a-z alone, 1-9 with alt, any
// of them with alt) adds its line on the register: no register command is
// bound to a letter, so no quick key is ever shadowed.
func TestRegisterEveryQuickKeyReachesTheCart(t *testing.T) {
	d, _ := uitest.RegisterDeps()
	d.QuickKeys = nil
	var want []string
	for _, k := range "abcdefghijklmnopqrstuvwxyz123456789" {
		d.QuickKeys = append(d.QuickKeys, ui.QuickKey{Key: string(k), Description: "Item " + string(k), Prices: map[string]int64{"eur": 100}})
		want = append(want, "Item "+string(k)+" 1×100")
	}
	h := uitest.AtRegister(t, d, "bäck")
	for _, k := range "abcdefghijklmnopqrstuvwxyz" {
		h.Keys(string(k))
	}
	for _, k := range "123456789" {
		h.Keys("alt+" + string(k))
	}
	if got := uitest.Lines(reg(h).Cart()); got != strings.Join(want, ", ") {
		t.Fatalf("cart = %s\nwant   %s", got, strings.Join(want, ", "))
	}
	h.Keys("alt+c") // alt works for letters too
	if got := reg(h).Cart().Lines[2]; got.Description != "Item c" || got.Quantity != 2 {
		t.Errorf("alt+c: line %+v, want Item c ×2", got)
	}
	if !h.On("Register") {
		t.Errorf("a quick key left the register (screen %q)", h.Top().Title())
	}
}

func TestRegisterEditAndRemove(t *testing.T) {
	d, _ := uitest.RegisterDeps()
	h := uitest.AtRegister(t, d, "bäck")
	h.Keys("c", "k", "text:990", "+")
	h.Keys("up", "up") // Croissant
	h.Keys("ctrl+e")
	if reg(h).EditLine() != 1 {
		t.Fatal("ctrl+e did not edit the selected line")
	}
	if !reg(h).CapturesText() {
		t.Error("the editor must capture text (? is a character there)")
	}
	h.Keys("ctrl+u", "text:Pain au chocolat?", "tab", "backspace", "text:2", "tab", "ctrl+u", "text:240")
	h.Golden("register_edit")
	h.Keys("enter")
	if got := uitest.Lines(reg(h).Cart()); got != "Coffee 1×350, Pain au chocolat? 2×240, Item 1×990" {
		t.Fatalf("after edit: %s", got)
	}
	if h.M.HelpOpen() {
		t.Error("? in the editor opened the help")
	}
	h.Keys("ctrl+e", "tab", "ctrl+u", "enter")
	h.Contains("A quantity is a whole number from 1 to")
	h.Keys("esc")
	h.Keys("delete") // removes the selected line (Pain au chocolat?)
	if got := uitest.Lines(reg(h).Cart()); got != "Coffee 1×350, Item 1×990" {
		t.Fatalf("after delete: %s", got)
	}
	h.Keys("esc", "ctrl+d") // no selection: removes the last line
	if got := uitest.Lines(reg(h).Cart()); got != "Coffee 1×350" {
		t.Fatalf("after ctrl+d: %s", got)
	}
}

func TestRegisterTaxAndClear(t *testing.T) {
	d, _ := uitest.RegisterDeps()
	d.TaxRate = 8250
	h := uitest.AtRegister(t, d, "taco")
	h.Keys("text:1010", "+")
	if got := reg(h).Cart().Tax(); got != 83 {
		t.Errorf("tax = %d, want 83", got)
	}
	h.Keys("c", "c", "k")
	h.Golden("register_lines_tax")
	h.Keys("ctrl+t")
	if reg(h).Cart().Tax() != 0 {
		t.Error("ctrl+t did not turn tax off")
	}
	h.Contains("tax off")
	h.Keys("ctrl+x")
	if len(reg(h).Cart().Lines) == 0 {
		t.Fatal("one ctrl+x cleared the sale")
	}
	h.Contains("Press ctrl+x again")
	h.Keys("ctrl+x")
	if len(reg(h).Cart().Lines) != 0 {
		t.Error("ctrl+x twice did not clear")
	}
}

func TestRegisterEmptyView(t *testing.T) {
	d, _ := uitest.RegisterDeps()
	h := uitest.AtRegister(t, d, "bäck")
	h.Golden("register_empty")
	h.Keys("enter")
	h.Contains("Type an amount or press a quick key first.")
	h.Keys("text:10", "enter") // 0.10 EUR is below Stripe's minimum
	h.Contains("below Stripe's minimum charge of €0.50")
}

func TestRegisterDisplayDebounced(t *testing.T) {
	d, term := uitest.RegisterDeps()
	h := uitest.AtRegister(t, d, "bäck")
	h.Keys("c", "c", "k")
	if n := len(term.CallsOf("SetDisplay")); n != 0 {
		t.Fatalf("display sent before the debounce: %d", n)
	}
	h.Fire(sale.DisplayTick{})
	calls := term.CallsOf("SetDisplay")
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
	h.Contains("on reader 15:09:26")

	term.DisplayErr = &pos.Error{Kind: pos.KindReaderBusy, Code: "terminal_reader_busy", Message: "Reader is busy"}
	h.Keys("k")
	h.Fire(sale.DisplayTick{})
	h.Contains("reader display failed")
}

func TestRegisterKeepsCartAcrossReaderChange(t *testing.T) {
	d, term := uitest.RegisterDeps()
	h := uitest.AtRegister(t, d, "bäck")
	h.Keys("c", "k")
	old := reg(h).Sale().ID
	h.Keys("esc") // back to the readers
	if !h.On("Choose a reader…") {
		t.Fatalf("esc with an empty entry should go back, on %q", h.Top().Title())
	}
	h.Keys("down", "down", "enter") // Window
	if got := uitest.Lines(reg(h).Cart()); got != "Coffee 1×350, Croissant 1×220" {
		t.Fatalf("cart lost: %s", got)
	}
	if reg(h).Sale().ID == old {
		t.Error("a new place should start a new draft sale")
	}
	h.Fire(sale.DisplayTick{})
	calls := term.CallsOf("SetDisplay")
	if len(calls) != 1 || calls[0].ID != "tmr_busy" {
		t.Errorf("display calls = %+v", calls)
	}
}

func TestRegisterDisplayErrorsAreSoft(t *testing.T) {
	d, term := uitest.RegisterDeps()
	term.DisplayErr = errors.New("connection reset")
	h := uitest.AtRegister(t, d, "bäck")
	h.Keys("c")
	h.Fire(sale.DisplayTick{})
	if reg(h).DisplayErr() == "" {
		t.Error("display error not kept")
	}
	h.Keys("enter")
	if len(reg(h).Cart().Lines) != 1 {
		t.Error("the display error must not block the sale")
	}
}

func TestRegisterFiftyLinesScrolls(t *testing.T) {
	d, _ := uitest.RegisterDeps()
	h := uitest.AtRegister(t, d, "bäck")
	for i := range 50 {
		h.Keys("text:"+strings.Repeat("1", 1+i%3), "+")
	}
	if n := len(reg(h).Cart().Lines); n != 50 {
		t.Fatalf("%d lines", n)
	}
	h.Contains("50 ", "↑ ")
	h.Keys("up", "up", "up")
	h.Contains("▸ 48")
	h.Golden("register_50_lines")
}

// Bubble Tea v1 groups quickly typed runes into one message.
func TestRegisterGroupedRunes(t *testing.T) {
	d, _ := uitest.RegisterDeps()
	h := uitest.AtRegister(t, d, "bäck")
	h.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("cc1250+")})
	if got := uitest.Lines(reg(h).Cart()); got != "Coffee 2×350, Item 1×1250" {
		t.Errorf("cart = %s", got)
	}
	h.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("99+"), Paste: true})
	if len(reg(h).Cart().Lines) != 2 {
		t.Error("a paste must not be typed into the register")
	}
}
