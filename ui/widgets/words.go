package widgets

import (
	"errors"
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
// loc, by its sentinel; currency is the cart's.
func CartProblem(loc *i18n.Locale, err error, currency string) string {
	cur := strings.ToUpper(currency)
	switch {
	case err == nil:
		return ""
	case errors.Is(err, pos.ErrCartEmpty):
		return loc.T("widgets.cart.empty")
	case errors.Is(err, pos.ErrCartFull):
		return loc.T("widgets.cart.full", i18n.Args{"Max": pos.MaxLines})
	case errors.Is(err, pos.ErrLineDescription):
		return loc.T("widgets.cart.description", i18n.Args{"Max": pos.MaxDescriptionLen})
	case errors.Is(err, pos.ErrLineQuantity):
		return loc.T("widgets.cart.quantity", i18n.Args{"Max": pos.MaxQuantity})
	case errors.Is(err, pos.ErrLinePrice):
		return loc.T("widgets.cart.price")
	case errors.Is(err, pos.ErrLineIndex):
		return loc.T("widgets.cart.no_line")
	case errors.Is(err, pos.ErrTaxRate):
		return loc.T("widgets.cart.tax_rate")
	case errors.Is(err, pos.ErrAmountBelowMinimum):
		return loc.T("widgets.cart.below_minimum", i18n.Args{"Min": i18n.Money{Amount: pos.MinimumCharge(currency), Currency: currency}})
	case errors.Is(err, pos.ErrAmountTooLarge):
		return loc.T("amount.too_large", i18n.Args{"Max": i18n.Money{Amount: pos.MaxAmount, Currency: currency}})
	case errors.Is(err, pos.ErrAmountPrecision):
		return loc.T("widgets.cart.step", i18n.Args{"Currency": cur})
	case errors.Is(err, pos.ErrCurrency):
		return loc.T("widgets.cart.currency", i18n.Args{"Currency": cur})
	}
	return loc.Err(err)
}

// Notice renders one of the sale and refund machines' notices (pos.Sale
// and pos.RefundFlow Notice) in loc; a notice this table does not know
// is shown as pos wrote it (English).
func Notice(loc *i18n.Locale, notice string) string {
	if id, ok := notices[notice]; ok {
		return loc.T(id)
	}
	if reason, ok := strings.CutPrefix(notice, "Not sent: "); ok {
		return loc.T("widgets.notice.not_sent", i18n.Args{"Reason": reason})
	}
	return notice
}

// notices are pos's fixed notices (their English text, as pos writes it)
// and their messages; a test holds the table to pos's source.
var notices = map[string]string{
	"This refund was already submitted.": "widgets.notice.refund_submitted",
	"The refund's outcome is unknown and its key may have expired: check the seller's payments in the Dashboard before refunding again.": "widgets.notice.refund_unknown",
	"The card is being authorized; the cancel is retried unless it is approved.":                                                         "widgets.notice.cancel_while_authorizing",
	"Only an authorized, uncaptured sale can be captured.":                                                                               "widgets.notice.capture_not_authorized",
	"The cart is locked once charging has started.":                                                                                      "widgets.notice.cart_locked",
	"This sale is already being charged.":                                                                                                "widgets.notice.already_charging",
	"Choose a reader first.":                                                                                                             "widgets.notice.choose_reader_first",
	"Already checking.":                                                                                                                  "widgets.notice.already_checking",
	"This sale failed and cannot be retried; start a new sale.":                                                                          "widgets.notice.failed_no_retry",
	"Nothing to retry.":                                                                                                                  "widgets.notice.nothing_to_retry",
	"The payment was approved and cannot be canceled; refund it instead.":                                                                "widgets.notice.approved_no_cancel",
	"The capture is under way; refund the payment if needed.":                                                                            "widgets.notice.capturing_no_cancel",
	"Nothing to cancel: no payment was created.":                                                                                         "widgets.notice.nothing_to_cancel",
	"Cancel noted: it runs as soon as the current request is resolved.":                                                                  "widgets.notice.cancel_noted",
	"Choose a reader.": "widgets.notice.choose_reader",
	"The reader can only be changed before charging or after a failed attempt.":  "widgets.notice.reader_locked",
	"Too late to cancel: the payment was approved. Refund it if needed.":         "widgets.notice.too_late_to_cancel",
	"The payment was authorized meanwhile; it is kept for capture (or void it).": "widgets.notice.authorized_meanwhile",
	// A customer's sale (pos sale_customer.go).
	"The saved card has expired; take the card on the reader.":                                                                       "customers.notice.card_expired",
	pos.NoticeSellerCustomerOnPlatform:                                                                                               "customers.notice.seller_customer_on_platform",
	"The customer can only be changed before charging.":                                                                              "customers.notice.customer_locked",
	"The saved card needs the cardholder's authentication; it was not charged. Take the card on the reader.":                         "customers.notice.authentication",
	"Nothing was charged: the saved card's request could not be recorded in the journal. Try again, or take the card on the reader.": "customers.notice.prep_not_sent",
	"Nothing was charged: sharing the saved card with the seller was refused. Take the card on the reader instead.":                  "customers.notice.share_refused",
	"Nothing was charged: creating the customer at the seller was refused. Take the card on the reader instead.":                     "customers.notice.copy_refused",
	"Nothing was charged: keeping the saved card at the seller was refused. Take the card on the reader instead.":                    "customers.notice.attach_refused",
}

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
	"authentication_required":         {"customers.decline.authentication_required", "customers.decline.hint_reader"},
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
