package sandbox

import (
	"strings"
	"testing"

	"github.com/stripe/stripe-go/v76"
)

func TestSeedNames(t *testing.T) {
	for _, name := range []string{"", "demo"} {
		s, err := New(Options{Seed: name})
		if err != nil {
			t.Fatalf("seed %q: %v", name, err)
		}
		if n := s.st.accounts.Len(); n != 6 { // the platform and five sellers
			t.Errorf("seed %q: %d accounts", name, n)
		}
	}
	s, err := New(Options{Seed: "none"})
	if err != nil || s.st.accounts.Len() != 1 || s.st.locations.Len() != 0 || s.st.readers.Len() != 0 {
		t.Fatalf("seed none: %v", err)
	}
	if !strings.HasPrefix(s.PlatformID(), "acct_") {
		t.Errorf("platform id %q", s.PlatformID())
	}
	_, err = New(Options{Seed: "demo-large"})
	if err == nil || !strings.Contains(err.Error(), `"demo-large"`) {
		t.Errorf("unknown seed: %v", err)
	}
}

func TestSeedDemoTerminal(t *testing.T) {
	e := newEnv(t, Options{Seed: "demo"})
	accts := demoAccounts(t, e)

	// Platform locations: one per selling seller, named after it.
	locs := map[string]*stripe.TerminalLocation{}
	it := e.sc.TerminalLocations.List(&stripe.TerminalLocationListParams{})
	for it.Next() {
		l := it.TerminalLocation()
		locs[l.DisplayName] = l
	}
	if it.Err() != nil {
		t.Fatal(it.Err())
	}
	for _, name := range []string{"Lumen Coffee Roasters", "Bäckerei Sonnenkorn", "Sakura Ramen Shinjuku"} {
		l := locs[name]
		if l == nil {
			t.Errorf("no platform location for %s (have %v)", name, locs)
			continue
		}
		if l.Address.Country != accts[name].Country || l.Address.Line1 == "" || l.Address.PostalCode == "" || l.Address.City == "" {
			t.Errorf("%s address %+v", name, l.Address)
		}
		// Tied to its seller explicitly: Kasse finds it by this key even
		// when the name is not the seller's display name (Bäckerei
		// Sonnenkorn is "Sonnenkorn").
		if got := l.Metadata["kasse_seller"]; got != accts[name].ID {
			t.Errorf("%s metadata kasse_seller = %q, want %s", name, got, accts[name].ID)
		}
	}
	if len(locs) != 3 {
		t.Errorf("platform has %d locations", len(locs))
	}

	// Platform readers: one simulated WisePOS E per platform location.
	rit := e.sc.TerminalReaders.List(&stripe.TerminalReaderListParams{})
	seen := map[string]bool{}
	for rit.Next() {
		r := rit.TerminalReader()
		if r.DeviceType != "simulated_wisepos_e" || r.Label != "Counter 1" || r.Status != "online" || r.Location == nil {
			t.Errorf("reader %+v", r)
			continue
		}
		seen[r.Location.ID] = true
	}
	if rit.Err() != nil || len(seen) != 3 {
		t.Errorf("platform readers cover %d locations (%v)", len(seen), rit.Err())
	}

	// Northwind owns its location and reader.
	nw := accts["Northwind Bikes"].ID
	lp := &stripe.TerminalLocationListParams{}
	lp.SetStripeAccount(nw)
	it = e.sc.TerminalLocations.List(lp)
	var own []*stripe.TerminalLocation
	for it.Next() {
		own = append(own, it.TerminalLocation())
	}
	if len(own) != 1 || own[0].DisplayName != "Northwind Bikes" || own[0].Address.State != "CO" {
		t.Fatalf("Northwind locations %v %v", own, it.Err())
	}
	rp := &stripe.TerminalReaderListParams{}
	rp.SetStripeAccount(nw)
	rit = e.sc.TerminalReaders.List(rp)
	n := 0
	for rit.Next() {
		n++
		if rit.TerminalReader().Location.ID != own[0].ID {
			t.Errorf("Northwind reader at %v", rit.TerminalReader().Location)
		}
	}
	if n != 1 {
		t.Errorf("Northwind has %d readers", n)
	}
	// Sellers without their own hardware have none on their account.
	lp = &stripe.TerminalLocationListParams{}
	lp.SetStripeAccount(accts["Lumen Coffee Roasters"].ID)
	it = e.sc.TerminalLocations.List(lp)
	if it.Next() {
		t.Errorf("Lumen owns a location: %v", it.TerminalLocation())
	}
}

// The demo's addresses are ones the location API itself accepts.
func TestSeedAddressesAreValid(t *testing.T) {
	e := newEnv(t, Options{})
	for _, sp := range demoSellers {
		a := sp.addr
		p := &stripe.TerminalLocationParams{DisplayName: stripe.String(sp.name), Address: &stripe.AddressParams{
			Line1: stripe.String(a.line1), City: stripe.String(a.city), PostalCode: stripe.String(a.postalCode),
			Country: stripe.String(a.country)}}
		if a.state != "" {
			p.Address.State = stripe.String(a.state)
		}
		if _, err := e.sc.TerminalLocations.New(p); err != nil {
			t.Errorf("%s: %v", sp.name, err)
		}
	}
}
