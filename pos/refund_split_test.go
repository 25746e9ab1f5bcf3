package pos

import (
	"errors"
	"strings"
	"testing"
)

// TestPlanRefund: what each refund takes back from whom, per charge type
// and fee policy, in partial refunds and the last one.
func TestPlanRefund(t *testing.T) {
	direct := ChargeFacts{Type: ChargeDirect, Captured: 1000, Refundable: 1000, Fee: 30}
	dest := ChargeFacts{Type: ChargeDestination, Captured: 1000, Refundable: 1000, Fee: 30, TransferID: "tr_1", Transferred: 1000}
	sep := ChargeFacts{Type: ChargeSeparate, Captured: 1000, Refundable: 1000, Fee: 30, TransferID: "tr_1", Transferred: 970}
	tests := []struct {
		name      string
		f         ChargeFacts
		amount    int64
		refundFee bool
		currency  string
		want      RefundShares
	}{
		{"direct, fee kept", direct, 400, false, "usd", RefundShares{Amount: 400, Seller: 400}},
		{"direct, fee refunded in proportion", direct, 400, true, "usd", RefundShares{Amount: 400, FeeRefund: 12, Seller: 388, Platform: 12}},
		{"direct, 1/3 rounds half up", direct, 333, true, "usd", RefundShares{Amount: 333, FeeRefund: 10, Seller: 323, Platform: 10}},
		{"direct, the last refund takes what is left of the fee",
			ChargeFacts{Type: ChargeDirect, Captured: 1000, Refundable: 600, Fee: 30, FeeRefunded: 12}, 600, true, "usd",
			RefundShares{Amount: 600, FeeRefund: 18, Seller: 582, Platform: 18}},
		{"destination, reversed, fee kept", dest, 400, false, "usd", RefundShares{Amount: 400, Reversal: 400, Seller: 400}},
		{"destination, reversed, fee refunded", dest, 400, true, "usd", RefundShares{Amount: 400, Reversal: 400, FeeRefund: 12, Seller: 388, Platform: 12}},
		{"destination, whole", dest, 1000, true, "usd", RefundShares{Amount: 1000, Reversal: 1000, FeeRefund: 30, Seller: 970, Platform: 30}},
		{"separate, in proportion of the transfer", sep, 400, false, "usd", RefundShares{Amount: 400, Reversal: 388, Seller: 388, Platform: 12}},
		{"separate, the policy does not change it", sep, 400, true, "usd", RefundShares{Amount: 400, Reversal: 388, Seller: 388, Platform: 12}},
		{"separate, the last refund reverses what is left",
			ChargeFacts{Type: ChargeSeparate, Captured: 1000, Refundable: 600, Fee: 30, TransferID: "tr_1", Transferred: 970, Reversed: 388}, 600, false, "usd",
			RefundShares{Amount: 600, Reversal: 582, Seller: 582, Platform: 18}},
		{"jpy separate", ChargeFacts{Type: ChargeSeparate, Captured: 1980, Refundable: 1980, TransferID: "tr_1", Transferred: 1930}, 990, false, "jpy",
			RefundShares{Amount: 990, Reversal: 965, Seller: 965, Platform: 25}},
		{"kwd destination, fee refund in tens of fils", ChargeFacts{Type: ChargeDestination, Captured: 1980, Refundable: 1980, Fee: 50,
			TransferID: "tr_1", Transferred: 1980}, 990, true, "kwd", RefundShares{Amount: 990, Reversal: 990, FeeRefund: 30, Seller: 960, Platform: 30}},
		{"separate, the platform kept it all", ChargeFacts{Type: ChargeSeparate, Captured: 1000, Refundable: 1000, Fee: 1000}, 400, false, "usd",
			RefundShares{Amount: 400, Platform: 400}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := PlanRefund(tc.f, tc.amount, tc.refundFee, tc.currency)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Fatalf("shares %+v\nwant   %+v", got, tc.want)
			}
			if got.Seller+got.Platform != got.Amount {
				t.Fatalf("seller %d + platform %d ≠ refund %d", got.Seller, got.Platform, got.Amount)
			}
		})
	}
}

// TestPlanRefundPartsAddUp: refunding a charge in any number of parts
// takes back exactly the fee and the transfer in all.
func TestPlanRefundPartsAddUp(t *testing.T) {
	for _, typ := range ChargeTypes() {
		for _, parts := range [][]int64{{1}, {333, 333, 334}, {1, 998, 1}, {7, 7, 7, 979}} {
			f := ChargeFacts{Type: typ, Captured: 1000, Refundable: 1000, Fee: 37, TransferID: "tr_1", Transferred: 1000}
			if typ == ChargeSeparate {
				f.Transferred = 963
			}
			var sum RefundShares
			total := int64(0)
			for _, p := range parts {
				total += p
			}
			scale := 1000 / total
			for _, p := range parts {
				sh, err := PlanRefund(f, p*scale, true, "usd")
				if err != nil {
					t.Fatal(err)
				}
				sum.Amount += sh.Amount
				sum.Reversal += sh.Reversal
				sum.FeeRefund += sh.FeeRefund
				f.Refundable -= sh.Amount
				f.Reversed += sh.Reversal
				f.FeeRefunded += sh.FeeRefund
			}
			if f.Refundable != 0 {
				continue // the parts did not refund it all
			}
			switch typ {
			case ChargeSeparate:
				if sum.Reversal != 963 || sum.FeeRefund != 0 {
					t.Fatalf("%s %v: reversed %d (want 963), fee refunds %d", typ, parts, sum.Reversal, sum.FeeRefund)
				}
			case ChargeDestination:
				if sum.Reversal != 1000 || sum.FeeRefund != 37 {
					t.Fatalf("%s %v: reversed %d, fee refunded %d", typ, parts, sum.Reversal, sum.FeeRefund)
				}
			default:
				if sum.Reversal != 0 || sum.FeeRefund != 37 {
					t.Fatalf("%s %v: reversed %d, fee refunded %d", typ, parts, sum.Reversal, sum.FeeRefund)
				}
			}
		}
	}
}

// TestPlanRefundRefusals: a refund that would reverse more than is left of
// the seller's transfer is refused before any request.
func TestPlanRefundRefusals(t *testing.T) {
	manual := ChargeFacts{Type: ChargeSeparate, Captured: 1000, Refundable: 1000, TransferID: "tr_1", Transferred: 970, Reversed: 900}
	if _, err := PlanRefund(manual, 400, false, "usd"); !errors.Is(err, ErrReversalExceeds) ||
		!strings.Contains(err.Error(), "take 3.88 USD back from the seller's transfer, but only 0.70 USD of it is left") {
		t.Fatalf("err %v", err)
	}
	gone := ChargeFacts{Type: ChargeDestination, Captured: 1000, Refundable: 1000, TransferID: "tr_1", Transferred: 1000, Reversed: 1000}
	if _, err := PlanRefund(gone, 1, false, "usd"); !errors.Is(err, ErrReversalExceeds) {
		t.Fatalf("err %v", err)
	}
	unknown := ChargeFacts{Type: ChargeSeparate, Captured: 1000, Refundable: 1000, Fee: 30}
	if _, err := PlanRefund(unknown, 400, false, "usd"); !errors.Is(err, ErrChargeNotResolved) {
		t.Fatalf("err %v", err)
	}
}

func separateRefund(t *testing.T, amount int64) *rh {
	t.Helper()
	r, err := NewRefund(RefundConfig{ID: "r1", SaleID: "s1", Seller: seller, Intent: paidIntent(0), Amount: amount, Reason: RefundDuplicate,
		Facts: ChargeFacts{Type: ChargeSeparate, Fee: 30, TransferID: "tr_1", Transferred: 970}}, t0)
	if err != nil {
		t.Fatal(err)
	}
	return &rh{t: t, r: r, now: t0}
}

// TestRefundReversal: a separate charge's refund is made on the platform,
// then reverses the seller's transfer in proportion under the one
// reversal key, recorded first; the refund is Finished only then.
func TestRefundReversal(t *testing.T) {
	x := separateRefund(t, 400)
	if x.r.ChargeAccount() != Platform || x.r.Shares.Reversal != 388 {
		t.Fatalf("account %q shares %+v", x.r.ChargeAccount(), x.r.Shares)
	}
	if req := x.r.Request(); req.ReverseTransfer || req.RefundApplicationFee || req.Metadata[MetaSeller] != string(seller) {
		t.Fatalf("request %+v", req)
	}
	x.submit().expect(RefundSent, "RecordRefund", "CreateRefund")
	if c := x.lastReq.(CreateRefund); c.Seller != Platform {
		t.Fatalf("refund on %q", c.Seller)
	}
	x.created("succeeded").expect(RefundSucceeded, "RecordRefund", "ReverseTransfer")
	rv := x.lastReq.(ReverseTransfer)
	if rv.Key != "kasse-r1-reverse" || rv.TransferID != "tr_1" || rv.Request.Amount != 388 || rv.Request.Metadata["kasse_refund_id"] != "r1" {
		t.Fatalf("reversal %+v", rv)
	}
	if x.r.Finished() {
		t.Fatal("finished before the reversal")
	}
	x.do(TransferReversed{At: x.next(), Seq: x.seq(), Reversal: TransferReversal{ID: "trr_1", Amount: 388}}).expect(RefundSucceeded)
	if !x.r.Finished() || x.r.Reversal.ID != "trr_1" {
		t.Fatalf("reversal %+v", x.r.Reversal)
	}
}

// TestRefundReversalUnknown: a lost answer reads the transfer and adopts
// the reversal found by kasse_refund_id, or sends again under the same key
// when it is absent; a crash after the refund resumes the reversal.
func TestRefundReversalUnknown(t *testing.T) {
	x := separateRefund(t, 400).submit().created("succeeded")
	key := x.lastReq.(ReverseTransfer).Key
	x.failed(KindUnknown).expect(RefundSucceeded)
	x.do(Tick{At: x.next()}).expect(RefundSucceeded, "ReadTransfer")
	x.do(TransferRead{At: x.next(), Seq: x.seq(), Transfer: Transfer{ID: "tr_1"}}).expect(RefundSucceeded, "RecordRefund", "ReverseTransfer")
	if x.lastReq.(ReverseTransfer).Key != key {
		t.Fatal("resent under another key")
	}
	x.failed(KindUnknown).do(Tick{At: x.next()}).expect(RefundSucceeded, "ReadTransfer")
	x.do(TransferRead{At: x.next(), Seq: x.seq(), Transfer: Transfer{ID: "tr_1", Reversals: []TransferReversal{
		{ID: "trr_other", Metadata: map[string]string{"kasse_refund_id": "r0"}},
		{ID: "trr_7", Metadata: map[string]string{"kasse_refund_id": "r1"}}}}}).expect(RefundSucceeded)
	if x.r.Reversal.ID != "trr_7" || !x.r.Finished() {
		t.Fatalf("reversal %+v", x.r.Reversal)
	}

	// Killed with the reversal sent: the next start reads the transfer.
	y := separateRefund(t, 400).submit().created("succeeded")
	y.r = y.effs[0].(RecordRefund).Refund
	y.do(Resumed{At: y.next()}).expect(RefundSucceeded, "ReadTransfer")
	// Killed after the refund succeeded, before the reversal was planned.
	z := separateRefund(t, 400).submit().created("succeeded")
	z.r.Reversal, z.r.Pending = nil, Pending{}
	z.do(Resumed{At: z.next()}).expect(RefundSucceeded, "RecordRefund", "ReverseTransfer")

	// Refused: the refund stands, the reversal failed for good.
	w := separateRefund(t, 400).submit().created("succeeded").failed(KindInvalidRequest)
	if w.r.Reversal.State != TransferFailed || !w.r.Finished() || w.r.State != RefundSucceeded {
		t.Fatalf("reversal %+v state %s", w.r.Reversal, w.r.State)
	}
}

// TestDestinationRefundRequest: Stripe reverses a destination charge's
// transfer itself: the refund asks for reverse_transfer, and for
// refund_application_fee by the seller's policy.
func TestDestinationRefundRequest(t *testing.T) {
	in := paidIntent(0)
	in.ApplicationFeeAmount = 30
	for _, policy := range []bool{false, true} {
		r, err := NewRefund(RefundConfig{ID: "r1", Seller: seller, Intent: in, Amount: 400, Reason: RefundDuplicate, RefundApplicationFee: policy,
			Facts: ChargeFacts{Type: ChargeDestination, Fee: 30, TransferID: "tr_1", Transferred: 1000}}, t0)
		if err != nil {
			t.Fatal(err)
		}
		req := r.Request()
		if !req.ReverseTransfer || req.RefundApplicationFee != policy || r.ChargeAccount() != Platform || r.Reversal != nil {
			t.Fatalf("policy %v: request %+v", policy, req)
		}
		if r.Shares.Reversal != 400 || (r.Shares.FeeRefund == 12) != policy {
			t.Fatalf("shares %+v", r.Shares)
		}
	}
	// A direct charge with the policy off keeps the fee.
	r, err := NewRefund(RefundConfig{ID: "r1", Seller: seller, Intent: in, Amount: 400, Reason: RefundDuplicate}, t0)
	if err != nil || r.Request().RefundApplicationFee || r.ChargeAccount() != seller || r.Shares.Seller != 400 {
		t.Fatalf("direct: %+v %v", r.Request(), err)
	}
}

// TestFactsOf: a payment's charge type, seller and facts from what Stripe
// shows.
func TestFactsOf(t *testing.T) {
	ch := &Charge{ID: "ch_1", Amount: 1000, AmountCaptured: 1000, AmountRefunded: 400, Captured: true, Status: "succeeded", ApplicationFeeAmount: 30}
	direct := Intent{ID: "pi_1", Account: seller, LatestCharge: ch}
	dest := Intent{ID: "pi_2", Account: Platform, TransferDestination: seller, LatestCharge: ch}
	sep := Intent{ID: "pi_3", Account: Platform, TransferGroup: "kasse-s1", Metadata: map[string]string{MetaSeller: string(seller)}, LatestCharge: ch}
	for _, in := range []Intent{direct, dest, sep} {
		if SellerOf(in) != seller {
			t.Fatalf("%s: seller %q", in.ID, SellerOf(in))
		}
	}
	if ChargeTypeOf(direct) != ChargeDirect || ChargeTypeOf(dest) != ChargeDestination || ChargeTypeOf(sep) != ChargeSeparate {
		t.Fatal("charge types")
	}
	fee := &ApplicationFee{ID: "fee_1", Amount: 30, AmountRefunded: 12}
	tr := &Transfer{ID: "tr_1", Amount: 1000, AmountReversed: 400}
	if f := FactsOf(dest, fee, tr); f != (ChargeFacts{Type: ChargeDestination, Captured: 1000, Refundable: 600, Fee: 30, FeeRefunded: 12,
		TransferID: "tr_1", Transferred: 1000, Reversed: 400}) {
		t.Fatalf("destination facts %+v", f)
	}
	if f := FactsOf(sep, nil, &Transfer{ID: "tr_2", Amount: 970, AmountReversed: 388}); f.Fee != 30 || f.Transferred != 970 || f.Type != ChargeSeparate {
		t.Fatalf("separate facts %+v", f)
	}
	if f := FactsOf(direct, nil, nil); f.Fee != 30 || f.TransferID != "" || f.Refundable != 600 {
		t.Fatalf("direct facts %+v", f)
	}
}
