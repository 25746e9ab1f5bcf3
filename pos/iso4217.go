package pos

import (
	"strings"

	"golang.org/x/text/currency"
)

// iso4217 holds the lower-case codes of the currencies in tender today,
// from CLDR's tables in golang.org/x/text/currency, plus newerISO4217.
// Kasse refuses other codes before any request.
var iso4217 = func() map[string]bool {
	m := map[string]bool{}
	for it := currency.Query(); it.Next(); { // current tender only
		m[strings.ToLower(it.Unit().String())] = true
	}
	for _, c := range strings.Fields(newerISO4217) {
		m[c] = true
	}
	return m
}()

// newerISO4217 are ISO 4217 codes introduced after the CLDR release that
// golang.org/x/text's tables come from (MRU and VES 2018, VED 2021, SLE
// 2022, ZWG 2024, XCG 2025).
const newerISO4217 = "mru ves ved sle zwg xcg"

// isISO4217 reports whether code (lower-case) is a current ISO 4217
// currency.
func isISO4217(code string) bool { return iso4217[code] }
