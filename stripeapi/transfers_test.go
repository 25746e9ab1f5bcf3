package stripeapi

import (
	"testing"

	"github.com/stripe/stripe-go/v76"

	"kasse/pos"
)

// TestTransferAndFeeMapping: transfers come with their reversals and fees
// with their refunds, oldest first (Stripe lists them newest first).
func TestTransferAndFeeMapping(t *testing.T) {
	fake := newFakeStripe(t, cannedStripe)
	c := newClient(t, fake.URL)
	ctx := testCtx(t)
	tr, err := c.GetTransfer(ctx, "tr_1")
	if err != nil {
		t.Fatal(err)
	}
	if tr.Amount != 1220 || tr.AmountReversed != 388 || tr.Destination != seller || tr.DestinationPayment != "py_1" ||
		tr.SourceCharge != "ch_1" || tr.Group != "kasse-s1" || tr.Unreversed() != 832 || len(tr.Reversals) != 2 ||
		tr.Reversals[0].ID != "trr_1" || tr.Reversals[0].SourceRefund != "re_1" || tr.Reversals[1].Metadata["kasse_refund_id"] != "r2" {
		t.Fatalf("transfer %+v", tr)
	}
	f, err := c.GetApplicationFee(ctx, "fee_1")
	if err != nil {
		t.Fatal(err)
	}
	if f.Account != seller || f.ChargeID != "py_1" || f.OriginatingCharge != "ch_1" || f.Amount != 30 || f.AmountRefunded != 12 ||
		len(f.Refunds) != 1 || f.Refunds[0].Amount != 12 || f.Refunds[0].FeeID != "fee_1" {
		t.Fatalf("fee %+v", f)
	}
}

// TestConnectIntentFields: a destination or separate charge is made on
// the platform; naming a seller's account for one is refused before any
// request. An intent's Connect fields are read back.
func TestConnectIntentFields(t *testing.T) {
	fake := newFakeStripe(t, cannedStripe)
	c := newClient(t, fake.URL)
	_, err := c.CreateIntent(testCtx(t), seller, pos.CreateIntentRequest{Amount: 1250, Currency: "usd", TransferDestination: seller}, "k1")
	if !pos.IsKind(err, pos.KindInvalidRequest) {
		t.Fatalf("err %v", err)
	}
	if n := len(fake.take()); n != 0 {
		t.Fatalf("%d requests sent", n)
	}
	in := toIntent(&stripe.PaymentIntent{ID: "pi_1", TransferData: &stripe.PaymentIntentTransferData{Destination: &stripe.Account{ID: "acct_1"}},
		OnBehalfOf: &stripe.Account{ID: "acct_1"}, TransferGroup: "kasse-s1",
		LatestCharge: &stripe.Charge{ID: "ch_1", Object: "charge", Transfer: &stripe.Transfer{ID: "tr_1"},
			ApplicationFee: &stripe.ApplicationFee{ID: "fee_1"}, ApplicationFeeAmount: 30}}, pos.Platform, tipIndex{})
	if in.TransferDestination != "acct_1" || in.OnBehalfOf != "acct_1" || in.TransferGroup != "kasse-s1" ||
		in.LatestCharge.TransferID != "tr_1" || in.LatestCharge.ApplicationFeeID != "fee_1" || in.LatestCharge.ApplicationFeeAmount != 30 {
		t.Fatalf("intent %+v charge %+v", in, in.LatestCharge)
	}
}
