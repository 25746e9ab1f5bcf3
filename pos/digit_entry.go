package pos

// DigitEntry is the register keypad: digits typed fill the amount from the
// right, like a card terminal. For USD typing 1 2 5 0 gives 12.50; for JPY
// the same keys give 1250. Backspace drops the last digit. The amount never
// exceeds MaxAmount: a digit that would overflow it is ignored.
//
// For currencies with a step (three-decimal currencies, ISK) each typed
// digit counts steps, so the entry can never hold an amount Stripe refuses:
// KWD 1 2 3 gives 1.230, ISK 5 gives 5.
//
// DigitEntry is a value: every method returns a new entry.
type DigitEntry struct {
	currency Currency
	units    int64 // amount / currency.Step
}

// NewDigitEntry returns an empty entry for currency. An invalid code gives
// a two-decimal entry labelled with the code as given.
func NewDigitEntry(currency string) DigitEntry {
	return DigitEntry{currency: currencyOrDefault(currency)}
}

// DigitEntryOf returns an entry preloaded with amount minor units (rounded
// down to the currency's step, capped at MaxAmount), e.g. to edit a price.
func DigitEntryOf(amount int64, currency string) DigitEntry {
	d := NewDigitEntry(currency)
	amount = max(0, min(amount, MaxAmount))
	d.units = amount / d.currency.Step
	return d
}

// Press types one key. Digits '0'-'9' are appended unless the result would
// exceed MaxAmount; every other rune is ignored. Leading zeros are dropped.
func (d DigitEntry) Press(r rune) DigitEntry {
	if r < '0' || r > '9' {
		return d
	}
	next := d.units*10 + int64(r-'0')
	if next*d.currency.Step > MaxAmount {
		return d
	}
	d.units = next
	return d
}

// Type presses every rune of s in turn (handy for a "00" key).
func (d DigitEntry) Type(s string) DigitEntry {
	for _, r := range s {
		d = d.Press(r)
	}
	return d
}

// Backspace removes the last typed digit.
func (d DigitEntry) Backspace() DigitEntry {
	d.units /= 10
	return d
}

// Clear empties the entry.
func (d DigitEntry) Clear() DigitEntry {
	d.units = 0
	return d
}

// Amount is the entered amount in minor units.
func (d DigitEntry) Amount() int64 { return d.units * d.currency.Step }

// Currency is the entry's lower-case currency code.
func (d DigitEntry) Currency() string { return d.currency.Code }

// Empty reports whether nothing (or only zeros) was typed.
func (d DigitEntry) Empty() bool { return d.units == 0 }

// Full reports whether no further digit can be typed.
func (d DigitEntry) Full() bool { return (d.units*10)*d.currency.Step > MaxAmount }

// String renders the amount with Format ("12.50 USD").
func (d DigitEntry) String() string { return Format(d.Amount(), d.currency.Code) }
