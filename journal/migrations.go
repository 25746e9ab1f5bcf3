package journal

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// migrations are applied in order, each once, each in its own transaction;
// migrations[i] brings the schema to version i+1. Never edit a migration
// that has shipped: append a new one.
var migrations = []string{
	// 1: sales, refunds, audit.
	`
CREATE TABLE sales (
	id               TEXT PRIMARY KEY,
	console_id       TEXT NOT NULL DEFAULT '',
	operator         TEXT NOT NULL DEFAULT '',
	seller           TEXT NOT NULL,
	location         TEXT NOT NULL DEFAULT '',
	reader           TEXT NOT NULL DEFAULT '',
	reader_owner     TEXT NOT NULL DEFAULT '',
	currency         TEXT NOT NULL,
	amount           INTEGER NOT NULL,
	tip              INTEGER,
	items            TEXT NOT NULL DEFAULT '[]',
	state            TEXT NOT NULL,
	final            INTEGER NOT NULL DEFAULT 0,
	intent_id        TEXT NOT NULL DEFAULT '',
	charge_id        TEXT NOT NULL DEFAULT '',
	idempotency_keys TEXT NOT NULL DEFAULT '[]',
	last_error       TEXT NOT NULL DEFAULT '',
	card_brand       TEXT NOT NULL DEFAULT '',
	card_last4       TEXT NOT NULL DEFAULT '',
	snapshot         TEXT NOT NULL,
	created_at       INTEGER NOT NULL,
	updated_at       INTEGER NOT NULL
);
CREATE INDEX sales_created_at ON sales (created_at);
CREATE INDEX sales_seller     ON sales (seller, created_at);
CREATE INDEX sales_state      ON sales (state);
CREATE INDEX sales_unfinished ON sales (final) WHERE final = 0;
CREATE INDEX sales_intent_id  ON sales (intent_id) WHERE intent_id <> '';

CREATE TABLE refunds (
	id               TEXT PRIMARY KEY,
	sale_id          TEXT NOT NULL DEFAULT '',
	intent_id        TEXT NOT NULL DEFAULT '',
	seller           TEXT NOT NULL,
	console_id       TEXT NOT NULL DEFAULT '',
	operator         TEXT NOT NULL DEFAULT '',
	amount           INTEGER NOT NULL,
	currency         TEXT NOT NULL DEFAULT '',
	reason           TEXT NOT NULL DEFAULT '',
	idempotency_key  TEXT NOT NULL DEFAULT '',
	refund_id        TEXT NOT NULL DEFAULT '',
	state            TEXT NOT NULL,
	final            INTEGER NOT NULL DEFAULT 0,
	error            TEXT NOT NULL DEFAULT '',
	snapshot         TEXT NOT NULL DEFAULT '{}',
	created_at       INTEGER NOT NULL,
	updated_at       INTEGER NOT NULL
);
CREATE INDEX refunds_created_at ON refunds (created_at);
CREATE INDEX refunds_sale_id    ON refunds (sale_id);
CREATE INDEX refunds_intent_id  ON refunds (intent_id);
CREATE INDEX refunds_unfinished ON refunds (final) WHERE final = 0;

CREATE TABLE audit (
	seq     INTEGER PRIMARY KEY AUTOINCREMENT,
	at      INTEGER NOT NULL,
	who     TEXT NOT NULL,
	console TEXT NOT NULL DEFAULT '',
	action  TEXT NOT NULL,
	subject TEXT NOT NULL DEFAULT '',
	detail  TEXT NOT NULL DEFAULT '',
	reason  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_at ON audit (at);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
`,
	// 2: pins, pin_failures (pins.go).
	migrationPins,
	// 3: sales_report, the covering index of package reports (report_index.go).
	migrationReportIndex,
	// 4: sales.declined, and sales_report covering it (report_index.go).
	migrationDeclined,
	// 5: sales_report_totals and refunds_report_totals (the end of day's
	// sums), sales_last4 and sales_amount (searches) (report_index.go).
	migrationReportSeeks,
	// 6: failed sales whose intent may be open are unfinished (sales.go).
	migrationFailedOpen,
	// 7: sales.charge_type, and sales_report covering it (report_index.go).
	migrationChargeType,
	// 8: customer_ops and the indexes of a customer's sales (customers.go).
	migrationCustomers,
	// 9: events, event_cursors, disputes, notices (events.go).
	migrationEvents,
	// 10: audit.key_fingerprint: the SSH key a `kasse serve` operator
	// signed in with (audit.go).
	migrationAuditKey,
}

// migrationAuditKey adds the SSH key fingerprint to the audit trail.
const migrationAuditKey = `ALTER TABLE audit ADD COLUMN key_fingerprint TEXT NOT NULL DEFAULT '';`

// Version is the schema version this build writes.
func Version() int { return len(migrations) }

const createMigrations = `CREATE TABLE IF NOT EXISTS schema_migrations (
	version    INTEGER PRIMARY KEY,
	applied_at INTEGER NOT NULL
)`

func schemaVersion(ctx context.Context, db *sql.DB) (int, error) {
	var v sql.NullInt64
	if err := db.QueryRowContext(ctx, "SELECT MAX(version) FROM schema_migrations").Scan(&v); err != nil {
		return 0, err
	}
	return int(v.Int64), nil
}

// migrate applies the migrations the file lacks. Each runs in an IMMEDIATE
// transaction that re-reads the version first, so two processes opening
// the same new file cannot both apply a migration.
func migrate(ctx context.Context, db *sql.DB) error {
	if _, err := db.ExecContext(ctx, createMigrations); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	for {
		done, err := migrateOne(ctx, db)
		if err != nil || done {
			return err
		}
	}
}

func migrateOne(ctx context.Context, db *sql.DB) (done bool, err error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	var v sql.NullInt64
	if err := tx.QueryRowContext(ctx, "SELECT MAX(version) FROM schema_migrations").Scan(&v); err != nil {
		return false, err
	}
	cur := int(v.Int64)
	switch {
	case cur > len(migrations):
		return false, fmt.Errorf("schema version %d is newer than this Kasse knows (%d); upgrade Kasse", cur, len(migrations))
	case cur == len(migrations):
		return true, nil
	}
	if _, err := tx.ExecContext(ctx, migrations[cur]); err != nil {
		return false, fmt.Errorf("migration %d: %w", cur+1, err)
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)",
		cur+1, time.Now().UnixMilli()); err != nil {
		return false, fmt.Errorf("migration %d: %w", cur+1, err)
	}
	return false, tx.Commit()
}
