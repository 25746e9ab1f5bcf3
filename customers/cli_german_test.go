package customers

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"kasse/i18n"
	kcli "kasse/internal/cli"
)

// runIn runs `kasse customers args…` in loc's language.
func (e *env) runIn(loc *i18n.Locale, args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := RunCustomers(context.Background(), CLIDeps{Service: e.svc, Terminal: e.client, Operator: "anna", Mode: "sandbox"},
		args, kcli.IO{In: strings.NewReader(""), Out: &out, Err: &errb, Loc: loc})
	return code, out.String(), errb.String()
}

// kasse customers in German: help, the list's headings, a customer's rows
// and cards, a bad input's refusal; --json is the same in both languages.
func TestCLIInGerman(t *testing.T) {
	e := newEnv(t)
	de, en := i18n.New(i18n.German), i18n.New(i18n.English)
	if code, out, _ := e.runIn(de, "--help"); code != ExitOK || !strings.Contains(out, "Aufruf: kasse customers") || !strings.Contains(out, "--consent bestätigt") {
		t.Fatalf("help: %d\n%s", code, out)
	}
	code, out, _ := e.runIn(de, "list", "--search", "mara")
	if code != ExitOK || !strings.Contains(out, "E-MAIL") || !strings.Contains(out, "Plattform (Wallet)") {
		t.Fatalf("list: %d\n%s", code, out)
	}
	_, jsonDE, _ := e.runIn(de, "list", "--search", "mara", "--json")
	_, jsonEN, _ := e.runIn(en, "list", "--search", "mara", "--json")
	if jsonDE != jsonEN || !strings.Contains(jsonDE, `"account": "platform"`) {
		t.Fatalf("--json differs by language:\n%s\n%s", jsonDE, jsonEN)
	}
	mara := strings.Fields(strings.Split(out, "\n")[1])[0]
	code, out, _ = e.runIn(de, "show", "--customer", mara)
	if code != ExitOK || !strings.Contains(out, "visa mit Endung 4242") || !strings.Contains(out, "Gespeicherte Karten:") ||
		!strings.Contains(out, "Kopie bei") || !strings.Contains(out, "Letzte Verkäufe (diese Konsole):") {
		t.Fatalf("show: %d\n%s", code, out)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"create", "--name", "X", "--email", "nope"}, `keine E-Mail-Adresse: "nope" (nichts wurde gesendet)`},
		{[]string{"create", "--email", "a@example.com"}, "--name ist Pflicht"},
		{[]string{"show", "--customer", "cus_nobody"}, "kein solcher Kunde: cus_nobody (nichts wurde gesendet)"},
		{[]string{"save-card", "--customer", "cus_x", "--reader", "tmr_x"}, "--consent ist Pflicht"},
		{[]string{"list", "--seller", "bob"}, "die ID eines verbundenen Kontos"},
	} {
		if code, _, errOut := e.runIn(de, tc.args...); code != ExitUsage || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: %d %q, want %q", tc.args, code, errOut, tc.want)
		}
	}
}
