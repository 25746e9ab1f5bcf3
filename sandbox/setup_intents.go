package sandbox

import (
	"kasse/sandbox/internal/apierr"
	"kasse/sandbox/internal/expand"
	"kasse/sandbox/internal/form"
	"kasse/sandbox/internal/store"
)

// SetupIntents, only what process_setup_intent needs: create and retrieve.
// A SetupIntent belongs to the request's account; present_payment_method
// on a reader processing it completes it (test_helpers_terminal_readers.go).

type setupIntent struct {
	store.Meta
	Object                            string                `json:"object"`
	Application                       any                   `json:"application"`
	AutomaticPaymentMethods           *setupAutomaticPMJSON `json:"automatic_payment_methods"`
	CancellationReason                *string               `json:"cancellation_reason"`
	ClientSecret                      *string               `json:"client_secret"`
	Created                           int64                 `json:"created"`
	Customer                          *string               `json:"customer"`
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
	PaymentMethodOptions              setupPMOptions        `json:"payment_method_options"`
	PaymentMethodTypes                []string              `json:"payment_method_types"`
	SingleUseMandate                  any                   `json:"single_use_mandate"`
	Status                            string                `json:"status"`
	Usage                             string                `json:"usage"`
}

func (*setupIntent) objectType() string { return "setup_intent" }

type setupAutomaticPMJSON struct {
	AllowRedirects string `json:"allow_redirects"`
	Enabled        bool   `json:"enabled"`
}

// setupPMOptions: card's defaults when card is a type.
type setupPMOptions struct {
	Card *setupCardOptions `json:"card,omitempty"`
}

type setupCardOptions struct {
	MandateOptions      any    `json:"mandate_options"`
	Network             any    `json:"network"`
	RequestThreeDSecure string `json:"request_three_d_secure"`
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

// setupTypes are the payment_method_types a sandbox SetupIntent accepts.
var setupTypes = map[string]bool{"card": true, "card_present": true}

// createSetupIntent: payment_method_types (default: automatic payment
// methods, i.e. ["card"], as 2023-10-16 enables them by default), customer
// (no customers exist in the sandbox: any id is 404 No such customer),
// description, metadata, usage (off_session default | on_session).
func (s *Server) createSetupIntent(rq *request) (any, *apierr.Error) {
	p := rq.Params
	si := &setupIntent{Object: "setup_intent", Status: "requires_payment_method", Usage: "off_session"}
	if c := p.Child("payment_method_types"); c != nil {
		if c.IsLeaf() && c.Value() != "" {
			return nil, apierr.InvalidParam("payment_method_types", "Invalid array")
		}
		for _, t := range c.Strings() {
			if !setupTypes[t] {
				return nil, apierr.InvalidParam("payment_method_types", "The payment method type %q is invalid. The sandbox's SetupIntents accept card and card_present.", t)
			}
			si.PaymentMethodTypes = append(si.PaymentMethodTypes, t)
		}
	}
	if len(si.PaymentMethodTypes) == 0 {
		si.PaymentMethodTypes = []string{"card"}
		si.AutomaticPaymentMethods = &setupAutomaticPMJSON{AllowRedirects: "always", Enabled: true}
	}
	if hasType(si.PaymentMethodTypes, "card") {
		si.PaymentMethodOptions.Card = &setupCardOptions{RequestThreeDSecure: "automatic"}
	}
	if p.Has("usage") {
		u := p.Child("usage").Value()
		if u != "on_session" && u != "off_session" {
			return nil, apierr.InvalidParam("usage", "Invalid usage: must be one of on_session or off_session")
		}
		si.Usage = u
	}
	desc, _, err := form.String(p, "description", "description", 1000)
	if err != nil {
		return nil, err
	}
	md, err := form.Metadata(p, nil)
	if err != nil {
		return nil, err
	}
	if err := expand.Check(rq.Expand, setupExpandable); err != nil {
		return nil, err
	}
	if cus := p.Child("customer").Value(); cus != "" {
		return nil, apierr.NoSuch("customer", cus).WithParam("customer")
	}
	si.Meta = s.newMeta("seti", rq.Account)
	si.Created = rq.Now.Unix()
	si.ClientSecret = nullString(si.ID + "_secret_" + randomString(24))
	si.Description, si.Metadata = nullString(desc), md
	put(s, s.st.setups, si)
	s.emit(rq, si.Account, "setup_intent.created", si, nil)
	return si, nil
}

// getSetupIntent: another account's SetupIntent is 404, in Stripe's words
// for this object ("No such setupintent").
func (s *Server) getSetupIntent(rq *request) (any, *apierr.Error) {
	if err := expand.Check(rq.Expand, setupExpandable); err != nil {
		return nil, err
	}
	si, ok := s.st.setups.Get(rq.ID)
	if !ok || !owned(si, rq) {
		return nil, apierr.NoSuch("setupintent", rq.ID).WithParam("intent")
	}
	return si, nil
}
