package readers

import (
	"regexp"
	"strings"
)

// Redacted replaces whatever a redaction removed.
const Redacted = "[redacted]"

var (
	// Secret and restricted API keys (and publishable ones, harmless but
	// never useful in a bundle), anywhere, even glued to other text.
	apiKeyRE = regexp.MustCompile(`(sk|rk|pk)_(test|live)_[0-9A-Za-z]*`)
	// Older keys without a mode part.
	legacyKeyRE = regexp.MustCompile(`\b(sk|rk)_[0-9A-Za-z]{16,}`)
	// Webhook signing secrets.
	whsecRE = regexp.MustCompile(`whsec_[0-9A-Za-z+/=]*`)
	// name=value or name: value pairs whose name says PIN, password or
	// secret, also in JSON-looking text ("pin":"1234").
	// The name may end a snake_case word ("admin_pin=1234").
	pinPairRE = regexp.MustCompile(`(?i)(\b|_)(pin|pins|pin_?code|passcode|password|passwd|secret|api_?key|token)(["']?\s*[:=]\s*["']?)([^\s"',;&{}\[\]]+)`)
	// Card-number-looking digit runs (checked with Luhn before masking).
	panRE = regexp.MustCompile(`\b\d{13,19}\b`)
)

// RedactString removes API keys (sk_, rk_, pk_), webhook secrets (whsec_),
// the values of PIN-, password- and secret-named pairs ("pin=1234",
// "password: x") and card numbers (Luhn-valid runs of 13–19 digits, which
// keep their last four) from s.
func RedactString(s string) string {
	s = redactSecrets(s)
	s = pinPairRE.ReplaceAllString(s, "${1}${2}${3}"+Redacted)
	return panRE.ReplaceAllStringFunc(s, func(d string) string {
		if !luhn(d) {
			return d
		}
		return "[card …" + d[len(d)-4:] + "]"
	})
}

// redactSecrets removes keys and webhook secrets only. It never adds or
// removes quotes, so it is safe on serialised JSON.
func redactSecrets(s string) string {
	s = apiKeyRE.ReplaceAllString(s, Redacted)
	s = legacyKeyRE.ReplaceAllString(s, Redacted)
	return whsecRE.ReplaceAllString(s, Redacted)
}

// SensitiveKey reports whether a metadata (or field) name says its value
// is a secret: a "pin" word, or passcode, password, secret, token, api key.
func SensitiveKey(name string) bool {
	l := strings.ToLower(name)
	words := strings.FieldsFunc(l, func(r rune) bool { return (r < 'a' || r > 'z') && (r < '0' || r > '9') })
	for _, w := range words {
		if w == "pin" || w == "pins" || w == "pincode" || w == "token" || w == "secret" {
			return true
		}
	}
	flat := strings.Join(words, "")
	for _, s := range []string{"passcode", "password", "passwd", "secret", "apikey", "pincode", "accesstoken"} {
		if strings.Contains(flat, s) {
			return true
		}
	}
	return false
}

// RedactMap returns a copy of m with sensitive keys' values replaced and
// every key and value passed through RedactString.
func RedactMap(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		if SensitiveKey(k) {
			v = Redacted
		}
		out[RedactString(k)] = RedactString(v)
	}
	return out
}

// luhn reports whether the digit string passes the Luhn check.
func luhn(d string) bool {
	sum, double := 0, false
	for i := len(d) - 1; i >= 0; i-- {
		n := int(d[i] - '0')
		if double {
			if n *= 2; n > 9 {
				n -= 9
			}
		}
		sum, double = sum+n, !double
	}
	return sum%10 == 0
}
