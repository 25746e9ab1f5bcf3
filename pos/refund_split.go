package pos

// Who gives a refund back. A customer's refund is paid by the account the
// charge lives on, and Connect moves part of it between the platform and
// the seller, by charge type:
//
//   - direct: the seller refunds from its balance; with refund_application_fee
//     the platform gives its fee back in proportion.
//   - destination: the platform refunds; reverse_transfer takes the refund
//     back from the seller's transfer in proportion (the transfer is the
//     whole charge, so the reversal equals the refund), and with
//     refund_application_fee the platform gives its fee back in proportion.
//   - separate: the platform refunds; Kasse reverses the seller's transfer
//     in proportion (transfer ÷ charge), so the platform gives back its own
//     share in proportion.
//
// Proportional parts are rounded half up to the currency's step (RoundShare);
// a refund of the whole remainder takes whatever is left of the fee and the
// transfer, so the parts of a fully refunded sale add up exactly. (Stripe
// documents the proportions but not its rounding: the sandbox applies this
// same rule.)

// ChargeFacts is what a refund's split is computed from: the charge as
// Stripe shows it now, its application fee and its transfer.
type ChargeFacts struct {
	Type       ChargeType
	Captured   int64 // what the charge captured
	Refundable int64 // what is still refundable (Refundable of the charge)
	// Fee is the platform's fee (direct, destination: the application fee;
	// separate: its share, Captured − Transferred), FeeRefunded what of it
	// was given back already.
	Fee         int64
	FeeRefunded int64
	// TransferID, Transferred and Reversed describe the seller's transfer
	// (destination, separate).
	TransferID  string
	Transferred int64
	Reversed    int64
}

// RefundShares is what one refund takes back from whom.
type RefundShares struct {
	Amount    int64 // to the customer
	Reversal  int64 // taken back from the seller's transfer
	FeeRefund int64 // the platform's fee given back to the seller
	Seller    int64 // the seller's part of the refund in all
	Platform  int64 // the platform's part of the refund in all
}

// PlanRefund splits a refund of amount (already validated against
// Refundable) between seller and platform, for refundFee (the seller's
// policy: give the platform's fee back, direct and destination charges).
// It refuses, before any request, a refund that would reverse more than is
// left of the seller's transfer (ErrReversalExceeds), or a separate
// charge's refund whose transfer is not known (ErrChargeNotResolved).
func PlanRefund(f ChargeFacts, amount int64, refundFee bool, currency string) (RefundShares, error) {
	c, err := LookupCurrency(currency)
	if err != nil {
		return RefundShares{}, err
	}
	if f.Captured <= 0 {
		return RefundShares{}, invalid(ErrNotRefundable, "nothing was captured, so nothing can be refunded")
	}
	whole := amount >= f.Refundable // the last refund: whatever is left goes back
	part := func(total, given int64) int64 {
		left := max(total-given, 0)
		if whole {
			return left
		}
		return RoundShare(amount*total, f.Captured, c)
	}
	sh := RefundShares{Amount: amount}
	if refundFee && f.Type.Or() != ChargeSeparate && f.Fee > 0 {
		sh.FeeRefund = min(part(f.Fee, f.FeeRefunded), max(f.Fee-f.FeeRefunded, 0))
	}
	switch f.Type.Or() {
	case ChargeDirect:
		sh.Seller, sh.Platform = amount-sh.FeeRefund, sh.FeeRefund
		return sh, nil
	case ChargeSeparate:
		if f.TransferID == "" {
			if f.Transferred == 0 && f.Reversed == 0 && f.Fee >= f.Captured {
				sh.Platform = amount // the platform kept it all: nothing was transferred
				return sh, nil
			}
			return RefundShares{}, invalid(ErrChargeNotResolved, "the seller's transfer of this separate charge is not known yet; settle the sale first")
		}
	}
	sh.Reversal = part(f.Transferred, f.Reversed)
	if left := f.Transferred - f.Reversed; sh.Reversal > left {
		return RefundShares{}, invalid(ErrReversalExceeds, "the refund would take %s back from the seller's transfer, but only %s of it is left to reverse",
			Format(sh.Reversal, c.Code), Format(max(left, 0), c.Code))
	}
	sh.Seller = sh.Reversal - sh.FeeRefund
	sh.Platform = amount - sh.Seller
	return sh, nil
}

// ChargeTypeOf classifies a payment as Stripe shows it: on a seller's
// account it is a direct charge; on the platform, a destination charge
// when it names a transfer destination, else a separate one.
func ChargeTypeOf(in Intent) ChargeType {
	switch {
	case !in.Account.IsPlatform():
		return ChargeDirect
	case in.TransferDestination != "":
		return ChargeDestination
	}
	return ChargeSeparate
}

// SellerOf is the seller a payment was made for: the account it lives on
// (direct), else its transfer destination, else the seller its metadata
// names (MetaSeller); Platform when none says.
func SellerOf(in Intent) Account {
	switch {
	case !in.Account.IsPlatform():
		return in.Account
	case in.TransferDestination != "":
		return in.TransferDestination
	}
	return Account(in.Metadata[MetaSeller])
}

// FactsOf gathers a payment's ChargeFacts from what was read: the intent
// with its latest charge, the application fee (direct, destination; nil
// when none or not read) and the seller's transfer (destination,
// separate; nil when none). A separate charge's fee is its share: what
// was captured less what was transferred.
func FactsOf(in Intent, fee *ApplicationFee, tr *Transfer) ChargeFacts {
	f := ChargeFacts{Type: ChargeTypeOf(in)}
	if c := in.LatestCharge; c != nil {
		f.Captured, f.Refundable = capturedOf(*c), Refundable(*c)
		f.Fee = c.ApplicationFeeAmount
	}
	if f.Fee == 0 {
		f.Fee = in.ApplicationFeeAmount
	}
	if fee != nil {
		f.Fee, f.FeeRefunded = fee.Amount, fee.AmountRefunded
	}
	if tr != nil {
		f.TransferID, f.Transferred, f.Reversed = tr.ID, tr.Amount, tr.AmountReversed
	}
	if f.Type == ChargeSeparate {
		f.Fee, f.FeeRefunded = max(f.Captured-f.Transferred, 0), 0
	}
	return f
}
