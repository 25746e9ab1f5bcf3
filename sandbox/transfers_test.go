package sandbox

import (
	"net/http"
	"testing"

	"github.com/stripe/stripe-go/v76"
)

// Tests of the Connect charge types through stripe-go and the conformance
// transport (every request accepted by stripe-mock, every answer valid
// against the 2023-10-16 spec): destination charges, separate charges and
// transfers, direct charges' application fees, and their refunds.

// setCapability changes a connected account's capability in place.
func (e *env) setCapability(acct, name, state string) {
	e.change(func(s *Server) {
		a := s.accountOf(acct)
		s.touch(a)
		switch name {
		case "transfers":
			a.Capabilities.Transfers = state
		case "card_payments":
			a.Capabilities.CardPayments = state
		}
	})
}

// platformIntent creates a card_present intent on the platform with p's
// Connect fields.
func (e *env) platformIntent(amount int64, currency string, mod func(*stripe.PaymentIntentParams)) (*stripe.PaymentIntent, error) {
	p := &stripe.PaymentIntentParams{Amount: stripe.Int64(amount), Currency: stripe.String(currency),
		PaymentMethodTypes: stripe.StringSlice([]string{"card_present"})}
	mod(p)
	return e.sc.PaymentIntents.New(p)
}

func destination(seller string, fee int64) func(*stripe.PaymentIntentParams) {
	return func(p *stripe.PaymentIntentParams) {
		p.TransferData = &stripe.PaymentIntentTransferDataParams{Destination: stripe.String(seller)}
		p.OnBehalfOf = stripe.String(seller)
		p.ApplicationFeeAmount = stripe.Int64(fee)
		p.AddMetadata("kasse_seller", seller)
	}
}

func (e *env) getTransfer(id string) *stripe.Transfer {
	e.t.Helper()
	tr, err := e.sc.Transfers.Get(id, nil)
	if err != nil {
		e.t.Fatalf("get transfer %s: %v", id, err)
	}
	return tr
}

func (e *env) getFee(id string) *stripe.ApplicationFee {
	e.t.Helper()
	f, err := e.sc.ApplicationFees.Get(id, nil)
	if err != nil {
		e.t.Fatalf("get fee %s: %v", id, err)
	}
	return f
}

// TestDestinationCharge: a destination charge lives on the platform; when
// it is captured the platform transfers the whole charge to the seller
// (the payment py_… lives on the seller) and takes its application fee
// back as an application fee the platform lists.
func TestDestinationCharge(t *testing.T) {
	e := newPayEnv(t)
	seller := addTestAccount(e.srv, "US", "usd")
	pi, err := e.platformIntent(1000, "usd", destination(seller, 30))
	if err != nil {
		t.Fatal(err)
	}
	if pi.TransferData == nil || pi.TransferData.Destination.ID != seller || pi.OnBehalfOf.ID != seller || pi.ApplicationFeeAmount != 30 {
		t.Fatalf("intent %+v", pi)
	}
	if code, msg := e.pCollect(pi.ID, "", 250); code != "" {
		t.Fatalf("collect: %s %s", code, msg)
	}
	got := e.pGet("", pi.ID, "latest_charge")
	ch := got.LatestCharge
	if ch.Transfer == nil || ch.ApplicationFee == nil || ch.ApplicationFeeAmount != 30 || ch.OnBehalfOf.ID != seller ||
		ch.TransferData == nil || ch.TransferData.Destination.ID != seller || ch.Amount != 1250 {
		t.Fatalf("charge %+v", ch)
	}
	tr := e.getTransfer(ch.Transfer.ID)
	if tr.Amount != 1250 || tr.Destination.ID != seller || tr.SourceTransaction.ID != ch.ID || tr.DestinationPayment == nil || tr.Reversed {
		t.Fatalf("transfer %+v", tr)
	}
	// The destination payment is the seller's, not the platform's.
	py := e.pCharge(seller, tr.DestinationPayment.ID)
	if py.Amount != 1250 || py.SourceTransfer.ID != tr.ID || py.ApplicationFee.ID != ch.ApplicationFee.ID || py.PaymentMethodDetails.Type != "stripe_account" {
		t.Fatalf("destination payment %+v", py)
	}
	if _, err := e.sc.Charges.Get(py.ID, nil); err == nil {
		t.Fatal("the platform reads the seller's destination payment")
	}
	fee := e.getFee(ch.ApplicationFee.ID)
	if fee.Amount != 30 || fee.Account.ID != seller || fee.Charge.ID != py.ID || fee.OriginatingTransaction.ID != ch.ID ||
		fee.Application == nil || fee.Application.ID == "" {
		t.Fatalf("fee %+v", fee)
	}
	if got := e.pEvents("", "transfer.", "application_fee."); !eqStrings(got, []string{"transfer.created", "application_fee.created"}) {
		t.Fatalf("platform events %v", got)
	}

	// A partial refund reverses the transfer in proportion (the transfer
	// is the whole charge: the refund itself) and refunds the fee in
	// proportion; the last one takes what is left.
	p := &stripe.RefundParams{PaymentIntent: stripe.String(pi.ID), Amount: stripe.Int64(500),
		ReverseTransfer: stripe.Bool(true), RefundApplicationFee: stripe.Bool(true)}
	re, err := e.sc.Refunds.New(p)
	if err != nil {
		t.Fatal(err)
	}
	if re.TransferReversal == nil || re.TransferReversal.ID == "" {
		t.Fatalf("refund %+v has no transfer_reversal", re)
	}
	tr = e.getTransfer(tr.ID)
	if tr.AmountReversed != 500 || len(tr.Reversals.Data) != 1 || tr.Reversals.Data[0].SourceRefund.ID != re.ID {
		t.Fatalf("transfer after refund %+v", tr)
	}
	if fee = e.getFee(fee.ID); fee.AmountRefunded != 12 || fee.Refunded { // 500/1250 of 30
		t.Fatalf("fee after refund: refunded %d", fee.AmountRefunded)
	}
	if py = e.pCharge(seller, py.ID, "refunds"); py.AmountRefunded != 500 || len(py.Refunds.Data) != 1 ||
		py.Refunds.Data[0].SourceTransferReversal.ID != re.TransferReversal.ID {
		t.Fatalf("destination payment after refund %+v", py)
	}
	re, err = e.sc.Refunds.New(&stripe.RefundParams{PaymentIntent: stripe.String(pi.ID),
		ReverseTransfer: stripe.Bool(true), RefundApplicationFee: stripe.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	if tr = e.getTransfer(tr.ID); tr.AmountReversed != 1250 || !tr.Reversed {
		t.Fatalf("transfer after the last refund: reversed %d", tr.AmountReversed)
	}
	if fee = e.getFee(fee.ID); fee.AmountRefunded != 30 || !fee.Refunded || len(fee.Refunds.Data) != 2 {
		t.Fatalf("fee after the last refund %+v", fee)
	}
	if got := e.pEvents("", "transfer.reversed", "application_fee.refunded"); len(got) != 4 {
		t.Fatalf("platform events %v", got)
	}
	if got := e.pEvents(seller, "charge.refunded"); len(got) != 2 {
		t.Fatalf("seller events %v", got)
	}
}

// TestDestinationRefundKeepsFee: without refund_application_fee the
// platform keeps its fee while the transfer is reversed.
func TestDestinationRefundKeepsFee(t *testing.T) {
	e := newPayEnv(t)
	seller := addTestAccount(e.srv, "US", "usd")
	pi, err := e.platformIntent(1000, "usd", destination(seller, 30))
	if err != nil {
		t.Fatal(err)
	}
	e.pCollect(pi.ID, "", 0)
	ch := e.pGet("", pi.ID, "latest_charge").LatestCharge
	if _, err := e.sc.Refunds.New(&stripe.RefundParams{PaymentIntent: stripe.String(pi.ID), ReverseTransfer: stripe.Bool(true)}); err != nil {
		t.Fatal(err)
	}
	if f := e.getFee(ch.ApplicationFee.ID); f.AmountRefunded != 0 {
		t.Fatalf("fee refunded %d", f.AmountRefunded)
	}
	if tr := e.getTransfer(ch.Transfer.ID); tr.AmountReversed != 1000 {
		t.Fatalf("reversed %d", tr.AmountReversed)
	}
}

// TestDestinationChargeRefusals: the capability and settlement rules of a
// destination charge, and refund options that cannot be carried out.
func TestDestinationChargeRefusals(t *testing.T) {
	e := newPayEnv(t)
	seller := addTestAccount(e.srv, "US", "usd")
	de := addTestAccount(e.srv, "DE", "eur")

	e.setCapability(seller, "transfers", "inactive")
	_, err := e.platformIntent(1000, "usd", destination(seller, 30))
	wantErr(t, err, 400, "insufficient_capabilities_for_transfer", "transfer_data[destination]",
		"Your destination account needs to have at least one of the following capabilities enabled: transfers, legacy_payments")
	e.setCapability(seller, "transfers", "active")
	e.setCapability(seller, "card_payments", "pending")
	_, err = e.platformIntent(1000, "usd", destination(seller, 30))
	wantErr(t, err, 400, "", "on_behalf_of", "The on_behalf_of account "+seller+" does not have the card_payments capability active…")
	e.setCapability(seller, "card_payments", "active")

	// Another country than the platform's needs on_behalf_of.
	_, err = e.platformIntent(1000, "eur", func(p *stripe.PaymentIntentParams) {
		p.TransferData = &stripe.PaymentIntentTransferDataParams{Destination: stripe.String(de)}
	})
	wantErr(t, err, 400, "", "transfer_data[destination]", "Cannot create a destination charge for connected accounts in DE…")
	if _, err := e.platformIntent(1000, "eur", destination(de, 30)); err != nil {
		t.Fatalf("with on_behalf_of: %v", err)
	}

	// A destination charge cannot be made through Stripe-Account.
	p := &stripe.PaymentIntentParams{Amount: stripe.Int64(1000), Currency: stripe.String("usd"),
		PaymentMethodTypes: stripe.StringSlice([]string{"card_present"}),
		TransferData:       &stripe.PaymentIntentTransferDataParams{Destination: stripe.String(seller)}}
	p.SetStripeAccount(seller)
	_, err = e.sc.PaymentIntents.New(p)
	wantErr(t, err, 404, "resource_missing", "transfer_data[destination]", "")

	pi, err := e.platformIntent(1000, "usd", destination(seller, 30))
	if err != nil {
		t.Fatal(err)
	}
	e.pCollect(pi.ID, "", 0)
	_, err = e.sc.Refunds.New(&stripe.RefundParams{PaymentIntent: stripe.String(pi.ID), RefundApplicationFee: stripe.Bool(true)})
	wantErr(t, err, 400, "parameter_invalid", "refund_application_fee", "refund_application_fee on a destination charge requires reverse_transfer=true…")
	// The transfer was reversed by hand: a refund cannot reverse it again.
	tr := e.pGet("", pi.ID, "latest_charge").LatestCharge.Transfer.ID
	if _, err := e.sc.TransferReversals.New(&stripe.TransferReversalParams{ID: stripe.String(tr), Amount: stripe.Int64(900)}); err != nil {
		t.Fatal(err)
	}
	_, err = e.sc.Refunds.New(&stripe.RefundParams{PaymentIntent: stripe.String(pi.ID), Amount: stripe.Int64(500), ReverseTransfer: stripe.Bool(true)})
	wantErr(t, err, 400, "", "reverse_transfer", "The refund would reverse $5.00 of transfer "+tr+", but only $1.00 of it is left to reverse.")
	if c := e.pGet("", pi.ID, "latest_charge").LatestCharge; c.AmountRefunded != 0 {
		t.Fatalf("a refused refund refunded %d", c.AmountRefunded)
	}
}

// TestSeparateChargesAndTransfers: a platform charge with a
// transfer_group, then a transfer funded by it (source_transaction), its
// reversal, and the rules around them.
func TestSeparateChargesAndTransfers(t *testing.T) {
	e := newPayEnv(t)
	seller := addTestAccount(e.srv, "US", "usd")
	pi, err := e.platformIntent(1000, "usd", func(p *stripe.PaymentIntentParams) { p.TransferGroup = stripe.String("kasse-s1") })
	if err != nil {
		t.Fatal(err)
	}
	e.pCollect(pi.ID, "", 0)
	ch := e.pGet("", pi.ID, "latest_charge").LatestCharge
	if ch.TransferGroup != "kasse-s1" || ch.Transfer != nil || ch.ApplicationFee != nil {
		t.Fatalf("charge %+v", ch)
	}
	transfer := func(amount int64, mod func(*stripe.TransferParams)) (*stripe.Transfer, error) {
		p := &stripe.TransferParams{Amount: stripe.Int64(amount), Currency: stripe.String("usd"), Destination: stripe.String(seller),
			TransferGroup: stripe.String("kasse-s1"), SourceTransaction: stripe.String(ch.ID)}
		p.AddMetadata("kasse_sale_id", "s1")
		if mod != nil {
			mod(p)
		}
		return e.sc.Transfers.New(p)
	}
	_, err = transfer(1001, nil)
	wantErr(t, err, 400, "", "amount", "The transfer amount ($10.01) is greater than the funds still available from source_transaction "+ch.ID+" ($10.00).")
	_, err = transfer(970, func(p *stripe.TransferParams) { p.Currency = stripe.String("eur") })
	wantErr(t, err, 400, "parameter_invalid", "currency", "")
	e.setCapability(seller, "transfers", "pending")
	_, err = transfer(970, nil)
	wantErr(t, err, 400, "insufficient_capabilities_for_transfer", "destination", "")
	e.setCapability(seller, "transfers", "active")
	p := &stripe.TransferParams{Amount: stripe.Int64(970), Currency: stripe.String("usd"), Destination: stripe.String(seller)}
	p.SetStripeAccount(seller)
	_, err = e.sc.Transfers.New(p)
	wantErr(t, err, 403, "", "", "")

	tr, err := transfer(970, nil)
	if err != nil {
		t.Fatal(err)
	}
	if tr.Amount != 970 || tr.TransferGroup != "kasse-s1" || tr.SourceTransaction.ID != ch.ID || tr.Metadata["kasse_sale_id"] != "s1" {
		t.Fatalf("transfer %+v", tr)
	}
	// What the charge holds is spent: a second transfer of it is refused.
	_, err = transfer(31, nil)
	wantErr(t, err, 400, "", "amount", "")

	// Listed by group and by destination; the seller sees its payment.
	list := func(lp *stripe.TransferListParams) []*stripe.Transfer {
		var out []*stripe.Transfer
		it := e.sc.Transfers.List(lp)
		for it.Next() {
			out = append(out, it.Transfer())
		}
		if err := it.Err(); err != nil {
			t.Fatal(err)
		}
		return out
	}
	if got := list(&stripe.TransferListParams{TransferGroup: stripe.String("kasse-s1")}); len(got) != 1 || got[0].ID != tr.ID {
		t.Fatalf("by group: %v", got)
	}
	if got := list(&stripe.TransferListParams{TransferGroup: stripe.String("kasse-s2")}); len(got) != 0 {
		t.Fatalf("another group: %v", got)
	}
	if got := list(&stripe.TransferListParams{Destination: stripe.String(seller)}); len(got) != 1 {
		t.Fatalf("by destination: %v", got)
	}
	lp := &stripe.ChargeListParams{}
	lp.SetStripeAccount(seller)
	it := e.sc.Charges.List(lp)
	var py *stripe.Charge
	for it.Next() {
		py = it.Charge()
	}
	if py == nil || py.ID != tr.DestinationPayment.ID || py.Amount != 970 {
		t.Fatalf("the seller's charges: %+v (%v)", py, it.Err())
	}

	// A refund of the platform charge cannot reverse_transfer (it is not a
	// destination charge); the platform reverses the transfer itself.
	_, err = e.sc.Refunds.New(&stripe.RefundParams{PaymentIntent: stripe.String(pi.ID), ReverseTransfer: stripe.Bool(true)})
	wantErr(t, err, 400, "parameter_invalid", "reverse_transfer", "")
	if _, err := e.sc.Refunds.New(&stripe.RefundParams{PaymentIntent: stripe.String(pi.ID), Amount: stripe.Int64(400)}); err != nil {
		t.Fatal(err)
	}
	rp := &stripe.TransferReversalParams{ID: stripe.String(tr.ID), Amount: stripe.Int64(388)}
	rp.AddMetadata("kasse_refund_id", "r1")
	rv, err := e.sc.TransferReversals.New(rp)
	if err != nil {
		t.Fatal(err)
	}
	if rv.Amount != 388 || rv.Transfer.ID != tr.ID || rv.SourceRefund != nil || rv.DestinationPaymentRefund == nil || rv.Metadata["kasse_refund_id"] != "r1" {
		t.Fatalf("reversal %+v", rv)
	}
	_, err = e.sc.TransferReversals.New(&stripe.TransferReversalParams{ID: stripe.String(tr.ID), Amount: stripe.Int64(583)})
	wantErr(t, err, 400, "", "amount", "The reversal amount ($5.83) is greater than the amount left on transfer "+tr.ID+" ($5.82).")
	if _, err := e.sc.TransferReversals.New(&stripe.TransferReversalParams{ID: stripe.String(tr.ID)}); err != nil {
		t.Fatal(err)
	}
	if got := e.getTransfer(tr.ID); got.AmountReversed != 970 || !got.Reversed || len(got.Reversals.Data) != 2 {
		t.Fatalf("transfer %+v", got)
	}
	_, err = e.sc.TransferReversals.New(&stripe.TransferReversalParams{ID: stripe.String(tr.ID), Amount: stripe.Int64(1)})
	wantErr(t, err, 400, "", "amount", "Transfer "+tr.ID+" has already been fully reversed.")
	var revs []*stripe.TransferReversal
	rit := e.sc.TransferReversals.List(&stripe.TransferReversalListParams{ID: stripe.String(tr.ID), ListParams: stripe.ListParams{Limit: stripe.Int64(1)}})
	for rit.Next() {
		revs = append(revs, rit.TransferReversal())
	}
	if rit.Err() != nil || len(revs) != 2 || revs[1].ID != rv.ID {
		t.Fatalf("reversals %v %v", revs, rit.Err())
	}
	if got := e.pEvents("", "transfer."); !eqStrings(got, []string{"transfer.created", "transfer.reversed", "transfer.reversed"}) {
		t.Fatalf("events %v", got)
	}
}

// TestDirectChargeApplicationFee: a direct charge's fee is collected for
// the platform (listed there, account = the seller, charge = the seller's
// charge) and given back in proportion only with refund_application_fee.
func TestDirectChargeApplicationFee(t *testing.T) {
	e := newPayEnv(t)
	seller := addTestAccount(e.srv, "US", "usd")
	p := &stripe.PaymentIntentParams{Amount: stripe.Int64(1000), Currency: stripe.String("usd"),
		PaymentMethodTypes: stripe.StringSlice([]string{"card_present"}), ApplicationFeeAmount: stripe.Int64(30)}
	p.SetStripeAccount(seller)
	pi, err := e.sc.PaymentIntents.New(p)
	if err != nil {
		t.Fatal(err)
	}
	e.pCollect(pi.ID, "", 0)
	ch := e.pGet(seller, pi.ID, "latest_charge").LatestCharge
	fee := e.getFee(ch.ApplicationFee.ID)
	if fee.Account.ID != seller || fee.Charge.ID != ch.ID || fee.OriginatingTransaction != nil || fee.Amount != 30 {
		t.Fatalf("fee %+v", fee)
	}
	var fees []*stripe.ApplicationFee
	it := e.sc.ApplicationFees.List(&stripe.ApplicationFeeListParams{Charge: stripe.String(ch.ID)})
	for it.Next() {
		fees = append(fees, it.ApplicationFee())
	}
	if it.Err() != nil || len(fees) != 1 || fees[0].ID != fee.ID {
		t.Fatalf("list by charge %v %v", fees, it.Err())
	}
	// The seller cannot read the platform's fees.
	gp := &stripe.ApplicationFeeParams{}
	gp.SetStripeAccount(seller)
	if _, err := e.sc.ApplicationFees.Get(fee.ID, gp); err == nil {
		t.Fatal("the seller reads the platform's fee")
	}
	if _, err := e.pRefund(seller, pi.ID, 200); err != nil {
		t.Fatal(err)
	}
	if f := e.getFee(fee.ID); f.AmountRefunded != 0 {
		t.Fatalf("a refund without refund_application_fee refunded %d of the fee", f.AmountRefunded)
	}
	rp := &stripe.RefundParams{PaymentIntent: stripe.String(pi.ID), Amount: stripe.Int64(400), RefundApplicationFee: stripe.Bool(true)}
	rp.SetStripeAccount(seller)
	if _, err := e.sc.Refunds.New(rp); err != nil {
		t.Fatal(err)
	}
	if f := e.getFee(fee.ID); f.AmountRefunded != 12 {
		t.Fatalf("fee refunded %d, want 12 (400/1000 of 30)", f.AmountRefunded)
	}
}

// TestApplicationFeeRefunds: POST/GET /v1/application_fees/{id}/refunds.
func TestApplicationFeeRefunds(t *testing.T) {
	e := newPayEnv(t)
	seller := addTestAccount(e.srv, "US", "usd")
	pi, err := e.platformIntent(1000, "usd", destination(seller, 50))
	if err != nil {
		t.Fatal(err)
	}
	e.pCollect(pi.ID, "", 0)
	feeID := e.pGet("", pi.ID, "latest_charge").LatestCharge.ApplicationFee.ID
	fr, err := e.sc.FeeRefunds.New(&stripe.FeeRefundParams{ID: stripe.String(feeID), Amount: stripe.Int64(20)})
	if err != nil {
		t.Fatal(err)
	}
	if fr.Amount != 20 || fr.Fee.ID != feeID {
		t.Fatalf("fee refund %+v", fr)
	}
	_, err = e.sc.FeeRefunds.New(&stripe.FeeRefundParams{ID: stripe.String(feeID), Amount: stripe.Int64(31)})
	wantErr(t, err, 400, "", "amount", "Refund amount ($0.31) is greater than unrefunded amount on application fee ($0.30)")
	if _, err := e.sc.FeeRefunds.New(&stripe.FeeRefundParams{ID: stripe.String(feeID)}); err != nil {
		t.Fatal(err)
	}
	_, err = e.sc.FeeRefunds.New(&stripe.FeeRefundParams{ID: stripe.String(feeID)})
	wantErr(t, err, 400, "", "amount", "Application fee "+feeID+" has already been refunded.")
	var got []*stripe.FeeRefund
	it := e.sc.FeeRefunds.List(&stripe.FeeRefundListParams{ID: stripe.String(feeID)})
	for it.Next() {
		got = append(got, it.FeeRefund())
	}
	if it.Err() != nil || len(got) != 2 || got[1].ID != fr.ID || got[0].Amount != 30 {
		t.Fatalf("fee refunds %v %v", got, it.Err())
	}
	if f := e.getFee(feeID); !f.Refunded || f.AmountRefunded != 50 {
		t.Fatalf("fee %+v", f)
	}
	_, err = e.sc.ApplicationFees.Get("fee_missing", nil)
	wantErr(t, err, http.StatusNotFound, "resource_missing", "id", "No such application_fee: 'fee_missing'")
}

// TestConnectObjectsPersist: transfers (with their reversals) and
// application fees (with their refunds) survive a restart from the state
// file.
func TestConnectObjectsPersist(t *testing.T) {
	path := t.TempDir() + "/state.json"
	e := newPayEnvOpts(t, Options{Seed: "none", StateFile: path})
	seller := addTestAccount(e.srv, "US", "usd")
	pi, err := e.platformIntent(1000, "usd", destination(seller, 30))
	if err != nil {
		t.Fatal(err)
	}
	e.pCollect(pi.ID, "", 0)
	if _, err := e.sc.Refunds.New(&stripe.RefundParams{PaymentIntent: stripe.String(pi.ID), Amount: stripe.Int64(500),
		ReverseTransfer: stripe.Bool(true), RefundApplicationFee: stripe.Bool(true)}); err != nil {
		t.Fatal(err)
	}
	ch := e.pGet("", pi.ID, "latest_charge").LatestCharge
	if err := e.srv.Close(); err != nil {
		t.Fatal(err)
	}
	e2 := newPayEnvOpts(t, Options{StateFile: path})
	tr := e2.getTransfer(ch.Transfer.ID)
	if tr.AmountReversed != 500 || len(tr.Reversals.Data) != 1 {
		t.Fatalf("transfer after reload %+v", tr)
	}
	if f := e2.getFee(ch.ApplicationFee.ID); f.AmountRefunded != 15 || len(f.Refunds.Data) != 1 {
		t.Fatalf("fee after reload %+v", f)
	}
	// The index of transfers by source charge is rebuilt: what the charge
	// holds is still spent.
	_, err = e2.sc.Transfers.New(&stripe.TransferParams{Amount: stripe.Int64(1), Currency: stripe.String("usd"),
		Destination: stripe.String(seller), SourceTransaction: stripe.String(ch.ID)})
	wantErr(t, err, 400, "", "amount", "")
}
