package cli

import (
	"flag"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"kasse/i18n"
)

// Quote writes a command-line argument as a message quotes it: Go syntax
// ("x", with escapes for control characters), the same in every language.
func Quote(s string) string { return strconv.Quote(s) }

// The flag package's errors (flag.FlagSet.Parse), which it writes in
// English; FlagError reads them back. The stdlib has kept these texts
// for years; one it does not know is shown as the flag package wrote it.
var (
	flagUndefined = regexp.MustCompile(`^flag provided but not defined: (-\S+)$`)
	flagNeedsArg  = regexp.MustCompile(`^flag needs an argument: (-\S+)$`)
	flagInvalid   = regexp.MustCompile(`^invalid (?:boolean )?value ("(?:[^"\\]|\\.)*") for (?:flag )?(-\S+): (.*)$`)
	flagBadSyntax = regexp.MustCompile(`^bad flag syntax: (.*)$`)
)

// FlagError renders an error of flag.FlagSet.Parse in loc's words:
// "flag provided but not defined: -x" is "unbekannte Option: -x" in German.
func FlagError(loc *i18n.Locale, err error) string {
	s := err.Error()
	if m := flagUndefined.FindStringSubmatch(s); m != nil {
		return loc.T("cli.flag.undefined", i18n.Args{"Flag": m[1]})
	}
	if m := flagNeedsArg.FindStringSubmatch(s); m != nil {
		return loc.T("cli.flag.needs_argument", i18n.Args{"Flag": m[1]})
	}
	if m := flagInvalid.FindStringSubmatch(s); m != nil {
		return loc.T("cli.flag.invalid_value", i18n.Args{"Value": m[1], "Flag": m[2], "Reason": flagReason(loc, m[3])})
	}
	if m := flagBadSyntax.FindStringSubmatch(s); m != nil {
		return loc.T("cli.flag.bad_syntax", i18n.Args{"Arg": m[1]})
	}
	return s
}

// flagReason renders why a flag's value was refused: the flag package's
// "parse error" and "value out of range", or a Value's own error.
func flagReason(loc *i18n.Locale, reason string) string {
	switch reason {
	case "parse error":
		return loc.T("cli.flag.parse_error")
	case "value out of range":
		return loc.T("cli.flag.out_of_range")
	}
	return reason
}

// PrintFlags writes fs's flags as flag.PrintDefaults does — "  -name
// value" and the usage on the next line, the default when it is not the
// zero value — with the value's name and "(default …)" in loc's words. A
// value name the usage gives in back quotes ("the `file`") is used as it
// stands; without one, the flag's type is named.
func PrintFlags(w io.Writer, fs *flag.FlagSet, loc *i18n.Locale) {
	fs.VisitAll(func(f *flag.Flag) {
		var b strings.Builder
		fmt.Fprintf(&b, "  -%s", f.Name)
		name, usage := flag.UnquoteUsage(f)
		if name != "" && !strings.Contains(f.Usage, "`") {
			name = typeName(loc, name)
		}
		if name != "" {
			b.WriteString(" " + name)
		}
		if b.Len() <= 4 {
			b.WriteString("\t")
		} else {
			b.WriteString("\n    \t")
		}
		b.WriteString(strings.ReplaceAll(usage, "\n", "\n    \t"))
		if !isZeroValue(f) {
			def := f.DefValue
			if g, ok := f.Value.(flag.Getter); ok {
				if _, isString := g.Get().(string); isString {
					def = strconv.Quote(def)
				}
			}
			b.WriteString(" " + loc.T("cli.flag.default", i18n.Args{"Default": def}))
		}
		fmt.Fprint(w, b.String(), "\n")
	})
}

// typeName names a flag's value by its type, as flag.UnquoteUsage does
// ("string", "duration", "int", "value"), in loc's words.
func typeName(loc *i18n.Locale, name string) string {
	switch name {
	case "string":
		return loc.T("cli.flag.type_string")
	case "duration":
		return loc.T("cli.flag.type_duration")
	case "int", "uint", "float":
		return loc.T("cli.flag.type_number")
	}
	return loc.T("cli.flag.type_value")
}

// isZeroValue reports whether the flag's default is its type's zero
// value (then PrintFlags does not name it), as the flag package decides.
func isZeroValue(f *flag.Flag) bool {
	if f.DefValue == "" {
		return true
	}
	typ := reflect.TypeOf(f.Value)
	var z reflect.Value
	if typ.Kind() == reflect.Pointer {
		z = reflect.New(typ.Elem())
	} else {
		z = reflect.Zero(typ)
	}
	zv, ok := z.Interface().(flag.Value)
	if !ok {
		return false
	}
	defer func() { _ = recover() }() // a Value whose String needs state it does not have
	return f.DefValue == zv.String()
}
