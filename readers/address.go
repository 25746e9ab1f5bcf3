package readers

import (
	"context"
	"strings"
	"unicode/utf8"

	"kasse/i18n"
	"kasse/pos"
)

// MaxLocationNameLength is Stripe's limit for a location's display_name.
const MaxLocationNameLength = 1000

// requiredByCountry lists, per country, the address fields a Terminal
// location needs besides the country (stripe-api.md §4, from Stripe's
// "Locations and zones" page). Countries without a published rule need the
// country only here; Stripe refuses live-mode locations in countries
// Terminal does not serve (terminal_location_country_unsupported).
var requiredByCountry = func() map[string][]string {
	m := map[string][]string{}
	for _, c := range strings.Fields("US CA AU IT ES") {
		m[c] = []string{"line1", "city", "state", "postal_code"}
	}
	// "Most of Europe", the UK, New Zealand and Malaysia.
	for _, c := range strings.Fields("AT BE BG CH CY CZ DE DK EE FI FR GB GI GR HR HU LI LT LU LV MT NL NO NZ MY PL PT RO SE SI SK") {
		m[c] = []string{"line1", "city", "postal_code"}
	}
	for _, c := range strings.Fields("IE SG") {
		m[c] = []string{"line1", "postal_code"}
	}
	return m
}()

// RequiredAddressFields returns the address fields (Stripe's names:
// line1, city, state, postal_code) a location in country needs besides the
// country itself; nil when Kasse knows no rule for it.
func RequiredAddressFields(country string) []string {
	return append([]string(nil), requiredByCountry[strings.ToUpper(strings.TrimSpace(country))]...)
}

// AddressError lists what is missing or wrong in a location's address, in
// whichever language shows it (an i18n.Localizer; Error is English). It
// unwraps to ErrAddress.
type AddressError struct {
	Country string       // as given, upper-cased
	Missing []string     // "address.state", … in Stripe's field order
	Problem i18n.Message // set when the country itself is the problem
}

func (e *AddressError) Error() string { return e.Localize(i18n.Neutral()) }

// Localize renders the problem in loc's words: "address.state is required
// in US", "address.line1 und address.city sind in DE Pflicht".
func (e *AddressError) Localize(loc *i18n.Locale) string {
	if e.Problem.ID != "" {
		return loc.Render(e.Problem)
	}
	return loc.N("cli.readers.address_required", len(e.Missing), i18n.Args{"Fields": joinAnd(loc, e.Missing), "Country": e.Country})
}

// Unwrap returns ErrAddress.
func (e *AddressError) Unwrap() error { return ErrAddress }

// NormalizeAddress trims every field and upper-cases the country.
func NormalizeAddress(a pos.Address) pos.Address {
	t := strings.TrimSpace
	return pos.Address{Line1: t(a.Line1), Line2: t(a.Line2), City: t(a.City), State: t(a.State),
		PostalCode: t(a.PostalCode), Country: strings.ToUpper(t(a.Country))}
}

// ValidateAddress checks a location address against Stripe's per-country
// rules: the country is required and must be an ISO 3166-1 alpha-2 code;
// US, CA, AU, IT, ES need line1, city, state and postal_code; most of
// Europe, GB, NZ and MY need line1, city and postal_code; IE and SG need
// line1 and postal_code. Every missing field is named ("address.state is
// required in US"). The address is checked as NormalizeAddress leaves it.
func ValidateAddress(a pos.Address) error {
	a = NormalizeAddress(a)
	switch {
	case a.Country == "":
		return &AddressError{Problem: i18n.M("cli.readers.country_missing")}
	case !isoCountries[a.Country]:
		return &AddressError{Country: a.Country, Problem: i18n.M("cli.readers.country_bad", i18n.Args{"Country": q(a.Country)})}
	}
	values := map[string]string{"line1": a.Line1, "city": a.City, "state": a.State, "postal_code": a.PostalCode}
	var missing []string
	for _, f := range requiredByCountry[a.Country] {
		if values[f] == "" {
			missing = append(missing, "address."+f)
		}
	}
	if len(missing) > 0 {
		return &AddressError{Country: a.Country, Missing: missing}
	}
	return nil
}

// ValidateLocationName checks a location's display name (required, at most
// MaxLocationNameLength characters) and returns it trimmed.
func ValidateLocationName(name string) (string, error) {
	n := strings.TrimSpace(name)
	switch {
	case n == "":
		return "", invalid(ErrLocationName, i18n.M("cli.readers.location_name_empty"))
	case utf8.RuneCountInString(n) > MaxLocationNameLength:
		return "", invalid(ErrLocationName, i18n.M("cli.readers.location_name_long",
			i18n.Args{"Length": utf8.RuneCountInString(n), "Max": MaxLocationNameLength}))
	}
	return n, nil
}

// LocationKey is the idempotency key CreateLocation uses: "kasse-loc-" and
// a hash of owner, seller, name and the normalised address. The same
// creation repeated (after a timeout, or by re-running a command) replays
// Stripe's first answer instead of creating a second location.
func LocationKey(owner, seller pos.Account, name string, a pos.Address) string {
	a = NormalizeAddress(a)
	return derivedKey("kasse-loc-", string(owner), string(seller), strings.TrimSpace(name),
		a.Line1, a.Line2, a.City, a.State, a.PostalCode, a.Country)
}

// CreateLocation validates name and address, then creates the location on
// owner with LocationKey as idempotency key. seller is the connected
// seller the location is for: its account id goes into the location's
// metadata (pos.LocationSellerKey), which is how Kasse finds a platform
// location's seller whatever its name; pos.Platform creates a location
// for no seller in particular. A location on a seller's own account is
// that seller's: owner is the seller then (a different seller is refused).
func (f *Fleet) CreateLocation(ctx context.Context, owner, seller pos.Account, name string, addr pos.Address) (pos.Location, error) {
	name, err := ValidateLocationName(name)
	if err != nil {
		return pos.Location{}, err
	}
	if !owner.IsPlatform() {
		if !seller.IsPlatform() && seller != owner {
			return pos.Location{}, invalid(ErrWrongAccount, i18n.M("cli.readers.location_seller_only", i18n.Args{"Owner": string(owner), "Seller": string(seller)}))
		}
		seller = owner
	}
	if err := ValidateAddress(addr); err != nil {
		return pos.Location{}, err
	}
	addr = NormalizeAddress(addr)
	req := pos.LocationRequest{DisplayName: name, Address: addr, Metadata: pos.SellerMetadata(seller)}
	l, err := f.Terminal.CreateLocation(ctx, owner, req, LocationKey(owner, seller, name, addr))
	if err != nil {
		return pos.Location{}, explain(err, subject{op: i18n.M("cli.readers.op.create_location", i18n.Args{"Name": q(name), "Account": accountPhrase(owner)}), owner: owner})
	}
	l.Owner = owner
	return l, nil
}

// joinAnd renders ["a"] "a", ["a","b"] "a and b", ["a","b","c"] "a, b and c"
// in loc's words.
func joinAnd(loc *i18n.Locale, items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return loc.T("cli.readers.and", i18n.Args{"List": strings.Join(items[:len(items)-1], ", "), "Last": items[len(items)-1]})
}

// isoCountries is ISO 3166-1 alpha-2 (plus XK, which Stripe accepts).
var isoCountries = func() map[string]bool {
	const all = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ " +
		"CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR " +
		"GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP " +
		"KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT " +
		"MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW " +
		"SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG " +
		"UM US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW"
	m := map[string]bool{}
	for _, c := range strings.Fields(all) {
		m[c] = true
	}
	return m
}()
