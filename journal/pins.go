package journal

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"time"
)

// PIN storage. The journal keeps operators' PIN hashes (PHC strings written
// by package supervisor; never a PIN) and counts wrong PINs so that a
// lockout survives a restart. The hash column is the only secret-derived
// value in the file; SetPinHash makes the file private (0600) before it
// writes one.

// migrationPins is migration 2: the pins and pin_failures tables.
const migrationPins = `
CREATE TABLE pins (
	operator   TEXT PRIMARY KEY,
	hash       TEXT NOT NULL,
	updated_at INTEGER NOT NULL
);

CREATE TABLE pin_failures (
	operator     TEXT NOT NULL,
	scope        TEXT NOT NULL,
	count        INTEGER NOT NULL DEFAULT 0,
	locked_until INTEGER NOT NULL DEFAULT 0,
	updated_at   INTEGER NOT NULL,
	PRIMARY KEY (operator, scope)
);
`

// PinLock is the wrong-PIN state of one operator in one scope.
type PinLock struct {
	Count       int       // consecutive wrong PINs since the last success or lock expiry
	LockedUntil time.Time // zero: not locked
}

// Locked reports whether the lock is in force at t.
func (l PinLock) Locked(at time.Time) bool {
	return !l.LockedUntil.IsZero() && at.Before(l.LockedUntil)
}

// PinHash returns operator's PIN hash; the error wraps ErrNotFound when
// none is set.
func (j *Journal) PinHash(ctx context.Context, operator string) (string, error) {
	var h string
	err := j.db.QueryRowContext(ctx, "SELECT hash FROM pins WHERE operator = ?", operator).Scan(&h)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("PIN of %s: %w", operator, ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("journal: PIN of %s: %w", operator, err)
	}
	return h, nil
}

// SetPinHash stores operator's PIN hash (replacing any earlier one) and
// returns once it is durable. The journal file and its WAL are made
// readable by their owner only first.
func (j *Journal) SetPinHash(ctx context.Context, operator, hash string, at time.Time) error {
	if operator == "" || hash == "" {
		return errors.New("journal: PIN hash without operator or hash")
	}
	if !strings.HasPrefix(hash, "$") {
		return errors.New("journal: refusing to store a PIN hash that is not a PHC string")
	}
	if err := j.MakePrivate(); err != nil {
		return err
	}
	if at.IsZero() {
		_, _, at = j.origin()
	}
	_, err := j.db.ExecContext(ctx, `
INSERT INTO pins (operator, hash, updated_at) VALUES (?, ?, ?)
ON CONFLICT (operator) DO UPDATE SET hash = excluded.hash, updated_at = excluded.updated_at`,
		operator, hash, ms(at))
	if err != nil {
		return fmt.Errorf("journal: set PIN of %s: %w", operator, err)
	}
	return nil
}

// MakePrivate restricts the journal file and its -wal and -shm companions
// to mode 0600 (SQLite creates new companions with the file's mode).
func (j *Journal) MakePrivate() error {
	for _, p := range []string{j.path, j.path + "-wal", j.path + "-shm"} {
		st, err := os.Stat(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("journal: %w", err)
		}
		if st.Mode().Perm()&0o077 == 0 {
			continue
		}
		if err := os.Chmod(p, st.Mode().Perm()&0o600); err != nil {
			return fmt.Errorf("journal: make private: %w", err)
		}
	}
	return nil
}

// PinFailures returns operator's wrong-PIN state in scope (zero when none).
// An expired lock is reported as it is stored; see PinLock.Locked.
func (j *Journal) PinFailures(ctx context.Context, operator, scope string) (PinLock, error) {
	var l PinLock
	var until int64
	err := j.db.QueryRowContext(ctx, "SELECT count, locked_until FROM pin_failures WHERE operator = ? AND scope = ?",
		operator, scope).Scan(&l.Count, &until)
	if errors.Is(err, sql.ErrNoRows) {
		return PinLock{}, nil
	}
	if err != nil {
		return PinLock{}, fmt.Errorf("journal: PIN failures of %s: %w", operator, err)
	}
	l.LockedUntil = fromMS(until)
	return l, nil
}

// AddPinFailure counts one wrong PIN of operator in scope at time at, in
// one transaction, and returns the new state: a lock that expired before
// at starts a fresh count; during a lock nothing is counted; the max-th
// consecutive failure locks the scope until at+lockFor.
func (j *Journal) AddPinFailure(ctx context.Context, operator, scope string, at time.Time, max int, lockFor time.Duration) (PinLock, error) {
	var out PinLock
	err := j.write(ctx, func(tx *sql.Tx) error {
		var count int
		var until int64
		err := tx.QueryRowContext(ctx, "SELECT count, locked_until FROM pin_failures WHERE operator = ? AND scope = ?",
			operator, scope).Scan(&count, &until)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		switch {
		case until != 0 && ms(at) < until: // locked: a try was not even made
			out = PinLock{Count: count, LockedUntil: fromMS(until)}
			return nil
		case until != 0: // the lock expired
			count, until = 0, 0
		}
		count++
		if count >= max {
			until = ms(at.Add(lockFor))
		}
		out = PinLock{Count: count, LockedUntil: fromMS(until)}
		_, err = tx.ExecContext(ctx, `
INSERT INTO pin_failures (operator, scope, count, locked_until, updated_at) VALUES (?, ?, ?, ?, ?)
ON CONFLICT (operator, scope) DO UPDATE SET count = excluded.count, locked_until = excluded.locked_until,
	updated_at = excluded.updated_at`, operator, scope, count, until, ms(at))
		return err
	})
	if err != nil {
		return PinLock{}, fmt.Errorf("journal: PIN failure of %s: %w", operator, err)
	}
	return out, nil
}

// ClearPinFailures forgets operator's wrong PINs in scope (after a right
// one). A lock in force is cleared too: call it only after a success,
// which the caller does not attempt while locked.
func (j *Journal) ClearPinFailures(ctx context.Context, operator, scope string) error {
	_, err := j.db.ExecContext(ctx, "DELETE FROM pin_failures WHERE operator = ? AND scope = ?", operator, scope)
	if err != nil {
		return fmt.Errorf("journal: clear PIN failures of %s: %w", operator, err)
	}
	return nil
}
