package sandbox

import (
	"strings"

	"kasse/sandbox/internal/apierr"
	"kasse/sandbox/internal/expand"
)

// SetupIntents, only what process_setup_intent needs: create and retrieve.
// A SetupIntent belongs to the request's account; present_payment_method
// on a reader processing it completes it (present.go).

type setupIntentJSON struct {
	ID                                string                `json:"id"`
	Object                            string                `json:"object"`
	Application                       any                   `json:"application"`
	AutomaticPaymentMethods           *setupAutomaticPMJSON `json:"automatic_payment_methods"`
	CancellationReason                *string               `json:"cancellation_reason"`
	ClientSecret                      *string               `json:"client_secret"`
	Created                           int64                 `json:"created"`
	Customer                          any                   `json:"customer"`
	Description                       *string               `json:"description"`
	FlowDirections                    []string              `json:"flow_directions"`
	LastSetupError                    *setupErrorJSON       `json:"last_setup_error"`
	LatestAttempt                     *string               `json:"latest_attempt"`
	Livemode                          bool                  `json:"livemode"`
	Mandate                           any                   `json:"mandate"`
	Metadata                          map[string]string     `json:"metadata"`
	NextAction                        any                   `json:"next_action"`
	OnBehalfOf                        any                   `json:"on_behalf_of"`
	PaymentMethod                     *string               `json:"payment_method"`
	PaymentMethodConfigurationDetails any                   `json:"payment_method_configuration_details"`
	PaymentMethodOptions              map[string]any        `json:"payment_method_options"`
	PaymentMethodTypes                []string              `json:"payment_method_types"`
	SingleUseMandate                  any                   `json:"single_use_mandate"`
	Status                            string                `json:"status"`
	Usage                             string                `json:"usage"`
}

type setupAutomaticPMJSON struct {
	AllowRedirects string `json:"allow_redirects"`
	Enabled        bool   `json:"enabled"`
}

// setupErrorJSON is an api_errors object: its optional fields are not
// nullable, so unset ones are omitted.
type setupErrorJSON struct {
	Code        string `json:"code,omitempty"`
	DeclineCode string `json:"decline_code,omitempty"`
	DocURL      string `json:"doc_url,omitempty"`
	Message     string `json:"message,omitempty"`
	Type        string `json:"type"`
}

// setupExpandable: expandable fields the sandbox never fills expand to
// null; payment_method and latest_attempt stay ids (PaymentMethods and
// SetupAttempts are not stored), as for PaymentIntents.
var setupExpandable = []string{"application", "customer", "latest_attempt", "mandate", "on_behalf_of", "payment_method", "single_use_mandate"}

// renderSetupIntent renders si (the sandbox never expands its fields).
func (s *Server) renderSetupIntent(si *setupIntent) any {
	out := setupIntentJSON{ID: si.id, Object: "setup_intent", ClientSecret: nullString(si.clientSecret), Created: si.created,
		Description: nullString(si.description), LatestAttempt: nullString(si.latestAttempt), Livemode: livemode,
		Metadata: si.metadata, PaymentMethod: nullString(si.paymentMethod), PaymentMethodTypes: si.paymentMethodTypes,
		Status: si.status, Usage: si.usage, PaymentMethodOptions: map[string]any{}}
	if out.Metadata == nil {
		out.Metadata = map[string]string{}
	}
	if si.customer != "" {
		out.Customer = si.customer
	}
	if si.automatic {
		out.AutomaticPaymentMethods = &setupAutomaticPMJSON{AllowRedirects: "always", Enabled: true}
	}
	if termHasType(si.paymentMethodTypes, "card") {
		out.PaymentMethodOptions["card"] = map[string]any{"mandate_options": nil, "network": nil, "request_three_d_secure": "automatic"}
	}
	if e := si.lastError; e != nil {
		out.LastSetupError = &setupErrorJSON{Code: e.code, DeclineCode: e.declineCode, Message: e.message, Type: e.typ}
		if e.code != "" {
			out.LastSetupError.DocURL = "https://stripe.com/docs/error-codes/" + strings.ReplaceAll(e.code, "_", "-")
		}
	}
	return out
}

// setupTypes are the payment_method_types a sandbox SetupIntent accepts.
var setupTypes = map[string]bool{"card": true, "card_present": true}

// createSetupIntent: payment_method_types (default: automatic payment
// methods, i.e. ["card"], as 2023-10-16 enables them by default), customer
// (no customers exist in the sandbox: any id is 404 No such customer),
// description, metadata, usage (off_session default | on_session).
func (s *Server) createSetupIntent(rq *request) (any, *apierr.Error) {
	p := rq.Params
	si := &setupIntent{status: "requires_payment_method", usage: "off_session"}
	if c := p.Child("payment_method_types"); c != nil {
		if c.IsLeaf() && c.Value() != "" {
			return nil, apierr.InvalidParam("payment_method_types", "Invalid array")
		}
		for _, t := range c.Strings() {
			if !setupTypes[t] {
				return nil, apierr.InvalidParam("payment_method_types", "The payment method type %q is invalid. The sandbox's SetupIntents accept card and card_present.", t)
			}
			si.paymentMethodTypes = append(si.paymentMethodTypes, t)
		}
	}
	if len(si.paymentMethodTypes) == 0 {
		si.paymentMethodTypes, si.automatic = []string{"card"}, true
	}
	if p.Has("usage") {
		u := p.Child("usage").Value()
		if u != "on_session" && u != "off_session" {
			return nil, apierr.InvalidParam("usage", "Invalid usage: must be one of on_session or off_session")
		}
		si.usage = u
	}
	desc, err := termString(p, "description", "description", 1000)
	if err != nil {
		return nil, err
	}
	md, err := termMetadata(p, nil)
	if err != nil {
		return nil, err
	}
	if err := expand.Check(rq.Expand, setupExpandable); err != nil {
		return nil, err
	}
	if cus := p.Child("customer").Value(); cus != "" {
		return nil, apierr.NoSuch("customer", cus).WithParam("customer")
	}
	si.meta = s.newMeta("seti", rq.Account, rq.Now.Unix())
	si.clientSecret = si.id + "_secret_" + randomString(24)
	si.description, si.metadata = desc, md
	s.st.setups[si.id] = si
	s.emit(rq, si.account, "setup_intent.created", s.renderSetupIntent(si), nil)
	return s.renderSetupIntent(si), nil
}

// getSetupIntent: another account's SetupIntent is 404, in Stripe's words
// for this object ("No such setupintent").
func (s *Server) getSetupIntent(rq *request) (any, *apierr.Error) {
	if err := expand.Check(rq.Expand, setupExpandable); err != nil {
		return nil, err
	}
	id := rq.ID
	si, ok := s.st.setups[id]
	if !ok || !owned(&si.meta, rq) {
		return nil, apierr.NoSuch("setupintent", id).WithParam("intent")
	}
	return s.renderSetupIntent(si), nil
}
