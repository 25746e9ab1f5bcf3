package journal

import (
	"context"
	"database/sql"
	"encoding/json"
	"path/filepath"
	"testing"

	"kasse/pos"
)

// TestChargeTypeMigration: a journal written before charge types knew
// only direct charges; the upgrade takes each sale's type from its
// snapshot (empty for the older snapshots), and new saves write it.
func TestChargeTypeMigration(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v6.db")
	db, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		t.Fatal(err)
	}
	stmts := []string{createMigrations}
	for v := 0; v < 6; v++ {
		stmts = append(stmts, migrations[v])
	}
	stmts = append(stmts, "INSERT INTO schema_migrations (version, applied_at) VALUES (1, 0), (2, 0), (3, 0), (4, 0), (5, 0), (6, 0)")
	for _, q := range stmts {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	old := approve(testSale(t, "old", "acct_a", t0), t0)
	sep := approve(testSale(t, "sep", "acct_a", t0), t0)
	sep.Charge = pos.ChargeSeparate
	for _, s := range []pos.Sale{old, sep} {
		snap, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if s.ID == "old" { // as an older Kasse wrote it: no Charge field
			var m map[string]any
			_ = json.Unmarshal(snap, &m)
			delete(m, "Charge")
			snap, _ = json.Marshal(m)
		}
		if _, err := db.Exec(`INSERT INTO sales (id, seller, currency, amount, state, final, intent_id, snapshot, created_at, updated_at)
			VALUES (?, 'acct_a', 'usd', 100, 'approved', 1, ?, ?, 1, 1)`, s.ID, s.IntentID, string(snap)); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	j, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	dest := approve(testSale(t, "dest", "acct_a", t0), t0)
	dest.Charge = pos.ChargeDestination
	if err := j.SaveSale(context.Background(), dest); err != nil {
		t.Fatal(err)
	}
	got := map[string]pos.ChargeType{}
	if err := j.EachSaleRow(context.Background(), SaleRowFilter{}, func(r SaleRow) error { got[r.ID] = r.Charge; return nil }); err != nil {
		t.Fatal(err)
	}
	if got["old"] != "" || got["sep"] != pos.ChargeSeparate || got["dest"] != pos.ChargeDestination {
		t.Fatalf("charge types %v", got)
	}
}
