package i18n

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"kasse/i18n/i18ntest"
)

var (
	updateUIBaseline = flag.Bool("update-ui-baseline", false,
		"record ui/'s user-facing literals as the new testdata/ui-literals.baseline")
	updateCLIBaseline = flag.Bool("update-cli-baseline", false,
		"record the commands' user-facing literals as the new testdata/cli-literals.baseline")
)

const uiBaselineHeader = `User-facing string literals of ui/ outside the message catalog. It is
empty: every text of the console is a message of i18n/catalog, and what
is not text (ids, codes, file names, cache keys) carries an i18n:ok
comment that says what it is. go test ./i18n/ fails when ui/ has a text
this file does not list, and when this file lists a text ui/ no longer
has. Re-record it with
  go test ./i18n/ -run TestUILiteralsBaseline -update-ui-baseline
and check the diff.`

const cliBaselineHeader = `User-facing string literals the kasse commands write out, outside the
message catalog: in what the packages whose output and errors reach a
person at the command line (see cliTrees) print (fmt.Fprint…, Errorf,
io.WriteString), return as errors (errors.New) and give as flag help
(i18ntest.ScanOutput). It is empty: their words are messages of
i18n/catalog (cli.<package>.*), and what is not text (ids, codes, field
names) carries an i18n:ok comment that says what it is. go test ./i18n/
fails when these packages have a text this file does not list, and when it
lists one they no longer have. Re-record it with
  go test ./i18n/ -run TestCLILiteralsBaseline -update-cli-baseline
and check the diff.`

// cliTrees are the packages the commands' human output and errors come
// from, scanned with their sub-packages; the root package (the command
// table) is scanned alone. checkout, journal, stripeapi and pos are not:
// they write logs and data, and the texts of theirs people read are
// rendered from codes by these packages (checkout's settlement lines are
// messages of its own).
var cliTrees = []string{"../readers", "../reports", "../supervisor", "../headless", "../customers", "../events", "../config",
	"../internal/app", "../internal/cli", "../internal/console", "../internal/serve"}

// No user-facing literal in the commands outside the catalog: the
// baseline is empty, and holds the packages to it both ways.
func TestCLILiteralsBaseline(t *testing.T) {
	i18ntest.CheckLiterals(t, cliLiterals(t, nil), "the commands", "testdata/cli-literals.baseline", *updateCLIBaseline, cliBaselineHeader)
}

// cliLiterals are the user-facing literals the commands write out, with
// the trees of instead (by their cliTrees name) read from another
// directory.
func cliLiterals(t *testing.T, instead map[string]string) []i18ntest.Literal {
	t.Helper()
	ids := catalogIDs(t)
	isID := func(s string) bool { _, ok := ids[s]; return ok }
	var lits []i18ntest.Literal
	for _, dir := range cliTrees {
		if d, ok := instead[dir]; ok {
			dir = d
		}
		l, err := i18ntest.ScanOutput(dir, isID)
		if err != nil {
			t.Fatal(err)
		}
		lits = append(lits, l...)
	}
	root, err := i18ntest.ScanOutputFlat("..", isID)
	if err != nil {
		t.Fatal(err)
	}
	return append(lits, root...)
}

// The ratchet catches a text a command starts printing: a copy of
// readers/ with one more file, which prints a sentence, returns one as an
// error and gives a flag help, fails the check against the real baseline,
// once per text and naming the file; the copy as it is passes.
func TestCLILiteralsBaselineCatchesANewText(t *testing.T) {
	dir := t.TempDir()
	copyGoFiles(t, "../readers", dir)
	r := &recorder{TB: t}
	i18ntest.CheckLiterals(r, cliLiterals(t, map[string]string{"../readers": dir}), "the commands", "testdata/cli-literals.baseline", false, "")
	if len(r.errors) != 0 {
		t.Fatalf("the copy of readers/ fails already: %q", r.errors)
	}
	added := `package readers

import "fmt"

func (c *cli) printAllOnline(n int) error {
	c.fs.Bool("quiet", false, "print nothing when all readers are fine")
	fmt.Fprintf(c.stdout, "%d readers, all online\n", n)
	return fmt.Errorf("reader %d did not answer", n)
}
`
	if err := os.WriteFile(filepath.Join(dir, "zz_added.go"), []byte(added), 0o644); err != nil {
		t.Fatal(err)
	}
	r = &recorder{TB: t}
	i18ntest.CheckLiterals(r, cliLiterals(t, map[string]string{"../readers": dir}), "the commands", "testdata/cli-literals.baseline", false, "")
	want := []string{"print nothing when all readers are fine", "%d readers, all online\\n", "reader %d did not answer"}
	if len(r.errors) != len(want) {
		t.Fatalf("%d errors, want %d: %q", len(r.errors), len(want), r.errors)
	}
	for i, w := range want {
		if !strings.Contains(r.errors[i], "zz_added.go") || !strings.Contains(r.errors[i], w) {
			t.Errorf("error %d = %q, want zz_added.go and %q", i, r.errors[i], w)
		}
	}
}

// copyGoFiles copies the Go files of src (not its sub-directories) to dst.
func copyGoFiles(t *testing.T, src, dst string) {
	t.Helper()
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".go") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), data, 0o644); err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n < 5 {
		t.Fatalf("%s: only %d Go files", src, n)
	}
}

// recorder is a testing.TB that keeps the errors a check reports.
type recorder struct {
	testing.TB
	errors []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, a ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, a...))
}
func (r *recorder) Logf(string, ...any) {}

// catalogIDs are the English catalog's keys, and whether each is plural.
func catalogIDs(t *testing.T) map[string]bool {
	t.Helper()
	msgs, err := CatalogMessages("catalog/en.toml")
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, m := range msgs {
		ids[m.ID] = m.One != ""
	}
	return ids
}

// No user-facing literal in ui/ outside the catalog: the baseline is
// empty, and holds the tree to it both ways.
func TestUILiteralsBaseline(t *testing.T) {
	ids := catalogIDs(t)
	isID := func(s string) bool { _, ok := ids[s]; return ok }
	i18ntest.CheckBaseline(t, "../ui", "testdata/ui-literals.baseline", isID, *updateUIBaseline, uiBaselineHeader)
}

// Every message key the code passes as a literal to T, N, M or MN exists,
// and plural keys go through N or MN, the others through T or M.
func TestMessageKeysInCodeExist(t *testing.T) {
	ids := catalogIDs(t)
	uses, err := i18ntest.MessageUses("..")
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range uses {
		plural, ok := ids[u.ID]
		switch {
		case !ok:
			t.Errorf("%s: %s(%q): no such message in i18n/catalog", u.Pos, u.Func, u.ID)
		case plural && (u.Func == "T" || u.Func == "M"):
			t.Errorf("%s: %s(%q): a plural message, use N or MN with its count", u.Pos, u.Func, u.ID)
		case !plural && (u.Func == "N" || u.Func == "MN"):
			t.Errorf("%s: %s(%q): not a plural message, use T or M", u.Pos, u.Func, u.ID)
		}
	}
	if len(uses) < 10 {
		t.Errorf("found only %d message uses: is the scan still reading the code?", len(uses))
	}
}
