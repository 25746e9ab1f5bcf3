package journal

import (
	"regexp"
	"strings"
)

// keyPattern matches anything shaped like a Stripe secret, restricted or
// webhook key (sk_test_…, rk_live_…, whsec_…).
var keyPattern = regexp.MustCompile(`\b(?:(?:sk|rk|pk)_(?:test|live)_|whsec_)[A-Za-z0-9]+`)

// panPattern matches runs of 13–19 digits, optionally grouped by spaces or
// dashes, that may be card numbers; Redact checks them with Luhn.
var panPattern = regexp.MustCompile(`\b\d(?:[ -]?\d){12,18}\b`)

// Redact removes secrets from free text before it is stored: Stripe keys
// always, and digit runs that pass the Luhn check (card numbers) keep only
// their last four digits.
func Redact(s string) string {
	s = redactKeys(s)
	if !strings.ContainsAny(s, "0123456789") {
		return s
	}
	return panPattern.ReplaceAllStringFunc(s, func(m string) string {
		digits := strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, m)
		if !luhn(digits) {
			return m
		}
		return "[card …" + digits[len(digits)-4:] + "]"
	})
}

// redactKeys removes Stripe keys only; used on JSON snapshots, whose digit
// runs (ids, amounts) must survive.
func redactKeys(s string) string {
	if !strings.Contains(s, "_") {
		return s
	}
	return keyPattern.ReplaceAllStringFunc(s, func(m string) string {
		i := strings.LastIndexByte(m, '_')
		return m[:i+1] + "[redacted]"
	})
}

func luhn(d string) bool {
	sum, double := 0, false
	for i := len(d) - 1; i >= 0; i-- {
		n := int(d[i] - '0')
		if double {
			if n *= 2; n > 9 {
				n -= 9
			}
		}
		sum += n
		double = !double
	}
	return sum%10 == 0
}
