package i18ntest

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

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
