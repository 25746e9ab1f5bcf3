package office_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"kasse/reports"
	"kasse/ui/internal/uitest"
	"kasse/ui/office"
)

func inEOD(t *testing.T, o *uitest.Office) *uitest.Harness {
	t.Helper()
	h := uitest.OpenArea(t, o, "f3", "bea", "2468")
	if _, ok := h.Top().(*office.EODScreen); !ok {
		t.Fatalf("not in End of day:\n%s", h.View())
	}
	return h
}

func TestEndOfDayTodayPerSellerAndExports(t *testing.T) {
	o := uitest.OfficeDeps()
	o.Rep.EOD.Partial = []error{errors.New("Blumen Schmidt (acct_1Blumen): list intents: account not connected")}
	h := inEOD(t, o)
	q := o.Rep.EODQueries[0]
	if !q.From.Equal(uitest.At(0, 0)) || !q.To.Equal(uitest.At(0, 0).Add(24*time.Hour)) || q.Label != "2026-03-14" || q.Seller != "" {
		t.Fatalf("query = %+v", q)
	}
	h.Contains("Bäckerei Müller (EUR)", "123.45", "-5.00", "€118.45", "VISA 8 · 80.00", "2 declined",
		"All sellers (USD)", "1 uncaptured", "⚠ Not counted: Blumen Schmidt")
	h.Golden("eod")
	h.Keys("x")
	h.Contains("CSV saved to /srv/kasse/exports/eod-2026-03-14.csv")
	h.Keys("p")
	h.Contains("Printable report saved to /srv/kasse/exports/eod-2026-03-14.txt")
	// The exports are reports' own renderings of exactly the report shown.
	rep := o.Rep.EOD
	rep.Period = q.Period
	var csv, text bytes.Buffer
	if err := reports.WriteCSV(&csv, rep); err != nil {
		t.Fatal(err)
	}
	if err := reports.WriteText(&text, rep, reports.DefaultTextWidth, nil); err != nil {
		t.Fatal(err)
	}
	if got := string(o.Exports.File("eod-2026-03-14.csv")); got != csv.String() {
		t.Errorf("CSV export = %q, want %q", got, csv.String())
	}
	if got := string(o.Exports.File("eod-2026-03-14.txt")); got != text.String() || !strings.Contains(got, "Bäckerei Müller") {
		t.Errorf("text export = %q, want %q", got, text.String())
	}
}

func TestEndOfDayShiftAcrossMidnightAndSeller(t *testing.T) {
	o := uitest.OfficeDeps()
	h := inEOD(t, o)
	h.Keys("/", "right", "right") // a shift
	h.Contains("Shift start", "Shift end")
	h.Keys("down", "ctrl+u", "text:2026-03-13", "down", "ctrl+u", "text:22:00", "down", "ctrl+u", "text:06:00",
		"down", "right", "enter")
	q := o.Rep.EODQueries[len(o.Rep.EODQueries)-1]
	from, to := time.Date(2026, 3, 13, 22, 0, 0, 0, time.UTC), time.Date(2026, 3, 14, 6, 0, 0, 0, time.UTC)
	if !q.From.Equal(from) || !q.To.Equal(to) || q.Label != "2026-03-13 22:00–06:00" || q.Seller != "acct_1Baeckerei" {
		t.Fatalf("query = %+v", q)
	}
	h.Contains("Fri 13 Mar 2026 22:00–06:00 (+1 day) · Bäckerei Müller")
	h.Keys("x")
	if n := o.Exports.Names(); len(n) != 1 || n[0] != "eod-2026-03-13-2200-0600-acct_1Baeckerei.csv" {
		t.Errorf("exports = %v", n)
	}
	// A bad time is refused before any report runs.
	n := len(o.Rep.EODQueries)
	h.Keys("/", "up", "up", "ctrl+u", "text:25:00", "enter")
	h.Contains("time “25:00”: use HH:MM")
	if len(o.Rep.EODQueries) != n {
		t.Error("a bad period still ran the report")
	}
}

func TestEndOfDayExportFailureIsShown(t *testing.T) {
	o := uitest.OfficeDeps()
	o.Exports.Err = errors.New("open /srv/kasse/exports: permission denied")
	h := inEOD(t, o)
	h.Keys("x")
	h.Contains("Export failed: open /srv/kasse/exports: permission denied")
	o.D.Exports = nil
	h2 := inEOD(t, o)
	h2.Keys("p")
	h2.Contains("Exports are not set up on this console.")
}
