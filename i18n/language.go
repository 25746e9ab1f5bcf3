package i18n

import (
	"errors"
	"strconv"
	"strings"

	"golang.org/x/text/language"
)

// Languages Kasse has a catalog for. A tag may add a region ("de-AT",
// "en-GB"): the language picks the catalog, the region the CLDR number
// and money formats within it ("€ 12,50" in Austria, "US$" in Britain).
var (
	German  = language.German
	English = language.English
)

// Languages are the languages Kasse has a catalog for, English (the
// source) first: what a language switch cycles through.
func Languages() []language.Tag { return []language.Tag{English, German} }

// supported reports the catalog language of base, or false.
func supported(base language.Base) (language.Tag, bool) {
	switch base.String() {
	case "de":
		return German, true
	case "en":
		return English, true
	}
	return language.Und, false
}

// normalize keeps a supported tag's language and explicit region and drops
// the rest (script, variants, extensions). ok is false for a language
// without a catalog.
func normalize(t language.Tag) (language.Tag, bool) {
	base, _ := t.Base()
	lang, ok := supported(base)
	if !ok {
		return English, false
	}
	if region, conf := t.Region(); conf == language.Exact {
		if r, err := language.Compose(lang, region); err == nil {
			return r, true
		}
	}
	return lang, true
}

// ErrLanguage is ParseLanguage's refusal (an *Error, in catalogued words).
var ErrLanguage = errors.New("not a language Kasse speaks")

// ParseLanguage reads a configured language: "de" or "en", optionally with
// a region ("de-AT", "en-GB"; "de_AT" is read the same). It returns the
// normalised tag, or an error naming what Kasse accepts.
func ParseLanguage(s string) (language.Tag, error) {
	v := strings.TrimSpace(s)
	t, err := language.Parse(strings.ReplaceAll(v, "_", "-"))
	if err != nil || v == "" {
		return language.Und, &Error{Kind: ErrLanguage, Msg: M("cli.config.language_invalid", Args{"Value": strconv.Quote(s)})}
	}
	n, ok := normalize(t)
	if !ok {
		return language.Und, &Error{Kind: ErrLanguage, Msg: M("cli.config.language_unsupported", Args{"Value": strconv.Quote(s)})}
	}
	return n, nil
}

// Resolve picks a session's language. configured is the operator's own
// language, else the console's (config.Config.LanguageFor gives it); ""
// means none, and so does a value ParseLanguage refuses (config has
// reported it already). Without one the POSIX locale decides (FromEnv),
// and without that English.
func Resolve(configured string, getenv func(string) string) language.Tag {
	if configured != "" {
		if t, err := ParseLanguage(configured); err == nil {
			return t
		}
	}
	if t, ok := FromEnv(getenv); ok {
		return t
	}
	return English
}

// FromEnv reads the POSIX locale for messages: the first non-empty of
// LC_ALL, LC_MESSAGES and LANG decides, as for any POSIX program. Its
// value is language[_territory][.codeset][@modifier]: "de_DE.UTF-8" gives
// de-DE, "de" gives de, "en_GB" en-GB; "C" and "POSIX" (with any codeset)
// mean English. A language without a catalog ("fr_FR") also gives English:
// the variable that decides is not skipped for a later one. ok is false
// when all three are empty. (GNU's LANGUAGE list is not consulted.)
func FromEnv(getenv func(string) string) (t language.Tag, ok bool) {
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := getenv(name); v != "" {
			return posixLocale(v), true
		}
	}
	return English, false
}

// posixLocale converts one POSIX locale name to a supported tag.
func posixLocale(v string) language.Tag {
	if i := strings.IndexByte(v, '@'); i >= 0 {
		v = v[:i]
	}
	if i := strings.IndexByte(v, '.'); i >= 0 {
		v = v[:i]
	}
	if v == "" || v == "C" || v == "POSIX" {
		return English
	}
	t, err := language.Parse(strings.ReplaceAll(v, "_", "-"))
	if err != nil {
		return English
	}
	n, _ := normalize(t)
	return n
}
