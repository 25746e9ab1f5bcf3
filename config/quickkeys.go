package config

import (
	"sort"
	"strings"

	"kasse/i18n"
	"kasse/pos"
)

// quickKeyPrices reads a quick key's prices (p is "quick_keys[i]."):
//
//	prices = { usd = "3.50", eur = "3.20", jpy = "450" }
//
// or, as older files wrote it, one price with its currency:
//
//	price = "3.50"
//	currency = "usd"
//
// A price without a currency is refused: it would charge the same number
// in every currency (¥5 for a $5 item). Each price is checked against its
// currency's rules (no decimals for JPY, …) and converted to minor units.
func quickKeyPrices(el *errs, src source, p string, prices, price, currency any) (map[string]int64, bool) {
	switch {
	case prices != nil && (price != nil || currency != nil):
		key := "price"
		if price == nil {
			key = "currency"
		}
		el.add(src, p+key, i18n.M("cli.config.prices_or_price"))
		return nil, false
	case prices != nil:
		return checkPrices(el, src, p+"prices", prices)
	case price == nil && currency != nil:
		el.add(src, p+"currency", i18n.M("cli.config.currency_without_price", i18n.Args{"Code": currencyHint(currency)}))
		return nil, false
	case price == nil:
		el.add(src, p+"prices", i18n.M("cli.config.prices_missing"))
		return nil, false
	case currency == nil:
		s, ok := price.(string)
		if !ok {
			s = "3.50"
		}
		el.add(src, p+"price", i18n.M("cli.config.price_no_currency", i18n.Args{"Value": q(s)}))
		return nil, false
	}
	cur, ok := checkCurrency(el, src, p+"currency", currency)
	if !ok {
		return nil, false
	}
	amount, ok := checkPriceIn(el, src, p+"price", price, cur)
	if !ok {
		return nil, false
	}
	return map[string]int64{cur: amount}, true
}

// checkPrices reads a prices table: currency code → quoted price.
func checkPrices(el *errs, src source, key string, v any) (map[string]int64, bool) {
	t, isTable := v.(map[string]any)
	if !isTable {
		el.add(src, key, i18n.M("cli.config.prices_type", i18n.Args{"Value": describe(v)}))
		return nil, false
	}
	if len(t) == 0 {
		el.add(src, key, i18n.M("cli.config.prices_empty"))
		return nil, false
	}
	return eachCurrency(el, src, key, t, i18n.M("cli.config.priced_twice"), func(k, cur string, v any) (int64, bool) {
		return checkPriceIn(el, src, k, v, cur)
	})
}

// eachCurrency reads a table of amounts by currency code (key's table t),
// in the codes' order: each code is checked (a currency named twice, in
// another case, is refused with twice, its Currency filled in) and its
// value read by amount (k: the value's key). ok is false when anything was
// refused; what was read is returned all the same.
func eachCurrency(el *errs, src source, key string, t map[string]any, twice i18n.Message, amount func(k, cur string, v any) (int64, bool)) (map[string]int64, bool) {
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
			twice.Args = i18n.Args{"Currency": strings.ToUpper(cur)}
			el.add(src, k, twice)
			ok = false
			continue
		}
		a, good := amount(k, cur, t[code])
		if !good {
			ok = false
			continue
		}
		out[cur] = a
	}
	return out, ok
}

// checkCurrency accepts an ISO 4217 code in any case; it returns it in
// lower case, as Stripe wants it.
func checkCurrency(el *errs, src source, key string, v any) (string, bool) {
	s, msg := wantString(v)
	if msg.ID != "" {
		el.add(src, key, msg)
		return "", false
	}
	c, err := pos.LookupCurrency(s)
	if err != nil {
		el.add(src, key, i18n.M("amount.currency_unknown", i18n.Args{"Code": s}))
		return "", false
	}
	return c.Code, true
}

// checkPriceIn reads a quoted price in currency's major units.
func checkPriceIn(el *errs, src source, key string, v any, currency string) (int64, bool) {
	s, msg := checkPrice(v)
	if msg.ID != "" {
		el.add(src, key, msg)
		return 0, false
	}
	// checkPrice took a decimal point, no grouping: English reads it so,
	// and refuses in catalogued words what the currency does not take
	// (decimals for JPY, a KWD price off Stripe's step, too much).
	amount, err := i18n.Neutral().ParseAmount(s, currency)
	if err != nil {
		el.addErr(src, key, err)
		return 0, false
	}
	return amount, true
}

func currencyHint(v any) string {
	if s, ok := v.(string); ok && s != "" {
		return strings.ToLower(s)
	}
	return "usd"
}
