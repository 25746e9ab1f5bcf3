package sale_test

import (
	"strings"
	"testing"

	"kasse/pos"
	"kasse/ui"
	"kasse/ui/internal/uitest"
	"kasse/ui/sale"
)

// withCharges gives the demo sellers charge setups, as the configuration
// does: Bäckerei Müller destination charges with a 2.5 % fee, Ramen
// Ichiban separate charges without transfers (it cannot sell), Taco Loco
// separate charges.
func withCharges(d *ui.Deps) {
	fs := d.Sellers.(*uitest.FakeSellers)
	for i := range fs.Sellers {
		s := &fs.Sellers[i]
		s.Transfers = pos.CapabilityActive
		switch s.ID {
		case "acct_1Baeckerei":
			s.Charges = pos.ChargeSetup{Type: pos.ChargeDestination, Fee: pos.FeeRule{Percent: 2500}, RefundFee: true}
		case "acct_1Ramen":
			s.Charges, s.Transfers = pos.ChargeSetup{Type: pos.ChargeSeparate}, pos.CapabilityInactive
		case "acct_1Taco":
			s.Charges = pos.ChargeSetup{Type: pos.ChargeSeparate, Fee: pos.FeeRule{Fixed: map[string]int64{"usd": 30}}}
		}
	}
}

// TestSellerPickerShowsChargeTypes: the seller list names each seller's
// charge type and fee; a seller missing a capability its type needs is
// listed, dimmed with the reason, and cannot be chosen.
func TestSellerPickerShowsChargeTypes(t *testing.T) {
	d, _, term, _ := uitest.DemoDeps()
	withCharges(&d)
	h := uitest.New(t, d)
	h.Contains("destination · fee 2.5%", "separate · fee $0.30", "transfers inactive (separate)")
	h.Golden("sellers_charge_types")
	h.Keys("text:ramen", "enter")
	if !h.On("Choose a seller") {
		t.Fatal("a seller without its transfers capability was chosen")
	}
	h.Contains("Ramen Ichiban cannot take card payments: transfers inactive (separate).")
	if len(term.Calls()) != 0 {
		t.Errorf("terminal was called: %v", term.Ops())
	}
}

// TestDestinationSaleFromTheRegister: a destination seller's sale is made
// on the platform with the seller as transfer destination and settlement
// merchant, the fee from its rule; the receipt says who sold it and how.
func TestDestinationSaleFromTheRegister(t *testing.T) {
	f := uitest.Charging(t, withCharges)
	h := f.H
	if !h.On("Payment") {
		t.Fatalf("on %q:\n%s", h.Top().Title(), h.View())
	}
	c := f.Pay.Calls()[0]
	if c.Op != "CreateIntent" || c.Account != pos.Platform {
		t.Fatalf("create = %+v", c)
	}
	req := payment(h).Sale().Request
	if req.TransferDestination != "acct_1Baeckerei" || req.OnBehalfOf != "acct_1Baeckerei" || req.ApplicationFeeAmount != 14 ||
		req.Metadata[pos.MetaSeller] != "acct_1Baeckerei" {
		t.Fatalf("request %+v", req)
	}
	f.Term.Reads = []uitest.ReaderAnswer{{R: uitest.Approved("pi_1", 570, nil)}}
	h.Fire(sale.SaleTick{})
	if !h.On("Receipt") {
		t.Fatalf("not approved:\n%s", h.View())
	}
	h.Contains("sold by Bäckerei", "via destination charge")
}

// TestPlatformChargeOnASellersReaderIsRefused: a separate charge is made
// on the platform, which the seller's own reader cannot process: the
// register refuses before any request.
func TestPlatformChargeOnASellersReaderIsRefused(t *testing.T) {
	d, _ := uitest.RegisterDeps()
	withCharges(&d)
	h := uitest.AtRegister(t, d, "taco")
	if reg(h) == nil {
		t.Fatal("no register")
	}
	// Move to the seller's own location and reader.
	h.Keys("esc", "esc")
	h.Keys("text:truck", "enter", "enter")
	if !h.On("Register") {
		t.Fatalf("on %q:\n%s", h.Top().Title(), h.View())
	}
	h.Keys("text:500", "enter")
	h.Contains("A platform reader is needed for separate charges: this one belongs to the seller")
	if n := len(d.Payments.(*uitest.FakePayments).Calls()); n != 0 {
		t.Fatalf("%d payment requests", n)
	}
	if strings.Contains(h.View(), "Payment") && h.On("Payment") {
		t.Fatal("the sale started")
	}
}
