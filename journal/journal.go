// Package journal is Kasse's local journal: every sale, refund and
// supervisor action is written to a SQLite file in the data directory so
// that a crash, a power cut or a killed terminal never loses a payment in
// flight. On start the checkout runner reads UnfinishedSales and settles
// each one against Stripe (see package checkout).
//
// # Storage
//
// SQLite through the pure-Go driver modernc.org/sqlite (no cgo), in WAL
// mode with synchronous=FULL: a commit is fsynced to the WAL before SaveSale
// returns, so a sale the caller was told is saved survives a crash of the
// process or the machine. busy_timeout lets a second process (a headless
// `kasse charge` next to the console) wait for the write lock instead of
// failing; write transactions start IMMEDIATE so they never deadlock on a
// lock upgrade.
//
// # Schema
//
// The schema is versioned: migrations are ordered SQL strings (migrations.go)
// applied once each and recorded in schema_migrations. Opening a journal
// written by a newer Kasse (a version this binary does not know) fails
// rather than guessing.
//
// # Secrets
//
// The journal never stores API keys or PINs: no table has a column for
// them, and every free-text value written (errors, audit details, the sale
// snapshot) passes through Redact, which replaces anything shaped like a
// Stripe secret key and any run of 13–19 digits (a card number) in free text.
package journal

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// BusyTimeout is how long a write waits for another connection's lock.
const BusyTimeout = 5 * time.Second

// ErrNotFound is returned (wrapped) when a sale or refund is not in the
// journal.
var ErrNotFound = errors.New("journal: not found")

// Journal is an open journal file. It is safe for concurrent use.
type Journal struct {
	db   *sql.DB
	path string
	// view: a view of another Journal (WithOrigin) sharing its database;
	// closing it closes nothing.
	view bool

	mu       sync.Mutex
	console  string
	operator string
	key      string // the SSH key fingerprint the operator signed in with ("": none)
	now      func() time.Time
}

// Open opens (creating if needed) the journal at path and brings its schema
// up to date. path is a file name; its directory must exist.
func Open(path string) (*Journal, error) {
	if path == "" {
		return nil, errors.New("journal: empty path")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	// The journal holds sales, refunds, the audit log and PIN hashes: it is
	// created private (SQLite gives its -wal and -shm files the same mode).
	f, err := os.OpenFile(abs, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("journal: create %s: %w", abs, err)
	}
	_ = f.Close()
	db, err := sql.Open("sqlite", dsn(abs))
	if err != nil {
		return nil, fmt.Errorf("journal: open %s: %w", abs, err)
	}
	j := &Journal{db: db, path: abs, now: time.Now}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := j.check(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := migrate(ctx, db); err != nil {
		db.Close()
		return nil, fmt.Errorf("journal: %s: %w", abs, err)
	}
	if err := j.MakePrivate(); err != nil { // a journal from an older Kasse
		db.Close()
		return nil, err
	}
	return j, nil
}

// dsn builds a modernc.org/sqlite URI for an absolute file name. The path
// is escaped, so names with '?', '#' or spaces work.
func dsn(abs string) string {
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}
	q := url.Values{}
	q.Set("_busy_timeout", fmt.Sprint(BusyTimeout.Milliseconds()))
	q.Set("_journal_mode", "WAL")
	q.Set("_synchronous", "FULL")
	q.Set("_foreign_keys", "1")
	q.Set("_txlock", "immediate")
	return u.String() + "?" + q.Encode()
}

// check verifies that the pragmas took effect: a journal that silently ran
// without WAL or with synchronous=OFF would not keep its promise.
func (j *Journal) check(ctx context.Context) error {
	var mode string
	if err := j.db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		return fmt.Errorf("journal: %s: %w", j.path, err)
	}
	if mode != "wal" {
		return fmt.Errorf("journal: %s: journal_mode is %q, want wal", j.path, mode)
	}
	var sync int
	if err := j.db.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&sync); err != nil {
		return fmt.Errorf("journal: %s: %w", j.path, err)
	}
	if sync < 2 {
		return fmt.Errorf("journal: %s: synchronous is %d, want FULL (2)", j.path, sync)
	}
	return nil
}

// Path is the journal's absolute file name.
func (j *Journal) Path() string { return j.path }

// Close closes the database. A Journal must not be used after Close.
// Closing a view (WithOrigin) does nothing: close the Journal it came from.
func (j *Journal) Close() error {
	if j.view {
		return nil
	}
	return j.db.Close()
}

// Origin is who the rows a journal inserts are stamped with: the console
// (a counter of `kasse serve`), the operator, and the fingerprint of the
// SSH key they signed in with ("" at a local console).
type Origin struct {
	Console, Operator, Key string
}

// WithOrigin returns a view of j that stamps o on the sales and refunds it
// inserts and on its audit entries (SetOrigin of the view changes only the
// view). Views share j's database, so one process with many sessions
// (`kasse serve`, one view per session) writes one journal: SQLite
// serialises the writers (WAL, IMMEDIATE transactions, busy_timeout).
// The view is valid until j is closed.
func (j *Journal) WithOrigin(o Origin) *Journal {
	j.mu.Lock()
	now := j.now
	j.mu.Unlock()
	return &Journal{db: j.db, path: j.path, view: true, console: o.Console, operator: o.Operator, key: o.Key, now: now}
}

// SetOrigin names the console and the operator stamped on sales and refunds
// this journal inserts from now on (existing rows keep theirs) and used as
// the default "who" of audit entries.
func (j *Journal) SetOrigin(consoleID, operator string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.console, j.operator = consoleID, operator
}

// SetClock replaces the clock used for rows that carry no time of their own
// (tests).
func (j *Journal) SetClock(now func() time.Time) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.now = now
}

func (j *Journal) origin() (console, operator string, now time.Time) {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.console, j.operator, j.now()
}

// keyOrigin is the SSH key fingerprint of the journal's origin.
func (j *Journal) keyOrigin() string {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.key
}

// SchemaVersion is the highest migration applied to the file.
func (j *Journal) SchemaVersion(ctx context.Context) (int, error) {
	return schemaVersion(ctx, j.db)
}

// write runs fn in an IMMEDIATE transaction and commits it.
func (j *Journal) write(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := j.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// ms is the stored form of a time: Unix milliseconds, 0 for the zero time.
func ms(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// fromMS is the inverse of ms, in UTC.
func fromMS(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v).UTC()
}
