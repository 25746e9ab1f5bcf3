package sandbox

import (
	"net/http"
	"time"

	"kasse/sandbox/internal/apierr"
	"kasse/sandbox/internal/form"
)

// Card (not card_present) payments with Stripe's test PaymentMethods, the
// smallest path that a dispute test needs: POST /v1/payment_intents with
// payment_method=pm_card_… and confirm=true charges the test card at once
// (createIntent calls confirmTestPaymentMethod). This file is the one
// place the sandbox knows test PaymentMethods; the customers and saved
// cards of issue 13 (PaymentMethod objects, attach, a confirm route) are
// meant to absorb it: testPaymentMethods becomes their lookup of a test
// method, confirmTestPaymentMethod the confirm step of a card intent.
//
// Decisions: payment_method without confirm leaves the intent in
// requires_confirmation (there is no confirm route yet); an intent with
// automatic payment methods (no payment_method_types) needs a return_url
// to confirm, as in Stripe, and the sandbox takes none, so name
// payment_method_types[]=card; the test methods are PaymentMethod ids only
// (GET /v1/payment_methods/{id} is not served).

// testPaymentMethod is a documented test PaymentMethod (Stripe's testing
// page: pm_card_<brand>, and the dispute methods of its Disputes table).
type testPaymentMethod struct {
	number string // the card behind it (a testCards number or a dispute card)
}

var testPaymentMethods = map[string]testPaymentMethod{
	"pm_card_visa":                            {"4242424242424242"},
	"pm_card_mastercard":                      {"5555555555554444"},
	"pm_card_amex":                            {"378282246310005"},
	"pm_card_createDispute":                   {disputeCardFraudulent},
	"pm_card_createDisputeProductNotReceived": {disputeCardNotReceived},
	"pm_card_createDisputeInquiry":            {disputeCardInquiry},
}

// cardJSON is payment_method_details.card of a card charge: every
// property the 2023-10-16 spec declares for it.
type cardJSON struct {
	AmountAuthorized      *int64         `json:"amount_authorized"`
	Brand                 string         `json:"brand"`
	CaptureBefore         int64          `json:"capture_before,omitempty"`
	Checks                *cardChecks    `json:"checks"`
	Country               string         `json:"country"`
	ExpMonth              int            `json:"exp_month"`
	ExpYear               int            `json:"exp_year"`
	ExtendedAuthorization statusJSON     `json:"extended_authorization"`
	Fingerprint           string         `json:"fingerprint"`
	Funding               string         `json:"funding"`
	IncrementalAuth       statusJSON     `json:"incremental_authorization"`
	Installments          any            `json:"installments"`
	Last4                 string         `json:"last4"`
	Mandate               *string        `json:"mandate"`
	Multicapture          statusJSON     `json:"multicapture"`
	Network               string         `json:"network"`
	NetworkToken          usedJSON       `json:"network_token"`
	Overcapture           overcaptureOpt `json:"overcapture"`
	ThreeDSecure          any            `json:"three_d_secure"`
	Wallet                any            `json:"wallet"`
}

type cardChecks struct {
	AddressLine1Check      *string `json:"address_line1_check"`
	AddressPostalCodeCheck *string `json:"address_postal_code_check"`
	CvcCheck               *string `json:"cvc_check"`
}

type statusJSON struct {
	Status string `json:"status"`
}

type usedJSON struct {
	Used bool `json:"used"`
}

type overcaptureOpt struct {
	MaximumAmountCapturable int64  `json:"maximum_amount_capturable"`
	Status                  string `json:"status"`
}

// testPaymentMethodParam reads payment_method for createIntent: "" when
// absent, else a test method's id (any other id is resource_missing).
func testPaymentMethodParam(p *form.Params) (string, *apierr.Error) {
	v, ok, err := form.String(p, "payment_method", "payment_method", 5000)
	if err != nil || !ok {
		return "", err
	}
	if _, known := testPaymentMethods[v]; !known {
		return "", apierr.NoSuch("payment_method", v).WithParam("payment_method")
	}
	return v, nil
}

// checkTestConfirm refuses, before the intent is created, a
// payment_method or confirm the intent cannot take.
func checkTestConfirm(pi *paymentIntent, pm string, confirm bool) *apierr.Error {
	if confirm && pm == "" {
		return apierr.InvalidParam("payment_method",
			"You cannot confirm this PaymentIntent because it's missing a payment method. Update the PaymentIntent with a payment method and then confirm it again.")
	}
	if pm == "" {
		return nil
	}
	if !hasType(pi.PaymentMethodTypes, "card") {
		return apierr.Invalid(http.StatusBadRequest, "payment_intent_incompatible_payment_method", "payment_method",
			"The PaymentMethod provided (card) is not allowed for this PaymentIntent. Please attach a PaymentMethod of one of the following types: %s. Alternatively, update the allowed payment_method_types for this PaymentIntent to include \"card\".",
			joinTypes(pi.PaymentMethodTypes))
	}
	if confirm && pi.AutomaticPaymentMethods != nil && pi.AutomaticPaymentMethods.Enabled {
		return apierr.InvalidParam("return_url",
			"This PaymentIntent is configured to accept payment methods enabled in your Dashboard, because some of these payment methods might redirect your customer off of your page. You must provide a `return_url` when confirming a PaymentIntent with `automatic_payment_methods` enabled.")
	}
	return nil
}

// confirmTestPaymentMethod charges pi with the test method pm (create
// with confirm=true, checked by checkTestConfirm; called in the change,
// before the intent is answered): a card charge that succeeds (automatic
// capture) or is authorized (manual), with the charge.* and
// payment_intent.* events; a dispute test card then opens its dispute
// (disputes.go).
func (s *Server) confirmTestPaymentMethod(rq *request, pi *paymentIntent, pm string) {
	c := lookupTestCard(testPaymentMethods[pm].number)
	now := rq.Now.Unix()
	ch := &charge{
		Meta: s.newMeta("ch", pi.Account), Object: "charge", Created: now, Currency: pi.Currency,
		PaymentIntent: idRef(pi.ID), PaymentMethod: nullString(pm), Description: pi.Description, ReceiptEmail: pi.ReceiptEmail,
		StatementDescriptor: pi.StatementDescriptor, StatementDescriptorSuffix: pi.StatementDescriptorSuffix,
		CalculatedStatementDescriptor: nullString(s.calculatedDescriptor(pi)), OnBehalfOf: pi.OnBehalfOf,
		TransferGroup: pi.TransferGroup, ApplicationFeeAmount: pi.ApplicationFeeAmount,
		Metadata: copyMap(pi.Metadata), FraudDetails: map[string]string{}, RadarOptions: map[string]string{},
		Amount: pi.Amount, Status: "succeeded", Paid: true,
		Outcome: &outcomeJSON{NetworkStatus: nullString("approved_by_network"), RiskLevel: "normal",
			SellerMessage: nullString("Payment complete."), Type: "authorized"},
		ReceiptURL: nullString("https://pay.stripe.com/receipts/payment/" + randomString(64)),
	}
	if td := pi.TransferData; td != nil {
		ch.TransferData = &chargeTransferJSON{Amount: td.Amount, Destination: td.Destination}
	}
	pass := "pass"
	manual := pi.CaptureMethod == "manual"
	card := &cardJSON{Brand: c.brand, Checks: &cardChecks{CvcCheck: &pass}, Country: c.country, ExpMonth: testCardExpMonth,
		ExpYear: time.Unix(now, 0).UTC().Year() + 3, ExtendedAuthorization: statusJSON{"disabled"}, Fingerprint: c.fingerprint(),
		Funding: c.funding, IncrementalAuth: statusJSON{"unavailable"}, Last4: c.last4(), Multicapture: statusJSON{"unavailable"},
		Network: c.network, Overcapture: overcaptureOpt{MaximumAmountCapturable: pi.Amount, Status: "unavailable"}}
	if manual {
		amt := pi.Amount
		card.AmountAuthorized, card.CaptureBefore = &amt, now+7*86400
	}
	ch.PaymentMethodDetails = &pmDetailsJSON{Type: "card", Card: card}
	s.touch(pi)
	pi.LatestCharge, pi.PaymentMethod, pi.LastPaymentError = idRef(ch.ID), nullString(pm), nil
	s.addCharge(ch)
	if manual {
		pi.Status, pi.AmountCapturable = "requires_capture", pi.Amount
		s.emit(rq, pi.Account, "charge.succeeded", ch, nil)
		s.emit(rq, pi.Account, "payment_intent.amount_capturable_updated", pi, nil)
		return
	}
	ch.Captured, ch.AmountCaptured = true, pi.Amount
	feeOnCapture(ch)
	pi.Status, pi.AmountReceived = "succeeded", pi.Amount
	s.emit(rq, pi.Account, "charge.succeeded", ch, nil)
	s.emit(rq, pi.Account, "payment_intent.succeeded", pi, nil)
	s.disputeIfTestCard(rq, ch)
}

func joinTypes(types []string) string {
	out := ""
	for i, t := range types {
		if i > 0 {
			out += ", "
		}
		out += t
	}
	return out
}
