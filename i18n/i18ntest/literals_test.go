package i18ntest

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const fixture = "testdata/fixture"

func values(lits []Literal) []string {
	var out []string
	for _, l := range lits {
		out = append(out, fmt.Sprintf("%s:%d %s", filepath.Base(l.Pos.Filename), l.Pos.Line, l.Value))
	}
	return out
}

func TestScanLiterals(t *testing.T) {
	ids := func(s string) bool { return s == "word.seller" || s == "count.readers" || s == "amount.empty" }
	lits, err := ScanLiterals(fixture, ids)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"more.go:3 Payment approved",        // a sub-directory is read; raw strings too
		"deep.go:4 Stripe is rate limiting", // and one below it (test kits are not: kit/)
		"view.go:15 charge the sale",        // WithHelp's help text, not its key label
		"view.go:19 Payment approved",
		"view.go:25 US dollar", // a map value, not its key
		"view.go:29 Reader %s is offline",
		"view.go:38 reader busy",
		"cli.go:12 the amount to charge", // a flag's help, not its name; not the sentinel, nor the i18n:ok function's text
		"cli.go:24 Kasse is rate limited",
	}
	slices.Sort(want)
	got := values(lits)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("ScanLiterals:\n got %q\nwant %q", got, want)
	}

	// Without the catalog, message keys read as words.
	lits, _ = ScanLiterals(fixture, nil)
	if n := len(lits) - len(want); n != 3 {
		t.Errorf("without isMessageID: %d more literals, want the 3 message keys: %q", n, values(lits))
	}
}

func TestMessageUses(t *testing.T) {
	uses, err := MessageUses(fixture)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, u := range uses {
		got = append(got, fmt.Sprintf("%d %s %s", u.Pos.Line, u.Func, u.ID))
	}
	want := []string{"35 T word.seller", "36 N count.readers", "37 M amount.empty"}
	if !slices.Equal(got, want) {
		t.Errorf("MessageUses = %q, want %q", got, want)
	}
}

func TestHasWordAndKeyNames(t *testing.T) {
	for s, want := range map[string]bool{
		"Approved": true, "ok": true, "%s · %s": false, "%-10s|%5.2f": false, "%[2]d×%[1]d": false,
		"─": false, "12.50": false, "x": false, "%d%%": false, "€": false, "Lesegerät": true, "%sab": true,
	} {
		if hasWord(s) != want {
			t.Errorf("hasWord(%q) = %v", s, !want)
		}
	}
	for s, want := range map[string]bool{
		"enter": true, "ctrl+c": true, "ctrl+shift+left": true, "c/esc": true, "↑/k": true, "pgup pgdown": true,
		"f5": true, "pgdn": true, "a-z": true, "tab/↑↓": true, "1-9/a-z": true, "esc to go back": false, "to-do": false, "enter a PIN": false, "Enter": false, "": false,
	} {
		if isKeyName(s) != want {
			t.Errorf("isKeyName(%q) = %v", s, !want)
		}
	}
}

// recorder is a testing.TB that keeps what CheckBaseline reports.
type recorder struct {
	testing.TB
	errors, logs []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, a ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, a...))
}
func (r *recorder) Logf(format string, a ...any) { r.logs = append(r.logs, fmt.Sprintf(format, a...)) }
func (r *recorder) Fatal(a ...any)               { panic(fmt.Sprint(a...)) }

func TestCheckBaseline(t *testing.T) {
	file := filepath.Join(t.TempDir(), "baseline")

	// No baseline: every literal is new.
	r := &recorder{}
	CheckBaseline(r, fixture, file, nil, false, "")
	if len(r.errors) != 12 {
		t.Errorf("empty baseline: %d errors, want 12: %q", len(r.errors), r.errors)
	}

	// Recorded: the tree passes.
	r = &recorder{}
	CheckBaseline(r, fixture, file, nil, true, "fixture\nline two")
	r = &recorder{}
	CheckBaseline(r, fixture, file, nil, false, "")
	if len(r.errors) != 0 {
		t.Errorf("recorded baseline: %q", r.errors)
	}
	base, err := ReadBaseline(file)
	if err != nil || base["Payment approved"] != 2 || base["reader busy"] != 1 || len(base) != 11 {
		t.Errorf("baseline %v, %v", base, err)
	}

	// A third "Payment approved" or a new text is beyond it; a text that
	// went away is only logged.
	lits, _ := ScanLiterals(fixture, nil)
	more := append(slices.Clone(lits), Literal{Value: "Payment approved"}, Literal{Value: "Reader lost"})
	if ex := Excess(more, base); len(ex) != 4 { // all three "Payment approved" and "Reader lost"
		t.Errorf("Excess = %q", values(ex))
	}
	fewer := slices.DeleteFunc(slices.Clone(lits), func(l Literal) bool { return l.Value == "reader busy" })
	if gone := Gone(fewer, base); !slices.Equal(gone, []string{"reader busy"}) {
		t.Errorf("Gone = %q", gone)
	}
	if len(Excess(fewer, base)) != 0 {
		t.Error("a shrunk tree exceeds its baseline")
	}

	// A baseline that lists a text the tree no longer has fails too: the
	// ratchet is strict, the text is dropped by re-recording.
	stale := filepath.Join(t.TempDir(), "stale")
	if err := WriteBaseline(stale, "h", append(slices.Clone(lits), Literal{Value: "Reader lost"})); err != nil {
		t.Fatal(err)
	}
	r = &recorder{}
	CheckBaseline(r, fixture, stale, nil, false, "")
	if len(r.errors) != 1 || !strings.Contains(r.errors[0], `"Reader lost"`) {
		t.Errorf("a stale baseline: %q", r.errors)
	}
}

func TestReadBaselineRefusesGarbage(t *testing.T) {
	file := filepath.Join(t.TempDir(), "baseline")
	if err := WriteBaseline(file, "h", []Literal{{Value: "a\tb \"c\""}}); err != nil {
		t.Fatal(err)
	}
	if b, err := ReadBaseline(file); err != nil || b["a\tb \"c\""] != 1 {
		t.Errorf("round trip: %v %v", b, err)
	}
	bad := filepath.Join(t.TempDir(), "bad")
	if err := writeString(bad, "3 unquoted\n"); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadBaseline(bad); err == nil || !strings.Contains(err.Error(), "bad:1") {
		t.Errorf("garbage: %v", err)
	}
}

func writeString(path, s string) error { return os.WriteFile(path, []byte(s), 0o644) }

// ScanOutput reports what a command writes out: the words in the
// arguments of fmt's printing functions, io.WriteString, errors.New in a
// function and a flag's help, however nested; not flag names, message
// keys, sentinels, i18n:ok lines and functions, nor text that is not
// passed to a sink where it stands.
func TestScanOutput(t *testing.T) {
	ids := func(s string) bool { return s == "cli.flag.json" || s == "cli.readers.list_count" }
	lits, err := ScanOutput("testdata/output", ids)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"cmd.go:16 the reader to test",
		"cmd.go:18 4 readers at 2 locations",
		"cmd.go:19 online",
		"cmd.go:20  is busy",
		"cmd.go:20 reader ",
		"cmd.go:21 done",
		"cmd.go:24 ok",
		"cmd.go:27 missing --reader",
		"cmd.go:30 try another reader",
	}
	got := values(lits)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("ScanOutput:\n got %q\nwant %q", got, want)
	}
	// ScanLiterals reads the same file whole: what is not written is
	// reported too.
	all, _ := ScanLiterals("testdata/output", ids)
	if !slices.Contains(values(all), "cmd.go:36 not seen by ScanOutput") {
		t.Errorf("ScanLiterals misses the returned text: %q", values(all))
	}
}
