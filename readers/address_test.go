package readers

import (
	"errors"
	"strings"
	"testing"

	"kasse/pos"
)

func TestValidateAddressPerCountry(t *testing.T) {
	full := pos.Address{Line1: "1 Main St", City: "Springfield", State: "ST", PostalCode: "12345"}
	cases := []struct {
		country string
		drop    []string // fields to blank
		missing []string // nil: valid
	}{
		{"US", nil, nil},
		{"US", []string{"state"}, []string{"address.state"}},
		{"us", []string{"state"}, []string{"address.state"}}, // normalised
		{"CA", []string{"line1", "postal_code"}, []string{"address.line1", "address.postal_code"}},
		{"AU", []string{"city"}, []string{"address.city"}},
		{"IT", []string{"state"}, []string{"address.state"}},
		{"ES", []string{"line1", "city", "state", "postal_code"}, []string{"address.line1", "address.city", "address.state", "address.postal_code"}},
		{"DE", []string{"state"}, nil}, // no state in most of Europe
		{"DE", []string{"city"}, []string{"address.city"}},
		{"FR", []string{"postal_code"}, []string{"address.postal_code"}},
		{"GB", []string{"state", "line1"}, []string{"address.line1"}},
		{"NZ", []string{"city"}, []string{"address.city"}},
		{"MY", []string{"postal_code"}, []string{"address.postal_code"}},
		{"IE", []string{"city", "state"}, nil},
		{"IE", []string{"postal_code"}, []string{"address.postal_code"}},
		{"SG", []string{"city", "state", "line1"}, []string{"address.line1"}},
		{"JP", []string{"line1", "city", "state", "postal_code"}, nil}, // no published rule
	}
	for _, c := range cases {
		a := full
		a.Country = c.country
		for _, f := range c.drop {
			switch f {
			case "line1":
				a.Line1 = "  "
			case "city":
				a.City = ""
			case "state":
				a.State = ""
			case "postal_code":
				a.PostalCode = ""
			}
		}
		err := ValidateAddress(a)
		if c.missing == nil {
			if err != nil {
				t.Errorf("%s without %v: unexpected %v", c.country, c.drop, err)
			}
			continue
		}
		var ae *AddressError
		if !errors.As(err, &ae) || !errors.Is(err, ErrAddress) {
			t.Errorf("%s without %v: got %v, want an *AddressError", c.country, c.drop, err)
			continue
		}
		if strings.Join(ae.Missing, ",") != strings.Join(c.missing, ",") {
			t.Errorf("%s without %v: missing %v, want %v", c.country, c.drop, ae.Missing, c.missing)
		}
		for _, m := range c.missing {
			if !strings.Contains(err.Error(), m) || !strings.HasSuffix(err.Error(), "required in "+strings.ToUpper(c.country)) {
				t.Errorf("%s: message %q does not name %s", c.country, err, m)
			}
		}
	}
}

func TestValidateAddressMessages(t *testing.T) {
	err := ValidateAddress(pos.Address{Line1: "1 Main St", City: "Springfield", PostalCode: "12345", Country: "US"})
	if err == nil || err.Error() != "address.state is required in US" {
		t.Errorf("got %v", err)
	}
	err = ValidateAddress(pos.Address{Country: "US", State: "OR"})
	if err == nil || err.Error() != "address.line1, address.city and address.postal_code are required in US" {
		t.Errorf("got %v", err)
	}
	for _, country := range []string{"", "  "} {
		if err := ValidateAddress(pos.Address{Line1: "x", Country: country}); err == nil || !strings.Contains(err.Error(), "address.country is required") {
			t.Errorf("country %q: got %v", country, err)
		}
	}
	for _, country := range []string{"USA", "XX", "U1", "Deutschland"} {
		if err := ValidateAddress(pos.Address{Line1: "x", Country: country}); !errors.Is(err, ErrAddress) || !strings.Contains(err.Error(), "ISO 3166-1") {
			t.Errorf("country %q: got %v", country, err)
		}
	}
	if got := RequiredAddressFields("gb"); strings.Join(got, ",") != "line1,city,postal_code" {
		t.Errorf("RequiredAddressFields(gb) = %v", got)
	}
}

func TestLocationKey(t *testing.T) {
	a := pos.Address{Line1: "1 Main St", City: "Springfield", State: "OR", PostalCode: "97000", Country: "US"}
	k := LocationKey(pos.Platform, "acct_1", "Shop", a)
	if !strings.HasPrefix(k, "kasse-loc-") || len(k) != len("kasse-loc-")+24 {
		t.Errorf("key %q", k)
	}
	b := a
	b.Country, b.City = " us ", " Springfield"
	if LocationKey(pos.Platform, "acct_1", " Shop ", b) != k {
		t.Error("the key must not depend on spacing or country case (the request is the same)")
	}
	for name, other := range map[string]string{
		"owner":   LocationKey("acct_1", "acct_1", "Shop", a),
		"seller":  LocationKey(pos.Platform, "acct_2", "Shop", a),
		"name":    LocationKey(pos.Platform, "acct_1", "Shop 2", a),
		"address": LocationKey(pos.Platform, "acct_1", "Shop", pos.Address{Line1: "2 Main St", City: a.City, State: a.State, PostalCode: a.PostalCode, Country: "US"}),
		"shifted": LocationKey(pos.Platform, "acct_1", "Sho", pos.Address{Line1: "p1 Main St", City: a.City, State: a.State, PostalCode: a.PostalCode, Country: "US"}),
	} {
		if other == k {
			t.Errorf("a different %s gives the same key", name)
		}
	}
}

func TestValidateLocationName(t *testing.T) {
	if _, err := ValidateLocationName(" "); !errors.Is(err, ErrLocationName) {
		t.Errorf("blank name: %v", err)
	}
	if _, err := ValidateLocationName(strings.Repeat("n", MaxLocationNameLength+1)); !errors.Is(err, ErrLocationName) {
		t.Errorf("long name: %v", err)
	}
	if n, err := ValidateLocationName(" Lumen Coffee "); err != nil || n != "Lumen Coffee" {
		t.Errorf("got %q, %v", n, err)
	}
}
