package sandbox

import (
	"net/http"
	"strings"

	"kasse/sandbox/internal/apierr"
	"kasse/sandbox/internal/expand"
)

// PaymentIntent capture and cancel (stripe-api.md §6, §15.5).

var (
	capturable  = []string{"requires_capture"}
	cancellable = []string{"requires_payment_method", "requires_capture", "requires_confirmation", "requires_action"}
)

// errUnexpectedState is payment_intent_unexpected_state with the intent
// embedded in the error body, as Stripe sends it.
func (s *Server) errUnexpectedState(pi *paymentIntent, message string) *apierr.Error {
	return &apierr.Error{Status: http.StatusBadRequest, Type: apierr.TypeInvalidRequest, Code: "payment_intent_unexpected_state",
		Message: message, PaymentIntent: s.renderIntent(pi, nil)}
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
	amt, hasAmt, err := parseAmountParam(p, "amount_to_capture")
	if err != nil {
		return nil, err
	}
	final, err := payBool(p, "final_capture")
	if err != nil {
		return nil, err
	}
	fee, hasFee, err := parseAmountParam(p, "application_fee_amount")
	if err != nil {
		return nil, err
	}
	pi, err := s.findIntent(rq, rq.ID)
	if err != nil {
		return nil, err
	}
	if !statusIn(pi.status, capturable) {
		return nil, s.errUnexpectedState(pi, "This PaymentIntent could not be captured because it has a status of "+pi.status+
			". Only a PaymentIntent with one of the following statuses may be captured: "+strings.Join(capturable, ", ")+".")
	}
	if !hasAmt {
		amt = pi.amountCapturable
	}
	if amt < 1 {
		e := apierr.Invalid(http.StatusBadRequest, "parameter_invalid_integer", "amount_to_capture", "This value must be greater than or equal to 1.")
		e.Validation = true
		return nil, e
	}
	if amt > pi.amountCapturable {
		e := apierr.Invalid(http.StatusBadRequest, "amount_too_large", "amount_to_capture",
			"The amount to capture (%s) cannot be greater than the amount capturable on this PaymentIntent (%s).",
			formatMoney(amt, pi.currency), formatMoney(pi.amountCapturable, pi.currency))
		e.Validation = true
		return nil, e
	}
	if final != nil && !*final {
		return nil, apierr.InvalidParam("final_capture", "final_capture=false requires multicapture, which is not available for this PaymentIntent's payment method.")
	}
	if hasFee {
		if rq.Account == "" && pi.transferDest == "" {
			return nil, apierr.InvalidParam("application_fee_amount",
				"Can only apply an application_fee_amount when the PaymentIntent is attempting a direct payment (using an OAuth key or Stripe-Account header) or destination payment (using `transfer_data[destination]`).")
		}
		if fee < 0 || fee > amt {
			return nil, apierr.InvalidParam("application_fee_amount", "The application fee amount (%d) cannot be greater than the captured amount (%d).", fee, amt)
		}
	}
	next := *pi
	if next.metadata, err = payMetadata(p, pi.metadata); err != nil {
		return nil, err
	}
	for _, f := range []struct {
		name string
		dst  *string
	}{{"statement_descriptor", &next.statementDescriptor}, {"statement_descriptor_suffix", &next.statementDescriptorSuffix}} {
		if v, ok, err := payString(p, f.name, 22); err != nil {
			return nil, err
		} else if ok {
			*f.dst = v
		}
	}
	if td := p.Child("transfer_data"); td != nil {
		n, has, err := parseAmountParam(td, "amount")
		if err != nil {
			return nil, err.WithParam("transfer_data[amount]")
		}
		if has {
			if next.transferDest == "" || n < 0 || n > amt {
				return nil, apierr.InvalidParam("transfer_data[amount]", "The transfer amount must be between 0 and the captured amount (%d) of a destination charge.", amt)
			}
			next.transferAmount = &n
		}
	}
	if hasFee {
		next.applicationFee = &fee
	}
	*pi = next

	ch := s.st.charges[pi.latestCharge]
	released := pi.amountCapturable - amt
	pi.status, pi.amountReceived, pi.amountCapturable = "succeeded", amt, 0
	if ch != nil {
		ch.captured, ch.amountCaptured = true, amt
		ch.amountRefunded += released
		ch.refunded = ch.amountRefunded >= ch.amount
		ch.applicationFee, ch.transferAmount = pi.applicationFee, pi.transferAmount
		ch.statementDescriptor, ch.statementDescriptorSuffix = pi.statementDescriptor, pi.statementDescriptorSuffix
		ch.calculatedDescriptor = s.calculatedDescriptor(pi)
		s.feeOnCapture(ch)
		s.emit(rq, pi.account, "charge.captured", s.renderCharge(ch, nil), nil)
	}
	s.emit(rq, pi.account, "payment_intent.succeeded", s.renderIntent(pi, nil), nil)
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
	reason, err := payEnum(rq.Params, "cancellation_reason", "duplicate", "fraudulent", "requested_by_customer", "abandoned")
	if err != nil {
		return nil, err
	}
	pi, err := s.findIntent(rq, rq.ID)
	if err != nil {
		return nil, err
	}
	if !statusIn(pi.status, cancellable) {
		return nil, s.errUnexpectedState(pi, "You cannot cancel this PaymentIntent because it has a status of "+pi.status+
			". Only a PaymentIntent with one of the following statuses may be canceled: "+strings.Join(cancellable, ", ")+".")
	}
	wasAuthorized := pi.status == "requires_capture"
	pi.status, pi.canceledAt, pi.cancellationReason, pi.amountCapturable = "canceled", rq.Now.Unix(), reason, 0
	if ch, ok := s.st.charges[pi.latestCharge]; ok && wasAuthorized {
		ch.amountRefunded, ch.refunded = ch.amount, true
		s.emit(rq, pi.account, "charge.refunded", s.renderCharge(ch, nil), map[string]any{"amount_refunded": 0, "refunded": false})
	}
	s.releaseIntent(rq, pi.id)
	s.emit(rq, pi.account, "payment_intent.canceled", s.renderIntent(pi, nil), nil)
	return s.renderIntent(pi, rq.Expand), nil
}
