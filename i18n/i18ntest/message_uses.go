package i18ntest

import (
	"go/ast"
	"go/token"
	"strconv"
)

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
