package journal

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"kasse/pos"
)

// Reporting reads (package reports): sales and refunds as their indexed
// columns, without decoding the JSON snapshot, streamed so that a day of
// any size can be aggregated without holding SaleRecords in memory.

// SaleRow is a sale's reporting columns.
type SaleRow struct {
	ID        string
	ConsoleID string
	Operator  string
	Seller    pos.Account
	Currency  string
	Amount    int64  // cart total at Charge; the intent's amount (tip included) once paid
	Tip       *int64 // nil when tipping was off or unknown
	State     pos.SaleState
	// Declined: the last attempt was declined (pos.Sale.Decline); a sale
	// the cashier then canceled is still a decline.
	Declined bool
	IntentID string
	ChargeID string
	// Charge is the sale's charge type ("" for sales of older journals:
	// direct).
	Charge pos.ChargeType
	Card   pos.Card
	// Refunded is the sum of the journal's succeeded and pending refunds of
	// the sale's intent; only filled when SaleRowFilter.WithRefunded is set
	// (and always by SaleRowsByIntent).
	Refunded  int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// SaleRowFilter narrows EachSaleRow. Zero fields do not filter.
type SaleRowFilter struct {
	From, To      time.Time // created_at in [From, To)
	ConsoleID     string
	Seller        pos.Account
	States        []pos.SaleState // state IN States
	ExcludeStates []pos.SaleState // state NOT IN ExcludeStates
	MinAmount     int64           // amount ≥ MinAmount
	MaxAmount     int64           // amount ≤ MaxAmount; 0 = open
	Last4         string
	WithRefunded  bool // fill SaleRow.Refunded (one indexed sub-query per row)
	// ReachedStripe keeps only the sales that may have reached Stripe: with
	// a PaymentIntent, or still open (a create whose outcome is not known
	// yet). A cart canceled before any intent existed, or a charge Stripe
	// refused outright, is left out: nothing was ever charged or held.
	ReachedStripe bool
	// CanceledDeclined, when set, keeps a canceled sale only when whether
	// its last attempt was declined (SaleRow.Declined) is *CanceledDeclined:
	// true for the declines (with States declined and canceled), false for
	// the plain cancellations.
	CanceledDeclined *bool
	Limit            int // 0 = no limit
}

// refundedStates are the refund states whose amount left (or is leaving)
// the seller's balance: Stripe accepted them.
const refundedStates = `('succeeded','pending')`

const saleRowColumns = `id, console_id, operator, seller, currency, amount, tip, state, intent_id, charge_id,
	card_brand, card_last4, created_at, updated_at, declined, charge_type`

const saleRowRefunded = `, CASE WHEN intent_id = '' THEN 0 ELSE (SELECT COALESCE(SUM(r.amount), 0) FROM refunds r
	WHERE r.intent_id = sales.intent_id AND r.state IN ` + refundedStates + `) END`

func scanSaleRow(sc scanner, withRefunded bool) (SaleRow, error) {
	var r SaleRow
	var seller, state string
	var tip sql.NullInt64
	var created, updated, declined int64
	var charge string
	dest := []any{&r.ID, &r.ConsoleID, &r.Operator, &seller, &r.Currency, &r.Amount, &tip, &state,
		&r.IntentID, &r.ChargeID, &r.Card.Brand, &r.Card.Last4, &created, &updated, &declined, &charge}
	if withRefunded {
		dest = append(dest, &r.Refunded)
	}
	if err := sc.Scan(dest...); err != nil {
		return r, err
	}
	r.Seller, r.State, r.Declined, r.Charge = pos.Account(seller), pos.SaleState(state), declined != 0, pos.ChargeType(charge)
	if tip.Valid {
		n := tip.Int64
		r.Tip = &n
	}
	r.CreatedAt, r.UpdatedAt = fromMS(created), fromMS(updated)
	return r, nil
}

// EachSaleRow calls fn for every sale matching f, newest first (created_at,
// then id, descending). An error from fn stops the iteration and is
// returned as is.
func (j *Journal) EachSaleRow(ctx context.Context, f SaleRowFilter, fn func(SaleRow) error) error {
	byAmount := false
	if f.MaxAmount > 0 && f.Last4 == "" {
		var err error
		if byAmount, err = j.fewOfAmount(ctx, f.MinAmount, f.MaxAmount); err != nil {
			return fmt.Errorf("journal: sale rows: %w", err)
		}
	}
	q, args := saleRowsQuery(f, byAmount)
	return j.eachSaleRow(ctx, q, args, f.WithRefunded, fn)
}

// amountSeekMax is the most sales of an amount range (over all time) that
// EachSaleRow reads through sales_amount rather than reading the period.
const amountSeekMax = 2000

// fewOfAmount reports whether fewer than amountSeekMax sales, of any
// date, have an amount in [min, max]. The journal has no statistics for
// SQLite's planner (no ANALYZE), which cannot tell a narrow amount range
// (a few sales: seek them by amount, a 50-day search over 100k sales in
// under a millisecond) from a wide one (most sales: read the period by
// date, as it always does); this bounded count tells them apart.
func (j *Journal) fewOfAmount(ctx context.Context, min, max int64) (bool, error) {
	var n int
	err := j.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM sales INDEXED BY sales_amount
		WHERE amount >= ? AND amount <= ? LIMIT ?)`, min, max, amountSeekMax).Scan(&n)
	return n < amountSeekMax, err
}

// saleRowsQuery is EachSaleRow's query of f, through sales_amount when
// byAmount.
func saleRowsQuery(f SaleRowFilter, byAmount bool) (string, []any) {
	w := saleRowWhere(f)
	q := "SELECT " + saleRowColumns
	if f.WithRefunded {
		q += saleRowRefunded
	}
	q += " FROM sales"
	if byAmount {
		q += " INDEXED BY sales_amount"
	}
	q += w.String() + newestFirst
	args := w.args
	if f.Limit > 0 {
		q += " LIMIT ?"
		args = append(args, f.Limit)
	}
	return q, args
}

// saleRowWhere is the WHERE clause of f (Limit and WithRefunded aside).
//
// SQLite tests the conditions a row reaches in the order they are written:
// the most selective come first (a 50-day amount search over 100k sales
// takes half the time with the amount tested before the console and state).
// The states are written +state, which keeps SQLite from reading them
// through sales_state: the sales of a few states over all time, read from
// the table and sorted by date, take ten times longer than the period's
// newest first from sales_report (1,000 declines of 50 days: ~40 ms
// against ~4 ms).
func saleRowWhere(f SaleRowFilter) where {
	var w where
	w.equal("card_last4", f.Last4)
	w.addIf(f.MinAmount > 0, "amount >= ?", f.MinAmount)
	w.addIf(f.MaxAmount > 0, "amount <= ?", f.MaxAmount)
	w.createdIn(f.From, f.To)
	w.equal("seller", string(f.Seller))
	w.in("+state", stringArgs(f.States))
	w.notIn("+state", stringArgs(f.ExcludeStates))
	if f.CanceledDeclined != nil {
		w.add("(state <> ? OR declined = ?)", string(pos.SaleCanceled), boolInt(*f.CanceledDeclined))
	}
	w.equal("console_id", f.ConsoleID)
	w.addIf(f.ReachedStripe, "(intent_id <> '' OR state NOT IN (?, ?, ?))",
		string(pos.SaleDraft), string(pos.SaleCanceled), string(pos.SaleFailed))
	return w
}

// SaleRowsByIntent returns the sales (of consoleID, or of any console when
// it is empty) whose intent is one of ids, with Refunded filled; order is
// unspecified. Any number of ids may be passed.
func (j *Journal) SaleRowsByIntent(ctx context.Context, consoleID string, ids []string) ([]SaleRow, error) {
	const chunk = 500
	var out []SaleRow
	for start := 0; start < len(ids); start += chunk {
		part := ids[start:min(start+chunk, len(ids))]
		var w where
		w.in("intent_id", stringArgs(part))
		w.equal("console_id", consoleID)
		q := "SELECT " + saleRowColumns + saleRowRefunded + " FROM sales" + w.String()
		err := j.eachSaleRow(ctx, q, w.args, true, func(r SaleRow) error { out = append(out, r); return nil })
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (j *Journal) eachSaleRow(ctx context.Context, q string, args []any, withRefunded bool, fn func(SaleRow) error) error {
	scan := func(sc scanner) (SaleRow, error) { return scanSaleRow(sc, withRefunded) }
	return eachRow(ctx, j.db, "sale rows", q, args, scan, fn)
}

// RefundRow is a refund's reporting columns.
type RefundRow struct {
	ID        string // Kasse's refund id
	SaleID    string
	IntentID  string
	Seller    pos.Account
	ConsoleID string
	Operator  string
	Amount    int64
	Currency  string
	State     pos.RefundState
	RefundID  string // Stripe's re_… once known
	CreatedAt time.Time
	UpdatedAt time.Time
}

// RefundRowFilter narrows EachRefundRow. Zero fields do not filter.
type RefundRowFilter struct {
	From, To  time.Time // created_at in [From, To)
	ConsoleID string
	Seller    pos.Account
	IntentID  string
	IntentIDs []string // any of these (none: no filter)
}

// EachRefundRow calls fn for every refund matching f, newest first. An
// error from fn stops the iteration and is returned as is.
func (j *Journal) EachRefundRow(ctx context.Context, f RefundRowFilter, fn func(RefundRow) error) error {
	var w where
	w.createdIn(f.From, f.To)
	w.equal("console_id", f.ConsoleID)
	w.equal("seller", string(f.Seller))
	w.equal("intent_id", f.IntentID)
	w.in("intent_id", stringArgs(f.IntentIDs))
	q := `SELECT id, sale_id, intent_id, seller, console_id, operator, amount, currency, state, refund_id,
	created_at, updated_at FROM refunds` + w.String() + newestFirst
	return eachRow(ctx, j.db, "refund rows", q, w.args, scanRefundRow, fn)
}

func scanRefundRow(sc scanner) (RefundRow, error) {
	var r RefundRow
	var seller, state string
	var created, updated int64
	if err := sc.Scan(&r.ID, &r.SaleID, &r.IntentID, &seller, &r.ConsoleID, &r.Operator, &r.Amount,
		&r.Currency, &state, &r.RefundID, &created, &updated); err != nil {
		return r, err
	}
	r.Seller, r.State = pos.Account(seller), pos.RefundState(state)
	r.CreatedAt, r.UpdatedAt = fromMS(created), fromMS(updated)
	return r, nil
}
