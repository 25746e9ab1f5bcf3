package i18n

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/text/language"

	"kasse/pos"
)

func TestParseAmountAccepts(t *testing.T) {
	tests := []struct {
		locale, in, cur string
		want            int64
	}{
		// The locale's own decimal separator.
		{"de", "12,50", "eur", 1250},
		{"de", "12,5", "eur", 1250},
		{"de", "0,05", "eur", 5},
		{"de", ",5", "eur", 50},
		{"de", "12,", "eur", 1200},
		{"de", " 12,50 ", "eur", 1250},
		{"en", "12.50", "usd", 1250},
		{"en", "7.4", "gbp", 740},
		{"en-GB", "7.40", "gbp", 740},
		{"de-CH", "12.50", "chf", 1250},
		// Digits alone are whole units.
		{"de", "12", "eur", 1200},
		{"en", "1980", "jpy", 1980},
		{"de", "1980", "jpy", 1980},
		{"de", "0", "eur", 0},
		{"de", "5", "isk", 500},
		{"en", "999999.99", "usd", pos.MaxAmount},
		{"de", "99999999", "jpy", pos.MaxAmount},
		// The other separator with one or two digits cannot be thousands.
		{"de", "12.50", "eur", 1250},
		{"de", "12.5", "eur", 1250},
		{"en", "12,50", "usd", 1250},
		{"en", "12,5", "usd", 1250},
		// Three decimals with the locale's own separator.
		{"de", "1,250", "kwd", 1250},
		{"en", "1.250", "kwd", 1250},
		{"en", "1.25", "kwd", 1250},
		{"de", "12", "kwd", 12000},
	}
	for _, c := range tests {
		got, err := New(language.MustParse(c.locale)).ParseAmount(c.in, c.cur)
		if err != nil || got != c.want {
			t.Errorf("%s ParseAmount(%q, %s) = %d, %v; want %d", c.locale, c.in, c.cur, got, err, c.want)
		}
	}
}

func TestParseAmountRefuses(t *testing.T) {
	tests := []struct {
		locale, in, cur string
		kind            error
		id              string
		text            string // the message in the locale's language
	}{
		// Ambiguous: the other separator before three digits.
		{"en", "1,250", "usd", pos.ErrAmountSyntax, "amount.ambiguous", "“1,250” is ambiguous: type 1250 for whole units or 1.25 with decimals"},
		{"de", "1.250", "eur", pos.ErrAmountSyntax, "amount.ambiguous", "„1.250“ ist mehrdeutig: 1250 für ganze Einheiten oder 1,25 mit Nachkommastellen eingeben"},
		{"de", "1.000", "eur", pos.ErrAmountSyntax, "amount.ambiguous", "„1.000“ ist mehrdeutig: 1000 für ganze Einheiten oder 1 mit Nachkommastellen eingeben"},
		{"de", "1.250", "kwd", pos.ErrAmountSyntax, "amount.ambiguous", "„1.250“ ist mehrdeutig: 1250 für ganze Einheiten oder 1,25 mit Nachkommastellen eingeben"},
		{"en", ",250", "usd", pos.ErrAmountSyntax, "amount.ambiguous", "“,250” is ambiguous: type 250 for whole units or 0.25 with decimals"},
		// … unless it cannot be decimals: then it is a thousands separator.
		{"en", "1,255", "usd", pos.ErrAmountSyntax, "amount.grouping", "“1,255”: type the amount without thousands separators, like 1234.50"},
		{"en", "1,255", "kwd", pos.ErrAmountSyntax, "amount.grouping", "“1,255”: type the amount without thousands separators, like 1234.250"},
		// Thousands separators are never typed.
		{"de", "1.234,56", "eur", pos.ErrAmountSyntax, "amount.grouping", "„1.234,56“: Betrag ohne Tausendertrennzeichen eingeben, etwa 1234,50"},
		{"en", "1,234.56", "usd", pos.ErrAmountSyntax, "amount.grouping", "“1,234.56”: type the amount without thousands separators, like 1234.50"},
		{"en", "1,234,567", "usd", pos.ErrAmountSyntax, "amount.grouping", ""},
		{"de", "1 234", "eur", pos.ErrAmountSyntax, "amount.grouping", ""},
		{"de", "1\u00a0234", "eur", pos.ErrAmountSyntax, "amount.grouping", ""},
		{"de-CH", "1'234.50", "chf", pos.ErrAmountSyntax, "amount.grouping", ""},
		{"de", "12,5,0", "eur", pos.ErrAmountSyntax, "amount.grouping", ""},
		// Over-precise: more decimals than the currency has.
		{"de", "12,505", "eur", pos.ErrAmountPrecision, "amount.too_precise", "„12,505“: EUR hat 2 Nachkommastellen"},
		{"en", "12.505", "usd", pos.ErrAmountPrecision, "amount.too_precise", "“12.505”: USD has 2 decimals"},
		{"en", "1.250", "usd", pos.ErrAmountPrecision, "amount.too_precise", ""}, // "." is English decimals: never 1250
		{"de", "1,250", "eur", pos.ErrAmountPrecision, "amount.too_precise", ""},
		{"en", "1.2500", "kwd", pos.ErrAmountPrecision, "amount.too_precise", "“1.2500”: KWD has 3 decimals"},
		{"de", "12,5", "jpy", pos.ErrAmountPrecision, "amount.no_decimals", "JPY hat keine Nachkommastellen: ganze Einheiten eingeben, etwa 1980"},
		{"en", "1,980", "jpy", pos.ErrAmountPrecision, "amount.no_decimals", "JPY has no decimals: type whole units, like 1980"},
		{"de", "5,50", "isk", pos.ErrAmountPrecision, "amount.no_decimals", ""},
		// Stripe's step: the third KWD decimal is 0.
		{"de", "1,255", "kwd", pos.ErrAmountPrecision, "amount.step", "„1,255“: Stripe nimmt KWD nur mit 0 als letzter Nachkommastelle, etwa 1234,250"},
		// A three-decimal currency takes only the locale's separator.
		{"de", "1.25", "kwd", pos.ErrAmountSyntax, "amount.separator", "KWD hat 3 Nachkommastellen: nach „,“ eingeben („.“ könnte ein Tausendertrennzeichen sein)"},
		{"en", "1,25", "kwd", pos.ErrAmountSyntax, "amount.separator", "KWD has 3 decimals: type them after “.” (“,” could be a thousands separator)"},
		// Not amounts.
		{"de", "", "eur", pos.ErrAmountEmpty, "amount.empty", "Bitte einen Betrag eingeben"},
		{"en", "   ", "eur", pos.ErrAmountEmpty, "amount.empty", "Enter an amount"},
		{"de", "-3", "eur", pos.ErrAmountNegative, "amount.negative", "„-3“: Ein Betrag kann nicht negativ sein"},
		{"en", "−3", "eur", pos.ErrAmountNegative, "amount.negative", ""},
		{"en", "12.50€", "eur", pos.ErrAmountSyntax, "amount.syntax", "“12.50€” is not an amount: type it like 1234.50"},
		{"en", "$12", "usd", pos.ErrAmountSyntax, "amount.syntax", ""},
		{"en", "+12", "usd", pos.ErrAmountSyntax, "amount.syntax", ""},
		{"en", "1e3", "usd", pos.ErrAmountSyntax, "amount.syntax", ""},
		{"en", ".", "usd", pos.ErrAmountSyntax, "amount.syntax", ""},
		{"de", "12\x1b[2J", "eur", pos.ErrAmountSyntax, "amount.syntax", "„12\\x1b[2J“ ist kein Betrag; so wird er eingegeben: 1234,50"},
		// Too large.
		{"en", "1000000", "usd", pos.ErrAmountTooLarge, "amount.too_large", "Above Stripe's maximum of $999,999.99"},
		{"de", "100000000", "jpy", pos.ErrAmountTooLarge, "amount.too_large", "Mehr als Stripes Höchstbetrag von 99.999.999" + nbsp + "¥"},
		{"de", "99999999999999999999", "eur", pos.ErrAmountTooLarge, "amount.too_large", "Mehr als Stripes Höchstbetrag von 999.999,99" + nbsp + "€"},
		{"en", "100000", "kwd", pos.ErrAmountTooLarge, "amount.too_large", "Above Stripe's maximum of KWD" + nbsp + "99,999.990"},
		// Not a currency.
		{"de", "12", "euro", pos.ErrCurrency, "amount.currency_unknown", "„euro“ ist kein Währungscode (wie EUR, USD oder JPY)"},
	}
	for _, c := range tests {
		l := New(language.MustParse(c.locale))
		got, err := l.ParseAmount(c.in, c.cur)
		var e *Error
		if !errors.As(err, &e) {
			t.Errorf("%s ParseAmount(%q, %s) = %d, %v; want a refusal", c.locale, c.in, c.cur, got, err)
			continue
		}
		if !errors.Is(err, c.kind) || e.Msg.ID != c.id {
			t.Errorf("%s ParseAmount(%q, %s): %s (%v), want %s (%v)", c.locale, c.in, c.cur, e.Msg.ID, e.Kind, c.id, c.kind)
		}
		if text := l.Err(err); c.text != "" && text != c.text {
			t.Errorf("%s ParseAmount(%q, %s): %q, want %q", c.locale, c.in, c.cur, text, c.text)
		}
	}
}

// Whatever ParseAmount accepts, pos accepts as the same amount: the
// locale only changes how it is typed.
func TestParseAmountAgreesWithPos(t *testing.T) {
	inputs := []string{"0", "1", "12", "12.5", "12.50", "12,5", "12,50", "1.25", "1,25", "1.250", "1,250",
		"999999.99", "99999999", ".5", ",5", "7.", "7,"}
	for _, tag := range []string{"de", "en", "de-CH"} {
		l := New(language.MustParse(tag))
		for _, cur := range []string{"eur", "usd", "jpy", "kwd", "isk"} {
			for _, in := range inputs {
				got, err := l.ParseAmount(in, cur)
				if err != nil {
					continue
				}
				want, perr := pos.ParseAmount(strings.ReplaceAll(in, ",", "."), cur)
				if perr != nil || got != want {
					t.Errorf("%s %q %s: %d, pos says %d, %v", tag, in, cur, got, want, perr)
				}
			}
		}
	}
}

// The register's key-by-key entry refuses a key with a pos error; the
// refusal reads the same in the catalog as a prompt's.
func TestEntryRefusal(t *testing.T) {
	tests := []struct {
		cur  string
		sep  rune
		keys string
		id   string
		de   string
		en   string
	}{
		{"jpy", ',', "198,", "amount.no_decimals",
			"JPY hat keine Nachkommastellen: ganze Einheiten eingeben, etwa 1980",
			"JPY has no decimals: type whole units, like 1980"},
		{"eur", ',', "12,5,", "amount.grouping",
			"„12,5,“: Betrag ohne Tausendertrennzeichen eingeben, etwa 1234,50",
			"“12,5,”: type the amount without thousands separators, like 1234,50"},
		{"eur", ',', "12,505", "amount.too_precise",
			"„12,505“: EUR hat 2 Nachkommastellen",
			"“12,505”: EUR has 2 decimals"},
		{"usd", '.', "12.505", "amount.too_precise",
			"„12.505“: USD hat 2 Nachkommastellen",
			"“12.505”: USD has 2 decimals"},
		{"kwd", ',', "1.", "amount.separator",
			"KWD hat 3 Nachkommastellen: nach „,“ eingeben („.“ könnte ein Tausendertrennzeichen sein)",
			"KWD has 3 decimals: type them after “,” (“.” could be a thousands separator)"},
		{"kwd", '.', "1.235", "amount.step",
			"„1.235“: Stripe nimmt KWD nur mit 0 als letzter Nachkommastelle, etwa 1234.250",
			"“1.235”: Stripe takes KWD only with 0 as the last decimal, like 1234.250"},
		{"kwd", '.', "1.2305", "amount.too_precise",
			"„1.2305“: KWD hat 3 Nachkommastellen", "“1.2305”: KWD has 3 decimals"},
		{"eur", ',', "12x", "amount.not_digit",
			"„x“ ist keine Ziffer; so wird ein Betrag eingegeben: 1234,50",
			"“x” is not a digit: type the amount like 1234,50"},
		{"eur", ',', "999999999", "amount.too_large",
			"Mehr als Stripes Höchstbetrag von 999.999,99" + nbsp + "€",
			"Above Stripe's maximum of €999,999.99"},
		{"eur", ',', "9999999,999", "amount.too_large", "", ""},
	}
	de, en := New(German), New(English)
	for _, c := range tests {
		d := pos.NewDigitEntry(c.cur).WithSeparator(c.sep).Type(c.keys)
		if d.Err() == nil {
			t.Errorf("%s %q: the entry took every key", c.cur, c.keys)
			continue
		}
		m, ok := EntryRefusal(d)
		if !ok || m.ID != c.id {
			t.Errorf("%s %q: %s (%v), want %s; pos says %v", c.cur, c.keys, m.ID, ok, c.id, d.Err())
			continue
		}
		if c.de != "" && de.Render(m) != c.de {
			t.Errorf("%s %q de: %q, want %q", c.cur, c.keys, de.Render(m), c.de)
		}
		if c.en != "" && en.Render(m) != c.en {
			t.Errorf("%s %q en: %q, want %q", c.cur, c.keys, en.Render(m), c.en)
		}
	}
	if _, ok := EntryRefusal(pos.NewDigitEntry("eur").Type("12,50")); ok {
		t.Error("an entry that holds nothing has a refusal")
	}
}

// A catalogued error renders in each session's language; errors.Is sees
// its kind; Error() is English, for logs.
func TestErrorRendersPerLocale(t *testing.T) {
	_, err := New(English).ParseAmount("12.505", "eur")
	if err == nil {
		t.Fatal("12.505 EUR parsed")
	}
	if got, want := New(German).Err(err), "„12.505“: EUR hat 2 Nachkommastellen"; got != want {
		t.Errorf("de: %q, want %q", got, want)
	}
	if got, want := err.Error(), "“12.505”: EUR has 2 decimals"; got != want {
		t.Errorf("Error(): %q, want %q", got, want)
	}
	if !errors.Is(err, pos.ErrAmountPrecision) {
		t.Errorf("errors.Is(%v, ErrAmountPrecision) = false", err)
	}
}

// ownError is a package's own error type that renders itself (a Localizer).
type ownError struct{ amount string }

func (e ownError) Error() string { return Neutral().T("amount.empty") + " " + e.amount }
func (e ownError) Localize(l *Locale) string {
	return l.T("amount.empty") + " " + e.amount
}

// Err renders a Localizer in the locale's words, also wrapped; the errors
// of an errors.Join a line each (each in its own words); a fmt.Errorf with
// several %w as its text.
func TestErrRendersLocalizersAndJoins(t *testing.T) {
	de := New(German)
	want := "Bitte einen Betrag eingeben 5"
	if got := de.Err(ownError{"5"}); got != want {
		t.Errorf("a Localizer: %q, want %q", got, want)
	}
	if got := de.Err(fmt.Errorf("wrapped: %w", ownError{"5"})); got != want {
		t.Errorf("a wrapped Localizer: %q, want %q", got, want)
	}
	_, parse := de.ParseAmount("", "eur")
	j := errors.Join(ownError{"5"}, errors.New("plain"), parse)
	if got, want := de.Err(j), want+"\nplain\nBitte einen Betrag eingeben"; got != want {
		t.Errorf("a join: %q, want %q", got, want)
	}
	multi := fmt.Errorf("a %w and b %w", errors.New("x"), errors.New("y"))
	if got := de.Err(multi); got != "a x and b y" {
		t.Errorf("two %%w: %q", got)
	}
	if got := de.Err(nil); got != "" {
		t.Errorf("nil: %q", got)
	}
	if Neutral() != Neutral() || Neutral().Language() != English {
		t.Error("Neutral is not one shared English Locale")
	}
}

// A port's error: its kind in the locale's words, Stripe's code and
// message as Stripe sent them; the same as pos.Error.Error in English.
func TestErrWordsPortErrors(t *testing.T) {
	pe := &pos.Error{Kind: pos.KindRateLimited, Code: "rate_limit", Message: "Too many requests."}
	if got, want := New(German).Err(pe), "gedrosselt (rate_limit): Too many requests."; got != want {
		t.Errorf("de: %q, want %q", got, want)
	}
	for k := pos.KindUnknown; k <= pos.KindIdempotency; k++ {
		e := &pos.Error{Kind: k, Message: "m"}
		if got := New(English).Err(e); got != e.Error() {
			t.Errorf("en %v: %q, want pos's %q", k, got, e.Error())
		}
	}
}
