package config

import (
	"fmt"
	"strings"

	"kasse/i18n"
	"kasse/pos"
)

// SellerCharges is how the platform charges for one seller ([[sellers]]):
// the Connect charge type, the platform's fee rule and the refund policy.
// The seller is named by its account id (account = "acct_…") or, for
// accounts whose id is not known in advance (the sandbox's demo sellers
// get fresh ids), by its display name (name = "Lumen Coffee",
// case-insensitive). A seller the configuration does not name is charged
// directly, without a fee.
type SellerCharges struct {
	Account pos.Account
	Name    string
	Setup   pos.ChargeSetup
}

// Matches reports whether the entry names seller s: by account id, or,
// for an entry without one, by display name (case and surrounding spaces
// ignored).
func (sc SellerCharges) Matches(s pos.Seller) bool {
	if sc.Account != "" {
		return sc.Account == s.ID
	}
	return sc.Name != "" && strings.EqualFold(strings.TrimSpace(s.DisplayName), sc.Name)
}

// ChargeSetup is how the platform charges for seller s: the entry naming
// its account id, else the one naming its display name, else a direct
// charge without a fee (refunds would give a fee back: RefundFee).
func (c *Config) ChargeSetup(s pos.Seller) pos.ChargeSetup {
	for _, byID := range []bool{true, false} {
		for _, sc := range c.Sellers {
			if (sc.Account != "") == byID && sc.Matches(s) {
				return sc.Setup
			}
		}
	}
	return DefaultChargeSetup()
}

// DefaultChargeSetup is the setup of a seller the configuration does not
// name: a direct charge without a fee, whose refunds give a fee back in
// proportion (refund_fee defaults to true: a refunded sale does not cost
// the seller the platform's fee).
func DefaultChargeSetup() pos.ChargeSetup {
	return pos.ChargeSetup{Type: pos.ChargeDirect, RefundFee: true}
}

// sellerTable is one [[sellers]] table as decoded.
type sellerTable struct {
	Account    any `toml:"account"`
	Name       any `toml:"name"`
	ChargeType any `toml:"charge_type"`
	FeePercent any `toml:"fee_percent"`
	FeeFixed   any `toml:"fee_fixed"`
	RefundFee  any `toml:"refund_fee"`
}

// sellerKeys are the keys of a [[sellers]] table.
var sellerKeys = []string{"account", "name", "charge_type", "fee_percent", "fee_fixed", "refund_fee"}

// applySellers reads the [[sellers]] tables. Every problem names the table
// and the key: an unknown charge type, a fee percentage above 100 or
// below 0, a negative or mis-stepped fixed fee, a seller named twice.
func (c *Config) applySellers(tables []sellerTable, src source, el *errs) {
	seen := map[string]int{}
	for i, t := range tables {
		p := fmt.Sprintf("sellers[%d].", i) // i18n:ok the key as in the file
		ok := true
		var sc SellerCharges
		switch {
		case t.Account != nil && t.Name != nil:
			el.add(src, p+"name", i18n.M("cli.config.seller_account_and_name"))
			ok = false
		case t.Account != nil:
			s, msg := checkAccountID(t.Account)
			if msg.ID != "" {
				el.add(src, p+"account", msg)
				ok = false
			}
			sc.Account = pos.Account(s)
		case t.Name != nil:
			s, msg := wantString(t.Name)
			if s = strings.TrimSpace(s); msg.ID == "" && s == "" {
				msg = i18n.M("cli.config.empty")
			}
			if msg.ID != "" {
				el.add(src, p+"name", msg)
				ok = false
			}
			sc.Name = s
		default:
			el.add(src, p+"account", i18n.M("cli.config.seller_unnamed"))
			ok = false
		}
		if who := string(sc.Account) + "\x00" + strings.ToLower(sc.Name); ok {
			if j, dup := seen[who]; dup {
				key := "account"
				if sc.Account == "" {
					key = "name"
				}
				el.add(src, p+key, i18n.M("cli.config.seller_twice", i18n.Args{"Other": fmt.Sprintf("sellers[%d]", j)})) // i18n:ok the key as in the file
				ok = false
			} else {
				seen[who] = i
			}
		}
		sc.Setup = DefaultChargeSetup()
		if t.ChargeType != nil {
			s, msg := oneOf(t.ChargeType, string(pos.ChargeDirect), string(pos.ChargeDestination), string(pos.ChargeSeparate))
			if msg.ID != "" {
				el.add(src, p+"charge_type", msg)
				ok = false
			}
			sc.Setup.Type = pos.ChargeType(s)
		}
		if t.FeePercent != nil {
			v, msg := checkFeePercent(t.FeePercent)
			if msg.ID != "" {
				el.add(src, p+"fee_percent", msg)
				ok = false
			}
			sc.Setup.Fee.Percent = v
		}
		if t.FeeFixed != nil {
			fixed, good := checkFeeFixed(el, src, p+"fee_fixed", t.FeeFixed)
			ok = ok && good
			sc.Setup.Fee.Fixed = fixed
		}
		if t.RefundFee != nil {
			b, msg := wantBool(t.RefundFee)
			if msg.ID != "" {
				el.add(src, p+"refund_fee", msg)
				ok = false
			}
			sc.Setup.RefundFee = b
		}
		if ok {
			if err := sc.Setup.Validate(); err != nil { // belt and braces: pos's own rules
				el.addErr(src, p+"fee_percent", err)
				continue
			}
			c.Sellers = append(c.Sellers, sc)
		}
	}
}

// checkAccountID accepts a connected account id (acct_ and letters or
// digits).
func checkAccountID(v any) (string, i18n.Message) {
	s, msg := wantString(v)
	if msg.ID != "" {
		return "", msg
	}
	s = strings.TrimSpace(s)
	rest, ok := strings.CutPrefix(s, "acct_")
	if !ok || rest == "" || strings.Trim(rest, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") != "" {
		return "", i18n.M("cli.config.account_id", i18n.Args{"Value": q(s)})
	}
	return s, none
}

// checkFeePercent reads a fee percentage, up to three decimals ("2.5",
// 2.9, "1.25%"), in thousandths of a percent (pos.FeeRule.Percent). A
// negative percentage and one above 100 are refused, each with its own
// message.
func checkFeePercent(v any) (int64, i18n.Message) {
	return checkPercent(v, percentWords{most: pos.FeeRuleScale,
		kind: i18n.M("cli.config.fee_percent_type"), negative: i18n.M("cli.config.fee_negative"), syntax: i18n.M("cli.config.fee_percent_syntax"),
		decimals: i18n.M("cli.config.fee_percent_decimals"), high: i18n.M("cli.config.fee_percent_high"),
	})
}

// checkFeeFixed reads a fixed fee table: currency code → quoted amount in
// major units ({ usd = "0.30", jpy = "30" }). A negative amount, one with
// more decimals than its currency has or off its step (KWD "0.105") is
// refused.
func checkFeeFixed(el *errs, src source, key string, v any) (map[string]int64, bool) {
	t, isTable := v.(map[string]any)
	if !isTable {
		el.add(src, key, i18n.M("cli.config.fee_fixed_type", i18n.Args{"Value": describe(v)}))
		return nil, false
	}
	return eachCurrency(el, src, key, t, i18n.M("cli.config.fee_fixed_twice"), func(k, cur string, v any) (int64, bool) {
		s, isString := v.(string)
		if !isString {
			el.add(src, k, i18n.M("cli.config.fee_fixed_amount_type", i18n.Args{"Value": describe(v)}))
			return 0, false
		}
		if strings.HasPrefix(strings.TrimSpace(s), "-") {
			el.add(src, k, i18n.M("cli.config.fee_negative", i18n.Args{"Value": q(s)}))
			return 0, false
		}
		// A decimal point, as every amount in the file; refused in
		// catalogued words (decimals JPY has not, a KWD fee off Stripe's step).
		amount, err := i18n.Neutral().ParseAmount(s, cur)
		if err != nil {
			el.addErr(src, k, err)
			return 0, false
		}
		return amount, true
	})
}
