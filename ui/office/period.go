package office

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"kasse/i18n"
	"kasse/pos"
	"kasse/ui/app"
	"kasse/ui/widgets"
)

// Periods for the back office: a day and clock times in the console's
// local time zone (the zone of Deps.Now).

// isoDate is the date layout every language also accepts (and exports
// use): YYYY-MM-DD.
const isoDate = "2006-01-02"

// errFilter is the kind of a filter the back office cannot read.
var errFilter = errors.New("office: bad filter") // i18n:ok a sentinel, never shown

// filterError is a filter refusal in words of the catalog.
func filterError(id string, args ...i18n.Args) error {
	return &i18n.Error{Kind: errFilter, Msg: i18n.M(id, args...)}
}

// dayStart is midnight of t's day in t's zone.
func dayStart(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}

// dateText is a day as the session types it (format.date).
func dateText(loc *i18n.Locale, t time.Time) string { return loc.FormatTime(t, "format.date") }

// parseDay reads a day as the session writes it (format.date: 14.03.2026
// in German) or as YYYY-MM-DD ("" or "today", in English or the
// session's word, = today) as midnight in now's zone.
func parseDay(loc *i18n.Locale, s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" || strings.EqualFold(s, "today") || strings.EqualFold(s, loc.T("office.period.today_word")) { // i18n:ok the English word is always understood
		return dayStart(now), nil
	}
	for _, layout := range []string{isoDate, loc.T("format.date")} {
		if d, err := time.ParseInLocation(layout, s, now.Location()); err == nil {
			return d, nil
		}
	}
	return time.Time{}, filterError("office.period.bad_date", i18n.Args{"Input": s, "Example": dateText(loc, now)})
}

// parseClock reads HH:MM (or HHMM, or H) as minutes after midnight;
// 24:00 is the end of the day.
func parseClock(s string) (int, error) {
	t := strings.ReplaceAll(strings.TrimSpace(s), ".", ":")
	if !strings.Contains(t, ":") {
		switch len(t) {
		case 1, 2:
			t += ":00"
		case 3, 4:
			t = t[:len(t)-2] + ":" + t[len(t)-2:]
		}
	}
	hh, mm, ok := strings.Cut(t, ":")
	h, err1 := strconv.Atoi(hh)
	m, err2 := strconv.Atoi(mm)
	if !ok || err1 != nil || err2 != nil || h < 0 || m < 0 || m > 59 || h > 24 || h == 24 && m != 0 || len(mm) != 2 {
		return 0, filterError("office.period.bad_time", i18n.Args{"Input": s})
	}
	return h*60 + m, nil
}

// clockText is minutes after midnight as HH:MM, the same in every
// language Kasse speaks.
func clockText(min int) string { return fmt.Sprintf("%02d:%02d", min/60, min%60) }

// span is the period from day+start to day+end; an end at or before the
// start is on the next day (a night shift).
func span(day time.Time, start, end int) (time.Time, time.Time) {
	from := day.Add(time.Duration(start) * time.Minute)
	if end <= start {
		end += 24 * 60
	}
	return from, day.Add(time.Duration(end) * time.Minute)
}

// periodText renders a period for people in loc: "Sat 14 Mar 2026
// 00:00–24:00", "Sa., 14.03.2026 06:00–02:00 (+1 Tag)".
func periodText(loc *i18n.Locale, from, to time.Time) string {
	end := clockText(int(to.Sub(dayStart(from)).Minutes()) % (24 * 60))
	if to.Sub(dayStart(from)) == 24*time.Hour {
		end = "24:00"
	}
	a := i18n.Args{"Day": loc.FormatTime(from, "format.day_long"), "From": loc.FormatTime(from, "format.clock"), "To": end}
	if !dayStart(to).Equal(dayStart(from)) && to.Sub(dayStart(from)) != 24*time.Hour {
		return loc.T("office.period.overnight", a)
	}
	return loc.T("office.period.day", a)
}

// sellerChoices are "all sellers" and the loaded sellers, for a choice
// field; sellerAt maps a choice back (index 0: "").
func sellerChoices(sess *app.Session) []string {
	out := []string{sess.T("office.all_sellers")}
	for _, s := range sess.Sellers {
		out = append(out, widgets.SellerName(s))
	}
	return out
}

func sellerAt(sess *app.Session, choice int) (pos.Seller, bool) {
	if choice <= 0 || choice > len(sess.Sellers) {
		return pos.Seller{}, false
	}
	return sess.Sellers[choice-1], true
}

// amountCurrency is the currency amounts are typed in: the chosen
// seller's, or the one every seller shares.
func amountCurrency(sess *app.Session, seller *pos.Seller) (string, error) {
	if seller != nil {
		return seller.Currency, nil
	}
	cur := ""
	for _, s := range sess.Sellers {
		switch {
		case cur == "":
			cur = s.Currency
		case s.Currency != cur:
			return "", filterError("office.tx.mixed_currencies")
		}
	}
	if cur == "" {
		return "", filterError("office.tx.no_sellers")
	}
	return cur, nil
}
