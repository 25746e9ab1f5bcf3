package sandbox

import (
	"strings"

	"kasse/sandbox/internal/apierr"
)

// Card-present payments: a card presented on a simulated reader settles
// against the PaymentIntent the reader collects for. The test cards and
// test amounts that decide the outcome are in testcards.go.

// collectCardPresent settles card (a number; "" for the default) presented
// with tip against pi, for reader action a (called by the terminal part in
// a change). The total amount + tip decides the test-amount endings. It
// creates the charge (succeeded or failed) on the intent's account, moves
// the intent, emits charge.* and payment_intent.* events there, and returns
// "" on approval, or the reader action's failure code and message on a
// decline.
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
func (s *Server) collectCardPresent(rq *request, pi *paymentIntent, a *readerAction, card string, tip int64) (failureCode, failureMessage string) {
	pmType := "card_present"
	if card == "" {
		card = defaultCardNumber
		if !hasType(pi.PaymentMethodTypes, "card_present") && hasType(pi.PaymentMethodTypes, "interac_present") {
			card = defaultInteracNumber
		}
	}
	c := lookupTestCard(card)
	if c.brand == "interac" && hasType(pi.PaymentMethodTypes, "interac_present") {
		pmType = "interac_present"
	}
	if tip < 0 {
		tip = 0
	}
	total := pi.Amount + tip
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
		Meta: s.newMeta("ch", pi.Account), Object: "charge", Created: now, Currency: pi.Currency,
		PaymentIntent: idRef(pi.ID), PaymentMethod: nullString(s.newCardPresentPaymentMethod(pi.Account, c, now).ID), Customer: pi.Customer,
		Description: pi.Description, ReceiptEmail: pi.ReceiptEmail,
		StatementDescriptor: pi.StatementDescriptor, StatementDescriptorSuffix: pi.StatementDescriptorSuffix,
		CalculatedStatementDescriptor: nullString(s.calculatedDescriptor(pi)), OnBehalfOf: pi.OnBehalfOf,
		TransferGroup: pi.TransferGroup, ApplicationFeeAmount: pi.ApplicationFeeAmount,
		Metadata: copyMap(pi.Metadata), FraudDetails: map[string]string{}, RadarOptions: map[string]string{},
		BillingDetails: billingDetailsJSON{},
	}
	if td := pi.TransferData; td != nil {
		ch.TransferData = &chargeTransferJSON{Amount: td.Amount, Destination: td.Destination}
	}
	s.touch(pi)
	pi.LatestCharge = idRef(ch.ID)

	if decline != nil {
		ch.Amount = total - tip // the tip is not added to a declined payment
		ch.Status, ch.FailureCode, ch.FailureMessage = "failed", nullString(decline.code), nullString(decline.message)
		ch.Outcome = &outcomeJSON{NetworkStatus: nullString(decline.network), Reason: nullString(outcomeReasonOf(decline)),
			RiskLevel: "not_assessed", SellerMessage: nullString(sellerMessageOf(decline)), Type: decline.outcomeType}
		ch.PaymentMethodDetails = pmDetails(c, pmType, false, ch.Amount, now, pi.CaptureMethod == "manual", "", cvm)
		s.addCharge(ch)
		pi.Status, pi.PaymentMethod = "requires_payment_method", nil
		pi.LastPaymentError = &lastErrorJSON{Charge: ch.ID, Code: decline.code, DeclineCode: decline.declineCode,
			DocURL: apierr.DocURL(decline.code), Message: decline.message, Type: apierr.TypeCard}
		s.emit(rq, pi.Account, "charge.failed", ch, nil)
		s.emit(rq, pi.Account, "payment_intent.payment_failed", pi, nil)
		return "card_declined", decline.message
	}

	if tip > 0 {
		t := tip
		pi.AmountDetails.Tip.Amount = &t
	} else if a.tippingOffered {
		z := int64(0)
		pi.AmountDetails.Tip.Amount = &z
	}
	pi.Amount = total
	pi.LastPaymentError, pi.PaymentMethod = nil, idRef(str(ch.PaymentMethod))
	ch.Amount, ch.Status, ch.Paid = total, "succeeded", true
	ch.Outcome = &outcomeJSON{NetworkStatus: nullString("approved_by_network"), RiskLevel: "not_assessed",
		SellerMessage: nullString("Payment complete."), Type: "authorized"}
	ch.ReceiptURL = nullString("https://pay.stripe.com/receipts/payment/" + randomString(64))
	ch.PaymentMethodDetails = pmDetails(c, pmType, true, total, now, pi.CaptureMethod == "manual", authorizationCode(ch.ID), cvm)
	s.saveAfterPayment(rq, pi, ch, c) // setup_future_usage: the generated card (payment_intents_customers.go)
	s.addCharge(ch)
	if pi.CaptureMethod == "manual" {
		pi.Status, pi.AmountCapturable = "requires_capture", total
		s.emit(rq, pi.Account, "charge.succeeded", ch, nil)
		s.emit(rq, pi.Account, "payment_intent.amount_capturable_updated", pi, nil)
		return "", ""
	}
	// automatic and automatic_async capture at once.
	ch.Captured, ch.AmountCaptured = true, total
	s.connectOnCapture(rq, pi, ch)
	pi.Status, pi.AmountCapturable, pi.AmountReceived = "succeeded", 0, total
	s.emit(rq, pi.Account, "charge.succeeded", ch, nil)
	s.emit(rq, pi.Account, "payment_intent.succeeded", pi, nil)
	s.disputeIfTestCard(rq, ch) // disputes_lifecycle.go
	return "", ""
}

// addCharge stores a new charge and indexes it by its intent.
func (s *Server) addCharge(ch *charge) {
	put(s, s.st.charges, ch)
	if pi := refID(ch.PaymentIntent); pi != "" {
		s.st.chargesOf[pi] = append(s.st.chargesOf[pi], ch)
	}
}

func copyMap(m map[string]string) map[string]string {
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

// calculatedDescriptor is what appears on the cardholder's statement: the
// intent's statement_descriptor, else the account's statement descriptor
// or name, with the suffix after "* " — upper case, at most 22 characters.
func (s *Server) calculatedDescriptor(pi *paymentIntent) string {
	base := str(pi.StatementDescriptor)
	if a := s.accountOf(pi.Account); a != nil && base == "" {
		for _, v := range []*string{a.Settings.Payments.StatementDescriptor, a.BusinessProfile.Name, a.Settings.Dashboard.DisplayName} {
			if base == "" {
				base = str(v)
			}
		}
	}
	if base == "" {
		base = "KASSE SANDBOX"
	}
	base = strings.ToUpper(base)
	if suffix := str(pi.StatementDescriptorSuffix); suffix != "" {
		base = truncRunes(base, 10) + "* " + strings.ToUpper(suffix)
	}
	return truncRunes(base, 22)
}

func truncRunes(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n])
	}
	return s
}
