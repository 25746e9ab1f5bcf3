package reports_test

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"kasse/internal/cli"
	"kasse/internal/fixture"
	"kasse/journal"
	"kasse/pos"
	"kasse/readers"
	"kasse/reports"
	"kasse/sandbox"
	"kasse/stripeapi"
)

// e2e is the demo sandbox behind the real adapter.
type e2e struct {
	c       *stripeapi.Client
	sellers map[string]pos.Seller // by display name
	readers map[string]pos.Reader // their platform readers
	n       int
}

func newE2E(t *testing.T) *e2e {
	t.Helper()
	c := fixture.NewStripe(t, sandbox.Options{Seed: "demo"}, stripeapi.Config{APIKey: "sk_test_rep"}).Client
	ctx := context.Background()
	e := &e2e{c: c, sellers: map[string]pos.Seller{}, readers: map[string]pos.Reader{}}
	sellers, err := c.ListSellers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	locs, err := c.ListLocations(ctx, pos.Platform)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sellers {
		e.sellers[s.DisplayName] = s
		for _, l := range locs {
			if !strings.Contains(l.DisplayName, s.DisplayName) {
				continue
			}
			rs, err := c.ListReaders(ctx, pos.Platform, pos.ReaderFilter{LocationID: l.ID})
			if err != nil {
				t.Fatal(err)
			}
			if len(rs) > 0 {
				e.readers[s.DisplayName] = rs[0]
			}
		}
	}
	for _, name := range []string{"Lumen Coffee", "Sakura Ramen"} {
		if _, ok := e.readers[name]; !ok {
			t.Fatalf("demo seed: no platform reader for %s", name)
		}
	}
	return e
}

func (e *e2e) key(what string) string { e.n++; return fmt.Sprintf("rep-e2e-%s-%d", what, e.n) }

// sell creates an intent on the seller, processes it on the seller's
// platform reader and presents card with tip; it returns the intent read
// back with its charge.
func (e *e2e) sell(t *testing.T, seller string, amount int64, saleID, card string, tip int64) pos.Intent {
	t.Helper()
	ctx := context.Background()
	s, r := e.sellers[seller], e.readers[seller]
	in, err := e.c.CreateIntent(ctx, s.ID, pos.CreateIntentRequest{Amount: amount, Currency: s.Currency,
		CaptureMethod: "automatic", Metadata: map[string]string{"kasse_sale_id": saleID}}, e.key("create"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.c.ProcessIntent(ctx, pos.Platform, r.ID, in.ID, pos.ProcessConfig{}, e.key("process")); err != nil {
		t.Fatal(err)
	}
	if _, err := e.c.PresentCard(ctx, pos.Platform, r.ID, card, tip, e.key("present")); err != nil {
		t.Fatal(err)
	}
	in, err = e.c.GetIntent(ctx, s.ID, in.ID)
	if err != nil {
		t.Fatal(err)
	}
	return in
}

func TestEndToEndAgainstSandbox(t *testing.T) {
	ctx := context.Background()
	e := newE2E(t)
	j, err := journal.Open(filepath.Join(t.TempDir(), "journal.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	j.SetOrigin("till-1", "ana")
	lumen, sakura := e.sellers["Lumen Coffee"], e.sellers["Sakura Ramen"]
	start := time.Now().Add(-2 * time.Second)

	// Sale 1 at this console: 12.50 USD + 1.50 tip, Visa, refunded 3.00 here.
	in1 := e.sell(t, "Lumen Coffee", 1250, "till-1-s1", "4242424242424242", 150)
	if in1.Status != pos.IntentSucceeded || in1.Amount != 1400 || in1.Tip == nil || *in1.Tip != 150 || in1.LatestCharge == nil {
		t.Fatalf("sale 1 = %+v", in1)
	}
	tip := int64(150)
	if err := j.SaveSale(ctx, pos.Sale{ID: "till-1-s1", Seller: lumen.ID, Currency: "usd", Amount: 1400, Tip: &tip,
		State: pos.SaleApproved, IntentID: in1.ID, ChargeID: in1.LatestChargeID, Card: in1.LatestCharge.Card,
		CreatedAt: in1.Created, UpdatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	re1, err := e.c.CreateRefund(ctx, lumen.ID, pos.RefundRequest{IntentID: in1.ID, Amount: 300, Reason: "requested_by_customer",
		Metadata: map[string]string{"kasse_refund_id": "R1"}}, e.key("refund"))
	if err != nil {
		t.Fatal(err)
	}
	if err := j.SaveRefund(ctx, pos.RefundFlow{ID: "R1", SaleID: "till-1-s1", Seller: lumen.ID, IntentID: in1.ID,
		Currency: "usd", Amount: 300, State: pos.RefundSucceeded, RefundID: re1.ID, CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}

	// Sale 2 at another console: 1800 JPY, Mastercard, refunded 500 there.
	in2 := e.sell(t, "Sakura Ramen", 1800, "till-2-s9", "5555555555554444", 0)
	if in2.Status != pos.IntentSucceeded || in2.LatestCharge == nil || in2.LatestCharge.Card.Last4 != "4444" {
		t.Fatalf("sale 2 = %+v", in2)
	}
	if _, err := e.c.CreateRefund(ctx, sakura.ID, pos.RefundRequest{IntentID: in2.ID, Amount: 500, Reason: "requested_by_customer"},
		e.key("refund")); err != nil {
		t.Fatal(err)
	}

	// Sale 3 elsewhere: declined.
	in3 := e.sell(t, "Lumen Coffee", 990, "till-2-s10", "4000000000000002", 0)
	if in3.Status != pos.IntentRequiresPaymentMethod || in3.LastError == nil {
		t.Fatalf("sale 3 = %+v, want declined", in3)
	}
	end := time.Now().Add(2 * time.Second)

	s := &reports.Searcher{Journal: j, Sellers: e.c, Payments: e.c, ConsoleID: "till-1", Location: time.UTC}
	res, err := s.Search(ctx, reports.Query{From: start, To: end})
	if err != nil || len(res.Partial) != 0 {
		t.Fatalf("search: %v, partial %v", err, res.Partial)
	}
	got := map[string]reports.Row{}
	for _, r := range res.Rows {
		got[r.IntentID] = r
	}
	if len(res.Rows) != 3 {
		t.Fatalf("rows = %+v, want 3", res.Rows)
	}
	if r := got[in1.ID]; r.Source != reports.SourceJournal || r.SaleID != "till-1-s1" || r.Status != reports.StatusApproved ||
		r.Amount != 1400 || r.Tip != 150 || r.Refunded != 300 || r.Card.Brand != "visa" || r.SellerName != "Lumen Coffee" {
		t.Errorf("sale 1 row = %+v", r)
	}
	if r := got[in2.ID]; r.Source != reports.SourceStripe || r.SaleID != "till-2-s9" || r.Status != reports.StatusApproved ||
		r.Amount != 1800 || r.Currency != "jpy" || r.SellerName != "Sakura Ramen" {
		t.Errorf("sale 2 row = %+v", r)
	}
	if r := got[in3.ID]; r.Status != reports.StatusDeclined || r.Source != reports.SourceStripe {
		t.Errorf("sale 3 row = %+v", r)
	}

	res, err = s.Search(ctx, reports.Query{From: start, To: end, Last4: "4444"})
	if err != nil || len(res.Rows) != 1 || res.Rows[0].IntentID != in2.ID || res.Rows[0].Card.Brand != "mastercard" ||
		res.Rows[0].Refunded != 500 || !res.Rows[0].RefundedKnown {
		t.Errorf("last4 search: %v %+v", err, res.Rows)
	}
	res, err = s.Search(ctx, reports.Query{From: start, To: end, Status: reports.StatusDeclined, Seller: lumen.ID})
	if err != nil || len(res.Rows) != 1 || res.Rows[0].IntentID != in3.ID {
		t.Errorf("declined search: %v %+v", err, res.Rows)
	}

	d, err := s.Detail(ctx, sakura.ID, in2.ID)
	if err != nil || d.Charge == nil || d.Charge.Card.Brand != "mastercard" || len(d.Refunds) != 1 ||
		d.Refunds[0].Amount != 500 || d.Refundable != 1300 || d.Journal != nil {
		t.Errorf("detail: %v %+v", err, d)
	}
	d, err = s.Detail(ctx, lumen.ID, in1.ID)
	if err != nil || d.Journal == nil || d.Journal.Sale.ID != "till-1-s1" || d.Refundable != 1100 || len(d.JournalRefunds) != 1 {
		t.Errorf("detail of this console's sale: %v %+v", err, d)
	}

	rep, err := s.EndOfDay(ctx, reports.Period{From: start, To: end}, "")
	if err != nil || len(rep.Partial) != 0 {
		t.Fatalf("end of day: %v, partial %v", err, rep.Partial)
	}
	var text bytes.Buffer
	reports.WriteText(&text, rep, 48, nil)
	t.Logf("end of day report:\n%s", text.String())
	var lines []string
	for _, sr := range rep.Sellers {
		for _, c := range sr.Currencies {
			lines = append(lines, fmt.Sprintf("%s %s sales=%d gross=%d tips=%d refunds=%d/%d net=%d declined=%d brands=%+v",
				sr.Name, c.Currency, c.Sales, c.Gross, c.Tips, c.Refunds, c.RefundCount, c.Net, c.Declined, c.Brands))
		}
	}
	want := []string{
		"Lumen Coffee usd sales=1 gross=1400 tips=150 refunds=300/1 net=1100 declined=1 brands=[{Brand:visa Sales:1 Gross:1400 Tips:150}]",
		"Sakura Ramen jpy sales=1 gross=1800 tips=0 refunds=500/1 net=1300 declined=0 brands=[{Brand:mastercard Sales:1 Gross:1800 Tips:0}]",
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("end of day:\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}

	// The same through `kasse report`, when the sales fall on one UTC day.
	if day := start.UTC().Format(time.DateOnly); day == end.UTC().Format(time.DateOnly) {
		var out, errOut bytes.Buffer
		code := reports.RunReport(ctx, s, []string{"--date", day, "--csv"}, cli.IO{Out: &out, Err: &errOut})
		if code != reports.ExitOK || !strings.Contains(out.String(), ",seller,"+string(sakura.ID)+",Sakura Ramen,JPY,,1,1800,0,500,1,1300,") {
			t.Errorf("kasse report: exit %d, stderr %q\n%s", code, errOut.String(), out.String())
		}
	}
}

// A reader test payment made by kasse readers test (readers.Fleet), voided
// and one kept, reaches the report through the real adapter as a test
// (its metadata listed with the intent), never as a sale (issue 10,
// finding 9).
func TestReaderTestsAgainstSandbox(t *testing.T) {
	ctx := context.Background()
	e := newE2E(t)
	lumen, r := e.sellers["Lumen Coffee"], e.readers["Lumen Coffee"]
	f := &readers.Fleet{Terminal: e.c, Sellers: e.c, Payments: e.c, Presenter: e.c, Mode: readers.ModeTest, PollInterval: time.Millisecond}
	for _, keep := range []bool{false, true} {
		res, err := f.TestTransaction(ctx, readers.TestParams{Owner: r.Owner, ReaderID: r.ID, Seller: lumen.ID, Capture: keep})
		if err != nil || !res.Passed {
			t.Fatalf("reader test (capture %v): %+v, %v", keep, res, err)
		}
	}
	e.sell(t, "Lumen Coffee", 1250, "till-1-s1", "4242424242424242", 0)
	s := &reports.Searcher{Sellers: e.c, Payments: e.c}
	res, err := s.Search(ctx, reports.Query{Seller: lumen.ID})
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[reports.Kind]int{}
	for _, row := range res.Rows {
		kinds[row.Kind]++
	}
	if kinds[reports.KindTest] != 2 || kinds[reports.KindSale] != 1 {
		t.Fatalf("kinds = %v", kinds)
	}
	rep, err := s.EndOfDay(ctx, reports.DayPeriod(time.Now(), time.Local), lumen.ID)
	if err != nil || len(rep.Sellers) != 1 {
		t.Fatalf("report: %+v, %v", rep, err)
	}
	tot := rep.Sellers[0].Currencies[0]
	if tot.Sales != 1 || tot.Gross != 1250 || tot.Canceled != 0 || tot.Tests != 2 || tot.TestAmount == 0 {
		t.Fatalf("totals: %+v", tot)
	}
}
