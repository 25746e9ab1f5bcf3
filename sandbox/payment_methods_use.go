package sandbox

import (
	"net/http"
	"strings"

	"kasse/sandbox/internal/apierr"
)

// Using a PaymentMethod from other resources: resolving an id (a test
// PaymentMethod id makes a new one), attaching and detaching, charging
// one, and the errors these answer. The object and its routes are in
// payment_methods.go.

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
