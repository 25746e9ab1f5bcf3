package journal

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"kasse/pos"
)

func saleIDs(rows []SaleRow) string {
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	return strings.Join(ids, ",")
}

func collect(t *testing.T, j *Journal, f SaleRowFilter) []SaleRow {
	t.Helper()
	var out []SaleRow
	if err := j.EachSaleRow(context.Background(), f, func(r SaleRow) error { out = append(out, r); return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestEachSaleRowFilters(t *testing.T) {
	ctx := context.Background()
	j, _ := openTemp(t)
	j.SetOrigin("till-1", "ana")
	s1 := approve(testSale(t, "s1", "acct_a", t0), t0.Add(time.Minute)) // 12.50, tip 1.00
	s2 := testSale(t, "s2", "acct_b", t0.Add(time.Hour))                // creating
	s3 := approve(testSale(t, "s3", "acct_a", t0.Add(2*time.Hour)), t0)
	s3.Card.Last4 = "0005"
	draft, _ := pos.NewSale(pos.SaleConfig{ID: "d1", Seller: "acct_a", Currency: "usd"}, t0.Add(3*time.Hour))
	for _, s := range []pos.Sale{s1, s2, s3, draft} {
		if err := j.SaveSale(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	j.SetOrigin("till-2", "bo")
	if err := j.SaveSale(ctx, approve(testSale(t, "x1", "acct_a", t0.Add(90*time.Minute)), t0)); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		f    SaleRowFilter
		want string
	}{
		{"all, newest first", SaleRowFilter{}, "d1,s3,x1,s2,s1"},
		{"console", SaleRowFilter{ConsoleID: "till-1"}, "d1,s3,s2,s1"},
		{"range", SaleRowFilter{From: t0.Add(time.Hour), To: t0.Add(2 * time.Hour)}, "x1,s2"},
		{"seller", SaleRowFilter{Seller: "acct_b"}, "s2"},
		{"states", SaleRowFilter{States: []pos.SaleState{pos.SaleApproved}, ConsoleID: "till-1"}, "s3,s1"},
		{"exclude drafts", SaleRowFilter{ExcludeStates: []pos.SaleState{pos.SaleDraft}, ConsoleID: "till-1"}, "s3,s2,s1"},
		{"last4", SaleRowFilter{Last4: "0005"}, "s3"},
		{"amount", SaleRowFilter{MinAmount: 1, MaxAmount: 1250}, "s3,x1,s2,s1"},
		{"amount none", SaleRowFilter{MinAmount: 1251}, ""},
		{"limit", SaleRowFilter{Limit: 2}, "d1,s3"},
	}
	for _, tt := range tests {
		if got := saleIDs(collect(t, j, tt.f)); got != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, got, tt.want)
		}
	}

	rows := collect(t, j, SaleRowFilter{Last4: "0005"})
	r := rows[0]
	want := SaleRow{ID: "s3", ConsoleID: "till-1", Operator: "ana", Seller: "acct_a", Currency: "usd", Amount: 1250,
		Tip: r.Tip, State: pos.SaleApproved, IntentID: "pi_s3", ChargeID: "ch_s3", Charge: pos.ChargeDirect, Card: pos.Card{Brand: "visa", Last4: "0005"},
		CreatedAt: t0.Add(2 * time.Hour), UpdatedAt: t0}
	if r.Tip == nil || *r.Tip != 100 || !reflect.DeepEqual(r, want) {
		t.Errorf("row = %+v\nwant %+v", r, want)
	}

	stop := fmt.Errorf("stop")
	n := 0
	err := j.EachSaleRow(ctx, SaleRowFilter{}, func(SaleRow) error { n++; return stop })
	if err != stop || n != 1 {
		t.Errorf("fn error: %v after %d rows", err, n)
	}
}

func TestSaleRowsRefundedAndByIntent(t *testing.T) {
	ctx := context.Background()
	j, _ := openTemp(t)
	j.SetOrigin("till-1", "ana")
	var sales []pos.Sale
	for i := range 1200 { // more ids than one IN (…) chunk
		s := approve(testSale(t, fmt.Sprintf("s%04d", i), "acct_a", t0.Add(time.Duration(i)*time.Second)), t0)
		sales = append(sales, s)
	}
	if err := j.InsertSalesBulk(ctx, sales); err != nil {
		t.Fatal(err)
	}
	for i, st := range []pos.RefundState{pos.RefundSucceeded, pos.RefundPending, pos.RefundFailed, pos.RefundSent} {
		r := testRefund(t, fmt.Sprintf("r%d", i), "s0007", t0)
		r.IntentID, r.State, r.Amount = "pi_s0007", st, int64(100*(i+1))
		if err := j.SaveRefund(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	rows := collect(t, j, SaleRowFilter{WithRefunded: true, Last4: "4242", From: t0.Add(7 * time.Second), To: t0.Add(9 * time.Second)})
	if saleIDs(rows) != "s0008,s0007" || rows[1].Refunded != 300 || rows[0].Refunded != 0 {
		t.Errorf("rows %+v: want s0007 refunded 3.00 (succeeded + pending only)", rows)
	}
	var ids []string
	for i := 0; i < 1200; i += 2 {
		ids = append(ids, fmt.Sprintf("pi_s%04d", i))
	}
	ids = append(ids, "pi_unknown")
	got, err := j.SaleRowsByIntent(ctx, "till-1", ids)
	if err != nil || len(got) != 600 {
		t.Fatalf("SaleRowsByIntent: %d rows, %v", len(got), err)
	}
	if got, _ := j.SaleRowsByIntent(ctx, "till-9", ids); len(got) != 0 {
		t.Errorf("another console's lookup found %d rows", len(got))
	}
	for _, r := range got {
		if r.ID == "s0000" && r.Refunded != 0 || r.ID == "s0007" {
			t.Errorf("unexpected row %+v", r)
		}
	}
}

func TestInsertSalesBulkMatchesSaveSale(t *testing.T) {
	ctx := context.Background()
	j, _ := openTemp(t)
	j.SetOrigin("till-1", "ana")
	a := approve(testSale(t, "a", "acct_a", t0), t0.Add(time.Minute))
	b := a
	b.ID = "b"
	if err := j.SaveSale(ctx, a); err != nil {
		t.Fatal(err)
	}
	if err := j.InsertSalesBulk(ctx, []pos.Sale{b}); err != nil {
		t.Fatal(err)
	}
	ra, _ := j.Record(ctx, "a")
	rb, err := j.Record(ctx, "b")
	if err != nil {
		t.Fatal(err)
	}
	ra.Sale.ID = "b"
	if !reflect.DeepEqual(ra, rb) {
		t.Errorf("bulk record differs:\n%+v\n%+v", ra, rb)
	}
	var cols [2]string
	for i, id := range []string{"a", "b"} {
		j.db.QueryRow(`SELECT console_id||operator||seller||currency||amount||tip||items||state||final||intent_id||charge_id||
			card_brand||card_last4||created_at||updated_at FROM sales WHERE id = ?`, id).Scan(&cols[i])
	}
	if cols[0] != cols[1] || cols[0] == "" {
		t.Errorf("columns differ:\n%s\n%s", cols[0], cols[1])
	}
	// A duplicate fails the whole batch.
	c := a
	c.ID = "c"
	if err := j.InsertSalesBulk(ctx, []pos.Sale{c, a}); err == nil {
		t.Fatal("duplicate id accepted")
	}
	if _, err := j.Record(ctx, "c"); err == nil {
		t.Error("a failed batch left rows behind")
	}
}

func TestEachRefundRow(t *testing.T) {
	ctx := context.Background()
	j, _ := openTemp(t)
	j.SetOrigin("till-1", "sup")
	r1 := testRefund(t, "r1", "s1", t0)
	r1.IntentID, r1.State, r1.RefundID = "pi_s1", pos.RefundSucceeded, "re_1"
	r2 := testRefund(t, "r2", "s2", t0.Add(time.Hour))
	r2.IntentID, r2.Seller = "pi_s2", "acct_b"
	for _, r := range []pos.RefundFlow{r1, r2} {
		if err := j.SaveRefund(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	var got []RefundRow
	each := func(f RefundRowFilter) string {
		got = nil
		if err := j.EachRefundRow(ctx, f, func(r RefundRow) error { got = append(got, r); return nil }); err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, r := range got {
			ids = append(ids, r.ID)
		}
		return strings.Join(ids, ",")
	}
	for _, tt := range []struct {
		f    RefundRowFilter
		want string
	}{
		{RefundRowFilter{}, "r2,r1"}, {RefundRowFilter{Seller: "acct_b"}, "r2"}, {RefundRowFilter{IntentID: "pi_s1"}, "r1"},
		{RefundRowFilter{From: t0, To: t0.Add(time.Minute)}, "r1"}, {RefundRowFilter{ConsoleID: "till-2"}, ""},
	} {
		if g := each(tt.f); g != tt.want {
			t.Errorf("%+v: %s, want %s", tt.f, g, tt.want)
		}
	}
	each(RefundRowFilter{IntentID: "pi_s1"})
	if r := got[0]; r.RefundID != "re_1" || r.State != pos.RefundSucceeded || r.Amount != 500 || r.Currency != "usd" ||
		r.ConsoleID != "till-1" || r.Operator != "sup" || r.SaleID != "s1" || !r.CreatedAt.Equal(t0) {
		t.Errorf("row = %+v", r)
	}
}

// A sale canceled after a decline is a decline: CanceledDeclined tells
// the two kinds of canceled sales apart.
func TestEachSaleRowCanceledDeclined(t *testing.T) {
	ctx := context.Background()
	j, _ := openTemp(t)
	j.SetOrigin("till-1", "ana")
	declined := testSale(t, "declined", "acct_a", t0)
	declined.State, declined.Decline = pos.SaleDeclined, &pos.PaymentError{Type: "card_error", Code: "card_declined"}
	gaveUp := testSale(t, "gave-up", "acct_a", t0.Add(time.Minute))
	gaveUp.State, gaveUp.Decline = pos.SaleCanceled, declined.Decline
	canceled := testSale(t, "canceled", "acct_a", t0.Add(2*time.Minute))
	canceled.State = pos.SaleCanceled
	approved := approve(testSale(t, "approved", "acct_a", t0.Add(3*time.Minute)), t0)
	approved.Decline = declined.Decline // declined, then paid with another card
	for _, s := range []pos.Sale{declined, gaveUp, canceled, approved} {
		if err := j.SaveSale(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	yes, no := true, false
	for _, tt := range []struct {
		f    SaleRowFilter
		want string
	}{
		{SaleRowFilter{States: []pos.SaleState{pos.SaleDeclined, pos.SaleCanceled}, CanceledDeclined: &yes}, "gave-up,declined"},
		{SaleRowFilter{States: []pos.SaleState{pos.SaleCanceled}, CanceledDeclined: &no}, "canceled"},
		{SaleRowFilter{CanceledDeclined: &no}, "approved,canceled,declined"},
		{SaleRowFilter{States: []pos.SaleState{pos.SaleCanceled}}, "canceled,gave-up"},
	} {
		if got := saleIDs(collect(t, j, tt.f)); got != tt.want {
			t.Errorf("%+v: %s, want %s", tt.f, got, tt.want)
		}
	}
}

// queryPlan is SQLite's plan of q, one step a line.
func queryPlan(t *testing.T, j *Journal, q string, args ...any) string {
	t.Helper()
	rows, err := j.db.Query("EXPLAIN QUERY PLAN "+q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, notused int
		var detail string
		if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	return strings.Join(plan, "\n")
}

// saleRowsPlan is the plan of EachSaleRow(f) (through sales_amount when
// byAmount).
func saleRowsPlan(t *testing.T, j *Journal, f SaleRowFilter, byAmount bool) string {
	q, args := saleRowsQuery(f, byAmount)
	return queryPlan(t, j, q, args...)
}

func TestReportQueriesUseTheCoveringIndex(t *testing.T) {
	j, _ := openTemp(t)
	yes := true
	period := SaleRowFilter{From: t0, To: t0.Add(50 * 24 * time.Hour), ConsoleID: "till-1", WithRefunded: true, ReachedStripe: true}
	for _, tt := range []struct {
		name, index string
		f           SaleRowFilter
		byAmount    bool
	}{
		{"period", "COVERING INDEX sales_report (", period, false},
		// A status is read newest first from the period's sales, never all
		// time's sales of that status through sales_state, then sorted.
		{"status", "COVERING INDEX sales_report (",
			SaleRowFilter{From: period.From, To: period.To, ConsoleID: "till-1", ReachedStripe: true,
				States: []pos.SaleState{pos.SaleDeclined, pos.SaleCanceled}, CanceledDeclined: &yes}, false},
		{"many of amount", "COVERING INDEX sales_report (", SaleRowFilter{From: period.From, To: period.To, MinAmount: 500,
			MaxAmount: 510, ExcludeStates: []pos.SaleState{pos.SaleDraft}}, false},
		// A card number is one seek.
		{"last4", "INDEX sales_last4 (card_last4=? AND created_at>? AND created_at<?)",
			SaleRowFilter{From: period.From, To: period.To, ConsoleID: "till-1", Last4: "4242", ExcludeStates: []pos.SaleState{pos.SaleDraft}}, false},
		// So is a narrow amount range (sorted: a few sales).
		{"few of amount", "INDEX sales_amount (amount>? AND amount<?)", SaleRowFilter{From: period.From, To: period.To,
			MinAmount: 500, MaxAmount: 510, ExcludeStates: []pos.SaleState{pos.SaleDraft}}, true},
	} {
		p := saleRowsPlan(t, j, tt.f, tt.byAmount)
		if !strings.Contains(p, "SEARCH sales USING "+tt.index) || strings.Contains(p, "TEMP B-TREE") != tt.byAmount {
			t.Errorf("%s: plan\n%s", tt.name, p)
		}
	}
}

// A journal of version 3 (no declined column) is upgraded in place: a
// sale declined and then canceled is read as declined from its snapshot.
func TestDeclinedMigrationReadsOldSnapshots(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v3.db")
	db, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		t.Fatal(err)
	}
	stmts := []string{createMigrations, migrations[0], migrations[1], migrations[2],
		"INSERT INTO schema_migrations (version, applied_at) VALUES (1, 0), (2, 0), (3, 0)"}
	for _, q := range stmts {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range []struct {
		id, snap string
	}{
		{"declined", `{"ID":"declined","State":"canceled","Decline":{"Type":"card_error","Code":"card_declined"}}`},
		{"canceled", `{"ID":"canceled","State":"canceled","Decline":null}`},
	} {
		if _, err := db.Exec(`INSERT INTO sales (id, seller, currency, amount, state, intent_id, snapshot, created_at, updated_at)
			VALUES (?, 'acct_1', 'usd', 100, 'canceled', ?, ?, 1, 1)`, s.id, "pi_"+s.id, s.snap); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	j, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	got := map[string]bool{}
	if err := j.EachSaleRow(ctx, SaleRowFilter{}, func(r SaleRow) error { got[r.ID] = r.Declined; return nil }); err != nil {
		t.Fatal(err)
	}
	if !got["declined"] || got["canceled"] || len(got) != 2 {
		t.Fatalf("declined after the migration = %v", got)
	}
}

// An amount range is read by amount when it holds few sales of any date,
// by date otherwise; either way EachSaleRow returns the same rows.
func TestEachSaleRowAmountRange(t *testing.T) {
	ctx := context.Background()
	j, _ := openTemp(t)
	randomSales(t, j, 17, 600) // amounts 1–100,000
	j.SetOrigin("till-1", "ana")
	var many []pos.Sale
	for i := range amountSeekMax {
		s := approve(testSale(t, fmt.Sprintf("m%04d", i), "acct_a", t0.Add(time.Duration(i)*time.Minute)), t0)
		s.Amount = 777_777
		many = append(many, s)
	}
	if err := j.InsertSalesBulk(ctx, many); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		min, max int64
		few      bool
	}{{1000, 2000, true}, {1, 100_000, true}, {777_777, 777_777, false}, {0, 1_000_000, false}} {
		few, err := j.fewOfAmount(ctx, tt.min, tt.max)
		if err != nil || few != tt.few {
			t.Errorf("fewOfAmount(%d, %d) = %v, %v; want %v", tt.min, tt.max, few, err, tt.few)
		}
		for _, f := range []SaleRowFilter{
			{MinAmount: tt.min, MaxAmount: tt.max},
			{MinAmount: tt.min, MaxAmount: tt.max, From: t0.Add(20 * time.Hour), To: t0.Add(50 * time.Hour), ConsoleID: "till-1",
				ExcludeStates: []pos.SaleState{pos.SaleDraft}, ReachedStripe: true, WithRefunded: true, Limit: 40},
		} {
			got := saleIDs(collect(t, j, f))
			for _, byAmount := range []bool{false, true} {
				q, args := saleRowsQuery(f, byAmount)
				var rows []SaleRow
				if err := j.eachSaleRow(ctx, q, args, f.WithRefunded, func(r SaleRow) error { rows = append(rows, r); return nil }); err != nil {
					t.Fatal(err)
				}
				if saleIDs(rows) != got {
					t.Errorf("%+v by amount %v: %s, EachSaleRow %s", f, byAmount, saleIDs(rows), got)
				}
			}
			if got == "" && tt.max >= 100_000 {
				t.Errorf("%+v: nothing found", f)
			}
		}
	}
}
