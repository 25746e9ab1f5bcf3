package main

import (
	"bytes"
	"context"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"strings"
	"testing"
)

// dispatched returns the command names run's switch (main.go) handles.
func dispatched(t *testing.T) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "main.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	ast.Inspect(f, func(n ast.Node) bool {
		fn, ok := n.(*ast.FuncDecl)
		if !ok || fn.Name.Name != "run" {
			return true
		}
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			sw, ok := n.(*ast.SwitchStmt)
			if !ok {
				return true
			}
			if id, isIdent := sw.Tag.(*ast.Ident); !isIdent || id.Name != "cmd" {
				return true
			}
			for _, st := range sw.Body.List {
				for _, e := range st.(*ast.CaseClause).List {
					if lit, ok := e.(*ast.BasicLit); ok && lit.Kind == token.STRING {
						s, _ := strconv.Unquote(lit.Value)
						names = append(names, s)
					}
				}
			}
			return false
		})
		return false
	})
	if len(names) < 5 {
		t.Fatalf("found only %v in run's switch", names)
	}
	return names
}

// `kasse --help` (and -h, and help) lists every command run dispatches,
// each with a one-line summary, and nothing it does not dispatch.
func TestHelpListsEveryCommand(t *testing.T) {
	listed := map[string]bool{}
	for _, c := range subcommands {
		listed[strings.Fields(c.name + " x")[0]] = true
		if c.summary == "" || strings.Contains(c.summary, "\n") {
			t.Errorf("%q: the summary must be one line", c.name)
		}
	}
	handled := map[string]bool{}
	for _, name := range dispatched(t) {
		handled[name] = true
		switch name {
		case "", "console", "-h", "--help":
			continue // the console and help's aliases
		}
		if !listed[name] {
			t.Errorf("kasse %s is dispatched but missing from kasse help (main_help.go)", name)
		}
	}
	for name := range listed {
		if name != "x" && !handled[name] {
			t.Errorf("kasse help lists %q, which run does not dispatch", name)
		}
	}
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}, {"--data-dir", t.TempDir(), "--help"}} {
		var out, errb bytes.Buffer
		if code := run(context.Background(), args, nil, &out, &errb); code != 0 {
			t.Fatalf("%v: exit %d %s", args, code, errb.String())
		}
		for _, c := range subcommands {
			if c.name != "" && !strings.Contains(out.String(), "  "+c.name+" ") || !strings.Contains(out.String(), c.summary) {
				t.Errorf("%v does not list %q:\n%s", args, c.name, out.String())
			}
		}
		for i, l := range strings.Split(out.String(), "\n") {
			if n := len([]rune(l)); n > 80 {
				t.Errorf("%v line %d is %d wide: %q", args, i+1, n, l)
			}
		}
	}
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"config", "--help"}, nil, &out, &errb); code != 0 || !strings.Contains(out.String(), "kasse config example") {
		t.Errorf("config --help: %d %q %q", code, out.String(), errb.String())
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
