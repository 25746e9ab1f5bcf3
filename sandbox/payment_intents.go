package sandbox

import (
	"net/http"
	"net/mail"
	"strconv"
	"strings"

	"kasse/sandbox/internal/apierr"
	"kasse/sandbox/internal/expand"
	"kasse/sandbox/internal/form"
	"kasse/sandbox/internal/store"
)

// PaymentIntents (stripe-api.md §1.1, §6, §15.5): create, retrieve, list,
// update, capture, cancel. Card collection (a card presented on a reader)
// is in card_present.go.
//
// Decision (UNVERIFIED status): an object named in a parameter that does
// not exist, or belongs to another account, is the same 404
// resource_missing "No such <type>: '<id>'" as a missing path object,
// with param naming the parameter — as the terminal part answers for
// process_payment_intent.

// paymentIntent is a payment_intent in its 2023-10-16 shape: every
// property the spec declares, nulls included.
type paymentIntent struct {
	store.Meta
	Object                            string            `json:"object"`
	Amount                            int64             `json:"amount"`
	AmountCapturable                  int64             `json:"amount_capturable"`
	AmountDetails                     piAmountDetails   `json:"amount_details"`
	AmountReceived                    int64             `json:"amount_received"`
	Application                       any               `json:"application"`
	ApplicationFeeAmount              *int64            `json:"application_fee_amount"`
	AutomaticPaymentMethods           *automaticPMJSON  `json:"automatic_payment_methods"`
	CanceledAt                        *int64            `json:"canceled_at"`
	CancellationReason                *string           `json:"cancellation_reason"`
	CaptureMethod                     string            `json:"capture_method"`
	ClientSecret                      *string           `json:"client_secret"`
	ConfirmationMethod                string            `json:"confirmation_method"`
	Created                           int64             `json:"created"`
	Currency                          string            `json:"currency"`
	Customer                          any               `json:"customer"`
	Description                       *string           `json:"description"`
	Invoice                           any               `json:"invoice"`
	LastPaymentError                  *lastErrorJSON    `json:"last_payment_error"`
	LatestCharge                      ref               `json:"latest_charge"`
	Livemode                          bool              `json:"livemode"`
	Metadata                          map[string]string `json:"metadata"`
	NextAction                        any               `json:"next_action"`
	OnBehalfOf                        ref               `json:"on_behalf_of"`
	PaymentMethod                     ref               `json:"payment_method"`
	PaymentMethodConfigurationDetails any               `json:"payment_method_configuration_details"`
	PaymentMethodOptions              piPMOptions       `json:"payment_method_options"`
	PaymentMethodTypes                []string          `json:"payment_method_types"`
	Processing                        any               `json:"processing"`
	ReceiptEmail                      *string           `json:"receipt_email"`
	Review                            any               `json:"review"`
	SetupFutureUsage                  *string           `json:"setup_future_usage"`
	Shipping                          any               `json:"shipping"`
	StatementDescriptor               *string           `json:"statement_descriptor"`
	StatementDescriptorSuffix         *string           `json:"statement_descriptor_suffix"`
	Status                            string            `json:"status"`
	TransferData                      *transferDataJSON `json:"transfer_data"`
	TransferGroup                     *string           `json:"transfer_group"`
}

func (*paymentIntent) objectType() string { return "payment_intent" }

// appendJSON encodes pi exactly as encoding/json encodes the struct (the
// intent is the object a sale writes most; the tests compare both
// encodings of every intent they store).
func (pi *paymentIntent) appendJSON(b []byte) []byte {
	b = append(b, `{"id":`...)
	b = appendString(b, pi.ID)
	b = append(b, `,"object":`...)
	b = appendString(b, pi.Object)
	b = append(b, `,"amount":`...)
	b = appendInt(b, pi.Amount)
	b = append(b, `,"amount_capturable":`...)
	b = appendInt(b, pi.AmountCapturable)
	b = append(b, `,"amount_details":{"tip":{`...)
	if a := pi.AmountDetails.Tip.Amount; a != nil {
		b = append(b, `"amount":`...)
		b = appendInt(b, *a)
	}
	b = append(b, `}},"amount_received":`...)
	b = appendInt(b, pi.AmountReceived)
	b = append(b, `,"application":`...)
	b = appendAny(b, pi.Application)
	b = append(b, `,"application_fee_amount":`...)
	b = appendNullInt(b, pi.ApplicationFeeAmount)
	b = append(b, `,"automatic_payment_methods":`...)
	if pi.AutomaticPaymentMethods == nil {
		b = append(b, "null"...)
	} else {
		b = appendMarshal(b, pi.AutomaticPaymentMethods)
	}
	b = append(b, `,"canceled_at":`...)
	b = appendNullInt(b, pi.CanceledAt)
	b = append(b, `,"cancellation_reason":`...)
	b = appendNullString(b, pi.CancellationReason)
	b = append(b, `,"capture_method":`...)
	b = appendString(b, pi.CaptureMethod)
	b = append(b, `,"client_secret":`...)
	b = appendNullString(b, pi.ClientSecret)
	b = append(b, `,"confirmation_method":`...)
	b = appendString(b, pi.ConfirmationMethod)
	b = append(b, `,"created":`...)
	b = appendInt(b, pi.Created)
	b = append(b, `,"currency":`...)
	b = appendString(b, pi.Currency)
	b = append(b, `,"customer":`...)
	b = appendAny(b, pi.Customer)
	b = append(b, `,"description":`...)
	b = appendNullString(b, pi.Description)
	b = append(b, `,"invoice":`...)
	b = appendAny(b, pi.Invoice)
	b = append(b, `,"last_payment_error":`...)
	if pi.LastPaymentError == nil {
		b = append(b, "null"...)
	} else {
		b = appendMarshal(b, pi.LastPaymentError)
	}
	b = append(b, `,"latest_charge":`...)
	b = appendAny(b, pi.LatestCharge)
	b = append(b, `,"livemode":`...)
	b = strconv.AppendBool(b, pi.Livemode)
	b = append(b, `,"metadata":`...)
	b = appendMetadata(b, pi.Metadata)
	b = append(b, `,"next_action":`...)
	b = appendAny(b, pi.NextAction)
	b = append(b, `,"on_behalf_of":`...)
	b = appendAny(b, pi.OnBehalfOf)
	b = append(b, `,"payment_method":`...)
	b = appendAny(b, pi.PaymentMethod)
	b = append(b, `,"payment_method_configuration_details":`...)
	b = appendAny(b, pi.PaymentMethodConfigurationDetails)
	b = append(b, `,"payment_method_options":{`...)
	o, sep := &pi.PaymentMethodOptions, ""
	if c := o.Card; c != nil {
		b = append(b, `"card":{"installments":`...)
		b = appendAny(b, c.Installments)
		b = append(b, `,"mandate_options":`...)
		b = appendAny(b, c.MandateOptions)
		b = append(b, `,"network":`...)
		b = appendAny(b, c.Network)
		b = append(b, `,"request_three_d_secure":`...)
		b = appendString(b, c.RequestThreeDSecure)
		b = append(b, '}')
		sep = ","
	}
	if c := o.CardPresent; c != nil {
		b = append(b, sep+`"card_present":{"request_extended_authorization":`...)
		b = appendNullBool(b, c.RequestExtendedAuthorization)
		b = append(b, `,"request_incremental_authorization_support":`...)
		b = appendNullBool(b, c.RequestIncrementalAuthorizationSupport)
		b = append(b, '}')
		sep = ","
	}
	if o.InteracPresent != nil {
		b = append(b, sep+`"interac_present":{}`...)
	}
	b = append(b, `},"payment_method_types":`...)
	b = appendStrings(b, pi.PaymentMethodTypes)
	b = append(b, `,"processing":`...)
	b = appendAny(b, pi.Processing)
	b = append(b, `,"receipt_email":`...)
	b = appendNullString(b, pi.ReceiptEmail)
	b = append(b, `,"review":`...)
	b = appendAny(b, pi.Review)
	b = append(b, `,"setup_future_usage":`...)
	b = appendNullString(b, pi.SetupFutureUsage)
	b = append(b, `,"shipping":`...)
	b = appendAny(b, pi.Shipping)
	b = append(b, `,"statement_descriptor":`...)
	b = appendNullString(b, pi.StatementDescriptor)
	b = append(b, `,"statement_descriptor_suffix":`...)
	b = appendNullString(b, pi.StatementDescriptorSuffix)
	b = append(b, `,"status":`...)
	b = appendString(b, pi.Status)
	b = append(b, `,"transfer_data":`...)
	if pi.TransferData == nil {
		b = append(b, "null"...)
	} else {
		b = appendMarshal(b, pi.TransferData)
	}
	b = append(b, `,"transfer_group":`...)
	b = appendNullString(b, pi.TransferGroup)
	return append(b, '}')
}

// piAmountDetails: tip.amount is absent while no tip applies. The spec
// declares it a non-nullable integer, so "no tip" is `{"tip": {}}` (what
// stripe-mock's fixture shows), never null.
type piAmountDetails struct {
	Tip struct {
		Amount *int64 `json:"amount,omitempty"`
	} `json:"tip"`
}

// lastErrorJSON is an api_errors object. payment_method, a complete
// payment_method in the spec (not nullable), is the card that was declined
// as it was then (a copy).
type lastErrorJSON struct {
	Charge        string         `json:"charge,omitempty"`
	Code          string         `json:"code,omitempty"`
	DeclineCode   string         `json:"decline_code,omitempty"`
	DocURL        string         `json:"doc_url,omitempty"`
	Message       string         `json:"message,omitempty"`
	PaymentMethod *paymentMethod `json:"payment_method,omitempty"`
	Type          string         `json:"type"`
}

type transferDataJSON struct {
	Amount      *int64 `json:"amount,omitempty"`
	Destination string `json:"destination"`
}

type automaticPMJSON struct {
	AllowRedirects string `json:"allow_redirects"`
	Enabled        bool   `json:"enabled"`
}

// piPMOptions is payment_method_options for the intent's types:
// card_present's two booleans (null unless requested), interac_present's
// empty object, card's defaults.
type piPMOptions struct {
	Card           *cardPMOptions        `json:"card,omitempty"`
	CardPresent    *cardPresentPMOptions `json:"card_present,omitempty"`
	InteracPresent *struct{}             `json:"interac_present,omitempty"`
}

type cardPMOptions struct {
	Installments        any    `json:"installments"`
	MandateOptions      any    `json:"mandate_options"`
	Network             any    `json:"network"`
	RequestThreeDSecure string `json:"request_three_d_secure"`
}

type cardPresentPMOptions struct {
	RequestExtendedAuthorization           *bool `json:"request_extended_authorization"`
	RequestIncrementalAuthorizationSupport *bool `json:"request_incremental_authorization_support"`
}

// setPMTypes sets payment_method_types and the options that go with them
// (card_present's requested flags are kept).
func (pi *paymentIntent) setPMTypes(types []string) {
	pi.PaymentMethodTypes = types
	cp := pi.PaymentMethodOptions.CardPresent
	pi.PaymentMethodOptions = piPMOptions{}
	for _, t := range types {
		switch t {
		case "card_present":
			if cp == nil {
				cp = &cardPresentPMOptions{}
			}
			pi.PaymentMethodOptions.CardPresent = cp
		case "interac_present":
			pi.PaymentMethodOptions.InteracPresent = &struct{}{}
		case "card":
			pi.PaymentMethodOptions.Card = &cardPMOptions{RequestThreeDSecure: "automatic"}
		}
	}
}

// intentExpandable lists the expand[] paths of a payment_intent. Fields
// the sandbox never fills (invoice, review, application) expand to null.
var intentExpandable = []string{
	"latest_charge", "latest_charge.payment_intent", "latest_charge.refunds",
	"latest_charge.balance_transaction", "latest_charge.customer", "latest_charge.invoice",
	"latest_charge.application", "latest_charge.review",
	"latest_charge.on_behalf_of", "on_behalf_of",
	"payment_method", "customer", "invoice", "review", "application",
}

// renderIntent renders pi; exp is the expansion below it (nil: ids only).
// latest_charge alone (what Kasse asks for) is spliced into the intent's
// JSON: no property before it can hold that key.
func (s *Server) renderIntent(pi *paymentIntent, exp *expand.Tree) any {
	if exp.Empty() {
		return pi
	}
	if exp.Only("latest_charge") {
		ch, ok := s.st.charges.Get(refID(pi.LatestCharge))
		if !ok {
			return pi
		}
		return &spliced{base: pi, fields: []splice{{"latest_charge", s.renderCharge(ch, exp.Sub("latest_charge"))}}}
	}
	c := *pi
	c.OnBehalfOf = s.accountRef(pi.OnBehalfOf, exp.Sub("on_behalf_of"))
	c.Customer = s.customerRef(pi.Customer, exp.Sub("customer"))
	if sub := exp.Sub("payment_method"); sub != nil {
		if pm, ok := s.st.paymentMethods.Get(refID(pi.PaymentMethod)); ok {
			c.PaymentMethod = s.renderPaymentMethod(pm, sub)
		}
	}
	if sub := exp.Sub("latest_charge"); sub != nil {
		if ch, ok := s.st.charges.Get(refID(pi.LatestCharge)); ok {
			c.LatestCharge = s.renderCharge(ch, sub)
		}
	}
	return &c
}

// pmTypesAccepted are the payment_method_types the sandbox can collect.
var pmTypesAccepted = []string{"card_present", "interac_present", "card"}

// findIntent looks an intent up in the request's account.
func (s *Server) findIntent(rq *request, id string) (*paymentIntent, *apierr.Error) {
	pi, ok := s.st.intents.Get(id)
	if !ok || !owned(pi, rq) {
		return nil, apierr.NoSuch("payment_intent", id).WithParam("intent")
	}
	return pi, nil
}

func (s *Server) createIntent(rq *request) (any, *apierr.Error) {
	p := rq.Params
	if err := expand.Check(rq.Expand, intentExpandable); err != nil {
		return nil, err
	}
	amount, has, err := form.Int(p, "amount", "amount")
	if err != nil {
		return nil, err
	}
	if !has {
		return nil, apierr.MissingParam("amount")
	}
	currency, err := parseCurrency(p, "currency")
	if err != nil {
		return nil, err
	}
	if err := checkChargeAmount(amount, currency, "amount"); err != nil {
		return nil, err
	}
	pi := &paymentIntent{Object: "payment_intent", Amount: amount, Currency: currency, Status: "requires_payment_method",
		CaptureMethod: "automatic", ConfirmationMethod: "automatic"}
	if p.Has("payment_method_types") {
		types, err := parsePMTypes(p, currency)
		if err != nil {
			return nil, err
		}
		pi.setPMTypes(types)
	} else {
		// 2023-10-16 enables automatic payment methods when no types are
		// named; the sandbox's only online type is card.
		pi.setPMTypes([]string{"card"})
		pi.AutomaticPaymentMethods = &automaticPMJSON{AllowRedirects: "always", Enabled: true}
	}
	if err := s.checkCardCapability(rq.Account, pi.PaymentMethodTypes); err != nil {
		return nil, err
	}
	if err := applyIntentFields(p, pi, true); err != nil {
		return nil, err
	}
	pay, err := s.readIntentPayment(rq, pi) // customer, payment_method, confirm (payment_intents_customers.go)
	if err != nil {
		return nil, err
	}
	if err := s.applyConnectFields(rq, pi); err != nil {
		return nil, err
	}
	if err := applyPMOptions(p, pi); err != nil {
		return nil, err
	}
	pi.Meta = s.newMeta("pi", rq.Account)
	pi.Created = rq.Now.Unix()
	pi.ClientSecret = nullString(pi.ID + "_secret_" + randomString(25))
	put(s, s.st.intents, pi)
	s.emit(rq, pi.Account, "payment_intent.created", pi, nil)
	if pay.confirm {
		return s.confirmCard(rq, pi, pay.pm, pay.fresh, pay.offSession, pay.cus)
	}
	s.storeUnconfirmed(pay)
	return s.renderIntent(pi, rq.Expand), nil
}

// parsePMTypes validates payment_method_types.
func parsePMTypes(p *form.Params, currency string) ([]string, *apierr.Error) {
	types := p.Child("payment_method_types").Strings()
	if len(types) == 0 {
		return nil, apierr.InvalidParam("payment_method_types", "Invalid array")
	}
	seen := map[string]bool{}
	var out []string
	for _, t := range types {
		ok := false
		for _, a := range pmTypesAccepted {
			ok = ok || t == a
		}
		if !ok {
			return nil, apierr.InvalidParam("payment_method_types",
				"The payment method type %q is invalid. Please ensure the provided type is activated in your dashboard (https://dashboard.stripe.com/account/payments/settings) and your account is enabled for any preview features that you are trying to use.", t)
		}
		// Decision (UNVERIFIED message): Interac is Canadian dollars only.
		if t == "interac_present" && currency != "cad" {
			return nil, apierr.InvalidParam("payment_method_types",
				"The currency provided (%s) is invalid. Payment method type interac_present only supports the following currencies: cad.", currency)
		}
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out, nil
}

// applyIntentFields reads the plain fields shared by create and update.
func applyIntentFields(p *form.Params, pi *paymentIntent, create bool) *apierr.Error {
	if p.Has("capture_method") {
		v, err := form.Enum(p, "capture_method", "capture_method", "automatic", "automatic_async", "manual")
		if err != nil {
			return err
		}
		pi.CaptureMethod = v
	}
	if v, ok, err := form.String(p, "description", "description", 1000); err != nil {
		return err
	} else if ok {
		pi.Description = nullString(v)
	}
	md, err := form.Metadata(p, pi.Metadata)
	if err != nil {
		return err
	}
	pi.Metadata = md
	if v, ok, err := receiptEmail(p, "receipt_email"); err != nil {
		return err
	} else if ok {
		pi.ReceiptEmail = nullString(v)
	}
	for _, f := range []struct {
		name string
		dst  **string
	}{{"statement_descriptor", &pi.StatementDescriptor}, {"statement_descriptor_suffix", &pi.StatementDescriptorSuffix}} {
		if v, ok, err := form.String(p, f.name, f.name, 22); err != nil {
			return err
		} else if ok {
			*f.dst = nullString(v)
		}
	}
	if create {
		if v, ok, err := form.String(p, "transfer_group", "transfer_group", 5000); err != nil {
			return err
		} else if ok {
			pi.TransferGroup = nullString(v)
		}
		if p.Has("setup_future_usage") {
			v, err := form.Enum(p, "setup_future_usage", "setup_future_usage", "off_session", "on_session")
			if err != nil {
				return err
			}
			pi.SetupFutureUsage = nullString(v)
		}
	}
	return nil
}

// receiptEmail validates receipt_email like Stripe (code email_invalid).
func receiptEmail(p *form.Params, param string) (string, bool, *apierr.Error) {
	v, ok, e := form.String(p, param, param, 800)
	if e != nil || !ok || v == "" {
		return v, ok, e
	}
	if a, err := mail.ParseAddress(v); err != nil || a.Address != v || !strings.Contains(v[strings.LastIndex(v, "@")+1:], ".") {
		return "", true, apierr.Validation(http.StatusBadRequest, "email_invalid", param, "Invalid email address: %s", v)
	}
	return v, true, nil
}

// errFeeNotConnect: application_fee_amount needs a direct or destination
// charge.
func errFeeNotConnect() *apierr.Error {
	return apierr.InvalidParam("application_fee_amount",
		"Can only apply an application_fee_amount when the PaymentIntent is attempting a direct payment (using an OAuth key or Stripe-Account header) or destination payment (using `transfer_data[destination]`).")
}

// applyConnectFields reads on_behalf_of, transfer_data and
// application_fee_amount (create only).
func (s *Server) applyConnectFields(rq *request, pi *paymentIntent) *apierr.Error {
	p := rq.Params
	connected := func(param, id string) *apierr.Error {
		if s.accountOf(id) == nil || rq.Account != "" {
			return apierr.NoSuch("account", id).WithParam(param)
		}
		return nil
	}
	if v := p.Child("on_behalf_of").Value(); v != "" {
		if err := connected("on_behalf_of", v); err != nil {
			return err
		}
		pi.OnBehalfOf = idRef(v)
	}
	if td := p.Child("transfer_data"); td != nil {
		dest := td.Child("destination").Value()
		if dest == "" {
			return apierr.MissingParam("transfer_data[destination]")
		}
		if err := connected("transfer_data[destination]", dest); err != nil {
			return err
		}
		data := &transferDataJSON{Destination: dest}
		n, has, err := form.Int(td, "amount", "transfer_data[amount]")
		if err != nil {
			return err
		}
		if has {
			if n < 0 || n > pi.Amount {
				return apierr.InvalidParam("transfer_data[amount]", "The transfer amount must be between 0 and the PaymentIntent amount (%d).", pi.Amount)
			}
			data.Amount = &n
		}
		pi.TransferData = data
	}
	if err := s.checkConnectAccounts(pi); err != nil {
		return err
	}
	fee, has, err := form.Int(p, "application_fee_amount", "application_fee_amount")
	if err != nil {
		return err
	}
	if has {
		if rq.Account == "" && pi.TransferData == nil {
			return errFeeNotConnect()
		}
		if fee < 0 {
			return apierr.InvalidParam("application_fee_amount", "This value must be greater than or equal to 0.")
		}
		if fee > pi.Amount {
			return apierr.InvalidParam("application_fee_amount", "The application fee amount (%d) cannot be greater than the PaymentIntent amount (%d).", fee, pi.Amount)
		}
		pi.ApplicationFeeAmount = &fee
	}
	return nil
}

// checkConnectAccounts applies the capability rules of a destination
// charge (transfers.go has the transfer's): the destination needs an
// active transfers capability (Stripe's insufficient_capabilities_for_transfer);
// the on_behalf_of account, the settlement merchant, needs card_payments
// (decision, UNVERIFIED message); and a destination in another country
// than the platform needs on_behalf_of (Stripe's message).
func (s *Server) checkConnectAccounts(pi *paymentIntent) *apierr.Error {
	if obo := refID(pi.OnBehalfOf); obo != "" {
		if a := s.accountOf(obo); a != nil && a.Capabilities.CardPayments != "active" {
			return apierr.Invalid(http.StatusBadRequest, "", "on_behalf_of", "The on_behalf_of account %s does not have the card_payments capability active, so it cannot be the settlement merchant of this payment.", obo)
		}
	}
	td := pi.TransferData
	if td == nil {
		return nil
	}
	dest := s.accountOf(td.Destination)
	if dest.Capabilities.Transfers != "active" {
		return errNoTransferCapability("transfer_data[destination]")
	}
	if refID(pi.OnBehalfOf) == "" && dest.Country != s.st.platform.Country {
		return apierr.Invalid(http.StatusBadRequest, "", "transfer_data[destination]", "Cannot create a destination charge for connected accounts in %s because funds would be settled on the platform and the connected account is outside the platform's region. You may use the `on_behalf_of` parameter to have the charge settle in the connected account's country.", dest.Country)
	}
	return nil
}

// applyPMOptions reads payment_method_options[card_present][…] (the other
// types' options are accepted and not rendered).
func applyPMOptions(p *form.Params, pi *paymentIntent) *apierr.Error {
	c := p.Child("payment_method_options").Child("card_present")
	if c == nil || c.IsLeaf() {
		return nil
	}
	const prefix = "payment_method_options[card_present]"
	ext, err := form.Bool(c, "request_extended_authorization", prefix+"[request_extended_authorization]")
	if err != nil {
		return err
	}
	inc, err := form.Bool(c, "request_incremental_authorization_support", prefix+"[request_incremental_authorization_support]")
	if err != nil {
		return err
	}
	if cp := pi.PaymentMethodOptions.CardPresent; cp != nil {
		cp.RequestExtendedAuthorization, cp.RequestIncrementalAuthorizationSupport = ext, inc
	}
	return nil
}

func (s *Server) getIntent(rq *request) (any, *apierr.Error) {
	return retrieve(rq, intentExpandable, s.findIntent, s.renderIntent)
}

// listIntents lists the account's intents, newest first; filters created
// and customer (the customer's intents; an id that is no customer of the
// account matches nothing).
func (s *Server) listIntents(rq *request) (any, *apierr.Error) {
	created, pg, err := parseList(rq, intentExpandable)
	if err != nil {
		return nil, err
	}
	cus, byCustomer := rq.Params.Child("customer").Value(), rq.Params.Has("customer")
	return listTable(s, rq, s.st.intents, pg, func(pi *paymentIntent) bool {
		return created.Match(pi.Created) && (!byCustomer || refID(pi.Customer) == cus)
	}, "/v1/payment_intents", s.renderIntent)
}

// updatable are the statuses in which amount, currency, capture_method,
// payment_method_types, statement descriptors and application_fee_amount
// may change. metadata, description and receipt_email change in any
// status (decision, following Stripe's "You may only update the amount of
// a PaymentIntent with one of the following statuses" message).
var updatable = []string{"requires_payment_method", "requires_confirmation", "requires_action"}

func (s *Server) updateIntent(rq *request) (any, *apierr.Error) {
	p := rq.Params
	if err := expand.Check(rq.Expand, intentExpandable); err != nil {
		return nil, err
	}
	pi, err := s.findIntent(rq, rq.ID)
	if err != nil {
		return nil, err
	}
	for _, f := range []string{"amount", "currency", "capture_method", "payment_method_types",
		"statement_descriptor", "statement_descriptor_suffix", "application_fee_amount"} {
		if p.Has(f) && !statusIn(pi.Status, updatable) {
			return nil, &apierr.Error{Status: http.StatusBadRequest, Type: apierr.TypeInvalidRequest, Code: "payment_intent_unexpected_state",
				Param: f, PaymentIntent: pi,
				Message: "This PaymentIntent's " + f + " could not be updated because it has a status of " + pi.Status +
					". You may only update the " + f + " of a PaymentIntent with one of the following statuses: " + strings.Join(updatable, ", ") + "."}
		}
	}
	next := *pi // validate everything before changing anything
	if p.Has("currency") {
		if next.Currency, err = parseCurrency(p, "currency"); err != nil {
			return nil, err
		}
	}
	if n, has, err := form.Int(p, "amount", "amount"); err != nil {
		return nil, err
	} else if has {
		next.Amount = n
	}
	if p.Has("amount") || p.Has("currency") {
		if err := checkChargeAmount(next.Amount, next.Currency, "amount"); err != nil {
			return nil, err
		}
	}
	if p.Has("payment_method_types") {
		types, err := parsePMTypes(p, next.Currency)
		if err != nil {
			return nil, err
		}
		if cp := next.PaymentMethodOptions.CardPresent; cp != nil {
			c := *cp // next must not share the stored intent's options
			next.PaymentMethodOptions.CardPresent = &c
		}
		next.setPMTypes(types)
		next.AutomaticPaymentMethods = nil
	}
	if err := applyIntentFields(p, &next, false); err != nil {
		return nil, err
	}
	if fee, has, err := form.Int(p, "application_fee_amount", "application_fee_amount"); err != nil {
		return nil, err
	} else if has {
		if rq.Account == "" && next.TransferData == nil {
			return nil, errFeeNotConnect()
		}
		if fee < 0 || fee > next.Amount {
			return nil, apierr.InvalidParam("application_fee_amount", "The application fee amount (%d) cannot be greater than the PaymentIntent amount (%d).", fee, next.Amount)
		}
		next.ApplicationFeeAmount = &fee
	}
	s.touch(pi)
	*pi = next
	return s.renderIntent(pi, rq.Expand), nil
}

func statusIn(status string, set []string) bool {
	for _, s := range set {
		if s == status {
			return true
		}
	}
	return false
}

// checkCardCapability refuses card payment method types on a connected
// account whose card_payments capability is not active. Stripe's exact
// answer is not documented for this case (UNVERIFIED); the sandbox uses the
// message Stripe gives for a payment method type that is not activated on
// the account, with param payment_method_types.
func (s *Server) checkCardCapability(account string, types []string) *apierr.Error {
	a := s.accountOf(account)
	if a == nil || account == "" || a.Capabilities.CardPayments == "active" {
		return nil
	}
	for _, t := range types {
		if t == "card" || t == "card_present" || t == "interac_present" {
			return apierr.Validation(http.StatusBadRequest, "", "payment_method_types",
				"The payment method type %q is invalid. Please ensure the provided type is activated in your dashboard (https://dashboard.stripe.com/account/payments/settings) and your account is enabled for any preview features that you are trying to use.", t)
		}
	}
	return nil
}

var (
	capturable  = []string{"requires_capture"}
	cancellable = []string{"requires_payment_method", "requires_capture", "requires_confirmation", "requires_action"}
)

// errUnexpectedState is payment_intent_unexpected_state with the intent
// embedded in the error body, as Stripe sends it.
func errUnexpectedState(pi *paymentIntent, message string) *apierr.Error {
	return &apierr.Error{Status: http.StatusBadRequest, Type: apierr.TypeInvalidRequest, Code: "payment_intent_unexpected_state",
		Message: message, PaymentIntent: pi}
}

// captureIntent captures a requires_capture intent, fully or partially.
// A partial capture releases the rest: the released amount counts in the
// charge's amount_refunded (no Refund object is created for it; decision).
// Decisions (UNVERIFIED): amount_to_capture above amount_capturable is 400
// amount_too_large (param amount_to_capture); final_capture=false is
// refused, as card_present payments have no multicapture.
func (s *Server) captureIntent(rq *request) (any, *apierr.Error) {
	p := rq.Params
	if err := expand.Check(rq.Expand, intentExpandable); err != nil {
		return nil, err
	}
	amt, hasAmt, err := form.Int(p, "amount_to_capture", "amount_to_capture")
	if err != nil {
		return nil, err
	}
	final, err := form.Bool(p, "final_capture", "final_capture")
	if err != nil {
		return nil, err
	}
	fee, hasFee, err := form.Int(p, "application_fee_amount", "application_fee_amount")
	if err != nil {
		return nil, err
	}
	pi, err := s.findIntent(rq, rq.ID)
	if err != nil {
		return nil, err
	}
	if !statusIn(pi.Status, capturable) {
		return nil, errUnexpectedState(pi, "This PaymentIntent could not be captured because it has a status of "+pi.Status+
			". Only a PaymentIntent with one of the following statuses may be captured: "+strings.Join(capturable, ", ")+".")
	}
	if !hasAmt {
		amt = pi.AmountCapturable
	}
	if amt < 1 {
		return nil, apierr.Validation(http.StatusBadRequest, "parameter_invalid_integer", "amount_to_capture", "This value must be greater than or equal to 1.")
	}
	if amt > pi.AmountCapturable {
		return nil, apierr.Validation(http.StatusBadRequest, "amount_too_large", "amount_to_capture",
			"The amount to capture (%s) cannot be greater than the amount capturable on this PaymentIntent (%s).",
			formatMoney(amt, pi.Currency), formatMoney(pi.AmountCapturable, pi.Currency))
	}
	if final != nil && !*final {
		return nil, apierr.InvalidParam("final_capture", "final_capture=false requires multicapture, which is not available for this PaymentIntent's payment method.")
	}
	if hasFee {
		if rq.Account == "" && pi.TransferData == nil {
			return nil, errFeeNotConnect()
		}
		if fee < 0 || fee > amt {
			return nil, apierr.InvalidParam("application_fee_amount", "The application fee amount (%d) cannot be greater than the captured amount (%d).", fee, amt)
		}
	}
	next := *pi
	if next.Metadata, err = form.Metadata(p, pi.Metadata); err != nil {
		return nil, err
	}
	for _, f := range []struct {
		name string
		dst  **string
	}{{"statement_descriptor", &next.StatementDescriptor}, {"statement_descriptor_suffix", &next.StatementDescriptorSuffix}} {
		if v, ok, err := form.String(p, f.name, f.name, 22); err != nil {
			return nil, err
		} else if ok {
			*f.dst = nullString(v)
		}
	}
	if td := p.Child("transfer_data"); td != nil {
		n, has, err := form.Int(td, "amount", "transfer_data[amount]")
		if err != nil {
			return nil, err
		}
		if has {
			if next.TransferData == nil || n < 0 || n > amt {
				return nil, apierr.InvalidParam("transfer_data[amount]", "The transfer amount must be between 0 and the captured amount (%d) of a destination charge.", amt)
			}
			d := *next.TransferData
			d.Amount = &n
			next.TransferData = &d
		}
	}
	if hasFee {
		next.ApplicationFeeAmount = &fee
	}
	s.touch(pi)
	*pi = next

	released := pi.AmountCapturable - amt
	pi.Status, pi.AmountReceived, pi.AmountCapturable = "succeeded", amt, 0
	if ch, ok := s.st.charges.Get(refID(pi.LatestCharge)); ok {
		s.touch(ch)
		ch.Captured, ch.AmountCaptured = true, amt
		ch.AmountRefunded += released
		ch.Refunded = ch.AmountRefunded >= ch.Amount
		ch.ApplicationFeeAmount = pi.ApplicationFeeAmount
		if ch.TransferData != nil && pi.TransferData != nil {
			ch.TransferData.Amount = pi.TransferData.Amount
		}
		ch.StatementDescriptor, ch.StatementDescriptorSuffix = pi.StatementDescriptor, pi.StatementDescriptorSuffix
		ch.CalculatedStatementDescriptor = nullString(s.calculatedDescriptor(pi))
		s.connectOnCapture(rq, pi, ch)
		s.emit(rq, pi.Account, "charge.captured", ch, nil)
	}
	s.emit(rq, pi.Account, "payment_intent.succeeded", pi, nil)
	if ch, ok := s.st.charges.Get(refID(pi.LatestCharge)); ok {
		s.disputeIfTestCard(rq, ch) // disputes.go
	}
	return s.renderIntent(pi, rq.Expand), nil
}

// cancelIntent cancels an intent that has not succeeded. From
// requires_capture the authorization is released: the uncaptured charge
// gets amount_refunded = amount and refunded = true (as Stripe shows a
// canceled authorization), with a charge.refunded event; no Refund object
// is created (decision, UNVERIFIED). A reader still waiting for a card for
// the intent lets go of it (releaseIntent, terminal part).
func (s *Server) cancelIntent(rq *request) (any, *apierr.Error) {
	if err := expand.Check(rq.Expand, intentExpandable); err != nil {
		return nil, err
	}
	reason, err := form.Enum(rq.Params, "cancellation_reason", "cancellation_reason", "duplicate", "fraudulent", "requested_by_customer", "abandoned")
	if err != nil {
		return nil, err
	}
	pi, err := s.findIntent(rq, rq.ID)
	if err != nil {
		return nil, err
	}
	if !statusIn(pi.Status, cancellable) {
		return nil, errUnexpectedState(pi, "You cannot cancel this PaymentIntent because it has a status of "+pi.Status+
			". Only a PaymentIntent with one of the following statuses may be canceled: "+strings.Join(cancellable, ", ")+".")
	}
	wasAuthorized := pi.Status == "requires_capture"
	s.touch(pi)
	now := rq.Now.Unix()
	pi.Status, pi.CanceledAt, pi.CancellationReason, pi.AmountCapturable = "canceled", &now, nullString(reason), 0
	if ch, ok := s.st.charges.Get(refID(pi.LatestCharge)); ok && wasAuthorized {
		s.touch(ch)
		ch.AmountRefunded, ch.Refunded = ch.Amount, true
		s.emit(rq, pi.Account, "charge.refunded", ch, map[string]any{"amount_refunded": 0, "refunded": false})
	}
	s.releaseIntent(pi.ID)
	s.emit(rq, pi.Account, "payment_intent.canceled", pi, nil)
	return s.renderIntent(pi, rq.Expand), nil
}
