package config

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"kasse/i18n"
)

// describe names a TOML value for an error message. Strings are quoted; the
// api_key setter never passes its value here.
func describe(v any) string {
	switch v := v.(type) {
	case string:
		return fmt.Sprintf("the string %q", v)
	case int64:
		return fmt.Sprintf("the integer %d", v)
	case float64:
		return fmt.Sprintf("the number %v", v)
	case bool:
		return fmt.Sprintf("the boolean %v", v)
	}
	return typeName(v)
}

// typeName names a value's TOML type without showing the value.
func typeName(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case int64:
		return "an integer"
	case float64:
		return "a float"
	case bool:
		return "a boolean"
	case time.Time:
		return "a date/time"
	case map[string]any:
		return "a table"
	case []any, []map[string]any:
		return "an array"
	}
	return fmt.Sprintf("a %T", v)
}

func wantString(v any) (string, string) {
	s, ok := v.(string)
	if !ok {
		return "", "must be a string, not " + describe(v)
	}
	return s, ""
}

func wantBool(v any) (bool, string) {
	b, ok := v.(bool)
	if !ok {
		return false, "must be true or false, not " + describe(v)
	}
	return b, ""
}

func oneOf(v any, allowed ...string) (string, string) {
	s, msg := wantString(v)
	if msg != "" {
		return "", msg
	}
	for _, a := range allowed {
		if s == a {
			return s, ""
		}
	}
	return "", fmt.Sprintf("%q is not one of %s", s, strings.Join(allowed, ", "))
}

// checkAPIKey validates the shape of a secret or restricted key. Its
// messages never contain the key.
func checkAPIKey(k string) string {
	if strings.HasPrefix(k, "pk_") {
		return "publishable keys (pk_…) cannot be used: Kasse needs a secret key (sk_test_…, sk_live_…) or a restricted key (rk_test_…, rk_live_…)"
	}
	for _, p := range []string{"sk_test_", "sk_live_", "rk_test_", "rk_live_"} {
		rest, ok := strings.CutPrefix(k, p)
		if !ok {
			continue
		}
		if rest == "" || strings.IndexFunc(rest, notAlnum) >= 0 {
			return "malformed key: only letters and digits may follow " + p
		}
		return ""
	}
	return "not a Stripe secret key: it must start with sk_test_, sk_live_, rk_test_ or rk_live_"
}

func notAlnum(r rune) bool {
	return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
}

const apiBaseHint = "use " + DefaultAPIBase + " or a loopback address (http or https on 127.0.0.1, localhost or [::1], with an optional port)"

// checkAPIBase allows only Stripe's API host over https and loopback
// addresses (for stripe-mock and the like). It returns the normalised base.
func checkAPIBase(s string) (string, string) {
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" || u.Host == "" || u.Opaque != "" {
		return "", fmt.Sprintf("%q is not a URL; %s", s, apiBaseHint)
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" || (u.Path != "" && u.Path != "/") {
		return "", fmt.Sprintf("%q must be scheme://host[:port] only, without credentials, path, query or fragment", s)
	}
	scheme, host, port := strings.ToLower(u.Scheme), strings.ToLower(u.Hostname()), u.Port()
	if port != "" {
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return "", fmt.Sprintf("%q has an invalid port", s)
		}
	}
	switch host {
	case "api.stripe.com":
		if scheme != "https" || (port != "" && port != "443") {
			return "", fmt.Sprintf("%q is not allowed: Stripe's API is reached at %s", s, DefaultAPIBase)
		}
	case "127.0.0.1", "localhost", "::1":
		if scheme != "http" && scheme != "https" {
			return "", fmt.Sprintf("%q is not allowed: the scheme must be http or https", s)
		}
	default:
		return "", fmt.Sprintf("%q is not allowed: %s", s, apiBaseHint)
	}
	return scheme + "://" + strings.ToLower(u.Host), ""
}

var consoleIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

func checkConsoleID(v any) (string, string) {
	s, msg := wantString(v)
	if msg == "" && !consoleIDPattern.MatchString(s) {
		msg = fmt.Sprintf("%q must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit", s)
	}
	return s, msg
}

// checkName validates an operator name: 1 to 64 characters, no control
// characters, no surrounding space.
func checkName(v any) (string, string) {
	s, msg := wantString(v)
	switch {
	case msg != "":
	case s == "":
		msg = "must not be empty"
	case strings.TrimSpace(s) != s:
		msg = fmt.Sprintf("%q must not start or end with white space", s)
	case len([]rune(s)) > 64:
		msg = fmt.Sprintf("%q is longer than 64 characters", s)
	case strings.IndexFunc(s, unicode.IsControl) >= 0:
		msg = fmt.Sprintf("%q contains control characters", s)
	}
	return s, msg
}

// checkLanguage validates a language setting and returns it normalised
// ("de_AT" → "de-AT").
func checkLanguage(v any) (string, string) {
	s, msg := wantString(v)
	if msg != "" {
		return "", msg
	}
	t, err := i18n.ParseLanguage(s)
	if err != nil {
		return "", err.Error()
	}
	return t.String(), ""
}

// checkDuration parses a Go duration string; empty is allowed only when
// emptyOK (and yields 0).
func checkDuration(v any, emptyOK bool) (time.Duration, string) {
	s, msg := wantString(v)
	if msg != "" {
		return 0, msg
	}
	if s == "" && emptyOK {
		return 0, ""
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Sprintf("%q is not a duration like \"2m\" or \"90s\"", s)
	}
	if d < 0 {
		return 0, fmt.Sprintf("%q must not be negative", s)
	}
	return d, ""
}

// Bounds of pin_lockout.
const (
	DefaultPinLockout = 5 * time.Minute
	MaxPinLockout     = 24 * time.Hour
)

// checkPinLockout is checkDuration without zero (which would switch the
// lockout off) and at most MaxPinLockout.
func checkPinLockout(v any) (time.Duration, string) {
	d, msg := checkDuration(v, false)
	s, _ := v.(string)
	switch {
	case msg != "":
		return 0, msg
	case d <= 0:
		return 0, fmt.Sprintf("%q must be more than zero: the lockout cannot be switched off", s)
	case d > MaxPinLockout:
		return 0, fmt.Sprintf("%q is longer than 24h", s)
	}
	return d, ""
}

var percentPattern = regexp.MustCompile(`^([0-9]{1,3})(?:\.([0-9]+))?%?$`)

// checkTaxRate accepts a percentage as a TOML number or string ("8.875",
// "8.875%") and returns it in thousandths of a percent.
func checkTaxRate(v any) (int64, string) {
	var s string
	switch v := v.(type) {
	case string:
		s = strings.TrimSpace(v)
	case int64:
		s = strconv.FormatInt(v, 10)
	case float64:
		s = strconv.FormatFloat(v, 'f', -1, 64)
	default:
		return 0, "must be a percentage such as 8.875, not " + describe(v)
	}
	m := percentPattern.FindStringSubmatch(s)
	if m == nil {
		return 0, fmt.Sprintf("%q is not a percentage between 0 and 100, like 8.875", s)
	}
	if len(m[2]) > 3 {
		return 0, fmt.Sprintf("%q has more than 3 decimal places", s)
	}
	whole, _ := strconv.ParseInt(m[1], 10, 64)
	frac, _ := strconv.ParseInt((m[2] + "000")[:3], 10, 64)
	r := whole*1000 + frac
	if r > TaxRateScale {
		return 0, fmt.Sprintf("%q is more than 100 percent", s)
	}
	return r, ""
}

var pricePattern = regexp.MustCompile(`^[0-9]{1,9}(?:\.[0-9]{1,3})?$`)

// checkPrice accepts a positive decimal amount in major units, as a string.
func checkPrice(v any) (string, string) {
	s, ok := v.(string)
	if !ok {
		return "", "must be a quoted decimal amount such as \"3.50\", not " + describe(v)
	}
	if !pricePattern.MatchString(s) {
		return "", fmt.Sprintf("%q is not a decimal amount such as \"3.50\" (at most 9 digits before and 3 after the point)", s)
	}
	if strings.Trim(s, "0.") == "" {
		return "", fmt.Sprintf("%q must be more than zero", s)
	}
	return s, ""
}

func checkQuickKeyChar(v any) (string, string) {
	s, msg := wantString(v)
	if msg != "" {
		return "", msg
	}
	if len(s) != 1 || !(s[0] >= '1' && s[0] <= '9' || s[0] >= 'a' && s[0] <= 'z') {
		return "", fmt.Sprintf("%q must be a single character, 1-9 or a-z", s)
	}
	return s, ""
}

func checkDescription(v any) (string, string) {
	s, msg := wantString(v)
	switch {
	case msg != "":
	case strings.TrimSpace(s) == "":
		msg = "must not be empty"
	case strings.IndexFunc(s, unicode.IsControl) >= 0:
		msg = fmt.Sprintf("%q contains control characters", s)
	}
	return s, msg
}
