package journal

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"kasse/pos"
)

// A new journal and its WAL companions are readable by their owner only:
// they hold sales, the audit log and PIN hashes.
func TestNewJournalIsPrivate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "journal.db")
	j, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	s, err := pos.NewSale(pos.SaleConfig{ID: "p1", Seller: "acct_1", Currency: "usd"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := j.SaveSale(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if perm := st.Mode().Perm(); perm&0o077 != 0 {
			t.Errorf("%s has mode %o, want no group/other access", filepath.Base(p), perm)
		}
	}
}
