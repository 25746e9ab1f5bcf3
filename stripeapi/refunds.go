package stripeapi

import (
	"context"

	"github.com/stripe/stripe-go/v76"

	"kasse/pos"
)

// CreateRefund refunds (part of) a PaymentIntent's charge on the seller.
// Amount 0 refunds the whole remainder.
func (c *Client) CreateRefund(ctx context.Context, seller pos.Account, req pos.RefundRequest, idemKey string) (pos.Refund, error) {
	if err := checkID("payment_intent", req.IntentID); err != nil {
		return pos.Refund{}, err
	}
	if req.Amount < 0 {
		return pos.Refund{}, usageError("amount", "amount must not be negative")
	}
	p := &stripe.RefundParams{
		PaymentIntent: stripe.String(req.IntentID),
		Amount:        optInt64(req.Amount),
		Reason:        optString(req.Reason),
	}
	if req.RefundApplicationFee {
		p.RefundApplicationFee = stripe.Bool(true)
	}
	if req.ReverseTransfer {
		p.ReverseTransfer = stripe.Bool(true)
	}
	for k, v := range req.Metadata {
		p.AddMetadata(k, v)
	}
	if err := write(ctx, &p.Params, seller, idemKey); err != nil {
		return pos.Refund{}, err
	}
	r, err := c.api.Refunds.New(p)
	if err != nil {
		return pos.Refund{}, c.toError(err)
	}
	return toRefund(r, seller), nil
}

// ListRefunds lists all refunds of a PaymentIntent on the seller.
func (c *Client) ListRefunds(ctx context.Context, seller pos.Account, intentID string) ([]pos.Refund, error) {
	if err := checkID("payment_intent", intentID); err != nil {
		return nil, err
	}
	p := &stripe.RefundListParams{PaymentIntent: stripe.String(intentID)}
	if err := list(ctx, &p.ListParams, seller, 100); err != nil {
		return nil, err
	}
	it := c.api.Refunds.List(p)
	var out []pos.Refund
	for it.Next() {
		r := toRefund(it.Refund(), seller)
		r.RequestID = requestID(it.RefundList().APIResource)
		out = append(out, r)
	}
	if err := it.Err(); err != nil {
		return nil, c.toError(err)
	}
	return out, nil
}

// defaultRefundLimit is how many refunds ListRefundsCreated returns when
// the filter sets no limit.
const defaultRefundLimit = 100

// ListRefundsCreated lists the seller's refunds created in f's range,
// newest first, up to f.Limit (default 100), following pages as needed.
func (c *Client) ListRefundsCreated(ctx context.Context, seller pos.Account, f pos.RefundFilter) ([]pos.Refund, error) {
	limit := orDefault(f.Limit, defaultRefundLimit)
	p := &stripe.RefundListParams{}
	p.CreatedRange = createdRange(f.CreatedFrom, f.CreatedTo)
	if err := list(ctx, &p.ListParams, seller, limit); err != nil {
		return nil, err
	}
	it := c.api.Refunds.List(p)
	var out []pos.Refund
	for len(out) < limit && it.Next() {
		r := toRefund(it.Refund(), seller)
		r.RequestID = requestID(it.RefundList().APIResource)
		out = append(out, r)
	}
	if err := it.Err(); err != nil {
		return nil, c.toError(err)
	}
	return out, nil
}
