package stripeapi

import (
	"net/http"
	"strings"
	"testing"
)

func TestValidateBaseURL(t *testing.T) {
	allowed := map[string]string{
		"":                           "https://api.stripe.com",
		"https://api.stripe.com":     "https://api.stripe.com",
		"https://api.stripe.com/":    "https://api.stripe.com",
		"https://api.stripe.com/v1":  "https://api.stripe.com",
		"https://API.stripe.com":     "https://API.stripe.com",
		"https://api.stripe.com:443": "https://api.stripe.com:443",
		"http://127.0.0.1:12111":     "http://127.0.0.1:12111",
		"http://127.0.0.1":           "http://127.0.0.1",
		"https://127.0.0.1:12112/":   "https://127.0.0.1:12112",
		"http://localhost:8080":      "http://localhost:8080",
		"http://LOCALHOST:8080/v1":   "http://LOCALHOST:8080",
		"http://[::1]:9000":          "http://[::1]:9000",
	}
	for in, want := range allowed {
		got, err := ValidateBaseURL(in)
		if err != nil || got != want {
			t.Errorf("ValidateBaseURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	refused := []string{
		"http://api.stripe.com",               // no TLS to the real API
		"https://api.stripe.com:8443",         // no other port
		"https://api.stripe.com.evil.example", // suffix trick
		"https://evil.example/api.stripe.com", // path trick
		"https://api.stripe.com@evil.example", // userinfo trick (host is evil.example)
		"https://user:pw@127.0.0.1:12111",     // userinfo on loopback
		"https://example.com",
		"https://qa-api.stripe.com",
		"http://127.0.0.2:12111",
		"http://127.0.0.1.nip.io:12111",
		"http://0.0.0.0:12111",
		"http://192.168.1.10:12111",
		"ftp://127.0.0.1:21",
		"127.0.0.1:12111",
		"localhost",
		"http://127.0.0.1:12111/v2",
		"http://127.0.0.1:12111/?x=1",
		"http://127.0.0.1:12111/#frag",
		"api.stripe.com",
		"://bad",
	}
	for _, in := range refused {
		_, err := ValidateBaseURL(in)
		if err == nil {
			t.Errorf("ValidateBaseURL(%q) accepted, want refused", in)
			continue
		}
		shown := in
		if strings.Contains(in, "pw@") {
			shown = "user:xxxxx@127.0.0.1:12111" // the password is not echoed
		}
		if !strings.Contains(err.Error(), shown) {
			t.Errorf("ValidateBaseURL(%q) error %q does not name the value", in, err)
		}
		if strings.Contains(err.Error(), ":pw@") {
			t.Errorf("ValidateBaseURL(%q) error echoes the password: %q", in, err)
		}
	}
}

func TestValidateAPIKey(t *testing.T) {
	for _, k := range []string{"sk_test_123", "sk_live_" + "51abcXYZ", "rk_test_a1", "rk_live_Z9"} {
		if err := ValidateAPIKey(k); err != nil {
			t.Errorf("ValidateAPIKey(%q) = %v, want nil", k, err)
		}
	}
	refused := map[string]string{ // key → prefix the error may show
		"":                    "",
		"pk_test_SECRETabc":   "pk_test_…(redacted)",
		"pk_live_SECRETabc":   "pk_live_…(redacted)",
		"sk_test_":            "sk_test_…(redacted)",
		"sk_prod_SECRETabc":   "(redacted",
		"SECRETabc":           "(redacted, 9 chars)",
		"sk_test_SECRET abc":  "sk_test_…(redacted)",
		" sk_test_SECRETabc":  "(redacted",
		"whsec_SECRETabc":     "(redacted",
		"sk_test_SECRET\nabc": "sk_test_…(redacted)",
	}
	for k, shown := range refused {
		err := ValidateAPIKey(k)
		if err == nil {
			t.Errorf("ValidateAPIKey(%q) accepted", k)
			continue
		}
		if strings.Contains(err.Error(), "SECRET") {
			t.Errorf("ValidateAPIKey(%q) leaks the key: %q", k, err)
		}
		if !strings.Contains(err.Error(), shown) {
			t.Errorf("ValidateAPIKey(%q) = %q, want it to show %q", k, err, shown)
		}
	}
}

func TestLiveMode(t *testing.T) {
	for key, live := range map[string]bool{
		"sk_test_1": false, "rk_test_1": false, "sk_live_1": true, "rk_live_1": true,
	} {
		c, err := New(Config{APIKey: key})
		if err != nil {
			t.Fatal(err)
		}
		if c.LiveMode() != live || c.BaseURL() != DefaultBaseURL {
			t.Errorf("%s: LiveMode %v BaseURL %q, want %v %q", key[:7], c.LiveMode(), c.BaseURL(), live, DefaultBaseURL)
		}
	}
}

func TestNewRefusesBadConfig(t *testing.T) {
	if _, err := New(Config{APIKey: "sk_test_1", BaseURL: "https://evil.example"}); err == nil ||
		!strings.Contains(err.Error(), "https://evil.example") {
		t.Errorf("bad base URL: err = %v, want an error naming it", err)
	}
	if _, err := New(Config{APIKey: "pk_test_1"}); err == nil {
		t.Error("publishable key accepted")
	}
}

func TestConfigDefaults(t *testing.T) {
	for in, want := range map[int]int64{0: 2, NoRetries: 0, -5: 0, 1: 1, 4: 4} {
		if got := (Config{MaxNetworkRetries: in}).retries(); got != want {
			t.Errorf("MaxNetworkRetries %d → %d retries, want %d", in, got, want)
		}
	}
	for in, want := range map[int]int{0: DefaultRequestLogSize, -1: 0, 3: 3} {
		if got := (Config{RequestLogSize: in}).logSize(); got != want {
			t.Errorf("RequestLogSize %d → %d, want %d", in, got, want)
		}
	}
}

// countingTransport counts round trips.
type countingTransport struct{ n int }

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n++
	return http.DefaultTransport.RoundTrip(r)
}

// TestCallerHTTPClientUsedNotModified: requests go through the caller's
// transport, and the caller's *http.Client is left as it was.
func TestCallerHTTPClientUsedNotModified(t *testing.T) {
	fake := newFakeStripe(t, cannedStripe)
	ct := &countingTransport{}
	hc := &http.Client{Transport: ct}
	c, err := New(Config{APIKey: testKey, BaseURL: fake.URL, HTTPClient: hc})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListLocations(testCtx(t), ""); err != nil {
		t.Fatal(err)
	}
	if ct.n != 1 {
		t.Errorf("caller's transport saw %d requests, want 1", ct.n)
	}
	if hc.Transport != ct {
		t.Error("New replaced the caller's http.Client transport")
	}
}
