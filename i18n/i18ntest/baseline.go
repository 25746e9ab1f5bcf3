package i18ntest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// A baseline is the multiset of user-facing literals a tree had when it
// was recorded: each literal's text and how often it occurs, independent
// of files and lines, so moving code around does not disturb it. The file
// holds one "count<TAB>quoted text" line per literal, sorted, after
// comment lines starting with '#'.

// ReadBaseline reads a baseline file; a missing file is an empty baseline.
func ReadBaseline(path string) (map[string]int, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]int{}, nil
	}
	if err != nil {
		return nil, err
	}
	out := map[string]int{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		count, quoted, ok := strings.Cut(line, "\t")
		c, err1 := strconv.Atoi(count)
		v, err2 := strconv.Unquote(quoted)
		if !ok || err1 != nil || err2 != nil || c <= 0 {
			return nil, fmt.Errorf("%s:%d: want count<TAB>quoted text, got %q", path, n, line)
		}
		out[v] += c
	}
	return out, sc.Err()
}

// WriteBaseline writes lits as the baseline at path, with header as its
// comment.
func WriteBaseline(path, header string, lits []Literal) error {
	var b strings.Builder
	for _, l := range strings.Split(strings.TrimSpace(header), "\n") {
		b.WriteString("# " + l + "\n")
	}
	counts := Count(lits)
	for _, v := range slices.Sorted(maps.Keys(counts)) {
		fmt.Fprintf(&b, "%d\t%s\n", counts[v], strconv.Quote(v))
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

// Count is lits as a multiset.
func Count(lits []Literal) map[string]int {
	out := map[string]int{}
	for _, l := range lits {
		out[l.Value]++
	}
	return out
}

// Excess are the literals of lits beyond the baseline: every occurrence of
// a text the baseline lacks, or has fewer of.
func Excess(lits []Literal, baseline map[string]int) []Literal {
	counts := Count(lits)
	var out []Literal
	for _, l := range lits {
		if counts[l.Value] > baseline[l.Value] {
			out = append(out, l)
		}
	}
	return out
}

// Gone are the texts the baseline lists more often than lits has them:
// strings a sweep moved into the catalog (or code that went away).
func Gone(lits []Literal, baseline map[string]int) []string {
	counts := Count(lits)
	var out []string
	for _, v := range slices.Sorted(maps.Keys(baseline)) {
		if baseline[v] > counts[v] {
			out = append(out, v)
		}
	}
	return out
}

// CheckBaseline holds the user-facing literals under dir to the baseline
// file: a literal beyond it fails t (new text must go through the
// catalog), and so does a text the baseline lists more often than the
// tree has it (re-record, so that it cannot come back). With update, it records the tree
// as the new baseline instead (review the diff: it may only shrink).
func CheckBaseline(t testing.TB, dir, baselineFile string, isMessageID func(string) bool, update bool, header string) {
	t.Helper()
	lits, err := ScanLiterals(dir, isMessageID)
	if err != nil {
		t.Fatal(err)
	}
	CheckLiterals(t, lits, dir, baselineFile, update, header)
}

// CheckLiterals is CheckBaseline for literals scanned already (of several
// trees: what is their label in messages).
func CheckLiterals(t testing.TB, lits []Literal, what, baselineFile string, update bool, header string) {
	t.Helper()
	if update {
		if err := WriteBaseline(baselineFile, header, lits); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: recorded %d literals (%d distinct)", baselineFile, len(lits), len(Count(lits)))
		return
	}
	base, err := ReadBaseline(baselineFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range Excess(lits, base) {
		t.Errorf("%s: %s is user-facing text outside the message catalog (the baseline has %d of it, the code %d): add a message to i18n/catalog and use it, or mark a string that is not text with an i18n:ok comment",
			l.Pos, strconv.Quote(l.Value), base[l.Value], Count(lits)[l.Value])
	}
	// The ratchet is strict both ways: a text that left the tree leaves
	// the baseline too, so it cannot come back unnoticed.
	for _, v := range Gone(lits, base) {
		t.Errorf("%s lists %s %d times, %s has it %d times: re-record the baseline to drop it",
			baselineFile, strconv.Quote(v), base[v], what, Count(lits)[v])
	}
	t.Logf("%s: %d user-facing literals outside the catalog (%d distinct), baseline %d", what, len(lits), len(Count(lits)), total(base))
}

func total(m map[string]int) int {
	n := 0
	for _, c := range m {
		n += c
	}
	return n
}
