package journal

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// AuditEntry is one line of the append-only audit trail: who did what,
// when, to what, and why. The table refuses UPDATE and DELETE (triggers).
type AuditEntry struct {
	Seq     int64     // assigned by the journal
	At      time.Time // zero: now
	Who     string    // operator; "" = the journal's operator (SetOrigin)
	Console string    // "" = the journal's console id
	// Key is the fingerprint (SHA256:…) of the SSH key the operator signed
	// in with at a counter of `kasse serve`; "" = the journal's (none at a
	// local console).
	Key     string
	Action  string // e.g. "sale.cancel", "refund.create", "reader.register"
	Subject string // the object acted on: sale id, refund id, reader id
	Detail  string
	Reason  string
}

// AppendAudit appends e durably. Detail and Reason are redacted (Redact).
func (j *Journal) AppendAudit(ctx context.Context, e AuditEntry) error {
	if e.Action == "" {
		return errors.New("journal: audit entry without action")
	}
	console, operator, now := j.origin()
	if e.At.IsZero() {
		e.At = now
	}
	if e.Who == "" {
		e.Who = operator
	}
	if e.Console == "" {
		e.Console = console
	}
	if e.Key == "" {
		e.Key = j.keyOrigin()
	}
	_, err := j.db.ExecContext(ctx,
		"INSERT INTO audit (at, who, console, action, subject, detail, reason, key_fingerprint) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		ms(e.At), e.Who, e.Console, e.Action, e.Subject, Redact(e.Detail), Redact(e.Reason), e.Key)
	if err != nil {
		return fmt.Errorf("journal: audit %s: %w", e.Action, err)
	}
	return nil
}

// AuditFilter narrows ListAudit. Zero fields do not filter.
type AuditFilter struct {
	From, To time.Time
	Subject  string
	Action   string // exact action, e.g. "sale.reconcile"
	Limit    int
}

// ListAudit returns audit entries, newest first.
func (j *Journal) ListAudit(ctx context.Context, f AuditFilter) ([]AuditEntry, error) {
	q := "SELECT seq, at, who, console, action, subject, detail, reason, key_fingerprint FROM audit WHERE 1=1"
	var args []any
	if !f.From.IsZero() {
		q += " AND at >= ?"
		args = append(args, ms(f.From))
	}
	if !f.To.IsZero() {
		q += " AND at < ?"
		args = append(args, ms(f.To))
	}
	if f.Subject != "" {
		q += " AND subject = ?"
		args = append(args, f.Subject)
	}
	if f.Action != "" {
		q += " AND action = ?"
		args = append(args, f.Action)
	}
	q += " ORDER BY seq DESC LIMIT ?"
	args = append(args, limitOf(f.Limit))
	rows, err := j.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("journal: list audit: %w", err)
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		var at int64
		if err := rows.Scan(&e.Seq, &at, &e.Who, &e.Console, &e.Action, &e.Subject, &e.Detail, &e.Reason, &e.Key); err != nil {
			return nil, fmt.Errorf("journal: list audit: %w", err)
		}
		e.At = fromMS(at)
		out = append(out, e)
	}
	return out, rows.Err()
}
