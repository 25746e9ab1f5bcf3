package fleet_test

import (
	"testing"

	"kasse/i18n"
	"kasse/pos"
	"kasse/ui/internal/uitest"
)

// The readers in German: the fleet grouped by location, a reader's detail.
// Stripe's and the device's own names (simulated_wisepos_e,
// process_payment_intent) stay as they are.
func TestGermanReaders(t *testing.T) {
	o := uitest.OfficeDeps()
	o.D.Locale = i18n.New(i18n.German)
	o.Term.Readers[pos.Platform][0].SerialNumber = "WPE-SIM-0001"
	h := uitest.OpenArea(t, o, "f4", "tom", "1357")
	h.MustBeOn("Lesegeräte")
	h.Contains("6 Lesegeräte, 7 Standorte", "gelesen 15:09:26, alle 5 s", "Name", "Gerät", "Seriennr.", "Plattform",
		"● offline", "Zahlung läuft", "WPE-SIM-0001")
	h.Golden("fleet_list_de")
	h.Keys("p")
	h.Contains("Lesegerät koppeln", "die 3 Wörter eines echten Geräts", "Enter registriert")
}
