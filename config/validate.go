package config

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"kasse/i18n"
)

// none is no problem: the checks below return a catalogued message saying
// what is wrong with a value, or none.
var none = i18n.Message{}

// q quotes a value as the messages show it (Go syntax, as typed).
func q(s string) string { return strconv.Quote(s) }

// describe names a TOML value for an error message. Strings are quoted; the
// api_key setter never passes its value here.
func describe(v any) i18n.Message {
	switch v := v.(type) {
	case string:
		return i18n.M("cli.config.value.string", i18n.Args{"Value": q(v)})
	case int64:
		return i18n.M("cli.config.value.integer", i18n.Args{"Value": v})
	case float64:
		return i18n.M("cli.config.value.number", i18n.Args{"Value": strconv.FormatFloat(v, 'g', -1, 64)})
	case bool:
		return i18n.M("cli.config.value.boolean", i18n.Args{"Value": v})
	}
	return typeName(v)
}

// typeName names a value's TOML type without showing the value.
func typeName(v any) i18n.Message {
	switch v.(type) {
	case string:
		return i18n.M("cli.config.type.string")
	case int64:
		return i18n.M("cli.config.type.integer")
	case float64:
		return i18n.M("cli.config.type.float")
	case bool:
		return i18n.M("cli.config.type.boolean")
	case time.Time:
		return i18n.M("cli.config.type.datetime")
	case map[string]any:
		return i18n.M("cli.config.type.table")
	case []any, []map[string]any:
		return i18n.M("cli.config.type.array")
	}
	return i18n.M("cli.config.type.other", i18n.Args{"Type": fmt.Sprintf("%T", v)})
}

func wantString(v any) (string, i18n.Message) {
	s, ok := v.(string)
	if !ok {
		return "", i18n.M("cli.config.want_string", i18n.Args{"Value": describe(v)})
	}
	return s, none
}

func wantBool(v any) (bool, i18n.Message) {
	b, ok := v.(bool)
	if !ok {
		return false, i18n.M("cli.config.want_bool", i18n.Args{"Value": describe(v)})
	}
	return b, none
}

func oneOf(v any, allowed ...string) (string, i18n.Message) {
	s, msg := wantString(v)
	if msg.ID != "" {
		return "", msg
	}
	for _, a := range allowed {
		if s == a {
			return s, none
		}
	}
	return "", i18n.M("cli.config.one_of", i18n.Args{"Value": q(s), "Allowed": strings.Join(allowed, ", ")})
}

// checkAPIKey validates the shape of a secret or restricted key. Its
// messages never contain the key.
func checkAPIKey(k string) i18n.Message {
	if strings.HasPrefix(k, "pk_") {
		return i18n.M("cli.config.api_key_publishable")
	}
	for _, p := range []string{"sk_test_", "sk_live_", "rk_test_", "rk_live_"} {
		rest, ok := strings.CutPrefix(k, p)
		if !ok {
			continue
		}
		if rest == "" || strings.IndexFunc(rest, notAlnum) >= 0 {
			return i18n.M("cli.config.api_key_malformed", i18n.Args{"Prefix": p})
		}
		return none
	}
	return i18n.M("cli.config.api_key_not_secret")
}

func notAlnum(r rune) bool {
	return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
}

// checkAPIBase allows only Stripe's API host over https and loopback
// addresses (for stripe-mock and the like). It returns the normalised base.
func checkAPIBase(s string) (string, i18n.Message) {
	a := i18n.Args{"Value": q(s), "Default": DefaultAPIBase}
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" || u.Host == "" || u.Opaque != "" {
		return "", i18n.M("cli.config.api_base_not_url", a)
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" || (u.Path != "" && u.Path != "/") {
		return "", i18n.M("cli.config.api_base_parts", a)
	}
	scheme, host, port := strings.ToLower(u.Scheme), strings.ToLower(u.Hostname()), u.Port()
	if port != "" {
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return "", i18n.M("cli.config.api_base_port", a)
		}
	}
	switch host {
	case "api.stripe.com":
		if scheme != "https" || (port != "" && port != "443") {
			return "", i18n.M("cli.config.api_base_stripe", a)
		}
	case "127.0.0.1", "localhost", "::1":
		if scheme != "http" && scheme != "https" {
			return "", i18n.M("cli.config.api_base_scheme", a)
		}
	default:
		return "", i18n.M("cli.config.api_base_host", a)
	}
	return scheme + "://" + strings.ToLower(u.Host), none
}

var consoleIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

func checkConsoleID(v any) (string, i18n.Message) {
	s, msg := wantString(v)
	if msg.ID == "" && !consoleIDPattern.MatchString(s) {
		msg = i18n.M("cli.config.console_id", i18n.Args{"Value": q(s)})
	}
	return s, msg
}

// checkName validates an operator name: 1 to 64 characters, no control
// characters, no surrounding space.
func checkName(v any) (string, i18n.Message) {
	s, msg := wantString(v)
	a := i18n.Args{"Value": q(s)}
	switch {
	case msg.ID != "":
	case s == "":
		msg = i18n.M("cli.config.empty")
	case strings.TrimSpace(s) != s:
		msg = i18n.M("cli.config.name_space", a)
	case len([]rune(s)) > 64:
		msg = i18n.M("cli.config.name_long", a)
	case strings.IndexFunc(s, unicode.IsControl) >= 0:
		msg = i18n.M("cli.config.control_chars", a)
	}
	return s, msg
}

// checkLanguage validates a language setting and returns it normalised
// ("de_AT" → "de-AT").
func checkLanguage(v any) (string, i18n.Message) {
	s, msg := wantString(v)
	if msg.ID != "" {
		return "", msg
	}
	t, err := i18n.ParseLanguage(s)
	var e *i18n.Error
	if errors.As(err, &e) {
		return "", e.Msg
	}
	return t.String(), none
}

// checkDuration parses a Go duration string; empty is allowed only when
// emptyOK (and yields 0).
func checkDuration(v any, emptyOK bool) (time.Duration, i18n.Message) {
	s, msg := wantString(v)
	if msg.ID != "" {
		return 0, msg
	}
	if s == "" && emptyOK {
		return 0, none
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, i18n.M("cli.config.duration", i18n.Args{"Value": q(s)})
	}
	if d < 0 {
		return 0, i18n.M("cli.config.negative", i18n.Args{"Value": q(s)})
	}
	return d, none
}

// Bounds of pin_lockout.
const (
	DefaultPinLockout = 5 * time.Minute
	MaxPinLockout     = 24 * time.Hour
)

// checkPinLockout is checkDuration without zero (which would switch the
// lockout off) and at most MaxPinLockout.
func checkPinLockout(v any) (time.Duration, i18n.Message) {
	d, msg := checkDuration(v, false)
	s, _ := v.(string)
	switch {
	case msg.ID != "":
		return 0, msg
	case d <= 0:
		return 0, i18n.M("cli.config.pin_lockout_zero", i18n.Args{"Value": q(s)})
	case d > MaxPinLockout:
		return 0, i18n.M("cli.config.pin_lockout_long", i18n.Args{"Value": q(s), "Max": "24h"})
	}
	return d, none
}

var percentPattern = regexp.MustCompile(`^([0-9]{1,3})(?:\.([0-9]+))?%?$`)

// checkTaxRate accepts a percentage as a TOML number or string ("8.875",
// "8.875%") and returns it in thousandths of a percent.
func checkTaxRate(v any) (int64, i18n.Message) {
	return checkPercent(v, percentWords{most: TaxRateScale,
		kind: i18n.M("cli.config.tax_rate_type"), syntax: i18n.M("cli.config.tax_rate_syntax"),
		decimals: i18n.M("cli.config.tax_rate_decimals"), high: i18n.M("cli.config.tax_rate_high"),
	})
}

// percentWords are the percentage a setting takes at most (its 100%, in
// thousandths of a percent) and the messages it is refused with (their
// Value filled in): not a number or string, negative (none: refused as
// syntax), not a percentage, more than three decimals, above the most.
type percentWords struct {
	most                                   int64
	kind, negative, syntax, decimals, high i18n.Message
}

// withValue is m about the value v (quoted or described).
func withValue(m i18n.Message, v any) i18n.Message {
	m.Args = i18n.Args{"Value": v}
	return m
}

// checkPercent reads a percentage, as a TOML number or string with up to
// three decimals ("8.875", 2.9, "1.25%"), in thousandths of a percent
// (0..w.most).
func checkPercent(v any, w percentWords) (int64, i18n.Message) {
	var s string
	switch v := v.(type) {
	case string:
		s = strings.TrimSpace(v)
	case int64:
		s = strconv.FormatInt(v, 10)
	case float64:
		s = strconv.FormatFloat(v, 'f', -1, 64)
	default:
		return 0, withValue(w.kind, describe(v))
	}
	if w.negative.ID != "" && strings.HasPrefix(s, "-") {
		return 0, withValue(w.negative, q(s))
	}
	m := percentPattern.FindStringSubmatch(s)
	if m == nil {
		return 0, withValue(w.syntax, q(s))
	}
	if len(m[2]) > 3 {
		return 0, withValue(w.decimals, q(s))
	}
	whole, _ := strconv.ParseInt(m[1], 10, 64)
	frac, _ := strconv.ParseInt((m[2] + "000")[:3], 10, 64)
	r := whole*1000 + frac
	if r > w.most {
		return 0, withValue(w.high, q(s))
	}
	return r, none
}

var pricePattern = regexp.MustCompile(`^[0-9]{1,9}(?:\.[0-9]{1,3})?$`)

// checkPrice accepts a positive decimal amount in major units, as a string.
func checkPrice(v any) (string, i18n.Message) {
	s, ok := v.(string)
	if !ok {
		return "", i18n.M("cli.config.price_type", i18n.Args{"Value": describe(v)})
	}
	if !pricePattern.MatchString(s) {
		return "", i18n.M("cli.config.price_syntax", i18n.Args{"Value": q(s)})
	}
	if strings.Trim(s, "0.") == "" {
		return "", i18n.M("cli.config.price_zero", i18n.Args{"Value": q(s)})
	}
	return s, none
}

func checkQuickKeyChar(v any) (string, i18n.Message) {
	s, msg := wantString(v)
	if msg.ID != "" {
		return "", msg
	}
	if len(s) != 1 || !(s[0] >= '1' && s[0] <= '9' || s[0] >= 'a' && s[0] <= 'z') {
		return "", i18n.M("cli.config.quick_key_char", i18n.Args{"Value": q(s)})
	}
	return s, none
}

func checkDescription(v any) (string, i18n.Message) {
	s, msg := wantString(v)
	switch {
	case msg.ID != "":
	case strings.TrimSpace(s) == "":
		msg = i18n.M("cli.config.empty")
	case strings.IndexFunc(s, unicode.IsControl) >= 0:
		msg = i18n.M("cli.config.control_chars", i18n.Args{"Value": q(s)})
	}
	return s, msg
}
