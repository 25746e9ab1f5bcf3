package sandbox

import (
	"time"
)

// Where PaymentMethods come from: Stripe's test PaymentMethods, the
// card_present method of a card read on a reader, and the reusable card a
// reader generates from it. The object and its routes are in
// payment_methods.go.

// testPaymentMethods are Stripe's documented test PaymentMethods (the
// testing page's "PaymentMethods" column) and the test card behind each;
// what a payment with them does is onlineOutcome's (card.go).
var testPaymentMethods = map[string]string{
	"pm_card_visa":                                 "4242424242424242",
	"pm_card_visa_debit":                           "4000056655665556",
	"pm_card_mastercard":                           "5555555555554444",
	"pm_card_mastercard_debit":                     "5200828282828210",
	"pm_card_mastercard_prepaid":                   "5105105105105100",
	"pm_card_amex":                                 "378282246310005",
	"pm_card_discover":                             "6011111111111117",
	"pm_card_diners":                               "3056930009020004",
	"pm_card_jcb":                                  "3566002020360505",
	"pm_card_unionpay":                             "6200000000000005",
	"pm_card_visa_chargeDeclined":                  "4000000000000002",
	"pm_card_visa_chargeDeclinedInsufficientFunds": "4000000000009995",
	"pm_card_visa_chargeDeclinedLostCard":          "4000000000009987",
	"pm_card_visa_chargeDeclinedStolenCard":        "4000000000009979",
	"pm_card_chargeDeclinedExpiredCard":            "4000000000000069",
	"pm_card_chargeDeclinedIncorrectCvc":           "4000000000000127",
	"pm_card_chargeDeclinedProcessingError":        "4000000000000119",
	"pm_card_chargeCustomerFail":                   "4000000000000341",
	"pm_card_createDispute":                        "4000000000000259",
	"pm_card_createDisputeProductNotReceived":      "4000000000002685",
	"pm_card_createDisputeInquiry":                 "4000000000001976",
	"pm_card_authenticationRequired":               "4000002760003184",
}

// displayBrand is payment_method.card.display_brand for a brand.
func displayBrand(brand string) string {
	switch brand {
	case "amex":
		return "american_express"
	case "diners":
		return "diners_club"
	}
	return brand
}

// cardExpiry is the expiry the sandbox gives a card read at created:
// December, three years on (as pmDetails).
func cardExpiry(created int64) (month, year int) {
	return testCardExpMonth, time.Unix(created, 0).UTC().Year() + 3
}

// newCardPaymentMethod builds (does not store) a card PaymentMethod of
// account for test card c.
func (s *Server) newCardPaymentMethod(account string, c *testCard, created int64) *paymentMethod {
	month, year := cardExpiry(created)
	none := (*string)(nil)
	pm := &paymentMethod{Meta: s.newMeta("pm", account), Object: "payment_method", Type: "card", Created: created,
		Metadata: map[string]string{}, number: c.number,
		Card: &pmCardJSON{Brand: c.brand, Checks: &pmChecksJSON{AddressLine1Check: none, AddressPostalCodeCheck: none, CvcCheck: none},
			Country: nullString(c.country), DisplayBrand: nullString(displayBrand(c.brand)), ExpMonth: month, ExpYear: year,
			Fingerprint: nullString(c.fingerprint()), Funding: c.funding, Last4: c.last4(),
			Networks: &networksJSON{Available: []string{c.network}}, ThreeDSecureUsage: &tdsUsageJSON{Supported: true}}}
	return pm
}

// newCardPresentPaymentMethod stores the card_present PaymentMethod of a
// card read on a reader (called in a change).
func (s *Server) newCardPresentPaymentMethod(account string, c *testCard, created int64) *paymentMethod {
	month, year := cardExpiry(created)
	pm := &paymentMethod{Meta: s.newMeta("pm", account), Object: "payment_method", Type: "card_present", Created: created,
		Metadata: map[string]string{}, number: c.number,
		CardPresent: &pmCardPresentJSON{Brand: nullString(c.brand), Country: nullString(c.country), ExpMonth: month, ExpYear: year,
			Fingerprint: nullString(c.fingerprint()), Funding: nullString(c.funding), Last4: nullString(c.last4()),
			Networks: &networksJSON{Available: []string{c.network}}, ReadMethod: nullString("contact_emv")}}
	put(s, s.st.paymentMethods, pm)
	return pm
}

// generatesCard reports whether a card read on a reader can be saved as a
// reusable card (generated_card): Visa, Mastercard, Amex, Discover and
// co-branded eftpos can; single-brand Interac and single-brand eftpos
// cannot, nor can a mobile wallet (§12).
func generatesCard(c *testCard) bool {
	if c.wallet != "" {
		return false
	}
	switch c.brand {
	case "interac", "eftpos_au":
		return false
	}
	return true
}

// newGeneratedCard stores the reusable card a reader generated from cp
// (the card_present details of charge chargeID, or of setup attempt
// attemptID), attached to cus when it is not nil. Called in a change.
func (s *Server) newGeneratedCard(rq *request, account string, c *testCard, cp *cardPresentJSON, chargeID, attemptID string, cus *customer) *paymentMethod {
	pm := s.newCardPaymentMethod(account, c, rq.Now.Unix())
	details := *cp
	details.GeneratedCard = nil
	pm.Card.GeneratedFrom = &generatedFromJSON{Charge: nullString(chargeID), SetupAttempt: idRef(attemptID),
		PaymentMethodDetails: &generatedDetailsJSON{Type: "card_present", CardPresent: &details}}
	if cus != nil {
		pm.Customer = cus.ID
	}
	put(s, s.st.paymentMethods, pm)
	if cus != nil {
		s.emit(rq, account, "payment_method.attached", pm, nil)
	}
	return pm
}
