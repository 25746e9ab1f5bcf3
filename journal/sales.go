package journal

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"kasse/pos"
)

// SaleRecord is a sale as the journal holds it: the full pos.Sale snapshot
// plus what the journal adds.
type SaleRecord struct {
	Sale      pos.Sale
	ConsoleID string
	Operator  string
	// Keys are the idempotency keys of every mutating request recorded for
	// the sale, in the order they were first recorded.
	Keys    []string
	SavedAt time.Time
}

// item is one cart line in the items column.
type item struct {
	Description string `json:"description"`
	Quantity    int64  `json:"quantity"`
	UnitPrice   int64  `json:"unit_price"`
	Amount      int64  `json:"amount"`
}

// SaveSale inserts or updates the sale and returns once the row is durable
// (committed and fsynced). The idempotency key of the sale's pending
// mutating request (if any) and keys are added to the sale's recorded keys;
// the keys of earlier saves are kept. Pass the key of a pos.Record effect
// so that requests without a result (SetDisplay) are recorded too.
func (j *Journal) SaveSale(ctx context.Context, s pos.Sale, keys ...string) error {
	if s.ID == "" {
		return errors.New("journal: sale without id")
	}
	snap, err := json.Marshal(s)
	if err != nil {
		return fmt.Errorf("journal: sale %s: %w", s.ID, err)
	}
	console, operator, now := j.origin()
	err = j.write(ctx, func(tx *sql.Tx) error {
		var keysJSON string
		err := tx.QueryRowContext(ctx, "SELECT idempotency_keys FROM sales WHERE id = ?", s.ID).Scan(&keysJSON)
		var recorded []string
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return err
		default:
			if err := json.Unmarshal([]byte(keysJSON), &recorded); err != nil {
				return fmt.Errorf("keys column: %w", err)
			}
		}
		if s.Pending.Op.Mutating() {
			keys = append(keys, s.Pending.Key)
		}
		for _, k := range keys {
			if k != "" && !contains(recorded, k) {
				recorded = append(recorded, k)
			}
		}
		if recorded == nil {
			recorded = []string{}
		}
		kj, _ := json.Marshal(recorded)
		_, err = tx.ExecContext(ctx, insertSale+`
ON CONFLICT (id) DO UPDATE SET
	seller = excluded.seller, location = excluded.location, reader = excluded.reader,
	reader_owner = excluded.reader_owner, currency = excluded.currency, amount = excluded.amount,
	tip = excluded.tip, items = excluded.items, state = excluded.state, final = excluded.final,
	intent_id = excluded.intent_id, charge_id = excluded.charge_id,
	idempotency_keys = excluded.idempotency_keys, last_error = excluded.last_error,
	card_brand = excluded.card_brand, card_last4 = excluded.card_last4, snapshot = excluded.snapshot,
	updated_at = excluded.updated_at, declined = excluded.declined, charge_type = excluded.charge_type`,
			saleValues(s, console, operator, now, string(kj), redactKeys(string(snap)))...)
		return err
	})
	if err != nil {
		return fmt.Errorf("journal: save sale %s: %w", s.ID, err)
	}
	return nil
}

// migrationFailedOpen (6) reopens the failed sales whose PaymentIntent
// may still be open (its last known status, in the snapshot, is neither
// succeeded nor canceled): earlier versions counted every failed sale as
// finished, so reconciliation never canceled their intents.
const migrationFailedOpen = `
UPDATE sales SET final = 0
WHERE state = 'failed' AND intent_id <> ''
	AND COALESCE(json_extract(snapshot, '$.IntentStatus'), '') NOT IN ('succeeded', 'canceled');
`

// insertSale inserts a sales row; saleValues are its arguments.
const insertSale = `
INSERT INTO sales (id, console_id, operator, seller, location, reader, reader_owner, currency, amount, tip,
	items, state, final, intent_id, charge_id, idempotency_keys, last_error, card_brand, card_last4,
	snapshot, created_at, updated_at, declined, charge_type)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

// saleValues are the arguments of insertSale for s, saved by console and
// operator at now, with keysJSON its recorded idempotency keys and
// snapshot its redacted JSON snapshot.
func saleValues(s pos.Sale, console, operator string, now time.Time, keysJSON, snapshot string) []any {
	items := make([]item, len(s.Cart.Lines))
	for i, l := range s.Cart.Lines {
		items[i] = item{Description: l.Description, Quantity: l.Quantity, UnitPrice: l.UnitPrice, Amount: l.Amount()}
	}
	itemsJSON, _ := json.Marshal(items) // plain structs: cannot fail
	amount := s.Amount
	if amount == 0 {
		amount = s.Cart.Total()
	}
	var tip sql.NullInt64
	if s.Tip != nil {
		tip = sql.NullInt64{Int64: *s.Tip, Valid: true}
	}
	created, updated := createdUpdated(s.CreatedAt, s.UpdatedAt, now)
	return []any{s.ID, console, operator, string(s.Seller), s.LocationID, s.ReaderID, string(s.ReaderOwner),
		s.Currency, amount, tip, string(itemsJSON), string(s.State), boolInt(s.Finished()),
		s.IntentID, s.ChargeID, keysJSON, Redact(lastError(s)), s.Card.Brand, s.Card.Last4,
		snapshot, ms(created), ms(updated), boolInt(s.Decline != nil), string(s.Charge)}
}

func lastError(s pos.Sale) string {
	switch {
	case s.LastError != nil:
		return s.LastError.Error()
	case s.Decline != nil:
		d := s.Decline
		parts := []string{"declined"}
		for _, p := range []string{d.DeclineCode, d.Code, d.Message} {
			if p != "" {
				parts = append(parts, p)
			}
		}
		return strings.Join(parts, ": ")
	}
	return ""
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

const saleColumns = `snapshot, console_id, operator, idempotency_keys, updated_at`

func scanSale(sc scanner) (SaleRecord, error) {
	var snap, keys string
	var saved int64
	var r SaleRecord
	if err := sc.Scan(&snap, &r.ConsoleID, &r.Operator, &keys, &saved); err != nil {
		return r, err
	}
	if err := json.Unmarshal([]byte(snap), &r.Sale); err != nil {
		return r, fmt.Errorf("snapshot: %w", err)
	}
	if err := json.Unmarshal([]byte(keys), &r.Keys); err != nil {
		return r, fmt.Errorf("keys: %w", err)
	}
	r.SavedAt = fromMS(saved)
	return r, nil
}

// Record returns the journal's record of sale id; the error wraps
// ErrNotFound when there is none.
func (j *Journal) Record(ctx context.Context, id string) (SaleRecord, error) {
	r, err := scanSale(j.db.QueryRowContext(ctx, "SELECT "+saleColumns+" FROM sales WHERE id = ?", id))
	return r, lookupError("sale "+id, err)
}

// Sale returns the last saved snapshot of sale id; the error wraps
// ErrNotFound when there is none.
func (j *Journal) Sale(ctx context.Context, id string) (pos.Sale, error) {
	r, err := j.Record(ctx, id)
	return r.Sale, err
}

// UnfinishedSales returns every sale that is not pos.Sale.Finished
// (approved, canceled, or failed with no PaymentIntent left open), oldest
// first. A failed sale whose intent may still be open is included, so that
// reconciliation cancels the intent. Drafts are included: a draft that was
// never charged has sent nothing, and reconciliation cancels it locally.
func (j *Journal) UnfinishedSales(ctx context.Context) ([]pos.Sale, error) {
	recs, err := j.query(ctx, "SELECT "+saleColumns+" FROM sales WHERE final = 0 ORDER BY created_at, id", nil)
	if err != nil {
		return nil, err
	}
	out := make([]pos.Sale, len(recs))
	for i, r := range recs {
		out[i] = r.Sale
	}
	return out, nil
}

// SaleFilter narrows ListSales. Zero fields do not filter.
type SaleFilter struct {
	From, To  time.Time // created_at in [From, To)
	Seller    pos.Account
	States    []pos.SaleState
	MinAmount int64 // amount ≥ MinAmount (minor units)
	MaxAmount int64 // amount ≤ MaxAmount; 0 = open
	Last4     string
	IntentID  string
	Limit     int // 0 = DefaultLimit; capped at MaxLimit
}

// List limits.
const (
	DefaultLimit = 100
	MaxLimit     = 1000
)

func limitOf(n int) int {
	switch {
	case n <= 0:
		return DefaultLimit
	case n > MaxLimit:
		return MaxLimit
	}
	return n
}

// ListSales returns the sales matching f, newest first.
func (j *Journal) ListSales(ctx context.Context, f SaleFilter) ([]SaleRecord, error) {
	var w where
	w.createdIn(f.From, f.To)
	w.equal("seller", string(f.Seller))
	w.in("state", stringArgs(f.States))
	w.addIf(f.MinAmount > 0, "amount >= ?", f.MinAmount)
	w.addIf(f.MaxAmount > 0, "amount <= ?", f.MaxAmount)
	w.equal("card_last4", f.Last4)
	w.equal("intent_id", f.IntentID)
	q := "SELECT " + saleColumns + " FROM sales" + w.String() + newestFirst + " LIMIT ?"
	return j.query(ctx, q, append(w.args, limitOf(f.Limit)))
}

// query runs q, a SELECT of saleColumns, and returns its rows.
func (j *Journal) query(ctx context.Context, q string, args []any) ([]SaleRecord, error) {
	return allRows(ctx, j.db, "list sales", q, args, scanSale)
}
