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
	"go/ast"
	"go/token"
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
