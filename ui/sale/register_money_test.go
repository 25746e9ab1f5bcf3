package sale_test

import (
	"strings"
	"testing"

	"kasse/i18n"
	"kasse/pos"
	"kasse/ui"
	"kasse/ui/internal/uitest"
)

// Finding 1 of issue 10: "1 2 . 5" charged 1.25, the separator silently
// dropped. Digits alone still fill from the right (1 2 5 0 is 12.50); once
// the separator is typed the entry reads as written.
func TestRegisterSeparatorIsHonoured(t *testing.T) {
	d, _ := uitest.RegisterDeps()
	h := uitest.AtRegister(t, d, "taco") // USD
	h.Keys("text:12.5")
	if got := reg(h).Entry().Amount(); got != 1250 {
		t.Fatalf("1 2 . 5 = %d minor units, want 1250", got)
	}
	h.Contains("Amount  $12.50")
	h.Lacks("No quick key")
	h.Keys("+", "text:12,5", "+", "text:.5", "+", "text:1250", "+", "text:7.", "+")
	if got := uitest.Lines(reg(h).Cart()); got != "Item 1×1250, Item 1×1250, Item 1×50, Item 1×1250, Item 1×700" {
		t.Fatalf("cart = %s", got)
	}

	// EUR: the same keys, the same amounts.
	h = uitest.AtRegister(t, d, "bäck")
	h.Keys("text:3,2", "enter")
	if s := payment(h).Sale(); s.Amount != 320 || s.Currency != "eur" {
		t.Fatalf("charged %d %s, want 320 eur", s.Amount, s.Currency)
	}
}

// A key the entry cannot honour is refused with a message and holds the
// entry: nothing typed after it is taken, and the amount cannot be added
// or charged until the cashier takes the refused keys back (⌫) or clears
// (esc). Never reinterpreted: 12.505 is not 12.50, ¥12.5 is not ¥125.
func TestRegisterRefusedKeyHoldsTheEntry(t *testing.T) {
	d, _ := uitest.RegisterDeps()

	h := uitest.AtRegister(t, d, "ramen") // JPY: no decimals
	h.Keys("text:12.5")
	h.Contains("JPY has no decimals")
	if got := reg(h).Entry().Amount(); got != 12 {
		t.Errorf("JPY entry after 1 2 . 5 = %d, want the 12 typed before the refusal", got)
	}
	h.Keys("enter")
	if !h.On("Register") || len(reg(h).Cart().Lines) != 0 {
		t.Fatalf("a held entry was charged (screen %q, cart %s)", h.Top().Title(), uitest.Lines(reg(h).Cart()))
	}
	h.Contains("JPY has no decimals")
	h.Keys("backspace", "backspace") // takes back "5" and "."
	h.Lacks("JPY has no decimals")
	h.Keys("text:50", "+")
	if got := uitest.Lines(reg(h).Cart()); got != "Item 1×1250" {
		t.Fatalf("JPY cart = %s", got)
	}

	h = uitest.AtRegister(t, d, "taco") // USD: two decimals
	h.Keys("text:12.505")
	h.Contains("USD has 2 decimals", "$12.50")
	h.Keys("+")
	if len(reg(h).Cart().Lines) != 0 {
		t.Fatalf("12.505 was added as %s", uitest.Lines(reg(h).Cart()))
	}
	h.Keys("backspace", "+")
	if got := uitest.Lines(reg(h).Cart()); got != "Item 1×1250" {
		t.Fatalf("after taking the 5 back: %s", got)
	}
	h.Keys("text:1,250")
	h.Contains("USD has 2 decimals")
	h.Keys("esc", "text:1250", "+")
	if got := uitest.Lines(reg(h).Cart()); got != "Item 1×1250, Item 1×1250" {
		t.Fatalf("after esc: %s", got)
	}
	h.Keys("text:1.2.")
	h.Contains("type the amount without thousands separators")
	h.Keys("esc", "text:2.5", "*")
	h.Contains("A quantity is a whole number")
	if len(reg(h).Cart().Lines) != 2 || reg(h).Qty() != 0 {
		t.Fatalf("2.5 became a quantity: qty %d", reg(h).Qty())
	}
}

// The entry shows what will be charged at every key: the amount in the
// seller's currency after each of 1 2 . 5 0.
func TestRegisterEntryShowsTheAmountAtEveryKey(t *testing.T) {
	d, _ := uitest.RegisterDeps()
	h := uitest.AtRegister(t, d, "taco")
	for _, step := range []struct{ key, shown string }{
		{"1", "$0.01"}, {"2", "$0.12"}, {".", "$12.00"}, {"5", "$12.50"}, {"0", "$12.50"},
	} {
		h.Keys(step.key)
		h.Contains("Amount  " + step.shown)
		if got := i18n.New(i18n.English).Money(reg(h).Entry().Amount(), "usd"); got != step.shown {
			t.Errorf("after %q the entry holds %s but shows %s", step.key, got, step.shown)
		}
	}
	h.Keys("5") // a third decimal: refused, held, shown with the way back
	h.Contains("Amount  $12.50▏  ✗ 5")
	h.Golden("register_entry_refused")
}

// The price editor (ctrl+e) follows the same rules. Typing into the price
// field replaces the old price (no 3.50 → 35.02 flash), the separator is
// honoured and a refused key holds the editor until taken back.
func TestLineEditorPriceEntry(t *testing.T) {
	d, _ := uitest.RegisterDeps()
	h := uitest.AtRegister(t, d, "bäck")
	h.Keys("c", "ctrl+e", "tab", "tab") // Coffee 3.50, price field
	h.Contains("Price [3.50▏]")
	h.Keys("2")
	h.Contains("Price [0.02▏]")
	h.Lacks("35.02")
	h.Keys(".", "4")
	h.Contains("Price [2.40▏]")
	h.Keys("text:05")
	h.Contains("EUR has 2 decimals")
	h.Keys("enter")
	if reg(h).EditLine() < 0 {
		t.Fatal("the editor saved a price with a refused key")
	}
	h.Keys("backspace", "backspace", "enter")
	if got := uitest.Lines(reg(h).Cart()); got != "Coffee 1×240" {
		t.Fatalf("after the edit: %s", got)
	}

	// A letter in the price field is refused aloud, not dropped.
	h.Keys("ctrl+e", "tab", "tab", "x")
	h.Contains("“x” is not a digit")
	if !strings.Contains(h.View(), "Edit line 1") {
		t.Fatal("editor closed")
	}
}

// Finding 2 of issue 10: a quick key had one price for every currency
// ("5" was $5 and ¥5). Now it carries a price per currency; a seller whose
// currency it lacks sees it unavailable and cannot use it.
func TestQuickKeyPricesPerCurrency(t *testing.T) {
	d, _ := uitest.RegisterDeps()
	h := uitest.AtRegister(t, d, "ramen") // JPY: only Water has a yen price
	h.Contains("c Coffee (no JPY price)", "k Croissant (no JPY price)", "alt+1 Water 150")
	h.Keys("c", "text:2", "k")
	if n := len(reg(h).Cart().Lines); n != 0 {
		t.Fatalf("a quick key without a JPY price added %s", uitest.Lines(reg(h).Cart()))
	}
	h.Contains(`Quick key k (Croissant) has no JPY price: add jpy = "…" to its config prices.`)
	h.Golden("register_quick_key_unavailable")
	h.Keys("esc", "alt+1")
	if got := uitest.Lines(reg(h).Cart()); got != "Water 1×150" {
		t.Fatalf("JPY cart = %s", got)
	}

	h = uitest.AtRegister(t, d, "taco") // USD
	h.Keys("c", "alt+1")
	if got := uitest.Lines(reg(h).Cart()); got != "Coffee 1×350, Water 1×100" {
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
		d := ui.Deps{QuickKeys: []ui.QuickKey{{Key: "c", Description: "Coffee", Prices: tc.prices}}}
		err := d.Validate()
		if got := err != nil && strings.Contains(err.Error(), `quick key "c"`); got != tc.bad {
			t.Errorf("prices %v: Validate() = %v, want a quick key error: %v", tc.prices, err, tc.bad)
		}
	}
}
