package sandbox

import (
	"net/http"
	"sort"
	"strings"

	"kasse/sandbox/internal/apierr"
	"kasse/sandbox/internal/expand"
	"kasse/sandbox/internal/form"
	"kasse/sandbox/internal/list"
	"kasse/sandbox/internal/store"
)

// Terminal locations: POST/GET /v1/terminal/locations,
// GET/POST/DELETE /v1/terminal/locations/{id}. A location belongs to the
// account of the request that created it (Stripe-Account, "" = platform)
// and is invisible (404) from any other account. The address rules per
// country are in terminal_location_countries.go.

// location is terminal.location as the 2023-10-16 spec declares it.
// configuration_overrides is a non-nullable optional string (absent from
// stripe-mock's fixture): Stripe omits it when unset, so it is the one
// omitempty field.
type location struct {
	store.Meta
	Object                 string            `json:"object"`
	Address                addressJSON       `json:"address"`
	ConfigurationOverrides string            `json:"configuration_overrides,omitempty"`
	DisplayName            string            `json:"display_name"`
	Livemode               bool              `json:"livemode"`
	Metadata               map[string]string `json:"metadata"`
}

func (*location) objectType() string { return "terminal.location" }

// address is an address as the sandbox reads it from parameters and specs.
type address struct {
	line1, line2, city, state, postalCode, country string
}

func renderAddress(a address) addressJSON {
	return addressJSON{City: nullString(a.city), Country: nullString(a.country), Line1: nullString(a.line1),
		Line2: nullString(a.line2), PostalCode: nullString(a.postalCode), State: nullString(a.state)}
}

func renderAddressPtr(a *address) *addressJSON {
	if a == nil {
		return nil
	}
	r := renderAddress(*a)
	return &r
}

func (j addressJSON) address() address {
	return address{line1: str(j.Line1), line2: str(j.Line2), city: str(j.City), state: str(j.State),
		postalCode: str(j.PostalCode), country: str(j.Country)}
}

// newLocation stores a location of account. Called with mu held, in a
// change.
func (s *Server) newLocation(account, displayName string, addr address) *location {
	l := &location{Meta: s.newMeta("tml", account), Object: "terminal.location", Address: renderAddress(addr),
		DisplayName: displayName, Metadata: map[string]string{}}
	put(s, s.st.locations, l)
	return l
}

// renderLocation renders a location (the deleted stub once deleted).
func renderLocation(l *location) any {
	if l.Deleted {
		return deletedJSON{ID: l.ID, Object: "terminal.location", Deleted: true}
	}
	return l
}

// findLocation returns the request account's location. Deleted ones are
// found only when withDeleted (GET answers their stub); otherwise, like
// another account's location, they are "No such terminal.location"
// (param "location": the path parameter's name, and the body parameter's).
func (s *Server) findLocation(rq *request, id string, withDeleted bool) (*location, *apierr.Error) {
	l, ok := s.st.locations.Get(id)
	if !ok || !owned(l, rq) || (l.Deleted && !withDeleted) {
		return nil, apierr.NoSuch("terminal.location", id).WithParam("location")
	}
	return l, nil
}

var locationAddressFields = []string{"line1", "line2", "city", "state", "postal_code", "country"}

// applyLocationAddress reads the address parameter onto a (create: zero
// address, update: the stored one). On update the given fields replace the
// stored ones (a field given as "" is cleared) and the country cannot
// change. The result must carry the fields the country requires (§4).
func applyLocationAddress(p *form.Params, a address, update bool) (address, *apierr.Error) {
	c := p.Child("address")
	if err := form.Object(c, "address"); err != nil {
		return a, err
	}
	if err := form.Only(c, "address", locationAddressFields...); err != nil {
		return a, err
	}
	fields := map[string]*string{"line1": &a.line1, "line2": &a.line2, "city": &a.city, "state": &a.state, "postal_code": &a.postalCode}
	for name, dst := range fields {
		v, present, err := form.String(c, name, "address["+name+"]", 5000)
		if err != nil {
			return a, err
		}
		if present {
			*dst = v
		}
	}
	if c.Has("country") {
		v, _, err := form.String(c, "country", "address[country]", 5000)
		if err != nil {
			return a, err
		}
		country := strings.ToUpper(strings.TrimSpace(v))
		if country == "" {
			return a, form.Empty("address[country]")
		}
		if !locationCountries[country] {
			return a, apierr.InvalidParam("address[country]", "Country '%s' is unknown. Try using a 2-character alphanumeric country code instead, such as 'US', 'EG', or 'GB'. A full list of country codes is available at https://stripe.com/docs/connect/custom-accounts#country-codes", v)
		}
		if update && country != a.country {
			return a, apierr.InvalidParam("address[country]", "You cannot change the country of a location (from %s to %s). Create a new location in %s instead.", a.country, country, country)
		}
		a.country = country
	} else if !update {
		return a, apierr.MissingParam("address[country]")
	}
	for _, f := range locationRequiredFields[a.country] {
		if *fields[f] == "" {
			return a, apierr.MissingParam("address[" + f + "]")
		}
	}
	return a, nil
}

// displayName reads display_name (required when given at all).
func displayName(p *form.Params) (string, *apierr.Error) {
	name, err := form.Required(p, "display_name", "display_name")
	if err != nil {
		return "", err
	}
	if _, _, err := form.String(p, "display_name", "display_name", 1000); err != nil {
		return "", err
	}
	return name, nil
}

func (s *Server) createLocation(rq *request) (any, *apierr.Error) {
	name, err := displayName(rq.Params)
	if err != nil {
		return nil, err
	}
	if !rq.Params.Has("address") {
		return nil, apierr.MissingParam("address")
	}
	addr, err := applyLocationAddress(rq.Params, address{}, false)
	if err != nil {
		return nil, err
	}
	overrides, _, err := form.String(rq.Params, "configuration_overrides", "configuration_overrides", 1000)
	if err != nil {
		return nil, err
	}
	md, err := form.Metadata(rq.Params, nil)
	if err != nil {
		return nil, err
	}
	if err := expand.Check(rq.Expand, nil); err != nil {
		return nil, err
	}
	l := s.newLocation(rq.Account, name, addr)
	l.ConfigurationOverrides, l.Metadata = overrides, md
	return l, nil
}

func (s *Server) getLocation(rq *request) (any, *apierr.Error) {
	if err := expand.Check(rq.Expand, nil); err != nil {
		return nil, err
	}
	l, err := s.findLocation(rq, rq.ID, true)
	if err != nil {
		return nil, err
	}
	return renderLocation(l), nil
}

func (s *Server) updateLocation(rq *request) (any, *apierr.Error) {
	if err := expand.Check(rq.Expand, nil); err != nil {
		return nil, err
	}
	l, err := s.findLocation(rq, rq.ID, false)
	if err != nil {
		return nil, err
	}
	name := l.DisplayName
	if rq.Params.Has("display_name") {
		if name, err = displayName(rq.Params); err != nil {
			return nil, err
		}
	}
	addr := l.Address.address()
	if rq.Params.Has("address") {
		if addr, err = applyLocationAddress(rq.Params, addr, true); err != nil {
			return nil, err
		}
	}
	overrides := l.ConfigurationOverrides
	if v, present, err := form.String(rq.Params, "configuration_overrides", "configuration_overrides", 1000); err != nil {
		return nil, err
	} else if present { // "" clears
		overrides = v
	}
	md, err := form.Metadata(rq.Params, l.Metadata)
	if err != nil {
		return nil, err
	}
	s.touch(l)
	l.DisplayName, l.Address, l.ConfigurationOverrides, l.Metadata = name, renderAddress(addr), overrides, md
	return l, nil
}

// deleteLocation answers the deleted stub. Decision (UNVERIFIED; the
// Dashboard requires it, the API reference does not say): a location that
// still has readers cannot be deleted — 400 invalid_request_error naming
// them; delete the readers first. Deleting twice is a 404.
func (s *Server) deleteLocation(rq *request) (any, *apierr.Error) {
	l, err := s.findLocation(rq, rq.ID, false)
	if err != nil {
		return nil, err
	}
	var ids []string
	for r := range s.st.readers.All() {
		if refID(r.Location) == l.ID && !r.Deleted {
			ids = append(ids, r.ID)
		}
	}
	if len(ids) > 0 {
		sort.Strings(ids)
		return nil, apierr.Invalid(http.StatusBadRequest, "", "",
			"This location still has %d reader(s) registered to it (%s). Delete the readers before deleting the location.",
			len(ids), strings.Join(ids, ", "))
	}
	s.touch(l)
	l.Deleted = true
	return renderLocation(l), nil
}

func (s *Server) listLocations(rq *request) (any, *apierr.Error) {
	if err := expand.Check(rq.Expand, nil); err != nil {
		return nil, err
	}
	pg, err := list.ParsePage(rq.Params)
	if err != nil {
		return nil, err
	}
	return listTable(s, rq, s.st.locations, pg, func(l *location) bool { return !l.Deleted }, "/v1/terminal/locations", unexpanded)
}
