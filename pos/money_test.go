package pos

import (
	"errors"
	"strings"
	"testing"
)

func TestLookupCurrency(t *testing.T) {
	tests := []struct {
		code             string
		wantCode         string
		decimals, displ  int
		step             int64
		known, wantError bool
	}{
		{"usd", "usd", 2, 2, 1, true, false},
		{" USD ", "usd", 2, 2, 1, true, false},
		{"jpy", "jpy", 0, 0, 1, true, false},
		{"ugx", "ugx", 0, 0, 1, true, false},
		{"xpf", "xpf", 0, 0, 1, true, false},
		{"kwd", "kwd", 3, 3, 10, true, false},
		{"tnd", "tnd", 3, 3, 10, true, false},
		{"isk", "isk", 2, 0, 100, true, false},
		{"huf", "huf", 2, 2, 1, true, false},
		{"mur", "mur", 2, 2, 1, false, false}, // unlisted: Stripe's default two-decimal
		{"SLE", "sle", 2, 2, 1, false, false}, // newer than x/text's ISO tables
		{"xyz", "", 0, 0, 0, false, true},     // well-formed but no ISO 4217 currency
		{"xts", "", 0, 0, 0, false, true},     // ISO's code for testing, not a currency
		{"dem", "", 0, 0, 0, false, true},     // no longer in tender
		{"", "", 0, 0, 0, false, true},
		{"us", "", 0, 0, 0, false, true},
		{"usdx", "", 0, 0, 0, false, true},
		{"u$d", "", 0, 0, 0, false, true},
	}
	for _, tt := range tests {
		c, err := LookupCurrency(tt.code)
		if tt.wantError {
			if !errors.Is(err, ErrCurrency) {
				t.Errorf("LookupCurrency(%q) err = %v, want ErrCurrency", tt.code, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("LookupCurrency(%q): %v", tt.code, err)
		}
		if c.Code != tt.wantCode || c.Decimals != tt.decimals || c.Display != tt.displ || c.Step != tt.step || c.Known != tt.known {
			t.Errorf("LookupCurrency(%q) = %+v", tt.code, c)
		}
	}
}

func TestParseAmount(t *testing.T) {
	tests := []struct {
		in, cur string
		want    int64
		err     error
		msg     string // substring of the error message
	}{
		{"12.50", "usd", 1250, nil, ""},
		{"12,50", "usd", 1250, nil, ""},
		{"1250", "usd", 125000, nil, ""},
		{"12", "usd", 1200, nil, ""},
		{"12.5", "usd", 1250, nil, ""},
		{".5", "usd", 50, nil, ""},
		{"12.", "usd", 1200, nil, ""},
		{"  7.05 ", "eur", 705, nil, ""},
		{"0", "usd", 0, nil, ""},
		{"007", "usd", 700, nil, ""},
		{"500", "jpy", 500, nil, ""},
		{"999999.99", "usd", MaxAmount, nil, ""},
		{"99999999", "jpy", MaxAmount, nil, ""},
		{"1.230", "kwd", 1230, nil, ""},
		{"1.23", "kwd", 1230, nil, ""},
		{"5", "isk", 500, nil, ""},
		{"5.00", "isk", 500, nil, ""},
		{"12.505", "usd", 0, ErrAmountPrecision, "USD allows at most 2 decimals"},
		{"12.500", "usd", 0, ErrAmountPrecision, "at most 2 decimals"},
		{"500.0", "jpy", 0, ErrAmountPrecision, "JPY has no decimals"},
		{"5,5", "jpy", 0, ErrAmountPrecision, "JPY has no decimals"},
		{"1.235", "kwd", 0, ErrAmountPrecision, "last of the three KWD decimals to be 0"},
		{"5.50", "isk", 0, ErrAmountPrecision, "ISK only in whole units"},
		{"-5", "usd", 0, ErrAmountNegative, "cannot be negative"},
		{"", "usd", 0, ErrAmountEmpty, "enter an amount"},
		{"   ", "usd", 0, ErrAmountEmpty, ""},
		{"abc", "usd", 0, ErrAmountSyntax, "not an amount"},
		{"$12", "usd", 0, ErrAmountSyntax, ""},
		{"12 50", "usd", 0, ErrAmountSyntax, ""},
		{"+12", "usd", 0, ErrAmountSyntax, ""},
		{".", "usd", 0, ErrAmountSyntax, ""},
		{"1e3", "usd", 0, ErrAmountSyntax, ""},
		{"1,234.50", "usd", 0, ErrAmountSyntax, "one decimal separator"},
		{"1.2.3", "usd", 0, ErrAmountSyntax, ""},
		{"１２", "usd", 0, ErrAmountSyntax, ""}, // full-width digits
		{"1000000", "usd", 0, ErrAmountTooLarge, "maximum of 999999.99 USD"},
		{"100000000", "jpy", 0, ErrAmountTooLarge, "99999999 JPY"},
		{"99999999999999999999999", "usd", 0, ErrAmountTooLarge, ""},
		{"1000000", "isk", 0, ErrAmountTooLarge, "999999 ISK"},
		{"12", "dollars", 0, ErrCurrency, ""},
	}
	for _, tt := range tests {
		got, err := ParseAmount(tt.in, tt.cur)
		if tt.err != nil {
			if !errors.Is(err, tt.err) {
				t.Errorf("ParseAmount(%q, %s) err = %v, want %v", tt.in, tt.cur, err, tt.err)
			} else if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("ParseAmount(%q, %s) message %q lacks %q", tt.in, tt.cur, err, tt.msg)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseAmount(%q, %s) = %d, %v; want %d", tt.in, tt.cur, got, err, tt.want)
		}
	}
}

func TestFormat(t *testing.T) {
	tests := []struct {
		amount      int64
		cur         string
		want, wantS string
	}{
		{1250, "usd", "12.50 USD", "$12.50"},
		{5, "usd", "0.05 USD", "$0.05"},
		{0, "eur", "0.00 EUR", "€0.00"},
		{-300, "eur", "-3.00 EUR", "-€3.00"},
		{500, "jpy", "500 JPY", "¥500"},
		{1230, "kwd", "1.230 KWD", "1.230 KWD"}, // no symbol known
		{500, "isk", "5 ISK", "kr 5"},
		{4010, "isk", "40.10 ISK", "kr 40.10"}, // legacy fractional króna stays visible
		{MaxAmount, "usd", "999999.99 USD", "$999999.99"},
		{1250, "chf", "12.50 CHF", "CHF 12.50"},
		{1250, "mur", "12.50 MUR", "12.50 MUR"},
		{-9223372036854775808, "usd", "-92233720368547758.08 USD", "-$92233720368547758.08"},
	}
	for _, tt := range tests {
		if got := Format(tt.amount, tt.cur); got != tt.want {
			t.Errorf("Format(%d, %s) = %q, want %q", tt.amount, tt.cur, got, tt.want)
		}
		if got := FormatSymbol(tt.amount, tt.cur); got != tt.wantS {
			t.Errorf("FormatSymbol(%d, %s) = %q, want %q", tt.amount, tt.cur, got, tt.wantS)
		}
	}
}

func TestFormatParseRoundTrip(t *testing.T) {
	for _, cur := range []string{"usd", "jpy", "kwd", "isk", "eur"} {
		c, _ := LookupCurrency(cur)
		for _, amount := range []int64{0, c.Step, 50 * c.Step, 123456 * c.Step, MaxAmount / c.Step * c.Step} {
			s := Format(amount, cur)
			got, err := ParseAmount(strings.TrimSuffix(s, " "+c.Upper()), cur)
			if err != nil || got != amount {
				t.Errorf("%s: Format(%d) = %q parses to %d, %v", cur, amount, s, got, err)
			}
		}
	}
}

func TestMinimumCharge(t *testing.T) {
	tests := []struct {
		cur   string
		want  int64
		known bool
	}{
		{"usd", 50, true}, {"EUR", 50, true}, {"gbp", 30, true}, {"jpy", 50, true},
		{"cad", 50, true}, {"aud", 50, true}, {"chf", 50, true}, {"huf", 17500, true},
		{"mxn", 1000, true}, {"hkd", 400, true},
		{"krw", 50, false}, // zero-decimal, unlisted
		{"kwd", 500, false},
		{"isk", 100, false},
		{"mur", 50, false},
	}
	for _, tt := range tests {
		got, known := MinimumChargeKnown(tt.cur)
		if got != tt.want || known != tt.known {
			t.Errorf("MinimumChargeKnown(%s) = %d, %v; want %d, %v", tt.cur, got, known, tt.want, tt.known)
		}
		if MinimumCharge(tt.cur) != tt.want {
			t.Errorf("MinimumCharge(%s) = %d", tt.cur, MinimumCharge(tt.cur))
		}
	}
}
