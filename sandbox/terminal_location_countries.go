package sandbox

import "strings"

// locationCountries is ISO 3166-1 alpha-2: the codes Stripe accepts for
// address[country]. Anything else is refused as an unknown country.
var locationCountries = func() map[string]bool {
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

// locationRequiredFields lists, per country, the address fields a Terminal
// location needs besides country (stripe-api.md §4). Countries not listed
// (known ISO codes where Terminal has no published rule) need only the
// country: the sandbox is test mode, where Stripe does not refuse
// unsupported countries (terminal_location_country_unsupported is a
// live-mode error).
var locationRequiredFields = func() map[string][]string {
	m := map[string][]string{}
	full := []string{"line1", "city", "state", "postal_code"}
	for _, c := range []string{"US", "CA", "AU", "IT", "ES"} {
		m[c] = full
	}
	// "Most of Europe", the UK, New Zealand and Malaysia.
	noState := []string{"line1", "city", "postal_code"}
	for _, c := range strings.Fields("AT BE BG CH CY CZ DE DK EE FI FR GB GI GR HR HU LI LT LU LV MT NL NO NZ MY PL PT RO SE SI SK") {
		m[c] = noState
	}
	for _, c := range []string{"IE", "SG"} {
		m[c] = []string{"line1", "postal_code"}
	}
	return m
}()
