package config

import (
	"fmt"
	"io"
	"log/slog"
	"regexp"
	"strconv"
	"strings"
)

// Secret holds a credential (an API key). Every way of
// printing, logging or marshalling a Secret yields a redacted form such as
// "sk_test_…(redacted)"; the raw value is available only through Reveal.
//
// The value sits behind a pointer so that even reflection-based printing of
// a struct that keeps a Secret in an unexported field (where fmt cannot call
// its methods) shows an address, not the credential. The zero Secret is
// empty.
type Secret struct {
	p *string
}

// NewSecret wraps raw. Surrounding white space is kept as given; callers that
// read keys from files or the environment trim first.
func NewSecret(raw string) Secret {
	if raw == "" {
		return Secret{}
	}
	return Secret{p: &raw}
}

// Reveal returns the raw credential. Call it only at the point where the
// credential is handed to the code that needs it (the Stripe client).
func (s Secret) Reveal() string {
	if s.p == nil {
		return ""
	}
	return *s.p
}

// IsZero reports whether s is empty.
func (s Secret) IsZero() bool { return s.p == nil || *s.p == "" }

// knownPrefixes are the credential prefixes that may be shown in a redacted
// form; they identify the kind and mode of a key without revealing it.
var knownPrefixes = []string{
	"sk_test_", "sk_live_", "rk_test_", "rk_live_", "pk_test_", "pk_live_", "whsec_",
}

// Redacted returns the display form: the key's kind prefix, if it has a
// known one, followed by "…(redacted)"; "" for an empty Secret.
func (s Secret) Redacted() string {
	raw := s.Reveal()
	if raw == "" {
		return ""
	}
	for _, p := range knownPrefixes {
		if strings.HasPrefix(raw, p) {
			return p + "…(redacted)"
		}
	}
	return "(redacted)"
}

// String implements fmt.Stringer with the redacted form.
func (s Secret) String() string { return s.Redacted() }

// GoString implements fmt.GoStringer with the redacted form.
func (s Secret) GoString() string {
	return "config.Secret(" + strconv.Quote(s.Redacted()) + ")"
}

// Format implements fmt.Formatter so that every verb (%v %+v %#v %s %q %x
// %d …) prints the redacted form.
func (s Secret) Format(f fmt.State, verb rune) {
	switch {
	case verb == 'v' && f.Flag('#'):
		io.WriteString(f, s.GoString())
	case verb == 'q':
		io.WriteString(f, strconv.Quote(s.Redacted()))
	default:
		io.WriteString(f, s.Redacted())
	}
}

// MarshalText implements encoding.TextMarshaler with the redacted form, so
// JSON, TOML and YAML encoders never write the credential.
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.Redacted()), nil }

// MarshalJSON implements json.Marshaler with the redacted form.
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(strconv.Quote(s.Redacted())), nil }

// LogValue implements slog.LogValuer with the redacted form.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.Redacted()) }

// keyPattern matches anything shaped like a Stripe API key.
var keyPattern = regexp.MustCompile(`\b([spr]k_(?:test|live)_)[A-Za-z0-9]+`)

// redactKeys replaces anything that looks like a Stripe key in s by its
// redacted form. It is the last line of defence for error messages that
// quote user input.
func redactKeys(s string) string {
	return keyPattern.ReplaceAllString(s, "${1}…(redacted)")
}
