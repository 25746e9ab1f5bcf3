package i18n

import (
	"regexp"
	"strings"
	"time"
)

// Dates and times in the locale. No library here formats dates per locale
// (x/text has no date formatting; CLDR's patterns are not in Go), so each
// catalog holds the Go time layouts its language wants, as messages named
// format.* ("format.date" is "2006-01-02" in English, "02.01.2006" in
// German). A layout may name the weekday and the month in short form,
// "Mon" and "Jan": FormatTime writes those in the locale's own words
// (weekday.* and month.*: "Sa.", "Mär."), never Go's English ones. The
// long forms ("Monday", "January") are not translated, so no catalog
// layout uses them (the catalog tests check).

// FormatTime renders t with the layout that message layoutID holds in the
// locale ("format.datetime"), the weekday and month names in its words.
// Pass layoutID as a string literal: the tests check that it exists.
func (l *Locale) FormatTime(t time.Time, layoutID string) string {
	layout := l.T(layoutID)
	if !strings.Contains(layout, "Mon") && !strings.Contains(layout, "Jan") {
		return t.Format(layout)
	}
	var b strings.Builder
	last := 0
	for _, m := range nameTokens.FindAllStringIndex(layout, -1) {
		b.WriteString(t.Format(layout[last:m[0]]))
		switch layout[m[0]:m[1]] {
		case "Mon":
			b.WriteString(l.T(weekdayID(t.Weekday())))
		case "Jan":
			b.WriteString(l.T(monthID(t.Month())))
		default: // "Monday", "January": Go's English names
			b.WriteString(t.Format(layout[m[0]:m[1]]))
		}
		last = m[1]
	}
	b.WriteString(t.Format(layout[last:]))
	return b.String()
}

// nameTokens are the layout elements that are words: the long ones first,
// so "January" is not read as "Jan" and "uary".
var nameTokens = regexp.MustCompile(`January|Monday|Jan|Mon`)

func weekdayID(d time.Weekday) string {
	switch d {
	case time.Monday:
		return "weekday.mon"
	case time.Tuesday:
		return "weekday.tue"
	case time.Wednesday:
		return "weekday.wed"
	case time.Thursday:
		return "weekday.thu"
	case time.Friday:
		return "weekday.fri"
	case time.Saturday:
		return "weekday.sat"
	}
	return "weekday.sun"
}

func monthID(m time.Month) string {
	switch m {
	case time.January:
		return "month.jan"
	case time.February:
		return "month.feb"
	case time.March:
		return "month.mar"
	case time.April:
		return "month.apr"
	case time.May:
		return "month.may"
	case time.June:
		return "month.jun"
	case time.July:
		return "month.jul"
	case time.August:
		return "month.aug"
	case time.September:
		return "month.sep"
	case time.October:
		return "month.oct"
	case time.November:
		return "month.nov"
	}
	return "month.dec"
}

// Time is a moment as an argument to a message (Args): the Locale that
// renders the message formats it with the layout message Layout
// ("format.clock", "format.day_time"), as FormatTime does.
type Time struct {
	Time   time.Time
	Layout string // a format.* message
}
