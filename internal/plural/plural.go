// Package plural writes a count with its noun: "1 location", "3 locations".
// It is Kasse's one place for English plurals.
//
// Deprecated: the message catalog's count.* messages (i18n.Locale.N) take
// its place, with CLDR plural rules in both languages; its callers move
// over as their screens and commands are translated (issue 16).
package plural

import "strconv"

// Count is n and its noun, singular for exactly one (and minus one):
// Count(1, "reader") is "1 reader", Count(0, "reader") "0 readers". A noun
// whose plural is not noun+"s" passes it: Count(2, "try", "tries").
func Count(n int, one string, many ...string) string {
	return strconv.Itoa(n) + " " + Noun(n, one, many...)
}

// Noun is the noun alone, as Count would write it.
func Noun(n int, one string, many ...string) string {
	if n == 1 || n == -1 {
		return one
	}
	if len(many) > 0 {
		return many[0]
	}
	return one + "s"
}
