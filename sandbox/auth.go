package sandbox

import (
	"encoding/base64"
	"net/http"
	"regexp"
	"strings"
)

// testKey matches the keys the sandbox accepts: secret or restricted test
// keys. Live keys are refused: the sandbox is test mode only.
var testKey = regexp.MustCompile(`^(sk|rk)_test_[A-Za-z0-9_]+$`)

// apiKey extracts the key from Bearer or Basic auth (Basic: key as user).
func apiKey(r *http.Request) string {
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

// redactKey shows a key the way Stripe's error messages do: its prefix,
// stars, and the last four characters. The full key is never echoed: only
// the kind-and-mode prefix ("sk_test_") and, for keys long enough that at
// least as many characters stay hidden, the last four are shown.
func redactKey(k string) string {
	prefix := keyPrefix.FindString(k)
	rest := k[len(prefix):]
	if len(rest) < 8 {
		return prefix + strings.Repeat("*", len(rest))
	}
	return prefix + strings.Repeat("*", len(rest)-4) + rest[len(rest)-4:]
}

func checkAuth(r *http.Request) *apiError {
	k := apiKey(r)
	if k == "" {
		return &apiError{Status: http.StatusUnauthorized, Type: errInvalidRequest,
			Message: "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/."}
	}
	if strings.HasPrefix(k, "pk_") {
		return &apiError{Status: http.StatusUnauthorized, Type: errInvalidRequest,
			Message: "This API call cannot be made with a publishable API key. Please use a secret API key. You can find a list of your API keys at https://dashboard.stripe.com/account/apikeys."}
	}
	if !testKey.MatchString(k) {
		return &apiError{Status: http.StatusUnauthorized, Type: errInvalidRequest, Code: "api_key_expired_or_invalid",
			Message: "Invalid API Key provided: " + redactKey(k)}
	}
	return nil
}

// checkAccount refuses a Stripe-Account that is not connected to the
// platform, as Stripe does (403, account_invalid). Called with s.mu held.
func (s *Server) checkAccount(account string, r *http.Request) *apiError {
	if _, ok := s.st.accounts[account]; ok {
		return nil
	}
	return &apiError{Status: http.StatusForbidden, Type: errInvalidRequest, Code: "account_invalid", validation: true,
		Message: "The provided key '" + redactKey(apiKey(r)) + "' does not have access to account '" + account +
			"' (or that account does not exist). Application access may have been revoked."}
}
