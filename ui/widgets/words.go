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
// "8.875%", "8,875 %".
func Percent(loc *i18n.Locale, rate int64) string {
	n := strings.TrimSuffix(pos.FormatTaxRate(rate), "%")
	return loc.T("widgets.percent", i18n.Args{"Rate": strings.Replace(n, ".", string(loc.DecimalSeparator()), 1)})
}

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

// Decline renders a card decline in loc: what can be read to the customer
// and what the cashier does next, as pos.DeclineReason words them (a test
// holds the two together). A code it does not know gets the generic text.
func Decline(loc *i18n.Locale, code, declineCode string) (message, hint string) {
	t, ok := declines[declineCode]
	if !ok {
		t, ok = declines[code]
	}
	if !ok {
		t = declines["generic_decline"]
	}
	return loc.T(t[0]), loc.T(t[1])
}

// declines are pos.DeclineReason's table as message keys: the message,
// then the hint. Lost, stolen and fraud codes get the generic words and a
// "do not retry" hint: the customer is never told why.
var declines = map[string][2]string{
	"insufficient_funds":              {"widgets.decline.insufficient_funds", "widgets.decline.hint_other_card_or_method"},
	"lost_card":                       {"widgets.decline.declined", "widgets.decline.hint_do_not_retry"},
	"stolen_card":                     {"widgets.decline.declined", "widgets.decline.hint_do_not_retry"},
	"fraudulent":                      {"widgets.decline.declined", "widgets.decline.hint_do_not_retry"},
	"pickup_card":                     {"widgets.decline.declined", "widgets.decline.hint_do_not_retry"},
	"restricted_card":                 {"widgets.decline.declined", "widgets.decline.hint_do_not_retry"},
	"security_violation":              {"widgets.decline.declined", "widgets.decline.hint_do_not_retry"},
	"merchant_blacklist":              {"widgets.decline.declined", "widgets.decline.hint_do_not_retry"},
	"expired_card":                    {"widgets.decline.expired", "widgets.decline.hint_other_card"},
	"incorrect_cvc":                   {"widgets.decline.incorrect_cvc", "widgets.decline.hint_retry_or_other"},
	"processing_error":                {"widgets.decline.processing_error", "widgets.decline.hint_retry_then_other"},
	"call_issuer":                     {"widgets.decline.call_issuer", "widgets.decline.hint_call_bank"},
	"generic_decline":                 {"widgets.decline.declined", "widgets.decline.hint_other_card"},
	"do_not_honor":                    {"widgets.decline.declined", "widgets.decline.hint_call_bank"},
	"incorrect_pin":                   {"widgets.decline.incorrect_pin", "widgets.decline.hint_pin_again"},
	"withdrawal_count_limit_exceeded": {"widgets.decline.usage_limit", "widgets.decline.hint_other_card"},
	"card_velocity_exceeded":          {"widgets.decline.usage_limit", "widgets.decline.hint_other_card"},
	"pin_try_exceeded":                {"widgets.decline.pin_tries", "widgets.decline.hint_other_card"},
	"offline_pin_required":            {"widgets.decline.pin_required", "widgets.decline.hint_insert_pin"},
	"online_or_offline_pin_required":  {"widgets.decline.pin_required", "widgets.decline.hint_insert_pin"},
	"card_not_supported":              {"widgets.decline.not_supported", "widgets.decline.hint_other_card"},
	"currency_not_supported":          {"widgets.decline.currency_not_supported", "widgets.decline.hint_other_card"},
	"transaction_not_allowed":         {"widgets.decline.not_supported", "widgets.decline.hint_other_card"},
	"try_again_later":                 {"widgets.decline.try_again_later", "widgets.decline.hint_retry_later"},
	"reenter_transaction":             {"widgets.decline.processing_error", "widgets.decline.hint_retry"},
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
