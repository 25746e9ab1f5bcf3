package i18n

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/bojanz/currency"

	"kasse/pos"
)

// Money formatting comes from CLDR (github.com/bojanz/currency, CLDR 49):
// the locale decides the symbol, its position and spacing, the decimal and
// grouping separators and the sign ("12,50 €" and "1.234,56 €" in de,
// "$12.50", "¥1,980", "£7.40" in en, "€ 12,50" in de-AT). The currency's
// decimals are Kasse's own (pos.Currency: Stripe's minor units and what
// people are shown), never CLDR's, which differ for a few currencies
// (ISK: two in Stripe's API, none shown). Symbols are CLDR's standard
// ones, not the narrow ones: the standard symbol is unambiguous within a
// locale ("$" is USD in en, Canada's dollar is "CA$"), the narrow one is
// not ("$" for both). See docs/design.md for why not x/text/currency.

// Money is an amount in minor units of a currency, as an argument to a
// message (Args): the Locale that renders the message formats it.
type Money struct {
	Amount   int64  // minor units (cents, yen, fils)
	Currency string // ISO code, any case
}

// Money renders amount minor units of currency with the locale's symbol:
// "12,50 €", "$12.50", "-7,40 £" (a refund). The space CLDR puts between
// number and symbol is a no-break space (U+00A0), so an amount never
// breaks across lines. A code that is no currency falls back to
// pos.Format; one CLDR no longer lists shows its code as the symbol.
func (l *Locale) Money(amount int64, cur string) string {
	return l.formatMoney(amount, cur, currency.DisplaySymbol)
}

// MoneyCode renders the amount with the ISO code where the symbol would
// be ("12,50 EUR", "USD 12.50"): for lists that mix currencies whose
// symbols look alike (several dollars, several kronor).
func (l *Locale) MoneyCode(amount int64, cur string) string {
	return l.formatMoney(amount, cur, currency.DisplayCode)
}

// MoneyNumber renders the number alone ("1.234,56", "1,234.56"), for a
// column whose currency is named once.
func (l *Locale) MoneyNumber(amount int64, cur string) string {
	return l.formatMoney(amount, cur, currency.DisplayNone)
}

// AmountInput renders the amount as a person of this locale types it,
// and ParseAmount reads it back: no symbol, no grouping, the locale's
// decimal separator and the currency's shown decimals ("1234,50" in
// German, "1234.50" in English, "1980" for JPY). For a field prefilled
// with an amount.
func (l *Locale) AmountInput(amount int64, cur string) string {
	c, err := pos.LookupCurrency(cur)
	if err != nil {
		return strconv.FormatInt(amount, 10)
	}
	s := decimalString(amount, c.Decimals)
	if hidden := c.Decimals - c.Display; hidden > 0 && amount%pow10(hidden) == 0 {
		s = s[:len(s)-hidden] // ISK: Stripe's two decimals are always 00 and never shown
		s = strings.TrimSuffix(s, ".")
	}
	return strings.Replace(s, ".", string(l.dec), 1)
}

// DecimalSeparator is the locale's decimal separator ('.' or ',' for every
// locale Kasse speaks), e.g. for pos.DigitEntry.WithSeparator.
func (l *Locale) DecimalSeparator() rune { return l.dec }

// GroupSeparator is the locale's thousands separator ('.', ',', '’', or a
// no-break space).
func (l *Locale) GroupSeparator() rune { return l.group }

func (l *Locale) formatMoney(amount int64, code string, display currency.Display) string {
	k := moneyKey{amount: amount, code: code, display: uint8(display)}
	l.moneyMu.Lock()
	s, ok := l.moneyCache[k]
	l.moneyMu.Unlock()
	if ok {
		return s
	}
	s = l.formatMoneyCLDR(amount, code, display)
	l.moneyMu.Lock()
	if l.moneyCache == nil || len(l.moneyCache) >= maxMoneyCache {
		l.moneyCache = make(map[moneyKey]string, 64)
	}
	l.moneyCache[k] = s
	l.moneyMu.Unlock()
	return s
}

// formatMoneyCLDR lays amount out by the locale's CLDR currency pattern.
func (l *Locale) formatMoneyCLDR(amount int64, code string, display currency.Display) string {
	c, err := pos.LookupCurrency(code)
	if err != nil {
		return pos.Format(amount, code)
	}
	digits := c.Display
	if hidden := pow10(c.Decimals - c.Display); amount%hidden != 0 {
		digits = c.Decimals // a legacy fractional amount (old ISK charges): show it all, as pos.Format does
	}
	f := currency.NewFormatter(l.money)
	f.MinDigits, f.MaxDigits = uint8(digits), uint8(digits)
	f.CurrencyDisplay = display
	num := decimalString(amount, c.Decimals)
	a, err := currency.NewAmount(num, c.Upper())
	if err != nil {
		// A code ISO lists but CLDR 49 no longer does (HRK, SLL, VEF: withdrawn
		// currencies Stripe no longer takes either). Its decimals are pos's
		// anyway; it is laid out as a currency whose symbol is its code.
		a, _ = currency.NewAmount(num, standIn)
		if display != currency.DisplayNone {
			f.CurrencyDisplay = currency.DisplaySymbol
			f.SymbolMap[standIn] = c.Upper()
		}
	}
	return f.Format(a)
}

// standIn lays out a currency CLDR does not know: any listed code would do,
// since its symbol and digits are overridden.
const standIn = "EUR"

// separators reads the locale's decimal and grouping separators off a
// CLDR-formatted number, 1234567.5 (grouped even where CLDR groups only
// from five digits on).
func (l *Locale) separators() (dec, group rune) {
	f := currency.NewFormatter(l.money)
	f.MinDigits, f.MaxDigits = 1, 1
	f.CurrencyDisplay = currency.DisplayNone
	a, _ := currency.NewAmount("1234567.5", "USD")
	s := f.Format(a)
	rest, ok := strings.CutPrefix(s, "1")
	if !ok {
		return '.', ','
	}
	group, _ = utf8.DecodeRuneInString(rest)
	if i := strings.LastIndex(s, "567"); i >= 0 {
		dec, _ = utf8.DecodeRuneInString(s[i+3:])
	}
	if dec != ',' {
		dec = '.'
	}
	return dec, group
}

// decimalString writes amount minor units as a plain decimal with decimals
// digits after the point: 1250, 2 → "12.50"; -5, 2 → "-0.05"; 1980, 0 → "1980".
func decimalString(amount int64, decimals int) string {
	sign := ""
	u := uint64(amount)
	if amount < 0 {
		sign, u = "-", uint64(-(amount+1))+1 // safe for math.MinInt64
	}
	digits := strconv.FormatUint(u, 10)
	if decimals == 0 {
		return sign + digits
	}
	if len(digits) <= decimals {
		digits = strings.Repeat("0", decimals-len(digits)+1) + digits
	}
	return sign + digits[:len(digits)-decimals] + "." + digits[len(digits)-decimals:]
}

func pow10(n int) int64 {
	p := int64(1)
	for range n {
		p *= 10
	}
	return p
}
