package sandbox

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"kasse/sandbox/internal/apierr"
	"kasse/sandbox/internal/expand"
	"kasse/sandbox/internal/form"
	"kasse/sandbox/internal/list"
	"kasse/sandbox/internal/store"
)

// PaymentMethods (stripe-api.md §12; seeds 000, 003): retrieve, list (by
// customer and type), attach, detach, and create — only as Stripe's
// "clone" that shares a platform customer's card with a connected account
// (POST /v1/payment_methods with customer and payment_method under
// Stripe-Account). The sandbox makes PaymentMethods where Stripe does: a
// card presented on a reader (card_present, card_present.go), the
// reusable `card` a reader generates from it (generated_card, for a
// payment with setup_future_usage or a SetupIntent), a clone, and the
// documented test PaymentMethods (pm_card_visa, …) used by id.
//
// Decisions (UNVERIFIED where Stripe does not document them; Stripe's
// wording where it was seen in the wild):
//   - A test PaymentMethod id (testPaymentMethods) is accepted wherever a
//     PaymentMethod id is, on any account: each use makes a new card
//     PaymentMethod on the request's account (attaching pm_card_visa
//     answers a new pm_… id, as Stripe does). It cannot be retrieved.
//   - Attaching an attached PaymentMethod is refused "The payment method
//     you provided has already been attached to a customer." whatever the
//     customer; detaching an unattached one "The payment method you
//     provided is not attached to a customer so detachment is
//     impossible." Both 400 invalid_request_error without a code.
//   - A PaymentMethod used by a payment without being attached to a
//     customer, shared with a connected account while unattached, or
//     detached is consumed: it cannot be attached, shared or charged
//     again (Stripe's message, errConsumed).
//   - card_present PaymentMethods cannot be attached, shared or charged
//     without a reader (param payment_method); only their generated card
//     can.
//   - POST /v1/payment_methods without payment_method (raw card data,
//     tokens) is refused: the sandbox collects cards on readers only.
//   - The clone keeps the card (brand, last4, expiry, fingerprint,
//     funding, country) and nothing else: no customer, no
//     generated_from, the request's metadata. Stripe sends no event for a
//     new PaymentMethod.

// paymentMethod is a payment_method in its 2023-10-16 shape: the type's
// own hash (card or card_present) and no other.
type paymentMethod struct {
	store.Meta
	Object         string             `json:"object"`
	BillingDetails billingDetailsJSON `json:"billing_details"`
	Card           *pmCardJSON        `json:"card,omitempty"`
	CardPresent    *pmCardPresentJSON `json:"card_present,omitempty"`
	Created        int64              `json:"created"`
	Customer       ref                `json:"customer"`
	Livemode       bool               `json:"livemode"`
	Metadata       map[string]string  `json:"metadata"`
	Type           string             `json:"type"`

	// number is the test card behind the PaymentMethod (what a payment
	// with it does); consumed: it can no longer be used (see the file's
	// decisions). Both are kept in the state file's extra.
	number   string
	consumed bool
}

func (*paymentMethod) objectType() string { return "payment_method" }

type pmExtra struct {
	Number   string `json:"number"`
	Consumed bool   `json:"consumed,omitempty"`
}

func (pm *paymentMethod) saveExtra() []byte {
	b, _ := json.Marshal(pmExtra{Number: pm.number, Consumed: pm.consumed}) // plain struct: cannot fail
	return b
}

func (pm *paymentMethod) loadExtra(raw json.RawMessage) error {
	var x pmExtra
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &x); err != nil {
			return err
		}
	}
	pm.number, pm.consumed = x.Number, x.Consumed
	return nil
}

// pmCardJSON is payment_method_card.
type pmCardJSON struct {
	Brand             string             `json:"brand"`
	Checks            *pmChecksJSON      `json:"checks"`
	Country           *string            `json:"country"`
	DisplayBrand      *string            `json:"display_brand"`
	ExpMonth          int                `json:"exp_month"`
	ExpYear           int                `json:"exp_year"`
	Fingerprint       *string            `json:"fingerprint"`
	Funding           string             `json:"funding"`
	GeneratedFrom     *generatedFromJSON `json:"generated_from"`
	Last4             string             `json:"last4"`
	Networks          *networksJSON      `json:"networks"`
	ThreeDSecureUsage *tdsUsageJSON      `json:"three_d_secure_usage"`
	Wallet            any                `json:"wallet"`
}

type pmChecksJSON struct {
	AddressLine1Check      *string `json:"address_line1_check"`
	AddressPostalCodeCheck *string `json:"address_postal_code_check"`
	CvcCheck               *string `json:"cvc_check"`
}

type networksJSON struct {
	Available []string `json:"available"`
	Preferred *string  `json:"preferred"`
}

type tdsUsageJSON struct {
	Supported bool `json:"supported"`
}

// generatedFromJSON is payment_method_card_generated_card: the charge or
// setup attempt whose card_present read made this card.
type generatedFromJSON struct {
	Charge               *string               `json:"charge"`
	PaymentMethodDetails *generatedDetailsJSON `json:"payment_method_details"`
	SetupAttempt         ref                   `json:"setup_attempt"`
}

type generatedDetailsJSON struct {
	CardPresent *cardPresentJSON `json:"card_present,omitempty"`
	Type        string           `json:"type"`
}

// pmCardPresentJSON is payment_method_card_present.
type pmCardPresentJSON struct {
	Brand          *string       `json:"brand"`
	CardholderName *string       `json:"cardholder_name"`
	Country        *string       `json:"country"`
	ExpMonth       int           `json:"exp_month"`
	ExpYear        int           `json:"exp_year"`
	Fingerprint    *string       `json:"fingerprint"`
	Funding        *string       `json:"funding"`
	Last4          *string       `json:"last4"`
	Networks       *networksJSON `json:"networks"`
	ReadMethod     *string       `json:"read_method"`
}

// paymentMethodExpandable lists the expand[] paths of a payment_method.
var paymentMethodExpandable = []string{"customer"}

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

func (s *Server) renderPaymentMethod(pm *paymentMethod, exp *expand.Tree) any {
	sub := exp.Sub("customer")
	if sub == nil {
		return pm
	}
	c := *pm
	c.Customer = s.customerRef(pm.Customer, sub)
	return &c
}

// errNoSuchPM is Stripe's 404 for a PaymentMethod ("No such
// PaymentMethod", Stripe's spelling for this object).
func errNoSuchPM(id, param string) *apierr.Error {
	e := apierr.NoSuch("PaymentMethod", id)
	if param != "" {
		e.Param = param
	}
	return e
}

// errConsumed: the PaymentMethod was used once without a customer, shared
// unattached, or detached (Stripe's message).
func errConsumed(param string) *apierr.Error {
	return apierr.Invalid(http.StatusBadRequest, "", param,
		"The provided PaymentMethod was previously used with a PaymentIntent without Customer attachment, shared with a connected account without Customer attachment, or was detached from a Customer. It may not be used again. To use a PaymentMethod multiple times, you must attach it to a Customer first.")
}

// errCardPresentOnly: a card_present PaymentMethod where a card is needed.
func errCardPresentOnly(id, param, what string) *apierr.Error {
	return apierr.Invalid(http.StatusBadRequest, "", param,
		"The PaymentMethod %s is of type card_present: it can only be collected by a Terminal reader and cannot be %s. Use its generated_card (a card PaymentMethod) instead.", id, what)
}

// errNotCustomers: a PaymentMethod that is not the customer's.
func errNotCustomers(id, param string) *apierr.Error {
	return apierr.Invalid(http.StatusBadRequest, "", param,
		"The customer does not have a payment method with the ID %s. The payment method must be attached to the customer.", id)
}

// resolvePaymentMethod finds the PaymentMethod id names for a request on
// account: a stored one of that account, or — for a test PaymentMethod id
// — a new card PaymentMethod (not stored yet: fresh is true).
func (s *Server) resolvePaymentMethod(rq *request, account, id, param string) (pm *paymentMethod, fresh bool, e *apierr.Error) {
	if number, ok := testPaymentMethods[id]; ok {
		return s.newCardPaymentMethod(account, onlineCard(number), rq.Now.Unix()), true, nil
	}
	pm, ok := s.st.paymentMethods.Get(id)
	if !ok || pm.Account != account {
		return nil, false, errNoSuchPM(id, param)
	}
	return pm, false, nil
}

// attachablePaymentMethod resolves id for attaching to a customer of the
// request's account.
func (s *Server) attachablePaymentMethod(rq *request, id, param string) (*paymentMethod, *apierr.Error) {
	pm, _, err := s.resolvePaymentMethod(rq, rq.Account, id, param)
	if err != nil {
		return nil, err
	}
	switch {
	case pm.Type == "card_present":
		return nil, errCardPresentOnly(id, param, "attached to a customer")
	case pm.consumed:
		return nil, errConsumed(param)
	case pm.Customer != nil:
		return nil, apierr.Invalid(http.StatusBadRequest, "", param, "The payment method you provided has already been attached to a customer.")
	}
	return pm, nil
}

// attachPaymentMethod attaches pm (stored, or fresh from a test id) to c
// and returns it. The caller emits payment_method.attached. Called in a
// change.
func (s *Server) attachPaymentMethod(rq *request, pm *paymentMethod, c *customer) *paymentMethod {
	if stored, ok := s.st.paymentMethods.Get(pm.ID); ok && stored == pm {
		s.touch(pm)
		pm.Customer = c.ID
		return pm
	}
	pm.Customer = c.ID
	put(s, s.st.paymentMethods, pm)
	return pm
}

// detachPaymentMethod detaches pm from its customer (it is consumed) and
// emits payment_method.detached. Called in a change.
func (s *Server) detachPaymentMethod(rq *request, pm *paymentMethod) {
	cusID := refID(pm.Customer)
	if c, ok := s.st.customers.Get(cusID); ok && refID(c.InvoiceSettings.DefaultPaymentMethod) == pm.ID {
		s.touch(c)
		c.InvoiceSettings.DefaultPaymentMethod = nil
	}
	s.touch(pm)
	pm.Customer, pm.consumed = nil, true
	s.emit(rq, pm.Account, "payment_method.detached", pm, map[string]any{"customer": cusID})
}

// findPaymentMethod looks a PaymentMethod up in the request's account.
func (s *Server) findPaymentMethod(rq *request, id string) (*paymentMethod, *apierr.Error) {
	pm, ok := s.st.paymentMethods.Get(id)
	if !ok || !owned(pm, rq) {
		return nil, errNoSuchPM(id, "")
	}
	return pm, nil
}

func (s *Server) getPaymentMethod(rq *request) (any, *apierr.Error) {
	return retrieve(rq, paymentMethodExpandable, s.findPaymentMethod, s.renderPaymentMethod)
}

// listPaymentMethods: GET /v1/payment_methods, newest first; filters
// customer (of the request's account) and type.
func (s *Server) listPaymentMethods(rq *request) (any, *apierr.Error) {
	if err := expand.Check(rq.Expand, expand.WithPrefix("data.", paymentMethodExpandable)); err != nil {
		return nil, err
	}
	var c *customer
	if id := rq.Params.Child("customer").Value(); id != "" || rq.Params.Has("customer") {
		var err *apierr.Error
		if c, err = s.findCustomer(rq.Account, id, "customer"); err != nil {
			return nil, err
		}
	}
	return s.listPaymentMethodsOf(rq, c, "/v1/payment_methods")
}

// pmTypes are the types a list may filter on (the 2023-10-16 enum: a
// card_present method is never listed by type; the sandbox's lists find
// only card PaymentMethods by type).
var pmTypes = []string{"acss_debit", "affirm", "afterpay_clearpay", "alipay", "au_becs_debit", "bacs_debit", "bancontact",
	"blik", "boleto", "card", "cashapp", "customer_balance", "eps", "fpx", "giropay", "grabpay", "ideal", "klarna", "konbini",
	"link", "oxxo", "p24", "paynow", "paypal", "pix", "promptpay", "revolut_pay", "sepa_debit", "sofort", "swish",
	"us_bank_account", "wechat_pay", "zip"}

// listPaymentMethodsOf lists the account's PaymentMethods (c's, when c is
// set), newest first, filtered by type.
func (s *Server) listPaymentMethodsOf(rq *request, c *customer, url string) (any, *apierr.Error) {
	pg, err := list.ParsePage(rq.Params)
	if err != nil {
		return nil, err
	}
	typ := ""
	if rq.Params.Has("type") {
		if typ, err = form.Enum(rq.Params, "type", "type", pmTypes...); err != nil {
			return nil, err
		}
	}
	return listTable(s, rq, s.st.paymentMethods, pg, func(pm *paymentMethod) bool {
		return (c == nil || refID(pm.Customer) == c.ID) && (typ == "" || pm.Type == typ)
	}, url, s.renderPaymentMethod)
}

// createPaymentMethod shares a platform customer's card with the
// connected account of the request (Stripe-Account): customer and
// payment_method name the platform's customer and PaymentMethod.
func (s *Server) createPaymentMethod(rq *request) (any, *apierr.Error) {
	p := rq.Params
	if err := expand.Check(rq.Expand, paymentMethodExpandable); err != nil {
		return nil, err
	}
	src := p.Child("payment_method").Value()
	if src == "" {
		return nil, apierr.Validation(http.StatusBadRequest, "", "payment_method",
			"The sandbox creates PaymentMethods only by sharing a platform customer's PaymentMethod with a connected account (payment_method and customer, under Stripe-Account); cards are collected on readers.")
	}
	if typ := p.Child("type").Value(); p.Has("type") && typ != "card" {
		return nil, apierr.InvalidParam("type", "Only card PaymentMethods can be shared by the sandbox, not %q.", typ)
	}
	md, err := form.Metadata(p, nil)
	if err != nil {
		return nil, err
	}
	if rq.Account == "" {
		return nil, apierr.InvalidParam("payment_method",
			"payment_method can only be used to share a PaymentMethod with a connected account: send the request with the connected account's Stripe-Account header.")
	}
	source, fresh, err := s.resolvePaymentMethod(rq, "", src, "payment_method")
	if err != nil {
		return nil, err
	}
	cusID := p.Child("customer").Value()
	switch {
	case source.Type == "card_present":
		return nil, errCardPresentOnly(src, "payment_method", "shared with a connected account")
	case source.consumed:
		return nil, errConsumed("payment_method")
	case cusID != "":
		if _, err := s.findCustomer("", cusID, "customer"); err != nil {
			return nil, err
		}
		if refID(source.Customer) != cusID {
			return nil, errNotCustomers(src, "payment_method")
		}
	case source.Customer != nil:
		return nil, apierr.InvalidParam("customer",
			"The PaymentMethod %s is attached to a customer: pass that customer (customer=%s) to share it with a connected account.", src, refID(source.Customer))
	}
	if !fresh && source.Customer == nil { // shared while unattached: used up
		s.touch(source)
		source.consumed = true
	}
	clone := s.newCardPaymentMethod(rq.Account, onlineCard(source.number), rq.Now.Unix())
	card := *source.Card
	card.GeneratedFrom = nil
	clone.Card, clone.Metadata, clone.BillingDetails = &card, md, source.BillingDetails
	put(s, s.st.paymentMethods, clone)
	return s.renderPaymentMethod(clone, rq.Expand), nil
}

// attachPaymentMethodRoute: POST /v1/payment_methods/{id}/attach.
func (s *Server) attachPaymentMethodRoute(rq *request) (any, *apierr.Error) {
	if err := expand.Check(rq.Expand, paymentMethodExpandable); err != nil {
		return nil, err
	}
	cusID, err := form.Required(rq.Params, "customer", "customer")
	if err != nil {
		return nil, err
	}
	pm, err := s.attachablePaymentMethod(rq, rq.ID, "")
	if err != nil {
		return nil, err
	}
	c, err := s.findCustomer(rq.Account, cusID, "customer")
	if err != nil {
		return nil, err
	}
	pm = s.attachPaymentMethod(rq, pm, c)
	s.emit(rq, pm.Account, "payment_method.attached", pm, nil)
	return s.renderPaymentMethod(pm, rq.Expand), nil
}

// detachPaymentMethodRoute: POST /v1/payment_methods/{id}/detach.
func (s *Server) detachPaymentMethodRoute(rq *request) (any, *apierr.Error) {
	if err := expand.Check(rq.Expand, paymentMethodExpandable); err != nil {
		return nil, err
	}
	pm, err := s.findPaymentMethod(rq, rq.ID)
	if err != nil {
		return nil, err
	}
	if pm.Customer == nil {
		return nil, apierr.Invalid(http.StatusBadRequest, "", "",
			"The payment method you provided is not attached to a customer so detachment is impossible.")
	}
	s.detachPaymentMethod(rq, pm)
	return s.renderPaymentMethod(pm, rq.Expand), nil
}

// chargeablePaymentMethod resolves the payment_method of a PaymentIntent
// confirmed with it, for customer cus (nil: none): a card of the intent's
// account that the customer may use. setupFuture: the intent saves it
// (setup_future_usage), so an unattached card is attached after the
// payment instead of being refused.
func (s *Server) chargeablePaymentMethod(rq *request, id string, cus *customer, setupFuture bool) (*paymentMethod, bool, *apierr.Error) {
	pm, fresh, err := s.resolvePaymentMethod(rq, rq.Account, id, "payment_method")
	if err != nil {
		return nil, false, err
	}
	switch {
	case pm.Type == "card_present":
		return nil, false, errCardPresentOnly(id, "payment_method", "used to confirm a PaymentIntent without a reader")
	case pm.consumed:
		return nil, false, errConsumed("payment_method")
	case cus != nil && refID(pm.Customer) != cus.ID && !(pm.Customer == nil && setupFuture):
		return nil, false, errNotCustomers(pmName(id, pm), "payment_method")
	case cus == nil && pm.Customer != nil:
		return nil, false, apierr.InvalidParam("payment_method",
			"The PaymentMethod %s is attached to a customer: pass that customer (customer=%s) with the PaymentIntent.", id, refID(pm.Customer))
	}
	return pm, fresh, nil
}

// pmName is the id Stripe names in an error about pm: the new one a test
// id turned into.
func pmName(id string, pm *paymentMethod) string {
	if strings.HasPrefix(id, "pm_card_") {
		return pm.ID
	}
	return id
}
