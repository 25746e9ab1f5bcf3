package sandbox

import (
	"net/http"
	"strings"

	"kasse/sandbox/internal/apierr"
	"kasse/sandbox/internal/form"
)

// A PaymentIntent's customer and saved cards (stripe-api.md §12; seeds
// 003, 000): the customer it is for, the payment_method it is confirmed
// with at once (card.go), and the card a reader saves for the customer
// after the payment (setup_future_usage → generated_card).
//
// Decisions (UNVERIFIED):
//   - customer must be a live customer of the intent's account (404
//     resource_missing, param customer, otherwise).
//   - payment_method without confirm=true sets the intent's
//     payment_method and leaves it in requires_confirmation; the sandbox
//     has no confirm endpoint, so such an intent can only be canceled.
//   - confirm=true needs a payment_method (400, param payment_method);
//     off_session needs confirm=true (400, param off_session).
//   - payment_method must be of a type the intent accepts (400, param
//     payment_method).

// intentPayment is what a create reads besides the intent's own fields.
type intentPayment struct {
	cus        *customer      // the intent's customer (nil: none)
	pm         *paymentMethod // payment_method (nil: none)
	fresh      bool           // pm is a new PaymentMethod made from a test id, not stored yet
	confirm    bool
	offSession bool
}

// readIntentPayment reads customer, payment_method, confirm, off_session
// and error_on_requires_action into pi and the answer.
func (s *Server) readIntentPayment(rq *request, pi *paymentIntent) (intentPayment, *apierr.Error) {
	p := rq.Params
	var pay intentPayment
	if id := p.Child("customer").Value(); id != "" {
		c, err := s.findCustomer(rq.Account, id, "customer")
		if err != nil {
			return pay, err
		}
		pay.cus, pi.Customer = c, c.ID
	}
	confirm, err := form.Bool(p, "confirm", "confirm")
	if err != nil {
		return pay, err
	}
	pay.confirm = confirm != nil && *confirm
	if p.Has("off_session") {
		switch v := p.Child("off_session").Value(); v {
		case "true", "one_off", "recurring":
			pay.offSession = true
		case "false":
		default:
			return pay, apierr.InvalidParam("off_session", "Invalid off_session: must be a boolean, one_off or recurring")
		}
		if !pay.confirm {
			return pay, apierr.InvalidParam("off_session", "off_session can only be used with confirm=true.")
		}
	}
	errorOnAction, err := form.Bool(p, "error_on_requires_action", "error_on_requires_action")
	if err != nil {
		return pay, err
	}
	if errorOnAction != nil && *errorOnAction {
		pay.offSession = true // declined instead of waiting for authentication
	}
	id := p.Child("payment_method").Value()
	if id == "" {
		if pay.confirm {
			return pay, apierr.InvalidParam("payment_method",
				"You cannot confirm this PaymentIntent because it's missing a payment method. Update the PaymentIntent with a payment method and then confirm it again.")
		}
		return pay, nil
	}
	pm, fresh, err := s.chargeablePaymentMethod(rq, id, pay.cus, pi.SetupFutureUsage != nil)
	if err != nil {
		return pay, err
	}
	if !hasType(pi.PaymentMethodTypes, pm.Type) {
		return pay, apierr.Invalid(http.StatusBadRequest, "payment_intent_incompatible_payment_method", "payment_method",
			"The PaymentMethod provided (%s) is not allowed for this PaymentIntent. Please attach a PaymentMethod of one of the following types: %s. Alternatively, update the allowed payment_method_types for this PaymentIntent to include \"%s\".",
			pm.Type, strings.Join(pi.PaymentMethodTypes, ", "), pm.Type)
	}
	if pay.confirm && pi.AutomaticPaymentMethods != nil && pi.AutomaticPaymentMethods.Enabled {
		// Stripe: automatic payment methods may redirect, so a confirm needs
		// a return_url, which the sandbox does not take.
		return pay, apierr.InvalidParam("return_url",
			"This PaymentIntent is configured to accept payment methods enabled in your Dashboard, because some of these payment methods might redirect your customer off of your page. You must provide a `return_url` when confirming a PaymentIntent with `automatic_payment_methods` enabled.")
	}
	pay.pm, pay.fresh = pm, fresh
	if !pay.confirm { // stored with the intent (storeUnconfirmed)
		pi.PaymentMethod, pi.Status = idRef(pm.ID), "requires_confirmation"
	}
	return pay, nil
}

// saveAfterPayment gives an approved card_present payment of an intent
// with setup_future_usage its generated card: a reusable card
// PaymentMethod, attached to the intent's customer (if any), named in the
// charge's payment_method_details.card_present.generated_card. A card the
// reader cannot save (a mobile wallet, single-brand Interac or eftpos)
// generates none. Called in a change, before ch is stored.
func (s *Server) saveAfterPayment(rq *request, pi *paymentIntent, ch *charge, c *testCard) {
	d := ch.PaymentMethodDetails
	if pi.SetupFutureUsage == nil || d == nil || d.CardPresent == nil || !generatesCard(c) {
		return
	}
	var cus *customer
	if found, ok := s.st.customers.Get(refID(pi.Customer)); ok && !found.Deleted {
		cus = found
	}
	pm := s.newGeneratedCard(rq, pi.Account, c, d.CardPresent, ch.ID, "", cus)
	d.CardPresent.GeneratedCard = nullString(pm.ID)
}

// storeUnconfirmed stores the PaymentMethod a test id made for an intent
// created with payment_method and not confirmed. Called in the create's
// change, once the intent is stored.
func (s *Server) storeUnconfirmed(pay intentPayment) {
	if pay.pm != nil && pay.fresh && !pay.confirm {
		put(s, s.st.paymentMethods, pay.pm)
	}
}
