package i18n

import (
	"errors"
	"strings"

	"kasse/pos"
)

// pos is pure and has no language: its refusals carry sentinels
// (errors.Is) and its machines' notices are fixed English sentences. Here
// they are worded, for the console and the commands alike.

// CartProblem renders a refusal of pos.Cart (or a pos amount check) in
// loc, by its sentinel; currency is the cart's. Any other error is
// rendered by Err.
func (l *Locale) CartProblem(err error, currency string) string {
	cur := strings.ToUpper(currency)
	switch {
	case err == nil:
		return ""
	case errors.Is(err, pos.ErrCartEmpty):
		return l.T("widgets.cart.empty")
	case errors.Is(err, pos.ErrCartFull):
		return l.T("widgets.cart.full", Args{"Max": pos.MaxLines})
	case errors.Is(err, pos.ErrLineDescription):
		return l.T("widgets.cart.description", Args{"Max": pos.MaxDescriptionLen})
	case errors.Is(err, pos.ErrLineQuantity):
		return l.T("widgets.cart.quantity", Args{"Max": pos.MaxQuantity})
	case errors.Is(err, pos.ErrLinePrice):
		return l.T("widgets.cart.price")
	case errors.Is(err, pos.ErrLineIndex):
		return l.T("widgets.cart.no_line")
	case errors.Is(err, pos.ErrTaxRate):
		return l.T("widgets.cart.tax_rate")
	case errors.Is(err, pos.ErrAmountBelowMinimum):
		return l.T("widgets.cart.below_minimum", Args{"Min": Money{Amount: pos.MinimumCharge(currency), Currency: currency}})
	case errors.Is(err, pos.ErrAmountTooLarge):
		return l.T("amount.too_large", Args{"Max": Money{Amount: pos.MaxAmount, Currency: currency}})
	case errors.Is(err, pos.ErrAmountPrecision):
		return l.T("widgets.cart.step", Args{"Currency": cur})
	case errors.Is(err, pos.ErrCurrency):
		return l.T("widgets.cart.currency", Args{"Currency": cur})
	}
	return l.Err(err)
}

// Notice renders one of the sale and refund machines' notices (pos.Sale
// and pos.RefundFlow Notice) in loc; a notice this table does not know is
// shown as pos wrote it (English).
func (l *Locale) Notice(notice string) string { return l.Render(NoticeMessage(notice)) }

// NoticeMessage is a notice of pos's machines as a message, to render
// later in whichever language shows it.
func NoticeMessage(notice string) Message {
	if id, ok := notices[notice]; ok {
		return M(id)
	}
	if reason, ok := strings.CutPrefix(notice, "Not sent: "); ok {
		return M("widgets.notice.not_sent", Args{"Reason": reason})
	}
	return M("pos.notice", Args{"Notice": notice})
}

// Notices are pos's fixed notices this package words, and their message
// keys (for tests that hold the table to pos's source).
func Notices() map[string]string {
	out := make(map[string]string, len(notices))
	for k, v := range notices {
		out[k] = v
	}
	return out
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
}

// Decline renders a card decline in loc: what can be read to the customer
// and what the cashier does next, as pos.DeclineReason words them (a test
// holds the two together). A code it does not know gets the generic text.
func (l *Locale) Decline(code, declineCode string) (message, hint string) {
	t, ok := declines[declineCode]
	if !ok {
		t, ok = declines[code]
	}
	if !ok {
		t = declines["generic_decline"]
	}
	return l.T(t[0]), l.T(t[1])
}

// Declines are pos's decline codes this package words, and their message
// and hint keys (for tests that hold the table to pos's source).
func Declines() map[string][2]string {
	out := make(map[string][2]string, len(declines))
	for k, v := range declines {
		out[k] = v
	}
	return out
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
