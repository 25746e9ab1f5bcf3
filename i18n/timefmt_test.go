package i18n

import (
	"strings"
	"testing"
	"time"

	"golang.org/x/text/language"
)

func TestFormatTimePerLanguage(t *testing.T) {
	at := time.Date(2026, 3, 14, 15, 9, 26, 0, time.UTC) // a Saturday
	for _, c := range []struct {
		tag          language.Tag
		layout, want string
	}{
		{English, "format.date", "2026-03-14"},
		{German, "format.date", "14.03.2026"},
		{English, "format.datetime_zone", "2026-03-14 15:09:26 UTC"},
		{German, "format.datetime_zone", "14.03.2026 15:09:26 UTC"},
		{English, "format.day_long", "Sat 14 Mar 2026"},
		{German, "format.day_long", "Sa., 14.03.2026"},
		{English, "format.day_time", "Mar 14 15:09"},
		{German, "format.day_time", "14. März 15:09"},
		{German, "format.time", "15:09:26"},
		{language.MustParse("de-AT"), "format.date", "14.03.2026"},
	} {
		if got := New(c.tag).FormatTime(at, c.layout); got != c.want {
			t.Errorf("%s %s = %q, want %q", c.tag, c.layout, got, c.want)
		}
	}
}

// Every weekday and month has its words, in the catalog's order.
func TestFormatTimeNamesEveryDayAndMonth(t *testing.T) {
	de, en := New(German), New(English)
	wantDays := []string{"Mo.", "Di.", "Mi.", "Do.", "Fr.", "Sa.", "So."}
	for d := range 7 {
		at := time.Date(2026, 3, 9+d, 12, 0, 0, 0, time.UTC) // Monday 9 March on
		if got, want := de.FormatTime(at, "format.day_long"), wantDays[d]+", "+at.Format("02.01.2006"); got != want {
			t.Errorf("%s: %q, want %q", at.Weekday(), got, want)
		}
		if got := en.FormatTime(at, "format.day_long"); got != at.Format("Mon 2 Jan 2006") {
			t.Errorf("English %s: %q", at.Weekday(), got)
		}
	}
	wantMonths := []string{"Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sep.", "Okt.", "Nov.", "Dez."}
	for m := 1; m <= 12; m++ {
		at := time.Date(2026, time.Month(m), 1, 12, 0, 0, 0, time.UTC)
		if got, want := de.FormatTime(at, "format.day_time"), "1. "+wantMonths[m-1]+" 12:00"; got != want {
			t.Errorf("%s: %q, want %q", at.Month(), got, want)
		}
		if got := en.FormatTime(at, "format.day_time"); got != at.Format("Jan 2 15:04") {
			t.Errorf("English %s: %q", at.Month(), got)
		}
	}
}

// The layouts use only the names FormatTime translates.
func TestLayoutsUseShortNamesOnly(t *testing.T) {
	for _, name := range CatalogFiles() {
		msgs, err := CatalogMessages(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range msgs {
			if strings.HasPrefix(m.ID, "format.") && (strings.Contains(m.Other, "Monday") || strings.Contains(m.Other, "January")) {
				t.Errorf("%s %s: %q uses a long name FormatTime does not translate", name, m.ID, m.Other)
			}
		}
	}
}

func TestAmountInputIsReadBack(t *testing.T) {
	for _, c := range []struct {
		tag    language.Tag
		amount int64
		cur    string
		want   string
	}{
		{English, 50, "usd", "0.50"},
		{German, 123450, "eur", "1234,50"},
		{English, 1980, "jpy", "1980"},
		{German, 1250, "kwd", "1,250"},
		{English, 500, "isk", "5"},
	} {
		l := New(c.tag)
		got := l.AmountInput(c.amount, c.cur)
		if got != c.want {
			t.Errorf("%s AmountInput(%d %s) = %q, want %q", c.tag, c.amount, c.cur, got, c.want)
		}
		if back, err := l.ParseAmount(got, c.cur); err != nil || back != c.amount {
			t.Errorf("%s ParseAmount(%q, %s) = %d, %v; want %d", c.tag, got, c.cur, back, err, c.amount)
		}
	}
}

func TestNextCyclesTheCatalogLanguages(t *testing.T) {
	if got := New(German).Next().Language(); got != English {
		t.Errorf("after German: %s", got)
	}
	if got := New(language.MustParse("en-GB")).Next(); got.Language() != German || got.Tag() != German {
		t.Errorf("after en-GB: %s (%s)", got.Language(), got.Tag())
	}
	if langs := Languages(); len(langs) != 2 || langs[0] != English {
		t.Errorf("Languages = %v", langs)
	}
}
