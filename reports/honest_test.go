package reports

import (
	"bytes"
	"context"
	"encoding/csv"
	"testing"
	"time"

	"kasse/pos"
)

// Honest figures (issue 10, finding 9): a reader's test payment is not a
// seller's sale, a decline is a decline, and only a sale that reached
// Stripe is a sale.

// eodOf runs the end of day of day0 over the fixture's journal and fakes.
func eodOf(t *testing.T, s *Searcher) Report {
	t.Helper()
	rep, err := s.EndOfDay(context.Background(), DayPeriod(day0, time.UTC), "")
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func totalsOf(t *testing.T, rep Report, seller pos.Account, cur string) Totals {
	t.Helper()
	for _, s := range rep.Sellers {
		if s.Seller != seller {
			continue
		}
		for _, c := range s.Currencies {
			if c.Currency == cur {
				return c
			}
		}
	}
	t.Fatalf("no %s totals for %s in %+v", cur, seller, rep.Sellers)
	return Totals{}
}

// csvColumn is column name of the first seller row of the report's CSV.
func csvColumn(t *testing.T, rep Report, name string) string {
	t.Helper()
	var b bytes.Buffer
	if err := WriteCSV(&b, rep); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil || len(recs) < 2 {
		t.Fatalf("csv: %v %q", err, b.String())
	}
	for i, h := range recs[0] {
		if h == name {
			return recs[1][i]
		}
	}
	t.Fatalf("csv has no column %q: %v", name, recs[0])
	return ""
}

func TestReaderTestPaymentsAreNotSales(t *testing.T) {
	j := openJournal(t, "till-1")
	p := newFakePayments()
	p.add(acctA, paid("pi_sale", 1200, "usd", at(10, 0), "visa", "4242", 0))
	// A test kept (captured) and one voided, as kasse readers test makes them.
	kept := paid("pi_test1", 50, "usd", at(10, 5), "visa", "4242", 0)
	kept.Metadata = map[string]string{"kasse_test": "1", "kasse_reader": "tmr_1"}
	p.add(acctA, kept)
	p.add(acctA, pos.Intent{ID: "pi_test2", Status: pos.IntentCanceled, Amount: 50, Currency: "usd", Created: at(10, 6),
		CaptureMethod: "manual", Metadata: map[string]string{"kasse_test": "1", "kasse_reader": "tmr_1"}})
	s := newSearcher(j, p)

	res, err := s.Search(context.Background(), Query{})
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]Kind{}
	for _, r := range res.Rows {
		kinds[r.IntentID] = r.Kind
	}
	if kinds["pi_sale"] != KindSale || kinds["pi_test1"] != KindTest || kinds["pi_test2"] != KindTest {
		t.Fatalf("kinds = %v", kinds)
	}
	// The approved filter means approved sales.
	res, err = s.Search(context.Background(), Query{Status: StatusApproved})
	if err != nil || len(res.Rows) != 1 || res.Rows[0].IntentID != "pi_sale" {
		t.Fatalf("approved sales: %v, %v", views(res.Rows), err)
	}
	res, err = s.Search(context.Background(), Query{Status: StatusTest})
	if err != nil || len(res.Rows) != 2 {
		t.Fatalf("reader tests: %v, %v", views(res.Rows), err)
	}

	rep := eodOf(t, s)
	tot := totalsOf(t, rep, acctA, "usd")
	if tot.Sales != 1 || tot.Gross != 1200 || tot.Canceled != 0 || tot.Tests != 2 || tot.TestAmount != 50 {
		t.Fatalf("totals: sales %d gross %d canceled %d tests %d test amount %d", tot.Sales, tot.Gross, tot.Canceled, tot.Tests, tot.TestAmount)
	}
	if got := csvColumn(t, rep, "reader_tests"); got != "2" {
		t.Fatalf("csv reader_tests = %q", got)
	}
}

func TestADeclineIsCountedAsADecline(t *testing.T) {
	j := openJournal(t, "till-1")
	// This console's sale: declined, then the customer gave up and the
	// cashier canceled it (the machine keeps the decline).
	declined := sale("S1", acctA, "usd", 1200, pos.SaleCanceled, "pi_1", at(10, 0), pos.Card{})
	declined.Decline = &pos.PaymentError{Type: "card_error", Code: "card_declined", DeclineCode: "insufficient_funds"}
	// A plain cancel (the customer walked away before any card).
	canceled := sale("S2", acctA, "usd", 800, pos.SaleCanceled, "pi_2", at(11, 0), pos.Card{})
	saveSales(t, j, declined, canceled)
	p := newFakePayments()
	decl := &pos.PaymentError{Type: "card_error", Code: "card_declined", DeclineCode: "generic_decline"}
	p.add(acctA, pos.Intent{ID: "pi_1", Status: pos.IntentCanceled, Amount: 1200, Currency: "usd", Created: at(10, 0), LastError: decl})
	p.add(acctA, pos.Intent{ID: "pi_2", Status: pos.IntentCanceled, Amount: 800, Currency: "usd", Created: at(11, 0)})
	// Another console's sale, declined and canceled: Stripe keeps the error.
	p.add(acctA, pos.Intent{ID: "pi_3", Status: pos.IntentCanceled, Amount: 500, Currency: "usd", Created: at(12, 0), LastError: decl})
	s := newSearcher(j, p)

	res, err := s.Search(context.Background(), Query{})
	if err != nil {
		t.Fatal(err)
	}
	st := map[string]Status{}
	for _, r := range res.Rows {
		st[r.IntentID] = r.Status
	}
	if st["pi_1"] != StatusDeclined || st["pi_2"] != StatusCanceled || st["pi_3"] != StatusDeclined {
		t.Fatalf("statuses = %v", st)
	}
	res, err = s.Search(context.Background(), Query{Status: StatusDeclined})
	if err != nil || len(res.Rows) != 2 {
		t.Fatalf("declined filter: %v, %v", views(res.Rows), err)
	}
	rep := eodOf(t, s)
	tot := totalsOf(t, rep, acctA, "usd")
	if tot.Declined != 2 || tot.Canceled != 1 {
		t.Fatalf("declined %d canceled %d", tot.Declined, tot.Canceled)
	}
	if got := csvColumn(t, rep, "declined"); got != "2" {
		t.Fatalf("csv declined = %q", got)
	}
}

func TestACartNeverChargedIsNoTransaction(t *testing.T) {
	j := openJournal(t, "till-1")
	saveSales(t, j,
		sale("S1", acctA, "usd", 1200, pos.SaleApproved, "pi_1", at(10, 0), visa),
		// A cart shown on the reader and then cleared: no PaymentIntent.
		sale("S2", acctA, "usd", 900, pos.SaleCanceled, "", at(10, 30), pos.Card{}),
		// A charge Stripe refused outright (nothing created).
		sale("S3", acctA, "usd", 700, pos.SaleFailed, "", at(10, 40), pos.Card{}),
		// A create whose outcome is not known yet may have charged: it stays.
		sale("S4", acctA, "usd", 600, pos.SaleUnknown, "", at(10, 50), pos.Card{}),
	)
	p := newFakePayments()
	p.add(acctA, paid("pi_1", 1200, "usd", at(10, 0), "visa", "4242", 0))
	s := newSearcher(j, p)
	res, err := s.Search(context.Background(), Query{})
	if err != nil {
		t.Fatal(err)
	}
	check(t, res.Rows, []rowView{
		{SourceJournal, "S4", "", StatusOpen, 600},
		{SourceJournal, "S1", "pi_1", StatusApproved, 1200},
	})
	res, err = s.Search(context.Background(), Query{Status: StatusCanceled})
	if err != nil || len(res.Rows) != 0 {
		t.Fatalf("canceled: %v, %v", views(res.Rows), err)
	}
	tot := totalsOf(t, eodOf(t, s), acctA, "usd")
	if tot.Sales != 1 || tot.Canceled != 0 || tot.Failed != 0 || tot.Open != 1 {
		t.Fatalf("sales %d canceled %d failed %d open %d", tot.Sales, tot.Canceled, tot.Failed, tot.Open)
	}
}
