package stripeapi

import (
	"context"

	"github.com/stripe/stripe-go/v76"

	"kasse/pos"
)

// ListSellers lists every account connected to the platform (GET
// /v1/accounts, a platform call: no Stripe-Account), 100 per page.
func (c *Client) ListSellers(ctx context.Context) ([]pos.Seller, error) {
	p := &stripe.AccountListParams{}
	if err := list(ctx, &p.ListParams, pos.Platform, 100); err != nil {
		return nil, err
	}
	it := c.api.Accounts.List(p)
	var out []pos.Seller
	for it.Next() {
		out = append(out, toSeller(it.Account()))
	}
	if err := it.Err(); err != nil {
		return nil, c.toError(err)
	}
	return out, nil
}

// GetSeller reads one connected account (GET /v1/accounts/{id}, a platform
// call).
func (c *Client) GetSeller(ctx context.Context, id pos.Account) (pos.Seller, error) {
	if id.IsPlatform() {
		return pos.Seller{}, usageError("account", "GetSeller needs a connected account id, got the platform")
	}
	if err := checkAccount(id); err != nil {
		return pos.Seller{}, err
	}
	p := &stripe.AccountParams{}
	if err := read(ctx, &p.Params, pos.Platform); err != nil {
		return pos.Seller{}, err
	}
	a, err := c.api.Accounts.GetByID(string(id), p)
	if err != nil {
		return pos.Seller{}, c.toError(err)
	}
	return toSeller(a), nil
}
