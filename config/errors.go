package config

import (
	"errors"

	"kasse/i18n"
)

// Error is one configuration problem. Load joins all of them (a
// *LoadError); use errors.As to pick out the first.
type Error struct {
	// Source is where the offending value came from: the config file's
	// path, "env NAME", "flag --name" or "default".
	Source string
	// Line is the line in the config file, for TOML syntax errors; else 0.
	Line int
	// Key is the config key ("capture_method", "quick_keys[1].price",
	// indexes counting from 0); "" for problems with the file as a whole.
	Key string
	// Msg says what is wrong, as a catalogued message; or, when it is
	// empty, Cause does in its own words (the TOML decoder's, the
	// operating system's).
	Msg   i18n.Message
	Cause error
	src   source
}

// Error renders "config: SOURCE: [line N: ][KEY: ]MSG" in English.
// Anything shaped like a Stripe key is redacted, whatever the message
// quotes.
func (e *Error) Error() string { return e.Localize(i18n.Neutral()) }

// Localize renders the problem in loc's words (the source too: "env
// NAME" is "Umgebung NAME" in German), redacted like Error.
func (e *Error) Localize(loc *i18n.Locale) string {
	src := e.Source // an Error made without its source (a test's) shows Source as it is
	if e.src.kind != kindDefault || e.Source == srcDefault.String() {
		src = e.src.localize(loc)
	}
	what := any(e.Msg)
	if e.Msg.ID == "" {
		what = loc.Err(e.Cause)
	}
	a := i18n.Args{"Source": src, "Line": e.Line, "Key": e.Key, "Problem": what}
	var s string
	switch {
	case e.Line > 0 && e.Key != "":
		s = loc.T("cli.config.error_line_key", a)
	case e.Line > 0:
		s = loc.T("cli.config.error_line", a)
	case e.Key != "":
		s = loc.T("cli.config.error_key", a)
	default:
		s = loc.T("cli.config.error", a)
	}
	return redactKeys(s)
}

// Unwrap returns the cause, if any.
func (e *Error) Unwrap() error { return e.Cause }

// LoadError is every problem Load found, a line each (errors.Join's text).
type LoadError struct {
	Problems []error // *Error values
	// Language is the language the configuration names for its operator,
	// if that much of it could be read: the language to report in.
	Language string
}

func (e *LoadError) Error() string { return errors.Join(e.Problems...).Error() }

// Unwrap returns the problems.
func (e *LoadError) Unwrap() []error { return e.Problems }

// ErrorLocale is the language to report err (Load's) in: the one the
// configuration names for its operator, when it could be read, else the
// POSIX locale's (i18n.Resolve).
func ErrorLocale(err error, getenv func(string) string) *i18n.Locale {
	var le *LoadError
	if errors.As(err, &le) {
		return i18n.NewFor(le.Language, getenv)
	}
	return i18n.NewFor("", getenv)
}

type srcKind int

const (
	kindDefault srcKind = iota
	kindFile
	kindEnv
	kindFlag
)

// source is where a value came from.
type source struct {
	kind srcKind
	name string // file path, environment variable or flag name
	dir  string // base for relative paths: the file's directory or ""
}

var srcDefault = source{kind: kindDefault}

// String is the source as Origin reports it, the same in every language:
// the file's path, "env NAME", "flag --name" or "default".
func (s source) String() string {
	switch s.kind {
	case kindFile:
		return s.name
	case kindEnv:
		return "env " + s.name // i18n:ok Origin's code; Localize words it
	case kindFlag:
		return "flag --" + s.name // i18n:ok Origin's code; Localize words it
	}
	return "default" // i18n:ok Origin's code; Localize words it
}

// localize is the source in loc's words.
func (s source) localize(loc *i18n.Locale) string {
	if s.kind == kindFile {
		return s.name
	}
	return loc.Render(sourceMessage(s))
}

// sourceMessage is a source other than a file, as a message: "env NAME",
// "flag --name", "default".
func sourceMessage(s source) i18n.Message {
	switch s.kind {
	case kindEnv:
		return i18n.M("cli.config.source_env", i18n.Args{"Name": s.name})
	case kindFlag:
		return i18n.M("cli.config.source_flag", i18n.Args{"Name": "--" + s.name})
	}
	return i18n.M("cli.config.source_default")
}

// errs collects problems in order.
type errs []error

// add records what is wrong with key's value from src.
func (l *errs) add(src source, key string, msg i18n.Message) {
	*l = append(*l, &Error{Source: src.String(), Key: key, Msg: msg, src: src})
}

// addErr records a problem err words itself (an i18n.Localizer renders in
// the reader's language, anything else as it is).
func (l *errs) addErr(src source, key string, err error) {
	*l = append(*l, &Error{Source: src.String(), Key: key, Cause: err, src: src})
}
