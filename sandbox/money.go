package sandbox

// Money: the currencies the sandbox charges in, their minimums, and how
// Stripe writes amounts in its messages.

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"kasse/sandbox/internal/apierr"
	"kasse/sandbox/internal/form"
)

// Currencies the sandbox charges in: the Terminal currencies plus a few
// common presentment ones, with Stripe's minimum charge amount in the
// currency's minor unit (docs: "Minimum and maximum charge amounts").
var currencyMinimum = map[string]int64{
	"usd": 50, "aed": 200, "aud": 50, "bgn": 100, "brl": 50, "cad": 50, "chf": 50,
	"czk": 1500, "dkk": 250, "eur": 50, "gbp": 30, "hkd": 400, "huf": 17500,
	"inr": 50, "jpy": 50, "mxn": 1000, "myr": 200, "nok": 300, "nzd": 50,
	"pln": 200, "ron": 200, "sek": 300, "sgd": 50, "thb": 1000,
}

// zeroDecimal are the currencies without a minor unit (of those above).
var zeroDecimal = map[string]bool{"jpy": true}

// maxAmount is Stripe's eight-digit cap on amounts.
const maxAmount = 99999999

// currencySymbol is how Stripe writes amounts in its messages ("$0.50",
// "€10.00"). Currencies without a well-known symbol are written with their
// upper-case code ("CHF 0.50"): a decision, Stripe's own formatting of
// those is UNVERIFIED.
var currencySymbol = map[string]string{
	"usd": "$", "cad": "$", "aud": "$", "nzd": "$", "sgd": "$", "hkd": "$", "mxn": "$",
	"eur": "€", "gbp": "£", "jpy": "¥", "inr": "₹",
}

// formatMoney renders a minor-unit amount: "$1,250.00", "¥5,000", "CHF 0.50".
func formatMoney(amount int64, currency string) string {
	neg := amount < 0
	if neg {
		amount = -amount
	}
	var num string
	if zeroDecimal[currency] {
		num = groupThousands(amount)
	} else {
		num = groupThousands(amount/100) + "." + fmt.Sprintf("%02d", amount%100)
	}
	sym, ok := currencySymbol[currency]
	if !ok {
		sym = strings.ToUpper(currency) + " "
	}
	if neg {
		return "-" + sym + num
	}
	return sym + num
}

func groupThousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// parseCurrency validates a currency parameter (case-insensitive; stored
// lower-case, as Stripe renders it).
func parseCurrency(p *form.Params, param string) (string, *apierr.Error) {
	raw := p.Child(param)
	if raw == nil || raw.Value() == "" {
		return "", apierr.MissingParam(param)
	}
	c := strings.ToLower(raw.Value())
	if _, ok := currencyMinimum[c]; !ok {
		all := make([]string, 0, len(currencyMinimum))
		for k := range currencyMinimum {
			all = append(all, k)
		}
		sort.Strings(all)
		return "", apierr.InvalidParam(param, "Invalid currency: %s. Stripe currently supports these currencies: %s", raw.Value(), strings.Join(all, ", "))
	}
	return c, nil
}

// checkChargeAmount applies Stripe's bounds to a PaymentIntent amount.
func checkChargeAmount(amount int64, currency, param string) *apierr.Error {
	if amount < 1 {
		return apierr.Validation(http.StatusBadRequest, "parameter_invalid_integer", param, "This value must be greater than or equal to 1.")
	}
	if min := currencyMinimum[currency]; amount < min {
		return apierr.Validation(http.StatusBadRequest, "amount_too_small", param, "Amount must be at least %s %s", formatMoney(min, currency), currency)
	}
	if amount > maxAmount {
		return apierr.Validation(http.StatusBadRequest, "amount_too_large", param, "Amount must be no more than %s", formatMoney(maxAmount, currency))
	}
	return nil
}
