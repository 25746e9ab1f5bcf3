package pos

import (
	"errors"
	"strings"
	"testing"
)

// TestFeeRuleFee: the platform fee in every currency exponent — zero
// decimals (JPY), two (USD, EUR), three (KWD: Stripe wants the last digit
// 0, so fees round to tens of fils) and ISK (two decimals in the API, whole
// krónur only) — rounded half up, the fixed part per currency, never above
// the amount.
func TestFeeRuleFee(t *testing.T) {
	pct := func(p int64) FeeRule { return FeeRule{Percent: p} }
	fixed := func(p int64, cur string, f int64) FeeRule {
		return FeeRule{Percent: p, Fixed: map[string]int64{cur: f}}
	}
	tests := []struct {
		name     string
		rule     FeeRule
		amount   int64
		currency string
		want     int64
	}{
		{"no rule", FeeRule{}, 1250, "usd", 0},
		{"usd 2.5 % of 12.50 = 31.25 cents → 31", pct(2500), 1250, "usd", 31},
		{"usd 2.5 % of 19.80 = 49.5 cents → 50 (half up)", pct(2500), 1980, "usd", 50},
		{"usd 2.9 % + 0.30 of 10.00", fixed(2900, "usd", 30), 1000, "usd", 59},
		{"usd fixed only", fixed(0, "usd", 30), 1000, "usd", 30},
		{"eur 1.4 % of 0.50 = 0.7 cent → 1", pct(1400), 50, "eur", 1},
		{"eur 1 % of 0.49 = 0.49 cent → 0", pct(1000), 49, "eur", 0},
		{"jpy 3.6 % of ¥1980 = 71.28 → 71", pct(3600), 1980, "jpy", 71},
		{"jpy 2.5 % of ¥1980 = 49.5 → 50", pct(2500), 1980, "jpy", 50},
		{"jpy fixed ¥30", fixed(0, "jpy", 30), 500, "jpy", 30},
		{"kwd 2.5 % of 1.980 = 49.5 fils → 50 (tens)", pct(2500), 1980, "kwd", 50},
		{"kwd 1 % of 1.230 = 12.3 fils → 10", pct(1000), 1230, "kwd", 10},
		{"kwd 1 % of 1.550 = 15.5 fils → 20 (half up to tens)", pct(1000), 1550, "kwd", 20},
		{"kwd 1 % + 0.100", fixed(1000, "kwd", 100), 1230, "kwd", 110},
		{"isk 1 % of 5,000 kr = 50 kr → whole krónur", pct(1000), 500000, "isk", 5000},
		{"isk 1 % of 149 kr = 1.49 kr → 1 kr", pct(1000), 14900, "isk", 100},
		{"100 % is the whole amount", pct(FeeRuleScale), 1250, "usd", 1250},
		{"capped at the amount", fixed(50000, "usd", 1000), 1200, "usd", 1200},
		{"maximum amount does not overflow", pct(FeeRuleScale), MaxAmount, "usd", MaxAmount},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.rule.Fee(tc.amount, tc.currency)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Fatalf("fee %d, want %d", got, tc.want)
			}
			c, _ := LookupCurrency(tc.currency)
			if got%c.Step != 0 && got != tc.amount {
				t.Fatalf("fee %d is off %s's step %d", got, c.Upper(), c.Step)
			}
		})
	}
}

// TestFeeRuleRefusals: bad rules are refused with a message that says what
// is wrong, before any request.
func TestFeeRuleRefusals(t *testing.T) {
	tests := []struct {
		name     string
		rule     FeeRule
		currency string
		sentinel error
		says     string
	}{
		{"above 100 %", FeeRule{Percent: FeeRuleScale + 1}, "usd", ErrFeeRule, "100.001% is above 100%"},
		{"negative percentage", FeeRule{Percent: -500}, "usd", ErrFeeRule, "-0.5% is negative"},
		{"negative fixed part", FeeRule{Fixed: map[string]int64{"usd": -30}}, "usd", ErrFeeRule, "fixed fee -0.30 USD is negative"},
		{"fixed part off KWD's step", FeeRule{Fixed: map[string]int64{"kwd": 105}}, "kwd", ErrAmountPrecision, "last of the three KWD decimals"},
		{"fixed part in another currency", FeeRule{Percent: 2500, Fixed: map[string]int64{"usd": 30}}, "eur", ErrFeeCurrency, "names a fixed fee in USD but none in EUR"},
		{"unknown currency", FeeRule{Percent: 2500}, "xyz", ErrCurrency, "not an ISO 4217"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.rule.Fee(1000, tc.currency)
			if !errors.Is(err, tc.sentinel) || !strings.Contains(err.Error(), tc.says) {
				t.Fatalf("err %v; want %v saying %q", err, tc.sentinel, tc.says)
			}
		})
	}
	if err := (FeeRule{Percent: FeeRuleScale}).Validate(); err != nil {
		t.Fatalf("100 %% is allowed: %v", err)
	}
}

func TestFeeRuleString(t *testing.T) {
	for rule, want := range map[*FeeRule]string{
		{}:              "none",
		{Percent: 2500}: "2.5%",
		{Percent: 2900, Fixed: map[string]int64{"usd": 30, "eur": 25}}: "2.9% + 0.25 EUR | 0.30 USD",
		{Fixed: map[string]int64{"jpy": 30}}:                           "30 JPY",
	} {
		if got := rule.String(); got != want {
			t.Errorf("%+v: %q, want %q", *rule, got, want)
		}
	}
}

func TestParseChargeType(t *testing.T) {
	for in, want := range map[string]ChargeType{"": ChargeDirect, "direct": ChargeDirect, "destination": ChargeDestination, " separate ": ChargeSeparate} {
		if got, err := ParseChargeType(in); err != nil || got != want {
			t.Errorf("%q: %q %v, want %q", in, got, err, want)
		}
	}
	if _, err := ParseChargeType("destination_charge"); !errors.Is(err, ErrChargeType) || !strings.Contains(err.Error(), "use direct, destination or separate") {
		t.Fatalf("err %v", err)
	}
	if Platform != ChargeDestination.IntentAccount("acct_1") || ChargeSeparate.IntentAccount("acct_1") != Platform ||
		ChargeDirect.IntentAccount("acct_1") != "acct_1" || ChargeType("").IntentAccount("acct_1") != "acct_1" {
		t.Fatal("IntentAccount: platform for destination and separate, the seller for direct")
	}
}

// TestCheckCanSell: a seller without the capabilities its charge type
// needs is refused before any request, naming the capability and its
// state.
func TestCheckCanSell(t *testing.T) {
	ok := Seller{ID: "acct_1", DisplayName: "Lumen", CardPayments: CapabilityActive, Transfers: CapabilityActive, ChargesEnabled: true}
	tests := []struct {
		name string
		typ  ChargeType
		mod  func(*Seller)
		says string // "" = can sell
	}{
		{"direct, all active", ChargeDirect, nil, ""},
		{"direct needs card_payments", ChargeDirect, func(s *Seller) { s.CardPayments = CapabilityInactive },
			"Lumen (acct_1) needs the card_payments capability for direct charges, and it is inactive"},
		{"direct does not need transfers", ChargeDirect, func(s *Seller) { s.Transfers = "" }, ""},
		{"direct needs charges enabled", ChargeDirect, func(s *Seller) { s.ChargesEnabled = false }, "has charges disabled"},
		{"destination needs transfers", ChargeDestination, func(s *Seller) { s.Transfers = CapabilityPending },
			"needs the transfers capability for destination charges, and it is pending"},
		{"destination needs card_payments (on_behalf_of)", ChargeDestination, func(s *Seller) { s.CardPayments = "" },
			"needs the card_payments capability for destination charges, and it is not requested"},
		{"destination does not need charges enabled", ChargeDestination, func(s *Seller) { s.ChargesEnabled = false }, ""},
		{"separate needs transfers", ChargeSeparate, func(s *Seller) { s.Transfers = CapabilityInactive },
			"needs the transfers capability for separate charges"},
		{"separate does not need card_payments", ChargeSeparate, func(s *Seller) { s.CardPayments = CapabilityInactive }, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := ok
			s.Charges.Type = tc.typ
			if tc.mod != nil {
				tc.mod(&s)
			}
			err := s.CheckCanSell()
			switch {
			case tc.says == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tc.says != "" && (!errors.Is(err, ErrCapability) || !strings.Contains(err.Error(), tc.says)):
				t.Fatalf("err %v; want ErrCapability saying %q", err, tc.says)
			}
		})
	}
}

// TestPlanTransfer: the seller gets what was received less the platform's
// share; a transfer larger than the charge is refused before any request.
func TestPlanTransfer(t *testing.T) {
	tests := []struct {
		received, share, want int64
		currency              string
		err                   error
	}{
		{1375, 31, 1344, "usd", nil}, // 12.50 + 1.25 tip, 2.5 % of 12.50
		{1980, 50, 1930, "jpy", nil},
		{1980, 50, 1930, "kwd", nil},
		{1000, 1000, 0, "usd", nil}, // the platform keeps all
		{800, 1000, 0, "usd", nil},  // a partial capture below the share
		{1000, -1, 0, "usd", ErrTransferExceeds},
		{0, 0, 0, "usd", ErrTransferExceeds},
	}
	for _, tc := range tests {
		got, err := PlanTransfer(tc.received, tc.share, tc.currency)
		if !errors.Is(err, tc.err) || err == nil && got != tc.want {
			t.Errorf("PlanTransfer(%d, %d, %s) = %d, %v; want %d, %v", tc.received, tc.share, tc.currency, got, err, tc.want, tc.err)
		}
	}
	if err := CheckTransfer(1001, 1000, "usd"); !errors.Is(err, ErrTransferExceeds) || !strings.Contains(err.Error(), "10.01 USD is larger than the 10.00 USD") {
		t.Fatalf("CheckTransfer: %v", err)
	}
	if err := CheckTransfer(1000, 1000, "usd"); err != nil {
		t.Fatal(err)
	}
}
