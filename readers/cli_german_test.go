package readers

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"

	"kasse/i18n"
	kcli "kasse/internal/cli"
	"kasse/sandbox"
)

// cliIn is w.cli in the operator's language loc.
func (w *world) cliIn(loc *i18n.Locale, args ...string) cliRun {
	w.t.Helper()
	deps := CLIDeps{Fleet: w.fleet, Recent: w.recent, Authorize: func(context.Context, string) error { return nil }}
	var out, errb bytes.Buffer
	code := RunReaders(w.ctx, deps, append([]string{"readers"}, args...), kcli.IO{Out: &out, Err: &errb, Loc: loc})
	return cliRun{code, out.String(), errb.String()}
}

// kasse readers in German: the count line reads as German (dative after
// "an"), help and flag errors are German, amounts are typed and shown the
// German way, and --json is the same in both languages.
func TestCLIInGerman(t *testing.T) {
	de, en := i18n.New(i18n.German), i18n.New(i18n.English)
	w := newWorld(t, sandbox.Options{})
	s, rd := w.platformReader("Lumen")

	w.cliIn(de, "list").expect(t, ExitOK, "4 Lesegeräte an 4 Standorten\n", "")
	w.cliIn(en, "list").expect(t, ExitOK, "4 readers at 4 locations\n", "")
	for _, c := range []struct {
		loc  *i18n.Locale
		n    int
		want string
	}{{de, 1, "an 1 Standort"}, {de, 2, "an 2 Standorten"}, {en, 1, "at 1 location"}, {en, 3, "at 3 locations"}} {
		if got := c.loc.N("cli.readers.at_locations", c.n); got != c.want {
			t.Errorf("%s at_locations(%d) = %q, want %q", c.loc.Tag(), c.n, got, c.want)
		}
	}

	w.cliIn(de, "list", "--help").expect(t, ExitOK, "Aufruf: kasse readers list [--json]", "")
	w.cliIn(de, "list", "--bogus").expect(t, ExitUsage, "", "kasse readers list: unbekannte Option: -bogus")

	r := w.cliIn(de, "test", "--reader", rd.ID, "--seller", string(s.ID), "--amount", "0,50")
	r.expect(t, ExitOK, "0,50\u00a0$ auf "+rd.ID, "teste Lesegerät "+rd.ID)
	w.cliIn(de, "test", "--reader", rd.ID, "--seller", string(s.ID), "--amount", "0,505").
		expect(t, ExitUsage, "", "„0,505“: USD hat 2 Nachkommastellen")

	// Each read has its own request id; the rest is the same bytes.
	reqID := regexp.MustCompile(`"request_id": "req_[^"]*"`)
	jde, jen := w.cliIn(de, "list", "--json"), w.cliIn(en, "list", "--json")
	if jde.code != ExitOK || !strings.Contains(jde.stdout, `"summary": "Counter 1: online, idle"`) ||
		reqID.ReplaceAllString(jde.stdout, "") != reqID.ReplaceAllString(jen.stdout, "") {
		t.Errorf("list --json differs by language (exit %d):\nde %s\nen %s", jde.code, jde.stdout, jen.stdout)
	}
}
