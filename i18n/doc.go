// Package i18n is Kasse's language layer: the German and English message
// catalogs, the per-session Locale that renders them, the language choice
// (config, else LC_ALL / LC_MESSAGES / LANG, else English), and money in
// the locale's own form — formatted from CLDR data ("12,50 €", "$12.50")
// and parsed as the cashier types it ("12,50" in German, "12.50" in
// English), refusing an ambiguous or over-precise amount with a catalogued
// message instead of guessing.
//
// # Sessions, not globals
//
// A Locale is a value made for one session (New, or NewFor with the
// configured language): the console keeps one per operator, the SSH
// console one per connection, a CLI command one for its run. Nothing here
// is package-level mutable state: the catalogs are embedded and parsed
// once into a read-only bundle, so any number of sessions with different
// languages run in one process. A Locale is safe for concurrent use (a
// tea.Cmd may render a message while View does).
//
// # Messages
//
// Every user-facing sentence is a message in catalog/en.toml and
// catalog/de.toml, looked up by key:
//
//	loc.T("word.seller")                                           // "Seller" / "Händler"
//	loc.T("sale.charge_on_reader", i18n.Args{"Amount": i18n.Money{Amount: 1250, Currency: "eur"}, "Reader": name})
//	loc.N("count.readers", n)                                      // "1 reader", "3 readers" / "1 Lesegerät", "3 Lesegeräte"
//
// Placeholders are named ({{.Amount}}, {{.Reader}}), so a translator can
// put them in any order; a sentence is never concatenated from pieces.
// Plurals follow CLDR's rules for the language (go-i18n's tables; "one"
// and "other" for German and English), selected by the count given to N,
// which is also the {{.Count}} placeholder. An argument of type Money is
// formatted in the locale, a Message is rendered in the same language, an
// error through Err. M and MN make a Message to render later, by whoever
// holds the session's Locale (errors carry one: see Error).
//
// # How to add a message
//
//  1. Pick a key "area.name" (lower case, dots and underscores): word.*
//     for single console words, count.* for "N things", status.* for
//     outcomes, amount.* for money input, key.* for the console's key
//     help, format.* for date layouts; a screen's own sentences under its
//     package and screen (sale.register.*, office.tx.*, fleet.*), in that
//     package's section of both files.
//  2. Add it to catalog/en.toml with a description for the translator
//     (what it is, where it shows, what each placeholder holds), then to
//     catalog/de.toml. A plural message gives "one" and "other"; every
//     other message gives "other" only.
//  3. Use it with T (or N for a plural), passing every placeholder by name.
//     Pass the key as a string literal: the tests check that each literal
//     key exists in both catalogs and that T and N are not mixed up. A key
//     chosen at run time (one per status, say) comes from a switch of
//     literals, never from concatenation.
//  4. go test ./i18n/ checks that both catalogs have the same keys, the
//     same placeholders and the plural forms CLDR wants, and that
//     everything renders.
//
// # Dates
//
// Go has no per-locale date formatting, so the catalogs hold Go time
// layouts as messages (format.date, format.datetime_zone, …) and
// FormatTime renders them, writing the weekday and month of a "Mon" or
// "Jan" layout element in the catalog's words (weekday.*, month.*).
//
// Strings that are not sentences stay out of the catalog: key names
// ("enter", "ctrl+c" are the same in both languages), Stripe codes and ids,
// JSON field names, log lines. --json output stays language-neutral.
package i18n
