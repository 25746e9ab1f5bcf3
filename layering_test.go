package main

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// module is this module's path (go.mod).
const module = "kasse"

// rule is one package's place in the layering: what its code may import.
// A package may import only packages of lower layers, and of those only the
// ones its rule names.
type rule struct {
	pkg   string   // the package below the module ("" is the root); "x/..." is x and every package below it
	layer int      // 0 are the leaves; a package imports only from lower layers
	may   []string // the module's packages its code may import ("x/..." as in pkg)
	tests []string // what its tests may import besides: the test-only links
	ext   []string // what its code may import from outside the module and the standard library (prefixes)
}

// layering is ARCHITECTURE.md's package diagram as data, bottom up. A new
// package, or a new import between packages, is a decision: add it here
// (and to the diagram), in a layer below everything that imports it.
var layering = []rule{
	// 0: leaves. The domain, and small helpers that know no Kasse package.
	{pkg: "pos", layer: 0, ext: []string{"golang.org/x/text/"}},
	{pkg: "internal/wait", layer: 0}, // the real clock's waiting, the services' default
	{pkg: "internal/term", layer: 0, ext: []string{"github.com/charmbracelet/x/term"}},
	// Tests only: what the tests of several packages share and what knows
	// no Kasse package (a buffer safe for concurrent writers).
	{pkg: "internal/testkit", layer: 0},
	// Tests only: a counter over SSH (a PTY and a screen) for the tests of
	// kasse serve.
	{pkg: "internal/sshterm", layer: 1, may: []string{"internal/testkit"}, ext: []string{"golang.org/x/crypto/ssh", "github.com/charmbracelet/x/ansi"}},
	// The emulator shares no code with what it judges.
	{pkg: "sandbox/...", layer: 0, may: []string{"sandbox/..."}, tests: []string{"internal/conformance", "internal/testkit"}},
	{pkg: "internal/conformance", layer: 0, tests: []string{"sandbox/..."},
		ext: []string{"github.com/stripe/stripe-mock/", "github.com/santhosh-tekuri/jsonschema/"}},

	// 1: the message catalogs and money formatting (CLDR).
	{pkg: "i18n", layer: 1, may: []string{"pos"}, tests: []string{"i18n/i18ntest"},
		ext: []string{"github.com/nicksnyder/go-i18n/", "github.com/bojanz/currency", "github.com/BurntSushi/toml", "golang.org/x/text/"}},
	{pkg: "i18n/i18ntest", layer: 0},

	// 2: configuration, the adapters, the runner of effects; the commands'
	// shape (in the command's language).
	{pkg: "internal/cli", layer: 2, may: []string{"i18n"}},
	{pkg: "config", layer: 2, may: []string{"pos", "i18n"}, ext: []string{"github.com/BurntSushi/toml"}},
	{pkg: "journal", layer: 2, may: []string{"pos"}, ext: []string{"modernc.org/sqlite"}},
	{pkg: "stripeapi", layer: 2, may: []string{"pos"}, tests: []string{"internal/testkit"}, ext: []string{"github.com/stripe/stripe-go/", "golang.org/x/time/rate"}}, // the only importer of stripe-go
	{pkg: "checkout", layer: 2, may: []string{"pos", "i18n", "internal/wait"}, tests: fixtures},
	{pkg: "internal/prefs", layer: 2, may: []string{"pos"}},
	// Tests only: the fixtures below, set up one way (sandbox, judged
	// adapter, journal in a temp dir).
	{pkg: "internal/fixture", layer: 3, may: []string{"sandbox", "stripeapi", "journal", "internal/conformance"}},

	// 3: the services and their commands.
	{pkg: "readers", layer: 3, may: []string{"pos", "i18n", "internal/cli", "internal/wait"}, tests: fixtures},
	{pkg: "reports", layer: 3, may: []string{"pos", "i18n", "journal", "internal/cli"}, tests: append([]string{"readers"}, fixtures...)},
	{pkg: "customers", layer: 3, may: []string{"pos", "i18n", "checkout", "journal", "internal/cli", "internal/wait"}, tests: fixtures},
	{pkg: "headless", layer: 4, may: []string{"pos", "i18n", "checkout", "customers", "internal/cli"}, tests: fixtures},
	{pkg: "supervisor", layer: 3, may: []string{"pos", "i18n", "checkout", "journal", "config", "internal/cli", "internal/wait"}, tests: append([]string{"internal/testkit"}, fixtures...),
		ext: []string{"golang.org/x/crypto/"}},
	// Stripe's events after the sale: webhooks, catch-up, the tail.
	{pkg: "events", layer: 3, may: []string{"pos", "i18n", "journal", "internal/cli"}, tests: append([]string{"internal/testkit"}, fixtures...)},

	// 4–7: the console (Bubble Tea only here). The screen contract, Deps
	// and Session, keys and styles; the reusable pieces; the screens by part
	// of the console (a part never imports another); the root, which stacks
	// them. The test kit drives a whole console, so it sits above the root.
	{pkg: "ui/app", layer: 4, may: []string{"pos", "readers", "reports", "supervisor", "customers", "config", "i18n"},
		tests: []string{"ui/internal/uitest"}, ext: tui},
	{pkg: "ui/widgets", layer: 5, may: []string{"ui/app", "pos", "supervisor", "config", "i18n"}, ext: tui},
	{pkg: "ui/sale", layer: 6, may: []string{"ui/app", "ui/widgets", "pos", "checkout", "readers", "config", "i18n"},
		tests: uiTests, ext: tui},
	{pkg: "ui/office", layer: 6, may: []string{"ui/app", "ui/widgets", "pos", "reports", "supervisor", "config", "i18n"},
		tests: uiTests, ext: tui},
	{pkg: "ui/customers", layer: 6, may: []string{"ui/app", "ui/widgets", "pos", "customers", "supervisor", "config", "i18n"},
		tests: uiTests, ext: tui},
	{pkg: "ui/fleet", layer: 6, may: []string{"ui/app", "ui/widgets", "pos", "readers", "config", "i18n"},
		tests: uiTests, ext: tui},
	{pkg: "ui", layer: 7, may: []string{"ui/app", "ui/widgets", "ui/sale", "ui/office", "ui/fleet", "ui/customers", "pos", "supervisor", "config", "i18n"},
		tests: append([]string{"ui/internal/uitest", "checkout", "readers", "reports"}, fixtures...), ext: tui},
	{pkg: "ui/internal/uitest", layer: 8, may: []string{"ui", "ui/app", "pos", "checkout", "readers", "reports", "supervisor", "config",
		"customers", "journal", "i18n"},
		ext: tui},

	// 8–10: composition. The setup every command shares, the console's
	// wiring, and the root's table of commands.
	{pkg: "internal/app", layer: 8, may: []string{"pos", "i18n", "config", "journal", "stripeapi", "sandbox", "checkout",
		"readers", "reports", "supervisor", "customers", "events", "internal/cli", "internal/term"}},
	{pkg: "internal/console", layer: 9, may: []string{"pos", "i18n", "config", "checkout", "supervisor", "events", "ui", "internal/app", "internal/prefs"},
		tests: []string{"journal"}},
	// The console over SSH for the counters of one host: a session per
	// counter on the App every command shares.
	{pkg: "internal/serve", layer: 10, may: []string{"pos", "i18n", "config", "journal", "checkout", "supervisor", "reports",
		"ui", "ui/app", "internal/app", "internal/cli", "internal/console"},
		tests: []string{"sandbox", "stripeapi", "internal/sshterm"},
		ext:   []string{"github.com/charmbracelet/", "github.com/muesli/termenv", "golang.org/x/crypto/ssh"}},
	{pkg: "", layer: 11, may: []string{"config", "i18n", "checkout", "customers", "headless", "readers", "reports", "supervisor", "events", "ui",
		"internal/app", "internal/cli", "internal/console", "internal/serve", "internal/term"}, tests: []string{"sandbox"}},

	// Tests only: the built binary in tmux or over SSH, checked against the
	// journal and the sandbox's state.
	{pkg: "e2e", layer: 12, tests: []string{"pos", "checkout", "journal", "sandbox", "stripeapi", "internal/sshterm", "internal/testkit"}},
}

// tui are the libraries the console draws with: Bubble Tea, bubbles,
// lipgloss and their terminal layer.
var tui = []string{"github.com/charmbracelet/", "github.com/muesli/termenv"}

// uiTests are what the tests of a part of the console link: the test kit
// and the root it drives, the runner, and the fixtures.
var uiTests = append([]string{"ui", "ui/internal/uitest", "checkout"}, fixtures...)

// fixtures are what a service's tests run against instead of fakes: the
// emulator, the real adapter and journal, and the conformance oracle.
var fixtures = []string{"sandbox", "stripeapi", "journal", "internal/conformance", "config", "internal/fixture"}

// matches reports whether the package path p (below the module) is named
// by pattern ("x" or "x/...").
func matches(pattern, p string) bool {
	if base, ok := strings.CutSuffix(pattern, "/..."); ok {
		return p == base || strings.HasPrefix(p, base+"/")
	}
	return p == pattern
}

// ruleFor is p's rule: its exact one, else the longest "x/..." that names it.
func ruleFor(p string) (rule, bool) {
	var best rule
	found := false
	for _, r := range layering {
		if r.pkg == p {
			return r, true
		}
		if matches(r.pkg, p) && (!found || len(r.pkg) > len(best.pkg)) {
			best, found = r, true
		}
	}
	return best, found
}

// imports are one package's imports, its code's and its tests' apart.
type imports struct{ code, tests map[string][]string } // import path → files

// readImports parses the import clauses of every Go file of the module
// (whatever its build constraints), by directory.
func readImports(t *testing.T) map[string]*imports {
	t.Helper()
	pkgs := map[string]*imports{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != "." && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "testdata" || name == "vendor") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		dir := filepath.ToSlash(filepath.Dir(path))
		if dir == "." {
			dir = ""
		}
		p := pkgs[dir]
		if p == nil {
			p = &imports{code: map[string][]string{}, tests: map[string][]string{}}
			pkgs[dir] = p
		}
		into := p.code
		if strings.HasSuffix(name, "_test.go") {
			into = p.tests
		}
		for _, s := range f.Imports {
			ip, _ := strconv.Unquote(s.Path.Value)
			into[ip] = append(into[ip], path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return pkgs
}

// inModule returns the import path below the module, and whether ip is
// one of the module's packages.
func inModule(ip string) (string, bool) {
	if ip == module {
		return "", true
	}
	return strings.CutPrefix(ip, module+"/")
}

// stdlib reports whether ip is a standard library package (no dot in its
// first element).
func stdlib(ip string) bool {
	first, _, _ := strings.Cut(ip, "/")
	return !strings.Contains(first, ".")
}

func allowed(list []string, p string) bool {
	return slices.ContainsFunc(list, func(pattern string) bool { return matches(pattern, p) })
}

// No package imports one of a layer above it, nor one its rule does not
// name; tests import only what their package may and its test-only links;
// libraries outside the standard library are imported only where the
// architecture puts them (stripe-go in stripeapi, Bubble Tea in ui, …).
func TestLayering(t *testing.T) {
	if _, err := os.Stat("go.mod"); err != nil {
		t.Fatal("run from the module root:", err)
	}
	pkgs := readImports(t)
	for _, dir := range slices.Sorted(func(yield func(string) bool) {
		for d := range pkgs {
			if !yield(d) {
				return
			}
		}
	}) {
		p := pkgs[dir]
		r, ok := ruleFor(dir)
		if !ok {
			t.Errorf("package %s/%s has no place in the layering (layering_test.go): add it, with what it may import", module, dir)
			continue
		}
		for ip, files := range p.code {
			q, ours := inModule(ip)
			switch {
			case ours && matches(r.pkg, q) && allowed(r.may, q):
				// within its own family (sandbox/internal/…, ui/…)
			case ours && !allowed(r.may, q):
				t.Errorf("%s imports %s (%s): not in its rule (may: %q)", show(dir), ip, files[0], r.may)
			case ours:
				if up, ok := ruleFor(q); ok && up.layer >= r.layer {
					t.Errorf("%s (layer %d) imports %s of layer %d (%s)", show(dir), r.layer, ip, up.layer, files[0])
				}
			case !stdlib(ip) && !slices.ContainsFunc(r.ext, func(pre string) bool { return strings.HasPrefix(ip, pre) }):
				t.Errorf("%s imports %s (%s): outside the standard library, not in its rule (ext: %q)", show(dir), ip, files[0], r.ext)
			}
		}
		for ip, files := range p.tests {
			q, ours := inModule(ip)
			if !ours || matches(r.pkg, q) && dir == q {
				continue
			}
			if !allowed(r.may, q) && !allowed(r.tests, q) {
				t.Errorf("tests of %s import %s (%s): neither its code's import nor a test-only link of its rule", show(dir), ip, files[0])
			}
		}
	}
	for _, r := range layering {
		if strings.HasSuffix(r.pkg, "/...") {
			continue
		}
		if _, ok := pkgs[r.pkg]; !ok {
			t.Errorf("the layering names %s/%s, which does not exist any more", module, r.pkg)
		}
	}
	for _, r := range layering {
		for _, m := range r.may {
			if up, ok := ruleFor(strings.TrimSuffix(m, "/...")); ok && up.layer >= r.layer && !matches(r.pkg, strings.TrimSuffix(m, "/...")) {
				t.Errorf("the layering lets %s (layer %d) import %s of layer %d", show(r.pkg), r.layer, m, up.layer)
			}
		}
	}
}

func show(dir string) string {
	if dir == "" {
		return module
	}
	return module + "/" + dir
}
