package headless_test

import (
	"bytes"
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"kasse/headless"
	"kasse/i18n"
	"kasse/internal/cli"
)

// chargeIn is e.charge in the operator's language loc.
func (e *env) chargeIn(t *testing.T, loc *i18n.Locale, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := headless.RunCharge(context.Background(), e.deps(headless.ModeSandbox), args, cli.IO{Out: &out, Err: &errOut, Loc: loc})
	return code, out.String(), errOut.String()
}

// kasse charge in German (issue 16): --amount 12,50 is €12.50, shown as
// 12,50 € in German words; an over-precise or ambiguous amount is refused
// in German, never by dropping a character; --json is the same as in
// English (the sentence in it is the English one, codes the rest).
func TestChargeInGerman(t *testing.T) {
	e := newEnv(t, nil)
	de, en := i18n.New(i18n.German), i18n.New(i18n.English)
	seller, reader := e.sellers["eur"], e.readers["eur"]
	base := []string{"--seller", string(seller.ID), "--reader", reader.ID, "--simulate-card", "4242424242424242"}

	code, out, errOut := e.chargeIn(t, de, append(base, "--amount", "12,50")...)
	if code != headless.ExitApproved || !strings.Contains(out, "Genehmigt: 12,50\u00a0€ mit visa …4242 bei ") ||
		!strings.Contains(out, "  Betrag    12,50\u00a0€\n") {
		t.Fatalf("German sale: exit %d\n%s\n%s", code, out, errOut)
	}
	for _, c := range []struct{ amount, want string }{
		{"12,505", "kasse charge: --amount: „12,505“: EUR hat 2 Nachkommastellen"},
		{"1.250", "kasse charge: --amount: „1.250“ ist mehrdeutig: 1250 für ganze Einheiten oder 1,25 mit Nachkommastellen eingeben"},
		{"12,5x", "kasse charge: --amount: „12,5x“"},
	} {
		code, out, errOut := e.chargeIn(t, de, append(base, "--amount", c.amount)...)
		if code != headless.ExitUsage || !strings.Contains(errOut, c.want) || out != "" {
			t.Errorf("--amount %s: exit %d, stderr %q, want %q", c.amount, code, errOut, c.want)
		}
	}
	if code, out, _ := e.chargeIn(t, de, "--help"); code != headless.ExitApproved || !strings.HasPrefix(out, "Aufruf: kasse charge --seller KONTO") {
		t.Errorf("German help: exit %d\n%s", code, out)
	}

	// The same sale as JSON in both languages: equal but for its ids.
	neutral := func(loc *i18n.Locale) map[string]any {
		code, out, errOut := e.chargeIn(t, loc, append(base, "--amount", "12.50", "--json")...)
		var r map[string]any
		if err := json.Unmarshal([]byte(out), &r); err != nil || code != headless.ExitApproved {
			t.Fatalf("--json in %s: exit %d, %v\n%s\n%s", loc.Tag(), code, err, out, errOut)
		}
		delete(r, "sale_id")
		delete(r, "intent_id")
		return r
	}
	if g, e := neutral(de), neutral(en); !reflect.DeepEqual(g, e) || g["amount"] != 1250.0 ||
		!strings.HasPrefix(g["message"].(string), "Approved: €12.50 on visa ending 4242") {
		t.Errorf("--json differs by language or is not neutral:\nde %v\nen %v", g, e)
	}
}
