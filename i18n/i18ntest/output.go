package i18ntest

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
)

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
