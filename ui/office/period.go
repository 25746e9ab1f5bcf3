package office

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"kasse/pos"
	"kasse/ui/app"
	"kasse/ui/widgets"
)

// Periods for the back office: a day and clock times in the console's
// local time zone (the zone of Deps.Now).

const dateLayout = "2006-01-02"

// dayStart is midnight of t's day in t's zone.
func dayStart(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}

// parseDay reads YYYY-MM-DD ("" or "today" = today) as midnight in now's
// zone.
func parseDay(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" || strings.EqualFold(s, "today") {
		return dayStart(now), nil
	}
	d, err := time.ParseInLocation(dateLayout, s, now.Location())
	if err != nil {
		return time.Time{}, fmt.Errorf("date %q: use YYYY-MM-DD", s)
	}
	return d, nil
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
		return 0, fmt.Errorf("time %q: use HH:MM (00:00–24:00)", s)
	}
	return h*60 + m, nil
}

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

// periodText renders a period for people: "Sat 14 Mar 2026 00:00–24:00".
func periodText(from, to time.Time) string {
	end := clockText(int(to.Sub(dayStart(from)).Minutes()) % (24 * 60))
	if to.Sub(dayStart(from)) == 24*time.Hour {
		end = "24:00"
	}
	s := from.Format("Mon 2 Jan 2006 15:04") + "–" + end
	if !dayStart(to).Equal(dayStart(from)) && to.Sub(dayStart(from)) != 24*time.Hour {
		s += " (+1 day)"
	}
	return s
}

// sellerChoices are "all sellers" and the loaded sellers, for a choice
// field; sellerAt maps a choice back (index 0: "").
func sellerChoices(sess *app.Session) []string {
	out := []string{"all sellers"}
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
			return "", fmt.Errorf("sellers use different currencies: choose a seller to filter by amount")
		}
	}
	if cur == "" {
		return "", fmt.Errorf("no seller is loaded: choose a seller to filter by amount")
	}
	return cur, nil
}
