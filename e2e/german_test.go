package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"kasse/pos"
)

// nbsp is the no-break space CLDR puts between an amount and its symbol
// in German ("12,50 €"): an amount never breaks across lines.
const nbsp = "\u00a0"

// TestConsoleGermanSale (issue 16): the real binary with LANG=de_DE.UTF-8
// and no language configured speaks German. The cashier rings up 12,50
// at Bäckerei Sonnenkorn (EUR) with the same keys as in English, the
// register shows 12,50 €, the sandbox's PaymentIntent is for 1250 cents,
// and the receipt is German, then English for the customer (l), saved in
// that language.
func TestConsoleGermanSale(t *testing.T) {
	requireTmux(t)
	w := newWorld(t)
	c := w.startConsoleEnv(t, germanEnv, w.flags())
	c.waitFor(15*time.Second, "Händler wählen", "5 Händler", "Filter: ", "zum Filtern tippen", "Kartenzahlungen")
	c.typeText("sonnen")
	c.waitFor(5*time.Second, "1 von 5 Händler", "Sonnenkorn")
	c.send("Enter")
	c.waitFor(10*time.Second, "Standort für Sonnenkorn wählen", "Bäckerei Sonnenkorn", "1 Standort")
	c.send("Enter")
	c.waitFor(10*time.Second, "Lesegerät bei Bäckerei Sonnenkorn wählen", "Counter 1", "1 Lesegerät", "online")
	c.send("Enter")
	c.waitFor(5*time.Second, "Kasse · Sonnenkorn · EUR", "noch keine Artikel", "0,00"+nbsp+"€", "kassieren")

	c.typeText("12,50")
	c.waitFor(5*time.Second, "12,50"+nbsp+"€▏")
	c.send("Enter")
	screen := c.waitFor(10*time.Second, "Zahlung · 12,50"+nbsp+"€ · Sonnenkorn", "Warten auf die Karte des Kunden an Counter 1",
		"Verlauf", "wartet auf Karte", "Zahlung abbrechen")
	pi := intentOnScreen(t, screen)
	ins := w.api.intents(t, w.sonnenkorn.Seller)
	if len(ins) != 1 || ins[0].ID != pi || ins[0].Amount != 1250 || ins[0].Currency != "eur" {
		t.Fatalf("intents on Sonnenkorn = %+v, want %s for 1250 eur", ins, pi)
	}

	c.send("t")
	c.waitFor(5*time.Second, "Testkarte vorlegen", "Visa · genehmigt", "Abgelehnt · card_declined")
	c.send("Enter")
	c.waitFor(10*time.Second, "GENEHMIGT", "Summe", "12,50"+nbsp+"€", "VISA", "4242", pi, "Bedient von", "e2e an e2e",
		"Beleg gespeichert unter", "l Belegsprache")
	if in := w.api.intents(t, w.sonnenkorn.Seller)[0]; in.Status != pos.IntentSucceeded || in.Amount != 1250 {
		t.Fatalf("after the card: %+v", in)
	}
	saved := filepath.Join(w.data, "kasse", "receipts", w.sales(t)[0].Sale.ID+".txt")
	if b, err := os.ReadFile(saved); err != nil || !strings.Contains(string(b), "GENEHMIGT") {
		t.Fatalf("the saved receipt %s: %v\n%s", saved, err, b)
	}

	c.send("l") // the customer reads English
	c.waitFor(5*time.Second, "APPROVED", "Total", "€12.50", "Served by", "Der Beleg ist jetzt auf Englisch.")
	if !eventually(5*time.Second, 50*time.Millisecond, func() bool {
		b, _ := os.ReadFile(saved)
		return strings.Contains(string(b), "APPROVED") && !strings.Contains(string(b), "GENEHMIGT")
	}) {
		b, _ := os.ReadFile(saved)
		t.Fatalf("the saved receipt was not saved again in English:\n%s", b)
	}
	c.send("Enter")
	c.waitFor(5*time.Second, "Kasse · Sonnenkorn · EUR", "noch keine Artikel")
}
