package pos

import (
	"errors"
	"fmt"
)

// ValidationError is a local, pre-request failure: bad input typed by the
// cashier or a rule Kasse checks before talking to Stripe. Its message is
// meant to be shown as is; Err is a sentinel for errors.Is.
type ValidationError struct {
	Err error  // one of the Err… sentinels below
	Msg string // specific, human message
}

// Error returns the message.
func (e *ValidationError) Error() string { return e.Msg }

// Unwrap returns the sentinel so errors.Is(err, ErrAmountSyntax) works.
func (e *ValidationError) Unwrap() error { return e.Err }

func invalid(sentinel error, format string, args ...any) error {
	return &ValidationError{Err: sentinel, Msg: fmt.Sprintf(format, args...)}
}

// Sentinels for money and amounts.
var (
	ErrCurrency           = errors.New("invalid currency")
	ErrAmountEmpty        = errors.New("empty amount")
	ErrAmountNegative     = errors.New("negative amount")
	ErrAmountSyntax       = errors.New("malformed amount")
	ErrAmountPrecision    = errors.New("too many decimals for the currency")
	ErrAmountTooLarge     = errors.New("amount above Stripe's maximum")
	ErrAmountBelowMinimum = errors.New("amount below the currency's minimum charge")
)

// Sentinels for the cart.
var (
	ErrLineDescription = errors.New("invalid line description")
	ErrLineQuantity    = errors.New("invalid line quantity")
	ErrLinePrice       = errors.New("invalid line price")
	ErrLineIndex       = errors.New("no such cart line")
	ErrCartEmpty       = errors.New("empty cart")
	ErrCartFull        = errors.New("too many cart lines")
	ErrTaxRate         = errors.New("invalid tax rate")
)

// Sentinels for sales and refunds.
var (
	ErrSaleConfig     = errors.New("invalid sale")
	ErrRefundConfig   = errors.New("invalid refund")
	ErrRefundExceeds  = errors.New("refund exceeds the refundable amount")
	ErrNothingRefund  = errors.New("nothing left to refund")
	ErrUncaptured     = errors.New("payment not captured")
	ErrNotRefundable  = errors.New("payment not refundable")
	ErrRefundReason   = errors.New("invalid refund reason")
	ErrApplicationFee = errors.New("invalid application fee")
)
