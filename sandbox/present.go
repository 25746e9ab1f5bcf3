package sandbox

import (
	"net/http"
	"strings"
	"time"

	"kasse/sandbox/internal/apierr"
	"kasse/sandbox/internal/expand"
)

// POST /v1/test_helpers/terminal/readers/{id}/present_payment_method:
// a card is presented to a simulated reader and the in-progress
// process_payment_intent or process_setup_intent action settles —
// synchronously (as Stripe's simulated readers answer), or after
// Options.AuthorizationDelay, during which the reader is busy. Declines are
// not HTTP errors: the action fails (failure_code/failure_message) and the
// reader is answered with 200.

const (
	actionProcessPayment = "process_payment_intent"
	actionProcessSetup   = "process_setup_intent"
)

// errNothingToPresent: Stripe's answer is UNVERIFIED (§16); the sandbox
// answers 400 invalid_request_error without a code.
func errNothingToPresent(id string) *apierr.Error {
	return apierr.Invalid(http.StatusBadRequest, "", "",
		"Reader %s has no in-progress process_payment_intent or process_setup_intent action to present a payment method to. Call process_payment_intent (or process_setup_intent) first.", id)
}

// presentPaymentMethod: type card_present|interac_present (default from
// the intent's payment_method_types), card_present[number] /
// interac_present[number] (default 4242424242424242 / 4506445006931933),
// amount_tip (≥ 0; payments only). Decisions (UNVERIFIED): amount_tip > 0
// while the action skips tipping (process_config[skip_tipping]=true) is
// refused (param amount_tip); a type the intent does not accept is refused
// (param type); a reader that is not simulated is refused.
func (s *Server) presentPaymentMethod(rq *request) (any, *apierr.Error) {
	p := rq.Params
	typ := p.Child("type").Value()
	if p.Has("type") && typ != "card_present" && typ != "interac_present" {
		return nil, apierr.InvalidParam("type", "Invalid type: must be one of card_present or interac_present")
	}
	numbers := map[string]string{}
	for _, sub := range []string{"card_present", "interac_present"} {
		c := p.Child(sub)
		if err := termObject(c, sub); err != nil {
			return nil, err
		}
		if err := termOnly(c, sub, "number"); err != nil {
			return nil, err
		}
		numbers[sub] = c.Child("number").Value()
	}
	tip, tipSet, err := termInt(p, "amount_tip", "amount_tip")
	if err != nil {
		return nil, err
	}
	if tip < 0 {
		return nil, apierr.InvalidParam("amount_tip", "This value must be greater than or equal to 0.")
	}
	if err := expand.Check(rq.Expand, readerExpandable); err != nil {
		return nil, err
	}
	r, err := s.findReader(rq, rq.ID, false)
	if err != nil {
		return nil, err
	}
	if !strings.HasPrefix(r.deviceType, "simulated_") {
		return nil, apierr.Invalid(http.StatusBadRequest, "", "",
			"present_payment_method works only on simulated readers; %s is a %s.", r.id, r.deviceType)
	}
	if r.status == "offline" {
		return nil, apierr.ReaderOffline()
	}
	a := r.action
	if a == nil || a.status != actionInProgress || (a.typ != actionProcessPayment && a.typ != actionProcessSetup) {
		return nil, errNothingToPresent(r.id)
	}
	if a.presenting {
		return nil, apierr.ReaderBusy()
	}
	if typ == "" && numbers["card_present"] == "" && numbers["interac_present"] != "" {
		typ = "interac_present"
	}
	switch a.typ {
	case actionProcessPayment:
		pi := s.st.intents[a.paymentIntent]
		if pi == nil || pi.status != "requires_payment_method" {
			return nil, errIntentInvalidState()
		}
		if typ == "" {
			typ = "card_present"
			if !termHasType(pi.paymentMethodTypes, "card_present") {
				typ = "interac_present"
			}
		}
		if !termHasType(pi.paymentMethodTypes, typ) {
			return nil, apierr.InvalidParam("type", "The PaymentIntent %s does not accept %s payments (payment_method_types: %s).",
				pi.id, typ, strings.Join(pi.paymentMethodTypes, ", "))
		}
		if tip > 0 && termTrue(a.skipTipping) {
			return nil, apierr.InvalidParam("amount_tip", "amount_tip cannot be used when the reader action skips tipping (process_config[skip_tipping]=true).")
		}
	case actionProcessSetup:
		si := s.st.setups[a.setupIntent]
		if si == nil || si.status != "requires_payment_method" {
			return nil, errSetupInvalidState()
		}
		if typ == "" {
			typ = "card_present"
		}
		if typ != "card_present" {
			return nil, apierr.InvalidParam("type", "A SetupIntent can only save card_present cards.")
		}
		if tipSet {
			return nil, apierr.InvalidParam("amount_tip", "amount_tip applies only to payments (process_payment_intent), not to process_setup_intent.")
		}
	}
	number := numbers[typ]
	if number == "" {
		number = defaultCardNumber
		if typ == "interac_present" {
			number = defaultInteracNumber
		}
	}
	s.startPresent(rq, r, a, number, tip)
	return s.renderReader(r, rq.Expand), nil
}

// startPresent settles now, or marks the action authorizing (the reader is
// busy) and settles after Options.AuthorizationDelay.
func (s *Server) startPresent(rq *request, r *reader, a *readerAction, number string, tip int64) {
	d := s.opts.AuthorizationDelay
	if d <= 0 {
		s.settlePresent(rq, r, a, number, tip)
		return
	}
	a.presenting = true
	later := asyncRequest(rq)
	time.AfterFunc(d, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		later.Now = s.opts.Now()
		s.settlePresent(later, r, a, number, tip)
	})
}

// asyncRequest is the context of an outcome that happens after the request
// that caused it: same account, no request id or idempotency key (events
// then carry request.id null, as Stripe's asynchronous events do).
func asyncRequest(rq *request) *request {
	later := *rq
	later.RequestID, later.IdemKey = "", ""
	return &later
}

// settlePresent decides the outcome of a presented card and emits
// terminal.reader.action_succeeded / action_failed on the reader's account
// (with the rendered, unexpanded reader). If the intent stopped being
// processable while the card was authorizing (it was canceled), the action
// fails with intent_invalid_state.
func (s *Server) settlePresent(rq *request, r *reader, a *readerAction, number string, tip int64) {
	a.presenting = false
	if a.status != actionInProgress {
		return
	}
	switch a.typ {
	case actionProcessPayment:
		pi := s.st.intents[a.paymentIntent]
		if pi == nil || pi.status != "requires_payment_method" {
			a.status, a.failureCode, a.failureMessage = actionFailed, "intent_invalid_state", errIntentInvalidState().Message
			break
		}
		if code, msg := s.collectCardPresent(rq, pi, number, tip); code != "" {
			a.status, a.failureCode, a.failureMessage = actionFailed, code, msg
		} else {
			a.status = actionSucceeded
		}
	case actionProcessSetup:
		s.settleSetup(rq, a, number)
	}
	if r.deleted {
		return
	}
	typ := "terminal.reader.action_succeeded"
	if a.status == actionFailed {
		typ = "terminal.reader.action_failed"
	}
	s.emit(rq, r.account, typ, s.renderReader(r, nil), nil)
}

// settleSetup completes a process_setup_intent: a good card gives a
// generated_card (a reusable `card` PaymentMethod id) and the SetupIntent
// succeeds; a declining test card fails the action and the SetupIntent
// with setup_intent_authentication_failure (the Terminal testing page:
// "with SetupIntents, the error cards give
// setup_intent_authentication_failure"), keeping it requires_payment_method.
func (s *Server) settleSetup(rq *request, a *readerAction, number string) {
	si := s.st.setups[a.setupIntent]
	if si == nil || si.status != "requires_payment_method" {
		a.status, a.failureCode, a.failureMessage = actionFailed, "intent_invalid_state", errSetupInvalidState().Message
		return
	}
	si.latestAttempt = newID("setatt")
	if c := lookupTestCard(number); c.decline != nil {
		const code = "setup_intent_authentication_failure"
		msg := "The latest attempt to set up the payment method has failed because authentication failed."
		si.lastError = &setupError{typ: apierr.TypeCard, code: code, declineCode: c.decline.declineCode, message: msg}
		a.status, a.failureCode, a.failureMessage = actionFailed, code, msg
		s.emit(rq, si.account, "setup_intent.setup_failed", s.renderSetupIntent(si), nil)
		return
	}
	si.paymentMethod, si.lastError, si.status = newID("pm"), nil, "succeeded"
	a.generatedCard, a.status = newID("pm"), actionSucceeded
	s.emit(rq, si.account, "setup_intent.succeeded", s.renderSetupIntent(si), nil)
}

// scheduleAutoPresent (Options.AutoPresent > 0, for demos) presents the
// default card that long after an action started, unless the action was
// replaced, canceled or already presented, or the reader went offline.
func (s *Server) scheduleAutoPresent(rq *request, r *reader, a *readerAction) {
	d := s.opts.AutoPresent
	if d <= 0 {
		return
	}
	later := asyncRequest(rq)
	time.AfterFunc(d, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if r.deleted || r.action != a || a.status != actionInProgress || a.presenting || r.status == "offline" {
			return
		}
		number := defaultCardNumber
		switch a.typ {
		case actionProcessPayment:
			pi := s.st.intents[a.paymentIntent]
			if pi == nil || pi.status != "requires_payment_method" {
				return
			}
			if !termHasType(pi.paymentMethodTypes, "card_present") {
				number = defaultInteracNumber
			}
		case actionProcessSetup:
			if si := s.st.setups[a.setupIntent]; si == nil || si.status != "requires_payment_method" {
				return
			}
		}
		later.Now = s.opts.Now()
		s.startPresent(later, r, a, number, 0)
	})
}
