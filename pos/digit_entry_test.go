package pos

import "testing"

func TestDigitEntry(t *testing.T) {
	type op func(DigitEntry) DigitEntry
	press := func(s string) op { return func(d DigitEntry) DigitEntry { return d.Type(s) } }
	back := func(d DigitEntry) DigitEntry { return d.Backspace() }
	clear := func(d DigitEntry) DigitEntry { return d.Clear() }

	tests := []struct {
		name   string
		cur    string
		ops    []op
		amount int64
		str    string
		full   bool
	}{
		{"usd 1250", "usd", []op{press("1250")}, 1250, "12.50 USD", false},
		{"jpy 1250", "jpy", []op{press("1250")}, 1250, "1250 JPY", false},
		{"leading zeros dropped", "usd", []op{press("0005")}, 5, "0.05 USD", false},
		{"backspace", "usd", []op{press("1250"), back}, 125, "1.25 USD", false},
		{"backspace on empty", "usd", []op{back, back}, 0, "0.00 USD", false},
		{"clear", "usd", []op{press("99"), clear}, 0, "0.00 USD", false},
		{"non-digits ignored", "usd", []op{press("1a.2-")}, 12, "0.12 USD", false},
		{"double zero key", "usd", []op{press("5"), press("00")}, 500, "5.00 USD", false},
		{"cap at 8 digits", "usd", []op{press("123456789")}, 12345678, "123456.78 USD", true},
		{"cap then backspace then digit", "usd", []op{press("99999999"), back, press("1")}, 99999991, "999999.91 USD", true},
		{"kwd counts steps", "kwd", []op{press("123")}, 1230, "1.230 KWD", false},
		{"kwd cap", "kwd", []op{press("99999999")}, 99999990, "99999.990 KWD", true},
		{"isk whole kronur", "isk", []op{press("5")}, 500, "5 ISK", false},
		{"isk cap", "isk", []op{press("1234567")}, 12345600, "123456 ISK", true},
	}
	for _, tt := range tests {
		d := NewDigitEntry(tt.cur)
		for _, o := range tt.ops {
			d = o(d)
		}
		if d.Amount() != tt.amount || d.String() != tt.str || d.Full() != tt.full {
			t.Errorf("%s: amount %d %q full=%v; want %d %q full=%v", tt.name, d.Amount(), d.String(), d.Full(), tt.amount, tt.str, tt.full)
		}
		if d.Amount() > MaxAmount {
			t.Errorf("%s: amount above MaxAmount", tt.name)
		}
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
	if d := DigitEntryOf(-5, "usd"); d.Amount() != 0 {
		t.Errorf("DigitEntryOf negative: got %d", d.Amount())
	}
	if d := DigitEntryOf(1250, "usd").Backspace(); d.Amount() != 125 || d.Currency() != "usd" {
		t.Errorf("edit preloaded: %d %s", d.Amount(), d.Currency())
	}
}
