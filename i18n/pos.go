package i18n

import (
	"errors"
	"slices"
	"strings"
	"unicode/utf8"

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
	"authentication_required":         {"customers.decline.authentication_required", "customers.decline.hint_reader"},
}

// CannotSell is pos.Seller.CheckCanSell's refusal of s in words: the
// capability its charge type needs and lacks (named, with its state), or
// its charges disabled; nil when s can sell. errors.Is sees
// pos.ErrCapability.
func CannotSell(s pos.Seller) error {
	if s.CheckCanSell() == nil {
		return nil
	}
	a := Args{"Seller": SellerLabel(s), "Type": ChargeVia(s.Charges.Type)}
	if missing := s.MissingCapabilities(); len(missing) > 0 {
		a["Capability"], a["State"] = missing[0], capabilityState(s.Capability(missing[0]))
		return &Error{Kind: pos.ErrCapability, Msg: M("charges.refusal.capability", a)}
	}
	return &Error{Kind: pos.ErrCapability, Msg: M("charges.refusal.charges_disabled", a)}
}

// SellerLabel names a seller in a sentence: "Lumen Coffee (acct_…)", or
// its id alone when it has no other name.
func SellerLabel(s pos.Seller) string {
	if s.DisplayName != "" && s.DisplayName != string(s.ID) {
		return s.DisplayName + " (" + string(s.ID) + ")"
	}
	return string(s.ID)
}

// ChargeTypeName is a Connect charge type short, for a table or a row:
// "destination" ("Destination").
func ChargeTypeName(t pos.ChargeType) Message {
	switch t.Or() {
	case pos.ChargeDestination:
		return M("charges.type.destination")
	case pos.ChargeSeparate:
		return M("charges.type.separate")
	}
	return M("charges.type.direct")
}

// ChargeVia is a Connect charge type in a sentence ("destination
// charge"), as a message.
func ChargeVia(t pos.ChargeType) Message {
	switch t.Or() {
	case pos.ChargeDestination:
		return M("charges.via.destination")
	case pos.ChargeSeparate:
		return M("charges.via.separate")
	}
	return M("charges.via.direct")
}

// capabilityState is a capability's state that is not active, in words.
func capabilityState(state string) Message {
	switch state {
	case pos.CapabilityInactive:
		return M("charges.state.inactive")
	case pos.CapabilityPending:
		return M("charges.state.pending")
	}
	return M("charges.state.not_requested")
}

// Percent renders a rate in thousandths of a percent (8875, as pos keeps
// tax rates and fee percentages) in l: "8.875%", "8,875 %".
func (l *Locale) Percent(rate int64) string {
	n := strings.TrimSuffix(pos.FormatTaxRate(rate), "%")
	return l.T("widgets.percent", Args{"Rate": strings.Replace(n, ".", string(l.dec), 1)})
}

// FeeRule renders a platform fee rule in l: its percentage and every
// fixed part it names, "2.5% + $0.30 | €0.25" ("2,5 % + 0,30 $ | 0,25 €");
// "" for a rule without a fee.
func (l *Locale) FeeRule(r pos.FeeRule) string {
	var parts []string
	if r.Percent != 0 {
		parts = append(parts, l.Percent(r.Percent))
	}
	codes := make([]string, 0, len(r.Fixed))
	for code := range r.Fixed {
		codes = append(codes, code)
	}
	slices.Sort(codes)
	var fixed []string
	for _, code := range codes {
		fixed = append(fixed, l.Money(r.Fixed[code], code))
	}
	if len(fixed) > 0 {
		parts = append(parts, strings.Join(fixed, " | ")) // i18n:ok a separator between amounts
	}
	return strings.Join(parts, " + ") // i18n:ok an arithmetic sign
}

// DisputeStatus is a dispute's status in words (needs_response: "needs a
// response"); a status it does not know as Stripe wrote it.
func DisputeStatus(status string) Message {
	switch status {
	case pos.DisputeNeedsResponse:
		return M("disputes.status.needs_response")
	case pos.DisputeWarningNeedsResponse:
		return M("disputes.status.inquiry")
	case pos.DisputeUnderReview, pos.DisputeWarningUnderReview:
		return M("disputes.status.under_review")
	case pos.DisputeWon:
		return M("disputes.status.won")
	case pos.DisputeLost:
		return M("disputes.status.lost")
	case pos.DisputeWarningClosed:
		return M("disputes.status.closed")
	}
	return M("pos.notice", Args{"Notice": status})
}

// DisputeReason is Stripe's dispute reason as people read it: its code
// with spaces ("product not received"), the same in every language, as
// decline codes are.
func DisputeReason(reason string) string { return strings.ReplaceAll(reason, "_", " ") }

// RefundDisputed is pos.CheckDispute's refusal of a refund of in (its
// dispute d, nil when unknown) in words, for the commands: nil when the
// payment may be refunded. errors.Is sees pos.ErrDisputed.
func RefundDisputed(in pos.Intent, d *pos.Dispute) error {
	if pos.CheckDispute(in, d) == nil {
		return nil
	}
	if d == nil {
		return &Error{Kind: pos.ErrDisputed, Msg: M("disputes.refund_refused_command_unknown", Args{"Intent": in.ID})}
	}
	reason := d.Reason
	if reason == "" {
		return &Error{Kind: pos.ErrDisputed, Msg: M("disputes.refund_refused_command_no_reason", Args{"Intent": in.ID, "Status": DisputeStatus(d.Status)})}
	}
	return &Error{Kind: pos.ErrDisputed, Msg: M("disputes.refund_refused_command",
		Args{"Intent": in.ID, "Reason": DisputeReason(reason), "Status": DisputeStatus(d.Status)})}
}

// RefundSplitProblem words pos.PlanRefund's refusal of a refund of amount
// (0: all that remains) of a payment with facts f in currency: the
// reversal the refund would need beyond what is left of the seller's
// transfer (pos.ErrReversalExceeds), or a separate charge's transfer not
// known yet (pos.ErrChargeNotResolved); false for any other error.
func RefundSplitProblem(err error, f pos.ChargeFacts, amount int64, currency string) (Message, bool) {
	switch {
	case errors.Is(err, pos.ErrReversalExceeds):
		if amount == 0 {
			amount = f.Refundable
		}
		want := f.Transferred - f.Reversed
		if f.Captured > 0 && amount < f.Refundable {
			c, _ := pos.LookupCurrency(currency)
			want = pos.RoundShare(amount*f.Transferred, f.Captured, c)
		}
		return M("fees.refund.exceeds", Args{"Reversal": Money{Amount: want, Currency: currency},
			"Left": Money{Amount: max(f.Transferred-f.Reversed, 0), Currency: currency}}), true
	case errors.Is(err, pos.ErrChargeNotResolved):
		return M("fees.refund.unresolved"), true
	}
	return Message{}, false
}

// CheckEvidence is pos.ValidateEvidence in words: a field Kasse does not
// fill in, a field or the whole longer than Stripe takes, or nothing at
// all; nil when ev may be sent. errors.Is sees pos.ErrEvidence.
func CheckEvidence(ev map[string]string) error {
	err := pos.ValidateEvidence(ev)
	if err == nil {
		return nil
	}
	fail := func(m Message) error { return &Error{Kind: pos.ErrEvidence, Msg: m} }
	names := make([]string, 0, len(ev))
	for name := range ev {
		names = append(names, name)
	}
	slices.Sort(names)
	total := 0
	for _, name := range names {
		limit := 0
		for _, f := range pos.EvidenceFields {
			if f.Name == name {
				limit = f.Max
			}
		}
		if limit == 0 {
			known := make([]string, len(pos.EvidenceFields))
			for i, f := range pos.EvidenceFields {
				known[i] = f.Name
			}
			return fail(M("disputes.refusal.evidence_field", Args{"Field": name, "Fields": strings.Join(known, ", ")}))
		}
		n := utf8.RuneCountInString(ev[name])
		if n > limit {
			return fail(M("disputes.refusal.evidence_long", Args{"Field": name, "Length": n, "Max": limit}))
		}
		total += n
	}
	switch {
	case total == 0:
		return fail(M("disputes.refusal.evidence_empty"))
	case total > pos.MaxEvidenceChars:
		return fail(M("disputes.refusal.evidence_total", Args{"Length": total, "Max": pos.MaxEvidenceChars}))
	}
	return err
}

// DisputeAnswered is pos.CheckAnswerable's refusal of d in words (a
// dispute that no longer takes evidence or an acceptance); nil when d
// waits for an answer. errors.Is sees pos.ErrDisputeAnswered.
func DisputeAnswered(d pos.Dispute) error {
	if pos.CheckAnswerable(d) == nil {
		return nil
	}
	return &Error{Kind: pos.ErrDisputeAnswered, Msg: M("disputes.refusal.answered", Args{"ID": d.ID, "Status": DisputeStatus(d.Status)})}
}

// ChargeSetupProblem is what the sale machine would refuse, before any
// request, in a sale of total minor units of currency for a seller with
// setup: its fee rule without a fixed fee in the currency or otherwise
// invalid, or a fee that is not below the total; nil when there is none.
// errors.Is sees pos's sentinel (pos.ErrFeeCurrency, pos.ErrFeeRule).
func ChargeSetupProblem(setup pos.ChargeSetup, total int64, currency string) error {
	if setup.Fee.IsZero() {
		return nil
	}
	fee, err := setup.Fee.Fee(total, currency)
	switch {
	case errors.Is(err, pos.ErrFeeCurrency):
		return &Error{Kind: err, Msg: M("charges.register.fee_currency", Args{"Currency": strings.ToUpper(currency)})}
	case err != nil:
		return &Error{Kind: err, Msg: M("charges.register.fee_rule", Args{"Error": err})}
	case fee >= total:
		return &Error{Kind: pos.ErrFeeRule, Msg: M("charges.register.fee_not_below_total",
			Args{"Fee": Money{Amount: fee, Currency: currency}, "Total": Money{Amount: total, Currency: currency}})}
	}
	return nil
}
