package sandbox

import (
	"net/http"
	"strings"

	"kasse/sandbox/internal/apierr"
	"kasse/sandbox/internal/expand"
	"kasse/sandbox/internal/form"
)

// Capturing and cancelling a PaymentIntent: the moves out of
// requires_capture and the other open statuses.

var (
	capturable  = []string{"requires_capture"}
	cancellable = []string{"requires_payment_method", "requires_capture", "requires_confirmation", "requires_action"}
)

// errUnexpectedState is payment_intent_unexpected_state with the intent
// embedded in the error body, as Stripe sends it.
func errUnexpectedState(pi *paymentIntent, message string) *apierr.Error {
	return &apierr.Error{Status: http.StatusBadRequest, Type: apierr.TypeInvalidRequest, Code: "payment_intent_unexpected_state",
		Message: message, PaymentIntent: pi}
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
	amt, hasAmt, err := form.Int(p, "amount_to_capture", "amount_to_capture")
	if err != nil {
		return nil, err
	}
	final, err := form.Bool(p, "final_capture", "final_capture")
	if err != nil {
		return nil, err
	}
	fee, hasFee, err := form.Int(p, "application_fee_amount", "application_fee_amount")
	if err != nil {
		return nil, err
	}
	pi, err := s.findIntent(rq, rq.ID)
	if err != nil {
		return nil, err
	}
	if !statusIn(pi.Status, capturable) {
		return nil, errUnexpectedState(pi, "This PaymentIntent could not be captured because it has a status of "+pi.Status+
			". Only a PaymentIntent with one of the following statuses may be captured: "+strings.Join(capturable, ", ")+".")
	}
	if !hasAmt {
		amt = pi.AmountCapturable
	}
	if amt < 1 {
		return nil, apierr.Validation(http.StatusBadRequest, "parameter_invalid_integer", "amount_to_capture", "This value must be greater than or equal to 1.")
	}
	if amt > pi.AmountCapturable {
		return nil, apierr.Validation(http.StatusBadRequest, "amount_too_large", "amount_to_capture",
			"The amount to capture (%s) cannot be greater than the amount capturable on this PaymentIntent (%s).",
			formatMoney(amt, pi.Currency), formatMoney(pi.AmountCapturable, pi.Currency))
	}
	if final != nil && !*final {
		return nil, apierr.InvalidParam("final_capture", "final_capture=false requires multicapture, which is not available for this PaymentIntent's payment method.")
	}
	if hasFee {
		if rq.Account == "" && pi.TransferData == nil {
			return nil, errFeeNotConnect()
		}
		if fee < 0 || fee > amt {
			return nil, apierr.InvalidParam("application_fee_amount", "The application fee amount (%d) cannot be greater than the captured amount (%d).", fee, amt)
		}
	}
	next := *pi
	if next.Metadata, err = form.Metadata(p, pi.Metadata); err != nil {
		return nil, err
	}
	for _, f := range []struct {
		name string
		dst  **string
	}{{"statement_descriptor", &next.StatementDescriptor}, {"statement_descriptor_suffix", &next.StatementDescriptorSuffix}} {
		if v, ok, err := form.String(p, f.name, f.name, 22); err != nil {
			return nil, err
		} else if ok {
			*f.dst = nullString(v)
		}
	}
	if td := p.Child("transfer_data"); td != nil {
		n, has, err := form.Int(td, "amount", "transfer_data[amount]")
		if err != nil {
			return nil, err
		}
		if has {
			if next.TransferData == nil || n < 0 || n > amt {
				return nil, apierr.InvalidParam("transfer_data[amount]", "The transfer amount must be between 0 and the captured amount (%d) of a destination charge.", amt)
			}
			d := *next.TransferData
			d.Amount = &n
			next.TransferData = &d
		}
	}
	if hasFee {
		next.ApplicationFeeAmount = &fee
	}
	s.touch(pi)
	*pi = next

	released := pi.AmountCapturable - amt
	pi.Status, pi.AmountReceived, pi.AmountCapturable = "succeeded", amt, 0
	if ch, ok := s.st.charges.Get(refID(pi.LatestCharge)); ok {
		s.touch(ch)
		ch.Captured, ch.AmountCaptured = true, amt
		ch.AmountRefunded += released
		ch.Refunded = ch.AmountRefunded >= ch.Amount
		ch.ApplicationFeeAmount = pi.ApplicationFeeAmount
		if ch.TransferData != nil && pi.TransferData != nil {
			ch.TransferData.Amount = pi.TransferData.Amount
		}
		ch.StatementDescriptor, ch.StatementDescriptorSuffix = pi.StatementDescriptor, pi.StatementDescriptorSuffix
		ch.CalculatedStatementDescriptor = nullString(s.calculatedDescriptor(pi))
		s.connectOnCapture(rq, pi, ch)
		s.emit(rq, pi.Account, "charge.captured", ch, nil)
	}
	s.emit(rq, pi.Account, "payment_intent.succeeded", pi, nil)
	if ch, ok := s.st.charges.Get(refID(pi.LatestCharge)); ok {
		s.disputeIfTestCard(rq, ch) // disputes_lifecycle.go
	}
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
	reason, err := form.Enum(rq.Params, "cancellation_reason", "cancellation_reason", "duplicate", "fraudulent", "requested_by_customer", "abandoned")
	if err != nil {
		return nil, err
	}
	pi, err := s.findIntent(rq, rq.ID)
	if err != nil {
		return nil, err
	}
	if !statusIn(pi.Status, cancellable) {
		return nil, errUnexpectedState(pi, "You cannot cancel this PaymentIntent because it has a status of "+pi.Status+
			". Only a PaymentIntent with one of the following statuses may be canceled: "+strings.Join(cancellable, ", ")+".")
	}
	wasAuthorized := pi.Status == "requires_capture"
	s.touch(pi)
	now := rq.Now.Unix()
	pi.Status, pi.CanceledAt, pi.CancellationReason, pi.AmountCapturable = "canceled", &now, nullString(reason), 0
	if ch, ok := s.st.charges.Get(refID(pi.LatestCharge)); ok && wasAuthorized {
		s.touch(ch)
		ch.AmountRefunded, ch.Refunded = ch.Amount, true
		s.emit(rq, pi.Account, "charge.refunded", ch, map[string]any{"amount_refunded": 0, "refunded": false})
	}
	s.releaseIntent(pi.ID)
	s.emit(rq, pi.Account, "payment_intent.canceled", pi, nil)
	return s.renderIntent(pi, rq.Expand), nil
}
