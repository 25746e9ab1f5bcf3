package sandbox

import (
	"strconv"

	"kasse/sandbox/internal/apierr"
	"kasse/sandbox/internal/expand"
	"kasse/sandbox/internal/store"
)

// PaymentIntents (stripe-api.md §1.1, §6, §15.5): create, retrieve, list,
// update, capture, cancel. This file holds the object, its rendering,
// retrieve and list; create and update with their parameters are in
// payment_intents_params.go, capture and cancel in
// payment_intents_capture.go. Card collection (a card presented on a
// reader) is in card_present.go.

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

// findIntent looks an intent up in the request's account.
func (s *Server) findIntent(rq *request, id string) (*paymentIntent, *apierr.Error) {
	pi, ok := s.st.intents.Get(id)
	if !ok || !owned(pi, rq) {
		return nil, apierr.NoSuch("payment_intent", id).WithParam("intent")
	}
	return pi, nil
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

func statusIn(status string, set []string) bool {
	for _, s := range set {
		if s == status {
			return true
		}
	}
	return false
}
