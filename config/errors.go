package config

import (
	"fmt"
	"strconv"
	"strings"
)

// Error is one configuration problem. Load joins all of them with
// errors.Join; use errors.As to pick out the first.
type Error struct {
	// Source is where the offending value came from: the config file's
	// path, "env NAME", "flag --name" or "default".
	Source string
	// Line is the line in the config file, for TOML syntax errors; else 0.
	Line int
	// Key is the config key ("capture_method", "quick_keys[1].price",
	// indexes counting from 0); "" for problems with the file as a whole.
	Key string
	Msg string
}

// Error renders "config: SOURCE: [line N: ][KEY: ]MSG". Anything shaped like
// a Stripe key is redacted, whatever the message quotes.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("config: ")
	b.WriteString(e.Source)
	b.WriteString(": ")
	if e.Line > 0 {
		b.WriteString("line ")
		b.WriteString(strconv.Itoa(e.Line))
		b.WriteString(": ")
	}
	if e.Key != "" {
		b.WriteString(e.Key)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return redactKeys(b.String())
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

func (s source) String() string {
	switch s.kind {
	case kindFile:
		return s.name
	case kindEnv:
		return "env " + s.name
	case kindFlag:
		return "flag --" + s.name
	}
	return "default"
}

// errs collects problems in order.
type errs []error

func (l *errs) add(src source, key, format string, args ...any) {
	*l = append(*l, &Error{Source: src.String(), Key: key, Msg: fmt.Sprintf(format, args...)})
}
