package journal

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"kasse/pos"
)

var totalsStates = []pos.SaleState{pos.SaleDraft, pos.SaleCreating, pos.SaleProcessing, pos.SaleWaitingForCard,
	pos.SaleRequiresCapture, pos.SaleCapturing, pos.SaleApproved, pos.SaleDeclined, pos.SaleCustomerCanceled,
	pos.SaleReaderBusy, pos.SaleReaderOffline, pos.SaleInterrupted, pos.SaleUnknown, pos.SaleCanceling,
	pos.SaleCanceled, pos.SaleFailed}

// randomSales are n sales of console till-1 or till-2 (SetOrigin per
// batch) over 3 days from t0, of every state, with or without intent,
// charge, card brand, tip and decline.
func randomSales(t *testing.T, j *Journal, seed uint64, n int) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 1))
	pick := func(xs ...string) string { return xs[rng.IntN(len(xs))] }
	byConsole := map[string][]pos.Sale{}
	for i := range n {
		s := pos.Sale{ID: fmt.Sprintf("s%04d", i), Seller: pos.Account(pick("acct_a", "acct_b", "acct_c")),
			Currency: pick("usd", "usd", "eur", "USD"), Amount: int64(1 + rng.IntN(100000)),
			State:     totalsStates[rng.IntN(len(totalsStates))],
			CreatedAt: t0.Add(time.Duration(rng.Int64N(int64(72 * time.Hour)))).Truncate(time.Millisecond)}
		s.UpdatedAt = s.CreatedAt
		if rng.IntN(4) > 0 {
			s.IntentID = "pi_" + s.ID
			if rng.IntN(2) == 0 {
				s.ChargeID = "ch_" + s.ID
			}
		}
		if rng.IntN(3) > 0 {
			s.Card = pos.Card{Brand: pick("visa", "mastercard", "amex", ""), Last4: "4242"}
		}
		if rng.IntN(2) == 0 {
			tip := int64(rng.IntN(500))
			s.Tip = &tip
		}
		if rng.IntN(3) == 0 {
			s.Decline = &pos.PaymentError{Type: "card_error", Code: "card_declined"}
		}
		c := pick("till-1", "till-1", "till-2")
		byConsole[c] = append(byConsole[c], s)
	}
	for c, sales := range byConsole {
		j.SetOrigin(c, "ana")
		if err := j.InsertSalesBulk(context.Background(), sales); err != nil {
			t.Fatal(err)
		}
	}
}

// sumRows groups rows as SaleTotals does, in Go.
func sumRows(rows []SaleRow) []SaleTotal {
	idx := map[string]int{}
	var out []SaleTotal
	for _, r := range rows {
		k := fmt.Sprint(r.Seller, r.Currency, r.State, r.Declined, r.Card.Brand)
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, SaleTotal{Seller: r.Seller, Currency: r.Currency, State: r.State, Declined: r.Declined, Brand: r.Card.Brand})
		}
		out[i].Count++
		out[i].Amount += r.Amount
		if r.Tip != nil {
			out[i].Tips += *r.Tip
		}
	}
	return sortTotals(out)
}

func sortTotals(ts []SaleTotal) []SaleTotal {
	sort.Slice(ts, func(a, b int) bool {
		return fmt.Sprint(ts[a].Seller, ts[a].Currency, ts[a].State, ts[a].Declined, ts[a].Brand) <
			fmt.Sprint(ts[b].Seller, ts[b].Currency, ts[b].State, ts[b].Declined, ts[b].Brand)
	})
	return ts
}

// diffTotals lists the groups that differ.
func diffTotals(got, want []SaleTotal) string {
	g, w := map[totalKey]SaleTotal{}, map[totalKey]SaleTotal{}
	for _, t := range got {
		g[t.key()] = t
	}
	for _, t := range want {
		w[t.key()] = t
	}
	var out []string
	for k, t := range w {
		if g[k] != t {
			out = append(out, fmt.Sprintf("got %+v, want %+v", g[k], t))
		}
	}
	for k, t := range g {
		if _, ok := w[k]; !ok {
			out = append(out, fmt.Sprintf("got %+v, want none", t))
		}
	}
	if len(got) != len(want) {
		out = append(out, fmt.Sprintf("%d groups, want %d", len(got), len(want)))
	}
	return strings.Join(out, "\n")
}

// SaleTotals sums exactly the sales EachSaleRow returns for the same
// selection, whatever the period, console and seller.
func TestSaleTotalsSumTheSalesTheRowsHold(t *testing.T) {
	ctx := context.Background()
	j, _ := openTemp(t)
	randomSales(t, j, 7, 600)
	filters := []SaleTotalsFilter{
		{},
		{ConsoleID: "till-1"},
		{From: t0.Add(24 * time.Hour), To: t0.Add(48 * time.Hour), ConsoleID: "till-1"},
		{From: t0.Add(30 * time.Hour), To: t0.Add(31 * time.Hour), ConsoleID: "till-2", Seller: "acct_b"},
		{From: t0.Add(10 * time.Hour)},
		{To: t0.Add(10 * time.Hour), Seller: "acct_c"},
		{From: t0.Add(100 * time.Hour), ConsoleID: "till-1"}, // nothing
	}
	for _, f := range filters {
		got, apart, err := j.SaleTotals(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		want := sumRows(collect(t, j, f.rows()))
		if len(apart) != 0 || !reflect.DeepEqual(sortTotals(got), want) {
			t.Errorf("%+v: %s (%d apart)", f, diffTotals(got, want), len(apart))
		}
	}
	// What a report counts: no draft, nothing that never reached Stripe.
	got, _, err := j.SaleTotals(ctx, SaleTotalsFilter{})
	if err != nil {
		t.Fatal(err)
	}
	all := collect(t, j, SaleRowFilter{})
	n, drafts, never := 0, 0, 0
	for _, r := range all {
		switch {
		case r.State == pos.SaleDraft:
			drafts++
		case r.IntentID == "" && (r.State == pos.SaleCanceled || r.State == pos.SaleFailed):
			never++
		}
	}
	for _, tt := range got {
		n += tt.Count
		if tt.State == pos.SaleDraft {
			t.Errorf("drafts summed: %+v", tt)
		}
	}
	if drafts == 0 || never == 0 || n != len(all)-drafts-never {
		t.Errorf("summed %d of %d sales (%d drafts, %d never reached Stripe)", n, len(all), drafts, never)
	}
}

// The sales set apart are returned as rows, newest first, and left out of
// the totals: totals and rows together are the whole selection.
func TestSaleTotalsSetApart(t *testing.T) {
	ctx := context.Background()
	j, _ := openTemp(t)
	randomSales(t, j, 11, 400)
	base := SaleTotalsFilter{From: t0.Add(12 * time.Hour), To: t0.Add(60 * time.Hour), ConsoleID: "till-1"}
	all := collect(t, j, SaleRowFilter{})
	var ids []string
	for i, r := range all {
		if r.IntentID != "" && i%3 == 0 { // in and out of the period, of both consoles
			ids = append(ids, r.IntentID)
		}
	}
	ids = append(ids, "pi_unknown")
	for _, tt := range []struct {
		name     string
		intents  []string
		uncarded bool
	}{{"intents", ids, false}, {"uncarded", nil, true}, {"both", ids, true}} {
		f := base
		f.ApartIntents, f.ApartUncarded = tt.intents, tt.uncarded
		got, apart, err := j.SaleTotals(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		wantIDs := map[string]bool{}
		var rest []SaleRow
		for _, r := range collect(t, j, base.rows()) {
			uncarded := r.State == pos.SaleApproved && r.IntentID != "" && r.ChargeID != "" && r.Card.Brand == ""
			if slices.Contains(tt.intents, r.IntentID) || tt.uncarded && uncarded {
				wantIDs[r.ID] = true
			} else {
				rest = append(rest, r)
			}
		}
		var gotIDs []string
		for i, r := range apart {
			gotIDs = append(gotIDs, r.ID)
			if !wantIDs[r.ID] || i > 0 && r.CreatedAt.After(apart[i-1].CreatedAt) {
				t.Errorf("%s: row %s set apart (or out of order)", tt.name, r.ID)
			}
		}
		if len(apart) != len(wantIDs) || len(apart) == 0 {
			t.Errorf("%s: %d rows apart (%s), want %d", tt.name, len(apart), strings.Join(gotIDs, ","), len(wantIDs))
		}
		if want := sumRows(rest); !reflect.DeepEqual(sortTotals(got), want) {
			t.Errorf("%s: %s", tt.name, diffTotals(got, want))
		}
	}
}

// The totals never sort or read the sales table: every read of sales is a
// seek in sales_report_totals.
func TestSaleTotalsUseTheirIndex(t *testing.T) {
	j, _ := openTemp(t)
	q, args := saleTotalsQuery(SaleTotalsFilter{From: t0, To: t0.Add(time.Hour), ConsoleID: "till-1", Seller: "acct_a"})
	plan := strings.Split(queryPlan(t, j, q, args...), "\n")
	searches := 0
	for _, p := range plan {
		if strings.Contains(p, "TEMP B-TREE") || strings.HasPrefix(p, "SCAN sales") {
			t.Errorf("plan step %q", p)
		}
		if strings.HasPrefix(p, "SEARCH sales") {
			searches++
			if !strings.Contains(p, "INDEX sales_report_totals (") {
				t.Errorf("plan step %q", p)
			}
		}
	}
	if searches != 2*len(totalsGroup)+1 {
		t.Errorf("%d searches of sales, want %d:\n%s", searches, 2*len(totalsGroup)+1, strings.Join(plan, "\n"))
	}
}

// RefundTotals sums exactly the refunds EachRefundRow returns for the same
// selection.
func TestRefundTotalsSumTheRefundsTheRowsHold(t *testing.T) {
	ctx := context.Background()
	j, _ := openTemp(t)
	rng := rand.New(rand.NewPCG(13, 1))
	states := []pos.RefundState{pos.RefundDraft, pos.RefundRecorded, pos.RefundSent, pos.RefundPending,
		pos.RefundSucceeded, pos.RefundFailed, pos.RefundUnknown}
	for i := range 150 {
		j.SetOrigin([]string{"till-1", "till-1", "till-2"}[rng.IntN(3)], "sup")
		rf := pos.RefundFlow{ID: fmt.Sprintf("r%03d", i), Seller: pos.Account([]string{"acct_a", "acct_b"}[rng.IntN(2)]),
			IntentID: fmt.Sprintf("pi_%d", rng.IntN(50)), Currency: []string{"usd", "eur", "USD"}[rng.IntN(3)],
			Amount: int64(1 + rng.IntN(5000)), State: states[rng.IntN(len(states))],
			CreatedAt: t0.Add(time.Duration(rng.Int64N(int64(72 * time.Hour)))).Truncate(time.Millisecond)}
		if err := j.SaveRefund(ctx, rf); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []RefundTotalsFilter{
		{},
		{ConsoleID: "till-1"},
		{From: t0.Add(24 * time.Hour), To: t0.Add(48 * time.Hour), ConsoleID: "till-1"},
		{From: t0.Add(30 * time.Hour), To: t0.Add(40 * time.Hour), Seller: "acct_b"},
		{From: t0.Add(100 * time.Hour)},
	} {
		got, err := j.RefundTotals(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		want := map[RefundTotal]RefundTotal{}
		err = j.EachRefundRow(ctx, RefundRowFilter{From: f.From, To: f.To, ConsoleID: f.ConsoleID, Seller: f.Seller}, func(r RefundRow) error {
			k := RefundTotal{Seller: r.Seller, Currency: r.Currency, State: r.State}
			w := want[k]
			w.Seller, w.Currency, w.State = r.Seller, r.Currency, r.State
			w.Count++
			w.Amount += r.Amount
			want[k] = w
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		gotMap := map[RefundTotal]RefundTotal{}
		for _, g := range got {
			gotMap[RefundTotal{Seller: g.Seller, Currency: g.Currency, State: g.State}] = g
		}
		if len(got) != len(gotMap) || !reflect.DeepEqual(gotMap, want) {
			t.Errorf("%+v:\n got %+v\nwant %+v", f, got, want)
		}
	}
	q, args := refundTotalsQuery(RefundTotalsFilter{From: t0, To: t0.Add(time.Hour), ConsoleID: "till-1", Seller: "acct_a"})
	searches := 0
	for _, p := range strings.Split(queryPlan(t, j, q, args...), "\n") {
		if strings.HasPrefix(p, "SEARCH refunds USING COVERING INDEX refunds_report_totals (") {
			searches++
		} else if strings.Contains(p, "TEMP B-TREE") || strings.Contains(p, " refunds") {
			t.Errorf("plan step %q", p)
		}
	}
	if searches != 2*len(refundsGroup)+1 {
		t.Errorf("%d searches of refunds_report_totals, want %d", searches, 2*len(refundsGroup)+1)
	}
}
