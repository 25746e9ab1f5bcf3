package auth

import (
	"regexp"
	"strings"
	"testing"
)

func TestTestKeys(t *testing.T) {
	re := regexp.MustCompile(`^(sk|rk)_test_[A-Za-z0-9_]+$`)
	for _, k := range []string{"sk_test_123", "rk_test_abc_DEF", "sk_test_", "sk_live_123", "pk_test_123", "sk_test_12-3",
		"sk_test_é", "xsk_test_1", "sk_test_1\n", ""} {
		if got, want := isTestKey(k), re.MatchString(k); got != want {
			t.Errorf("isTestKey(%q) = %v, want %v", k, got, want)
		}
	}
	for k, want := range map[string]string{
		"sk_test_51HxYzAbCdEfGh":  "sk_test_**********EfGh",
		"sk_test_short":           "sk_test_*****",
		"rk_" + "live_0123456789": "rk_live_******6789", // split: no live-looking key in the source
	} {
		if got := Redact(k); got != want || strings.Contains(got, k[8:]) {
			t.Errorf("Redact(%q) = %q, want %q", k, got, want)
		}
	}
}
