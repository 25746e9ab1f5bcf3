// Package i18ntest finds user-facing text that bypasses the message
// catalog, for tests: ScanLiterals lists the string literals of a source
// tree that read as words, CheckBaseline holds a tree to a recorded list
// of them (which sweeps shrink to nothing, and nothing may grow), and
// MessageUses lists the message keys code passes to the catalog, so a test
// can check that each exists.
//
// It reads source with go/parser and go/ast alone (no type checking), so
// its rules are syntactic. A string literal is reported unless:
//
//   - it holds no word: after fmt verbs are taken out, no two letters in a
//     row ("%s · %s", "─", "%d×%d", "12.50");
//   - it is a key name ("enter", "ctrl+c", "c/esc", "pgdn", "a-z", "tab/↑↓"):
//     keys are the same in every language;
//   - it is a colour ("#4ADE80");
//   - it is a message key of the catalog (isMessageID);
//   - it cannot reach the screen where it stands: an import path, a struct
//     tag, an operand of == or !=, a case of a switch, a map or composite
//     key, an index, an argument of key.WithKeys (and key.WithHelp's first,
//     the key's label), or an argument of a call into a package that
//     handles strings rather than showing them (strings, strconv, regexp,
//     filepath, path, os, exec, errors.Is and errors.As, slog, lipgloss,
//     termenv, time, json, url, http, bytes, utf8);
//   - its line, or the line above, carries the comment "i18n:ok" (with a
//     reason): for Stripe codes, ids, file names and the like.
//
// Test files, testdata and hidden directories are not read, nor is a
// test kit: a package whose code imports "testing" (ui/internal/uitest,
// linked into tests only), with the packages below it.
package i18ntest

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// Literal is one user-facing string literal.
type Literal struct {
	Pos   token.Position
	Value string // unquoted
}

// ScanLiterals returns the user-facing string literals of the Go files
// under dir, in file and line order. isMessageID may be nil.
func ScanLiterals(dir string, isMessageID func(string) bool) ([]Literal, error) {
	var out []Literal
	err := eachFile(dir, func(fset *token.FileSet, f *ast.File) {
		ok := okLines(fset, f)
		skip := map[*ast.BasicLit]bool{}
		markSkipped(f, skip)
		ast.Inspect(f, func(n ast.Node) bool {
			lit, isLit := n.(*ast.BasicLit)
			if !isLit || lit.Kind != token.STRING || skip[lit] {
				return true
			}
			v, err := strconv.Unquote(lit.Value)
			if err != nil {
				return true
			}
			pos := fset.Position(lit.Pos())
			if ok[pos.Line] || ok[pos.Line-1] || !hasWord(v) || isKeyName(v) || colour.MatchString(v) || (isMessageID != nil && isMessageID(v)) {
				return true
			}
			out = append(out, Literal{Pos: pos, Value: v})
			return true
		})
	})
	return out, err
}

// Use is one literal message key passed to the catalog.
type Use struct {
	Pos  token.Position
	ID   string
	Func string // T, N, M or MN
}

// MessageUses returns the calls T("key", …), N("key", …), M("key", …) and
// MN("key", …) (as functions or methods of any receiver) under dir whose
// key is a string literal.
func MessageUses(dir string) ([]Use, error) {
	var out []Use
	err := eachFile(dir, func(fset *token.FileSet, f *ast.File) {
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			name := ""
			switch fn := call.Fun.(type) {
			case *ast.Ident:
				name = fn.Name
			case *ast.SelectorExpr:
				name = fn.Sel.Name
			}
			if name != "T" && name != "N" && name != "M" && name != "MN" {
				return true
			}
			lit, ok := call.Args[0].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			if id, err := strconv.Unquote(lit.Value); err == nil {
				out = append(out, Use{Pos: fset.Position(lit.Pos()), ID: id, Func: name})
			}
			return true
		})
	})
	return out, err
}

// eachFile parses every non-test Go file under dir and its
// sub-directories, in lexical order, test kits left out.
func eachFile(dir string, fn func(*token.FileSet, *ast.File)) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if p != dir && (name == "testdata" || name == "vendor" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			kit, err := testKit(p)
			if err != nil {
				return err
			}
			if kit {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			return nil
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, p, nil, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return fmt.Errorf("i18ntest: %w", err)
		}
		fn(fset, f)
		return nil
	})
}

// testKit reports whether the package in dir is a test kit: code of its
// own (not a test file) imports "testing", so it is linked into tests
// only and nothing in it reaches a screen.
func testKit(dir string) (bool, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return false, err
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(dir, name), nil, parser.ImportsOnly)
		if err != nil {
			return false, fmt.Errorf("i18ntest: %w", err)
		}
		for _, im := range f.Imports {
			if im.Path.Value == `"testing"` {
				return true, nil
			}
		}
	}
	return false, nil
}

// okLines are the lines with an "i18n:ok" comment.
func okLines(fset *token.FileSet, f *ast.File) map[int]bool {
	out := map[int]bool{}
	for _, g := range f.Comments {
		for _, c := range g.List {
			if strings.Contains(c.Text, "i18n:ok") {
				out[fset.Position(c.Pos()).Line] = true
			}
		}
	}
	return out
}

// quietPackages handle strings without showing them.
var quietPackages = map[string]bool{
	"strings": true, "strconv": true, "regexp": true, "filepath": true, "path": true, "os": true,
	"exec": true, "slog": true, "lipgloss": true, "termenv": true, "time": true, "json": true,
	"url": true, "http": true, "bytes": true, "utf8": true,
}

// markSkipped marks the literals that stand where they cannot reach the
// screen.
func markSkipped(f *ast.File, skip map[*ast.BasicLit]bool) {
	mark := func(e ast.Expr) {
		ast.Inspect(e, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok {
				skip[lit] = true
			}
			return true
		})
	}
	for _, imp := range f.Imports {
		skip[imp.Path] = true
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.Field:
			if n.Tag != nil {
				skip[n.Tag] = true
			}
		case *ast.BinaryExpr:
			if n.Op == token.EQL || n.Op == token.NEQ {
				mark(n.X)
				mark(n.Y)
			}
		case *ast.CaseClause:
			for _, e := range n.List {
				mark(e)
			}
		case *ast.KeyValueExpr:
			if lit, ok := n.Key.(*ast.BasicLit); ok {
				skip[lit] = true
			}
		case *ast.IndexExpr:
			mark(n.Index)
		case *ast.CallExpr:
			sel, ok := n.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			pkg, _ := sel.X.(*ast.Ident)
			switch {
			case pkg != nil && pkg.Name == "key" && sel.Sel.Name == "WithKeys":
				for _, a := range n.Args {
					mark(a)
				}
			case pkg != nil && pkg.Name == "key" && sel.Sel.Name == "WithHelp" && len(n.Args) > 0:
				mark(n.Args[0])
			case pkg != nil && pkg.Name == "errors" && (sel.Sel.Name == "Is" || sel.Sel.Name == "As"),
				pkg != nil && quietPackages[pkg.Name]:
				for _, a := range n.Args {
					mark(a)
				}
			}
		}
		return true
	})
}

var colour = regexp.MustCompile(`^#([0-9A-Fa-f]{3}|[0-9A-Fa-f]{6}|[0-9A-Fa-f]{8})$`)

var fmtVerb = regexp.MustCompile(`%[-+# 0]*(\[\d+\])?(\d+|\*)?(\.(\d+|\*)?)?[a-zA-Z%]`)

// hasWord reports whether s, fmt verbs aside, has two letters in a row.
func hasWord(s string) bool {
	run := 0
	for _, r := range fmtVerb.ReplaceAllString(s, " ") {
		if unicode.IsLetter(r) {
			if run++; run >= 2 {
				return true
			}
		} else {
			run = 0
		}
	}
	return false
}

// keyNames are Bubble Tea's names of keys that are not one character, and
// the short labels help lines give some of them.
var keyNames = []string{"enter", "esc", "escape", "tab", "backspace", "delete", "insert", "space",
	"up", "down", "left", "right", "home", "end", "pgup", "pgdown", "f1", "f2", "f3", "f4", "f5",
	"f6", "f7", "f8", "f9", "f10", "f11", "f12", "del", "ins", "bksp", "pgdn"}

// keyRange is a range of keys in a help line: "a-z", "1-9".
var keyRange = regexp.MustCompile(`^[a-z0-9]-[a-z0-9]$`)

func hasLetter(s string) bool { return strings.IndexFunc(s, unicode.IsLetter) >= 0 }

// isKeyName reports whether s names keys only: "enter", "ctrl+c",
// "shift+tab", "c/esc", "↑/k", "pgup pgdown".
func isKeyName(s string) bool {
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '/' || r == ',' || r == ' ' })
	if len(parts) == 0 {
		return false
	}
	for _, p := range parts {
		for {
			rest, ok := strings.CutPrefix(p, "ctrl+")
			if !ok {
				rest, ok = strings.CutPrefix(p, "alt+")
			}
			if !ok {
				rest, ok = strings.CutPrefix(p, "shift+")
			}
			if !ok {
				break
			}
			p = rest
		}
		if len([]rune(p)) != 1 && !slices.Contains(keyNames, p) && !keyRange.MatchString(p) && hasLetter(p) {
			return false
		}
	}
	return true
}
