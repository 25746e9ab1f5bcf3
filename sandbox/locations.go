package sandbox

import (
	"net/http"
	"sort"
	"strings"

	"kasse/sandbox/internal/apierr"
	"kasse/sandbox/internal/expand"
	"kasse/sandbox/internal/form"
	"kasse/sandbox/internal/list"
)

// Terminal locations: POST/GET /v1/terminal/locations,
// GET/POST/DELETE /v1/terminal/locations/{id}. A location belongs to the
// account of the request that created it (Stripe-Account, "" = platform)
// and is invisible (404) from any other account.

// locationJSON is terminal.location as the 2023-10-16 spec declares it.
// configuration_overrides is a non-nullable optional string (absent from
// stripe-mock's fixture): Stripe omits it when unset, so it is the one
// omitempty field.
type locationJSON struct {
	ID                     string            `json:"id"`
	Object                 string            `json:"object"`
	Address                addressJSON       `json:"address"`
	ConfigurationOverrides string            `json:"configuration_overrides,omitempty"`
	DisplayName            string            `json:"display_name"`
	Livemode               bool              `json:"livemode"`
	Metadata               map[string]string `json:"metadata"`
}

// termDeletedJSON is the deleted stub of terminal.location / terminal.reader.
type termDeletedJSON struct {
	ID      string `json:"id"`
	Object  string `json:"object"`
	Deleted bool   `json:"deleted"`
}

// renderLocation renders a location (the deleted stub once deleted).
func (s *Server) renderLocation(l *location) any {
	if l.deleted {
		return termDeletedJSON{ID: l.id, Object: "terminal.location", Deleted: true}
	}
	md := l.metadata
	if md == nil {
		md = map[string]string{}
	}
	return locationJSON{ID: l.id, Object: "terminal.location", Address: renderAddress(l.address),
		ConfigurationOverrides: l.configurationOverrides, DisplayName: l.displayName, Livemode: livemode, Metadata: md}
}

// findLocation returns the request account's location id. Deleted ones are
// found only when withDeleted (GET answers their stub); otherwise, like
// another account's location, they are "No such terminal.location"
// (param "location": the path parameter's name, and the body parameter's).
func (s *Server) findLocation(rq *request, id string, withDeleted bool) (*location, *apierr.Error) {
	l, ok := s.st.locations[id]
	if !ok || !owned(&l.meta, rq) || (l.deleted && !withDeleted) {
		return nil, apierr.NoSuch("terminal.location", id).WithParam("location")
	}
	return l, nil
}

var locationAddressFields = []string{"line1", "line2", "city", "state", "postal_code", "country"}

// applyLocationAddress reads the address parameter onto a (create: zero address,
// update: the stored one). On update the given fields replace the stored
// ones (a field given as "" is cleared) and the country cannot change.
// The result must carry the fields the country requires (§4).
func applyLocationAddress(p *form.Params, a address, update bool) (address, *apierr.Error) {
	c := p.Child("address")
	if err := termObject(c, "address"); err != nil {
		return a, err
	}
	if err := termOnly(c, "address", locationAddressFields...); err != nil {
		return a, err
	}
	fields := map[string]*string{"line1": &a.line1, "line2": &a.line2, "city": &a.city, "state": &a.state, "postal_code": &a.postalCode}
	for name, dst := range fields {
		v, err := termString(c, name, "address["+name+"]", 5000)
		if err != nil {
			return a, err
		}
		if c.Has(name) {
			*dst = v
		}
	}
	if c.Has("country") {
		v, err := termString(c, "country", "address[country]", 5000)
		if err != nil {
			return a, err
		}
		country := termUpper(v)
		if country == "" {
			return a, termEmpty("address[country]")
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

func (s *Server) createLocation(rq *request) (any, *apierr.Error) {
	name, err := termRequired(rq.Params, "display_name", "display_name")
	if err != nil {
		return nil, err
	}
	if len(name) > 1000 {
		return nil, apierr.InvalidParam("display_name", "Invalid string: %s...; must be at most 1000 characters", name[:20])
	}
	if !rq.Params.Has("address") {
		return nil, apierr.MissingParam("address")
	}
	addr, err := applyLocationAddress(rq.Params, address{}, false)
	if err != nil {
		return nil, err
	}
	overrides, err := termString(rq.Params, "configuration_overrides", "configuration_overrides", 1000)
	if err != nil {
		return nil, err
	}
	md, err := termMetadata(rq.Params, nil)
	if err != nil {
		return nil, err
	}
	if err := expand.Check(rq.Expand, nil); err != nil {
		return nil, err
	}
	l := s.newLocation(rq.Account, name, addr, rq.Now.Unix())
	l.configurationOverrides = overrides
	l.metadata = md
	return s.renderLocation(l), nil
}

func (s *Server) getLocation(rq *request) (any, *apierr.Error) {
	if err := expand.Check(rq.Expand, nil); err != nil {
		return nil, err
	}
	l, err := s.findLocation(rq, rq.ID, true)
	if err != nil {
		return nil, err
	}
	return s.renderLocation(l), nil
}

func (s *Server) updateLocation(rq *request) (any, *apierr.Error) {
	if err := expand.Check(rq.Expand, nil); err != nil {
		return nil, err
	}
	l, err := s.findLocation(rq, rq.ID, false)
	if err != nil {
		return nil, err
	}
	name := l.displayName
	if rq.Params.Has("display_name") {
		if name, err = termRequired(rq.Params, "display_name", "display_name"); err != nil {
			return nil, err
		}
		if len(name) > 1000 {
			return nil, apierr.InvalidParam("display_name", "Invalid string: %s...; must be at most 1000 characters", name[:20])
		}
	}
	addr := l.address
	if rq.Params.Has("address") {
		if addr, err = applyLocationAddress(rq.Params, l.address, true); err != nil {
			return nil, err
		}
	}
	overrides := l.configurationOverrides
	if rq.Params.Has("configuration_overrides") { // "" clears
		if overrides, err = termString(rq.Params, "configuration_overrides", "configuration_overrides", 1000); err != nil {
			return nil, err
		}
	}
	md, err := termMetadata(rq.Params, l.metadata)
	if err != nil {
		return nil, err
	}
	l.displayName, l.address, l.configurationOverrides, l.metadata = name, addr, overrides, md
	return s.renderLocation(l), nil
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
	for _, r := range s.st.readers {
		if r.locationID == l.id && !r.deleted {
			ids = append(ids, r.id)
		}
	}
	if len(ids) > 0 {
		sort.Strings(ids)
		return nil, apierr.Invalid(http.StatusBadRequest, "", "",
			"This location still has %d reader(s) registered to it (%s). Delete the readers before deleting the location.",
			len(ids), strings.Join(ids, ", "))
	}
	l.deleted = true
	return s.renderLocation(l), nil
}

func (s *Server) listLocations(rq *request) (any, *apierr.Error) {
	if err := expand.Check(rq.Expand, nil); err != nil {
		return nil, err
	}
	var items []*location
	for _, l := range s.st.locations {
		if owned(&l.meta, rq) && !l.deleted {
			items = append(items, l)
		}
	}
	return list.Paginate(rq.Params, "/v1/terminal/locations", "terminal.location", items, func(l *location) any { return s.renderLocation(l) })
}
