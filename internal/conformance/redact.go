package conformance

import (
	"encoding/base64"
	"net/http"
	"regexp"
	"sort"
	"strings"
)

const redacted = "[REDACTED]"

var (
	// apiKeyRE matches Stripe API keys of any kind and mode (sk_, rk_, pk_;
	// test or live), including keys with extra underscores.
	apiKeyRE = regexp.MustCompile(`\b(?:sk|rk|pk)_(?:test|live)_[0-9A-Za-z_]+`)
	// clientSecretRE matches PaymentIntent/SetupIntent client secrets.
	clientSecretRE = regexp.MustCompile(`(_secret_)[0-9A-Za-z]+`)
)

// secretsOf lists the credential strings a request carries: the raw
// Authorization value, its token and, for Basic auth, the decoded user and
// password. Longest first, so that a value is replaced before its parts.
func secretsOf(h http.Header) []string {
	var out []string
	for _, auth := range h.Values("Authorization") {
		auth = strings.TrimSpace(auth)
		if auth == "" {
			continue
		}
		out = append(out, auth)
		scheme, token, ok := strings.Cut(auth, " ")
		if !ok {
			continue
		}
		token = strings.TrimSpace(token)
		out = append(out, token)
		if strings.EqualFold(scheme, "Basic") {
			if dec, err := base64.StdEncoding.DecodeString(token); err == nil {
				user, pass, _ := strings.Cut(string(dec), ":")
				out = append(out, string(dec), user, pass)
			}
		}
	}
	// Drop values too short to be credentials: replacing "" or ":" would
	// mangle the text without protecting anything.
	kept := out[:0]
	for _, s := range out {
		if len(s) >= 6 {
			kept = append(kept, s)
		}
	}
	sort.SliceStable(kept, func(i, j int) bool { return len(kept[i]) > len(kept[j]) })
	return kept
}

// redact removes the given secrets, anything shaped like a Stripe API key and
// client secrets from s.
func redact(s string, secrets []string) string {
	for _, sec := range secrets {
		s = strings.ReplaceAll(s, sec, redacted)
	}
	s = apiKeyRE.ReplaceAllString(s, redacted)
	return clientSecretRE.ReplaceAllString(s, "${1}"+redacted)
}
