package config

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

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
		p := fmt.Sprintf("sellers[%d].", i)
		ok := true
		var sc SellerCharges
		switch {
		case t.Account != nil && t.Name != nil:
			el.add(src, p+"name", "give either account or name, not both")
			ok = false
		case t.Account != nil:
			s, msg := checkAccountID(t.Account)
			if msg != "" {
				el.add(src, p+"account", "%s", msg)
				ok = false
			}
			sc.Account = pos.Account(s)
		case t.Name != nil:
			s, msg := wantString(t.Name)
			if s = strings.TrimSpace(s); msg == "" && s == "" {
				msg = "must not be empty"
			}
			if msg != "" {
				el.add(src, p+"name", "%s", msg)
				ok = false
			}
			sc.Name = s
		default:
			el.add(src, p+"account", `must be set (account = "acct_…"), or name the seller by its display name (name = "…")`)
			ok = false
		}
		if who := string(sc.Account) + "\x00" + strings.ToLower(sc.Name); ok {
			if j, dup := seen[who]; dup {
				key := "account"
				if sc.Account == "" {
					key = "name"
				}
				el.add(src, p+key, "names the same seller as sellers[%d]", j)
				ok = false
			} else {
				seen[who] = i
			}
		}
		sc.Setup = DefaultChargeSetup()
		if t.ChargeType != nil {
			s, msg := oneOf(t.ChargeType, string(pos.ChargeDirect), string(pos.ChargeDestination), string(pos.ChargeSeparate))
			if msg != "" {
				el.add(src, p+"charge_type", "%s", msg)
				ok = false
			}
			sc.Setup.Type = pos.ChargeType(s)
		}
		if t.FeePercent != nil {
			v, msg := checkFeePercent(t.FeePercent)
			if msg != "" {
				el.add(src, p+"fee_percent", "%s", msg)
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
			if msg != "" {
				el.add(src, p+"refund_fee", "%s", msg)
				ok = false
			}
			sc.Setup.RefundFee = b
		}
		if ok {
			if err := sc.Setup.Validate(); err != nil { // belt and braces: pos's own rules
				el.add(src, p+"fee_percent", "%v", err)
				continue
			}
			c.Sellers = append(c.Sellers, sc)
		}
	}
}

// checkAccountID accepts a connected account id (acct_ and letters or
// digits).
func checkAccountID(v any) (string, string) {
	s, msg := wantString(v)
	if msg != "" {
		return "", msg
	}
	s = strings.TrimSpace(s)
	rest, ok := strings.CutPrefix(s, "acct_")
	if !ok || rest == "" || strings.Trim(rest, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") != "" {
		return "", fmt.Sprintf("%q is not a connected account id (acct_ and letters or digits)", s)
	}
	return s, ""
}

// checkFeePercent reads a fee percentage, up to three decimals ("2.5",
// 2.9, "1.25%"), in thousandths of a percent (pos.FeeRule.Percent). A
// negative percentage and one above 100 are refused, each with its own
// message.
func checkFeePercent(v any) (int64, string) {
	var s string
	switch v := v.(type) {
	case string:
		s = strings.TrimSpace(v)
	case int64:
		s = strconv.FormatInt(v, 10)
	case float64:
		s = strconv.FormatFloat(v, 'f', -1, 64)
	default:
		return 0, "must be a percentage such as 2.5, not " + describe(v)
	}
	if strings.HasPrefix(s, "-") {
		return 0, fmt.Sprintf("%q is negative: a platform fee cannot pay the seller", s)
	}
	m := percentPattern.FindStringSubmatch(s)
	if m == nil {
		return 0, fmt.Sprintf("%q is not a percentage such as 2.5 (up to three decimals)", s)
	}
	if len(m[2]) > 3 {
		return 0, fmt.Sprintf("%q has more than 3 decimal places", s)
	}
	whole, _ := strconv.ParseInt(m[1], 10, 64)
	frac, _ := strconv.ParseInt((m[2] + "000")[:3], 10, 64)
	r := whole*1000 + frac
	if r > pos.FeeRuleScale {
		return 0, fmt.Sprintf("%q is above 100 percent: the fee would be more than the sale", s)
	}
	return r, ""
}

// checkFeeFixed reads a fixed fee table: currency code → quoted amount in
// major units ({ usd = "0.30", jpy = "30" }). A negative amount, one with
// more decimals than its currency has or off its step (KWD "0.105") is
// refused.
func checkFeeFixed(el *errs, src source, key string, v any) (map[string]int64, bool) {
	t, isTable := v.(map[string]any)
	if !isTable {
		el.add(src, key, `must be a table such as { usd = "0.30", eur = "0.25" }, not %s`, describe(v))
		return nil, false
	}
	codes := make([]string, 0, len(t))
	for code := range t {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	out := map[string]int64{}
	ok := true
	for _, code := range codes {
		k := key + "." + code
		cur, good := checkCurrency(el, src, k, code)
		if !good {
			ok = false
			continue
		}
		if _, dup := out[cur]; dup {
			el.add(src, k, "%s is given twice", strings.ToUpper(cur))
			ok = false
			continue
		}
		s, isString := t[code].(string)
		if !isString {
			el.add(src, k, `must be a quoted amount such as "0.30", not %s`, describe(t[code]))
			ok = false
			continue
		}
		if strings.HasPrefix(strings.TrimSpace(s), "-") {
			el.add(src, k, "%q is negative: a platform fee cannot pay the seller", s)
			ok = false
			continue
		}
		amount, err := pos.ParseAmount(s, cur)
		if err != nil {
			el.add(src, k, "%v", err)
			ok = false
			continue
		}
		out[cur] = amount
	}
	return out, ok
}
