package supervisor

import (
	"context"
	"errors"
	"fmt"

	"kasse/config"
	"kasse/journal"
)

// Demo operators.
//
// The embedded sandbox's demo comes with one operator per role, so that a
// new user can open every part of the console out of the box. Their PINs
// are DEMO DATA, published in the README and printed on the console's
// first screen in sandbox mode: they are not secrets, and they exist in
// sandbox mode only (the composition root adds them only when no API key
// is configured: config.Config.DemoOperators).
//
// A real PIN is a PIN: it never prints its digits, is kept only as a hash
// and is never known to Kasse after it was typed. A DemoPIN is a different
// type so that the one cannot be shown by mistake where the other may be:
// nothing converts a PIN into a DemoPIN, and once a demo operator's PIN was
// changed (kasse pin set) it is a real PIN and SeedDemoPINs no longer
// reports it.

// DemoPIN is a demo operator's published PIN. It prints as itself.
type DemoPIN string

// String returns the digits: a demo PIN is published demo data.
func (p DemoPIN) String() string { return string(p) }

// pin is the DemoPIN as a PIN, to hash or verify it.
func (p DemoPIN) pin() PIN { return PIN(p) }

// DemoOperator is an operator of the sandbox's demo and its demo PIN.
type DemoOperator struct {
	config.Operator
	// PIN is the demo PIN; "" in SeedDemoPINs' answer when the operator's
	// PIN was changed since (then it is a real PIN, never shown).
	PIN DemoPIN
}

// demoOperators are the sandbox demo's operators: cashier, supervisor
// (refunds, voids, captures, transactions, end of day) and tech (readers).
var demoOperators = []DemoOperator{
	{Operator: config.Operator{Name: "anna", Role: config.RoleCashier}, PIN: "3141"},
	{Operator: config.Operator{Name: "bea", Role: config.RoleSupervisor}, PIN: "2718"},
	{Operator: config.Operator{Name: "tom", Role: config.RoleTech}, PIN: "1618"},
}

// DemoOperators returns the sandbox demo's operators with their demo PINs.
func DemoOperators() []DemoOperator { return append([]DemoOperator(nil), demoOperators...) }

// SeedDemoPINs gives each demo operator that has no PIN in the journal its
// demo PIN (an argon2id hash like any other, audited as "pin.set" by
// "kasse" with "demo PIN"). The Guard's Operators must include them. With
// verify, it reports each demo operator with the PIN that opens now: the
// demo PIN, or "" when the operator's PIN was changed since; without
// verify (no PIN is checked, which costs a hash each) the PINs are as
// given.
func (g *Guard) SeedDemoPINs(ctx context.Context, demo []DemoOperator, verify bool) ([]DemoOperator, error) {
	out := make([]DemoOperator, 0, len(demo))
	for _, d := range demo {
		if o, ok := g.Operator(d.Name); !ok || o.Role != d.Role {
			return nil, fmt.Errorf("supervisor: demo operator %s is not configured as a %s", d.Name, d.Role) // i18n:ok a composition error, for the developer
		}
		hash, err := g.Journal.PinHash(ctx, d.Name)
		switch {
		case errors.Is(err, journal.ErrNotFound):
			if hash, err = HashPIN(d.PIN.pin()); err != nil {
				return nil, err
			}
			if err := g.Journal.SetPinHash(ctx, d.Name, hash, g.now()); err != nil {
				return nil, err
			}
			if err := g.audit(ctx, Attempt{Operator: "kasse", Subject: d.Name}, "pin.set", "operator="+d.Name+" demo PIN (sandbox)"); err != nil {
				return nil, err
			}
		case err != nil:
			return nil, err
		case verify:
			ok, err := VerifyPIN(d.PIN.pin(), hash)
			if err != nil || !ok {
				d.PIN = "" // changed: a real PIN now
			}
		}
		out = append(out, d)
	}
	return out, nil
}
