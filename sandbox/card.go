package sandbox

import (
	"net/http"

	"kasse/sandbox/internal/apierr"
)

// Card-not-present payments: a PaymentIntent created with payment_method
// (a card PaymentMethod: a saved card, a clone, a test PaymentMethod) and
// confirm=true is charged at once, as Stripe does — the 2023-10-16
// one-call create-and-confirm that Stripe's own samples use with
// pm_card_visa. What the card does is its test card's (onlineCard); the
// Terminal test amounts (§2.4) are a reader's and do not apply here.
//
// Decisions (UNVERIFIED):
//   - A decline answers HTTP 402 card_error with the failed intent in
//     error.payment_intent, the PaymentMethod in error.payment_method, the
//     failed charge in error.charge; the intent is back in
//     requires_payment_method (payment_method null, last_payment_error
//     set, latest_charge the failed charge), as for a reader decline. The
//     402 is stored under the idempotency key (the call was executed).
//   - pm_card_authenticationRequired (4000002760003184): with
//     off_session=true the payment is declined with authentication_required
//     (402, a failed charge); on session the intent waits in
//     requires_action (next_action use_stripe_sdk, no charge).
//   - A card used without being attached to a customer is consumed by the
//     payment (declined or not); with setup_future_usage and a customer it
//     is attached to the customer once the payment succeeds.

// onlineCards are test cards that exist for card-not-present payments
// only (Stripe's testing page), besides the shared numbers of testCards.
var onlineCards = func() map[string]*testCard {
	m := map[string]*testCard{}
	fail := card("4000000000000341", "visa", "visa", "credit", "US") // attaches fine, every charge fails
	fail.decline = issuerDecline("card_declined", "generic_decline")
	m[fail.number] = fail
	cvc := card("4000000000000127", "visa", "visa", "credit", "US")
	cvc.decline = &declineOutcome{code: "incorrect_cvc", declineCode: "incorrect_cvc", message: "Your card's security code is incorrect.",
		outcomeType: "issuer_declined", network: "declined_by_network"}
	m[cvc.number] = cvc
	m["4000000000000259"] = card("4000000000000259", "visa", "visa", "credit", "US") // disputed later (the disputes part)
	auth := card("4000002760003184", "visa", "visa", "credit", "US")
	auth.authentication = true
	m[auth.number] = auth
	return m
}()

// authenticationRequired is the decline of a card that needs 3D Secure
// charged off session.
var authenticationRequired = &declineOutcome{code: "authentication_required", declineCode: "authentication_required",
	message: "Your card was declined. This transaction requires authentication.", outcomeType: "issuer_declined", network: "declined_by_network"}

// onlineCard is the test card behind a card PaymentMethod.
func onlineCard(number string) *testCard {
	if c, ok := onlineCards[number]; ok {
		return c
	}
	return lookupTestCard(number)
}

// chargeCardJSON is payment_method_details.card (payment_method_details_card).
type chargeCardJSON struct {
	AmountAuthorized *int64        `json:"amount_authorized"`
	Brand            *string       `json:"brand"`
	CaptureBefore    int64         `json:"capture_before,omitempty"`
	Checks           *pmChecksJSON `json:"checks"`
	Country          *string       `json:"country"`
	ExpMonth         int           `json:"exp_month"`
	ExpYear          int           `json:"exp_year"`
	Fingerprint      *string       `json:"fingerprint"`
	Funding          *string       `json:"funding"`
	Installments     any           `json:"installments"`
	Last4            *string       `json:"last4"`
	Mandate          *string       `json:"mandate"`
	Network          *string       `json:"network"`
	NetworkToken     any           `json:"network_token"`
	ThreeDSecure     any           `json:"three_d_secure"`
	Wallet           any           `json:"wallet"`
}

// nextActionJSON is payment_intent_next_action for 3D Secure through
// Stripe's SDK.
type nextActionJSON struct {
	Type         string         `json:"type"`
	UseStripeSDK map[string]any `json:"use_stripe_sdk"`
}

// confirmCard charges pm for pi, just created with confirm=true (called
// in the create's change, after payment_intent.created). offSession: the
// customer is not there to authenticate. It answers the intent, or the
// 402 of a decline.
func (s *Server) confirmCard(rq *request, pi *paymentIntent, pm *paymentMethod, fresh, offSession bool, cus *customer) (any, *apierr.Error) {
	if fresh {
		put(s, s.st.paymentMethods, pm)
	}
	c := onlineCard(pm.number)
	s.touch(pi)
	if c.authentication && !offSession {
		pi.Status, pi.PaymentMethod = "requires_action", idRef(pm.ID)
		pi.NextAction = &nextActionJSON{Type: "use_stripe_sdk", UseStripeSDK: map[string]any{
			"type": "three_d_secure_redirect", "stripe_js": "https://hooks.stripe.com/redirect/authenticate/src_" + randomString(24)}}
		s.emit(rq, pi.Account, "payment_intent.requires_action", pi, nil)
		return s.renderIntent(pi, rq.Expand), nil
	}
	decline := c.decline
	if c.authentication {
		decline = authenticationRequired
	}
	now := rq.Now.Unix()
	ch := &charge{
		Meta: s.newMeta("ch", pi.Account), Object: "charge", Created: now, Currency: pi.Currency, Amount: pi.Amount,
		PaymentIntent: idRef(pi.ID), PaymentMethod: nullString(pm.ID), Customer: pi.Customer,
		Description: pi.Description, ReceiptEmail: pi.ReceiptEmail,
		StatementDescriptor: pi.StatementDescriptor, StatementDescriptorSuffix: pi.StatementDescriptorSuffix,
		CalculatedStatementDescriptor: nullString(s.calculatedDescriptor(pi)), OnBehalfOf: pi.OnBehalfOf,
		TransferGroup: pi.TransferGroup, ApplicationFeeAmount: pi.ApplicationFeeAmount,
		Metadata: copyMap(pi.Metadata), FraudDetails: map[string]string{}, RadarOptions: map[string]string{},
		BillingDetails: pm.BillingDetails,
	}
	if td := pi.TransferData; td != nil {
		ch.TransferData = &chargeTransferJSON{Amount: td.Amount, Destination: td.Destination}
	}
	card := pm.Card
	details := &chargeCardJSON{Brand: nullString(card.Brand), Checks: card.Checks, Country: card.Country,
		ExpMonth: card.ExpMonth, ExpYear: card.ExpYear, Fingerprint: card.Fingerprint, Funding: nullString(card.Funding),
		Last4: nullString(card.Last4), Network: nullString(c.network)}
	ch.PaymentMethodDetails = &pmDetailsJSON{Type: "card", Card: details}
	pi.LatestCharge = idRef(ch.ID)
	if pm.Customer == nil && !(cus != nil && pi.SetupFutureUsage != nil && decline == nil) {
		s.touch(pm)
		pm.consumed = true // used without a customer: once only
	}

	if decline != nil {
		ch.Status, ch.FailureCode, ch.FailureMessage = "failed", nullString(decline.code), nullString(decline.message)
		ch.Outcome = &outcomeJSON{NetworkStatus: nullString(decline.network), Reason: nullString(outcomeReasonOf(decline)),
			RiskLevel: "normal", SellerMessage: nullString(sellerMessageOf(decline)), Type: decline.outcomeType}
		s.addCharge(ch)
		snapshot := *pm
		pi.Status, pi.PaymentMethod = "requires_payment_method", nil
		pi.LastPaymentError = &lastErrorJSON{Charge: ch.ID, Code: decline.code, DeclineCode: decline.declineCode,
			DocURL: apierr.DocURL(decline.code), Message: decline.message, Type: apierr.TypeCard, PaymentMethod: &snapshot}
		s.emit(rq, pi.Account, "charge.failed", ch, nil)
		s.emit(rq, pi.Account, "payment_intent.payment_failed", pi, nil)
		return nil, &apierr.Error{Status: http.StatusPaymentRequired, Type: apierr.TypeCard, Code: decline.code,
			DeclineCode: decline.declineCode, Message: decline.message, Charge: ch.ID,
			PaymentIntent: s.renderIntent(pi, nil), PaymentMethod: &snapshot}
	}

	amount := pi.Amount
	details.AmountAuthorized = &amount
	pi.LastPaymentError, pi.PaymentMethod = nil, idRef(pm.ID)
	ch.Status, ch.Paid = "succeeded", true
	ch.Outcome = &outcomeJSON{NetworkStatus: nullString("approved_by_network"), RiskLevel: "normal",
		SellerMessage: nullString("Payment complete."), Type: "authorized"}
	ch.ReceiptURL = nullString("https://pay.stripe.com/receipts/payment/" + randomString(64))
	if cus != nil && pi.SetupFutureUsage != nil && pm.Customer == nil {
		pm = s.attachPaymentMethod(rq, pm, cus)
		s.emit(rq, pm.Account, "payment_method.attached", pm, nil)
	}
	if pi.CaptureMethod == "manual" {
		details.CaptureBefore = now + 7*86400 // online card authorizations: seven days
		s.addCharge(ch)
		pi.Status, pi.AmountCapturable = "requires_capture", amount
		s.emit(rq, pi.Account, "charge.succeeded", ch, nil)
		s.emit(rq, pi.Account, "payment_intent.amount_capturable_updated", pi, nil)
		return s.renderIntent(pi, rq.Expand), nil
	}
	ch.Captured, ch.AmountCaptured = true, amount
	s.connectOnCapture(rq, pi, ch)
	s.addCharge(ch)
	pi.Status, pi.AmountCapturable, pi.AmountReceived = "succeeded", 0, amount
	s.emit(rq, pi.Account, "charge.succeeded", ch, nil)
	s.emit(rq, pi.Account, "payment_intent.succeeded", pi, nil)
	s.disputeIfTestCard(rq, ch) // disputes_lifecycle.go
	return s.renderIntent(pi, rq.Expand), nil
}
