package headless_test

import (
	"strings"
	"testing"

	"kasse/headless"
)

// `kasse charge --currency xyz` is a usage error found before any request:
// exit 64 with a message saying what to write instead; nothing reaches
// Stripe.
func TestUnknownCurrencyIsAUsageError(t *testing.T) {
	e := newEnv(t, nil)
	for _, cur := range []string{"xyz", "XYZ", "usdollar"} {
		code, out, errOut := e.charge(t, e.deps(headless.ModeSandbox), "--seller", string(e.sellers["usd"].ID),
			"--reader", e.readers["usd"].ID, "--amount", "5", "--currency", cur)
		if code != headless.ExitUsage {
			t.Errorf("--currency %s: exit %d, want %d\nstdout %q\nstderr %q", cur, code, headless.ExitUsage, out, errOut)
		}
		for _, want := range []string{"--currency " + cur, "leave --currency out", "see kasse charge --help"} {
			if !strings.Contains(errOut, want) {
				t.Errorf("--currency %s: stderr lacks %q:\n%s", cur, want, errOut)
			}
		}
	}
	if n := e.counter.Total(); n != 0 {
		t.Fatalf("%d requests made for an unknown currency, want none", n)
	}
}
