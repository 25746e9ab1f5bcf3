package ui_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// tables are the package-level variables the console may have: values
// that never change once the program runs, safe for any number of
// sessions at once. Anything else at package level would be state shared
// by every session of a process (the SSH-served console runs many): it
// belongs in a Session, or in the Deps if it never changes.
var tables = map[string]string{
	"app.spinnerFrames": "the spinner's frames, read only",
	"sale.saleIDUnsafe": "a compiled regexp (safe for concurrent use)",
	"sale.emailShape":   "a compiled regexp (safe for concurrent use)",
	"office.errFilter":  "an error sentinel (errors.Is), never changed",
	"uitest.update":     "the -update flag of the test kit (linked into tests only)",
	"uitest.Now":        "the tests' fixed clock (linked into tests only)",
	"uitest.namedKeys":  "the test kit's key names (linked into tests only)",
}

// No package of the console keeps state in package variables: every
// package-level var under ui/ (tests excepted) is one of the tables.
func TestNoPackageLevelState(t *testing.T) {
	fset := token.NewFileSet()
	seen := map[string]bool{}
	var found []string
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "testdata" {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		for _, decl := range f.Decls {
			g, ok := decl.(*ast.GenDecl)
			if !ok || g.Tok != token.VAR {
				continue
			}
			for _, spec := range g.Specs {
				for _, name := range spec.(*ast.ValueSpec).Names {
					if name.Name == "_" {
						continue // a compile-time check, no storage
					}
					id := f.Name.Name + "." + name.Name
					seen[id] = true
					if _, ok := tables[id]; !ok {
						found = append(found, id+" ("+fset.Position(name.Pos()).String()+")")
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(found)
	for _, id := range found {
		t.Errorf("package-level var %s: per-session state goes in app.Session, shared read-only values in app.Deps "+
			"(a constant table may be listed in tables, with why it never changes)", id)
	}
	for id := range tables {
		if !seen[id] {
			t.Errorf("tables lists %s, which no longer exists: take it off", id)
		}
	}
}
