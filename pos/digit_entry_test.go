package pos

import (
	"errors"
	"strings"
	"testing"
)

// TestDigitEntryRules types keys (one string, "<" is backspace) in each
// currency and checks the amount, what is shown, the held keys and the
// refusal. Digits alone fill from the right; after the separator the
// entry reads as written; a key it cannot honour is held, never dropped
// and never reinterpreted.
func TestDigitEntryRules(t *testing.T) {
	tests := []struct {
		cur, keys string
		amount    int64
		shown     string
		held      string
		err       error  // sentinel of the refusal, nil when none
		msg       string // substring of the refusal
	}{
		// Digits fill from the right (the till convention stays).
		{"usd", "1250", 1250, "12.50 USD", "", nil, ""},
		{"eur", "1250", 1250, "12.50 EUR", "", nil, ""},
		{"jpy", "1250", 1250, "1250 JPY", "", nil, ""},
		{"usd", "0005", 5, "0.05 USD", "", nil, ""},
		{"usd", "5" + "00", 500, "5.00 USD", "", nil, ""},
		{"usd", "1250<", 125, "1.25 USD", "", nil, ""},
		{"usd", "<<", 0, "0.00 USD", "", nil, ""},
		{"kwd", "123", 1230, "1.230 KWD", "", nil, ""},
		{"isk", "5", 500, "5 ISK", "", nil, ""},

		// Once the separator is typed, the entry reads as written.
		{"usd", "12.5", 1250, "12.50 USD", "", nil, ""},
		{"usd", "12.50", 1250, "12.50 USD", "", nil, ""},
		{"usd", "12,5", 1250, "12.50 USD", "", nil, ""},
		{"eur", "12,5", 1250, "12.50 EUR", "", nil, ""},
		{"eur", "12.05", 1205, "12.05 EUR", "", nil, ""},
		{"usd", ".5", 50, "0.50 USD", "", nil, ""},
		{"usd", "0.5", 50, "0.50 USD", "", nil, ""},
		{"usd", "7.", 700, "7.00 USD", "", nil, ""},
		{"usd", "12.5<", 1200, "12.00 USD", "", nil, ""},
		{"usd", "12.5<<", 12, "0.12 USD", "", nil, ""}, // the separator taken back: digits fill from the right again
		{"kwd", "1.23", 1230, "1.230 KWD", "", nil, ""},
		{"kwd", "1.230", 1230, "1.230 KWD", "", nil, ""},

		// Refused and held: the amount before the refusal stays visible.
		{"jpy", "12.5", 12, "12 JPY", ".5", ErrAmountPrecision, "JPY has no decimals"},
		{"jpy", "12,", 12, "12 JPY", ",", ErrAmountPrecision, "JPY has no decimals"},
		{"isk", "5.", 500, "5 ISK", ".", ErrAmountPrecision, "ISK has no decimals"},
		{"usd", "12.505", 1250, "12.50 USD", "5", ErrAmountPrecision, `"12.505": USD has 2 decimals (thousands take no separator)`},
		{"usd", "1,250", 125, "1.25 USD", "0", ErrAmountPrecision, `"1,250": USD has 2 decimals`},
		{"eur", "1.250,00", 125, "1.25 EUR", "0,00", ErrAmountPrecision, "EUR has 2 decimals"},
		{"usd", "1.2.", 120, "1.20 USD", ".", ErrAmountSyntax, "one decimal separator only"},
		{"usd", "1.,", 100, "1.00 USD", ",", ErrAmountSyntax, "one decimal separator only"},
		{"kwd", "1,", 10, "0.010 KWD", ",", ErrAmountSyntax, `KWD has 3 decimals: "," could mean thousands, type "." for decimals`},
		{"kwd", "1.235", 1230, "1.230 KWD", "5", ErrAmountPrecision, `"1.235": the last KWD decimal must be 0 (e.g. 1.230)`},
		{"usd", "123456789", 12345678, "123456.78 USD", "9", ErrAmountTooLarge, "above Stripe's maximum of 999999.99 USD"},
		{"usd", "1234567.", 1234567, "12345.67 USD", ".", ErrAmountTooLarge, "above Stripe's maximum"},
		{"usd", "999999.999", 99999999, "999999.99 USD", "9", ErrAmountPrecision, "USD has 2 decimals"},
		{"kwd", "9999999", 99999990, "99999.990 KWD", "", nil, ""},
		{"kwd", "99999999", 99999990, "99999.990 KWD", "9", ErrAmountTooLarge, "maximum of 99999.990 KWD"},
		{"isk", "1234567", 12345600, "123456 ISK", "7", ErrAmountTooLarge, "maximum of 999999 ISK"},
		{"usd", "1a2", 1, "0.01 USD", "a2", ErrAmountSyntax, `"a" is not a digit`},
		{"usd", "12.505<", 1250, "12.50 USD", "", nil, ""}, // taking the refused key back ends the refusal
		{"jpy", "12.5<<50", 1250, "1250 JPY", "", nil, ""},
	}
	for _, tt := range tests {
		d := NewDigitEntry(tt.cur)
		for _, r := range tt.keys {
			if r == '<' {
				d = d.Backspace()
			} else {
				d = d.Press(r)
			}
		}
		name := tt.cur + " " + tt.keys
		if d.Amount() != tt.amount || d.String() != tt.shown || d.Held() != tt.held {
			t.Errorf("%s: amount %d %q held %q; want %d %q held %q", name, d.Amount(), d.String(), d.Held(), tt.amount, tt.shown, tt.held)
		}
		v, err := d.Value()
		switch {
		case tt.err == nil && (err != nil || d.Err() != nil || v != tt.amount):
			t.Errorf("%s: Value() = %d, %v; want %d, nil", name, v, err, tt.amount)
		case tt.err != nil && (!errors.Is(err, tt.err) || !errors.Is(d.Err(), tt.err) || !strings.Contains(err.Error(), tt.msg)):
			t.Errorf("%s: Value() err = %v; want %v with %q", name, err, tt.err, tt.msg)
		}
		if d.Amount() > MaxAmount || d.Amount()%currencyOrDefault(tt.cur).Step != 0 {
			t.Errorf("%s: amount %d Stripe refuses", name, d.Amount())
		}
	}
}

// The separator is the entry's parameter: a locale's ',' is its own; '.'
// is then the alternative, taken only where it cannot be misread.
func TestDigitEntrySeparatorParameter(t *testing.T) {
	if s := NewDigitEntry("usd").Separator(); s != '.' {
		t.Errorf("default separator %q", s)
	}
	d := NewDigitEntry("kwd").WithSeparator(',')
	if d.Separator() != ',' {
		t.Fatalf("WithSeparator(',') = %q", d.Separator())
	}
	if d = d.Type("1,25"); d.Amount() != 1250 || d.Err() != nil {
		t.Errorf("kwd 1,25 with ',' = %d, %v", d.Amount(), d.Err())
	}
	d = NewDigitEntry("kwd").WithSeparator(',').Type("1.")
	if !errors.Is(d.Err(), ErrAmountSyntax) || !strings.Contains(d.Err().Error(), `type "," for decimals`) {
		t.Errorf("kwd 1. with ',' err = %v", d.Err())
	}
	if d = NewDigitEntry("eur").WithSeparator(',').Type("3.2"); d.Amount() != 320 || d.Err() != nil {
		t.Errorf("eur 3.2 with ',' = %d, %v", d.Amount(), d.Err())
	}
	if d := NewDigitEntry("usd").WithSeparator('x'); d.Separator() != '.' {
		t.Errorf("WithSeparator('x') = %q, want '.' kept", d.Separator())
	}
}

func TestDigitEntryParts(t *testing.T) {
	tests := []struct{ cur, keys, typed, implied string }{
		{"usd", "", "0.00", ""},
		{"usd", "1250", "12.50", ""},
		{"usd", "12.", "12.", "00"},
		{"usd", "12.5", "12.5", "0"},
		{"usd", "12.50", "12.50", ""},
		{"usd", ".5", "0.5", "0"},
		{"kwd", "1.2", "1.2", "00"},
		{"jpy", "500", "500", ""},
	}
	for _, tt := range tests {
		typed, implied := NewDigitEntry(tt.cur).Type(tt.keys).Parts()
		if typed != tt.typed || implied != tt.implied {
			t.Errorf("%s %q: Parts() = %q %q; want %q %q", tt.cur, tt.keys, typed, implied, tt.typed, tt.implied)
		}
	}
}

func TestDigitEntryNumberAndClear(t *testing.T) {
	if n, ok := NewDigitEntry("kwd").Type("3").Number(); n != 3 || !ok {
		t.Errorf("kwd 3 as a number = %d %v, want 3 (not steps)", n, ok)
	}
	if _, ok := NewDigitEntry("usd").Type("2.5").Number(); ok {
		t.Error("2.5 read as a whole number")
	}
	if _, ok := NewDigitEntry("jpy").Type("2.").Number(); ok {
		t.Error("a held entry read as a number")
	}
	d := NewDigitEntry("usd").Type("1.2.3").Clear()
	if !d.Empty() || d.Err() != nil || d.Amount() != 0 {
		t.Errorf("Clear left %q held %q err %v", d.String(), d.Held(), d.Err())
	}
	if d := NewDigitEntry("usd").Type("00"); !d.Empty() {
		t.Error("leading zeros made the entry non-empty")
	}
	if d := NewDigitEntry("usd").Type("."); d.Empty() || d.Amount() != 0 {
		t.Error("a typed separator is something typed")
	}
	if !NewDigitEntry("usd").Type("99999999").Full() || NewDigitEntry("usd").Type("9").Full() {
		t.Error("Full wrong")
	}
}

func TestDigitEntryIsAValue(t *testing.T) {
	a := NewDigitEntry("usd").Type("12")
	b := a.Press('3')
	if a.Amount() != 12 || b.Amount() != 123 {
		t.Fatalf("Press changed its receiver: a=%d b=%d", a.Amount(), b.Amount())
	}
	if !NewDigitEntry("usd").Empty() || a.Empty() {
		t.Fatal("Empty wrong")
	}
}

func TestDigitEntryOf(t *testing.T) {
	if d := DigitEntryOf(1255, "kwd"); d.Amount() != 1250 {
		t.Errorf("DigitEntryOf rounds to the step: got %d", d.Amount())
	}
	if d := DigitEntryOf(MaxAmount+5, "usd"); d.Amount() != MaxAmount {
		t.Errorf("DigitEntryOf caps: got %d", d.Amount())
	}
	if d := DigitEntryOf(-5, "usd"); d.Amount() != 0 || !d.Empty() {
		t.Errorf("DigitEntryOf negative: got %d", d.Amount())
	}
	if d := DigitEntryOf(1250, "usd").Backspace(); d.Amount() != 125 || d.Currency() != "usd" {
		t.Errorf("edit preloaded: %d %s", d.Amount(), d.Currency())
	}
	if d := DigitEntryOf(500, "isk").Press('0'); d.Amount() != 5000 {
		t.Errorf("isk preloaded 5, then 0: %d", d.Amount())
	}
}
