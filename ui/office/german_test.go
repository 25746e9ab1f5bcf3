package office_test

import (
	"testing"

	"kasse/i18n"
	"kasse/ui/internal/uitest"
	"kasse/ui/office"
)

// The back office in German: the PIN prompt, the transactions of the day
// (money by CLDR for each seller's currency, the date in German), a
// payment's detail, a refund refused in German words, the end of day.
func TestGermanBackOffice(t *testing.T) {
	o := uitest.OfficeDeps()
	o.D.Locale = i18n.New(i18n.German)
	h := uitest.New(t, o.D)
	h.Keys("f2")
	h.Contains("Transaktionen braucht die PIN der Aufsicht", "Angemeldet: anna (Kasse)", "Ziffern, nie angezeigt")
	h.Keys("ctrl+u", "text:bea", "tab", "text:9999", "enter")
	h.Contains("falsche PIN, noch 2 Versuche")
	h.Keys("text:2468", "enter")
	if _, ok := h.Top().(*office.TxScreen); !ok {
		t.Fatalf("not in Transactions:\n%s", h.View())
	}
	h.Contains("Transaktionen", "Sa., 14.03.2026 00:00–24:00 · alle Händler · jeder Status", "3 Transaktionen",
		"12,50\u00a0€", "20,00\u00a0$", "1.500\u00a0¥", "genehmigt", "nicht erfasst", "teilerstattet", "Unvollständig")
	h.Golden("transactions_list_de")

	h.Keys("/")
	h.Contains("Datum", "TT.MM.JJJJ", "14.03.2026")
	h.Keys("ctrl+u", "text:31.02.2026", "enter")
	h.Contains("Datum „31.02.2026“: so eingeben: 14.03.2026")
	h.Keys("ctrl+u", "text:2026-03-14", "enter") // the ISO date is always understood
	h.Lacks("so eingeben")

	h.Keys("enter") // pi_paid
	h.Contains("Zahlung pi_paid", "Erstattbar", "12,50\u00a0€", "r erstattet alles oder einen Teil", "14.03.2026 14:02:00")
	h.Keys("r", "text:13,00", "tab", "tab", "tab", "tab", "text:2468", "enter")
	h.Contains("Erstattung von 13,00\u00a0€ übersteigt die noch erstattbaren 12,50\u00a0€")
	if len(o.Sup.Calls()) != 0 {
		t.Fatalf("a refund was sent: %v", o.Sup.Calls())
	}
	h.Keys("esc", "esc", "esc")

	h.Keys("f3")
	h.Keys("ctrl+u", "text:bea", "tab", "text:2468", "enter")
	h.Contains("Tagesabschluss", "Brutto", "Netto", "118,45\u00a0€", "42,00\u00a0$", "1 Rückerstattung · 2 abgelehnt", "1 nicht erfasst",
		"x speichert CSV")
	h.Golden("eod_de")
}
