package i18n

import (
	"errors"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"kasse/pos"
)

// ParseAmount reads an amount the way a person of this locale types it,
// into minor units of currency, for prompts and the CLI (the register's
// key-by-key entry is pos.DigitEntry; see EntryRefusal).
//
// The locale's decimal separator is the decimal separator: "12,50" in
// German and "12.50" in English are 1250 cents. The other of '.' and ','
// is taken as a decimal separator too where it cannot be a thousands
// separator: followed by one or two digits ("12.50" in German), for a
// currency with at most two decimals. Everything else is refused with a
// catalogued message (an *Error; errors.Is matches pos's sentinels), and
// never by dropping a character:
//
//   - followed by exactly three digits, the other separator reads as a
//     thousands separator just as well: "1,250" in English and "1.250" in
//     German could be 1250 or 1.25, and the message offers both;
//   - thousands separators (two separators, a space, '’') are not
//     accepted: an amount is typed as "1234,56";
//   - more decimals than the currency shows ("12,505" EUR), any for JPY,
//     a three-decimal amount whose last digit is not 0 (KWD "1,255": Stripe
//     refuses it), a three-decimal currency with the other separator;
//   - negatives, signs, symbols, letters, the empty string, amounts above
//     pos.MaxAmount.
//
// Digits alone are whole units: "12" EUR is 1200, "500" JPY is 500.
func (l *Locale) ParseAmount(s, code string) (int64, error) {
	c, err := pos.LookupCurrency(code)
	if err != nil {
		return 0, &Error{Kind: pos.ErrCurrency, Msg: M("amount.currency_unknown", Args{"Code": shown(strings.TrimSpace(code))})}
	}
	t := strings.TrimSpace(s)
	own := l.dec
	ex := example(c, own)
	fail := func(kind error, m Message) (int64, error) { return 0, &Error{Kind: kind, Msg: m} }
	in := shown(t)
	switch {
	case t == "":
		return fail(pos.ErrAmountEmpty, M("amount.empty"))
	case strings.HasPrefix(t, "-"), strings.HasPrefix(t, "−"):
		return fail(pos.ErrAmountNegative, M("amount.negative", Args{"Input": in}))
	}
	seps, at, grouped := 0, -1, false
	for i, r := range t {
		switch {
		case r >= '0' && r <= '9':
		case r == '.' || r == ',':
			seps, at = seps+1, i
		case r == l.group || r == '’' || r == '\'' || unicode.IsSpace(r):
			grouped = true
		default:
			return fail(pos.ErrAmountSyntax, M("amount.syntax", Args{"Input": in, "Example": ex}))
		}
	}
	if grouped || seps > 1 {
		return fail(pos.ErrAmountSyntax, M("amount.grouping", Args{"Input": in, "Example": ex}))
	}
	plain := t
	if at >= 0 {
		sep := rune(t[at])
		whole, frac := t[:at], t[at+1:]
		switch {
		case whole+frac == "":
			return fail(pos.ErrAmountSyntax, M("amount.syntax", Args{"Input": in, "Example": ex}))
		case c.Display == 0:
			return fail(pos.ErrAmountPrecision, M("amount.no_decimals", Args{"Currency": c.Upper(), "Example": ex}))
		case sep != own && len(frac) == 3:
			if dec, ok := decimalReading(whole, frac, own, c); ok {
				return fail(pos.ErrAmountSyntax, M("amount.ambiguous", Args{"Input": in, "Whole": trimZeros(whole + frac), "Decimal": dec}))
			}
			return fail(pos.ErrAmountSyntax, M("amount.grouping", Args{"Input": in, "Example": ex}))
		case sep != own && c.Display > 2:
			return fail(pos.ErrAmountSyntax, MN("amount.separator", c.Display,
				Args{"Currency": c.Upper(), "Sep": string(own), "Other": string(sep)}))
		case len(frac) > c.Display:
			return fail(pos.ErrAmountPrecision, MN("amount.too_precise", c.Display, Args{"Input": in, "Currency": c.Upper()}))
		}
		plain = whole + "." + frac
	}
	amount, err := pos.ParseAmount(plain, c.Code)
	switch {
	case err == nil:
		return amount, nil
	case errors.Is(err, pos.ErrAmountTooLarge):
		return fail(pos.ErrAmountTooLarge, M("amount.too_large", Args{"Max": maxMoney(c)}))
	case errors.Is(err, pos.ErrAmountPrecision):
		return fail(pos.ErrAmountPrecision, M("amount.step", Args{"Input": in, "Currency": c.Upper(), "Example": ex}))
	}
	return fail(pos.ErrAmountSyntax, M("amount.syntax", Args{"Input": in, "Example": ex}))
}

// decimalReading is whole.frac read with the decimal separator own, if
// the currency can take it: "1" "250" USD is "1.25" (trailing zeros
// dropped), "1" "255" USD is not an amount, "1" "250" KWD is "1.250".
func decimalReading(whole, frac string, own rune, c pos.Currency) (string, bool) {
	f := strings.TrimRight(frac, "0")
	if len(f) > c.Display {
		return "", false
	}
	if _, err := pos.ParseAmount(whole+"."+f, c.Code); err != nil {
		return "", false
	}
	if whole == "" {
		whole = "0"
	}
	if f == "" {
		return whole, true
	}
	return whole + string(own) + f, true
}

func trimZeros(digits string) string {
	if t := strings.TrimLeft(digits, "0"); t != "" {
		return t
	}
	return "0"
}

// example is how an amount of c is typed with separator sep: "1234,50",
// "1980" (no decimals), "1234.250" (three, the last 0).
func example(c pos.Currency, sep rune) string {
	switch {
	case c.Display == 0:
		return "1980"
	case c.Display > 2:
		return "1234" + string(sep) + "250"
	}
	return "1234" + string(sep) + "50"
}

func maxMoney(c pos.Currency) Money {
	return Money{Amount: pos.MaxAmount / c.Step * c.Step, Currency: c.Code}
}

// shown is input as it can be quoted in a message: control characters and
// other invisible runes escaped (\x1b), the rest as typed.
func shown(s string) string {
	for _, r := range s {
		if !strconv.IsGraphic(r) {
			q := strconv.QuoteToGraphic(s)
			return q[1 : len(q)-1]
		}
	}
	return s
}

// EntryRefusal is why a register entry (pos.DigitEntry) holds the keys it
// refused, as a catalogued message with the entry's own separator, or
// false when it holds none. The view shows it in the session's language:
// Locale.Render(m). It reads only the entry's public state: the first
// held key, the accepted keys (Parts, Decimal) and the error's kind.
func EntryRefusal(d pos.DigitEntry) (Message, bool) {
	err := d.Err()
	if err == nil {
		return Message{}, false
	}
	c, lerr := pos.LookupCurrency(d.Currency())
	if lerr != nil {
		c = pos.Currency{Code: d.Currency(), Decimals: 2, Display: 2, Step: 1}
	}
	own := d.Separator()
	key, _ := utf8.DecodeRuneInString(d.Held())
	typed, implied := d.Parts()
	in := strings.Replace(typed, ".", string(own), 1) + string(key)
	ex := example(c, own)
	isSep := key == '.' || key == ','
	switch {
	case errors.Is(err, pos.ErrAmountTooLarge):
		return M("amount.too_large", Args{"Max": maxMoney(c)}), true
	case isSep && errors.Is(err, pos.ErrAmountPrecision):
		return M("amount.no_decimals", Args{"Currency": c.Upper(), "Example": ex}), true
	case isSep && d.Decimal():
		return M("amount.grouping", Args{"Input": in, "Example": ex}), true
	case isSep:
		return MN("amount.separator", c.Display, Args{"Currency": c.Upper(), "Sep": string(own), "Other": string(key)}), true
	case key >= '0' && key <= '9' && implied == "":
		return MN("amount.too_precise", c.Display, Args{"Input": in, "Currency": c.Upper()}), true
	case key >= '0' && key <= '9':
		return M("amount.step", Args{"Input": in, "Currency": c.Upper(), "Example": ex}), true
	}
	return M("amount.not_digit", Args{"Key": shown(string(key)), "Example": ex}), true
}
