package journal

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"kasse/pos"
)

// RefundRecord is a refund as the journal holds it.
type RefundRecord struct {
	Refund    pos.RefundFlow
	ConsoleID string
	Operator  string
	SavedAt   time.Time
}

// SaveRefund inserts or updates the refund and returns once it is durable.
// Its idempotency key (RefundFlow.Key) is stored with it.
func (j *Journal) SaveRefund(ctx context.Context, r pos.RefundFlow) error {
	if r.ID == "" {
		return errors.New("journal: refund without id")
	}
	snap, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("journal: refund %s: %w", r.ID, err)
	}
	console, operator, now := j.origin()
	created, updated := createdUpdated(r.CreatedAt, r.UpdatedAt, now)
	errText := ""
	if r.LastError != nil {
		errText = Redact(r.LastError.Error())
	}
	_, err = j.db.ExecContext(ctx, `
INSERT INTO refunds (id, sale_id, intent_id, seller, console_id, operator, amount, currency, reason,
	idempotency_key, refund_id, state, final, error, snapshot, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET
	sale_id = excluded.sale_id, intent_id = excluded.intent_id, seller = excluded.seller,
	amount = excluded.amount, currency = excluded.currency, reason = excluded.reason,
	idempotency_key = excluded.idempotency_key, refund_id = excluded.refund_id, state = excluded.state,
	final = excluded.final, error = excluded.error, snapshot = excluded.snapshot,
	updated_at = excluded.updated_at`,
		r.ID, r.SaleID, r.IntentID, string(r.Seller), console, operator, r.Amount, r.Currency,
		string(r.Reason), r.Key(), r.RefundID, string(r.State), boolInt(r.Finished()), errText,
		redactKeys(string(snap)), ms(created), ms(updated))
	if err != nil {
		return fmt.Errorf("journal: save refund %s: %w", r.ID, err)
	}
	return nil
}

const refundColumns = `snapshot, console_id, operator, updated_at`

func scanRefund(sc scanner) (RefundRecord, error) {
	var snap string
	var saved int64
	var r RefundRecord
	if err := sc.Scan(&snap, &r.ConsoleID, &r.Operator, &saved); err != nil {
		return r, err
	}
	if err := json.Unmarshal([]byte(snap), &r.Refund); err != nil {
		return r, fmt.Errorf("snapshot: %w", err)
	}
	r.SavedAt = fromMS(saved)
	return r, nil
}

// Refund returns the last saved snapshot of refund id; the error wraps
// ErrNotFound when there is none.
func (j *Journal) Refund(ctx context.Context, id string) (pos.RefundFlow, error) {
	r, err := scanRefund(j.db.QueryRowContext(ctx, "SELECT "+refundColumns+" FROM refunds WHERE id = ?", id))
	return r.Refund, lookupError("refund "+id, err)
}

// UnfinishedRefunds returns the refunds whose outcome is not settled
// (neither succeeded nor failed), oldest first.
func (j *Journal) UnfinishedRefunds(ctx context.Context) ([]pos.RefundFlow, error) {
	recs, err := j.queryRefunds(ctx, "SELECT "+refundColumns+" FROM refunds WHERE final = 0 ORDER BY created_at, id", nil)
	if err != nil {
		return nil, err
	}
	out := make([]pos.RefundFlow, len(recs))
	for i, r := range recs {
		out[i] = r.Refund
	}
	return out, nil
}

// RefundFilter narrows ListRefunds. Zero fields do not filter.
type RefundFilter struct {
	From, To time.Time
	Seller   pos.Account
	SaleID   string
	IntentID string
	States   []pos.RefundState
	Limit    int
}

// ListRefunds returns the refunds matching f, newest first.
func (j *Journal) ListRefunds(ctx context.Context, f RefundFilter) ([]RefundRecord, error) {
	var w where
	w.createdIn(f.From, f.To)
	w.equal("seller", string(f.Seller))
	w.equal("sale_id", f.SaleID)
	w.equal("intent_id", f.IntentID)
	w.in("state", stringArgs(f.States))
	q := "SELECT " + refundColumns + " FROM refunds" + w.String() + newestFirst + " LIMIT ?"
	return j.queryRefunds(ctx, q, append(w.args, limitOf(f.Limit)))
}

// queryRefunds runs q, a SELECT of refundColumns, and returns its rows.
func (j *Journal) queryRefunds(ctx context.Context, q string, args []any) ([]RefundRecord, error) {
	return allRows(ctx, j.db, "list refunds", q, args, scanRefund)
}
