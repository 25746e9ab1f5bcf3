package reports

import (
	"bytes"
	"encoding/csv"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // Europe/Berlin on machines without a zoneinfo database

	"kasse/i18n"
	"kasse/pos"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./reports -run %s -update)", err, t.Name())
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (go test ./reports -run %s -update to accept):\n--- got\n%s\n--- want\n%s", path, t.Name(), got, want)
	}
}

// goldenReport: three sellers in USD, EUR and JPY (one of them in two
// currencies), tips, a partial refund, an unsettled one, declines, a
// refund of an earlier sale and two reader tests; one Stripe read failed.
func goldenReport(t *testing.T) Report {
	t.Helper()
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	p, err := ParseDay("2025-03-14", berlin)
	if err != nil {
		t.Fatal(err)
	}
	const ramen pos.Account = "acct_1RRRRRRRRRRRRRRR"
	rows := []Row{
		ok(acctA, "usd", 1250, 150, "visa"), ok(acctA, "usd", 480, 0, "mastercard"), ok(acctA, "usd", 2000, 0, "visa"),
		with(acctA, "usd", 1999, StatusDeclined), with(acctA, "usd", 350, StatusCanceled),
		ok(acctA, "eur", 900, 0, "visa"),
		{Seller: ramen, SellerName: "桜ラーメン Shinjuku Higashiguchi-ten", Currency: "jpy", Amount: 1800, Tip: 200, Status: StatusApproved, Card: pos.Card{Brand: "jcb"}},
		{Seller: ramen, SellerName: "桜ラーメン Shinjuku Higashiguchi-ten", Currency: "jpy", Amount: 950, Status: StatusApproved},
		{Seller: ramen, Currency: "jpy", Amount: 5000, Status: StatusDeclined},
		{Seller: acctC, SellerName: "Bäckerei Sonnenkorn", Currency: "eur", Amount: 1275, Status: StatusApproved, Card: pos.Card{Brand: "visa"}},
		{Seller: acctC, Currency: "eur", Amount: 640, Status: StatusAuthorized},
		// Reader tests: one voided, one kept (captured); apart, never sales.
		{Seller: acctA, Kind: KindTest, Currency: "usd", Amount: 50, Status: StatusCanceled},
		{Seller: acctA, Kind: KindTest, Currency: "usd", Amount: 50, Status: StatusApproved, Card: pos.Card{Brand: "visa"}},
	}
	refunds := []RefundEntry{
		refund(acctA, "usd", 500),
		{Seller: acctA, Currency: "usd", Amount: 480, Unsettled: true},
		{Seller: ramen, Currency: "jpy", Amount: 300},
		{Seller: acctC, Currency: "eur", Amount: 1000}, // a sale of the day before
	}
	rep := Aggregate(rows, refunds)
	rep.Period = p
	rep.Partial = []error{&FetchError{Seller: acctB, Name: "Sakura Ramen", Op: "list intents",
		Err: errors.New("Request rate limit exceeded. Please retry later (req_0123456789abcdef).")}}
	return rep
}

func TestWriteCSVGolden(t *testing.T) {
	var b bytes.Buffer
	if err := WriteCSV(&b, goldenReport(t)); err != nil {
		t.Fatal(err)
	}
	golden(t, "eod.csv.golden", b.Bytes())

	recs, err := csv.NewReader(bytes.NewReader(b.Bytes())).ReadAll()
	if err != nil {
		t.Fatalf("the CSV does not parse back: %v", err)
	}
	if strings.Join(recs[0], ",") != strings.Join(CSVHeader, ",") || !bytes.Contains(b.Bytes(), []byte("\r\n")) {
		t.Error("want the header row first and CRLF line ends")
	}
	for _, r := range recs[1:] {
		if len(r) != len(CSVHeader) {
			t.Fatalf("record %v has %d fields", r, len(r))
		}
	}
}

func TestWriteCSVEmptyReport(t *testing.T) {
	var b bytes.Buffer
	if err := WriteCSV(&b, Report{}); err != nil {
		t.Fatal(err)
	}
	if got := b.String(); got != strings.Join(CSVHeader, ",")+"\r\n" {
		t.Errorf("empty report CSV = %q", got)
	}
}

func TestWriteTextGolden(t *testing.T) {
	rep := goldenReport(t)
	for _, w := range []struct {
		width int
		file  string
	}{{0, "eod_48.txt.golden"}, {32, "eod_32.txt.golden"}, {80, "eod_80.txt.golden"}} {
		var b bytes.Buffer
		if err := WriteText(&b, rep, w.width, nil); err != nil {
			t.Fatal(err)
		}
		golden(t, w.file, b.Bytes())
		limit := w.width
		if limit == 0 {
			limit = DefaultTextWidth
		}
		for _, line := range strings.Split(b.String(), "\n") {
			if width(line) > limit {
				t.Errorf("width %d: line %q is %d columns", limit, line, width(line))
			}
		}
	}
}

func TestWriteTextEmptyShift(t *testing.T) {
	p, err := ParseShift("2025-03-14", "22:00", "06:00", time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteText(&b, Report{Period: p}, 40, nil); err != nil {
		t.Fatal(err)
	}
	golden(t, "shift_empty.txt.golden", b.Bytes())
	b.Reset()
	if err := WriteText(&b, Report{Period: p}, 40, i18n.New(i18n.German)); err != nil {
		t.Fatal(err)
	}
	golden(t, "shift_empty_de.txt.golden", b.Bytes())
}

// The printed report in German: German words, dates (14.03.2025) and
// numbers (1.234,56, -10,00), the same figures and layout; the failed
// Stripe read in German words around Stripe's own message.
func TestWriteTextGoldenGerman(t *testing.T) {
	rep := goldenReport(t)
	for _, w := range []struct {
		width int
		file  string
	}{{0, "eod_48_de.txt.golden"}, {32, "eod_32_de.txt.golden"}} {
		var b bytes.Buffer
		if err := WriteText(&b, rep, w.width, i18n.New(i18n.German)); err != nil {
			t.Fatal(err)
		}
		golden(t, w.file, b.Bytes())
		limit := w.width
		if limit == 0 {
			limit = DefaultTextWidth
		}
		for _, line := range strings.Split(b.String(), "\n") {
			if width(line) > limit {
				t.Errorf("width %d: line %q is %d columns", limit, line, width(line))
			}
		}
		for _, want := range []string{"TAGESABSCHLUSS  14.03.2025", "Von  14.03.2025 00:00 CET", "Verkäufe", "-10,00", "2.750", "SUMMEN, ALLE HÄNDLER", "UNVOLLSTÄNDIG"} {
			if w.width == 0 && !strings.Contains(b.String(), want) {
				t.Errorf("the German report lacks %q:\n%s", want, b.String())
			}
		}
	}
}

func TestDecimal(t *testing.T) {
	for _, tt := range []struct {
		amount int64
		cur    string
		want   string
	}{{1250, "usd", "12.50"}, {-300, "eur", "-3.00"}, {500, "jpy", "500"}, {1230, "kwd", "1.230"}, {0, "usd", "0.00"}, {500, "isk", "5"}} {
		if got := Decimal(tt.amount, tt.cur); got != tt.want {
			t.Errorf("Decimal(%d, %s) = %q, want %q", tt.amount, tt.cur, got, tt.want)
		}
	}
}

func TestWidthAndFit(t *testing.T) {
	for _, tt := range []struct {
		s    string
		w    int
		want string
	}{{"Bäckerei", 20, "Bäckerei"}, {"桜ラーメン", 6, "桜ラ…"}, {"abcdef", 4, "abc…"}} {
		if got := fit(tt.s, tt.w); got != tt.want || width(got) > tt.w {
			t.Errorf("fit(%q, %d) = %q (width %d), want %q", tt.s, tt.w, got, width(got), tt.want)
		}
	}
}
