package supervisor_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"kasse/pos"
	"kasse/supervisor"
)

// setups gives sellers their charge setups, as the configuration does.
type setups struct {
	pos.Sellers
	of map[pos.Account]pos.ChargeSetup
}

func (s setups) GetSeller(ctx context.Context, id pos.Account) (pos.Seller, error) {
	sl, err := s.Sellers.GetSeller(ctx, id)
	sl.Charges = s.setup(id)
	return sl, err
}

func (s setups) ListSellers(ctx context.Context) ([]pos.Seller, error) {
	list, err := s.Sellers.ListSellers(ctx)
	for i := range list {
		list[i].Charges = s.setup(list[i].ID)
	}
	return list, err
}

// setup is id's setup; a seller not named is charged directly and gets
// the platform's fee back on refunds, as config's default.
func (s setups) setup(id pos.Account) pos.ChargeSetup {
	if c, ok := s.of[id]; ok {
		return c
	}
	return pos.ChargeSetup{Type: pos.ChargeDirect, RefundFee: true}
}

// withCharges makes the service read transfers and fees and charge the
// env's seller as setup says.
func (e *env) withCharges(setup pos.ChargeSetup) {
	e.t.Helper()
	e.deps.Transfers = e.counter.Transfers(e.client)
	e.deps.Sellers = setups{Sellers: e.client, of: map[pos.Account]pos.ChargeSetup{e.seller.ID: setup}}
	e.deps.Runner = e.runner()
	e.deps.Runner.Transfers = e.deps.Transfers
	svc, err := supervisor.New(e.deps)
	if err != nil {
		e.t.Fatal(err)
	}
	e.svc = svc
}

// chargedSale is journalSale charged as setup says.
func (e *env) chargedSale(setup pos.ChargeSetup, amount int64) pos.Sale {
	e.t.Helper()
	ctx := context.Background()
	s, err := pos.NewSale(pos.SaleConfig{ID: fmt.Sprintf("s%d", saleNo.Add(1)), Seller: e.seller.ID, ReaderOwner: e.reader.Owner,
		ReaderID: e.reader.ID, LocationID: e.reader.LocationID, Currency: "usd", Charges: setup,
		Process: pos.ProcessConfig{SkipTipping: true}}, e.clock.Now())
	if err != nil {
		e.t.Fatal(err)
	}
	if s.Cart, err = s.Cart.Add(pos.Line{Description: "Item", Quantity: 1, UnitPrice: amount}); err != nil {
		e.t.Fatal(err)
	}
	r := e.deps.Runner
	s, err = r.Drive(ctx, s, pos.ChargeRequested{At: e.clock.Now()}, func(s pos.Sale) bool {
		return s.State == pos.SaleWaitingForCard && !s.Pending.Active()
	})
	if err != nil || s.State != pos.SaleWaitingForCard {
		e.t.Fatalf("to the reader: %s, %v (%q)", s.State, err, s.Notice)
	}
	if err := r.PresentCard(ctx, s, "", 0); err != nil {
		e.t.Fatal(err)
	}
	if s, err = r.Drive(ctx, s, pos.Tick{At: e.clock.Now()}, nil); err != nil || s.State != pos.SaleApproved || !s.Finished() {
		e.t.Fatalf("sale %s finished=%v, %v", s.State, s.Finished(), err)
	}
	e.counter.Reset()
	return s
}

// TestDestinationRefund: a destination charge lives on the platform; the
// supervisor sees what the refund takes back from whom before it is made;
// it reverses the seller's transfer and, by the seller's policy, gives
// the platform's fee back.
func TestDestinationRefund(t *testing.T) {
	for _, policy := range []bool{true, false} {
		e := newEnv(t)
		setup := pos.ChargeSetup{Type: pos.ChargeDestination, Fee: pos.FeeRule{Percent: 3000}, RefundFee: policy} // 3 % of 50.00 = 1.50
		e.withCharges(setup)
		s := e.chargedSale(setup, 5000)
		ctx := context.Background()
		p, err := e.svc.Lookup(ctx, e.seller.ID, s.IntentID)
		if err != nil {
			t.Fatal(err)
		}
		if p.Account != pos.Platform || p.Facts.Type != pos.ChargeDestination || p.Facts.Transferred != 5000 || p.Facts.Fee != 150 || p.Refundable != 5000 {
			t.Fatalf("lookup: account %q facts %+v", p.Account, p.Facts)
		}
		sh, err := p.Shares(2000)
		if err != nil {
			t.Fatal(err)
		}
		wantFee := int64(0)
		if policy {
			wantFee = 60 // 2000/5000 of 150
		}
		if sh.Reversal != 2000 || sh.FeeRefund != wantFee || sh.Seller != 2000-wantFee || sh.Platform != wantFee {
			t.Fatalf("policy %v: shares %+v", policy, sh)
		}
		res, err := e.refund(supervisor.RefundRequest{IntentID: s.IntentID, Amount: 2000})
		if err != nil || res.Shares != sh || res.Charge != pos.ChargeDestination || res.RefundApplicationFee != policy {
			t.Fatalf("refund %+v, %v", res, err)
		}
		e.spy.mu.Lock()
		req := e.spy.reqs[len(e.spy.reqs)-1]
		e.spy.mu.Unlock()
		if !req.ReverseTransfer || req.RefundApplicationFee != policy || req.Metadata[pos.MetaSeller] != string(e.seller.ID) {
			t.Fatalf("request %+v", req)
		}
		in, _ := e.client.GetIntent(ctx, pos.Platform, s.IntentID)
		tr, _ := e.client.GetTransfer(ctx, in.LatestCharge.TransferID)
		fee, _ := e.client.GetApplicationFee(ctx, in.LatestCharge.ApplicationFeeID)
		if tr.AmountReversed != sh.Reversal || fee.AmountRefunded != sh.FeeRefund {
			t.Fatalf("Stripe: reversed %d, fee refunded %d; planned %+v", tr.AmountReversed, fee.AmountRefunded, sh)
		}
		if a := e.auditOf("refund.submit"); len(a) != 1 || !contains(a[0].Detail, "charge_type=destination", "reverse_transfer=true",
			"from_seller="+pos.Format(sh.Seller, "usd")) {
			t.Fatalf("audit %+v", a)
		}
		// The rest: the parts add up to the fee and the transfer.
		if _, err := e.refund(supervisor.RefundRequest{IntentID: s.IntentID}); err != nil {
			t.Fatal(err)
		}
		tr, _ = e.client.GetTransfer(ctx, in.LatestCharge.TransferID)
		fee, _ = e.client.GetApplicationFee(ctx, in.LatestCharge.ApplicationFeeID)
		if tr.AmountReversed != 5000 || policy && fee.AmountRefunded != 150 || !policy && fee.AmountRefunded != 0 {
			t.Fatalf("after the rest: reversed %d, fee refunded %d", tr.AmountReversed, fee.AmountRefunded)
		}
	}
}

// TestSeparateRefund: a separate charge's refund is made on the platform
// and reverses the seller's transfer in proportion (a second request,
// keyed and recorded). A transfer reversed by hand meanwhile makes a
// refund that would reverse more than is left refused before any request.
func TestSeparateRefund(t *testing.T) {
	e := newEnv(t)
	setup := pos.ChargeSetup{Type: pos.ChargeSeparate, Fee: pos.FeeRule{Percent: 3000}, RefundFee: true}
	e.withCharges(setup)
	s := e.chargedSale(setup, 5000) // transfer 4850
	res, err := e.refund(supervisor.RefundRequest{IntentID: s.IntentID, Amount: 2000})
	if err != nil || res.Shares.Reversal != 1940 || res.Shares.Platform != 60 || res.Charge != pos.ChargeSeparate {
		t.Fatalf("refund %+v, %v", res, err)
	}
	if n := e.counter.Count("ReverseTransfer"); n != 1 {
		t.Fatalf("%d reversals sent", n)
	}
	ctx := context.Background()
	tr, _ := e.client.GetTransfer(ctx, s.Transfer.ID)
	if tr.AmountReversed != 1940 || len(tr.Reversals) != 1 {
		t.Fatalf("transfer %+v", tr)
	}
	rf, err := e.journal.Refund(ctx, res.ID)
	if err != nil || !rf.Finished() || rf.Reversal.ID != tr.Reversals[0].ID {
		t.Fatalf("journal %+v, %v", rf.Reversal, err)
	}
	// Someone reverses most of the rest by hand; the next refund would
	// take back more than is left.
	if _, err := e.client.ReverseTransfer(ctx, s.Transfer.ID, pos.ReversalRequest{Amount: 2800}, "by-hand-1"); err != nil {
		t.Fatal(err)
	}
	e.counter.Reset()
	_, err = e.refund(supervisor.RefundRequest{IntentID: s.IntentID, Amount: 1000})
	if !errors.Is(err, pos.ErrReversalExceeds) {
		t.Fatalf("err %v", err)
	}
	if e.counter.Count("CreateRefund")+e.counter.Count("ReverseTransfer") != 0 {
		t.Fatalf("requests sent: %v", e.counter.Counts())
	}
}

// TestPaymentOfAnotherSeller: a platform payment made for another seller
// is not this seller's to refund.
func TestPaymentOfAnotherSeller(t *testing.T) {
	e := newEnv(t)
	setup := pos.ChargeSetup{Type: pos.ChargeDestination}
	e.withCharges(setup)
	s := e.chargedSale(setup, 1000)
	sellers, err := e.client.ListSellers(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var other pos.Account
	for _, sl := range sellers {
		if sl.ID != e.seller.ID && sl.CardPayments == pos.CapabilityActive {
			other = sl.ID
		}
	}
	_, err = e.svc.Lookup(context.Background(), other, s.IntentID)
	if !errors.Is(err, supervisor.ErrInput) || !containsOne(err.Error(), "is not a sale of "+string(other)) {
		t.Fatalf("another seller's lookup: %v", err)
	}
}

func contains(s string, parts ...string) bool {
	for _, p := range parts {
		if !containsOne(s, p) {
			return false
		}
	}
	return true
}

func containsOne(s, p string) bool {
	for i := 0; i+len(p) <= len(s); i++ {
		if s[i:i+len(p)] == p {
			return true
		}
	}
	return false
}
