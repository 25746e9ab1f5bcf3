package stripeapi

import (
	"context"

	"github.com/stripe/stripe-go/v76"

	"kasse/pos"
)

// ListLocations lists the owner's Terminal locations.
func (c *Client) ListLocations(ctx context.Context, owner pos.Account) ([]pos.Location, error) {
	p := &stripe.TerminalLocationListParams{}
	if err := list(ctx, &p.ListParams, owner, 100); err != nil {
		return nil, err
	}
	it := c.api.TerminalLocations.List(p)
	var out []pos.Location
	for it.Next() {
		out = append(out, toLocation(it.TerminalLocation(), owner))
	}
	if err := it.Err(); err != nil {
		return nil, c.toError(err)
	}
	return out, nil
}

// CreateLocation creates a Terminal location on the owner.
func (c *Client) CreateLocation(ctx context.Context, owner pos.Account, req pos.LocationRequest, idemKey string) (pos.Location, error) {
	if req.DisplayName == "" {
		return pos.Location{}, usageError("display_name", "display name is empty")
	}
	if req.Address.Country == "" {
		return pos.Location{}, usageError("address[country]", "address country is empty")
	}
	a := req.Address
	p := &stripe.TerminalLocationParams{
		DisplayName: stripe.String(req.DisplayName),
		Address: &stripe.AddressParams{
			Line1:      optString(a.Line1),
			Line2:      optString(a.Line2),
			City:       optString(a.City),
			State:      optString(a.State),
			PostalCode: optString(a.PostalCode),
			Country:    stripe.String(a.Country),
		},
	}
	for k, v := range req.Metadata {
		p.AddMetadata(k, v)
	}
	if err := write(ctx, &p.Params, owner, idemKey); err != nil {
		return pos.Location{}, err
	}
	l, err := c.api.TerminalLocations.New(p)
	if err != nil {
		return pos.Location{}, c.toError(err)
	}
	return toLocation(l, owner), nil
}

// DeleteLocation deletes a Terminal location of the owner.
func (c *Client) DeleteLocation(ctx context.Context, owner pos.Account, id string) error {
	if err := checkID("location", id); err != nil {
		return err
	}
	p := &stripe.TerminalLocationParams{}
	if err := read(ctx, &p.Params, owner); err != nil {
		return err
	}
	_, err := c.api.TerminalLocations.Del(id, p)
	return c.toError(err)
}
