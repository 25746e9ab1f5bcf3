package config

import "kasse/i18n"

// Example returns a commented example config.toml in loc's words (nil:
// English). Its active lines are the defaults; lines of the form
// "#key = value" (no space after '#') are optional settings that are valid
// once uncommented, except the api_key placeholder. Prose comments start
// with "# ". Settings are the same in every language (a decimal point in
// prices and the tax rate).
func Example(loc *i18n.Locale) string {
	if loc == nil {
		loc = i18n.Neutral()
	}
	return loc.T("cli.config.example")
}
