package pos

import (
	"strconv"
	"strings"
)

// DigitEntry is the register keypad: an amount typed key by key. It
// follows two till conventions, both in the currency's rules:
//
//   - Digits alone fill the amount from the right, like a card terminal:
//     for USD 1 2 5 0 is 12.50, for JPY the same keys are 1250. For a
//     currency with a step each digit counts steps, so the entry never
//     holds an amount Stripe refuses: KWD 1 2 3 is 1.230, ISK 5 is 5.
//   - Once the decimal separator is typed, the entry reads as written:
//     1 2 . 5 is 12.50, . 5 is 0.50, 7 . is 7.00.
//
// A key the entry cannot honour is refused, never dropped and never
// reinterpreted: a separator for a currency without decimals (JPY, ISK), a
// second separator, a decimal beyond the currency's decimals (USD 12.505),
// a decimal the currency's step forbids (KWD 1.235), a digit that would
// exceed MaxAmount, any other rune. The refused key and every key typed
// after it are held with the reason (Err): the amount typed before it is
// kept, but Value reports the refusal until Backspace has taken the held
// keys back (or Clear empties the entry), so a refused amount cannot be
// charged by accident.
//
// The decimal separator is a parameter (WithSeparator; '.' by default), so
// a locale can give its own. The other of '.' and ',' is accepted as well
// when that cannot be misread: with at most two decimals a thousands
// separator would be followed by three digits, which the entry refuses as
// too many decimals anyway ("1,250" for USD is refused, not 1.25 or 1250).
// For a three-decimal currency (KWD 1,250 could be 1250 dinars or 1.250)
// only the entry's own separator is taken and the other is refused with a
// message. Thousands separators are never typed.
//
// DigitEntry is a value: every method returns a new entry.
type DigitEntry struct {
	currency Currency
	sep      rune   // the locale's decimal separator; 0 means '.'
	keys     string // accepted keys: digits and at most one separator, as typed
	held     string // the refused key and every key after it ("" when none)
	err      error  // why held[0] was refused
}

// NewDigitEntry returns an empty entry for currency with '.' as its
// decimal separator. An invalid code gives a two-decimal entry labelled
// with the code as given.
func NewDigitEntry(currency string) DigitEntry {
	return DigitEntry{currency: currencyOrDefault(currency)}
}

// DigitEntryOf returns an entry preloaded with amount minor units (rounded
// down to the currency's step, capped at MaxAmount), e.g. to edit a price.
// The digits are loaded as if typed without a separator, so Backspace
// drops the last digit: 3.50 becomes 0.35.
func DigitEntryOf(amount int64, currency string) DigitEntry {
	d := NewDigitEntry(currency)
	amount = max(0, min(amount, MaxAmount))
	if units := amount / d.currency.Step; units > 0 {
		d.keys = strconv.FormatInt(units, 10)
	}
	return d
}

// WithSeparator returns the entry with r as its decimal separator; r must
// be '.' or ',' (anything else keeps the current one). Keys already typed
// are kept as typed.
func (d DigitEntry) WithSeparator(r rune) DigitEntry {
	if r == '.' || r == ',' {
		d.sep = r
	}
	return d
}

// Separator is the entry's own decimal separator.
func (d DigitEntry) Separator() rune {
	if d.sep == 0 {
		return '.'
	}
	return d.sep
}

// Press types one key: a digit or a decimal separator. A key that cannot
// be honoured is held with the reason (see Err); while keys are held every
// further key is held too.
func (d DigitEntry) Press(r rune) DigitEntry {
	if d.held != "" {
		d.held += string(r)
		return d
	}
	if err := d.check(r); err != nil {
		d.held, d.err = string(r), err
		return d
	}
	if r == '0' && d.keys == "" {
		return d // a leading zero changes nothing (the amount shows 0.00)
	}
	d.keys += string(r)
	return d
}

// check says why r cannot be typed next, or nil.
func (d DigitEntry) check(r rune) error {
	c := d.currency
	typed := d.keys + string(r)
	switch {
	case r == '.' || r == ',':
		own := d.Separator()
		switch {
		case c.Display == 0:
			return invalid(ErrAmountPrecision, "%s has no decimals: type whole units (e.g. 500)", c.Upper())
		case d.Decimal():
			return invalid(ErrAmountSyntax, "%q: one decimal separator only, and no thousands separators", typed)
		case r != own && c.Display > 2:
			return invalid(ErrAmountSyntax, "%s has %d decimals: %q could mean thousands, type %q for decimals",
				c.Upper(), c.Display, string(r), string(own))
		}
	case r >= '0' && r <= '9':
		if d.Decimal() && len(d.fraction()) >= c.Display {
			return invalid(ErrAmountPrecision, "%q: %s has %d decimals (thousands take no separator)",
				typed, c.Upper(), c.Display)
		}
	default:
		return invalid(ErrAmountSyntax, "%q is not a digit: type digits and %q for the decimals", string(r), string(d.Separator()))
	}
	next := d
	next.keys = typed
	amount, ok := next.amount()
	switch {
	case !ok || amount > MaxAmount:
		return invalid(ErrAmountTooLarge, "%q is above Stripe's maximum of %s", typed, Format(MaxAmount/c.Step*c.Step, c.Code))
	case amount%c.Step != 0: // three-decimal currencies: Stripe wants the last one 0
		return invalid(ErrAmountPrecision, "%q: the last %s decimal must be 0 (e.g. %s)", typed, c.Upper(), formatNumber(1230, c))
	}
	return nil
}

// Type presses every rune of s in turn (handy for a "00" key).
func (d DigitEntry) Type(s string) DigitEntry {
	for _, r := range s {
		d = d.Press(r)
	}
	return d
}

// Backspace takes back the last key: a held key first (the refusal ends
// with the last of them), else the last accepted digit or separator.
func (d DigitEntry) Backspace() DigitEntry {
	if d.held != "" {
		d.held = d.held[:len(d.held)-len(lastRune(d.held))]
		if d.held == "" {
			d.err = nil
		}
		return d
	}
	if d.keys != "" {
		d.keys = d.keys[:len(d.keys)-1] // keys are ASCII
	}
	return d
}

func lastRune(s string) string {
	r := []rune(s)
	return string(r[len(r)-1])
}

// Clear empties the entry, held keys included.
func (d DigitEntry) Clear() DigitEntry {
	d.keys, d.held, d.err = "", "", nil
	return d
}

// Err is why the entry holds keys it refused, or nil.
func (d DigitEntry) Err() error { return d.err }

// Held is the refused key and the keys typed after it ("" when none).
func (d DigitEntry) Held() string { return d.held }

// Amount is the amount of the accepted keys in minor units. While keys
// are held it is the amount before the refusal; use Value to charge.
func (d DigitEntry) Amount() int64 {
	a, _ := d.amount()
	return a
}

// Value is the amount to charge, or the refusal while keys are held.
func (d DigitEntry) Value() (int64, error) {
	if d.err != nil {
		return 0, d.err
	}
	return d.Amount(), nil
}

// amount computes the accepted keys' amount; ok is false on overflow.
func (d DigitEntry) amount() (int64, bool) {
	c := d.currency
	whole, frac, _ := strings.Cut(strings.ReplaceAll(d.keys, ",", "."), ".")
	if len(whole) > 12 {
		return 0, false
	}
	var n int64
	if whole != "" {
		n, _ = strconv.ParseInt(whole, 10, 64) // ≤ 12 digits
	}
	if !d.Decimal() {
		return n * c.Step, true // digits fill from the right, in steps
	}
	var f int64
	if frac != "" {
		f, _ = strconv.ParseInt(frac, 10, 64) // ≤ Display digits
	}
	return n*pow10(c.Decimals) + f*pow10(c.Decimals-len(frac)), true
}

// Number is what was typed read as a whole number (e.g. a quantity): ok
// is false once a separator was typed or keys are held.
func (d DigitEntry) Number() (n int64, ok bool) {
	if d.Decimal() || d.err != nil {
		return 0, false
	}
	if d.keys == "" {
		return 0, true
	}
	n, err := strconv.ParseInt(d.keys, 10, 64)
	return n, err == nil
}

// Decimal reports whether the separator was typed (the entry reads as
// written).
func (d DigitEntry) Decimal() bool { return strings.ContainsAny(d.keys, ".,") }

func (d DigitEntry) fraction() string {
	_, frac, _ := strings.Cut(strings.ReplaceAll(d.keys, ",", "."), ".")
	return frac
}

// Currency is the entry's lower-case currency code.
func (d DigitEntry) Currency() string { return d.currency.Code }

// Empty reports whether no key is typed (accepted or held).
func (d DigitEntry) Empty() bool { return d.keys == "" && d.held == "" }

// Full reports whether no further digit can be typed.
func (d DigitEntry) Full() bool { return d.check('0') != nil }

// Parts splits the amount as it will be charged (formatted like Format,
// without the code) into what the cashier typed and the decimals still
// implied: after 1 2 . 5 in USD "12.5" and "0", after 1 2 5 0 "12.50" and
// "". A view can show the implied digits fainter.
func (d DigitEntry) Parts() (typed, implied string) {
	n := formatNumber(d.Amount(), d.currency)
	if !d.Decimal() {
		return n, ""
	}
	k := max(0, d.currency.Display-len(d.fraction()))
	return n[:len(n)-k], n[len(n)-k:]
}

// String renders the amount with Format ("12.50 USD").
func (d DigitEntry) String() string { return Format(d.Amount(), d.currency.Code) }
