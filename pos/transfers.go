package pos

import (
	"context"
	"time"
)

// Connect money movements on the platform (no Stripe-Account): the
// transfers that pay sellers, their reversals, and the application fees
// the platform collected.

// Transfer is a transfer from the platform to a connected account.
type Transfer struct {
	ID             string
	Amount         int64
	AmountReversed int64
	Currency       string
	Destination    Account
	// DestinationPayment is the payment (py_…) the seller received, on the
	// seller's account.
	DestinationPayment string
	SourceCharge       string // source_transaction: the charge that funds it
	Group              string // transfer_group
	Reversed           bool
	Metadata           map[string]string
	Reversals          []TransferReversal // oldest first
	Created            time.Time
	RequestID          string
}

// Unreversed is what can still be reversed.
func (t Transfer) Unreversed() int64 { return max(t.Amount-t.AmountReversed, 0) }

// TransferReversal is (part of) a transfer taken back from the seller.
type TransferReversal struct {
	ID         string
	TransferID string
	Amount     int64
	Currency   string
	// SourceRefund is the refund that reversed it (reverse_transfer), ""
	// for a reversal made on its own.
	SourceRefund string
	Metadata     map[string]string
	Created      time.Time
	RequestID    string
}

// ApplicationFee is a fee the platform collected from a seller's payment.
type ApplicationFee struct {
	ID      string
	Account Account // the seller it was taken from
	// ChargeID is the charge the fee was taken from, on the seller's
	// account: the direct charge, or a destination charge's payment to the
	// seller (py_…). OriginatingCharge is the destination charge on the
	// platform ("" for a direct charge).
	ChargeID          string
	OriginatingCharge string
	Amount            int64
	AmountRefunded    int64
	Currency          string
	Refunds           []FeeRefund // oldest first
	Created           time.Time
}

// FeeRefund is (part of) an application fee given back to the seller.
type FeeRefund struct {
	ID       string
	FeeID    string
	Amount   int64
	Currency string
	Created  time.Time
}

// TransferRequest describes a transfer to a seller.
type TransferRequest struct {
	Amount      int64
	Currency    string
	Destination Account
	Group       string // transfer_group
	// SourceCharge ties the transfer to the charge that funds it
	// (source_transaction): it may not exceed what that charge holds.
	SourceCharge string
	Description  string
	Metadata     map[string]string
}

// ReversalRequest describes a reversal of (part of) a transfer.
type ReversalRequest struct {
	Amount   int64
	Metadata map[string]string
}

// TransferFilter narrows ListTransfers.
type TransferFilter struct {
	Group                  string  // transfer_group
	Destination            Account // "" = every seller
	CreatedFrom, CreatedTo int64   // unix seconds, inclusive; 0 = open
	Limit                  int     // 0 = adapter default
}

// FeeFilter narrows ListApplicationFees.
type FeeFilter struct {
	ChargeID               string
	CreatedFrom, CreatedTo int64 // unix seconds, inclusive; 0 = open
	Limit                  int   // 0 = adapter default
}

// Transfers is the platform's side of Connect: transfers to sellers, their
// reversals, application fees. Every call is a platform call (no
// Stripe-Account); mutating ones take the caller's recorded idempotency
// key, as every port.
type Transfers interface {
	CreateTransfer(ctx context.Context, req TransferRequest, idemKey string) (Transfer, error)
	GetTransfer(ctx context.Context, id string) (Transfer, error)
	// ListTransfers lists the platform's transfers in f, newest first, each
	// with its reversals.
	ListTransfers(ctx context.Context, f TransferFilter) ([]Transfer, error)
	ReverseTransfer(ctx context.Context, transferID string, req ReversalRequest, idemKey string) (TransferReversal, error)
	GetApplicationFee(ctx context.Context, id string) (ApplicationFee, error)
	// ListApplicationFees lists the fees the platform collected in f,
	// newest first, each with its refunds.
	ListApplicationFees(ctx context.Context, f FeeFilter) ([]ApplicationFee, error)
}
