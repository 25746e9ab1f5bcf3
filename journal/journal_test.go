package journal

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"kasse/pos"
)

var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

func openTemp(t *testing.T) (*Journal, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "kasse journal?#.db") // odd characters on purpose
	j, err := Open(path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { j.Close() })
	return j, path
}

// testSale builds a charged sale with two lines.
func testSale(t *testing.T, id string, seller pos.Account, at time.Time) pos.Sale {
	t.Helper()
	s, err := pos.NewSale(pos.SaleConfig{ID: id, Seller: seller, ReaderID: "tmr_1", LocationID: "tml_1",
		Currency: "usd", IdleTimeout: time.Minute}, at)
	if err != nil {
		t.Fatal(err)
	}
	c := s.Cart
	for _, l := range []pos.Line{{Description: "Flat white", Quantity: 2, UnitPrice: 450}, {Description: "Croissant", Quantity: 1, UnitPrice: 350}} {
		if c, err = c.Add(l); err != nil {
			t.Fatal(err)
		}
	}
	s.Cart = c
	s.Amount = c.Total()
	s.State = pos.SaleCreating
	s.Seq = 1
	s.Pending = pos.Pending{Seq: 1, Op: pos.OpCreateIntent, Key: s.CreateKey(), Since: at}
	s.Request = pos.CreateIntentRequest{Amount: s.Amount, Currency: "usd", CaptureMethod: "automatic",
		Metadata: map[string]string{"kasse_sale_id": id}}
	return s
}

func approve(s pos.Sale, at time.Time) pos.Sale {
	s.State, s.Pending, s.DoneAt, s.UpdatedAt = pos.SaleApproved, pos.Pending{}, at, at
	s.IntentID, s.IntentStatus, s.ChargeID = "pi_"+s.ID, pos.IntentSucceeded, "ch_"+s.ID
	s.Card = pos.Card{Brand: "visa", Last4: "4242"}
	tip := int64(100)
	s.Tip = &tip
	return s
}

func TestOpenMigratesAndReopenIsIdempotent(t *testing.T) {
	ctx := context.Background()
	j, path := openTemp(t)
	v, err := j.SchemaVersion(ctx)
	if err != nil || v != Version() || v < 1 {
		t.Fatalf("version = %d, %v; want %d", v, err, Version())
	}
	if err := j.SaveSale(ctx, testSale(t, "s1", "acct_a", t0)); err != nil {
		t.Fatal(err)
	}
	j.Close()
	for i := 0; i < 3; i++ {
		j2, err := Open(path)
		if err != nil {
			t.Fatalf("reopen %d: %v", i, err)
		}
		var rows int
		if err := j2.db.QueryRow("SELECT COUNT(*) FROM schema_migrations").Scan(&rows); err != nil || rows != Version() {
			t.Fatalf("schema_migrations rows = %d, %v; want %d", rows, err, Version())
		}
		if _, err := j2.Sale(ctx, "s1"); err != nil {
			t.Fatalf("sale lost on reopen: %v", err)
		}
		var mode string
		j2.db.QueryRow("PRAGMA journal_mode").Scan(&mode)
		if mode != "wal" {
			t.Fatalf("journal_mode = %q", mode)
		}
		j2.Close()
	}
}

func TestNewerSchemaIsRefused(t *testing.T) {
	j, path := openTemp(t)
	if _, err := j.db.Exec("INSERT INTO schema_migrations (version, applied_at) VALUES (?, 0)", Version()+1); err != nil {
		t.Fatal(err)
	}
	j.Close()
	if _, err := Open(path); err == nil || !strings.Contains(err.Error(), "newer") {
		t.Fatalf("Open of a newer schema: err = %v", err)
	}
}

func TestSaveSaleRoundTripAndUpsert(t *testing.T) {
	ctx := context.Background()
	j, _ := openTemp(t)
	j.SetOrigin("till-1", "ana")
	s := testSale(t, "s1", "acct_a", t0)
	if err := j.SaveSale(ctx, s); err != nil {
		t.Fatal(err)
	}
	got, err := j.Sale(ctx, "s1")
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != s.ID || got.State != pos.SaleCreating || got.Amount != 1250 || len(got.Cart.Lines) != 2 ||
		got.Request.Metadata["kasse_sale_id"] != "s1" || got.Pending != s.Pending || got.IdleTimeout != time.Minute ||
		!got.CreatedAt.Equal(t0) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", got, s)
	}

	// Upsert: the process step, then the approval, under another operator.
	j.SetOrigin("till-2", "ben")
	s.State, s.IntentID = pos.SaleProcessing, "pi_s1"
	s.Seq++
	s.Pending = pos.Pending{Seq: s.Seq, Op: pos.OpProcessIntent, Key: s.ProcessKey(1)}
	if err := j.SaveSale(ctx, s); err != nil {
		t.Fatal(err)
	}
	if err := j.SaveSale(ctx, approve(s, t0.Add(time.Minute)), s.DisplayKey(1)); err != nil {
		t.Fatal(err)
	}
	rec, err := j.Record(ctx, "s1")
	if err != nil {
		t.Fatal(err)
	}
	wantKeys := []string{"kasse-s1-create", "kasse-s1-process-1", "kasse-s1-display-1"}
	if strings.Join(rec.Keys, ",") != strings.Join(wantKeys, ",") {
		t.Fatalf("keys = %v, want %v", rec.Keys, wantKeys)
	}
	if rec.ConsoleID != "till-1" || rec.Operator != "ana" {
		t.Fatalf("origin = %s/%s, want the inserting console till-1/ana", rec.ConsoleID, rec.Operator)
	}
	if rec.Sale.State != pos.SaleApproved || *rec.Sale.Tip != 100 || rec.Sale.Card.Last4 != "4242" {
		t.Fatalf("after upsert: %+v", rec.Sale)
	}
	var n int
	var state, intent, last4, items string
	var tip sql.NullInt64
	j.db.QueryRow("SELECT COUNT(*), MAX(state), MAX(intent_id), MAX(card_last4), MAX(tip), MAX(items) FROM sales").
		Scan(&n, &state, &intent, &last4, &tip, &items)
	if n != 1 || state != "approved" || intent != "pi_s1" || last4 != "4242" || tip.Int64 != 100 ||
		!strings.Contains(items, `"description":"Flat white","quantity":2,"unit_price":450,"amount":900`) {
		t.Fatalf("columns: n=%d state=%s intent=%s last4=%s tip=%v items=%s", n, state, intent, last4, tip, items)
	}
	if _, err := j.Sale(ctx, "nope"); err == nil || !strings.Contains(err.Error(), "not found") {
		t.Fatalf("missing sale: %v", err)
	}
}

func TestUnfinishedSales(t *testing.T) {
	ctx := context.Background()
	j, _ := openTemp(t)
	states := map[string]pos.SaleState{
		"a": pos.SaleApproved, "b": pos.SaleWaitingForCard, "c": pos.SaleCanceled,
		"d": pos.SaleCreating, "e": pos.SaleFailed, "f": pos.SaleUnknown, "g": pos.SaleDeclined,
	}
	for i, id := range []string{"a", "b", "c", "d", "e", "f", "g"} {
		s := testSale(t, id, "acct_a", t0.Add(time.Duration(i)*time.Second))
		s.State = states[id]
		if err := j.SaveSale(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	got, err := j.UnfinishedSales(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, s := range got {
		ids = append(ids, s.ID)
	}
	if strings.Join(ids, "") != "bdfg" {
		t.Fatalf("unfinished = %v, want b d f g (oldest first)", ids)
	}
}

func TestListSalesFilters(t *testing.T) {
	ctx := context.Background()
	j, _ := openTemp(t)
	for i, id := range []string{"s0", "s1", "s2", "s3", "s4"} {
		seller := pos.Account("acct_a")
		if i%2 == 1 {
			seller = "acct_b"
		}
		s := testSale(t, id, seller, t0.Add(time.Duration(i)*time.Hour))
		if i >= 3 {
			s = approve(s, s.CreatedAt)
			s.Amount = 5000
		}
		if i == 4 {
			s.Card.Last4 = "0005"
		}
		if err := j.SaveSale(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		name string
		f    SaleFilter
		want string
	}{
		{"all newest first", SaleFilter{}, "s4 s3 s2 s1 s0"},
		{"seller", SaleFilter{Seller: "acct_b"}, "s3 s1"},
		{"time range", SaleFilter{From: t0.Add(time.Hour), To: t0.Add(3 * time.Hour)}, "s2 s1"},
		{"state", SaleFilter{States: []pos.SaleState{pos.SaleApproved}}, "s4 s3"},
		{"states", SaleFilter{States: []pos.SaleState{pos.SaleApproved, pos.SaleCreating}}, "s4 s3 s2 s1 s0"},
		{"amount", SaleFilter{MinAmount: 2000}, "s4 s3"},
		{"max amount", SaleFilter{MaxAmount: 2000}, "s2 s1 s0"},
		{"last4", SaleFilter{Last4: "4242"}, "s3"},
		{"intent", SaleFilter{IntentID: "pi_s4"}, "s4"},
		{"limit", SaleFilter{Limit: 2}, "s4 s3"},
		{"combined", SaleFilter{Seller: "acct_a", States: []pos.SaleState{pos.SaleCreating}}, "s2 s0"},
	}
	for _, c := range cases {
		recs, err := j.ListSales(ctx, c.f)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		var ids []string
		for _, r := range recs {
			ids = append(ids, r.Sale.ID)
		}
		if got := strings.Join(ids, " "); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}

func TestSecretsAreNotStored(t *testing.T) {
	ctx := context.Background()
	j, path := openTemp(t)
	s := testSale(t, "s1", "acct_a", t0)
	s.LastError = &pos.Error{Kind: pos.KindAuth, Message: "Invalid API Key provided: sk_test_51abcDEF123secret"}
	s.Notice = "card 4000 0000 0000 9995 declined; ref 1234567890123"
	if err := j.SaveSale(ctx, s); err != nil {
		t.Fatal(err)
	}
	if err := j.AppendAudit(ctx, AuditEntry{Action: "test", Detail: "key rk_live_XYZ789 card 4242424242424242"}); err != nil {
		t.Fatal(err)
	}
	j.Close()
	raw := readAll(t, path)
	for _, secret := range []string{"sk_test_51abcDEF123secret", "rk_live_XYZ789", "4242424242424242"} {
		if strings.Contains(raw, secret) {
			t.Errorf("journal files contain %q", secret)
		}
	}
	j2, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer j2.Close()
	es, _ := j2.ListAudit(ctx, AuditFilter{})
	if len(es) != 1 || es[0].Detail != "key rk_live_[redacted] card [card …4242]" {
		t.Fatalf("audit = %+v", es)
	}
	got, _ := j2.Sale(ctx, "s1")
	if !strings.Contains(got.LastError.Message, "sk_test_[redacted]") {
		t.Fatalf("last error = %q", got.LastError.Message)
	}
	if got.Notice != s.Notice { // not Luhn-valid or not free text: kept
		t.Fatalf("notice changed: %q", got.Notice)
	}
}

// readAll concatenates the database file and its WAL.
func readAll(t *testing.T, path string) string {
	t.Helper()
	var b strings.Builder
	for _, p := range []string{path, path + "-wal"} {
		data, err := os.ReadFile(p)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		b.Write(data)
	}
	return b.String()
}

func TestAuditIsAppendOnly(t *testing.T) {
	ctx := context.Background()
	j, _ := openTemp(t)
	j.SetOrigin("till-1", "ana")
	j.SetClock(func() time.Time { return t0 })
	for _, a := range []string{"refund.create", "sale.cancel"} {
		if err := j.AppendAudit(ctx, AuditEntry{Action: a, Subject: "s1", Reason: "customer asked"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := j.AppendAudit(ctx, AuditEntry{}); err == nil {
		t.Fatal("entry without action accepted")
	}
	es, err := j.ListAudit(ctx, AuditFilter{Subject: "s1"})
	if err != nil || len(es) != 2 || es[0].Action != "sale.cancel" || es[1].Who != "ana" ||
		es[1].Console != "till-1" || !es[1].At.Equal(t0) {
		t.Fatalf("audit = %+v, %v", es, err)
	}
	if es, err := j.ListAudit(ctx, AuditFilter{Action: "refund.create"}); err != nil || len(es) != 1 || es[0].Action != "refund.create" {
		t.Fatalf("audit by action = %+v, %v", es, err)
	}
	if _, err := j.db.Exec("UPDATE audit SET who = 'mallory'"); err == nil {
		t.Fatal("UPDATE on audit succeeded")
	}
	if _, err := j.db.Exec("DELETE FROM audit"); err == nil {
		t.Fatal("DELETE on audit succeeded")
	}
}
