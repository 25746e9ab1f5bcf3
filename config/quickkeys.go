package config

import (
	"sort"
	"strings"

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
		el.add(src, p+key, "give either prices = { … } or price with currency, not both")
		return nil, false
	case prices != nil:
		return checkPrices(el, src, p+"prices", prices)
	case price == nil && currency != nil:
		el.add(src, p+"currency", "only goes with price; prices = { %s = \"…\" } names the currency of each price", currencyHint(currency))
		return nil, false
	case price == nil:
		el.add(src, p+"prices", `must be set, e.g. prices = { usd = "3.50", eur = "3.20" }: one price per currency the key is sold in`)
		return nil, false
	case currency == nil:
		s, ok := price.(string)
		if !ok {
			s = "3.50"
		}
		el.add(src, p+"price", "%q names no currency, and a price is never carried from one currency to another: "+
			"write prices = { usd = %q }, one entry per currency the key is sold in (or add currency = \"usd\")", s, s)
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
		el.add(src, key, `must be a table such as { usd = "3.50", eur = "3.20" }, not %s`, describe(v))
		return nil, false
	}
	if len(t) == 0 {
		el.add(src, key, `must name at least one currency, e.g. { usd = "3.50" }`)
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
			el.add(src, k, "%s is priced twice", strings.ToUpper(cur))
			ok = false
			continue
		}
		amount, good := checkPriceIn(el, src, k, t[code], cur)
		if !good {
			ok = false
			continue
		}
		out[cur] = amount
	}
	return out, ok
}

// checkCurrency accepts an ISO 4217 code in any case; it returns it in
// lower case, as Stripe wants it.
func checkCurrency(el *errs, src source, key string, v any) (string, bool) {
	s, msg := wantString(v)
	if msg != "" {
		el.add(src, key, "%s", msg)
		return "", false
	}
	c, err := pos.LookupCurrency(s)
	if err != nil {
		el.add(src, key, "%v", err)
		return "", false
	}
	return c.Code, true
}

// checkPriceIn reads a quoted price in currency's major units.
func checkPriceIn(el *errs, src source, key string, v any, currency string) (int64, bool) {
	s, msg := checkPrice(v)
	if msg != "" {
		el.add(src, key, "%s", msg)
		return 0, false
	}
	amount, err := pos.ParseAmount(s, currency)
	if err != nil {
		el.add(src, key, "%v", err)
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
