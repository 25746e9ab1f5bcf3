package sandbox

import (
	"strings"
	"testing"

	"github.com/stripe/stripe-go/v76"
)

func TestLocationLifecycle(t *testing.T) {
	e := newEnv(t, Options{})
	p := &stripe.TerminalLocationParams{DisplayName: stripe.String("Main St"), Address: termUSAddress()}
	p.AddMetadata("store", "1")
	l, err := e.sc.TerminalLocations.New(p)
	if err != nil {
		t.Fatal(err)
	}
	if l.Object != "terminal.location" || l.DisplayName != "Main St" || l.Address.Country != "US" ||
		l.Address.State != "CA" || l.Address.Line2 != "" || l.Metadata["store"] != "1" || l.Livemode {
		t.Fatalf("created location: %+v %+v", l, l.Address)
	}

	got, err := e.sc.TerminalLocations.Get(l.ID, nil)
	if err != nil || got.ID != l.ID || got.Address.PostalCode != "94105" {
		t.Fatalf("get: %v %+v", err, got)
	}

	up := &stripe.TerminalLocationParams{DisplayName: stripe.String("Main Street"),
		Address: &stripe.AddressParams{Line1: stripe.String("2 Market St")}}
	up.AddMetadata("store", "")
	up.AddMetadata("zone", "north")
	got, err = e.sc.TerminalLocations.Update(l.ID, up)
	if err != nil {
		t.Fatal(err)
	}
	if got.DisplayName != "Main Street" || got.Address.Line1 != "2 Market St" || got.Address.City != "San Francisco" ||
		len(got.Metadata) != 1 || got.Metadata["zone"] != "north" {
		t.Fatalf("updated: %+v %+v", got, got.Address)
	}

	// The country of a location cannot change.
	_, err = e.sc.TerminalLocations.Update(l.ID, &stripe.TerminalLocationParams{
		Address: &stripe.AddressParams{Country: stripe.String("CA")}})
	termWantErr(t, err, 400, "parameter_invalid", "address[country]", "cannot change the country")

	del, err := e.sc.TerminalLocations.Del(l.ID, &stripe.TerminalLocationParams{})
	if err != nil || !del.Deleted || del.ID != l.ID {
		t.Fatalf("delete: %v %+v", err, del)
	}
	got, err = e.sc.TerminalLocations.Get(l.ID, nil)
	if err != nil || !got.Deleted {
		t.Fatalf("get after delete: want the deleted stub, got %v %+v", err, got)
	}
	_, err = e.sc.TerminalLocations.Update(l.ID, &stripe.TerminalLocationParams{DisplayName: stripe.String("x")})
	termWantErr(t, err, 404, "resource_missing", "location", "No such terminal.location: '"+l.ID+"'")
	_, err = e.sc.TerminalLocations.Del(l.ID, &stripe.TerminalLocationParams{})
	termWantErr(t, err, 404, "resource_missing", "location", "No such terminal.location")

	it := e.sc.TerminalLocations.List(&stripe.TerminalLocationListParams{})
	for it.Next() {
		t.Fatalf("deleted location listed: %s", it.TerminalLocation().ID)
	}
}

func TestLocationAddressRules(t *testing.T) {
	e := newEnv(t, Options{})
	addr := func(country, line1, city, state, postal string) *stripe.AddressParams {
		a := &stripe.AddressParams{Country: stripe.String(country)}
		if line1 != "" {
			a.Line1 = stripe.String(line1)
		}
		if city != "" {
			a.City = stripe.String(city)
		}
		if state != "" {
			a.State = stripe.String(state)
		}
		if postal != "" {
			a.PostalCode = stripe.String(postal)
		}
		return a
	}
	cases := []struct {
		name    string
		addr    *stripe.AddressParams
		missing string // "" = created
	}{
		{"US without state", addr("US", "1 Main", "Austin", "", "73301"), "address[state]"},
		{"US without postal code", addr("US", "1 Main", "Austin", "TX", ""), "address[postal_code]"},
		{"CA complete", addr("CA", "1 Main", "Toronto", "ON", "M5H 2N2"), ""},
		{"AU without city", addr("AU", "1 George St", "", "NSW", "2000"), "address[city]"},
		{"GB needs no state", addr("GB", "1 High St", "London", "", "SW1A 1AA"), ""},
		{"GB without city", addr("GB", "1 High St", "", "", "SW1A 1AA"), "address[city]"},
		{"DE without line1", addr("DE", "", "Berlin", "", "10115"), "address[line1]"},
		{"NZ complete", addr("NZ", "1 Queen St", "Auckland", "", "1010"), ""},
		{"IE needs no city", addr("IE", "1 Grafton St", "", "", "D02 X285"), ""},
		{"SG without postal code", addr("SG", "1 Raffles Pl", "", "", ""), "address[postal_code]"},
		{"lower-case country", addr("fr", "1 rue de Rivoli", "Paris", "", "75001"), ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l, err := e.sc.TerminalLocations.New(&stripe.TerminalLocationParams{DisplayName: stripe.String(c.name), Address: c.addr})
			if c.missing == "" {
				if err != nil {
					t.Fatal(err)
				}
				if l.Address.Country != strings.ToUpper(strings.TrimSpace(*c.addr.Country)) {
					t.Fatalf("country %q", l.Address.Country)
				}
				return
			}
			termWantErr(t, err, 400, "parameter_missing", c.missing, "Missing required param: "+c.missing)
		})
	}

	_, err := e.sc.TerminalLocations.New(&stripe.TerminalLocationParams{DisplayName: stripe.String("x"), Address: addr("ZZ", "1", "c", "s", "p")})
	termWantErr(t, err, 400, "parameter_invalid", "address[country]", "Country 'ZZ' is unknown")

	p := &stripe.TerminalLocationParams{Address: termUSAddress()}
	termSkipMock(&p.Params)
	_, err = e.sc.TerminalLocations.New(p)
	termWantErr(t, err, 400, "parameter_missing", "display_name", "Missing required param: display_name.")

	p = &stripe.TerminalLocationParams{DisplayName: stripe.String("x")}
	termSkipMock(&p.Params)
	_, err = e.sc.TerminalLocations.New(p)
	termWantErr(t, err, 400, "parameter_missing", "address", "")

	p = &stripe.TerminalLocationParams{DisplayName: stripe.String("x"), Address: &stripe.AddressParams{Line1: stripe.String("1")}}
	termSkipMock(&p.Params)
	_, err = e.sc.TerminalLocations.New(p)
	termWantErr(t, err, 400, "parameter_missing", "address[country]", "")

	long := make([]byte, 1001)
	for i := range long {
		long[i] = 'a'
	}
	p = &stripe.TerminalLocationParams{DisplayName: stripe.String(string(long)), Address: termUSAddress()}
	termSkipMock(&p.Params)
	_, err = e.sc.TerminalLocations.New(p)
	termWantErr(t, err, 400, "parameter_invalid", "display_name", "at most 1000 characters")
}

func TestLocationAccountScoping(t *testing.T) {
	e := newEnv(t, Options{})
	seller := e.tSeller("acct_1SellerLocA0001")
	platformLoc := e.tLocation("", "Platform store")
	sellerLoc := e.tLocation(seller, "Seller store")

	_, err := e.sc.TerminalLocations.Get(sellerLoc.ID, nil)
	termWantErr(t, err, 404, "resource_missing", "location", "No such terminal.location: '"+sellerLoc.ID+"'")
	gp := &stripe.TerminalLocationParams{}
	gp.SetStripeAccount(seller)
	_, err = e.sc.TerminalLocations.Get(platformLoc.ID, gp)
	termWantErr(t, err, 404, "resource_missing", "location", "No such terminal.location: '"+platformLoc.ID+"'")
	got, err := e.sc.TerminalLocations.Get(sellerLoc.ID, gp)
	if err != nil || got.DisplayName != "Seller store" {
		t.Fatalf("seller get: %v %+v", err, got)
	}

	// Lists are per account.
	lp := &stripe.TerminalLocationListParams{}
	lp.SetStripeAccount(seller)
	var ids []string
	it := e.sc.TerminalLocations.List(lp)
	for it.Next() {
		ids = append(ids, it.TerminalLocation().ID)
	}
	if it.Err() != nil || len(ids) != 1 || ids[0] != sellerLoc.ID {
		t.Fatalf("seller list: %v %v", it.Err(), ids)
	}
}

func TestLocationListPagination(t *testing.T) {
	e := newEnv(t, Options{})
	var made []string
	for _, n := range []string{"A", "B", "C"} {
		made = append(made, e.tLocation("", n).ID)
	}
	lp := &stripe.TerminalLocationListParams{}
	lp.Limit = stripe.Int64(2)
	lp.Single = true
	it := e.sc.TerminalLocations.List(lp)
	var page []string
	for it.Next() {
		page = append(page, it.TerminalLocation().ID)
	}
	if len(page) != 2 || page[0] != made[2] || page[1] != made[1] || !it.TerminalLocationList().HasMore {
		t.Fatalf("first page (newest first): %v has_more=%v", page, it.TerminalLocationList().HasMore)
	}
	lp.StartingAfter = stripe.String(made[1])
	it = e.sc.TerminalLocations.List(lp)
	page = nil
	for it.Next() {
		page = append(page, it.TerminalLocation().ID)
	}
	if len(page) != 1 || page[0] != made[0] || it.TerminalLocationList().HasMore {
		t.Fatalf("second page: %v", page)
	}
}

func TestLocationDeleteWithReadersRefused(t *testing.T) {
	e := newEnv(t, Options{})
	r := e.tReader("")
	_, err := e.sc.TerminalLocations.Del(r.Location.ID, &stripe.TerminalLocationParams{})
	termWantErr(t, err, 400, "", "", "still has 1 reader(s) registered to it ("+r.ID+")")
	if _, err := e.sc.TerminalReaders.Del(r.ID, &stripe.TerminalReaderParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.sc.TerminalLocations.Del(r.Location.ID, &stripe.TerminalLocationParams{}); err != nil {
		t.Fatalf("delete after its reader is gone: %v", err)
	}
}
