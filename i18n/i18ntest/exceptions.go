package i18ntest

import (
	"go/ast"
	"go/token"
	"strings"
)

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
