package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"kasse/i18n"
)

// Every command of the table has a one-line summary and a usage that
// starts with the words it is called by; kasse --help (and -h, and help)
// lists every one of them, and each answers --help itself.
func TestHelpListsEveryCommand(t *testing.T) {
	words := map[string]bool{}
	for _, c := range kasse.Commands {
		for _, loc := range []*i18n.Locale{i18n.New(i18n.English), i18n.New(i18n.German)} {
			summary, usage := loc.Render(c.Summary), loc.Render(c.Usage)
			if summary == "" || strings.Contains(summary, "\n") || strings.HasPrefix(summary, "[") {
				t.Errorf("%q in %s: the summary must be one line: %q", c.Name, loc.Tag(), summary)
			}
			if usage == "" || strings.HasPrefix(usage, "[cli.") || c.Run == nil {
				t.Errorf("%q in %s: no usage or no run", c.Name, loc.Tag())
			}
			if c.Name != kasse.Default && !strings.HasPrefix(usage, c.Name) {
				t.Errorf("%q in %s: usage %q does not start with the command", c.Name, loc.Tag(), usage)
			}
		}
		if words[c.Word()] {
			t.Errorf("two commands are called %q", c.Word())
		}
		words[c.Word()] = true
	}
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}, {"--data-dir", t.TempDir(), "--help"}} {
		var out, errb bytes.Buffer
		if code := run(context.Background(), args, nil, &out, &errb); code != 0 {
			t.Fatalf("%v: exit %d %s", args, code, errb.String())
		}
		for _, c := range kasse.Commands {
			name := c.Name
			if name == kasse.Default {
				name = "(none)"
			}
			if !strings.Contains(out.String(), "\n  "+name+" ") || !strings.Contains(out.String(), i18n.Neutral().Render(c.Summary)+"\n") {
				t.Errorf("%v does not list %q:\n%s", args, c.Name, out.String())
			}
		}
		if !strings.Contains(out.String(), "\n  help ") || !strings.Contains(out.String(), "--data-dir DIR") {
			t.Errorf("%v: no help line or no shared settings:\n%s", args, out.String())
		}
		for i, l := range strings.Split(out.String(), "\n") {
			if n := len([]rune(l)); n > 80 {
				t.Errorf("%v line %d is %d wide: %q", args, i+1, n, l)
			}
		}
	}
	w := newCLIWorld(t)
	for _, c := range kasse.Commands {
		args := append(strings.Fields(c.Name)[:1], "--help")
		r := w.kasse("", args...)
		want := "kasse " + c.Word()
		if c.Name == kasse.Default {
			want = "Usage: kasse [flags]"
		}
		if r.code != 0 || !strings.Contains(r.stdout+r.stderr, want) {
			t.Errorf("kasse %s --help: exit %d, no %q:\n%s%s", c.Word(), r.code, want, r.stdout, r.stderr)
		}
	}
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"config", "--help"}, nil, &out, &errb); code != 0 || !strings.Contains(out.String(), "kasse config example") {
		t.Errorf("config --help: %d %q %q", code, out.String(), errb.String())
	}
	// In German too: no line of kasse --help is wider than 80.
	t.Setenv("LANG", "de_DE.UTF-8")
	var de, deErr bytes.Buffer
	if code := run(context.Background(), []string{"--help"}, nil, &de, &deErr); code != 0 || !strings.Contains(de.String(), "Befehle:") {
		t.Fatalf("German --help: exit %d %s%s", code, de.String(), deErr.String())
	}
	for i, l := range strings.Split(de.String(), "\n") {
		if n := len([]rune(l)); n > 80 {
			t.Errorf("German --help line %d is %d wide: %q", i+1, n, l)
		}
	}
}

// kasse sellers lists the embedded sandbox's demo sellers.
func TestSellersCommand(t *testing.T) {
	w := newCLIWorld(t)
	r := w.kasse("", "sellers", "--json")
	var got []struct {
		ID, Name, Country, Currency string
		CardPayments                string `json:"card_payments"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &got); r.code != 0 || err != nil || len(got) != 5 {
		t.Fatalf("exit %d, %v: %s %s", r.code, err, r.stdout, r.stderr)
	}
	if g := got[4]; g.Name != "Sonnenkorn" || g.Country != "DE" || g.Currency != "eur" || g.CardPayments != "active" || !strings.HasPrefix(g.ID, "acct_") {
		t.Errorf("last seller %+v", g)
	}
	w.kasse("", "sellers").expect(t, 0, "5 sellers, 4 can sell", "")
	w.kasse("", "sellers", "--bogus").expect(t, 64, "", "flag provided but not defined: -bogus")
}
