package sandbox

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"kasse/sandbox/internal/apierr"
	"kasse/sandbox/internal/expand"
	"kasse/sandbox/internal/form"
)

// The simulated reader's side: what a customer does at the reader.
//
// POST /v1/test_helpers/terminal/readers/{id}/present_payment_method: a
// card is presented to a simulated reader and the in-progress
// process_payment_intent or process_setup_intent action settles —
// synchronously (as Stripe's simulated readers answer), or after
// Options.AuthorizationDelay, during which the reader is busy. Declines are
// not HTTP errors: the action fails (failure_code/failure_message) and the
// reader is answered with 200. Options.AutoPresent presents the default
// card by itself, and CustomerCancel presses the reader's Cancel button.

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
		if err := form.Object(c, sub); err != nil {
			return nil, err
		}
		if err := form.Only(c, sub, "number"); err != nil {
			return nil, err
		}
		numbers[sub] = c.Child("number").Value()
	}
	tip, tipSet, err := form.Int(p, "amount_tip", "amount_tip")
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
	if !strings.HasPrefix(r.DeviceType, "simulated_") {
		return nil, apierr.Invalid(http.StatusBadRequest, "", "",
			"present_payment_method works only on simulated readers; %s is a %s.", r.ID, r.DeviceType)
	}
	if r.Status == "offline" {
		return nil, apierr.ReaderOffline()
	}
	a := r.Action
	if a == nil || a.Status != actionInProgress || (a.Type != actionProcessPayment && a.Type != actionProcessSetup) {
		return nil, errNothingToPresent(r.ID)
	}
	if a.presenting {
		return nil, apierr.ReaderBusy()
	}
	if typ == "" && numbers["card_present"] == "" && numbers["interac_present"] != "" {
		typ = "interac_present"
	}
	switch a.Type {
	case actionProcessPayment:
		pi, _ := s.st.intents.Get(a.paymentIntentID())
		if pi == nil || pi.Status != "requires_payment_method" {
			return nil, errIntentInvalidState()
		}
		if typ == "" {
			typ = "card_present"
			if !hasType(pi.PaymentMethodTypes, "card_present") {
				typ = "interac_present"
			}
		}
		if !hasType(pi.PaymentMethodTypes, typ) {
			return nil, apierr.InvalidParam("type", "The PaymentIntent %s does not accept %s payments (payment_method_types: %s).",
				pi.ID, typ, strings.Join(pi.PaymentMethodTypes, ", "))
		}
		if tip > 0 && a.skipsTipping() {
			return nil, apierr.InvalidParam("amount_tip", "amount_tip cannot be used when the reader action skips tipping (process_config[skip_tipping]=true).")
		}
	case actionProcessSetup:
		si, _ := s.st.setups.Get(a.setupIntentID())
		if si == nil || si.Status != "requires_payment_method" {
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
// busy) and settles after Options.AuthorizationDelay, in a change of its
// own. Called in a change.
func (s *Server) startPresent(rq *request, r *reader, a *readerAction, number string, tip int64) {
	d := s.opts.AuthorizationDelay
	if d <= 0 {
		s.settlePresent(rq, r, a, number, tip)
		return
	}
	s.touch(r)
	a.presenting = true
	later := asyncRequest(rq)
	time.AfterFunc(d, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.change(func() {
			later.Now = s.opts.Now()
			s.settlePresent(later, r, a, number, tip)
		})
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
// (with the unexpanded reader). If the intent stopped being processable
// while the card was authorizing (it was canceled), the action fails with
// intent_invalid_state. Called in a change.
func (s *Server) settlePresent(rq *request, r *reader, a *readerAction, number string, tip int64) {
	s.touch(r)
	a.presenting = false
	if a.Status != actionInProgress {
		return
	}
	switch a.Type {
	case actionProcessPayment:
		pi, _ := s.st.intents.Get(a.paymentIntentID())
		if pi == nil || pi.Status != "requires_payment_method" {
			a.fail("intent_invalid_state", errIntentInvalidState().Message)
			break
		}
		if code, msg := s.collectCardPresent(rq, pi, a, number, tip); code != "" {
			a.fail(code, msg)
		} else {
			a.Status = actionSucceeded
		}
	case actionProcessSetup:
		s.settleSetup(rq, a, number)
	}
	if r.Deleted {
		return
	}
	typ := "terminal.reader.action_succeeded"
	if a.Status == actionFailed {
		typ = "terminal.reader.action_failed"
	}
	s.emit(rq, r.Account, typ, r, nil)
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
		if r.Deleted || r.Action != a || a.Status != actionInProgress || a.presenting || r.Status == "offline" {
			return
		}
		number := defaultCardNumber
		switch a.Type {
		case actionProcessPayment:
			pi, _ := s.st.intents.Get(a.paymentIntentID())
			if pi == nil || pi.Status != "requires_payment_method" {
				return
			}
			if !hasType(pi.PaymentMethodTypes, "card_present") {
				number = defaultInteracNumber
			}
		case actionProcessSetup:
			if si, _ := s.st.setups.Get(a.setupIntentID()); si == nil || si.Status != "requires_payment_method" {
				return
			}
		}
		s.change(func() {
			later.Now = s.opts.Now()
			s.startPresent(later, r, a, number, 0)
		})
	})
}

// customerCanceledMessage is the failure_message Stripe's docs show for a
// customer_canceled reader action.
const customerCanceledMessage = "This action could not be completed due to an error on the card reader."

// CustomerCancel simulates the customer pressing Cancel on the reader's
// screen while it waits for a card. Stripe has no API for this (it is a
// button on the device), so it is a method for tests and demos, not a
// route. The button only exists when the action was started with
// process_config[enable_customer_cancellation]=true and no card has been
// presented yet. The action fails with customer_canceled and
// terminal.reader.action_failed is recorded; the PaymentIntent is left in
// requires_payment_method, so the cashier can process it again or cancel
// it (UNVERIFIED whether Stripe also sets last_payment_error; the sandbox
// does not).
func (s *Server) CustomerCancel(readerID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.st.readers.Get(readerID)
	if !ok || r.Deleted {
		return fmt.Errorf("sandbox: no such reader %q", readerID)
	}
	a := r.Action
	switch {
	case a == nil || a.Status != actionInProgress || a.Type != actionProcessPayment && a.Type != actionProcessSetup:
		return fmt.Errorf("sandbox: reader %s is not waiting for a card", readerID)
	case a.presenting:
		return errors.New("sandbox: a card is already being authorized; the customer can no longer cancel")
	case !a.customerCanCancel():
		return errors.New("sandbox: the action was started without enable_customer_cancellation: the reader shows no cancel button")
	}
	s.change(func() {
		s.touch(r)
		a.fail("customer_canceled", customerCanceledMessage)
		s.emit(&request{Now: s.opts.Now()}, r.Account, "terminal.reader.action_failed", r, nil)
	})
	return nil
}
