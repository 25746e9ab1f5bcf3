package sandbox

import (
	"strings"

	"kasse/sandbox/internal/apierr"
)

// collectCardPresent settles a card presented on a simulated reader
// against pi (called by the terminal part with s.mu held). The total
// amount + tip decides the test-amount endings. It creates the charge
// (succeeded or failed) on the intent's account, moves the intent, emits
// charge.* and payment_intent.* events there, and returns "" on approval,
// or the reader action's failure code and message on a decline.
//
// Decisions:
//   - Every decline fails the reader action with failure_code
//     card_declined and the decline's message (§1.4 lists card_declined as
//     the decline code of actions); the precise code (expired_card,
//     processing_error, incorrect_number) and decline_code are on the
//     intent's last_payment_error and the failed charge.
//   - After a decline latest_charge points at the failed charge
//     (UNVERIFIED) and payment_method is null again: the intent is back in
//     requires_payment_method, ready for the next card.
//   - amount_details.tip.amount: set to the tip when one was given; set to
//     0 when the reader offered tipping (the action named process_config
//     with skip_tipping=false or tipping[amount_eligible]) and none was
//     chosen; otherwise absent (`{}`, tipping off).
//   - An approved payment's charge amount includes the tip.
func (s *Server) collectCardPresent(rq *request, pi *paymentIntent, card string, tip int64) (failureCode, failureMessage string) {
	pmType := "card_present"
	if card == "" {
		card = defaultCardNumber
		if !hasPMType(pi, "card_present") && hasPMType(pi, "interac_present") {
			card = defaultInteracNumber
		}
	}
	c := lookupTestCard(card)
	if c.brand == "interac" && hasPMType(pi, "interac_present") {
		pmType = "interac_present"
	}
	if tip < 0 {
		tip = 0
	}
	total := pi.amount + tip
	decline := c.decline
	cvm := c.cvm
	if decline == nil {
		var amountCVM string
		decline, amountCVM = amountOutcome(total)
		if amountCVM != "" {
			cvm = amountCVM
		}
	}
	now := rq.Now.Unix()
	ch := &charge{
		meta: s.newMeta("ch", pi.account, now), currency: pi.currency, paymentIntent: pi.id,
		paymentMethod: newID("pm"), brand: c.brand, last4: c.last4(), card: c, pmType: pmType,
		captureMethod: pi.captureMethod, description: pi.description, receiptEmail: pi.receiptEmail,
		statementDescriptor: pi.statementDescriptor, statementDescriptorSuffix: pi.statementDescriptorSuffix,
		calculatedDescriptor: s.calculatedDescriptor(pi), onBehalfOf: pi.onBehalfOf, transferDest: pi.transferDest,
		transferAmount: pi.transferAmount, transferGroup: pi.transferGroup, applicationFee: pi.applicationFee,
		metadata: copyMeta(pi.metadata), cvm: cvm,
	}
	s.st.charges[ch.id] = ch
	pi.latestCharge = ch.id

	if decline != nil {
		ch.amount = total - tip // the tip is not added to a declined payment
		ch.status, ch.failureCode, ch.failureMessage, ch.declineCode = "failed", decline.code, decline.message, decline.declineCode
		ch.outcomeType, ch.outcomeReason, ch.sellerMessage = decline.outcomeType, outcomeReasonOf(decline), sellerMessageOf(decline)
		pi.status, pi.paymentMethod = "requires_payment_method", ""
		pi.lastError = &paymentError{typ: apierr.TypeCard, code: decline.code, declineCode: decline.declineCode,
			message: decline.message, charge: ch.id, paymentMethod: ch.paymentMethod}
		s.emit(rq, pi.account, "charge.failed", s.renderCharge(ch, nil), nil)
		s.emit(rq, pi.account, "payment_intent.payment_failed", s.renderIntent(pi, nil), nil)
		return "card_declined", decline.message
	}

	if tip > 0 {
		t := tip
		pi.tip = &t
	} else if s.tippingOffered(pi.id) {
		z := int64(0)
		pi.tip = &z
	}
	pi.amount = total
	pi.lastError, pi.paymentMethod = nil, ch.paymentMethod
	ch.amount, ch.status, ch.paid = total, "succeeded", true
	ch.outcomeType, ch.sellerMessage = "authorized", "Payment complete."
	ch.authCode = authorizationCode(ch.id)
	ch.receiptURL = "https://pay.stripe.com/receipts/payment/" + randomString(64)
	if pi.captureMethod == "manual" {
		pi.status, pi.amountCapturable = "requires_capture", total
		s.emit(rq, pi.account, "charge.succeeded", s.renderCharge(ch, nil), nil)
		s.emit(rq, pi.account, "payment_intent.amount_capturable_updated", s.renderIntent(pi, nil), nil)
		return "", ""
	}
	// automatic and automatic_async capture at once.
	ch.captured, ch.amountCaptured = true, total
	s.feeOnCapture(ch)
	pi.status, pi.amountCapturable, pi.amountReceived = "succeeded", 0, total
	s.emit(rq, pi.account, "charge.succeeded", s.renderCharge(ch, nil), nil)
	s.emit(rq, pi.account, "payment_intent.succeeded", s.renderIntent(pi, nil), nil)
	return "", ""
}

// feeOnCapture gives a captured charge with an application fee its fee_ id
// (the ApplicationFee object itself is not emulated).
func (s *Server) feeOnCapture(ch *charge) {
	if ch.applicationFee != nil && *ch.applicationFee > 0 && ch.applicationFeeID == "" {
		ch.applicationFeeID = newID("fee")
	}
}

func hasPMType(pi *paymentIntent, t string) bool {
	for _, x := range pi.paymentMethodTypes {
		if x == t {
			return true
		}
	}
	return false
}

func copyMeta(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func outcomeReasonOf(d *declineOutcome) string {
	if d.declineCode != "" {
		return d.declineCode
	}
	return d.code
}

// sellerMessageOf is charge.outcome.seller_message for a decline.
func sellerMessageOf(d *declineOutcome) string {
	switch {
	case d.code == "incorrect_number":
		return "The card number is incorrect."
	case d.declineCode == "generic_decline" || d.declineCode == "":
		return "The bank did not return any further details with this decline."
	}
	return "The bank returned the decline code `" + d.declineCode + "`."
}

// authorizationCode is a six-digit issuer authorization code, stable per
// charge.
func authorizationCode(id string) string {
	n := 0
	for _, r := range id {
		n = (n*31 + int(r)) % 1000000
	}
	out := []byte("000000")
	for i := 5; i >= 0 && n > 0; i-- {
		out[i] = byte('0' + n%10)
		n /= 10
	}
	return string(out)
}

// tippingOffered reports whether the reader action collecting piID showed
// a tipping screen: process_config named skip_tipping=false or
// tipping[amount_eligible]. Readers without tipping configuration show
// none (the sandbox has no Terminal configurations).
func (s *Server) tippingOffered(piID string) bool {
	for _, r := range s.st.readers {
		a := r.action
		if a == nil || a.typ != "process_payment_intent" || a.paymentIntent != piID {
			continue
		}
		if a.skipTipping != nil && *a.skipTipping {
			return false
		}
		return a.tipEligible != nil || a.skipTipping != nil
	}
	return false
}

// calculatedDescriptor is what appears on the cardholder's statement: the
// intent's statement_descriptor, else the account's statement descriptor
// or name, with the suffix
// after "* " — upper case, at most 22 characters.
func (s *Server) calculatedDescriptor(pi *paymentIntent) string {
	base := pi.statementDescriptor
	if a, ok := s.st.accounts[pi.account]; ok && base == "" { // "" keys the platform's own record
		for _, v := range []string{a.statementDescriptor, a.businessName, a.displayName} {
			if base == "" {
				base = v
			}
		}
	}
	if base == "" {
		base = "KASSE SANDBOX"
	}
	base = strings.ToUpper(base)
	if pi.statementDescriptorSuffix != "" {
		base = truncRunes(base, 10) + "* " + strings.ToUpper(pi.statementDescriptorSuffix)
	}
	return truncRunes(base, 22)
}
