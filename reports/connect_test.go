package reports_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"kasse/i18n"
	"kasse/pos"
	"kasse/reports"
)

// sellAs is sell for any charge type: the intent on the seller (direct)
// or on the platform (destination: transfer_data, on_behalf_of;
// separate: transfer_group, then the seller's transfer of received −
// share), made at another console (not in any journal).
func (e *e2e) sellAs(t *testing.T, seller string, typ pos.ChargeType, amount, fee int64) pos.Intent {
	t.Helper()
	ctx := context.Background()
	s, r := e.sellers[seller], e.readers[seller]
	req := pos.CreateIntentRequest{Amount: amount, Currency: s.Currency, CaptureMethod: "automatic",
		Metadata: map[string]string{"kasse_sale_id": e.key("sale")}}
	acct := typ.IntentAccount(s.ID)
	switch typ {
	case pos.ChargeDirect:
		req.ApplicationFeeAmount = fee
	case pos.ChargeDestination:
		req.ApplicationFeeAmount, req.TransferDestination, req.OnBehalfOf = fee, s.ID, s.ID
	case pos.ChargeSeparate:
		req.TransferGroup = "kasse-" + req.Metadata["kasse_sale_id"]
		req.Metadata[pos.MetaSeller] = string(s.ID)
	}
	in, err := e.c.CreateIntent(ctx, acct, req, e.key("create"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.c.ProcessIntent(ctx, pos.Platform, r.ID, in.ID, pos.ProcessConfig{SkipTipping: true}, e.key("process")); err != nil {
		t.Fatal(err)
	}
	if _, err := e.c.PresentCard(ctx, pos.Platform, r.ID, "", 0, e.key("present")); err != nil {
		t.Fatal(err)
	}
	if in, err = e.c.GetIntent(ctx, acct, in.ID); err != nil || in.Status != pos.IntentSucceeded {
		t.Fatalf("sale %s: %v", in.Status, err)
	}
	if typ == pos.ChargeSeparate {
		if _, err := e.c.CreateTransfer(ctx, pos.TransferRequest{Amount: amount - fee, Currency: s.Currency, Destination: s.ID,
			Group: req.TransferGroup, SourceCharge: in.LatestChargeID}, e.key("transfer")); err != nil {
			t.Fatal(err)
		}
	}
	return in
}

// refundAs refunds amount of in as Kasse would for its charge type (the
// fee given back by policy; a separate charge's transfer reversed by
// reversal).
func (e *e2e) refundAs(t *testing.T, in pos.Intent, amount, reversal int64, reverse, feeBack bool) {
	t.Helper()
	ctx := context.Background()
	if _, err := e.c.CreateRefund(ctx, in.Account, pos.RefundRequest{IntentID: in.ID, Amount: amount, Reason: "requested_by_customer",
		ReverseTransfer: reverse, RefundApplicationFee: feeBack}, e.key("refund")); err != nil {
		t.Fatal(err)
	}
	if reversal > 0 {
		trs, err := e.c.ListTransfers(ctx, pos.TransferFilter{Group: in.TransferGroup})
		if err != nil || len(trs) != 1 {
			t.Fatalf("transfers %v, %v", trs, err)
		}
		if _, err := e.c.ReverseTransfer(ctx, trs[0].ID, pos.ReversalRequest{Amount: reversal}, e.key("reverse")); err != nil {
			t.Fatal(err)
		}
	}
}

// TestEndOfDayPlatformFees: end of day per seller works for all three
// charge types, from Stripe's listings alone (none of these sales is in a
// journal): gross, refunds, platform fees and net to seller add up to what
// each seller keeps.
func TestEndOfDayPlatformFees(t *testing.T) {
	ctx := context.Background()
	e := newE2E(t)
	start := time.Now().Add(-2 * time.Second)
	// Lumen: 10.00 of each type with a 0.30 fee, 4.00 of each refunded
	// with the fee given back in proportion (0.12) and a separate
	// charge's transfer reversed in proportion (3.88 of 9.70).
	direct := e.sellAs(t, "Lumen Coffee", pos.ChargeDirect, 1000, 30)
	dest := e.sellAs(t, "Lumen Coffee", pos.ChargeDestination, 1000, 30)
	sep := e.sellAs(t, "Lumen Coffee", pos.ChargeSeparate, 1000, 30)
	e.refundAs(t, direct, 400, 0, false, true)
	e.refundAs(t, dest, 400, 0, true, true)
	e.refundAs(t, sep, 400, 388, false, false)
	// Sakura: a destination sale of ¥1980 with a ¥50 fee, ¥990 refunded
	// from the Dashboard without reversing the transfer: the platform paid
	// the refund.
	sak := e.sellAs(t, "Sakura Ramen", pos.ChargeDestination, 1980, 50)
	e.refundAs(t, sak, 990, 0, false, false)

	s := &reports.Searcher{Sellers: e.c, Payments: e.c, Transfers: e.c, Location: time.UTC}
	rep, err := s.EndOfDay(ctx, reports.Period{From: start, To: time.Now().Add(time.Minute)}, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Partial) != 0 {
		t.Fatalf("partial: %v", rep.Partial)
	}
	got := map[string]reports.Totals{}
	for _, sr := range rep.Sellers {
		for _, c := range sr.Currencies {
			got[sr.Name+" "+c.Currency] = c
		}
	}
	lumen := got["Lumen Coffee usd"]
	if lumen.Sales != 3 || lumen.Gross != 3000 || lumen.Refunds != 1200 || lumen.RefundCount != 3 ||
		lumen.PlatformFees != 54 || lumen.NetToSeller != 3*582 {
		t.Fatalf("Lumen: %+v", lumen)
	}
	sakura := got["Sakura Ramen jpy"]
	if sakura.Gross != 1980 || sakura.Refunds != 990 || sakura.PlatformFees != 50-990 || sakura.NetToSeller != 1980-50 {
		t.Fatalf("Sakura: %+v", sakura)
	}
	// Per seller: Lumen alone gives the same figures.
	one, err := s.EndOfDay(ctx, reports.Period{From: start, To: time.Now().Add(time.Minute)}, e.sellers["Lumen Coffee"].ID)
	if err != nil || len(one.Sellers) != 1 || one.Sellers[0].Currencies[0].NetToSeller != 3*582 {
		t.Fatalf("Lumen alone: %+v, %v", one.Sellers, err)
	}
}

// TestPlatformFeesInExports: the printable report shows platform fees and
// net to seller when the platform took something; the CSV always has them.
func TestPlatformFeesInExports(t *testing.T) {
	rep := reports.Report{Period: reports.Period{From: time.Date(2026, 3, 14, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC)},
		Sellers: []reports.SellerReport{{Seller: "acct_1", Name: "Lumen Coffee", Currencies: []reports.Totals{
			{Currency: "usd", Sales: 3, Gross: 3000, Refunds: 1200, RefundCount: 3, Net: 1800, PlatformFees: 54, NetToSeller: 1746}}}}}
	var text, csv strings.Builder
	if err := reports.WriteText(&text, rep, 48, i18n.New(i18n.English)); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Platform fees        -0.54", "Net to seller        17.46"} {
		if !strings.Contains(strings.Join(strings.Fields(text.String()), " "), strings.Join(strings.Fields(want), " ")) {
			t.Errorf("text lacks %q:\n%s", want, text.String())
		}
	}
	var de strings.Builder
	if err := reports.WriteText(&de, rep, 48, i18n.New(i18n.German)); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Plattformgebühren -0,54", "Netto an den Händler 17,46"} {
		if !strings.Contains(strings.Join(strings.Fields(de.String()), " "), want) {
			t.Errorf("German text lacks %q:\n%s", want, de.String())
		}
	}
	if err := reports.WriteCSV(&csv, rep); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(csv.String()), "\r\n")
	if !strings.HasSuffix(lines[0], ",platform_fees,net_to_seller") || !strings.HasSuffix(lines[1], ",0.54,17.46") {
		t.Fatalf("csv:\n%s", csv.String())
	}
	rep.Sellers[0].Currencies[0].PlatformFees, rep.Sellers[0].Currencies[0].NetToSeller = 0, 1800
	text.Reset()
	_ = reports.WriteText(&text, rep, 48, i18n.New(i18n.English))
	if strings.Contains(text.String(), "Platform fees") {
		t.Fatalf("no fee, no fee lines:\n%s", text.String())
	}
}
