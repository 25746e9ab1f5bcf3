package config

import (
	"reflect"
	"strings"
	"testing"

	"kasse/pos"
)

// TestSellers: [[sellers]] sets each seller's charge type, fee rule and
// refund policy; a seller is named by account id or display name, the id
// winning; sellers not named are charged directly without a fee.
func TestSellers(t *testing.T) {
	isolate(t)
	c := mustLoad(t, `
[[sellers]]
name = "Lumen Coffee"
charge_type = "destination"
fee_percent = 2.5
fee_fixed = { usd = "0.30", jpy = "30", kwd = "0.100" }
refund_fee = true

[[sellers]]
account = "acct_1Sonnenkorn0001"
charge_type = "separate"
fee_percent = "1.875%"

[[sellers]]
name = "Sonnenkorn"
charge_type = "destination"
refund_fee = false
`)
	if s := c.ChargeSetup(pos.Seller{ID: "acct_2", DisplayName: "Sonnenkorn"}); s.Type != pos.ChargeDestination || s.RefundFee {
		t.Fatalf("by name, refund_fee = false: %+v", s)
	}
	lumen := c.ChargeSetup(pos.Seller{ID: "acct_x", DisplayName: " lumen coffee "})
	want := pos.ChargeSetup{Type: pos.ChargeDestination, RefundFee: true,
		Fee: pos.FeeRule{Percent: 2500, Fixed: map[string]int64{"usd": 30, "jpy": 30, "kwd": 100}}}
	if !reflect.DeepEqual(lumen, want) {
		t.Fatalf("Lumen: %+v\nwant   %+v", lumen, want)
	}
	// The id wins over the name that also matches.
	son := c.ChargeSetup(pos.Seller{ID: "acct_1Sonnenkorn0001", DisplayName: "Sonnenkorn"})
	if son.Type != pos.ChargeSeparate || son.Fee.Percent != 1875 || !son.RefundFee { // refund_fee defaults to true
		t.Fatalf("Sonnenkorn: %+v", son)
	}
	if other := c.ChargeSetup(pos.Seller{ID: "acct_9", DisplayName: "Sakura Ramen"}); !reflect.DeepEqual(other, pos.ChargeSetup{Type: pos.ChargeDirect, RefundFee: true}) {
		t.Fatalf("an unnamed seller: %+v", other)
	}
}

// TestSellersValidation: every bad [[sellers]] value is refused with its
// table, key and a message saying what is wrong.
func TestSellersValidation(t *testing.T) {
	isolate(t)
	cases := []struct{ body, want string }{
		{`charge_type = "destination"`, `sellers[0].account: must be set (account = "acct_…"), or name the seller by its display name (name = "…")`},
		{"account = \"acct_1\"\nname = \"x\"", "sellers[0].name: give either account or name, not both"},
		{`account = "cus_1"`, `sellers[0].account: "cus_1" is not a connected account id (acct_ and letters or digits)`},
		{`name = " "`, "sellers[0].name: must not be empty"},
		{"name = \"x\"\ncharge_type = \"destination_charge\"", `sellers[0].charge_type: "destination_charge" is not one of direct, destination, separate`},
		{"name = \"x\"\nfee_percent = 101", `sellers[0].fee_percent: "101" is above 100 percent: the fee would be more than the sale`},
		{"name = \"x\"\nfee_percent = \"100.5\"", `sellers[0].fee_percent: "100.5" is above 100 percent`},
		{"name = \"x\"\nfee_percent = -1", `sellers[0].fee_percent: "-1" is negative: a platform fee cannot pay the seller`},
		{"name = \"x\"\nfee_percent = \"2.5555\"", `sellers[0].fee_percent: "2.5555" has more than 3 decimal places`},
		{"name = \"x\"\nfee_percent = true", "sellers[0].fee_percent: must be a percentage such as 2.5, not the boolean true"},
		{"name = \"x\"\nfee_fixed = { usd = \"-0.30\" }", `sellers[0].fee_fixed.usd: "-0.30" is negative: a platform fee cannot pay the seller`},
		{"name = \"x\"\nfee_fixed = { jpy = \"0.5\" }", "sellers[0].fee_fixed.jpy"},
		{"name = \"x\"\nfee_fixed = { kwd = \"0.105\" }", "sellers[0].fee_fixed.kwd"},
		{"name = \"x\"\nfee_fixed = { usd = 30 }", `sellers[0].fee_fixed.usd: must be a quoted amount such as "0.30", not the integer 30`},
		{"name = \"x\"\nfee_fixed = \"0.30\"", `sellers[0].fee_fixed: must be a table such as { usd = "0.30", eur = "0.25" }, not the string "0.30"`},
		{"name = \"x\"\nrefund_fee = \"yes\"", `sellers[0].refund_fee: must be true or false, not the string "yes"`},
		{"name = \"x\"\nfee = 2", "sellers.fee: unknown key"},
	}
	for _, tc := range cases {
		_, path, err := loadFile(t, "[[sellers]]\n"+tc.body+"\n")
		if err == nil || !strings.Contains(err.Error(), path+": "+tc.want) {
			t.Errorf("%q:\n got %v\nwant %s: %s", tc.body, err, path, tc.want)
		}
	}
	_, path, err := loadFile(t, "[[sellers]]\nname = \"Lumen\"\n[[sellers]]\nname = \"lumen\"\n")
	if err == nil || !strings.Contains(err.Error(), path+": sellers[1].name: names the same seller as sellers[0]") {
		t.Errorf("duplicate: %v", err)
	}
	_, path, err = loadFile(t, "sellers = 3\n")
	if err == nil || !strings.Contains(err.Error(), path+": sellers: must be [[sellers]] tables") {
		t.Errorf("not tables: %v", err)
	}
}
