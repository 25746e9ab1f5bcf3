package pos

import (
	"errors"
	"sort"
	"strconv"
	"strings"
)

// Connect charge types (stripe-api.md §3; docs.stripe.com/connect/charges).
// A platform chooses one per seller for business reasons: who is merchant
// of record, who pays Stripe's fees, who carries refunds and disputes.
//
//   - ChargeDirect: the PaymentIntent lives on the seller's account
//     (Stripe-Account); the seller is merchant of record and pays fees,
//     refunds and disputes; the platform may take an application fee.
//   - ChargeDestination: the PaymentIntent lives on the platform with
//     transfer_data[destination] = seller and on_behalf_of = seller (the
//     seller is the settlement merchant); Stripe transfers the charge to
//     the seller and takes application_fee_amount back for the platform.
//     Refunds and disputes are the platform's.
//   - ChargeSeparate: separate charges and transfers. The PaymentIntent
//     lives on the platform with a transfer_group; once it succeeded Kasse
//     transfers the seller's part (amount less the platform's share) with
//     POST /v1/transfers, source_transaction = the charge. Refunds reverse
//     the transfer in proportion (POST /v1/transfers/{id}/reversals).
type ChargeType string

// Charge types. The zero value is ChargeDirect (sales of older journals).
const (
	ChargeDirect      ChargeType = "direct"
	ChargeDestination ChargeType = "destination"
	ChargeSeparate    ChargeType = "separate"
)

// ChargeTypes lists the charge types in the order configuration and help
// name them.
func ChargeTypes() []ChargeType { return []ChargeType{ChargeDirect, ChargeDestination, ChargeSeparate} }

// ParseChargeType accepts direct, destination or separate ("" is direct).
func ParseChargeType(s string) (ChargeType, error) {
	switch t := ChargeType(strings.TrimSpace(s)); t {
	case "", ChargeDirect:
		return ChargeDirect, nil
	case ChargeDestination, ChargeSeparate:
		return t, nil
	}
	return "", invalid(ErrChargeType, "charge type %q: use direct, destination or separate", s)
}

// Or is t, or ChargeDirect when t is unset.
func (t ChargeType) Or() ChargeType {
	if t == "" {
		return ChargeDirect
	}
	return t
}

// OnPlatform reports whether the PaymentIntent, its charge and refunds
// live on the platform (destination and separate charges).
func (t ChargeType) OnPlatform() bool { return t.Or() != ChargeDirect }

// IntentAccount is the account a PaymentIntent of this type lives on when
// it is the seller's sale: the seller for direct charges, else the
// platform.
func (t ChargeType) IntentAccount(seller Account) Account {
	if t.OnPlatform() {
		return Platform
	}
	return seller
}

// FeeRuleScale is the FeeRule.Percent that means 100 %: percentages are
// kept in thousandths of a percent, as tax rates are (2.9 % is 2900).
const FeeRuleScale int64 = 100_000

// FeeRule is a seller's platform fee: a percentage of the sale and/or a
// fixed amount per currency. The fee of a sale is
//
//	round(amount × Percent / FeeRuleScale) + Fixed[currency]
//
// rounded half up to what the currency accepts (cents for USD, whole yen,
// tens of fils for the three-decimal currencies, whole krónur for ISK:
// Stripe asks integrations to "round amounts to the nearest ten" for
// three-decimal currencies, and rounds its own fees half up to the unit),
// and never above the amount. A fixed part is never carried from one
// currency to another: a rule with fixed parts charges no sale in a
// currency it does not name (ErrFeeCurrency).
type FeeRule struct {
	Percent int64            // thousandths of a percent, 0..FeeRuleScale
	Fixed   map[string]int64 // lower-case currency → minor units
}

// IsZero reports whether the rule takes nothing.
func (r FeeRule) IsZero() bool { return r.Percent == 0 && len(r.Fixed) == 0 }

// Validate refuses a percentage above 100 % or below zero, a negative
// fixed part, and a fixed part that is not a valid amount of its currency.
func (r FeeRule) Validate() error {
	switch {
	case r.Percent < 0:
		return invalid(ErrFeeRule, "fee percentage %s is negative", FormatTaxRate(r.Percent))
	case r.Percent > FeeRuleScale:
		return invalid(ErrFeeRule, "fee percentage %s is above 100%%", FormatTaxRate(r.Percent))
	}
	for _, code := range r.currencies() {
		c, err := LookupCurrency(code)
		if err != nil {
			return err
		}
		v := r.Fixed[code]
		switch {
		case v < 0:
			return invalid(ErrFeeRule, "fixed fee %s is negative", Format(v, c.Code))
		case v > MaxAmount:
			return invalid(ErrFeeRule, "fixed fee %s is above Stripe's maximum amount", Format(v, c.Code))
		case v%c.Step != 0:
			return stepError(Format(v, c.Code), c)
		}
	}
	return nil
}

func (r FeeRule) currencies() []string {
	out := make([]string, 0, len(r.Fixed))
	for k := range r.Fixed {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Fee is the rule's fee on amount minor units of currency (see FeeRule).
func (r FeeRule) Fee(amount int64, currency string) (int64, error) {
	c, err := LookupCurrency(currency)
	if err != nil {
		return 0, err
	}
	if err := r.Validate(); err != nil {
		return 0, err
	}
	if amount < 0 {
		return 0, invalid(ErrAmountNegative, "amount %s is negative", Format(amount, c.Code))
	}
	fixed, named := r.Fixed[c.Code]
	if len(r.Fixed) > 0 && !named {
		return 0, invalid(ErrFeeCurrency, "the fee rule names a fixed fee in %s but none in %s: a fixed fee is never carried from one currency to another",
			strings.ToUpper(strings.Join(r.currencies(), ", ")), c.Upper())
	}
	// amount ≤ MaxAmount (8 digits) × Percent ≤ 10^5: no overflow.
	fee := RoundShare(amount*r.Percent, FeeRuleScale, c) + fixed
	return min(fee, amount), nil
}

// RoundShare is num/den minor units rounded half up to the currency's step
// (num, den ≥ 0, den > 0). Kasse rounds every share it computes — fees,
// proportional fee refunds and transfer reversals — with it.
func RoundShare(num, den int64, c Currency) int64 {
	step := max(c.Step, 1)
	d := den * step
	return (num + d/2) / d * step
}

// String renders the rule for people and logs: "2.5% + 0.30 USD",
// "1.50 EUR", "none".
func (r FeeRule) String() string {
	var parts []string
	if r.Percent != 0 {
		parts = append(parts, FormatTaxRate(r.Percent))
	}
	var fixed []string
	for _, code := range r.currencies() {
		fixed = append(fixed, Format(r.Fixed[code], code))
	}
	if len(fixed) > 0 {
		parts = append(parts, strings.Join(fixed, " | "))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, " + ")
}

// ChargeSetup is how the platform charges for one seller: Kasse's own
// configuration (config [[sellers]]), not something Stripe stores.
type ChargeSetup struct {
	Type ChargeType
	// Fee is the platform's fee: application_fee_amount of direct and
	// destination charges, the part a separate charge keeps back from the
	// transfer.
	Fee FeeRule
	// RefundFee: refunds give the platform's fee back in proportion
	// (refund_application_fee on direct and destination charges). A
	// separate charge's transfer is always reversed in proportion, so its
	// refunds always give the platform's share back in proportion.
	RefundFee bool
}

// Validate checks the type and the fee rule.
func (cs ChargeSetup) Validate() error {
	if _, err := ParseChargeType(string(cs.Type)); err != nil {
		return err
	}
	return cs.Fee.Validate()
}

// Capability names (account.capabilities).
const (
	CapabilityCardPayments = "card_payments"
	CapabilityTransfers    = "transfers"
)

// NeededCapabilities lists the capabilities a seller must have active to
// sell with charge type t: direct charges are made on the seller
// (card_payments); a destination charge settles on the seller
// (on_behalf_of needs card_payments) and pays it out by transfer
// (transfers); separate charges pay out by transfer (transfers).
func (t ChargeType) NeededCapabilities() []string {
	switch t.Or() {
	case ChargeDestination:
		return []string{CapabilityCardPayments, CapabilityTransfers}
	case ChargeSeparate:
		return []string{CapabilityTransfers}
	}
	return []string{CapabilityCardPayments}
}

// Capability returns the state of the named capability ("" when not
// requested).
func (s Seller) Capability(name string) string {
	switch name {
	case CapabilityCardPayments:
		return s.CardPayments
	case CapabilityTransfers:
		return s.Transfers
	}
	return ""
}

// MissingCapabilities lists the capabilities the seller's charge type
// needs that are not active, in NeededCapabilities' order.
func (s Seller) MissingCapabilities() []string {
	var out []string
	for _, c := range s.Charges.Type.NeededCapabilities() {
		if s.Capability(c) != CapabilityActive {
			out = append(out, c)
		}
	}
	return out
}

// CheckCanSell refuses, before any request, a seller that cannot take a
// card payment with its charge type: a needed capability that is not
// active (ErrCapability, naming it and its state), or charges disabled on
// a direct-charge seller (the payment would be its own).
func (s Seller) CheckCanSell() error {
	t := s.Charges.Type.Or()
	for _, c := range s.MissingCapabilities() {
		state := s.Capability(c)
		if state == "" {
			state = "not requested"
		}
		return invalid(ErrCapability, "%s needs the %s capability for %s charges, and it is %s", sellerLabel(s), c, t, state)
	}
	if t == ChargeDirect && !s.ChargesEnabled {
		return invalid(ErrCapability, "%s has charges disabled", sellerLabel(s))
	}
	return nil
}

func sellerLabel(s Seller) string {
	if s.DisplayName != "" && s.DisplayName != string(s.ID) {
		return s.DisplayName + " (" + string(s.ID) + ")"
	}
	return string(s.ID)
}

// Metadata keys Kasse writes on platform PaymentIntents so that a seller's
// sales can be found and attributed without the journal: the seller (as
// the seed's destination-charges note says, "identify the connected
// account using metadata") and the charge type.
const (
	MetaSeller     = "kasse_seller"
	MetaChargeType = "kasse_charge_type"
)

// TransferGroupOf is the transfer_group of a separate-charge sale:
// "kasse-<sale id>". The charge and the transfer carry it, so the
// transfer of a sale can be listed by it (GET /v1/transfers?transfer_group).
func TransferGroupOf(saleID string) string { return "kasse-" + saleID }

// ErrFeeRule and friends are the sentinels of charge-type checks.
var (
	ErrChargeType        = errors.New("invalid charge type")
	ErrFeeRule           = errors.New("invalid fee rule")
	ErrFeeCurrency       = errors.New("fee rule has no fixed fee in the currency")
	ErrCapability        = errors.New("seller lacks a capability")
	ErrTransferExceeds   = errors.New("transfer exceeds the charge")
	ErrReversalExceeds   = errors.New("reversal exceeds what was transferred")
	ErrPlatformReader    = errors.New("platform charges need a platform reader")
	ErrChargeNotResolved = errors.New("the payment's charge is not known")
)

// formatInt is strconv.FormatInt for base 10.
func formatInt(n int64) string { return strconv.FormatInt(n, 10) }
