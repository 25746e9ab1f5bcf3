package app

import (
	"context"

	"kasse/config"
	"kasse/pos"
)

// Sellers is the Sellers port every command and the console read sellers
// through: Stripe's connected accounts, each with the charge setup the
// configuration gives it ([[sellers]]: charge type, fee rule, refund
// policy; pos.Seller.Charges).
func (a *App) Sellers() pos.Sellers { return ConfiguredSellers(a.Client, a.Config) }

// ConfiguredSellers wraps next so that every seller it returns carries
// cfg's charge setup for it.
func ConfiguredSellers(next pos.Sellers, cfg *config.Config) pos.Sellers {
	return configuredSellers{next: next, cfg: cfg}
}

type configuredSellers struct {
	next pos.Sellers
	cfg  *config.Config
}

func (c configuredSellers) ListSellers(ctx context.Context) ([]pos.Seller, error) {
	list, err := c.next.ListSellers(ctx)
	for i := range list {
		list[i].Charges = c.cfg.ChargeSetup(list[i])
	}
	return list, err
}

func (c configuredSellers) GetSeller(ctx context.Context, id pos.Account) (pos.Seller, error) {
	s, err := c.next.GetSeller(ctx, id)
	if err == nil {
		s.Charges = c.cfg.ChargeSetup(s)
	}
	return s, err
}
