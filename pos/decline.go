package pos

// declineText is what the counter says about a refusal: Message can be read
// to the customer, Hint tells the cashier what to do next.
type declineText struct{ Message, Hint string }

// Never tell the customer a card was reported lost, stolen or suspected of
// fraud: those codes get the generic wording and a "do not retry" hint.
var (
	genericDecline = declineText{"The card was declined.", "Ask for another card."}
	silentDecline  = declineText{"The card was declined.", "Ask for another card. Do not retry this card."}
)

var declineTexts = map[string]declineText{
	"insufficient_funds":              {"The card has insufficient funds.", "Ask for another card or payment method."},
	"lost_card":                       silentDecline,
	"stolen_card":                     silentDecline,
	"fraudulent":                      silentDecline,
	"pickup_card":                     silentDecline,
	"restricted_card":                 silentDecline,
	"security_violation":              silentDecline,
	"merchant_blacklist":              silentDecline,
	"expired_card":                    {"The card has expired.", "Ask for another card."},
	"incorrect_cvc":                   {"The card's security code was incorrect.", "Retry, or ask for another card."},
	"processing_error":                {"The card could not be processed.", "Retry; if it happens again, ask for another card."},
	"call_issuer":                     {"The card issuer declined the payment.", "Ask for another card; the customer can call their bank."},
	"generic_decline":                 genericDecline,
	"do_not_honor":                    {"The card was declined.", "Ask for another card; the customer can call their bank."},
	"incorrect_pin":                   {"The PIN was incorrect.", "Retry and ask the customer to enter the PIN again."},
	"withdrawal_count_limit_exceeded": {"The card's usage limit was reached.", "Ask for another card."},
	"card_velocity_exceeded":          {"The card's usage limit was reached.", "Ask for another card."},
	"pin_try_exceeded":                {"Too many incorrect PIN attempts.", "Ask for another card."},
	"offline_pin_required":            {"The card requires a PIN.", "Retry and have the customer insert the card and enter the PIN."},
	"online_or_offline_pin_required":  {"The card requires a PIN.", "Retry and have the customer insert the card and enter the PIN."},
	"card_not_supported":              {"This card does not support this purchase.", "Ask for another card."},
	"currency_not_supported":          {"This card does not support this currency.", "Ask for another card."},
	"transaction_not_allowed":         {"This card does not support this purchase.", "Ask for another card."},
	"try_again_later":                 {"The card could not be processed right now.", "Retry in a moment, or ask for another card."},
	"reenter_transaction":             {"The card could not be processed.", "Retry."},
	// A saved card charged at the counter (off session) that needs 3D
	// Secure: the cardholder cannot authenticate there.
	"authentication_required": {"The card needs the cardholder's authentication.", "Take the card on the reader instead."},
}

// DeclineReason returns the customer-safe message and the cashier hint for
// a decline. declineCode (insufficient_funds, …) wins over code
// (card_declined, expired_card, …); unknown codes get the generic text.
func DeclineReason(code, declineCode string) (message, hint string) {
	if t, ok := declineTexts[declineCode]; ok {
		return t.Message, t.Hint
	}
	if t, ok := declineTexts[code]; ok {
		return t.Message, t.Hint
	}
	return genericDecline.Message, genericDecline.Hint
}

// DeclineMessage joins DeclineReason into one line, e.g. "The card has
// insufficient funds. Ask for another card or payment method."
func DeclineMessage(code, declineCode string) string {
	m, h := DeclineReason(code, declineCode)
	return m + " " + h
}
