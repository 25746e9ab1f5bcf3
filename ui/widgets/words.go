package widgets

import (
	"strings"
	"time"

	"kasse/i18n"
	"kasse/pos"
	"kasse/supervisor"
	"kasse/ui/app"
)

// Words for pos's values in the session's language: amounts typed, tax
// rates, cart refusals and the sale machine's notices. pos is pure and has
// no language; its errors carry sentinels (errors.Is) that are rendered
// here, and its notices are fixed English sentences looked up by text.

// Percent renders a tax rate in thousandths of a percent (8875) in loc:
// "8.875%", "8,875 %" (i18n.Locale.Percent).
func Percent(loc *i18n.Locale, rate int64) string { return loc.Percent(rate) }

// EntryParts are the amount a pos.DigitEntry holds, formatted in loc, in
// three parts: what comes before the number (a symbol: "$"), the number
// split into what was typed and the decimals still implied ("12,5" and
// "0"), and what comes after it (" €"). A view shows the implied digits
// fainter.
func EntryParts(loc *i18n.Locale, e pos.DigitEntry) (before, typed, implied, after string) {
	_, imp := e.Parts()
	amount, cur := e.Amount(), e.Currency()
	money, num := loc.Money(amount, cur), loc.MoneyNumber(amount, cur)
	i := strings.Index(money, num)
	if i < 0 || len(imp) > len(num) {
		return "", money, "", ""
	}
	k := len(num) - len(imp)
	return money[:i], num[:k], num[k:], money[i+len(num):]
}

// CartProblem renders a refusal of pos.Cart (or a pos amount check) in
// loc, by its sentinel; currency is the cart's (i18n.Locale.CartProblem).
func CartProblem(loc *i18n.Locale, err error, currency string) string {
	return loc.CartProblem(err, currency)
}

// Notice renders one of the sale and refund machines' notices (pos.Sale
// and pos.RefundFlow Notice) in loc (i18n.Locale.Notice); a notice it does
// not know is shown as pos wrote it (English).
func Notice(loc *i18n.Locale, notice string) string { return loc.Notice(notice) }

// Decline renders a card decline in loc (i18n.Locale.Decline): what can
// be read to the customer and what the cashier does next.
func Decline(loc *i18n.Locale, code, declineCode string) (message, hint string) {
	return loc.Decline(code, declineCode)
}

// Refusal renders the Guard's "no" (a *supervisor.Refusal) in loc from
// its fields: who, why, the tries left, until when. now is the console's
// clock (a lockout that ends on another day names the day).
func Refusal(loc *i18n.Locale, r *supervisor.Refusal, now time.Time) string {
	a := i18n.Args{"Operator": r.Operator}
	switch r.Kind {
	case supervisor.RefusedUnknownOperator:
		return loc.T("widgets.refusal.unknown_operator", a)
	case supervisor.RefusedRole:
		need := make([]string, len(r.Need))
		for i, role := range r.Need {
			need[i] = app.RoleName(loc, role)
		}
		a["Role"], a["Need"] = app.RoleName(loc, r.Role), OrList(loc, need)
		return loc.T("widgets.refusal.role", a)
	case supervisor.RefusedNoPIN:
		if strings.Contains(r.Msg, "--by") {
			return loc.T("widgets.refusal.no_pin", a)
		}
		return loc.T("widgets.refusal.no_pin_first", a)
	case supervisor.RefusedWrongPIN:
		return loc.N("widgets.refusal.wrong_pin", r.TriesLeft)
	case supervisor.RefusedLocked:
		until := r.LockedUntil.In(now.Location())
		a["Until"] = loc.FormatTime(until, "format.clock")
		if until.Sub(now) >= 12*time.Hour || until.YearDay() != now.YearDay() {
			a["Until"] = loc.FormatTime(until, "format.day_time")
		}
		return loc.T("widgets.refusal.locked", a)
	}
	return r.Error()
}
