package sandbox

import (
	"encoding/json"
	"net/http"

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
// documented test PaymentMethods (pm_card_visa, …) used by id. This file
// holds the object and its routes; making PaymentMethods is in
// payment_methods_new.go, resolving, attaching, detaching and charging
// them for other resources in payment_methods_use.go.
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

func (s *Server) renderPaymentMethod(pm *paymentMethod, exp *expand.Tree) any {
	sub := exp.Sub("customer")
	if sub == nil {
		return pm
	}
	c := *pm
	c.Customer = s.customerRef(pm.Customer, sub)
	return &c
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
