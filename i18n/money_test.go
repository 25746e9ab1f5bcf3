package i18n

import (
	"strings"
	"testing"

	xcurrency "golang.org/x/text/currency"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"kasse/pos"
)

const nbsp = "\u00a0" // CLDR's space between number and symbol: no line break inside an amount

// The display locale decides separators, symbol and its position; the
// currency (Kasse's table, Stripe's minor units) decides the decimals.
func TestMoneyPerLocaleAndCurrency(t *testing.T) {
	tests := []struct {
		locale string
		amount int64
		cur    string
		want   string
	}{
		// German: number, no-break space, symbol; "." groups, "," decimals.
		{"de", 1250, "eur", "12,50" + nbsp + "€"},
		{"de", 123456, "eur", "1.234,56" + nbsp + "€"},
		{"de", 5, "eur", "0,05" + nbsp + "€"},
		{"de", 0, "eur", "0,00" + nbsp + "€"},
		{"de", -1250, "eur", "-12,50" + nbsp + "€"}, // a refund
		{"de", 99999999, "eur", "999.999,99" + nbsp + "€"},
		{"de", 1250, "usd", "12,50" + nbsp + "$"}, // CLDR de: "$", not "US$"
		{"de", 740, "gbp", "7,40" + nbsp + "£"},
		{"de", 1980, "jpy", "1.980" + nbsp + "¥"},
		{"de", 99999999, "jpy", "99.999.999" + nbsp + "¥"},
		{"de", 1250, "kwd", "1,250" + nbsp + "KWD"}, // no symbol in CLDR de: the code
		{"de", -1234560, "kwd", "-1.234,560" + nbsp + "KWD"},
		{"de", 1250, "cad", "12,50" + nbsp + "CA$"},
		// English (US): symbol first, no space; "," groups, "." decimals.
		{"en", 1250, "usd", "$12.50"},
		{"en", 123456, "usd", "$1,234.56"},
		{"en", -1250, "usd", "-$12.50"},
		{"en", 99999999, "usd", "$999,999.99"},
		{"en", 1250, "eur", "€12.50"},
		{"en", 123456, "eur", "€1,234.56"},
		{"en", 740, "gbp", "£7.40"},
		{"en", -740, "gbp", "-£7.40"},
		{"en", 1980, "jpy", "¥1,980"},
		{"en", -1980, "jpy", "-¥1,980"},
		{"en", 1250, "kwd", "KWD" + nbsp + "1.250"}, // a letter symbol gets a space
		{"en", 1234560, "kwd", "KWD" + nbsp + "1,234.560"},
		{"en", 1250, "cad", "CA$12.50"}, // the standard symbol tells dollars apart
		{"en-US", 1250, "usd", "$12.50"},
		// Regions within a language.
		{"en-GB", 740, "gbp", "£7.40"},
		{"en-GB", 1250, "usd", "US$12.50"},
		{"en-GB", 1980, "jpy", "JP¥1,980"},
		{"de-AT", 1250, "eur", "€" + nbsp + "12,50"},
		{"de-AT", 123456, "eur", "€" + nbsp + "1.234,56"},
		{"de-CH", 123456, "chf", "CHF" + nbsp + "1'234.56"},
		// ISK: two decimals in Stripe's API, whole krónur on screen; a
		// legacy fractional amount is shown whole, as pos.Format does.
		{"de", 500, "isk", "5" + nbsp + "ISK"},
		{"en", 123400, "isk", "ISK" + nbsp + "1,234"},
		{"de", 550, "isk", "5,50" + nbsp + "ISK"},
		// Upper-case codes are the same currency.
		{"en", 1250, "EUR", "€12.50"},
		// A withdrawn currency CLDR 49 no longer lists (pos still accepts
		// it, x/text's older ISO table has it): its code as the symbol.
		{"de", 1250, "hrk", "12,50" + nbsp + "HRK"},
		{"en", -1250, "hrk", "-HRK" + nbsp + "12.50"},
		// A code that is no currency falls back to pos.Format.
		{"de", 1250, "xyz", "12.50 XYZ"},
	}
	for _, c := range tests {
		l := New(language.MustParse(c.locale))
		if got := l.Money(c.amount, c.cur); got != c.want {
			t.Errorf("%s: Money(%d, %s) = %q, want %q", c.locale, c.amount, c.cur, got, c.want)
		}
	}
}

func TestMoneyCodeAndNumber(t *testing.T) {
	de, en := New(German), New(English)
	tests := []struct{ got, want string }{
		{de.MoneyCode(1250, "eur"), "12,50" + nbsp + "EUR"},
		{de.MoneyCode(-740, "gbp"), "-7,40" + nbsp + "GBP"},
		{en.MoneyCode(1250, "usd"), "USD" + nbsp + "12.50"},
		{en.MoneyCode(1980, "jpy"), "JPY" + nbsp + "1,980"},
		{de.MoneyNumber(123456, "eur"), "1.234,56"},
		{de.MoneyNumber(-123456, "eur"), "-1.234,56"},
		{en.MoneyNumber(123456, "usd"), "1,234.56"},
		{en.MoneyNumber(1980, "jpy"), "1,980"},
		{en.MoneyNumber(1250, "kwd"), "1.250"},
	}
	for i, c := range tests {
		if c.got != c.want {
			t.Errorf("%d: got %q, want %q", i, c.got, c.want)
		}
	}
}

// Every ISO currency pos accepts shows exactly pos's decimals, whatever
// CLDR's own digits for it are: with the grouping taken out, the English
// number is pos.Format's.
func TestMoneyDecimalsArePosCurrencies(t *testing.T) {
	en := New(English)
	seen := 0
	for it := xcurrency.Query(); it.Next(); {
		code := strings.ToLower(it.Unit().String())
		c, err := pos.LookupCurrency(code)
		if err != nil || !it.IsTender() {
			continue
		}
		for _, amount := range []int64{0, 1250, 12345600, -700} {
			amount -= amount % c.Step
			want, _, _ := strings.Cut(pos.Format(amount, code), " ")
			got := strings.ReplaceAll(en.MoneyNumber(amount, code), ",", "")
			if got != want {
				t.Errorf("%s %d: MoneyNumber %q, pos.Format's number %q", code, amount, got, want)
			}
		}
		seen++
	}
	if seen < 100 {
		t.Fatalf("checked only %d currencies", seen)
	}
}

func TestSeparators(t *testing.T) {
	tests := []struct {
		locale     string
		dec, group rune
	}{
		{"de", ',', '.'},
		{"de-DE", ',', '.'},
		{"de-AT", ',', '.'},
		{"de-CH", '.', '\''},
		{"en", '.', ','},
		{"en-GB", '.', ','},
	}
	for _, c := range tests {
		l := New(language.MustParse(c.locale))
		if l.DecimalSeparator() != c.dec || l.GroupSeparator() != c.group {
			t.Errorf("%s: separators %q %q, want %q %q", c.locale, l.DecimalSeparator(), l.GroupSeparator(), c.dec, c.group)
		}
	}
}

// A Money argument is formatted by the Locale that renders the message.
func TestMoneyInMessages(t *testing.T) {
	args := Args{"Amount": Money{Amount: 1250, Currency: "eur"}, "Reader": "Tresen"}
	if got, want := New(German).T("sale.charge_on_reader", args), "12,50"+nbsp+"€ auf Tresen kassieren"; got != want {
		t.Errorf("de: %q, want %q", got, want)
	}
	if got, want := New(English).T("sale.charge_on_reader", args), "Charge €12.50 on Tresen"; got != want {
		t.Errorf("en: %q, want %q", got, want)
	}
}

// Why not x/text/currency (docs/design.md): as of the x/text in go.mod its
// formatter puts the symbol first, with a space, in every locale, where
// CLDR's German pattern puts it after the number. Should a later x/text
// format by CLDR's patterns, this fails and the choice is worth a new look.
func TestXTextCurrencyFormatsWithoutCLDRPatterns(t *testing.T) {
	for _, c := range []struct {
		tag  language.Tag
		unit xcurrency.Unit
		want string
	}{
		{German, xcurrency.EUR, "€ 12,50"},  // CLDR: 12,50 €
		{English, xcurrency.USD, "$ 12.50"}, // CLDR: $12.50
		{English, xcurrency.JPY, "¥ 1,980"}, // CLDR: ¥1,980
		{language.BritishEnglish, xcurrency.USD, "US$ 12.50"},
	} {
		amount := 12.5
		if c.unit == xcurrency.JPY {
			amount = 1980
		}
		if got := message.NewPrinter(c.tag).Sprint(xcurrency.Symbol(c.unit.Amount(amount))); got != c.want {
			t.Errorf("x/text %s %s: %q, was %q", c.tag, c.unit, got, c.want)
		}
	}
}

func BenchmarkMoney(b *testing.B) {
	l := New(German)
	for b.Loop() {
		_ = l.Money(123456, "eur")
	}
}

func BenchmarkPluralMessage(b *testing.B) {
	l := New(German)
	for b.Loop() {
		_ = l.N("count.readers", 3)
	}
}

// The money cache answers what CLDR formatting answers, and stays bounded.
func TestMoneyCacheAgreesAndIsBounded(t *testing.T) {
	de := New(language.German)
	for amount := int64(-2000); amount < maxMoneyCache+2000; amount += 7 {
		want := de.formatMoneyCLDR(amount, "eur", 0)
		for range 2 { // the second answer comes from the cache
			if got := de.formatMoney(amount, "eur", 0); got != want {
				t.Fatalf("%d: cached %q, CLDR %q", amount, got, want)
			}
		}
	}
	if n := len(de.moneyCache); n == 0 || n > maxMoneyCache {
		t.Fatalf("cache holds %d entries; bound %d", n, maxMoneyCache)
	}
}
