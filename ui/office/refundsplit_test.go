package office_test

import (
	"testing"

	"kasse/pos"
	"kasse/supervisor"
	"kasse/ui/internal/uitest"
)

// TestRefundShowsWhoPaysBack: before the supervisor confirms, the refund
// form shows what the refund takes back from the seller and from the
// platform — a destination charge's transfer reversed, the platform's fee
// given back by the seller's policy — for the amount typed.
func TestRefundShowsWhoPaysBack(t *testing.T) {
	o := uitest.OfficeDeps()
	d := o.Rep.Details["pi_paid"]
	o.Sup.Payments = map[string]supervisor.Payment{"pi_paid": {Intent: d.Intent, Account: pos.Platform, Refundable: 1250,
		Facts: pos.ChargeFacts{Type: pos.ChargeDestination, Captured: 1250, Refundable: 1250, Fee: 50,
			TransferID: "tr_1", Transferred: 1250}, Setup: pos.ChargeSetup{Type: pos.ChargeDestination, RefundFee: true}}}
	h := inTransactions(t, o)
	openTx(t, h, "pi_paid")
	h.Keys("r")
	h.Contains("The customer gets €12.50 back: €12.00 from the seller, €0.50 from the platform",
		"Transfer to the seller reversed: €12.50", "Platform fee refunded to the seller: €0.50")
	h.Keys("text:5")
	h.Contains("The customer gets €5.00 back: €4.80 from the seller, €0.20 from the platform",
		"Transfer to the seller reversed: €5.00", "Platform fee refunded to the seller: €0.20")

	// The seller's policy keeps the fee.
	p := o.Sup.Payments["pi_paid"]
	p.Setup.RefundFee = false
	o.Sup.Payments["pi_paid"] = p
	h.Keys("esc", "r", "text:5")
	h.Contains("The customer gets €5.00 back: €5.00 from the seller, €0.00 from the platform",
		"The platform keeps its fee (the seller's refund policy)")
}

// TestRefundReversingMoreThanTransferredIsRefused: a separate charge
// whose transfer was mostly reversed by hand cannot be refunded for more
// than what is left of it: refused before any request, saying why.
func TestRefundReversingMoreThanTransferredIsRefused(t *testing.T) {
	o := uitest.OfficeDeps()
	d := o.Rep.Details["pi_paid"]
	o.Sup.Payments = map[string]supervisor.Payment{"pi_paid": {Intent: d.Intent, Account: pos.Platform, Refundable: 1250,
		Facts: pos.ChargeFacts{Type: pos.ChargeSeparate, Captured: 1250, Refundable: 1250, Fee: 50,
			TransferID: "tr_1", Transferred: 1200, Reversed: 1100}, Setup: pos.ChargeSetup{Type: pos.ChargeSeparate}}}
	h := inTransactions(t, o)
	openTx(t, h, "pi_paid")
	h.Keys("r", "text:5", "tab", "tab", "tab", "tab", "text:2468", "enter")
	h.Contains("The refund would take €4.80 back from the seller's transfer, but only €1.00 of it is left to reverse")
	if len(o.Sup.Calls()) != 0 {
		t.Fatalf("a request was made: %v", o.Sup.Calls())
	}
}

// TestEndOfDayShowsPlatformFees: a seller's end of day shows what the
// platform kept and what the seller keeps, when the platform took a fee.
func TestEndOfDayShowsPlatformFees(t *testing.T) {
	o := uitest.OfficeDeps()
	for i := range o.Rep.EOD.Sellers {
		for j := range o.Rep.EOD.Sellers[i].Currencies {
			c := &o.Rep.EOD.Sellers[i].Currencies[j]
			c.PlatformFees, c.NetToSeller = 54, c.Net-54
		}
	}
	h := inEOD(t, o)
	h.Contains("platform fees 0.54 · net to seller")
}
