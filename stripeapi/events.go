package stripeapi

import (
	"context"

	"github.com/stripe/stripe-go/v76"

	"kasse/pos"
)

// defaultEventLimit is how many events ListEvents returns for limit <= 0.
const defaultEventLimit = 100

// ListEvents lists the newest events of an account, newest first. typ
// filters by type ("" for all; Stripe accepts a wildcard such as
// "payment_intent.*"). Events of a connected account are listed with its
// Stripe-Account; the platform's own (platform-owned readers) with
// pos.Platform.
func (c *Client) ListEvents(ctx context.Context, account pos.Account, typ string, limit int) ([]pos.Event, error) {
	if limit <= 0 {
		limit = defaultEventLimit
	}
	p := &stripe.EventListParams{Type: optString(typ)}
	if err := list(ctx, &p.ListParams, account, limit); err != nil {
		return nil, err
	}
	it := c.api.Events.List(p)
	var out []pos.Event
	for len(out) < limit && it.Next() {
		out = append(out, toEvent(it.Event(), account))
	}
	if err := it.Err(); err != nil {
		return nil, c.toError(err)
	}
	return out, nil
}
