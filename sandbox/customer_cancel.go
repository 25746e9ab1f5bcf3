package sandbox

import (
	"errors"
	"fmt"
)

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
	r, ok := s.st.readers[readerID]
	if !ok || r.deleted {
		return fmt.Errorf("sandbox: no such reader %q", readerID)
	}
	a := r.action
	switch {
	case a == nil || a.status != actionInProgress || a.typ != actionProcessPayment && a.typ != actionProcessSetup:
		return fmt.Errorf("sandbox: reader %s is not waiting for a card", readerID)
	case a.presenting:
		return errors.New("sandbox: a card is already being authorized; the customer can no longer cancel")
	case a.enableCancel == nil || !*a.enableCancel:
		return errors.New("sandbox: the action was started without enable_customer_cancellation: the reader shows no cancel button")
	}
	a.status, a.failureCode, a.failureMessage = actionFailed, "customer_canceled", customerCanceledMessage
	rq := &request{Now: s.opts.Now()}
	s.emit(rq, r.account, "terminal.reader.action_failed", s.renderReader(r, nil), nil)
	return nil
}
