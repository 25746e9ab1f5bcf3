package stripeapi

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
)

// DefaultBaseURL is Stripe's API host.
const DefaultBaseURL = "https://api.stripe.com"

// DefaultMaxNetworkRetries is stripe-go's own default.
const DefaultMaxNetworkRetries = 2

// NoRetries, as Config.MaxNetworkRetries, turns stripe-go's retries off.
// (0 means "default", so that a zero Config is a sensible one.)
const NoRetries = -1

// DefaultRequestLogSize is how many requests RecentRequests keeps by default.
const DefaultRequestLogSize = 100

// Config configures a Client.
type Config struct {
	// APIKey is a secret or restricted key: sk_test_, sk_live_, rk_test_ or
	// rk_live_. Publishable keys are refused.
	APIKey string
	// BaseURL is https://api.stripe.com (the default when empty) or a
	// loopback URL (http or https on 127.0.0.1, localhost or [::1], any
	// port) for stripe-mock or the sandbox. Anything else is refused.
	BaseURL string
	// HTTPClient is used for all requests; nil means a client with a 30 s
	// timeout. It is copied, never modified: the client wraps its
	// Transport to keep the request log.
	HTTPClient *http.Client
	// MaxNetworkRetries is stripe-go's retry budget: 0 means
	// DefaultMaxNetworkRetries, NoRetries (or any negative value) means none.
	MaxNetworkRetries int
	// Logger receives stripe-go's log lines and one debug line per request,
	// all scrubbed of the key. nil means no logging.
	Logger *slog.Logger
	// Budget is the host's share of Stripe's rate limits that every
	// request waits for (nil: none). Give one Budget to every Client of a
	// process.
	Budget *Budget
	// RequestLogSize is the capacity of the RecentRequests ring buffer:
	// 0 means DefaultRequestLogSize, negative disables the log.
	RequestLogSize int
}

func (c Config) retries() int64 {
	switch {
	case c.MaxNetworkRetries < 0:
		return 0
	case c.MaxNetworkRetries == 0:
		return DefaultMaxNetworkRetries
	default:
		return int64(c.MaxNetworkRetries)
	}
}

func (c Config) logSize() int {
	switch {
	case c.RequestLogSize < 0:
		return 0
	case c.RequestLogSize == 0:
		return DefaultRequestLogSize
	default:
		return c.RequestLogSize
	}
}

// keyPattern is the shape of a usable server-side key.
var keyPattern = regexp.MustCompile(`^(sk|rk)_(test|live)_[A-Za-z0-9]+$`)

// prefixPattern finds a Stripe-style key prefix (sk_test_, pk_live_, …).
var prefixPattern = regexp.MustCompile(`^[a-z]{2,4}_(test|live)_`)

// ValidateAPIKey checks that key looks like a secret or restricted key. The
// error never contains the key, at most its prefix.
func ValidateAPIKey(key string) error {
	if key == "" {
		return fmt.Errorf("stripeapi: API key is empty")
	}
	if keyPattern.MatchString(key) {
		return nil
	}
	hint := ""
	if strings.HasPrefix(key, "pk_") {
		hint = "; publishable keys cannot make server calls"
	}
	return fmt.Errorf("stripeapi: API key %s is not a secret or restricted key "+
		"(want sk_test_, sk_live_, rk_test_ or rk_live_ followed by letters and digits)%s",
		RedactKey(key), hint)
}

// RedactKey renders key for humans: its prefix (when it has a Stripe-style
// one) and "…(redacted)", never the secret part.
func RedactKey(key string) string {
	if p := prefixPattern.FindString(key); p != "" {
		return p + "…(redacted)"
	}
	return fmt.Sprintf("(redacted, %d chars)", len(key))
}

// keyLiveMode reports whether a (validated) key is a live-mode key.
func keyLiveMode(key string) bool {
	return strings.HasPrefix(key, "sk_live_") || strings.HasPrefix(key, "rk_live_")
}

// ValidateBaseURL checks raw against the allowlist: Stripe's API host over
// https, or a loopback host (127.0.0.1, localhost, ::1) over http or https.
// The path may be empty, "/" or "/v1". It returns the URL to hand to
// stripe-go.
func ValidateBaseURL(raw string) (string, error) {
	if raw == "" {
		return DefaultBaseURL, nil
	}
	u, err := url.Parse(raw)
	shown := raw
	if err == nil && u.User != nil {
		shown = u.Redacted() // never echo a password
	}
	bad := func(why string) (string, error) {
		return "", fmt.Errorf("stripeapi: base URL %q is not allowed: %s "+
			"(allowed: %s, or http(s)://127.0.0.1, localhost or [::1] with any port)",
			shown, why, DefaultBaseURL)
	}
	if err != nil {
		return bad("it does not parse")
	}
	if u.Opaque != "" || u.Host == "" {
		return bad("it is not an absolute URL")
	}
	if u.User != nil {
		return bad("it contains user info")
	}
	if u.RawQuery != "" || u.Fragment != "" || u.ForceQuery {
		return bad("it has a query or fragment")
	}
	switch strings.TrimSuffix(u.Path, "/") {
	case "", "/v1":
	default:
		return bad("its path must be empty or /v1")
	}
	host := strings.ToLower(u.Hostname())
	port := u.Port()
	switch {
	case host == "api.stripe.com":
		if u.Scheme != "https" {
			return bad("Stripe's API host needs https")
		}
		if port != "" && port != "443" {
			return bad("Stripe's API host has no port other than 443")
		}
	case host == "127.0.0.1" || host == "localhost" || host == "::1":
		if u.Scheme != "http" && u.Scheme != "https" {
			return bad("the scheme must be http or https")
		}
	default:
		return bad("the host is neither api.stripe.com nor loopback")
	}
	return u.Scheme + "://" + u.Host, nil
}
