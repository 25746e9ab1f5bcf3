package e2e

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"kasse/journal"
	"kasse/pos"
)

// Issue 15: the three Connect charge types end to end. Each test runs its
// own sandbox and configures Lumen Coffee's charge type ([[sellers]]) with
// a 2.5% platform fee that is refunded with refunds (refund_fee = true):
//
//	12.50 sale: fee 2.5% = 0.3125 → 0.31 (half up to the cent)
//	direct:      the intent on the seller, application_fee_amount 31
//	destination: the intent on the platform, transfer_data[destination]
//	             Lumen, on_behalf_of Lumen, application_fee_amount 31; the
//	             transfer of 12.50 to Lumen, the 0.31 fee back to the
//	             platform (an application fee)
//	separate:    the intent on the platform, transfer_group kasse-<sale>;
//	             the transfer of 12.19 (12.50 − 0.31) to Lumen after it
//	             succeeded
//	5.00 refund: the fee's share 0.31 × 5/12.50 = 0.124 → 0.12 back to the
//	             seller; direct: the seller refunds, application fee refund
//	             0.12; destination: reverse_transfer 5.00 and the 0.12 fee
//	             refunded; separate: the transfer reversed by 12.19 ×
//	             5/12.50 = 4.876 → 4.88. In every case the customer gets
//	             5.00: 4.88 from the seller, 0.12 from the platform.

// sellerConfig is Lumen's [[sellers]] block for a charge type.
func sellerConfig(seller, chargeType string) string {
	return "\n[[sellers]]\naccount = \"" + seller + "\"\ncharge_type = \"" + chargeType +
		"\"\nfee_percent = 2.5\nrefund_fee = true\n"
}

// withSeller appends Lumen's charge type to the world's configuration
// (written first by withOperators, or created here).
func (w *world) withSeller(t *testing.T, chargeType string) {
	t.Helper()
	dir := filepath.Join(w.config, "kasse")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(filepath.Join(dir, "config.toml"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(sellerConfig(w.lumen.Seller, chargeType)); err != nil {
		t.Fatal(err)
	}
}

// Stripe's objects as the tests read them.
type connectIntent struct {
	ID                   string            `json:"id"`
	Status               string            `json:"status"`
	Amount               int64             `json:"amount"`
	LatestCharge         string            `json:"latest_charge"`
	ApplicationFeeAmount *int64            `json:"application_fee_amount"`
	OnBehalfOf           *string           `json:"on_behalf_of"`
	TransferGroup        *string           `json:"transfer_group"`
	Metadata             map[string]string `json:"metadata"`
	TransferData         *struct {
		Destination string `json:"destination"`
	} `json:"transfer_data"`
}

type apiTransfer struct {
	ID                 string  `json:"id"`
	Amount             int64   `json:"amount"`
	AmountReversed     int64   `json:"amount_reversed"`
	Destination        string  `json:"destination"`
	DestinationPayment string  `json:"destination_payment"`
	SourceTransaction  *string `json:"source_transaction"`
	TransferGroup      *string `json:"transfer_group"`
}

type apiFee struct {
	ID             string `json:"id"`
	Amount         int64  `json:"amount"`
	AmountRefunded int64  `json:"amount_refunded"`
	Account        string `json:"account"`
	Charge         string `json:"charge"`
}

type connectRefund struct {
	ID               string  `json:"id"`
	Amount           int64   `json:"amount"`
	Status           string  `json:"status"`
	TransferReversal *string `json:"transfer_reversal"`
}

func (w *world) intentOn(t *testing.T, account, id string) connectIntent {
	t.Helper()
	var in connectIntent
	if err := w.api.do(http.MethodGet, "/v1/payment_intents/"+id, account, nil, &in); err != nil {
		t.Fatalf("intent %s on %q: %v", id, account, err)
	}
	return in
}

func (w *world) transfersOf(t *testing.T, q url.Values) []apiTransfer {
	t.Helper()
	trs, err := list[apiTransfer](w.api, "/v1/transfers", "", q)
	if err != nil {
		t.Fatal(err)
	}
	return trs
}

func (w *world) feesOf(t *testing.T, charge string) []apiFee {
	t.Helper()
	fees, err := list[apiFee](w.api, "/v1/application_fees", "", url.Values{"charge": {charge}})
	if err != nil {
		t.Fatal(err)
	}
	return fees
}

func (w *world) refundsOf(t *testing.T, account, pi string) []connectRefund {
	t.Helper()
	rs, err := list[connectRefund](w.api, "/v1/refunds", account, url.Values{"payment_intent": {pi}})
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

// saleOfIntent is the journal's sale of an intent.
func (w *world) saleOfIntent(t *testing.T, pi string) journal.SaleRecord {
	t.Helper()
	for _, r := range w.sales(t) {
		if r.Sale.IntentID == pi {
			return r
		}
	}
	t.Fatalf("no sale of %s in the journal", pi)
	return journal.SaleRecord{}
}

// TestConsoleSaleAndRefundPerChargeType: for each charge type, a 12.50
// sale at Lumen Coffee in the console — the seller picker names the type,
// the receipt says "sold by … via …" — then bea refunds 5.00 in the back
// office, where the form shows what the refund takes back from whom before
// she confirms; Stripe holds each type's objects on the right account.
func TestConsoleSaleAndRefundPerChargeType(t *testing.T) {
	for _, tc := range []struct {
		typ, via string
	}{
		{"direct", "via direct charge"},
		{"destination", "via destination charge"},
		{"separate", "via separate charge and transfer"},
	} {
		t.Run(tc.typ, func(t *testing.T) {
			w := newWorld(t)
			w.withOperators(t, map[string]string{"bea": beaPIN})
			w.withSeller(t, tc.typ)
			c := w.startConsole(t)
			c.requireBackOffice()
			c.typeText("lumen")
			c.waitFor(5*time.Second, "Lumen Coffee", tc.typ, "fee 2.5%")
			c.send("C-u")
			pi := intentOnScreen(t, c.ringUp("1250", "$12.50"))
			c.presentTestCard(0)
			c.waitFor(15*time.Second, "APPROVED", pi, "sold by Lumen Coffee", tc.via)

			// Stripe's side of the sale.
			account := ""
			if tc.typ == "direct" {
				account = w.lumen.Seller
			}
			in := w.intentOn(t, account, pi)
			// A payment on the platform names its seller and charge type
			// in its metadata; a direct one is on the seller itself.
			if in.Status != pos.IntentSucceeded || (account == "" && (in.Metadata[pos.MetaSeller] != w.lumen.Seller ||
				in.Metadata[pos.MetaChargeType] != tc.typ)) {
				t.Fatalf("intent %+v", in)
			}
			rec := w.saleOfIntent(t, pi)
			var tr apiTransfer
			switch tc.typ {
			case "direct":
				if in.ApplicationFeeAmount == nil || *in.ApplicationFeeAmount != 31 || in.TransferData != nil {
					t.Fatalf("direct intent %+v", in)
				}
			case "destination":
				if in.ApplicationFeeAmount == nil || *in.ApplicationFeeAmount != 31 || in.TransferData == nil ||
					in.TransferData.Destination != w.lumen.Seller || in.OnBehalfOf == nil || *in.OnBehalfOf != w.lumen.Seller {
					t.Fatalf("destination intent %+v", in)
				}
				trs := w.transfersOf(t, url.Values{"destination": {w.lumen.Seller}})
				if len(trs) != 1 || trs[0].Amount != 1250 {
					t.Fatalf("transfers to Lumen %+v, want one of 1250", trs)
				}
				tr = trs[0]
			case "separate":
				group := pos.TransferGroupOf(rec.Sale.ID)
				if in.ApplicationFeeAmount != nil || in.TransferData != nil || in.TransferGroup == nil || *in.TransferGroup != group {
					t.Fatalf("separate intent %+v", in)
				}
				var trs []apiTransfer
				eventually(10*time.Second, 50*time.Millisecond, func() bool {
					trs = w.transfersOf(t, url.Values{"transfer_group": {group}})
					return len(trs) > 0
				})
				if len(trs) != 1 || trs[0].Amount != 1219 || trs[0].Destination != w.lumen.Seller ||
					trs[0].SourceTransaction == nil || *trs[0].SourceTransaction != in.LatestCharge {
					t.Fatalf("transfers of %s: %+v, want one of 1219 to Lumen from %s", group, trs, in.LatestCharge)
				}
				tr = trs[0]
				if !eventually(10*time.Second, 50*time.Millisecond, func() bool {
					s := w.saleOfIntent(t, pi).Sale
					return s.Transfer != nil && s.Transfer.State == pos.TransferDone && s.Transfer.ID == tr.ID
				}) {
					t.Fatalf("the journal's transfer: %+v", w.saleOfIntent(t, pi).Sale.Transfer)
				}
			}
			// The fee is taken from the charge on the seller: the direct
			// charge, or the destination charge's payment (py_…) there.
			feeCharge := in.LatestCharge
			if tc.typ == "destination" {
				feeCharge = tr.DestinationPayment
			}
			if tc.typ != "separate" {
				if fees := w.feesOf(t, feeCharge); len(fees) != 1 || fees[0].Amount != 31 || fees[0].Account != w.lumen.Seller {
					t.Fatalf("application fees of %s: %+v, want one of 31 from Lumen", feeCharge, fees)
				}
			}

			// The refund: bea sees the split before she confirms.
			c.toSellers()
			c.openTransactions(pi, "approved")
			c.send("Enter")
			c.waitFor(10*time.Second, "Payment "+pi, "Refundable", "$12.50")
			c.send("r")
			c.waitFor(10*time.Second, "Refund "+pi, "empty = all $12.50 still refundable")
			c.typeText("5")
			c.send("Tab", "Right", "Tab")
			c.typeText("e2e")
			c.send("Tab", "Tab")
			c.typeText(beaPIN)
			want := []string{"The customer gets $5.00 back: $4.88 from the seller, $0.12 from the platform",
				"Platform fee refunded to the seller: $0.12"}
			switch tc.typ {
			case "destination":
				want = append(want, "Transfer to the seller reversed: $5.00")
			case "separate":
				want = []string{"The customer gets $5.00 back: $4.88 from the seller, $0.12 from the platform",
					"Transfer to the seller reversed: $4.88"}
			}
			c.waitFor(10*time.Second, want...)
			c.send("Enter")
			c.waitFor(30*time.Second, "succeeded: $5.00. Still refundable: $7.50.")

			rs := w.refundsOf(t, account, pi)
			if len(rs) != 1 || rs[0].Amount != 500 || rs[0].Status != "succeeded" {
				t.Fatalf("refunds of %s: %+v", pi, rs)
			}
			switch tc.typ {
			case "direct":
				if rs[0].TransferReversal != nil {
					t.Fatalf("a direct refund with a transfer reversal: %+v", rs[0])
				}
				if fees := w.feesOf(t, feeCharge); len(fees) != 1 || fees[0].AmountRefunded != 12 {
					t.Fatalf("the fee after the refund: %+v, want 12 refunded", fees)
				}
			case "destination":
				if rs[0].TransferReversal == nil {
					t.Fatalf("a destination refund without reverse_transfer: %+v", rs[0])
				}
				if trs := w.transfersOf(t, url.Values{"destination": {w.lumen.Seller}}); len(trs) != 1 || trs[0].AmountReversed != 500 {
					t.Fatalf("the transfer after the refund: %+v, want 500 reversed", trs)
				}
				if fees := w.feesOf(t, feeCharge); len(fees) != 1 || fees[0].AmountRefunded != 12 {
					t.Fatalf("the fee after the refund: %+v, want 12 refunded", fees)
				}
			case "separate":
				var trs []apiTransfer
				eventually(10*time.Second, 50*time.Millisecond, func() bool {
					trs = w.transfersOf(t, url.Values{"transfer_group": {pos.TransferGroupOf(rec.Sale.ID)}})
					return len(trs) == 1 && trs[0].AmountReversed > 0
				})
				if len(trs) != 1 || trs[0].ID != tr.ID || trs[0].AmountReversed != 488 {
					t.Fatalf("the transfer after the refund: %+v, want %s with 488 reversed", trs, tr.ID)
				}
			}
			t.Logf("%s: sale %s, intent %s; refund %s", tc.typ, rec.Sale.ID, pi, rs[0].ID)
		})
	}
}

// TestHeadlessKilledBetweenChargeAndTransfer: a separate charge's transfer
// is held by the sandbox (latency fault, first call only) after the sale
// was approved and the transfer's idempotency key recorded; kasse charge
// is SIGKILLed in that window. The sandbox makes the held transfer anyway
// (its answer never reaches anyone); kasse reconcile finds it by the
// sale's transfer group and settles the sale without sending again: one
// transfer, exactly.
func TestHeadlessKilledBetweenChargeAndTransfer(t *testing.T) {
	w := newWorld(t, "--fault", "latency=3s@POST:/v1/transfers x1")
	w.withSeller(t, "separate")
	cmd, out, errOut := w.charge("--seller", w.lumen.Seller, "--reader", w.lumen.Reader, "--amount", "12.50",
		"--simulate-card", visa, "--timeout", "1m")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	t.Cleanup(func() { _ = cmd.Process.Kill(); <-done })

	var rec journal.SaleRecord
	if !eventually(15*time.Second, 20*time.Millisecond, func() bool {
		recs, err := w.trySales()
		if err != nil || len(recs) != 1 {
			return false
		}
		rec = recs[0]
		s := rec.Sale
		return s.State == pos.SaleApproved && s.Transfer != nil && s.Transfer.State == pos.TransferSent &&
			s.Pending.Op == pos.OpCreateTransfer
	}) {
		t.Fatalf("kasse charge did not reach the transfer: %+v\nstdout: %s\nstderr: %s\nlog:\n%s",
			rec.Sale, out, errOut, w.logTail())
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-done
	sale := w.sale(t, rec.Sale.ID).Sale
	if sale.Finished() || !contains(w.sale(t, sale.ID).Keys, sale.TransferKey()) {
		t.Fatalf("after the kill: finished %v, keys %v, want the transfer key %s recorded and the sale unfinished",
			sale.Finished(), w.sale(t, sale.ID).Keys, sale.TransferKey())
	}
	group := pos.TransferGroupOf(sale.ID)
	// The held request is served after its latency: the transfer exists,
	// but nobody got the answer.
	if !eventually(6*time.Second, 100*time.Millisecond, func() bool {
		return len(w.transfersOf(t, url.Values{"transfer_group": {group}})) == 1
	}) {
		t.Fatalf("the held transfer was never made")
	}

	rc := exec.Command(kasseBin, append(append([]string{"reconcile"}, w.flags()...), "--json")...)
	rc.Env = w.env()
	var o, e strings.Builder
	rc.Stdout, rc.Stderr = &o, &e
	if err := rc.Run(); err != nil {
		t.Fatalf("kasse reconcile: %v\n%s\n%s\nlog:\n%s", err, o.String(), e.String(), w.logTail())
	}
	var rep struct {
		Sales []struct {
			SaleID        string `json:"sale_id"`
			TransferState string `json:"transfer_state"`
			Transfer      string `json:"transfer"`
		} `json:"sales"`
	}
	if err := json.Unmarshal([]byte(o.String()), &rep); err != nil {
		t.Fatalf("kasse reconcile --json: %v\n%s", err, o.String())
	}
	trs := w.transfersOf(t, url.Values{"transfer_group": {group}})
	if len(rep.Sales) != 1 || rep.Sales[0].SaleID != sale.ID || rep.Sales[0].TransferState != string(pos.TransferDone) ||
		len(trs) == 0 || rep.Sales[0].Transfer != trs[0].ID {
		t.Fatalf("kasse reconcile reported %s", o.String())
	}
	if len(trs) != 1 || trs[0].Amount != 1219 || trs[0].Destination != w.lumen.Seller {
		t.Fatalf("transfers of %s after reconcile: %+v, want exactly one of 1219 to Lumen", group, trs)
	}
	after := w.sale(t, sale.ID).Sale
	if !after.Finished() || after.Transfer == nil || after.Transfer.State != pos.TransferDone || after.Transfer.ID != trs[0].ID {
		t.Fatalf("the sale after reconcile: finished %v transfer %+v, want done as %s", after.Finished(), after.Transfer, trs[0].ID)
	}
	if after.Transfer.Sends != sale.Transfer.Sends {
		t.Fatalf("reconcile sent the transfer again (sends %d, was %d)", after.Transfer.Sends, sale.Transfer.Sends)
	}
	assertNothingUnfinished(t, w)
	t.Logf("killed between charge and transfer: %s, transfer %s found by group after %d send(s); reconcile: %s",
		sale.ID, trs[0].ID, after.Transfer.Sends, strings.TrimSpace(o.String()))
}

// TestHeadlessSellersShowChargeTypes: kasse sellers shows Lumen's
// configured charge type and fee, and that it can sell with it.
func TestHeadlessSellersShowChargeTypes(t *testing.T) {
	w := newWorld(t)
	w.withSeller(t, "separate")
	cmd := exec.Command(kasseBin, append(append([]string{"sellers"}, w.flags()...), "--json")...)
	cmd.Env = w.env()
	b, err := cmd.Output()
	if err != nil {
		t.Fatalf("kasse sellers: %v\n%s", err, b)
	}
	var rows []struct {
		ID         string `json:"id"`
		ChargeType string `json:"charge_type"`
		Transfers  string `json:"transfers"`
		Fee        string `json:"fee"`
		CanSell    bool   `json:"can_sell"`
	}
	if err := json.Unmarshal(b, &rows); err != nil {
		t.Fatalf("kasse sellers --json: %v\n%s", err, b)
	}
	for _, r := range rows {
		if r.ID == w.lumen.Seller {
			if r.ChargeType != "separate" || r.Transfers != "active" || r.Fee != "2.5%" || !r.CanSell {
				t.Fatalf("Lumen in kasse sellers: %+v", r)
			}
			return
		}
	}
	t.Fatalf("Lumen is not in kasse sellers --json:\n%s", b)
}
