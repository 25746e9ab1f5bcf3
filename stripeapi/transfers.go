package stripeapi

import (
	"context"
	"strings"

	"github.com/stripe/stripe-go/v76"

	"kasse/pos"
)

// The Connect money movements (pos.Transfers): transfers, their reversals
// and application fees. All are platform calls: no Stripe-Account.

// defaultTransferLimit is how many transfers or fees a listing returns when
// the filter names no limit.
const defaultTransferLimit = 100

// connectFields sets a CreateIntentRequest's Connect fields on p: a
// destination charge's transfer_data[destination] and on_behalf_of, a
// separate charge's transfer_group. Both live on the platform: a request
// that names them for a seller's account is a programming error.
func connectFields(p *stripe.PaymentIntentParams, acct pos.Account, req pos.CreateIntentRequest) error {
	if req.TransferDestination == "" && req.OnBehalfOf == "" && req.TransferGroup == "" {
		return nil
	}
	if !acct.IsPlatform() {
		return usageError("transfer_data", "a destination or separate charge is created on the platform, not on "+quote(string(acct)))
	}
	for _, a := range []pos.Account{req.TransferDestination, req.OnBehalfOf} {
		if a != "" {
			if err := checkAccount(a); err != nil || a.IsPlatform() {
				return usageError("transfer_data", "not a connected account: "+quote(string(a)))
			}
		}
	}
	if req.TransferDestination != "" {
		p.TransferData = &stripe.PaymentIntentTransferDataParams{Destination: stripe.String(string(req.TransferDestination))}
	}
	p.OnBehalfOf = optString(string(req.OnBehalfOf))
	p.TransferGroup = optString(req.TransferGroup)
	return nil
}

// CreateTransfer transfers req.Amount to req.Destination (POST
// /v1/transfers).
func (c *Client) CreateTransfer(ctx context.Context, req pos.TransferRequest, idemKey string) (pos.Transfer, error) {
	if req.Amount <= 0 {
		return pos.Transfer{}, usageError("amount", "amount must be positive")
	}
	if req.Destination.IsPlatform() {
		return pos.Transfer{}, usageError("destination", "a transfer needs a connected account")
	}
	if err := checkAccount(req.Destination); err != nil {
		return pos.Transfer{}, err
	}
	p := &stripe.TransferParams{
		Amount:            stripe.Int64(req.Amount),
		Currency:          stripe.String(strings.ToLower(req.Currency)),
		Destination:       stripe.String(string(req.Destination)),
		TransferGroup:     optString(req.Group),
		SourceTransaction: optString(req.SourceCharge),
		Description:       optString(req.Description),
	}
	for k, v := range req.Metadata {
		p.AddMetadata(k, v)
	}
	if err := write(ctx, &p.Params, pos.Platform, idemKey); err != nil {
		return pos.Transfer{}, err
	}
	t, err := c.api.Transfers.New(p)
	if err != nil {
		return pos.Transfer{}, c.toError(err)
	}
	return toTransfer(t), nil
}

// GetTransfer reads a transfer with its reversals.
func (c *Client) GetTransfer(ctx context.Context, id string) (pos.Transfer, error) {
	if err := checkID("transfer", id); err != nil {
		return pos.Transfer{}, err
	}
	p := &stripe.TransferParams{}
	if err := read(ctx, &p.Params, pos.Platform); err != nil {
		return pos.Transfer{}, err
	}
	t, err := c.api.Transfers.Get(id, p)
	if err != nil {
		return pos.Transfer{}, c.toError(err)
	}
	return toTransfer(t), nil
}

// ListTransfers lists the platform's transfers in f, newest first, up to
// f.Limit (default 100), following pages as needed.
func (c *Client) ListTransfers(ctx context.Context, f pos.TransferFilter) ([]pos.Transfer, error) {
	limit := orDefault(f.Limit, defaultTransferLimit)
	p := &stripe.TransferListParams{TransferGroup: optString(f.Group), Destination: optString(string(f.Destination))}
	p.CreatedRange = createdRange(f.CreatedFrom, f.CreatedTo)
	if err := list(ctx, &p.ListParams, pos.Platform, limit); err != nil {
		return nil, err
	}
	it := c.api.Transfers.List(p)
	var out []pos.Transfer
	for len(out) < limit && it.Next() {
		t := toTransfer(it.Transfer())
		t.RequestID = requestID(it.TransferList().APIResource)
		out = append(out, t)
	}
	if err := it.Err(); err != nil {
		return nil, c.toError(err)
	}
	return out, nil
}

// ReverseTransfer reverses req.Amount of a transfer (POST
// /v1/transfers/{id}/reversals).
func (c *Client) ReverseTransfer(ctx context.Context, transferID string, req pos.ReversalRequest, idemKey string) (pos.TransferReversal, error) {
	if err := checkID("transfer", transferID); err != nil {
		return pos.TransferReversal{}, err
	}
	if req.Amount <= 0 {
		return pos.TransferReversal{}, usageError("amount", "amount must be positive")
	}
	p := &stripe.TransferReversalParams{ID: stripe.String(transferID), Amount: stripe.Int64(req.Amount)}
	for k, v := range req.Metadata {
		p.AddMetadata(k, v)
	}
	if err := write(ctx, &p.Params, pos.Platform, idemKey); err != nil {
		return pos.TransferReversal{}, err
	}
	r, err := c.api.TransferReversals.New(p)
	if err != nil {
		return pos.TransferReversal{}, c.toError(err)
	}
	out := toReversal(r)
	out.RequestID = requestID(r.APIResource)
	return out, nil
}

// GetApplicationFee reads an application fee with its refunds.
func (c *Client) GetApplicationFee(ctx context.Context, id string) (pos.ApplicationFee, error) {
	if err := checkID("application_fee", id); err != nil {
		return pos.ApplicationFee{}, err
	}
	p := &stripe.ApplicationFeeParams{}
	if err := read(ctx, &p.Params, pos.Platform); err != nil {
		return pos.ApplicationFee{}, err
	}
	f, err := c.api.ApplicationFees.Get(id, p)
	if err != nil {
		return pos.ApplicationFee{}, c.toError(err)
	}
	return toFee(f), nil
}

// ListApplicationFees lists the fees the platform collected in f, newest
// first, up to f.Limit (default 100), following pages as needed.
func (c *Client) ListApplicationFees(ctx context.Context, f pos.FeeFilter) ([]pos.ApplicationFee, error) {
	limit := orDefault(f.Limit, defaultTransferLimit)
	p := &stripe.ApplicationFeeListParams{Charge: optString(f.ChargeID)}
	p.CreatedRange = createdRange(f.CreatedFrom, f.CreatedTo)
	if err := list(ctx, &p.ListParams, pos.Platform, limit); err != nil {
		return nil, err
	}
	it := c.api.ApplicationFees.List(p)
	var out []pos.ApplicationFee
	for len(out) < limit && it.Next() {
		out = append(out, toFee(it.ApplicationFee()))
	}
	if err := it.Err(); err != nil {
		return nil, c.toError(err)
	}
	return out, nil
}

func toTransfer(t *stripe.Transfer) pos.Transfer {
	out := pos.Transfer{ID: t.ID, Amount: t.Amount, AmountReversed: t.AmountReversed, Currency: string(t.Currency),
		Group: t.TransferGroup, Reversed: t.Reversed, Metadata: t.Metadata, Created: unix(t.Created), RequestID: requestID(t.APIResource)}
	if t.Destination != nil {
		out.Destination = pos.Account(t.Destination.ID)
	}
	if t.DestinationPayment != nil {
		out.DestinationPayment = t.DestinationPayment.ID
	}
	if t.SourceTransaction != nil {
		out.SourceCharge = t.SourceTransaction.ID
	}
	if t.Reversals != nil {
		for i := len(t.Reversals.Data) - 1; i >= 0; i-- { // Stripe lists newest first
			out.Reversals = append(out.Reversals, toReversal(t.Reversals.Data[i]))
		}
	}
	return out
}

func toReversal(r *stripe.TransferReversal) pos.TransferReversal {
	out := pos.TransferReversal{ID: r.ID, Amount: r.Amount, Currency: string(r.Currency), Metadata: r.Metadata, Created: unix(r.Created)}
	if r.Transfer != nil {
		out.TransferID = r.Transfer.ID
	}
	if r.SourceRefund != nil {
		out.SourceRefund = r.SourceRefund.ID
	}
	return out
}

func toFee(f *stripe.ApplicationFee) pos.ApplicationFee {
	out := pos.ApplicationFee{ID: f.ID, Amount: f.Amount, AmountRefunded: f.AmountRefunded, Currency: string(f.Currency),
		Created: unix(f.Created)}
	if f.Account != nil {
		out.Account = pos.Account(f.Account.ID)
	}
	if f.Charge != nil {
		out.ChargeID = f.Charge.ID
	}
	if f.OriginatingTransaction != nil {
		out.OriginatingCharge = f.OriginatingTransaction.ID
	}
	if f.Refunds != nil {
		for i := len(f.Refunds.Data) - 1; i >= 0; i-- { // newest first on the wire
			r := f.Refunds.Data[i]
			fr := pos.FeeRefund{ID: r.ID, FeeID: f.ID, Amount: r.Amount, Currency: string(r.Currency), Created: unix(r.Created)}
			out.Refunds = append(out.Refunds, fr)
		}
	}
	return out
}
