package pos

import (
	"strconv"
	"strings"
)

// Money in Kasse is always an int64 count of Stripe's minor units ("amount"
// in the API): cents for USD, yen for JPY, fils for KWD. Floats are never
// used. The rules below follow Stripe's "Supported currencies" page
// (docs.stripe.com/currencies): zero-decimal list, three-decimal list and
// special cases.

// MaxAmount is Stripe's largest amount: 8 digits of minor units. Stripe
// allows more digits for a few currencies (IDR, COP, INR); Kasse applies the
// 8-digit rule everywhere for simplicity.
const MaxAmount int64 = 99999999

// Currency describes how one currency's amounts look in Stripe's API and on
// screen.
type Currency struct {
	Code     string // lower-case ISO 4217, as Stripe wants it
	Decimals int    // digits after the point in Stripe's minor unit
	Display  int    // digits after the point shown to people
	Step     int64  // every amount must be a multiple of Step minor units
	Symbol   string // display symbol, "" when Kasse knows none
	Known    bool   // false: code not in Kasse's table, assumed two-decimal
}

// Upper returns the upper-case ISO code ("USD").
func (c Currency) Upper() string { return strings.ToUpper(c.Code) }

var zeroDecimal = "bif clp djf gnf jpy kmf krw mga pyg rwf ugx vnd vuv xaf xof xpf"

// Three-decimal currencies: Stripe requires the last (third) digit to be 0,
// so amounts are multiples of 10 minor units.
var threeDecimal = "bhd jod kwd omr tnd"

var symbols = map[string]string{
	"usd": "$", "eur": "€", "gbp": "£", "jpy": "¥", "cad": "CA$", "aud": "A$",
	"nzd": "NZ$", "hkd": "HK$", "sgd": "S$", "mxn": "MX$", "brl": "R$",
	"twd": "NT$", "chf": "CHF ", "inr": "₹", "krw": "₩", "vnd": "₫",
	"pln": "zł ", "czk": "Kč ", "huf": "Ft ", "ron": "lei ", "bgn": "лв ",
	"sek": "kr ", "nok": "kr ", "dkk": "kr. ", "isk": "kr ", "thb": "฿",
	"myr": "RM ", "ils": "₪", "try": "₺", "php": "₱", "idr": "Rp ", "zar": "R ",
	"aed": "AED ",
}

var currencies = buildCurrencies()

func buildCurrencies() map[string]Currency {
	m := map[string]Currency{}
	for code, sym := range symbols {
		m[code] = Currency{Code: code, Decimals: 2, Display: 2, Step: 1, Symbol: sym, Known: true}
	}
	for _, code := range strings.Fields(zeroDecimal) {
		m[code] = Currency{Code: code, Decimals: 0, Display: 0, Step: 1, Symbol: symbols[code], Known: true}
	}
	for _, code := range strings.Fields(threeDecimal) {
		m[code] = Currency{Code: code, Decimals: 3, Display: 3, Step: 10, Known: true}
	}
	// ISK is two-decimal in the API, but since 2023-04-14 Stripe only
	// accepts whole krónur: amounts must be multiples of 100. Kasse shows
	// ISK without decimals. HUF and TWD are plain two-decimal for charges
	// (their special rules concern payouts only).
	m["isk"] = Currency{Code: "isk", Decimals: 2, Display: 0, Step: 100, Symbol: "kr ", Known: true}
	return m
}

// LookupCurrency normalises code ("USD", " usd ") and returns its rules.
// The code must be a current ISO 4217 currency (see isISO4217): a typo
// such as "xyz" is refused here rather than by Stripe. A currency Kasse
// does not list is assumed two-decimal, which is Stripe's rule for every
// currency not named as special; Known is false.
func LookupCurrency(code string) (Currency, error) {
	c := strings.ToLower(strings.TrimSpace(code))
	if len(c) != 3 || strings.Trim(c, "abcdefghijklmnopqrstuvwxyz") != "" {
		return Currency{}, invalid(ErrCurrency, "%q is not a currency code (expected three letters such as usd)", code)
	}
	if cur, ok := currencies[c]; ok {
		return cur, nil
	}
	if !isISO4217(c) {
		return Currency{}, invalid(ErrCurrency, "%q is not an ISO 4217 currency code (such as usd, eur or jpy)", code)
	}
	return Currency{Code: c, Decimals: 2, Display: 2, Step: 1}, nil
}

func currencyOrDefault(code string) Currency {
	c, err := LookupCurrency(code)
	if err != nil {
		return Currency{Code: strings.ToLower(code), Decimals: 2, Display: 2, Step: 1}
	}
	return c
}

func pow10(n int) int64 {
	p := int64(1)
	for range n {
		p *= 10
	}
	return p
}

// ParseAmount reads what a cashier typed into minor units of currency.
//
// Accepted: "12.50", "12,50", "12.5", ".5", "12." and "12" (no separator
// means major units: "12" USD is 1200, "500" JPY is 500). Rejected with a
// specific message: empty input, negatives, anything but digits and one
// separator (no thousands separators, no symbols), more decimals than the
// currency has ("12.505" USD; any decimals for JPY; "12.500" USD too, since
// in many locales that reads as twelve thousand five hundred), amounts that
// break the currency's step (KWD "1.235", ISK "5.50") and amounts above
// MaxAmount. "0" parses to 0; callers decide whether zero is allowed.
func ParseAmount(s, currency string) (int64, error) {
	c, err := LookupCurrency(currency)
	if err != nil {
		return 0, err
	}
	t := strings.TrimSpace(s)
	switch {
	case t == "":
		return 0, invalid(ErrAmountEmpty, "enter an amount")
	case strings.HasPrefix(t, "-"):
		return 0, invalid(ErrAmountNegative, "%q: amounts cannot be negative", t)
	}
	whole, frac, hasSep := t, "", false
	if i := strings.IndexAny(t, ".,"); i >= 0 {
		whole, frac, hasSep = t[:i], t[i+1:], true
		if strings.ContainsAny(frac, ".,") {
			return 0, invalid(ErrAmountSyntax, "%q: use one decimal separator and no thousands separators", t)
		}
	}
	if !allDigits(whole) || !allDigits(frac) || whole+frac == "" {
		return 0, invalid(ErrAmountSyntax, "%q is not an amount: use digits and one \".\" or \",\" (e.g. 12.50)", t)
	}
	if hasSep && c.Decimals == 0 {
		return 0, invalid(ErrAmountPrecision, "%q: %s has no decimals, enter whole units (e.g. 500)", t, c.Upper())
	}
	if len(frac) > c.Decimals {
		return 0, invalid(ErrAmountPrecision, "%q: %s allows at most %d decimals", t, c.Upper(), c.Decimals)
	}
	whole = strings.TrimLeft(whole, "0")
	if len(whole) > 12 {
		return 0, tooLarge(t, c)
	}
	var major int64
	if whole != "" {
		major, _ = strconv.ParseInt(whole, 10, 64) // ≤ 12 digits: cannot fail
	}
	minor := int64(0)
	if frac != "" {
		minor, _ = strconv.ParseInt(frac+strings.Repeat("0", c.Decimals-len(frac)), 10, 64)
	}
	amount := major*pow10(c.Decimals) + minor
	if amount > MaxAmount {
		return 0, tooLarge(t, c)
	}
	if amount%c.Step != 0 {
		return 0, stepError(t, c)
	}
	return amount, nil
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func tooLarge(input string, c Currency) error {
	return invalid(ErrAmountTooLarge, "%q is above Stripe's maximum of %s", input, Format(MaxAmount/c.Step*c.Step, c.Code))
}

func stepError(input string, c Currency) error {
	if c.Decimals == 3 {
		return invalid(ErrAmountPrecision, "%q: Stripe requires the last of the three %s decimals to be 0 (e.g. %s)",
			input, c.Upper(), Format(1230, c.Code))
	}
	return invalid(ErrAmountPrecision, "%q: Stripe accepts %s only in whole units", input, c.Upper())
}

// Format renders amount minor units as "12.50 USD", "500 JPY", "1.230 KWD",
// "5 ISK", "-3.00 EUR": plain digits, a "." separator, no grouping, then the
// upper-case code. Kasse uses this unambiguous form everywhere (several
// currencies share "$" or "kr"); FormatSymbol is for places where the
// currency is already clear. Unknown codes are shown as two-decimal.
func Format(amount int64, currency string) string {
	c := currencyOrDefault(currency)
	return formatNumber(amount, c) + " " + c.Upper()
}

// FormatSymbol renders amount with the currency's symbol in front ("$12.50",
// "¥500", "kr 5"); currencies without a known symbol fall back to Format.
func FormatSymbol(amount int64, currency string) string {
	c := currencyOrDefault(currency)
	if c.Symbol == "" {
		return Format(amount, currency)
	}
	n := formatNumber(amount, c)
	if strings.HasPrefix(n, "-") {
		return "-" + c.Symbol + n[1:]
	}
	return c.Symbol + n
}

func formatNumber(amount int64, c Currency) string {
	sign := ""
	u := uint64(amount)
	if amount < 0 {
		sign, u = "-", uint64(-(amount+1))+1 // safe for math.MinInt64
	}
	dec := c.Display
	if hidden := pow10(c.Decimals - c.Display); u%uint64(hidden) == 0 {
		u /= uint64(hidden)
	} else {
		dec = c.Decimals // legacy fractional amount (old ISK charges): show it all
	}
	digits := strconv.FormatUint(u, 10)
	if dec == 0 {
		return sign + digits
	}
	if len(digits) <= dec {
		digits = strings.Repeat("0", dec-len(digits)+1) + digits
	}
	return sign + digits[:len(digits)-dec] + "." + digits[len(digits)-dec:]
}

// minimumCharges are Stripe's published minimum charge amounts in minor
// units (docs.stripe.com/currencies#minimum-and-maximum-charge-amounts,
// as copied by several public integrations). Stripe also converts to the
// account's settlement currency and applies that currency's minimum, so a
// charge above these numbers can still be refused; the list is a first,
// local check only.
var minimumCharges = map[string]int64{
	"usd": 50, "aed": 200, "aud": 50, "bgn": 100, "brl": 50, "cad": 50,
	"chf": 50, "czk": 1500, "dkk": 250, "eur": 50, "gbp": 30, "hkd": 400,
	"huf": 17500, "inr": 50, "jpy": 50, "mxn": 1000, "myr": 200, "nok": 300,
	"nzd": 50, "pln": 200, "ron": 200, "sek": 300, "sgd": 50, "thb": 1000,
}

// MinimumCharge returns the smallest amount Kasse lets a sale charge in
// currency, in minor units. See MinimumChargeKnown for the source and for
// currencies Stripe does not list.
func MinimumCharge(currency string) int64 {
	m, _ := MinimumChargeKnown(currency)
	return m
}

// MinimumChargeKnown returns the minimum and whether it comes from Stripe's
// published table. For unlisted currencies it returns a guess, marked
// known=false: 50 units for zero-decimal currencies (like JPY), otherwise
// the equivalent of 0.50 major units rounded up to the currency's step
// (50 for two-decimal, 500 for three-decimal, 100 for ISK).
func MinimumChargeKnown(currency string) (int64, bool) {
	c := currencyOrDefault(currency)
	if m, ok := minimumCharges[c.Code]; ok {
		return m, true
	}
	if c.Decimals == 0 {
		return 50, false
	}
	m := pow10(c.Decimals) / 2
	if r := m % c.Step; r != 0 {
		m += c.Step - r
	}
	return m, false
}
