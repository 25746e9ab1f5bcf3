package ui

import (
	"strings"
	"testing"

	"kasse/pos"
)

// Finding 1 of issue 10: "1 2 . 5" charged 1.25, the separator silently
// dropped. Digits alone still fill from the right (1 2 5 0 is 12.50); once
// the separator is typed the entry reads as written.
func TestRegisterSeparatorIsHonoured(t *testing.T) {
	d, _ := registerDeps()
	h := atRegister(t, d, "taco") // USD
	h.keys("text:12.5")
	if got := h.m.register.entry.Amount(); got != 1250 {
		t.Fatalf("1 2 . 5 = %d minor units, want 1250", got)
	}
	h.contains("Amount  12.50 USD")
	h.lacks("No quick key")
	h.keys("+", "text:12,5", "+", "text:.5", "+", "text:1250", "+", "text:7.", "+")
	if got := lines(h.m.register.cart); got != "Item 1×1250, Item 1×1250, Item 1×50, Item 1×1250, Item 1×700" {
		t.Fatalf("cart = %s", got)
	}

	// EUR: the same keys, the same amounts.
	h = atRegister(t, d, "bäck")
	h.keys("text:3,2", "enter")
	if s := h.m.payment.sale; s.Amount != 320 || s.Currency != "eur" {
		t.Fatalf("charged %d %s, want 320 eur", s.Amount, s.Currency)
	}
}

// A key the entry cannot honour is refused with a message and holds the
// entry: nothing typed after it is taken, and the amount cannot be added
// or charged until the cashier takes the refused keys back (⌫) or clears
// (esc). Never reinterpreted: 12.505 is not 12.50, ¥12.5 is not ¥125.
func TestRegisterRefusedKeyHoldsTheEntry(t *testing.T) {
	d, _ := registerDeps()

	h := atRegister(t, d, "ramen") // JPY: no decimals
	h.keys("text:12.5")
	h.contains("JPY has no decimals")
	if got := h.m.register.entry.Amount(); got != 12 {
		t.Errorf("JPY entry after 1 2 . 5 = %d, want the 12 typed before the refusal", got)
	}
	h.keys("enter")
	if h.m.active != scrRegister || len(h.m.register.cart.Lines) != 0 {
		t.Fatalf("a held entry was charged (screen %d, cart %s)", h.m.active, lines(h.m.register.cart))
	}
	h.contains("JPY has no decimals")
	h.keys("backspace", "backspace") // takes back "5" and "."
	h.lacks("JPY has no decimals")
	h.keys("text:50", "+")
	if got := lines(h.m.register.cart); got != "Item 1×1250" {
		t.Fatalf("JPY cart = %s", got)
	}

	h = atRegister(t, d, "taco") // USD: two decimals
	h.keys("text:12.505")
	h.contains("USD has 2 decimals", "12.50 USD")
	h.keys("+")
	if len(h.m.register.cart.Lines) != 0 {
		t.Fatalf("12.505 was added as %s", lines(h.m.register.cart))
	}
	h.keys("backspace", "+")
	if got := lines(h.m.register.cart); got != "Item 1×1250" {
		t.Fatalf("after taking the 5 back: %s", got)
	}
	h.keys("text:1,250")
	h.contains("USD has 2 decimals")
	h.keys("esc", "text:1250", "+")
	if got := lines(h.m.register.cart); got != "Item 1×1250, Item 1×1250" {
		t.Fatalf("after esc: %s", got)
	}
	h.keys("text:1.2.")
	h.contains("one decimal separator")
	h.keys("esc", "text:2.5", "*")
	h.contains("A quantity is a whole number")
	if len(h.m.register.cart.Lines) != 2 || h.m.register.qty != 0 {
		t.Fatalf("2.5 became a quantity: qty %d", h.m.register.qty)
	}
}

// The entry shows what will be charged at every key: the amount in the
// seller's currency after each of 1 2 . 5 0.
func TestRegisterEntryShowsTheAmountAtEveryKey(t *testing.T) {
	d, _ := registerDeps()
	h := atRegister(t, d, "taco")
	for _, step := range []struct{ key, shown string }{
		{"1", "0.01 USD"}, {"2", "0.12 USD"}, {".", "12.00 USD"}, {"5", "12.50 USD"}, {"0", "12.50 USD"},
	} {
		h.keys(step.key)
		h.contains("Amount  " + step.shown)
		if got := amountNum(h.m.register.entry.Amount(), "usd") + " USD"; got != step.shown {
			t.Errorf("after %q the entry holds %s but shows %s", step.key, got, step.shown)
		}
	}
	h.keys("5") // a third decimal: refused, held, shown with the way back
	h.contains("Amount  12.50 USD▏  ✗ 5")
	h.golden("register_entry_refused")
}

// The price editor (ctrl+e) follows the same rules. Typing into the price
// field replaces the old price (no 3.50 → 35.02 flash), the separator is
// honoured and a refused key holds the editor until taken back.
func TestLineEditorPriceEntry(t *testing.T) {
	d, _ := registerDeps()
	h := atRegister(t, d, "bäck")
	h.keys("c", "ctrl+e", "tab", "tab") // Coffee 3.50, price field
	h.contains("Price [3.50▏]")
	h.keys("2")
	h.contains("Price [0.02▏]")
	h.lacks("35.02")
	h.keys(".", "4")
	h.contains("Price [2.40▏]")
	h.keys("text:05")
	h.contains("EUR has 2 decimals")
	h.keys("enter")
	if h.m.register.edit == nil {
		t.Fatal("the editor saved a price with a refused key")
	}
	h.keys("backspace", "backspace", "enter")
	if got := lines(h.m.register.cart); got != "Coffee 1×240" {
		t.Fatalf("after the edit: %s", got)
	}

	// A letter in the price field is refused aloud, not dropped.
	h.keys("ctrl+e", "tab", "tab", "x")
	h.contains(`"x" is not a digit`)
	if !strings.Contains(h.view(), "Edit line 1") {
		t.Fatal("editor closed")
	}
}

// Finding 2 of issue 10: a quick key had one price for every currency
// ("5" was $5 and ¥5). Now it carries a price per currency; a seller whose
// currency it lacks sees it unavailable and cannot use it.
func TestQuickKeyPricesPerCurrency(t *testing.T) {
	d, _ := registerDeps()
	h := atRegister(t, d, "ramen") // JPY: only Water has a yen price
	h.contains("c Coffee (no JPY price)", "k Croissant (no JPY price)", "alt+1 Water 150")
	h.keys("c", "text:2", "k")
	if n := len(h.m.register.cart.Lines); n != 0 {
		t.Fatalf("a quick key without a JPY price added %s", lines(h.m.register.cart))
	}
	h.contains(`Quick key k (Croissant) has no JPY price: add jpy = "…" to its config prices.`)
	h.golden("register_quick_key_unavailable")
	h.keys("esc", "alt+1")
	if got := lines(h.m.register.cart); got != "Water 1×150" {
		t.Fatalf("JPY cart = %s", got)
	}

	h = atRegister(t, d, "taco") // USD
	h.keys("c", "alt+1")
	if got := lines(h.m.register.cart); got != "Coffee 1×350, Water 1×100" {
		t.Fatalf("USD cart = %s", got)
	}
}

// Deps refuses a price that is not in minor units of a lower-case ISO code.
func TestQuickKeyPricesValidated(t *testing.T) {
	for _, tc := range []struct {
		prices map[string]int64
		bad    bool
	}{
		{map[string]int64{"usd": 100, "jpy": 100}, false},
		{map[string]int64{"USD": 100}, true},
		{map[string]int64{"xyz": 100}, true},
		{map[string]int64{"usd": 0}, true},
		{map[string]int64{"usd": -5}, true},
		{map[string]int64{"usd": pos.MaxAmount + 1}, true},
	} {
		d := Deps{QuickKeys: []QuickKey{{Key: "c", Description: "Coffee", Prices: tc.prices}}}
		err := d.Validate()
		if got := err != nil && strings.Contains(err.Error(), `quick key "c"`); got != tc.bad {
			t.Errorf("prices %v: Validate() = %v, want a quick key error: %v", tc.prices, err, tc.bad)
		}
	}
}
