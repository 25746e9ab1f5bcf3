package reports

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"kasse/i18n"
	"kasse/internal/cli"
	"kasse/pos"
)

func runCLI(s *Searcher, args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := RunReport(context.Background(), s, args, cli.IO{Out: &out, Err: &errOut})
	return code, out.String(), errOut.String()
}

func TestRunReportUsage(t *testing.T) {
	s, _ := eodFixture(t)
	tests := []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"--help"}, ExitOK, ""},
		{[]string{"-h"}, ExitOK, ""},
		{nil, ExitUsage, "--date YYYY-MM-DD is required"},
		{[]string{"--date", "14.03.2025"}, ExitUsage, "use YYYY-MM-DD"},
		{[]string{"--date", "2025-03-14", "--seller", "Lumen"}, ExitUsage, "acct_"},
		{[]string{"--date", "2025-03-14", "--shift-start", "06:00"}, ExitUsage, "go together"},
		{[]string{"--date", "2025-03-14", "--shift-start", "6", "--shift-end", "14:00"}, ExitUsage, "HH:MM"},
		{[]string{"--date", "2025-03-14", "--width", "10"}, ExitUsage, "--width 10"},
		{[]string{"--date", "2025-03-14", "extra"}, ExitUsage, "unexpected argument"},
		{[]string{"--nope"}, ExitUsage, "flag provided but not defined"},
	}
	for _, tt := range tests {
		code, out, errOut := runCLI(s, tt.args...)
		if code != tt.code || !strings.Contains(errOut, tt.err) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tt.args, code, errOut, tt.code, tt.err)
		}
		if tt.code == ExitOK && !strings.Contains(out, "Usage: kasse report --date YYYY-MM-DD") {
			t.Errorf("%v: help missing from stdout: %q", tt.args, out)
		}
	}
	if code, _, _ := runCLI(nil, "--date", "2025-03-14"); code != ExitError {
		t.Errorf("nil deps: exit %d", code)
	}
}

func TestRunReportOutputs(t *testing.T) {
	s, _ := eodFixture(t)
	code, out, errOut := runCLI(s, "--date", "2025-03-14")
	if code != ExitOK || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	for _, want := range []string{"END OF DAY  2025-03-14", "Lumen Coffee", "60.00", "Sakura Ramen", "TOTALS, ALL SELLERS"} {
		if !strings.Contains(out, want) {
			t.Errorf("text output lacks %q:\n%s", want, out)
		}
	}
	if lines := strings.Split(strings.TrimSpace(out), "\n"); len(lines[0]) != DefaultTextWidth {
		t.Errorf("first line is %d wide, want %d", len(lines[0]), DefaultTextWidth)
	}

	code, out, _ = runCLI(s, "--date", "2025-03-14", "--csv", "--seller", string(acctA))
	if code != ExitOK || !strings.HasPrefix(out, strings.Join(CSVHeader, ",")+"\r\n") ||
		!strings.Contains(out, ",seller,"+string(acctA)+",Lumen Coffee,USD,,4,60.00,1.00,10.00,3,50.00,") ||
		strings.Contains(out, string(acctB)) {
		t.Errorf("csv: exit %d\n%s", code, out)
	}

	// The 13:00–14:00 shift holds only R1 (3.00 refund at 13:00) and R7 (13:30).
	code, out, _ = runCLI(s, "--date", "2025-03-14", "--shift-start", "13:00", "--shift-end", "14:00", "--csv")
	if code != ExitOK || !strings.Contains(out, ",seller,"+string(acctA)+",Lumen Coffee,USD,,0,0.00,0.00,5.00,2,-5.00,") {
		t.Errorf("shift csv: exit %d\n%s", code, out)
	}
}

func TestRunReportIncomplete(t *testing.T) {
	s, p := eodFixture(t)
	p.listErr[acctB] = &pos.Error{Kind: pos.KindRateLimited, Message: "too many requests"}
	code, out, errOut := runCLI(s, "--date", "2025-03-14", "--width", "60")
	if code != ExitError {
		t.Errorf("exit %d, want %d for an incomplete report", code, ExitError)
	}
	if !strings.Contains(out, "INCOMPLETE") || !strings.Contains(out, "Lumen Coffee") {
		t.Errorf("the report must still be written, marked incomplete:\n%s", out)
	}
	if !strings.Contains(errOut, "INCOMPLETE") || !strings.Contains(errOut, "too many requests") {
		t.Errorf("stderr = %q", errOut)
	}
}

// kasse report speaks the command's language: the German report (dates,
// numbers, words), German usage errors and the German incomplete notice;
// --csv stays the same in every language.
func TestRunReportInGerman(t *testing.T) {
	s, p := eodFixture(t)
	de := i18n.New(i18n.German)
	run := func(loc *i18n.Locale, args ...string) (int, string, string) {
		var out, errOut bytes.Buffer
		code := RunReport(context.Background(), s, args, cli.IO{Out: &out, Err: &errOut, Loc: loc})
		return code, out.String(), errOut.String()
	}
	code, out, errOut := run(de, "--date", "2025-03-14")
	if code != ExitOK || errOut != "" || !strings.HasPrefix(out, strings.Repeat("=", DefaultTextWidth)+"\nTAGESABSCHLUSS  14.03.2025\n") ||
		!strings.Contains(out, "60,00") || !strings.Contains(out, "SUMMEN, ALLE HÄNDLER") {
		t.Errorf("German report: exit %d, stderr %q\n%s", code, errOut, out)
	}
	_, csvDE, _ := run(de, "--date", "2025-03-14", "--csv")
	_, csvEN, _ := run(nil, "--date", "2025-03-14", "--csv")
	if csvDE != csvEN || !strings.Contains(csvDE, ",60.00,") {
		t.Errorf("the CSV depends on the language:\n%s\n%s", csvDE, csvEN)
	}
	for _, tc := range []struct {
		args []string
		err  string
	}{
		{nil, "kasse report: --date JJJJ-MM-TT ist Pflicht"},
		{[]string{"--date", "14.03.2025"}, `kasse report: Datum "14.03.2025": als YYYY-MM-DD angeben (z. B. 2025-03-14)` + "\n(siehe kasse report --help)"},
		{[]string{"--nope"}, "kasse report: unbekannte Option: -nope"},
		{[]string{"--date", "2025-03-14", "--shift-start", "6", "--shift-end", "14:00"}, `Schichtbeginn "6": als HH:MM angeben`},
	} {
		if code, _, errOut := run(de, tc.args...); code != ExitUsage || !strings.Contains(errOut, tc.err) {
			t.Errorf("%q: exit %d, stderr %q; want %q", tc.args, code, errOut, tc.err)
		}
	}
	if code, out, _ := run(de, "--help"); code != ExitOK || !strings.HasPrefix(out, "Aufruf: kasse report --date JJJJ-MM-TT") {
		t.Errorf("German help: %q", out)
	}
	p.listErr[acctB] = &pos.Error{Kind: pos.KindRateLimited, Message: "too many requests"}
	code, _, errOut = run(de, "--date", "2025-03-14")
	if code != ExitError || !strings.Contains(errOut, "UNVOLLSTÄNDIG: 1 Abfrage bei Stripe ist gescheitert") ||
		!strings.Contains(errOut, "Zahlungen auflisten: gedrosselt: too many requests") {
		t.Errorf("German incomplete: exit %d, stderr %q", code, errOut)
	}
}
