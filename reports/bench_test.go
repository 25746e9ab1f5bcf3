package reports

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"kasse/journal"
	"kasse/pos"
)

const benchSales = 100_000

var benchSellers = []struct {
	id       pos.Account
	name     string
	currency string
}{
	{acctA, "Lumen Coffee", "usd"}, {acctB, "Sakura Ramen", "jpy"}, {acctC, "Sonnenkorn", "eur"},
	{"acct_1DDDDDDDDDDDDDDD", "Northwind Bikes", "usd"}, {"acct_1EEEEEEEEEEEEEEE", "Hollow Oak", "gbp"},
}

var benchBrands = []string{"visa", "mastercard", "amex", "discover", "jcb", ""}

// benchRows are n rows over 5 sellers, 4 currencies and 6 brands (one of
// them unknown); 1 in 10 declined, 1 in 25 canceled.
func benchRows(n int) []Row {
	rows := make([]Row, n)
	for i := range rows {
		s := benchSellers[i%len(benchSellers)]
		st := StatusApproved
		switch {
		case i%10 == 3:
			st = StatusDeclined
		case i%25 == 7:
			st = StatusCanceled
		}
		rows[i] = Row{Source: SourceJournal, Seller: s.id, SellerName: s.name, Currency: s.currency,
			Amount: int64(100 + i%9000), Tip: int64(i % 3 * 50), Status: st,
			Card:    pos.Card{Brand: benchBrands[i%len(benchBrands)], Last4: fmt.Sprintf("%04d", i%10000)},
			Created: day0.Add(time.Duration(i) * 800 * time.Millisecond)}
	}
	return rows
}

func benchRefunds(rows []Row) []RefundEntry {
	var out []RefundEntry
	for i := 0; i < len(rows); i += 20 {
		r := rows[i]
		out = append(out, RefundEntry{Seller: r.Seller, Currency: r.Currency, Amount: r.Amount / 2, Unsettled: i%200 == 0})
	}
	return out
}

// BenchmarkEndOfDay100k aggregates 100k rows and 5k refunds.
func BenchmarkEndOfDay100k(b *testing.B) {
	rows := benchRows(benchSales)
	refunds := benchRefunds(rows)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		rep := Aggregate(rows, refunds)
		if len(rep.Sellers) != len(benchSellers) {
			b.Fatal("wrong report")
		}
	}
}

var (
	benchOnce sync.Once
	benchDir  string
	benchErr  error
)

// benchJournalPath builds, once per test binary, a journal of 100k sales of
// console till-1, 2,000 a day over the 50 days up to day0, and 5,000
// refunds.
func benchJournalPath(b *testing.B) string {
	benchOnce.Do(func() {
		benchDir, benchErr = os.MkdirTemp("", "kasse-reports-bench-")
		if benchErr != nil {
			return
		}
		start := time.Now()
		j, err := journal.Open(filepath.Join(benchDir, "journal.db"))
		if err != nil {
			benchErr = err
			return
		}
		defer j.Close()
		j.SetOrigin("till-1", "ana")
		rows := benchRows(benchSales)
		sales := make([]pos.Sale, len(rows))
		for i, r := range rows {
			created := day0.AddDate(0, 0, -(i / 2000)).Add(time.Duration(i%2000) * 40 * time.Second)
			st := pos.SaleApproved
			switch r.Status {
			case StatusDeclined:
				st = pos.SaleDeclined
			case StatusCanceled:
				st = pos.SaleCanceled
			}
			tip := r.Tip
			sales[i] = pos.Sale{ID: fmt.Sprintf("till-1-%06d", i), Seller: r.Seller, Currency: r.Currency,
				Amount: r.Amount, Tip: &tip, State: st, IntentID: fmt.Sprintf("pi_%06d", i), Card: r.Card,
				CreatedAt: created, UpdatedAt: created}
		}
		if benchErr = j.InsertSalesBulk(context.Background(), sales); benchErr != nil {
			return
		}
		// One sale in 20 refunded: half of it, most refunds settled, some
		// pending, some still unsettled, some failed.
		states := []pos.RefundState{pos.RefundSucceeded, pos.RefundSucceeded, pos.RefundSucceeded, pos.RefundPending,
			pos.RefundSent, pos.RefundFailed}
		for i := 0; i < len(sales); i += 20 {
			s := sales[i]
			rf := pos.RefundFlow{ID: "R" + s.ID, SaleID: s.ID, Seller: s.Seller, IntentID: s.IntentID, Currency: s.Currency,
				Amount: s.Amount / 2, State: states[(i/20)%len(states)], CreatedAt: s.CreatedAt.Add(time.Hour)}
			if benchErr = j.SaveRefund(context.Background(), rf); benchErr != nil {
				return
			}
		}
		fmt.Fprintf(os.Stderr, "bench setup: journal of %d sales, %d refunds in %s\n", benchSales, benchSales/20,
			time.Since(start).Round(time.Millisecond))
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return filepath.Join(benchDir, "journal.db")
}

func TestMain(m *testing.M) {
	code := m.Run()
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

func openBench(b *testing.B, path string) *journal.Journal {
	j, err := journal.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { j.Close() })
	return j
}

// BenchmarkSearchJournal100k searches a journal of 100k sales (2,000 a day
// over 50 days), journal only. Target (issue 12): under 20 ms a search.
func BenchmarkSearchJournal100k(b *testing.B) {
	j := openBench(b, benchJournalPath(b))
	s := &Searcher{Journal: j, ConsoleID: "till-1", Now: func() time.Time { return day0.Add(12 * time.Hour) }, Location: time.UTC}
	cases := []struct {
		name string
		q    Query
		min  int
	}{
		{"today", Query{}, 100},
		{"today_seller_approved", Query{Seller: acctB, Status: StatusApproved}, 100},
		{"50days_last4", Query{From: day0.AddDate(0, 0, -50), To: day0.AddDate(0, 0, 1), Last4: "0042"}, 5},
		{"50days_amount_range", Query{From: day0.AddDate(0, 0, -50), To: day0.AddDate(0, 0, 1), MinAmount: 5000, MaxAmount: 5010, Limit: 1000}, 100},
		{"50days_wide_amount_limit1000", Query{From: day0.AddDate(0, 0, -50), To: day0.AddDate(0, 0, 1), MinAmount: 1000, MaxAmount: 8000, Limit: 1000}, 1000},
		{"50days_declined_limit1000", Query{From: day0.AddDate(0, 0, -50), To: day0.AddDate(0, 0, 1), Status: StatusDeclined, Limit: 1000}, 1000},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				res, err := s.Search(context.Background(), c.q)
				if err != nil {
					b.Fatal(err)
				}
				if len(res.Rows) < c.min {
					b.Fatalf("%d rows, want ≥ %d", len(res.Rows), c.min)
				}
			}
		})
	}
}

// BenchmarkEndOfDayJournal100k runs the whole EndOfDay over a period
// holding all 100k journal sales (journal only: read, merge, aggregate).
// Target (issue 12): under 50 ms and 10 MB a run.
func BenchmarkEndOfDayJournal100k(b *testing.B) {
	j := openBench(b, benchJournalPath(b))
	s := &Searcher{Journal: j, ConsoleID: "till-1", Location: time.UTC}
	p := Period{From: day0.AddDate(0, 0, -50), To: day0.AddDate(0, 0, 1)}
	b.ReportAllocs()
	for b.Loop() {
		rep, err := s.EndOfDay(context.Background(), p, "")
		if err != nil {
			b.Fatal(err)
		}
		if n := rep.Totals[0].Sales + rep.Totals[0].Declined; n == 0 {
			b.Fatal("empty report")
		}
	}
}
