package journal

import (
	"context"
	"database/sql"
	"encoding/json"
	"path/filepath"
	"reflect"
	"sort"
	"testing"

	"kasse/pos"
)

// unfinishedIDs are the ids UnfinishedSales returns, sorted.
func unfinishedIDs(t *testing.T, j *Journal) []string {
	t.Helper()
	got, err := j.UnfinishedSales(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{}
	for _, s := range got {
		ids = append(ids, s.ID)
	}
	sort.Strings(ids)
	return ids
}

// failedSale is a sale that failed with its intent (if any) in status.
func failedSale(t *testing.T, id, intent, status string) pos.Sale {
	s := testSale(t, id, "acct_a", t0)
	s.State, s.Pending, s.DoneAt = pos.SaleFailed, pos.Pending{}, t0
	s.IntentID, s.IntentStatus = intent, status
	s.LastError = &pos.Error{Kind: pos.KindAuth, Message: "refused"}
	return s
}

// A failed sale whose PaymentIntent may still be open stays among the
// unfinished sales until it is settled (issue 12, point 1).
func TestFailedSaleWithAnOpenIntentIsUnfinished(t *testing.T) {
	ctx := context.Background()
	j, _ := openTemp(t)
	open := failedSale(t, "open", "pi_open", pos.IntentRequiresPaymentMethod)
	for _, s := range []pos.Sale{open,
		failedSale(t, "nointent", "", ""),
		failedSale(t, "gone", "pi_gone", pos.IntentCanceled),
		approve(testSale(t, "paid", "acct_a", t0), t0),
		testSale(t, "creating", "acct_a", t0),
	} {
		if err := j.SaveSale(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := unfinishedIDs(t, j), []string{"creating", "open"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("unfinished = %v, want %v", got, want)
	}
	open.State, open.IntentStatus = pos.SaleCanceled, pos.IntentCanceled
	if err := j.SaveSale(ctx, open); err != nil {
		t.Fatal(err)
	}
	if got, want := unfinishedIDs(t, j), []string{"creating"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("after settling: unfinished = %v, want %v", got, want)
	}
}

// A journal of version 5 kept every failed sale as finished: the upgrade
// reopens those whose intent may be open, from their snapshots.
func TestFailedOpenMigration(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v5.db")
	db, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		t.Fatal(err)
	}
	stmts := []string{createMigrations}
	for v := 0; v < 5; v++ {
		stmts = append(stmts, migrations[v])
	}
	stmts = append(stmts, "INSERT INTO schema_migrations (version, applied_at) VALUES (1, 0), (2, 0), (3, 0), (4, 0), (5, 0)")
	for _, q := range stmts {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range []pos.Sale{
		failedSale(t, "open", "pi_open", pos.IntentRequiresPaymentMethod),
		failedSale(t, "unknown", "pi_unknown", ""),
		failedSale(t, "nointent", "", ""),
		failedSale(t, "gone", "pi_gone", pos.IntentCanceled),
		approve(testSale(t, "paid", "acct_a", t0), t0),
	} {
		snap, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(`INSERT INTO sales (id, seller, currency, amount, state, final, intent_id, snapshot, created_at, updated_at)
			VALUES (?, 'acct_a', 'usd', 100, ?, 1, ?, ?, 1, 1)`, s.ID, string(s.State), s.IntentID, string(snap)); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	j, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	if got, want := unfinishedIDs(t, j), []string{"open", "unknown"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("unfinished after the migration = %v, want %v", got, want)
	}
}
