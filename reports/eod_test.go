package reports

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"kasse/journal"
	"kasse/pos"
)

// eodFixture extends the search fixture with refunds: pi_4 (another
// console's sale) was refunded 5.00 on Stripe today (plus a failed attempt
// and one tomorrow); pi_7 was refunded 2.00 at THIS console (journal R7,
// also visible on Stripe with kasse_refund_id); a 1.00 refund of S1 is sent
// but unsettled.
func eodFixture(t *testing.T) (*Searcher, *fakePayments) {
	t.Helper()
	ctx := context.Background()
	s, j, p := fixture(t)
	for i := range p.intents[acctA] {
		in := &p.intents[acctA][i]
		switch in.ID {
		case "pi_4":
			in.LatestCharge.AmountRefunded = 500
		case "pi_7":
			in.LatestCharge.AmountRefunded = 200
		}
	}
	p.refunds["pi_4"] = []pos.Refund{
		{ID: "re_4a", Amount: 500, Currency: "usd", Status: "succeeded", Created: at(14, 0)},
		{ID: "re_4b", Amount: 100, Currency: "usd", Status: "failed", Created: at(14, 5)},
		{ID: "re_4c", Amount: 250, Currency: "usd", Status: "succeeded", Created: at(25, 0)},
	}
	p.refunds["pi_7"] = []pos.Refund{
		{ID: "re_7", Amount: 200, Currency: "usd", Status: "succeeded", Created: at(13, 30), Metadata: map[string]string{"kasse_refund_id": "R7"}},
	}
	for _, rf := range []pos.RefundFlow{
		{ID: "R7", Seller: acctA, IntentID: "pi_7", Currency: "usd", Amount: 200, State: pos.RefundSucceeded, CreatedAt: at(13, 30)},
		{ID: "R9", SaleID: "S1", Seller: acctA, IntentID: "pi_1", Currency: "usd", Amount: 100, State: pos.RefundSent, CreatedAt: at(14, 30)},
		{ID: "R0", SaleID: "S1", Seller: acctA, IntentID: "pi_1", Currency: "usd", Amount: 50, State: pos.RefundFailed, CreatedAt: at(14, 40)},
	} {
		if err := j.SaveRefund(ctx, rf); err != nil {
			t.Fatal(err)
		}
	}
	return s, p
}

func TestEndOfDaySourcesOfTruth(t *testing.T) {
	s, p := eodFixture(t)
	rep, err := s.EndOfDay(context.Background(), DayPeriod(day0, time.UTC), "")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		// pi_7 7.00 + pi_4 25.00 (Stripe) + S2 16.00 (refreshed, tip 1.00) + S1 12.00;
		// refunds R1 3.00 + R7 2.00 (journal) + re_4a 5.00 (Stripe); R9 unsettled.
		"Lumen Coffee usd sales=4 gross=6000 tips=100 refunds=1000/3 net=5000 d=0 c=0 f=1 a=0 o=0 u=1/100 [mastercard:1/2500/0 visa:3/3500/100]",
		"Sakura Ramen jpy sales=0 gross=0 tips=0 refunds=0/0 net=0 d=1 c=1 f=0 a=0 o=0 u=0/0 []",
		"TOTAL jpy sales=0 gross=0 tips=0 refunds=0/0 net=0 d=1 c=1 f=0 a=0 o=0 u=0/0 []",
		"TOTAL usd sales=4 gross=6000 tips=100 refunds=1000/3 net=5000 d=0 c=0 f=1 a=0 o=0 u=1/100 [mastercard:1/2500/0 visa:3/3500/100]",
	}
	if got := summarize(rep); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(rep.Partial) != 0 || !rep.Period.From.Equal(day0) {
		t.Errorf("partial %v, period %+v", rep.Partial, rep.Period)
	}
	// Cards of pi_7, pi_4 and S2; refunds: one listing per seller, none per intent.
	if g, l, lc := p.count("GetIntent"), p.count("ListRefunds"), p.count("ListRefundsCreated"); g != 3 || l != 0 || lc != 2 {
		t.Errorf("GetIntent %d, ListRefunds %d, ListRefundsCreated %d; want 3, 0, 2", g, l, lc)
	}
}

func TestEndOfDayPartial(t *testing.T) {
	s, p := eodFixture(t)
	p.listErr[acctB] = &pos.Error{Kind: pos.KindAuth, Message: "no access"}
	p.getErr["pi_4"] = &pos.Error{Kind: pos.KindUnknown, Message: "timeout"}
	rep, err := s.EndOfDay(context.Background(), DayPeriod(day0, time.UTC), "")
	if err != nil {
		t.Fatal(err)
	}
	var ops []string
	for _, e := range rep.Partial {
		var fe *FetchError
		if !errors.As(e, &fe) {
			t.Fatalf("partial %T %v", e, e)
		}
		ops = append(ops, string(fe.Seller)+" "+fe.Op)
	}
	if strings.Join(ops, ",") != string(acctB)+" list intents,"+string(acctA)+" get intent" {
		t.Errorf("partial = %v", rep.Partial)
	}
	got := summarize(rep)
	// pi_4's card is unknown, its refunds still listed; acctB: journal only (S3 declined).
	for _, w := range []string{
		"Lumen Coffee usd sales=4 gross=6000 tips=100 refunds=1000/3 net=5000 d=0 c=0 f=1 a=0 o=0 u=1/100 [visa:3/3500/100 unknown:1/2500/0]",
		"Sakura Ramen jpy sales=0 gross=0 tips=0 refunds=0/0 net=0 d=1 c=0 f=0 a=0 o=0 u=0/0 []",
	} {
		if !strings.Contains(strings.Join(got, "\n"), w) {
			t.Errorf("missing %q in\n%s", w, strings.Join(got, "\n"))
		}
	}
}

func TestEndOfDaySellerFilterAndCap(t *testing.T) {
	s, p := eodFixture(t)
	rep, err := s.EndOfDay(context.Background(), DayPeriod(day0, time.UTC), acctB)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Sellers) != 1 || rep.Sellers[0].Seller != acctB || p.count("ListIntents") != 1 {
		t.Errorf("sellers %+v, ListIntents %d", rep.Sellers, p.count("ListIntents"))
	}
	s.EODListCap = 2
	rep, err = s.EndOfDay(context.Background(), DayPeriod(day0, time.UTC), acctA)
	if err != nil {
		t.Fatal(err)
	}
	// acctA: 5 intents and 3 refunds created today, both listings stop at 2.
	if len(rep.Partial) != 2 || !errors.Is(rep.Partial[0], errCapped) || !errors.Is(rep.Partial[1], errCapped) ||
		!strings.Contains(rep.Partial[1].Error(), "list refunds") {
		t.Errorf("partial = %v, want both capped listings", rep.Partial)
	}
	if _, err := s.EndOfDay(context.Background(), Period{From: day0, To: day0}, ""); err == nil {
		t.Error("an empty period was accepted")
	}
}

// Refunds are counted on the day they are made, wherever they were made:
// a Dashboard refund of this console's sale, a refund today of yesterday's
// sale; and a refund the journal holds counts on its journal day only,
// even when Stripe dates it a day later.
func TestEndOfDayCountsRefundsMadeElsewhere(t *testing.T) {
	ctx := context.Background()
	s, p := eodFixture(t)
	j := s.Journal.(*journal.Journal)
	p.refunds["pi_1"] = []pos.Refund{ // S1 is this console's sale; R1 (re_1) is in the journal
		{ID: "re_1", Amount: 300, Currency: "usd", Status: "succeeded", Created: at(13, 0), Metadata: map[string]string{"kasse_refund_id": "R1"}},
		{ID: "re_dash", Amount: 150, Currency: "usd", Status: "succeeded", Created: at(15, 0)},
	}
	p.refunds["pi_6"] = []pos.Refund{ // yesterday's sale, refunded today in the Dashboard
		{ID: "re_6", Amount: 1000, Currency: "usd", Status: "pending", Created: at(16, 0)},
		{ID: "re_6x", Amount: 70, Currency: "usd", Status: "canceled", Created: at(16, 5)},
	}
	// Recorded here late yesterday; Stripe created it just after midnight.
	late := pos.RefundFlow{ID: "R5", Seller: acctA, IntentID: "pi_4", Currency: "usd", Amount: 400,
		State: pos.RefundSucceeded, RefundID: "re_4d", CreatedAt: at(-1, 0).Add(59*time.Minute + 59*time.Second)}
	if err := j.SaveRefund(ctx, late); err != nil {
		t.Fatal(err)
	}
	p.refunds["pi_4"] = append(p.refunds["pi_4"],
		pos.Refund{ID: "re_4d", Amount: 400, Currency: "usd", Status: "succeeded", Created: at(0, 0).Add(2 * time.Second),
			Metadata: map[string]string{"kasse_refund_id": "R5"}})

	rep, err := s.EndOfDay(ctx, DayPeriod(day0, time.UTC), acctA)
	if err != nil {
		t.Fatal(err)
	}
	// Today: R1 3.00 + R7 2.00 (journal), re_4a 5.00, re_dash 1.50, re_6 10.00 (Stripe).
	want := "Lumen Coffee usd sales=4 gross=6000 tips=100 refunds=2150/5 net=3850 d=0 c=0 f=1 a=0 o=0 u=1/100 [mastercard:1/2500/0 visa:3/3500/100]"
	if got := summarize(rep); len(got) < 1 || got[0] != want {
		t.Errorf("today:\n got %v\nwant %s", got, want)
	}
	rep, err = s.EndOfDay(ctx, DayPeriod(at(-12, 0), time.UTC), acctA)
	if err != nil {
		t.Fatal(err)
	}
	// Yesterday: pi_6 50.00 sold; R5 4.00 from the journal.
	want = "Lumen Coffee usd sales=1 gross=5000 tips=0 refunds=400/1 net=4600 d=0 c=0 f=0 a=0 o=0 u=0/0 [visa:1/5000/0]"
	if got := summarize(rep); len(got) < 1 || got[0] != want {
		t.Errorf("yesterday:\n got %v\nwant %s", got, want)
	}
}

func TestPeriods(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, date, start, end string
		from, to               string
		hours                  float64
		label                  string
	}{
		{"day", "2025-03-14", "", "", "2025-03-14T00:00:00+01:00", "2025-03-15T00:00:00+01:00", 24, "2025-03-14"},
		{"DST day is 23 hours", "2025-03-30", "", "", "2025-03-30T00:00:00+01:00", "2025-03-31T00:00:00+02:00", 23, "2025-03-30"},
		{"shift", "2025-03-14", "06:00", "14:30", "2025-03-14T06:00:00+01:00", "2025-03-14T14:30:00+01:00", 8.5, "2025-03-14 06:00–14:30"},
		{"night shift", "2025-03-14", "22:00", "06:00", "2025-03-14T22:00:00+01:00", "2025-03-15T06:00:00+01:00", 8, "2025-03-14 22:00–06:00"},
		{"24h shift", "2025-03-14", "08:00", "08:00", "2025-03-14T08:00:00+01:00", "2025-03-15T08:00:00+01:00", 24, "2025-03-14 08:00–08:00"},
	}
	for _, tt := range tests {
		var p Period
		var err error
		if tt.start == "" {
			p, err = ParseDay(tt.date, berlin)
		} else {
			p, err = ParseShift(tt.date, tt.start, tt.end, berlin)
		}
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if f, to := p.From.Format(time.RFC3339), p.To.Format(time.RFC3339); f != tt.from || to != tt.to || p.Label != tt.label ||
			p.To.Sub(p.From).Hours() != tt.hours {
			t.Errorf("%s: %s – %s (%q, %v h)", tt.name, f, to, p.Label, p.To.Sub(p.From).Hours())
		}
	}
	for _, bad := range [][3]string{{"2025-3-14", "", ""}, {"14.03.2025", "", ""}, {"2025-03-14", "6:00", "14:00"},
		{"2025-03-14", "06:00", "24:00"}, {"2025-03-14", "06:60", "07:00"}} {
		var err error
		if bad[1] == "" {
			_, err = ParseDay(bad[0], berlin)
		} else {
			_, err = ParseShift(bad[0], bad[1], bad[2], berlin)
		}
		if err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}
