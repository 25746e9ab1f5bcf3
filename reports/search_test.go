package reports

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"kasse/i18n"
	"kasse/journal"
	"kasse/pos"
)

var (
	visa = pos.Card{Brand: "visa", Last4: "4242"}
	mc   = pos.Card{Brand: "mastercard", Last4: "4444"}
)

// fixture: this console (till-1) sold S1 (approved), S2 (outcome unknown;
// Stripe says it succeeded with a tip), S3 (declined), S8 (failed; Stripe
// still shows the intent open), S0 (a draft); another console's sale S7 is
// in the same journal file. Stripe also has pi_4 (another console's sale),
// pi_5 (canceled) and pi_6 (yesterday).
func fixture(t *testing.T) (*Searcher, *journal.Journal, *fakePayments) {
	t.Helper()
	ctx := context.Background()
	j := openJournal(t, "till-1")
	saveSales(t, j,
		sale("S1", acctA, "usd", 1200, pos.SaleApproved, "pi_1", at(10, 0), visa),
		sale("S2", acctA, "usd", 1500, pos.SaleUnknown, "pi_2", at(11, 0), pos.Card{}),
		sale("S3", acctB, "jpy", 800, pos.SaleDeclined, "pi_3", at(9, 30), pos.Card{}),
		sale("S8", acctA, "usd", 990, pos.SaleFailed, "pi_8", at(8, 0), pos.Card{}),
		sale("S0", acctA, "usd", 0, pos.SaleDraft, "", at(7, 0), pos.Card{}),
	)
	j.SetOrigin("till-2", "bo")
	saveSales(t, j, sale("S7", acctA, "usd", 700, pos.SaleApproved, "pi_7", at(12, 30), visa))
	j.SetOrigin("till-1", "ana")
	rf := pos.RefundFlow{ID: "R1", SaleID: "S1", Seller: acctA, IntentID: "pi_1", Currency: "usd", Amount: 300,
		State: pos.RefundSucceeded, RefundID: "re_1", CreatedAt: at(13, 0)}
	if err := j.SaveRefund(ctx, rf); err != nil {
		t.Fatal(err)
	}

	p := newFakePayments()
	p.add(acctA, paid("pi_1", 1200, "usd", at(10, 0), "visa", "4242", 300))
	in2 := paid("pi_2", 1600, "usd", at(11, 0), "visa", "1881", 0)
	in2.Tip = i64(100)
	p.add(acctA, in2)
	in4 := paid("pi_4", 2500, "usd", at(12, 0), "mastercard", "4444", 0)
	in4.Metadata = map[string]string{"kasse_sale_id": "till-2-x"}
	p.add(acctA, in4)
	p.add(acctA, pos.Intent{ID: "pi_8", Status: pos.IntentRequiresPaymentMethod, Amount: 990, Currency: "usd", Created: at(8, 0)})
	p.add(acctA, paid("pi_7", 700, "usd", at(12, 30), "visa", "4242", 0))
	p.add(acctA, paid("pi_6", 5000, "usd", at(-2, 0), "visa", "4242", 0))
	p.add(acctB, pos.Intent{ID: "pi_3", Status: pos.IntentRequiresPaymentMethod, Amount: 800, Currency: "jpy", Created: at(9, 30),
		LastError: &pos.PaymentError{Type: "card_error", Code: "card_declined", DeclineCode: "insufficient_funds"}})
	p.add(acctB, pos.Intent{ID: "pi_5", Status: pos.IntentCanceled, Amount: 1000, Currency: "jpy", Created: at(9, 0)})
	return newSearcher(j, p), j, p
}

type rowView struct {
	src    Source
	sale   string
	intent string
	status Status
	amount int64
}

func views(rows []Row) []rowView {
	out := make([]rowView, len(rows))
	for i, r := range rows {
		out[i] = rowView{r.Source, r.SaleID, r.IntentID, r.Status, r.Amount}
	}
	return out
}

func check(t *testing.T, got []Row, want []rowView) {
	t.Helper()
	g := views(got)
	if fmt.Sprint(g) != fmt.Sprint(want) {
		t.Errorf("rows:\n got %v\nwant %v", g, want)
	}
}

func TestSearchMergesDedupsAndRefreshes(t *testing.T) {
	s, _, p := fixture(t)
	res, err := s.Search(context.Background(), Query{})
	if err != nil {
		t.Fatal(err)
	}
	if !res.From.Equal(day0) || !res.To.Equal(day0.AddDate(0, 0, 1)) {
		t.Errorf("default range = %s–%s, want today", res.From, res.To)
	}
	check(t, res.Rows, []rowView{
		{SourceStripe, "", "pi_7", StatusApproved, 700}, // another console's row in this file: not this console's
		{SourceStripe, "till-2-x", "pi_4", StatusApproved, 2500},
		{SourceJournal, "S2", "pi_2", StatusApproved, 1600}, // refreshed from unknown
		{SourceJournal, "S1", "pi_1", StatusApproved, 1200},
		{SourceJournal, "S3", "pi_3", StatusDeclined, 800},
		{SourceStripe, "", "pi_5", StatusCanceled, 1000},
		{SourceJournal, "S8", "pi_8", StatusFailed, 990}, // final journal state beats an open intent
	})
	if len(res.Partial) != 0 || res.Truncated || p.count("ListIntents") != 2 || p.count("GetIntent") != 0 {
		t.Errorf("partial %v truncated %v, calls %v", res.Partial, res.Truncated, p.calls)
	}
	byIntent := map[string]Row{}
	for _, r := range res.Rows {
		byIntent[r.IntentID] = r
	}
	s2 := byIntent["pi_2"]
	if !s2.Refreshed || s2.JournalState != pos.SaleUnknown || s2.Tip != 100 || s2.IntentStatus != pos.IntentSucceeded {
		t.Errorf("S2 = %+v, want refreshed to approved with Stripe's tip", s2)
	}
	if s1 := byIntent["pi_1"]; s1.Refreshed || s1.Refunded != 300 || !s1.RefundedKnown || s1.SellerName != "Lumen Coffee" || s1.Card != visa {
		t.Errorf("S1 = %+v, want journal row with its 3.00 refund", s1)
	}
	if s8 := byIntent["pi_8"]; s8.Refreshed || s8.IntentStatus != pos.IntentRequiresPaymentMethod {
		t.Errorf("S8 = %+v", s8)
	}
	if r4 := byIntent["pi_4"]; r4.RefundedKnown || r4.Card != (pos.Card{}) || r4.SellerName != "Lumen Coffee" {
		t.Errorf("pi_4 = %+v: a listed intent has no charge", r4)
	}
}

func TestSearchFilters(t *testing.T) {
	s, _, _ := fixture(t)
	ctx := context.Background()
	tests := []struct {
		name string
		q    Query
		want []rowView
	}{
		{"seller", Query{Seller: acctB}, []rowView{
			{SourceJournal, "S3", "pi_3", StatusDeclined, 800}, {SourceStripe, "", "pi_5", StatusCanceled, 1000}}},
		{"approved finds a journal row only Stripe knows is approved", Query{Status: StatusApproved, Seller: acctA}, []rowView{
			{SourceStripe, "", "pi_7", StatusApproved, 700}, {SourceStripe, "till-2-x", "pi_4", StatusApproved, 2500},
			{SourceJournal, "S2", "pi_2", StatusApproved, 1600}, {SourceJournal, "S1", "pi_1", StatusApproved, 1200}}},
		{"open excludes refreshed and final rows", Query{Status: StatusOpen}, nil},
		{"amount range", Query{MinAmount: 900, MaxAmount: 1500}, []rowView{
			{SourceJournal, "S1", "pi_1", StatusApproved, 1200}, {SourceStripe, "", "pi_5", StatusCanceled, 1000},
			{SourceJournal, "S8", "pi_8", StatusFailed, 990}}},
		{"time range", Query{From: at(9, 0), To: at(10, 0)}, []rowView{
			{SourceJournal, "S3", "pi_3", StatusDeclined, 800}, {SourceStripe, "", "pi_5", StatusCanceled, 1000}}},
		{"yesterday", Query{From: day0.AddDate(0, 0, -1), To: day0}, []rowView{
			{SourceStripe, "", "pi_6", StatusApproved, 5000}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := s.Search(ctx, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			check(t, res.Rows, tt.want)
		})
	}
}

func TestSearchLast4LooksUpStripeCards(t *testing.T) {
	s, _, p := fixture(t)
	res, err := s.Search(context.Background(), Query{Last4: "4444"})
	if err != nil {
		t.Fatal(err)
	}
	check(t, res.Rows, []rowView{{SourceStripe, "till-2-x", "pi_4", StatusApproved, 2500}})
	// Candidates: pi_7, pi_4 (Stripe rows with a charge) and S2 (a journal
	// row without a card whose intent Stripe shows paid); pi_5 has no charge.
	if n := p.count("GetIntent"); n != 3 || res.Unchecked != 0 {
		t.Errorf("GetIntent calls = %d, unchecked = %d; want 3, 0", n, res.Unchecked)
	}
	if r := res.Rows[0]; r.Card != mc || !r.RefundedKnown {
		t.Errorf("row = %+v, want the looked-up card", r)
	}

	res, err = s.Search(context.Background(), Query{Last4: "4242"})
	if err != nil {
		t.Fatal(err)
	}
	check(t, res.Rows, []rowView{{SourceStripe, "", "pi_7", StatusApproved, 700}, {SourceJournal, "S1", "pi_1", StatusApproved, 1200}})
	res, err = s.Search(context.Background(), Query{Last4: "1881"})
	if err != nil {
		t.Fatal(err)
	}
	check(t, res.Rows, []rowView{{SourceJournal, "S2", "pi_2", StatusApproved, 1600}})

	s.MaxCardLookups = 1 // only the newest candidate (pi_7) is read
	res, err = s.Search(context.Background(), Query{Last4: "4444"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != 0 || res.Unchecked != 2 {
		t.Errorf("rows %v, unchecked %d; want none and 2", views(res.Rows), res.Unchecked)
	}
}

func TestSearchPartialWhenASellerFails(t *testing.T) {
	s, _, p := fixture(t)
	p.listErr[acctB] = &pos.Error{Kind: pos.KindRateLimited, Message: "slow down"}
	res, err := s.Search(context.Background(), Query{Seller: acctB})
	if err != nil {
		t.Fatal(err)
	}
	check(t, res.Rows, []rowView{{SourceJournal, "S3", "pi_3", StatusDeclined, 800}})
	var fe *FetchError
	if len(res.Partial) != 1 || !errors.As(res.Partial[0], &fe) || fe.Seller != acctB || fe.Op != "list intents" {
		t.Fatalf("partial = %v", res.Partial)
	}
	if msg := fe.Error(); !strings.Contains(msg, "Sakura Ramen") || !strings.Contains(msg, "slow down") {
		t.Errorf("error text %q", msg)
	}

	s.Sellers = fakeSellers{err: errors.New("accounts unavailable")}
	res, err = s.Search(context.Background(), Query{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Partial) != 1 || len(res.Rows) != 4 { // journal only: S2 stays unknown (open), S8, S1, S3
		t.Errorf("rows %v partial %v", views(res.Rows), res.Partial)
	}
}

func TestSearchLimitAndTruncation(t *testing.T) {
	s, _, _ := fixture(t)
	res, err := s.Search(context.Background(), Query{Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	check(t, res.Rows, []rowView{{SourceStripe, "", "pi_7", StatusApproved, 700}, {SourceStripe, "till-2-x", "pi_4", StatusApproved, 2500}})
	if !res.Truncated {
		t.Error("Truncated = false with more rows than the limit")
	}
}

func TestSearchStripeOnlyAndJournalOnly(t *testing.T) {
	s, j, p := fixture(t)
	s.Journal = nil
	res, err := s.Search(context.Background(), Query{Seller: acctB})
	if err != nil {
		t.Fatal(err)
	}
	check(t, res.Rows, []rowView{{SourceStripe, "", "pi_3", StatusDeclined, 800}, {SourceStripe, "", "pi_5", StatusCanceled, 1000}})
	s.Journal, s.Payments = j, nil
	res, err = s.Search(context.Background(), Query{Seller: acctB})
	if err != nil {
		t.Fatal(err)
	}
	check(t, res.Rows, []rowView{{SourceJournal, "S3", "pi_3", StatusDeclined, 800}})
	s.Payments, s.Sellers = p, nil // no seller list: a named seller is still listed
	res, err = s.Search(context.Background(), Query{Seller: acctB, Status: StatusCanceled})
	if err != nil {
		t.Fatal(err)
	}
	check(t, res.Rows, []rowView{{SourceStripe, "", "pi_5", StatusCanceled, 1000}})
}

func TestSearchConcurrencyIsBounded(t *testing.T) {
	p := newFakePayments()
	p.delay = 5 * time.Millisecond
	var sellers []pos.Seller
	for i := range 12 {
		id := pos.Account(fmt.Sprintf("acct_1%015d", i))
		sellers = append(sellers, pos.Seller{ID: id, DisplayName: string(id)})
		p.add(id, paid(fmt.Sprintf("pi_%d", i), 100, "usd", at(10, i), "visa", "4242", 0))
	}
	s := &Searcher{Sellers: fakeSellers{list: sellers}, Payments: p, Concurrency: 3,
		Now: func() time.Time { return at(15, 0) }, Location: time.UTC}
	res, err := s.Search(context.Background(), Query{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != 12 || p.count("ListIntents") != 12 {
		t.Fatalf("rows %d, calls %d", len(res.Rows), p.count("ListIntents"))
	}
	if p.maxSeen > 3 || p.maxSeen < 2 {
		t.Errorf("max calls in flight = %d, want 2–3", p.maxSeen)
	}
}

func TestSearchRejectsBadQueries(t *testing.T) {
	s, _, _ := fixture(t)
	for _, q := range []Query{
		{From: at(10, 0), To: at(9, 0)},
		{MinAmount: 500, MaxAmount: 100},
		{MinAmount: -1},
		{Last4: "42a2"},
		{Last4: "424"},
		{Status: "paid"},
	} {
		if _, err := s.Search(context.Background(), q); err == nil {
			t.Errorf("Search(%+v) succeeded", q)
		}
	}
}

func TestStripeCreatedRangeIsHalfOpen(t *testing.T) {
	if got := lastUnixBefore(time.Unix(100, 0)); got != 99 {
		t.Errorf("lastUnixBefore(100s) = %d", got)
	}
	if got := lastUnixBefore(time.Unix(100, 5)); got != 100 {
		t.Errorf("lastUnixBefore(100s+5ns) = %d", got)
	}
	if got := ceilUnix(time.Unix(100, 5)); got != 101 {
		t.Errorf("ceilUnix(100s+5ns) = %d", got)
	}
	if ceilUnix(time.Time{}) != 0 || lastUnixBefore(time.Time{}) != 0 {
		t.Error("zero times must stay open")
	}
}

func TestDetail(t *testing.T) {
	s, _, p := fixture(t)
	p.refunds["pi_1"] = []pos.Refund{
		{ID: "re_2", Amount: 100, Currency: "usd", Status: "succeeded", Created: at(14, 0)},
		{ID: "re_1", Amount: 200, Currency: "usd", Status: "succeeded", Created: at(13, 0)},
	}
	d, err := s.Detail(context.Background(), acctA, "pi_1")
	if err != nil {
		t.Fatal(err)
	}
	if d.Charge == nil || d.Charge.Card != visa || d.Refundable != 900 || d.NotRefundable.ID != "" {
		t.Errorf("detail = %+v", d)
	}
	if len(d.Refunds) != 2 || d.Refunds[0].ID != "re_1" {
		t.Errorf("refunds = %+v, want oldest first", d.Refunds)
	}
	if d.Journal == nil || d.Journal.Sale.ID != "S1" || len(d.JournalRefunds) != 1 || d.JournalRefunds[0].Refund.ID != "R1" {
		t.Errorf("journal part = %+v / %+v", d.Journal, d.JournalRefunds)
	}

	d, err = s.Detail(context.Background(), acctB, "pi_3")
	if err != nil {
		t.Fatal(err)
	}
	if d.Refundable != 0 || !strings.Contains(i18n.Neutral().Render(d.NotRefundable), "requires_payment_method") || d.Refunds != nil {
		t.Errorf("declined detail = %+v", d)
	}
	if got, want := i18n.New(i18n.German).Render(d.NotRefundable), "Zahlung pi_3 ist requires_payment_method; erstatten lässt sich nur eine erfolgreiche Zahlung"; got != want {
		t.Errorf("why, in German: %q, want %q", got, want)
	}
	if p.count("ListRefunds") != 1 {
		t.Errorf("ListRefunds calls = %d: an intent without a charge has no refunds to list", p.count("ListRefunds"))
	}

	p.getErr["pi_2"] = &pos.Error{Kind: pos.KindUnknown, Message: "timeout"}
	d, err = s.Detail(context.Background(), acctA, "pi_2")
	if err == nil || d.Journal == nil || d.Journal.Sale.ID != "S2" {
		t.Errorf("on a Stripe error: err %v, journal %+v; want both", err, d.Journal)
	}
}

func TestSearchByRefundState(t *testing.T) {
	s, p := eodFixture(t)
	ctx := context.Background()
	res, err := s.Search(ctx, Query{Status: StatusApproved, Refund: RefundedPartly})
	if err != nil {
		t.Fatal(err)
	}
	check(t, res.Rows, []rowView{{SourceStripe, "", "pi_7", StatusApproved, 700},
		{SourceStripe, "till-2-x", "pi_4", StatusApproved, 2500}, {SourceJournal, "S1", "pi_1", StatusApproved, 1200}})
	if n := p.count("GetIntent"); n != 2 || res.Unchecked != 0 {
		t.Errorf("GetIntent %d, unchecked %d: want the two Stripe rows read", n, res.Unchecked)
	}
	res, err = s.Search(ctx, Query{Status: StatusApproved, Refund: RefundedNone})
	if err != nil {
		t.Fatal(err)
	}
	check(t, res.Rows, []rowView{{SourceJournal, "S2", "pi_2", StatusApproved, 1600}})
	if _, err := s.Search(ctx, Query{Refund: "some"}); err == nil {
		t.Error("bad refund filter accepted")
	}
}

// A sale of this console refunded in the Dashboard: the listed charge's
// amount refunded is more than the journal's refunds, and the row says so.
func TestSearchSeesRefundsMadeElsewhere(t *testing.T) {
	s, p := eodFixture(t)
	p.expand = true
	for i := range p.intents[acctA] {
		if in := &p.intents[acctA][i]; in.ID == "pi_1" {
			in.LatestCharge.AmountRefunded = 1200 // R1 3.00 here, 9.00 in the Dashboard
		}
	}
	res, err := s.Search(context.Background(), Query{Status: StatusApproved, Refund: RefundedFully})
	if err != nil {
		t.Fatal(err)
	}
	check(t, res.Rows, []rowView{{SourceJournal, "S1", "pi_1", StatusApproved, 1200}})
	if res.Rows[0].Refunded != 1200 || p.count("GetIntent") != 0 {
		t.Errorf("refunded %d, GetIntent %d; want 1200 from the listing, no reads", res.Rows[0].Refunded, p.count("GetIntent"))
	}
}

func TestRowRefundState(t *testing.T) {
	for _, tt := range []struct {
		r    Row
		want RefundFilter
	}{
		{Row{Amount: 1000}, ""},
		{Row{Amount: 1000, RefundedKnown: true}, RefundedNone},
		{Row{Amount: 1000, Refunded: 1, RefundedKnown: true}, RefundedPartly},
		{Row{Amount: 1000, Refunded: 1000, RefundedKnown: true}, RefundedFully},
	} {
		if got := tt.r.RefundState(); got != tt.want {
			t.Errorf("%+v: %q, want %q", tt.r, got, tt.want)
		}
	}
	// Stripe counts what a partial capture released in amount_refunded.
	ch := pos.Charge{Amount: 10000, AmountCaptured: 8000, AmountRefunded: 2500, Captured: true, Status: "succeeded"}
	if got := chargeRefunded(ch); got != 500 {
		t.Errorf("chargeRefunded = %d, want 500", got)
	}
}

// A status search fills its page: the journal tells declines (a sale
// declined and then canceled is one) from plain cancellations, so the
// newest cancellations do not use up the rows read for the declines.
func TestSearchDeclinedAndCanceledFillTheirPage(t *testing.T) {
	j := openJournal(t, "till-1")
	decline := &pos.PaymentError{Type: "card_error", Code: "card_declined"}
	for i := range 30 {
		s := sale(fmt.Sprintf("S%02d", i), acctA, "usd", 1000, pos.SaleCanceled, fmt.Sprintf("pi_%02d", i), at(9, i), pos.Card{})
		switch {
		case i < 10:
			s.State, s.Decline = pos.SaleDeclined, decline
		case i < 20: // declined, then given up
			s.Decline = decline
		} // 20–29: canceled without a decline, the newest
		saveSales(t, j, s)
	}
	s := &Searcher{Journal: j, ConsoleID: "till-1", StripeListCap: 5, Now: func() time.Time { return at(15, 0) }, Location: time.UTC}
	for _, tt := range []struct {
		status     Status
		limit      int
		first, min string // ids of the page's newest and oldest rows
	}{{StatusDeclined, 15, "S19", "S05"}, {StatusCanceled, 8, "S29", "S22"}} {
		res, err := s.Search(context.Background(), Query{Status: tt.status, Limit: tt.limit})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Rows) != tt.limit || !res.Truncated || res.Rows[0].SaleID != tt.first || res.Rows[tt.limit-1].SaleID != tt.min {
			t.Fatalf("%s: %d rows %v (truncated %v), want %d from %s to %s", tt.status, len(res.Rows), views(res.Rows), res.Truncated, tt.limit, tt.first, tt.min)
		}
		for _, r := range res.Rows {
			if r.Status != tt.status {
				t.Errorf("%s: row %s is %s", tt.status, r.SaleID, r.Status)
			}
		}
	}
}
