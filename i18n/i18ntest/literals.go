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
//   - it names a command-line flag: the name given to a flag.FlagSet's
//     String, Bool, Duration, … (first argument) or StringVar, BoolVar,
//     Var, … (second), to Lookup, or to flag.NewFlagSet — by the method's
//     name alone, as the scanner has no types;
//   - it is the text of a sentinel error: errors.New in a package-level
//     var, a value for errors.Is, whose people-facing words come from the
//     catalog where it is wrapped;
//   - its line carries the comment "i18n:ok" (with a reason), or the
//     comment stands on a line of its own just above (a comment after
//     code covers that line only): for Stripe codes, ids, file names and
//     the like; or the doc
//     comment of its function does (output that is language-neutral by
//     design, such as a support bundle: the comment says why).
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
		out = append(out, literals(fset, f, isMessageID, false)...)
	})
	return out, err
}

// ScanOutput is ScanLiterals for the literals a command writes out: those
// in the arguments of fmt's printing functions (Fprint, Fprintf, Fprintln,
// Print…, Errorf), io.WriteString, errors.New (but not a package-level
// sentinel's) and the help of a flag (its usage argument), however deep
// (a concatenation, a nested call), with the same exceptions. A
// text built elsewhere and written later is not seen: the scanner has no
// types and follows no values.
func ScanOutput(dir string, isMessageID func(string) bool) ([]Literal, error) {
	var out []Literal
	err := eachFile(dir, func(fset *token.FileSet, f *ast.File) {
		out = append(out, literals(fset, f, isMessageID, true)...)
	})
	return out, err
}

// sinkFuncs are the calls whose arguments are written out, by package and
// name.
var sinkFuncs = map[string]map[string]bool{
	"fmt":    {"Fprint": true, "Fprintf": true, "Fprintln": true, "Print": true, "Printf": true, "Println": true, "Errorf": true},
	"io":     {"WriteString": true},
	"errors": {"New": true},
}

// flagUsageArg is the argument a flag.FlagSet method takes the flag's help
// in: String(name, value, usage), StringVar(p, name, value, usage),
// Var(p, name, usage), Func(name, usage, fn).
var flagUsageArg = map[string]int{
	"String": 2, "Bool": 2, "Int": 2, "Int64": 2, "Uint": 2, "Uint64": 2, "Float64": 2, "Duration": 2,
	"Func": 1, "BoolFunc": 1, "StringVar": 3, "BoolVar": 3, "IntVar": 3, "Int64Var": 3, "UintVar": 3,
	"Uint64Var": 3, "Float64Var": 3, "DurationVar": 3, "TextVar": 3, "Var": 2,
}

// markWritten returns the literals in the arguments of sinks.
func markWritten(f *ast.File) map[*ast.BasicLit]bool {
	out := map[*ast.BasicLit]bool{}
	mark := func(e ast.Expr) {
		ast.Inspect(e, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok {
				out[lit] = true
			}
			return true
		})
	}
	ast.Inspect(f, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		if pkg, ok := sel.X.(*ast.Ident); ok && sinkFuncs[pkg.Name][sel.Sel.Name] {
			for _, a := range call.Args {
				mark(a)
			}
			return true
		}
		if i, ok := flagUsageArg[sel.Sel.Name]; ok && i < len(call.Args) {
			if pkg, ok := sel.X.(*ast.Ident); !ok || !quietPackages[pkg.Name] {
				mark(call.Args[i])
			}
		}
		return true
	})
	return out
}

// literals are the user-facing string literals of one file: with sinks,
// only those written out (Sinks).
func literals(fset *token.FileSet, f *ast.File, isMessageID func(string) bool, sinks bool) []Literal {
	var out []Literal
	ok := okLines(fset, f)
	skip := map[*ast.BasicLit]bool{}
	markSkipped(f, skip)
	markNeutralFuncs(f, skip)
	markSentinels(f, skip)
	var written map[*ast.BasicLit]bool
	if sinks {
		written = markWritten(f)
	}
	ast.Inspect(f, func(n ast.Node) bool {
		lit, isLit := n.(*ast.BasicLit)
		if !isLit || lit.Kind != token.STRING || skip[lit] || sinks && !written[lit] {
			return true
		}
		v, err := strconv.Unquote(lit.Value)
		if err != nil {
			return true
		}
		pos := fset.Position(lit.Pos())
		if ok[pos.Line] || !hasWord(v) || isKeyName(v) || colour.MatchString(v) || (isMessageID != nil && isMessageID(v)) {
			return true
		}
		out = append(out, Literal{Pos: pos, Value: v})
		return true
	})
	return out
}

// ScanOutputFlat is ScanOutput for the Go files of dir alone, not its
// sub-directories (a module's root package).
func ScanOutputFlat(dir string, isMessageID func(string) bool) ([]Literal, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []Literal
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		lits, err := scanFile(filepath.Join(dir, name), isMessageID, true)
		if err != nil {
			return nil, err
		}
		out = append(out, lits...)
	}
	return out, nil
}

// scanFile scans one file (only what it writes out, with sinks).
func scanFile(path string, isMessageID func(string) bool, sinks bool) ([]Literal, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return nil, fmt.Errorf("i18ntest: %w", err)
	}
	return literals(fset, f, isMessageID, sinks), nil
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

// okLines are the lines an "i18n:ok" comment covers: its own line, and
// when it stands on a line of its own (not after code), the line below
// the comment (a trailing comment covers its line alone, so it cannot
// exempt the next statement by accident).
func okLines(fset *token.FileSet, f *ast.File) map[int]bool {
	// code holds, per line, the first position of code on it.
	code := map[int]token.Pos{}
	see := func(p token.Pos) {
		if !p.IsValid() {
			return
		}
		line := fset.Position(p).Line
		if first, ok := code[line]; !ok || p < first {
			code[line] = p
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n.(type) {
		case nil, *ast.CommentGroup, *ast.Comment:
			return false
		}
		see(n.Pos())
		see(n.End() - 1)
		return true
	})
	out := map[int]bool{}
	for _, g := range f.Comments {
		for _, c := range g.List {
			if !strings.Contains(c.Text, "i18n:ok") {
				continue
			}
			line := fset.Position(c.Pos()).Line
			out[line] = true
			if first, ok := code[line]; !ok || first > c.Pos() {
				out[line+1] = true
				out[fset.Position(g.End()).Line+1] = true
			}
		}
	}
	return out
}

// markNeutralFuncs marks every literal of a function whose doc comment
// says "i18n:ok".
func markNeutralFuncs(f *ast.File, skip map[*ast.BasicLit]bool) {
	for _, d := range f.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || fn.Doc == nil || fn.Body == nil || !strings.Contains(fn.Doc.Text(), "i18n:ok") {
			continue
		}
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok {
				skip[lit] = true
			}
			return true
		})
	}
}

// markSentinels marks the texts of errors.New in package-level vars.
func markSentinels(f *ast.File, skip map[*ast.BasicLit]bool) {
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.VAR {
			continue
		}
		ast.Inspect(g, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) != 1 {
				return true
			}
			if sel, ok := call.Fun.(*ast.SelectorExpr); ok {
				if pkg, ok := sel.X.(*ast.Ident); ok && pkg.Name == "errors" && sel.Sel.Name == "New" {
					if lit, ok := call.Args[0].(*ast.BasicLit); ok {
						skip[lit] = true
					}
				}
			}
			return true
		})
	}
}

// flagNameArg is the argument a flag.FlagSet method takes the flag's name
// in, by the method's name: String("amount", …), StringVar(&v, "amount", …).
var flagNameArg = map[string]int{
	"String": 0, "Bool": 0, "Int": 0, "Int64": 0, "Uint": 0, "Uint64": 0, "Float64": 0, "Duration": 0,
	"Func": 0, "BoolFunc": 0, "Lookup": 0, "NewFlagSet": 0, "Set": 0,
	"StringVar": 1, "BoolVar": 1, "IntVar": 1, "Int64Var": 1, "UintVar": 1, "Uint64Var": 1, "Float64Var": 1,
	"DurationVar": 1, "TextVar": 1, "Var": 1,
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
			if i, ok := flagNameArg[sel.Sel.Name]; ok && i < len(n.Args) && !(pkg != nil && quietPackages[pkg.Name]) {
				if lit, ok := n.Args[i].(*ast.BasicLit); ok {
					skip[lit] = true
				}
			}
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
