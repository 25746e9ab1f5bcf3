// Package auth reads and checks the API key of a request, and shows keys
// the way Stripe's error messages do (never in full).
package auth

import (
	"encoding/base64"
	"net/http"
	"regexp"
	"strings"

	"kasse/sandbox/internal/apierr"
)

// isTestKey matches the keys the sandbox accepts, secret or restricted
// test keys (`^(sk|rk)_test_[A-Za-z0-9_]+$`). Live keys are refused: the
// sandbox is test mode only.
func isTestKey(k string) bool {
	rest, ok := strings.CutPrefix(k, "sk_test_")
	if !ok {
		if rest, ok = strings.CutPrefix(k, "rk_test_"); !ok {
			return false
		}
	}
	for i := 0; i < len(rest); i++ {
		if c := rest[i]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return rest != ""
}

// Key extracts the key from Bearer or Basic auth (Basic: key as user).
func Key(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if k, ok := strings.CutPrefix(h, "Bearer "); ok {
		return strings.TrimSpace(k)
	}
	if b, ok := strings.CutPrefix(h, "Basic "); ok {
		raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(b))
		if err != nil {
			return ""
		}
		user, _, _ := strings.Cut(string(raw), ":")
		return user
	}
	return ""
}

// keyPrefix matches the public part of a Stripe key: kind and mode.
var keyPrefix = regexp.MustCompile(`^(sk|pk|rk)_(test|live)_`)

// Redact shows a key the way Stripe's error messages do: its prefix,
// stars, and the last four characters. The full key is never echoed: only
// the kind-and-mode prefix ("sk_test_") and, for keys long enough that at
// least as many characters stay hidden, the last four are shown.
func Redact(k string) string {
	prefix := keyPrefix.FindString(k)
	rest := k[len(prefix):]
	if len(rest) < 8 {
		return prefix + strings.Repeat("*", len(rest))
	}
	return prefix + strings.Repeat("*", len(rest)-4) + rest[len(rest)-4:]
}

// Check refuses a request without a usable test key (401).
func Check(r *http.Request) *apierr.Error {
	k := Key(r)
	if k == "" {
		return &apierr.Error{Status: http.StatusUnauthorized, Type: apierr.TypeInvalidRequest,
			Message: "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/."}
	}
	if strings.HasPrefix(k, "pk_") {
		return &apierr.Error{Status: http.StatusUnauthorized, Type: apierr.TypeInvalidRequest,
			Message: "This API call cannot be made with a publishable API key. Please use a secret API key. You can find a list of your API keys at https://dashboard.stripe.com/account/apikeys."}
	}
	if !isTestKey(k) {
		return &apierr.Error{Status: http.StatusUnauthorized, Type: apierr.TypeInvalidRequest, Code: "api_key_expired_or_invalid",
			Message: "Invalid API Key provided: " + Redact(k)}
	}
	return nil
}
