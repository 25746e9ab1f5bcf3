package sandbox

import (
	"net/http"
	"strings"

	"kasse/sandbox/internal/apierr"
	"kasse/sandbox/internal/expand"
	"kasse/sandbox/internal/form"
	"kasse/sandbox/internal/store"
)

// SetupIntents, what saving a card on a reader needs (stripe-api.md §12,
// "save without paying"): create (with the customer to save the card
// for), retrieve, cancel. A SetupIntent belongs to the request's account;
// present_payment_method on a reader processing it settles it
// (settleSetup): the card read is a card_present PaymentMethod, the
// SetupIntent's payment_method; its reusable copy, the generated_card, is
// attached to the customer and named on the setup attempt
// (setup_attempts.go) and on the reader's action.

type setupIntent struct {
	store.Meta
	Object                            string                `json:"object"`
	Application                       any                   `json:"application"`
	AutomaticPaymentMethods           *setupAutomaticPMJSON `json:"automatic_payment_methods"`
	CancellationReason                *string               `json:"cancellation_reason"`
	ClientSecret                      *string               `json:"client_secret"`
	Created                           int64                 `json:"created"`
	Customer                          ref                   `json:"customer"`
	Description                       *string               `json:"description"`
	FlowDirections                    []string              `json:"flow_directions"`
	LastSetupError                    *setupErrorJSON       `json:"last_setup_error"`
	LatestAttempt                     ref                   `json:"latest_attempt"`
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

// setupExpandable: customer and latest_attempt expand to their objects;
// the fields the sandbox never fills to null; payment_method stays an id.
var setupExpandable = []string{"application", "customer", "latest_attempt", "mandate", "on_behalf_of", "payment_method", "single_use_mandate"}

// setupTypes are the payment_method_types a sandbox SetupIntent accepts.
var setupTypes = map[string]bool{"card": true, "card_present": true}

func (s *Server) renderSetupIntent(si *setupIntent, exp *expand.Tree) any {
	if exp.Sub("customer") == nil && exp.Sub("latest_attempt") == nil {
		return si
	}
	c := *si
	c.Customer = s.customerRef(si.Customer, exp.Sub("customer"))
	if sub := exp.Sub("latest_attempt"); sub != nil {
		if at, ok := s.st.setupAttempts.Get(refID(si.LatestAttempt)); ok {
			c.LatestAttempt = s.renderSetupAttempt(at, sub)
		}
	}
	return &c
}

// createSetupIntent: payment_method_types (default: automatic payment
// methods, i.e. ["card"], as 2023-10-16 enables them by default), customer
// (a live customer of the account: the generated card is attached to it),
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
		if _, err := s.findCustomer(rq.Account, cus, "customer"); err != nil {
			return nil, err
		}
		si.Customer = cus
	}
	si.Meta = s.newMeta("seti", rq.Account)
	si.Created = rq.Now.Unix()
	si.ClientSecret = nullString(si.ID + "_secret_" + randomString(24))
	si.Description, si.Metadata = nullString(desc), md
	put(s, s.st.setups, si)
	s.emit(rq, si.Account, "setup_intent.created", si, nil)
	return s.renderSetupIntent(si, rq.Expand), nil
}

// findSetupIntent: another account's SetupIntent is 404, in Stripe's
// words for this object ("No such setupintent").
func (s *Server) findSetupIntent(rq *request) (*setupIntent, *apierr.Error) {
	si, ok := s.st.setups.Get(rq.ID)
	if !ok || !owned(si, rq) {
		return nil, apierr.NoSuch("setupintent", rq.ID).WithParam("intent")
	}
	return si, nil
}

func (s *Server) getSetupIntent(rq *request) (any, *apierr.Error) {
	if err := expand.Check(rq.Expand, setupExpandable); err != nil {
		return nil, err
	}
	si, err := s.findSetupIntent(rq)
	if err != nil {
		return nil, err
	}
	return s.renderSetupIntent(si, rq.Expand), nil
}

// setupCancellable are the statuses a SetupIntent can be canceled from.
var setupCancellable = []string{"requires_payment_method", "requires_confirmation", "requires_action"}

// cancelSetupIntent: POST /v1/setup_intents/{id}/cancel
// (cancellation_reason abandoned | duplicate | requested_by_customer). A
// reader still waiting for a card for it lets go of it, as for a
// PaymentIntent (releaseSetup). Decision (UNVERIFIED message, Stripe's
// wording for PaymentIntents): another status is
// setup_intent_unexpected_state with the SetupIntent in the error.
func (s *Server) cancelSetupIntent(rq *request) (any, *apierr.Error) {
	if err := expand.Check(rq.Expand, setupExpandable); err != nil {
		return nil, err
	}
	reason, err := form.Enum(rq.Params, "cancellation_reason", "cancellation_reason", "abandoned", "duplicate", "requested_by_customer")
	if err != nil {
		return nil, err
	}
	si, err := s.findSetupIntent(rq)
	if err != nil {
		return nil, err
	}
	if !statusIn(si.Status, setupCancellable) {
		return nil, &apierr.Error{Status: http.StatusBadRequest, Type: apierr.TypeInvalidRequest, Code: "setup_intent_unexpected_state",
			SetupIntent: si, Message: "You cannot cancel this SetupIntent because it has a status of " + si.Status +
				". Only a SetupIntent with one of the following statuses may be canceled: " + strings.Join(setupCancellable, ", ") + "."}
	}
	s.touch(si)
	si.Status, si.CancellationReason = "canceled", nullString(reason)
	s.releaseSetup(si.ID)
	s.emit(rq, si.Account, "setup_intent.canceled", si, nil)
	return s.renderSetupIntent(si, rq.Expand), nil
}

// releaseSetup resets a reader whose in-progress, not yet presented
// action processes siID (as releaseIntent does for PaymentIntents).
func (s *Server) releaseSetup(siID string) {
	for r := range s.st.readers.All() {
		a := r.Action
		if a != nil && a.setupIntentID() == siID && a.Status == actionInProgress && !a.presenting {
			s.touch(r)
			r.Action = nil
		}
	}
}

// settleSetup completes a process_setup_intent with the card number read:
// the card_present PaymentMethod is stored and made the SetupIntent's;
// a good card gives a generated_card (a reusable `card` PaymentMethod,
// attached to the SetupIntent's customer) and the SetupIntent succeeds; a
// declining test card fails the action and the SetupIntent with
// setup_intent_authentication_failure (the Terminal testing page: "with
// SetupIntents, the error cards give setup_intent_authentication_failure"),
// keeping it requires_payment_method. A card the reader cannot save (a
// mobile wallet, single-brand Interac or eftpos) fails with
// card_not_supported (decision, UNVERIFIED code). Either way a setup
// attempt records it. Called in a change.
func (s *Server) settleSetup(rq *request, a *readerAction, number string) {
	si, _ := s.st.setups.Get(a.setupIntentID())
	if si == nil || si.Status != "requires_payment_method" {
		a.fail("intent_invalid_state", errSetupInvalidState().Message)
		return
	}
	s.touch(si)
	c := lookupTestCard(number)
	now := rq.Now.Unix()
	cp := s.newCardPresentPaymentMethod(si.Account, c, now)
	at := s.newSetupAttempt(si, cp, now)
	si.LatestAttempt = at.ID
	details := pmDetails(c, "card_present", c.decline == nil, 0, now, false, "", c.cvm)
	details.CardPresent.AmountAuthorized = nil
	fail := func(code, declineCode, msg string) {
		e := &setupErrorJSON{Code: code, DeclineCode: declineCode, DocURL: apierr.DocURL(code), Message: msg, Type: apierr.TypeCard}
		si.LastSetupError, at.SetupError, at.Status = e, e, "failed"
		a.fail(code, msg)
		s.emit(rq, si.Account, "setup_intent.setup_failed", si, nil)
	}
	switch {
	case c.decline != nil:
		fail("setup_intent_authentication_failure", c.decline.declineCode,
			"The latest attempt to set up the payment method has failed because authentication failed.")
		return
	case !generatesCard(c):
		fail("card_not_supported", "",
			"This card cannot be saved for later use: mobile wallets and single-brand Interac or eftpos cards cannot be saved from a reader.")
		return
	}
	var cus *customer
	if found, ok := s.st.customers.Get(refID(si.Customer)); ok && !found.Deleted {
		cus = found
	}
	gen := s.newGeneratedCard(rq, si.Account, c, details.CardPresent, "", at.ID, cus)
	at.PaymentMethodDetails.CardPresent.GeneratedCard = nullString(gen.ID)
	si.PaymentMethod, si.LastSetupError, si.Status = nullString(cp.ID), nil, "succeeded"
	a.ProcessSetupIntent.GeneratedCard, a.Status = gen.ID, actionSucceeded
	s.emit(rq, si.Account, "setup_intent.succeeded", si, nil)
}
