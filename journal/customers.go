package journal

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Customers (issue 13). A sale for a customer keeps its customer in its
// snapshot (pos.Sale.Customer: the seller's customer, the wallet customer
// it copies, the save consent and who gave it); the sales of a customer
// are found through indexes on those snapshot fields. A customer's
// requests outside a sale — create a customer, save a card on a reader,
// remove a saved card — are recorded in customer_ops before they are sent,
// like every mutating request: their idempotency key first, so that a try
// after a crash resends the same request under the same key (Stripe
// replays it) instead of making a second customer.

// migrationCustomers (appended; its number is its place in the list):
// customer_ops, and the indexes of a customer's sales.
const migrationCustomers = `
CREATE TABLE customer_ops (
	key        TEXT PRIMARY KEY,
	op         TEXT NOT NULL,
	account    TEXT NOT NULL DEFAULT '',
	request    TEXT NOT NULL DEFAULT '',
	console_id TEXT NOT NULL DEFAULT '',
	operator   TEXT NOT NULL DEFAULT '',
	result     TEXT NOT NULL DEFAULT '',
	error      TEXT NOT NULL DEFAULT '',
	state      TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);
CREATE INDEX customer_ops_open ON customer_ops (op, account, request) WHERE state = 'recorded';
CREATE INDEX sales_customer_wallet ON sales (json_extract(snapshot, '$.Customer.Wallet'), created_at);
CREATE INDEX sales_customer_id ON sales (json_extract(snapshot, '$.Customer.ID'), created_at);
`

// Customer op states.
const (
	OpRecorded = "recorded" // the key is in the journal; the request may have been sent
	OpDone     = "done"     // Stripe answered it (Result)
	OpFailed   = "failed"   // Stripe refused it for good (Error)
)

// CustomerOp is one recorded customer request outside a sale.
type CustomerOp struct {
	Key     string // the idempotency key
	Op      string // e.g. "create_customer", "save_card.setup", "detach_card"
	Account string // the account it is sent in ("" = the platform)
	// Request identifies what was asked (a canonical form the caller
	// builds: same request, same text), never a secret.
	Request   string
	ConsoleID string
	Operator  string
	Result    string // the id Stripe answered with
	Error     string
	State     string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// RecordCustomerOp writes op (state recorded) before its request is sent;
// it returns once the row is durable. The key must be new.
func (j *Journal) RecordCustomerOp(ctx context.Context, op CustomerOp) error {
	if op.Key == "" || op.Op == "" {
		return errors.New("journal: customer op without key or op")
	}
	console, operator, now := j.origin()
	created, updated := createdUpdated(op.CreatedAt, op.UpdatedAt, now)
	_, err := j.db.ExecContext(ctx, `
INSERT INTO customer_ops (key, op, account, request, console_id, operator, state, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		op.Key, op.Op, op.Account, Redact(op.Request), console, operator, OpRecorded, ms(created), ms(updated))
	if err != nil {
		return fmt.Errorf("journal: record customer op %s: %w", op.Op, err)
	}
	return nil
}

// FinishCustomerOp records the answer to op key: its result (an id) when
// Stripe took it, else the refusal (errText, redacted).
func (j *Journal) FinishCustomerOp(ctx context.Context, key, result, errText string) error {
	state := OpDone
	if errText != "" {
		state = OpFailed
	}
	_, _, now := j.origin()
	res, err := j.db.ExecContext(ctx, `UPDATE customer_ops SET state = ?, result = ?, error = ?, updated_at = ? WHERE key = ?`,
		state, result, Redact(errText), ms(now), key)
	if err != nil {
		return fmt.Errorf("journal: finish customer op: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("customer op %s: %w", key, ErrNotFound)
	}
	return nil
}

// OpenCustomerOp returns the recorded, unanswered op of the same kind,
// account and request, if there is one (a crash or a lost answer left
// it): its key is the one to send under again.
func (j *Journal) OpenCustomerOp(ctx context.Context, op, account, request string) (CustomerOp, bool, error) {
	row := j.db.QueryRowContext(ctx, "SELECT "+customerOpColumns+
		` FROM customer_ops WHERE state = ? AND op = ? AND account = ? AND request = ? ORDER BY created_at DESC LIMIT 1`,
		OpRecorded, op, account, Redact(request))
	o, err := scanCustomerOp(row)
	if errors.Is(err, sql.ErrNoRows) {
		return CustomerOp{}, false, nil
	}
	if err != nil {
		return CustomerOp{}, false, fmt.Errorf("journal: open customer op: %w", err)
	}
	return o, true, nil
}

// CustomerOpByKey returns the op recorded under key.
func (j *Journal) CustomerOpByKey(ctx context.Context, key string) (CustomerOp, error) {
	o, err := scanCustomerOp(j.db.QueryRowContext(ctx, "SELECT "+customerOpColumns+" FROM customer_ops WHERE key = ?", key))
	return o, lookupError("customer op "+key, err)
}

const customerOpColumns = `key, op, account, request, console_id, operator, result, error, state, created_at, updated_at`

func scanCustomerOp(sc scanner) (CustomerOp, error) {
	var o CustomerOp
	var created, updated int64
	err := sc.Scan(&o.Key, &o.Op, &o.Account, &o.Request, &o.ConsoleID, &o.Operator, &o.Result, &o.Error, &o.State, &created, &updated)
	o.CreatedAt, o.UpdatedAt = fromMS(created), fromMS(updated)
	return o, err
}

// CustomerSales returns the sales for any of the customers ids (a wallet
// customer and its copies at sellers, or a seller's own customer), newest
// first, at most limit (0: DefaultLimit).
func (j *Journal) CustomerSales(ctx context.Context, ids []string, limit int) ([]SaleRecord, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var args []any
	marks := ""
	for i, id := range ids {
		if i > 0 {
			marks += ", "
		}
		marks += "?"
		args = append(args, id)
	}
	q := "SELECT " + saleColumns + " FROM sales WHERE json_extract(snapshot, '$.Customer.Wallet') IN (" + marks + ")" +
		" OR json_extract(snapshot, '$.Customer.ID') IN (" + marks + ")" + newestFirst + " LIMIT ?"
	args = append(append(args, args...), limitOf(limit))
	return j.query(ctx, q, args)
}
