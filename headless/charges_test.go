package headless_test

import (
	"bytes"
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"kasse/headless"
	"kasse/i18n"
	"kasse/internal/cli"
	"kasse/pos"
)

// chargedSellers gives sellers their charge setups, as the configuration
// does.
type chargedSellers struct {
	pos.Sellers
	of map[pos.Account]pos.ChargeSetup
}

func (c chargedSellers) ListSellers(ctx context.Context) ([]pos.Seller, error) {
	list, err := c.Sellers.ListSellers(ctx)
	for i := range list {
		list[i].Charges = c.of[list[i].ID]
	}
	return list, err
}

func (c chargedSellers) GetSeller(ctx context.Context, id pos.Account) (pos.Seller, error) {
	s, err := c.Sellers.GetSeller(ctx, id)
	s.Charges = c.of[id]
	return s, err
}

func (e *env) chargedDeps(setups map[pos.Account]pos.ChargeSetup) headless.Deps {
	d := e.deps(headless.ModeSandbox)
	d.Sellers = chargedSellers{Sellers: d.Sellers, of: setups}
	d.Transfers = e.counter.Transfers(e.client)
	return d
}

// TestChargeTypesHeadless: kasse charge sells with each seller's charge
// type, reaching the reader with the same two payment requests (create,
// process) after the same look-ups (seller, reader, locations); a separate charge
// transfers the seller's part before it reports.
func TestChargeTypesHeadless(t *testing.T) {
	rule := pos.FeeRule{Percent: 2500}
	for _, typ := range pos.ChargeTypes() {
		t.Run(string(typ), func(t *testing.T) {
			e := newEnv(t, nil)
			seller, reader := e.sellers["usd"], e.readers["usd"]
			d := e.chargedDeps(map[pos.Account]pos.ChargeSetup{seller.ID: {Type: typ, Fee: rule}})
			code, r, errOut := e.chargeJSON(t, d, "--seller", string(seller.ID), "--reader", reader.ID, "--amount", "12.50", "--simulate-card", "")
			if code != 0 || r.Status != "approved" || r.ChargeType != string(typ) || r.PlatformFee != 31 {
				t.Fatalf("exit %d: %+v\n%s", code, r, errOut)
			}
			if at := e.atPresent; at["CreateIntent"] != 1 || at["ProcessIntent"] != 1 || at["GetSeller"] != 1 || at["GetReader"] != 1 ||
				at["ListLocations"] != 1 || len(at) != 5 {
				t.Fatalf("requests before the card = %v", at)
			}
			if typ == pos.ChargeSeparate {
				if !strings.HasPrefix(r.Transfer, "tr_") || r.TransferState != "done" || !strings.Contains(r.Message, "$12.19 transferred to the seller") {
					t.Fatalf("separate: %+v", r)
				}
				if n := e.counter.Count("CreateTransfer"); n != 1 {
					t.Fatalf("%d transfers", n)
				}
			} else if r.Transfer != "" {
				t.Fatalf("%s: transfer %q", typ, r.Transfer)
			}
		})
	}
}

// TestChargeTypeRefusals: a seller without the capabilities its charge
// type needs, and a seller's own reader for a platform charge, are refused
// before any payment request.
func TestChargeTypeRefusals(t *testing.T) {
	e := newEnv(t, nil)
	seller, reader := e.sellers["usd"], e.readers["usd"]
	e.srvSetTransfers(t, seller.ID, "inactive")
	d := e.chargedDeps(map[pos.Account]pos.ChargeSetup{seller.ID: {Type: pos.ChargeDestination},
		e.ownSeller.ID: {Type: pos.ChargeSeparate}})
	code, _, errOut := e.charge(t, d, "--seller", string(seller.ID), "--reader", reader.ID, "--amount", "12.50")
	if code != headless.ExitError || !strings.Contains(errOut, "a destination charge needs its transfers capability, and it is inactive") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	code, _, errOut = e.charge(t, d, "--seller", string(e.ownSeller.ID), "--reader", e.ownReader.ID, "--amount", "12.50")
	if code != headless.ExitUsage || !strings.Contains(errOut, "belongs to the seller, but the platform makes a separate charge and transfer for this seller: use a platform reader") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if n := e.counter.Count("CreateIntent") + e.counter.Count("ProcessIntent"); n != 0 {
		t.Fatalf("%d payment requests sent", n)
	}
}

// TestSellersShowChargeTypes: kasse sellers names each seller's charge
// type and fee, and whether it can sell with it.
func TestSellersShowChargeTypes(t *testing.T) {
	e := newEnv(t, nil)
	seller := e.sellers["usd"]
	e.srvSetTransfers(t, seller.ID, "pending")
	d := e.chargedDeps(map[pos.Account]pos.ChargeSetup{seller.ID: {Type: pos.ChargeDestination, RefundFee: true,
		Fee: pos.FeeRule{Percent: 2900, Fixed: map[string]int64{"usd": 30}}}})
	var out, errb bytes.Buffer
	if code := headless.RunSellers(context.Background(), d.Sellers, []string{"--json"}, cli.IO{Out: &out, Err: &errb}); code != 0 {
		t.Fatalf("exit %d %s", code, errb.String())
	}
	var got []headless.SellerJSON
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	for _, s := range got {
		if s.ID == string(seller.ID) && (s.ChargeType != "destination" || s.Fee != "2.9% + 0.30 USD" || !s.RefundFee ||
			s.Transfers != "pending" || s.CanSell) {
			t.Fatalf("seller %+v", s)
		}
	}
	out.Reset()
	headless.RunSellers(context.Background(), d.Sellers, nil, cli.IO{Out: &out, Err: &errb})
	if !regexp.MustCompile(`Lumen Coffee +US +USD +active +pending +destination +2\.9% \+ \$0\.30 +no`).MatchString(out.String()) {
		t.Fatalf("table:\n%s", out.String())
	}
	// In German: the headings, the charge type and the fee in its words
	// and numbers; Stripe's capability states stay codes.
	out.Reset()
	headless.RunSellers(context.Background(), d.Sellers, nil, cli.IO{Out: &out, Err: &errb, Loc: i18n.New(i18n.German)})
	if !strings.Contains(out.String(), "ÜBERWEISUNGEN") ||
		!regexp.MustCompile(`Lumen Coffee +US +USD +active +pending +Destination +2,9[\s\x{a0}]%[\s\x{a0}]\+[\s\x{a0}]0,30[\s\x{a0}]\$ +nein`).MatchString(out.String()) ||
		!regexp.MustCompile(`Northwind Bikes .* direkt +keine +ja`).MatchString(out.String()) {
		t.Fatalf("German table:\n%s", out.String())
	}
}

func (e *env) srvSetTransfers(tb testing.TB, acct pos.Account, state string) {
	tb.Helper()
	if err := e.srv.SetCapability(string(acct), "transfers", state); err != nil {
		tb.Fatal(err)
	}
}

// TestChargeSetupRefusals: a fee rule without a fixed fee in the sale's
// currency, and a fee that would be the whole sale, are refused before any
// payment request, in the command's language.
func TestChargeSetupRefusals(t *testing.T) {
	e := newEnv(t, nil)
	seller, reader := e.sellers["usd"], e.readers["usd"]
	for _, tc := range []struct {
		fee        pos.FeeRule
		amount     string
		en, german string
	}{
		{pos.FeeRule{Fixed: map[string]int64{"eur": 25}}, "12.50", "has no fixed fee in USD", "hat keine feste Gebühr in USD"},
		{pos.FeeRule{Fixed: map[string]int64{"usd": 50}}, "0.50", "must be below the sale's total $0.50", "muss unter der Summe des Verkaufs 0,50\u00a0$ liegen"},
	} {
		d := e.chargedDeps(map[pos.Account]pos.ChargeSetup{seller.ID: {Type: pos.ChargeDestination, Fee: tc.fee}})
		code, _, errOut := e.charge(t, d, "--seller", string(seller.ID), "--reader", reader.ID, "--amount", tc.amount)
		if code != headless.ExitError || !strings.Contains(errOut, tc.en) {
			t.Errorf("%v: exit %d: %s", tc.fee, code, errOut)
		}
		var out, errb bytes.Buffer
		d.Log = nil
		code = headless.RunCharge(context.Background(), d, []string{"--seller", string(seller.ID), "--reader", reader.ID,
			"--amount", strings.Replace(tc.amount, ".", ",", 1)}, cli.IO{Out: &out, Err: &errb, Loc: i18n.New(i18n.German)})
		if code != headless.ExitError || !strings.Contains(errb.String(), tc.german) {
			t.Errorf("%v in German: exit %d: %s", tc.fee, code, errb.String())
		}
	}
	if n := e.counter.Count("CreateIntent") + e.counter.Count("ProcessIntent"); n != 0 {
		t.Fatalf("%d payment requests sent", n)
	}
}
