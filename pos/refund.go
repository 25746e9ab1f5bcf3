package pos

// Refund arithmetic and checks run before any refund request, so the
// supervisor gets a precise message instead of a Stripe 400.

// RefundReason is Stripe's refund reason.
type RefundReason string

// Refund reasons Stripe accepts on create. Kasse requires one of them.
const (
	RefundRequestedByCustomer RefundReason = "requested_by_customer"
	RefundDuplicate           RefundReason = "duplicate"
	// RefundFraudulent also puts the card and email on the seller's block
	// lists; use it only for real fraud.
	RefundFraudulent RefundReason = "fraudulent"
)

// RefundReasons lists the reasons in the order a menu shows them.
func RefundReasons() []RefundReason {
	return []RefundReason{RefundRequestedByCustomer, RefundDuplicate, RefundFraudulent}
}

// ParseRefundReason accepts exactly one of the three Stripe reasons.
func ParseRefundReason(s string) (RefundReason, error) {
	for _, r := range RefundReasons() {
		if string(r) == s {
			return r, nil
		}
	}
	return "", invalid(ErrRefundReason, "refund reason %q: use requested_by_customer, duplicate or fraudulent", s)
}

// Refundable is what can still be refunded on a charge, in minor units: 0
// for a charge that is not captured, not succeeded or fully refunded.
//
// Stripe counts the part released by a partial capture in amount_refunded
// (an 80.00 capture of a 100.00 charge shows amount_refunded 20.00), so the
// remainder is amount − amount_refunded, capped at amount_captured.
func Refundable(c Charge) int64 {
	if !c.Captured || c.Refunded || c.Status != "succeeded" {
		return 0
	}
	r := c.Amount - c.AmountRefunded
	if c.AmountCaptured > 0 {
		r = min(r, c.AmountCaptured)
	}
	return max(r, 0)
}

// RefundableFromIntent checks that a PaymentIntent can be refunded at all
// and returns Refundable of its latest charge. An authorized but uncaptured
// intent is refused: it must be captured, or voided by canceling it.
func RefundableFromIntent(in Intent) (int64, error) {
	switch {
	case in.Status == IntentRequiresCapture:
		return 0, invalid(ErrUncaptured, "payment %s is authorized but not captured: capture it, or void it by canceling, instead of refunding", in.ID)
	case in.Status != IntentSucceeded:
		return 0, invalid(ErrNotRefundable, "payment %s is %s; only a succeeded payment can be refunded", in.ID, in.Status)
	case in.LatestCharge == nil:
		return 0, invalid(ErrNotRefundable, "payment %s: its charge was not loaded; read the payment again", in.ID)
	case !in.LatestCharge.Captured:
		return 0, invalid(ErrUncaptured, "payment %s is not captured: capture it or void it instead of refunding", in.ID)
	}
	return Refundable(*in.LatestCharge), nil
}

// ValidateRefund checks a refund of amount against what is still
// refundable and returns the amount to send: amount itself, or for 0 (a
// full refund) the whole refundable remainder, rounded down to what Stripe
// accepts in the currency. Kasse always sends this explicit amount, so a
// refund made meanwhile elsewhere makes Stripe refuse instead of refunding
// a different sum.
func ValidateRefund(amount, refundable int64, currency string) (int64, error) {
	c, err := LookupCurrency(currency)
	if err != nil {
		return 0, err
	}
	switch {
	case amount < 0:
		return 0, invalid(ErrAmountNegative, "refund %s: the amount cannot be negative", Format(amount, c.Code))
	case refundable <= 0:
		return 0, invalid(ErrNothingRefund, "nothing left to refund: the payment is fully refunded")
	case amount > refundable:
		return 0, invalid(ErrRefundExceeds, "refund %s exceeds the %s still refundable",
			Format(amount, c.Code), Format(refundable, c.Code))
	case amount == 0:
		amount = refundable / c.Step * c.Step
		if amount == 0 {
			return 0, invalid(ErrNothingRefund, "the %s left is below the smallest refundable amount", Format(refundable, c.Code))
		}
	case amount%c.Step != 0:
		return 0, stepError(Format(amount, c.Code), c)
	}
	return amount, nil
}

// CheckDispute refuses a refund of a disputed payment before any request:
// Stripe answers charge_disputed for a chargeback that was not won. d is
// the dispute Kasse knows (nil: none). A charge Stripe shows disputed
// whose dispute Kasse does not know is refused too; an inquiry (the charge
// still refundable) and a won chargeback are not.
func CheckDispute(in Intent, d *Dispute) error {
	switch {
	case d != nil && d.BlocksRefund():
		return invalid(ErrDisputed, "payment %s is disputed (%s, %s): a refund is refused while the chargeback stands; answer or accept it in Disputes",
			in.ID, orText(d.Reason, "no reason given"), d.Status)
	case d == nil && in.LatestCharge != nil && in.LatestCharge.Disputed:
		return invalid(ErrDisputed, "payment %s is disputed: a refund is refused while the chargeback stands; answer or accept it in Disputes", in.ID)
	}
	return nil
}

func orText(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}
