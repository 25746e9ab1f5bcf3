package pos

import (
	"reflect"
	"testing"
)

func charges(typ ChargeType, rule FeeRule) func(*SaleConfig) {
	return func(c *SaleConfig) { c.Charges = ChargeSetup{Type: typ, Fee: rule} }
}

// paidOnPlatform is a platform intent that succeeded with tip.
func paidOnPlatform(tip int64) Intent {
	in := paid(IntentSucceeded, tip)
	in.AmountReceived = in.Amount
	return in
}

func (x *h) transferred(id string) *h {
	req := x.req().(CreateTransfer).Request
	return x.do(TransferCreated{At: x.next(), Seq: x.seq(), Transfer: Transfer{ID: id, Amount: req.Amount, Group: req.Group,
		Destination: req.Destination, Metadata: req.Metadata}})
}

// TestChargeTypeRequests: what Enter sends for each charge type — the
// account the intent lives on, the Connect fields, the fee — and that each
// reaches in_progress with the same two sequential requests (create, then
// process_payment_intent).
func TestChargeTypeRequests(t *testing.T) {
	rule := FeeRule{Percent: 2500} // 2.5 % of 10.00 = 0.25
	tests := []struct {
		typ  ChargeType
		acct Account
		want CreateIntentRequest
	}{
		{ChargeDirect, seller, CreateIntentRequest{ApplicationFeeAmount: 25}},
		{ChargeDestination, Platform, CreateIntentRequest{ApplicationFeeAmount: 25, TransferDestination: seller, OnBehalfOf: seller}},
		{ChargeSeparate, Platform, CreateIntentRequest{TransferGroup: "kasse-s1"}},
	}
	for _, tc := range tests {
		t.Run(string(tc.typ), func(t *testing.T) {
			x := start(t, charges(tc.typ, rule))
			requests := 0
			x.charge().expect(SaleCreating, "Record", "CreateIntent")
			requests++
			c := x.req().(CreateIntent)
			if c.Seller != tc.acct {
				t.Fatalf("intent on %q, want %q", c.Seller, tc.acct)
			}
			got := c.Request
			if got.ApplicationFeeAmount != tc.want.ApplicationFeeAmount || got.TransferDestination != tc.want.TransferDestination ||
				got.OnBehalfOf != tc.want.OnBehalfOf || got.TransferGroup != tc.want.TransferGroup {
				t.Fatalf("request %+v, want Connect fields %+v", got, tc.want)
			}
			if x.s.ApplicationFee != 25 {
				t.Fatalf("the platform's fee/share is %d, want 25", x.s.ApplicationFee)
			}
			if tc.typ.OnPlatform() && (got.Metadata[MetaSeller] != string(seller) || got.Metadata[MetaChargeType] != string(tc.typ)) {
				t.Fatalf("a platform intent names its seller and type in metadata: %v", got.Metadata)
			}
			x.created().expect(SaleProcessing, "Record", "ProcessIntent")
			requests++
			if p := x.req().(ProcessIntent); p.Owner != Platform {
				t.Fatalf("process on %q", p.Owner)
			}
			x.accepted().expect(SaleWaitingForCard)
			if requests != 2 {
				t.Fatalf("%d sequential requests from Enter to in_progress, want 2", requests)
			}
			if x.tick(); x.req().(PollReader).Owner != Platform {
				t.Fatal("the poll reads the platform reader")
			}
		})
	}
}

// TestPlatformChargeNeedsPlatformReader: a destination or separate charge
// lives on the platform, which a seller's own reader cannot process: Enter
// is refused before any request.
func TestPlatformChargeNeedsPlatformReader(t *testing.T) {
	for _, typ := range []ChargeType{ChargeDestination, ChargeSeparate} {
		x := start(t, charges(typ, FeeRule{}), func(c *SaleConfig) { c.ReaderOwner = seller })
		x.charge().expect(SaleDraft)
		if x.s.Notice == "" {
			t.Fatalf("%s: no notice", typ)
		}
	}
	x := start(t, charges(ChargeDirect, FeeRule{}), func(c *SaleConfig) { c.ReaderOwner = seller })
	x.charge().expect(SaleCreating, "Record", "CreateIntent")
}

// TestFeeRuleRefusedAtCharge: a fee rule with no fixed part in the sale's
// currency refuses the charge before any request.
func TestFeeRuleRefusedAtCharge(t *testing.T) {
	x := start(t, charges(ChargeDestination, FeeRule{Fixed: map[string]int64{"eur": 25}}))
	x.charge().expect(SaleDraft)
	if x.s.Notice == "" || x.s.Request.Amount != 0 {
		t.Fatalf("notice %q request %+v", x.s.Notice, x.s.Request)
	}
}

// TestSeparateTransfer: once the platform's intent succeeded, the seller's
// part (received less the platform's share) is transferred under the one
// transfer key, recorded first; the sale is Finished only then.
func TestSeparateTransfer(t *testing.T) {
	x := start(t, charges(ChargeSeparate, FeeRule{Percent: 2500})).waiting().tick()
	x.polled(rdr(withIntent(ours(ActionSucceeded), paidOnPlatform(150)))).expect(SaleApproved, "Record", "CreateTransfer")
	if x.s.Finished() || !x.s.InProgress() {
		t.Fatal("an approved separate charge owes its transfer: not finished")
	}
	rec := x.effs[0].(Record)
	ct := x.req().(CreateTransfer)
	if rec.For != OpCreateTransfer || rec.Key != "kasse-s1-transfer" || ct.Key != rec.Key {
		t.Fatalf("record %s %q, transfer key %q", rec.For, rec.Key, ct.Key)
	}
	want := TransferRequest{Amount: 1150 - 25, Currency: "usd", Destination: seller, Group: "kasse-s1", SourceCharge: "ch_1",
		Description: "Kasse sale s1", Metadata: map[string]string{"kasse_sale_id": "s1", "kasse_share": "25"}}
	if !reflect.DeepEqual(ct.Request, want) {
		t.Fatalf("transfer %+v\nwant %+v", ct.Request, want)
	}
	x.transferred("tr_1").expect(SaleApproved)
	if !x.s.Finished() || x.s.Transfer.ID != "tr_1" || x.s.Transfer.State != TransferDone || x.s.InProgress() {
		t.Fatalf("after the transfer: %+v finished=%v", x.s.Transfer, x.s.Finished())
	}
	if x.s.LastError != nil {
		t.Fatalf("LastError %v", x.s.LastError)
	}
}

// TestSeparateTransferUnknown: an answer lost on the way is never followed
// by a second send until a listing of the sale's transfer group proved the
// first created nothing; then it goes out under the same key. A listing
// that shows it adopts it.
func TestSeparateTransferUnknown(t *testing.T) {
	paidNow := func(x *h) *h {
		return x.polled(rdr(withIntent(ours(ActionSucceeded), paidOnPlatform(0)))).expect(SaleApproved, "Record", "CreateTransfer")
	}
	t.Run("absent: resent under the same key", func(t *testing.T) {
		x := paidNow(start(t, charges(ChargeSeparate, FeeRule{Percent: 2500})).waiting().tick())
		key := x.key()
		x.failed(KindUnknown).expect(SaleApproved)
		if x.s.Transfer.State != TransferUnknown || x.s.Finished() {
			t.Fatalf("transfer %+v", x.s.Transfer)
		}
		x.tick().expect(SaleApproved, "FindTransfers")
		if g := x.req().(FindTransfers).Group; g != "kasse-s1" {
			t.Fatalf("looked in group %q", g)
		}
		x.do(TransfersListed{At: x.next(), Seq: x.seq()}).expect(SaleApproved, "Record", "CreateTransfer")
		if x.key() != key || x.s.Transfer.Sends != 2 {
			t.Fatalf("resent under %q (sends %d), want %q", x.key(), x.s.Transfer.Sends, key)
		}
		x.transferred("tr_1")
		if !x.s.Finished() {
			t.Fatal("not finished")
		}
	})
	t.Run("found: adopted, no second send", func(t *testing.T) {
		x := paidNow(start(t, charges(ChargeSeparate, FeeRule{Percent: 2500})).waiting().tick())
		x.failed(KindUnknown).tick().expect(SaleApproved, "FindTransfers")
		x.do(TransfersListed{At: x.next(), Seq: x.seq(), Transfers: []Transfer{{ID: "tr_9", Group: "kasse-s1",
			Metadata: map[string]string{"kasse_sale_id": "s1"}}}}).expect(SaleApproved)
		if x.s.Transfer.ID != "tr_9" || !x.s.Finished() || x.s.Transfer.Sends != 1 {
			t.Fatalf("transfer %+v", x.s.Transfer)
		}
	})
	t.Run("a listing that fails looks again", func(t *testing.T) {
		x := paidNow(start(t, charges(ChargeSeparate, FeeRule{Percent: 2500})).waiting().tick())
		x.failed(KindUnknown).tick().failed(KindUnknown).expect(SaleApproved)
		if x.s.Transfer.Checks != 2 || PollInterval(x.s) <= FastPoll/2 {
			t.Fatalf("checks %d, poll %s", x.s.Transfer.Checks, PollInterval(x.s))
		}
		x.tick().expect(SaleApproved, "FindTransfers")
	})
	t.Run("refused: failed for good, the payment stands", func(t *testing.T) {
		x := paidNow(start(t, charges(ChargeSeparate, FeeRule{Percent: 2500})).waiting().tick())
		x.failed(KindInvalidRequest).expect(SaleApproved)
		if x.s.Transfer.State != TransferFailed || !x.s.Finished() || x.s.LastError != nil {
			t.Fatalf("transfer %+v, last error %v", x.s.Transfer, x.s.LastError)
		}
		x.tick().expect(SaleApproved)
	})
	t.Run("not recorded: never sent, sent on the next tick", func(t *testing.T) {
		x := paidNow(start(t, charges(ChargeSeparate, FeeRule{Percent: 2500})).waiting().tick())
		x.do(RequestNotSent{At: x.next(), Seq: x.seq(), Op: OpCreateTransfer, Reason: "disk full"}).expect(SaleApproved)
		if x.s.Transfer.State != TransferOwed || x.s.Transfer.Sends != 0 {
			t.Fatalf("transfer %+v", x.s.Transfer)
		}
		x.tick().expect(SaleApproved, "Record", "CreateTransfer")
	})
}

// TestSeparateTransferAfterCrash: the journal holds an approved sale whose
// transfer was recorded and sent when the process died. Reconciliation
// (Orphaned, or a console's Resumed) looks the transfer up before any
// resend; a sale killed before the send was recorded sends it.
func TestSeparateTransferAfterCrash(t *testing.T) {
	for _, ev := range []func(x *h) SaleEvent{
		func(x *h) SaleEvent { return Orphaned{At: x.next()} },
		func(x *h) SaleEvent { return Resumed{At: x.next()} },
	} {
		x := start(t, charges(ChargeSeparate, FeeRule{Percent: 2500})).waiting().tick()
		x.polled(rdr(withIntent(ours(ActionSucceeded), paidOnPlatform(0)))).expect(SaleApproved, "Record", "CreateTransfer")
		crashed := x.effs[0].(Record).Sale // what the journal holds
		x.s = crashed
		x.do(ev(x)).expect(SaleApproved, "FindTransfers")
		x.do(TransfersListed{At: x.next(), Seq: x.seq(), Transfers: []Transfer{{ID: "tr_1", Group: "kasse-s1"}}})
		if !x.s.Finished() || x.s.Transfer.Sends != 1 {
			t.Fatalf("transfer %+v", x.s.Transfer)
		}
		// Killed between the approval and the transfer's record: nothing
		// was sent, so it is sent.
		y := start(t, charges(ChargeSeparate, FeeRule{Percent: 2500})).waiting().tick()
		y.polled(rdr(withIntent(ours(ActionSucceeded), paidOnPlatform(0))))
		before := y.s
		before.Transfer = &SaleTransfer{TransferStep: TransferStep{State: TransferOwed}, Amount: 975, Share: 25, Group: "kasse-s1", SourceCharge: "ch_1"}
		before.Pending = Pending{}
		y.s = before
		y.do(ev(y)).expect(SaleApproved, "Record", "CreateTransfer")
	}
}

// TestSeparateTransferNeedsTheCharge: the charge funds the transfer, so
// an approval read without it reads the intent first.
func TestSeparateTransferNeedsTheCharge(t *testing.T) {
	x := start(t, charges(ChargeSeparate, FeeRule{Percent: 2500})).waiting().tick()
	in := paidOnPlatform(0)
	in.LatestCharge = nil
	x.polled(rdr(withIntent(ours(ActionSucceeded), in))).expect(SaleApproved, "GetIntent")
	if g := x.req().(GetIntent); g.Seller != Platform {
		t.Fatalf("read on %q", g.Seller)
	}
	x.read(paidOnPlatform(0)).expect(SaleApproved, "Record", "CreateTransfer")
}

// TestSeparateTransferAllShare: a share of 100 % leaves nothing to
// transfer: no request, finished.
func TestSeparateTransferAllShare(t *testing.T) {
	x := start(t, charges(ChargeSeparate, FeeRule{Percent: 90000})).waiting().tick() // 90 %
	x.s.ApplicationFee = 1000                                                        // as if the rule took it all
	x.polled(rdr(withIntent(ours(ActionSucceeded), paidOnPlatform(0)))).expect(SaleApproved)
	if x.s.Transfer == nil || x.s.Transfer.State != TransferDone || !x.s.Finished() {
		t.Fatalf("transfer %+v", x.s.Transfer)
	}
}

// TestDirectAndDestinationOweNoTransfer: only separate charges transfer.
func TestDirectAndDestinationOweNoTransfer(t *testing.T) {
	for _, typ := range []ChargeType{ChargeDirect, ChargeDestination} {
		x := start(t, charges(typ, FeeRule{Percent: 2500})).waiting().tick()
		x.polled(rdr(withIntent(ours(ActionSucceeded), paidOnPlatform(0)))).expect(SaleApproved)
		if x.s.Transfer != nil || !x.s.Finished() {
			t.Fatalf("%s: transfer %+v", typ, x.s.Transfer)
		}
	}
}
