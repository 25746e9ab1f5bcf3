package journal

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

const testHash = "$argon2id$v=19$m=65536,t=2,p=2$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA"

func TestPinHashRoundTripAndPrivateFile(t *testing.T) {
	ctx := context.Background()
	j, path := openTemp(t)
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := j.PinHash(ctx, "ann"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("PinHash before set: %v", err)
	}
	if err := j.SetPinHash(ctx, "ann", "1234", t0); err == nil {
		t.Fatal("a non-PHC value was stored as a PIN hash")
	}
	if err := j.SetPinHash(ctx, "ann", testHash, t0); err != nil {
		t.Fatal(err)
	}
	if h, err := j.PinHash(ctx, "ann"); err != nil || h != testHash {
		t.Fatalf("PinHash = %q, %v", h, err)
	}
	if err := j.SetPinHash(ctx, "ann", testHash+"x", t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if h, _ := j.PinHash(ctx, "ann"); h != testHash+"x" {
		t.Fatalf("PinHash after replace = %q", h)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		st, err := os.Stat(p)
		if err != nil {
			continue
		}
		if st.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v after a PIN was stored, want 0600", filepath.Base(p), st.Mode().Perm())
		}
	}
}

func TestPinFailuresLockExpireAndSurviveReopen(t *testing.T) {
	ctx := context.Background()
	j, path := openTemp(t)
	at := t0
	for i := 1; i <= 4; i++ {
		l, err := j.AddPinFailure(ctx, "ann", "pin", at, 5, 5*time.Minute)
		if err != nil || l.Count != i || !l.LockedUntil.IsZero() {
			t.Fatalf("failure %d: %+v, %v", i, l, err)
		}
	}
	l, err := j.AddPinFailure(ctx, "ann", "pin", at, 5, 5*time.Minute)
	if err != nil || l.Count != 5 || !l.LockedUntil.Equal(at.Add(5*time.Minute)) || !l.Locked(at) {
		t.Fatalf("fifth failure: %+v, %v", l, err)
	}
	// While locked nothing is counted.
	if l2, _ := j.AddPinFailure(ctx, "ann", "pin", at.Add(time.Minute), 5, 5*time.Minute); l2 != l {
		t.Fatalf("failure while locked changed the lock: %+v", l2)
	}
	// Other scopes and operators are separate.
	if o, _ := j.PinFailures(ctx, "bo", "pin"); o != (PinLock{}) {
		t.Fatalf("bo = %+v", o)
	}
	j.Close()
	j2, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer j2.Close()
	if got, err := j2.PinFailures(ctx, "ann", "pin"); err != nil || got != l {
		t.Fatalf("after reopen: %+v, %v (want %+v)", got, err, l)
	}
	// After expiry the count starts again.
	l3, err := j2.AddPinFailure(ctx, "ann", "pin", l.LockedUntil, 5, 5*time.Minute)
	if err != nil || l3.Count != 1 || !l3.LockedUntil.IsZero() {
		t.Fatalf("after expiry: %+v, %v", l3, err)
	}
	if err := j2.ClearPinFailures(ctx, "ann", "pin"); err != nil {
		t.Fatal(err)
	}
	if got, _ := j2.PinFailures(ctx, "ann", "pin"); got != (PinLock{}) {
		t.Fatalf("after clear: %+v", got)
	}
}

// A journal written before the pins migration is upgraded in place.
func TestPinsMigrationUpgradesVersion1(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v1.db")
	db, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{createMigrations, migrations[0], "INSERT INTO schema_migrations (version, applied_at) VALUES (1, 0)"} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	j, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	if v, _ := j.SchemaVersion(ctx); v != Version() || v < 2 {
		t.Fatalf("version = %d, want %d", v, Version())
	}
	if err := j.SetPinHash(ctx, "ann", testHash, t0); err != nil {
		t.Fatal(err)
	}
}
