package journal

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Shared pieces of the journal's reads: the WHERE clause of the list
// filters, the row loop, and the errors of a single-row lookup.

// newestFirst is the order of every list read: created_at, then id,
// descending.
const newestFirst = " ORDER BY created_at DESC, id DESC"

// scanner is a *sql.Row or a *sql.Rows.
type scanner interface{ Scan(...any) error }

// querier is a *sql.DB or a *sql.Tx.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// where collects the conditions of a WHERE clause, joined by AND, and
// their arguments in order.
type where struct {
	conds []string
	args  []any
}

// add appends cond with its arguments.
func (w *where) add(cond string, args ...any) {
	w.conds = append(w.conds, cond)
	w.args = append(w.args, args...)
}

// addIf appends cond with its arguments when ok.
func (w *where) addIf(ok bool, cond string, args ...any) {
	if ok {
		w.add(cond, args...)
	}
}

// equal appends "column = value" unless value is empty (no filter).
func (w *where) equal(column, value string) {
	w.addIf(value != "", column+" = ?", value)
}

// createdIn appends created_at in [from, to); a zero bound is open.
func (w *where) createdIn(from, to time.Time) {
	w.addIf(!from.IsZero(), "created_at >= ?", ms(from))
	w.addIf(!to.IsZero(), "created_at < ?", ms(to))
}

// in appends "column IN (values)" unless values is empty (no filter).
func (w *where) in(column string, values []any) {
	w.addIf(len(values) > 0, column+" IN ("+placeholders(len(values))+")", values...)
}

// notIn appends "column NOT IN (values)" unless values is empty.
func (w *where) notIn(column string, values []any) {
	w.addIf(len(values) > 0, column+" NOT IN ("+placeholders(len(values))+")", values...)
}

// String is the clause, " WHERE a AND b", or "" when there is no condition.
func (w *where) String() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

func placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat("?,", n-1) + "?"
}

// stringArgs are values (ids, states) as query arguments.
func stringArgs[S ~string](values []S) []any {
	out := make([]any, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}

// eachRow runs q and calls fn with every row, as scan reads it, in order.
// Query and scan errors are "journal: <what>: …"; an error from fn stops
// the iteration and is returned as is.
func eachRow[T any](ctx context.Context, db querier, what, q string, args []any,
	scan func(scanner) (T, error), fn func(T) error) error {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("journal: %s: %w", what, err)
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scan(rows)
		if err != nil {
			return fmt.Errorf("journal: %s: %w", what, err)
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("journal: %s: %w", what, err)
	}
	return nil
}

// allRows is eachRow collecting the rows: nil when there are none.
func allRows[T any](ctx context.Context, db querier, what, q string, args []any,
	scan func(scanner) (T, error)) ([]T, error) {
	var out []T
	err := eachRow(ctx, db, what, q, args, scan, func(r T) error { out = append(out, r); return nil })
	if err != nil {
		return nil, err
	}
	return out, nil
}

// lookupError is the error of reading subject ("sale s_1") by id: nil when
// err is, one wrapping ErrNotFound when there was no row, else err wrapped
// as "journal: <subject>: …".
func lookupError(subject string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("%s: %w", subject, ErrNotFound)
	}
	return fmt.Errorf("journal: %s: %w", subject, err)
}

// createdUpdated are the stored times of a row saved at now: a zero
// updated is now, a zero created is updated.
func createdUpdated(created, updated, now time.Time) (time.Time, time.Time) {
	if updated.IsZero() {
		updated = now
	}
	if created.IsZero() {
		created = updated
	}
	return created, updated
}
