package sale_test

import (
	"strings"
	"testing"

	"kasse/i18n"
	"kasse/pos"
	"kasse/ui"
	"kasse/ui/internal/uitest"
	"kasse/ui/sale"
)

// germanRegister is a console in German (de, as config's language = "de"
// or LANG=de_DE.UTF-8 make it) at Bäckerei Müller's register, with 19 %
// tax and a receipt saver.
func germanRegister(t *testing.T) (*uitest.Harness, uitest.PayFixture, *uitest.FakeSaver) {
	t.Helper()
	d, _ := uitest.RegisterDeps()
	saver := &uitest.FakeSaver{Dir: "/srv/kasse/receipts"}
	f := uitest.PayFixture{Term: d.Terminal.(*uitest.FakeTerminal), Pay: d.Payments.(*uitest.FakePayments), Pres: &uitest.FakePresenter{}}
	d.Presenter, d.Receipts, d.TaxRate = f.Pres, saver, 19000
	d.Locale = i18n.New(i18n.German)
	h := uitest.New(t, d)
	h.Contains("Händler wählen", "5 Händler", "Kartenzahlungen")
	h.Golden("sellers_list_de")
	h.Keys("text:bäck", "enter", "enter", "enter")
	h.MustBeOn("Kasse")
	f.H = h
	return h, f, saver
}

// fitsGerman80x24: the screen on top is usable at 80×24 in German too
// (longer words, same minimum).
func fitsGerman80x24(t *testing.T, h *uitest.Harness) {
	t.Helper()
	defer h.Resize(100, 30)
	h.Resize(80, 24)
	if w, hh := h.Top().MinSize(); w > 80 || hh > 24 {
		t.Errorf("%s needs %d×%d in German", h.Top().Title(), w, hh)
	}
	h.Lacks("Terminal zu klein")
}

// A German sale: German words, the amount typed with a comma and shown as
// 12,50 €, quick keys, 19 % tax, the live view and the receipt in German,
// which switches to English for the customer with l and back. The keys
// are the same as in English.
func TestGermanSale(t *testing.T) {
	h, f, saver := germanRegister(t)
	h.Contains("Kasse · Bäckerei Müller · EUR", "Beschreibung", "Menge", "Preis", "noch keine Artikel", "Betrag   0,00\u00a0€")
	h.Keys("text:12,5")
	h.Contains("Betrag   12,50\u00a0€▏")
	if got := reg(h).Entry().Amount(); got != 1250 {
		t.Fatalf("12,5 typed is %d cents", got)
	}
	h.Keys("+", "c", "k", "k")
	if got := uitest.Lines(reg(h).Cart()); got != "Artikel 1×1250, Coffee 1×350, Croissant 2×220" {
		t.Fatalf("cart: %s", got)
	}
	h.Contains("Zwischensumme (4)", "Steuer 19\u00a0%", "Summe", "24,28\u00a0€")
	h.Golden("register_lines_de")
	fitsGerman80x24(t, h)

	h.Keys("enter")
	if !h.On("Zahlung") || payment(h).Sale().Amount != 2428 {
		t.Fatalf("on %q", h.Top().Title())
	}
	if c := f.Pay.Calls()[0]; c.Arg != "2428 eur" {
		t.Errorf("the intent: %+v", c)
	}
	h.Contains("Zahlung · 24,28\u00a0€ · Bäckerei Müller", "Warten auf die Karte des Kunden an Front counter", "Verlauf", "wartet auf Karte")
	h.Golden("payment_waiting_de")
	fitsGerman80x24(t, h)

	f.Term.Reads = []uitest.ReaderAnswer{{R: uitest.Approved("pi_1", 2428, nil)}}
	h.Fire(sale.SaleTick{})
	h.MustBeOn("Beleg")
	h.Contains("GENEHMIGT", "Summe", "24,28\u00a0€", "Steuer 19\u00a0%", "14.03.2026 15:09:26 UTC", "Bedient von", "anna an till-1",
		"l Belegsprache")
	h.Golden("receipt_de")
	deW, deH := h.Top().MinSize() // a long receipt needs a tall terminal, in German no more than in English
	id := receipt(h).Sale().ID
	if text := string(saver.File(id + ".txt")); !strings.Contains(text, "GENEHMIGT") || !strings.Contains(text, "24,28\u00a0€") {
		t.Errorf("the saved receipt is not German:\n%s", text)
	}

	// The customer reads English: l switches the receipt, and saves it
	// again; the screen around it stays German.
	h.Keys("l")
	h.Contains("APPROVED", "€24.28", "Tax 19%", "2026-03-14 15:09:26 UTC", "Served by", "anna @ till-1", "Der Beleg ist jetzt auf Englisch.")
	if receipt(h).Language().Language() != i18n.English {
		t.Error("the receipt's language did not switch")
	}
	if text := string(saver.File(id + ".txt")); !strings.Contains(text, "APPROVED") || strings.Contains(text, "GENEHMIGT") {
		t.Errorf("the saved receipt is not the English one:\n%s", text)
	}
	h.Golden("receipt_en_for_customer_de")
	if enW, enH := h.Top().MinSize(); deW > enW || deH > enH {
		t.Errorf("the German receipt needs %d×%d, the English one %d×%d", deW, deH, enW, enH)
	}
	h.Keys("l")
	h.Contains("GENEHMIGT")
	h.Keys("enter")
	h.MustBeOn("Kasse")
}

// German amounts: the comma is the decimal separator, a point is taken
// where it cannot mean thousands, and a refusal says why in German.
func TestGermanRegisterEntry(t *testing.T) {
	h, _, _ := germanRegister(t)
	h.Keys("text:12.505")
	h.Contains("„12,505“: EUR hat 2 Nachkommastellen", "✗ 5")
	if reg(h).Entry().Amount() != 1250 {
		t.Errorf("the held key changed the amount: %d", reg(h).Entry().Amount())
	}
	h.Keys("backspace", "esc", "text:7,")
	h.Contains("Betrag   7,00\u00a0€▏")
	h.Keys("esc", "x")
	h.Contains("Keine Schnelltaste „x“.")
	h.Keys("enter")
	h.Contains("Zuerst einen Betrag tippen oder eine Schnelltaste drücken.")
	h.Keys("text:10", "enter") // 0,10 € is below Stripe's minimum
	h.Contains("Die Summe liegt unter Stripes Mindestbetrag von 0,50\u00a0€.")
}

// The help screen lists the same keys in German.
func TestGermanHelpHasTheSameKeys(t *testing.T) {
	h, _, _ := germanRegister(t)
	h.Keys("?")
	h.Contains("Tasten — Kasse", "0-9 ,", "Betrag", "hinzufügen", "kassieren", "ctrl+x Verkauf leeren", "alle Tasten", "ctrl+c beenden")
	h.Golden("help_register_de")
}

// Two cashiers on one console process, one German, one English: each
// session keeps its own words and money.
func TestSessionsKeepTheirLanguage(t *testing.T) {
	d, _ := uitest.RegisterDeps()
	uitest.Defaults(&d)
	shared := d.Prepared()
	de := uitest.Drive(t, ui.NewSession(shared, ui.SignIn{Operator: "jana", Locale: i18n.New(i18n.German)}))
	en := uitest.Drive(t, ui.NewSession(shared, ui.SignIn{Operator: "bob"}))
	for _, h := range []*uitest.Harness{de, en} {
		h.Keys("text:bäck", "enter", "enter", "enter", "c")
	}
	de.Contains("Beschreibung", "Betrag", "3,50\u00a0€", "jana an till-1")
	de.Lacks("Description", "€3.50")
	en.Contains("Description", "€3.50", "bob @ till-1")
	en.Lacks("Beschreibung", "3,50\u00a0€")
	if reg(de).Cart().Total() != pos.Cart(reg(en).Cart()).Total() {
		t.Error("the same keys rang up different carts")
	}
}
