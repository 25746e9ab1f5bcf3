package journal

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"kasse/pos"
)

// Reporting totals (package reports' end of day): the sales and refunds of
// a period summed by SQLite per seller, currency, state (and, for sales,
// decline and card brand), so that a period of 100k sales reaches Go as a
// few dozen rows.

// SaleTotal is the sum of the sales of one group of SaleTotals.
type SaleTotal struct {
	Seller   pos.Account
	Currency string // as stored
	State    pos.SaleState
	Declined bool   // SaleRow.Declined
	Brand    string // the card brand as stored: "" when no card was read
	Count    int
	Amount   int64 // sum of the amounts (tips included)
	Tips     int64 // sum of the tips; a sale without a tip adds 0
}

// SaleTotalsFilter selects the sales SaleTotals reads: those a report
// counts, that is every sale but drafts that may have reached Stripe
// (SaleRowFilter.ReachedStripe), created in [From, To), of ConsoleID and
// Seller when they are set.
type SaleTotalsFilter struct {
	From, To  time.Time // a zero bound is open
	ConsoleID string
	Seller    pos.Account
	// The sales to set apart: returned one by one as rows, left out of
	// the totals. ApartIntents: those whose intent is one of these;
	// ApartUncarded: approved sales with a charge but no card brand.
	ApartIntents  []string
	ApartUncarded bool
}

// rows is the SaleRowFilter of the same sales.
func (f SaleTotalsFilter) rows() SaleRowFilter {
	return SaleRowFilter{From: f.From, To: f.To, ConsoleID: f.ConsoleID, Seller: f.Seller,
		ExcludeStates: []pos.SaleState{pos.SaleDraft}, ReachedStripe: true}
}

// reportedSales is the condition of the sales a report counts (drafts and
// sales that never reached Stripe left out), written as the WHERE clause
// of the partial index sales_report_totals (migration 5) term for term, so
// that SQLite may use it.
const reportedSales = `state <> 'draft' AND (intent_id <> '' OR state NOT IN ('canceled', 'failed'))`

// totalsGroup are the columns of a SaleTotals group, a prefix of
// sales_report_totals.
var totalsGroup = []string{"console_id", "seller", "currency", "state", "declined", "card_brand"}

// SaleTotals sums the sales f selects per seller, currency, state, decline
// and card brand, over every console f selects (groups without a sale are
// left out; order unspecified), and returns the sales f sets apart, newest
// first, which are not in the sums: the caller merges them with what
// Stripe says before counting them. Both are read in one snapshot of the
// journal.
//
// The groups are found with a loose index scan of sales_report_totals (one
// seek per distinct value of each group column), then each group's sales
// of the period are summed with one range read of the same index: the cost
// is the period's sales, never a sort (SQLite sorts every row for a GROUP
// BY whose order no index gives, which over 100k sales takes ten times
// longer than the sums).
func (j *Journal) SaleTotals(ctx context.Context, f SaleTotalsFilter) ([]SaleTotal, []SaleRow, error) {
	tx, err := j.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true}) // BEGIN DEFERRED: one snapshot, no lock
	if err != nil {
		return nil, nil, fmt.Errorf("journal: sale totals: %w", err)
	}
	defer tx.Rollback()
	totals, err := saleTotals(ctx, tx, f)
	if err != nil {
		return nil, nil, err
	}
	apart, err := apartRows(ctx, tx, f)
	if err != nil {
		return nil, nil, err
	}
	return subtract(totals, apart), apart, nil
}

// saleTotals sums every sale f selects, those set apart included.
func saleTotals(ctx context.Context, tx *sql.Tx, f SaleTotalsFilter) ([]SaleTotal, error) {
	q, args := saleTotalsQuery(f)
	scan := func(sc scanner) (SaleTotal, error) {
		var t SaleTotal
		var seller, state, sumsJSON string
		var declined int64
		if err := sc.Scan(&seller, &t.Currency, &state, &declined, &t.Brand, &sumsJSON); err != nil {
			return t, err
		}
		var n [3]int64
		if err := json.Unmarshal([]byte(sumsJSON), &n); err != nil {
			return t, err
		}
		t.Seller, t.State, t.Declined = pos.Account(seller), pos.SaleState(state), declined != 0
		t.Count, t.Amount, t.Tips = int(n[0]), n[1], n[2]
		return t, nil
	}
	var out []SaleTotal
	idx := map[totalKey]int{} // the same group of several consoles
	err := eachRow(ctx, tx, "sale totals", q, args, scan, func(t SaleTotal) error {
		if t.Count == 0 {
			return nil
		}
		if i, ok := idx[t.key()]; ok {
			out[i].Count += t.Count
			out[i].Amount += t.Amount
			out[i].Tips += t.Tips
			return nil
		}
		idx[t.key()] = len(out)
		out = append(out, t)
		return nil
	})
	return out, err
}

// totalKey identifies a group of SaleTotals.
type totalKey struct {
	seller          pos.Account
	currency, brand string
	state           pos.SaleState
	declined        bool
}

func (t SaleTotal) key() totalKey {
	return totalKey{t.Seller, t.Currency, t.Brand, t.State, t.Declined}
}

// saleTotalsQuery is the query of saleTotals and its (named) arguments:
// one row per group of the console (all time), its sales of the period
// summed as a JSON array [count, amount, tips].
func saleTotalsQuery(f SaleTotalsFilter) (string, []any) {
	return groupSums("sales", totalsGroup, []string{reportedSales}, "COUNT(*), COALESCE(SUM(amount), 0), COALESCE(SUM(tip), 0)",
		f.From, f.To, f.ConsoleID, f.Seller)
}

// groupSums is a query of table's rows matching conds, of consoleID and
// seller when set, created in [from, to) (a zero bound is open), summed
// per distinct value of group: one row per group found in the console's
// rows of all time, with its values and, last, the JSON array of sums (an
// aggregate list) over the rows of the period. group must lead an index
// that conds let SQLite use, created_at next (see looseScan), and start
// with console_id and seller.
func groupSums(table string, group, conds []string, sums string, from, to time.Time, consoleID string, seller pos.Account) (string, []any) {
	conds = slices.Clone(conds)
	var args []any
	if consoleID != "" {
		conds = append(conds, "console_id = :console")
		args = append(args, sql.Named("console", consoleID))
	}
	if seller != "" {
		conds = append(conds, "seller = :seller")
		args = append(args, sql.Named("seller", string(seller)))
	}
	in := slices.Clone(conds)
	for _, c := range group {
		in = append(in, c+" = k."+c)
	}
	if !from.IsZero() {
		in = append(in, "created_at >= :from")
		args = append(args, sql.Named("from", ms(from)))
	}
	if !to.IsZero() {
		in = append(in, "created_at < :to")
		args = append(args, sql.Named("to", ms(to)))
	}
	cols := make([]string, len(group)-1) // console_id aside
	for i, c := range group[1:] {
		cols[i] = "k." + c
	}
	q := looseScan(table, "k", group, conds) + `
SELECT ` + strings.Join(cols, ", ") + `, (SELECT json_array(` + sums + `) FROM ` + table + ` WHERE ` + strings.Join(in, " AND ") + `)
FROM k WHERE k.` + group[len(group)-1] + ` IS NOT NULL`
	return q, args
}

// RefundTotal is the sum of the refunds of one group of RefundTotals.
type RefundTotal struct {
	Seller   pos.Account
	Currency string // as stored
	State    pos.RefundState
	Count    int
	Amount   int64
}

// RefundTotalsFilter selects the refunds RefundTotals sums: created in
// [From, To), of ConsoleID and Seller when they are set.
type RefundTotalsFilter struct {
	From, To  time.Time // a zero bound is open
	ConsoleID string
	Seller    pos.Account
}

// refundsGroup are the columns of a RefundTotals group, a prefix of
// refunds_report_totals.
var refundsGroup = []string{"console_id", "seller", "currency", "state"}

// RefundTotals sums the refunds f selects per seller, currency and state,
// over every console f selects (groups without a refund are left out;
// order unspecified), as SaleTotals sums sales.
func (j *Journal) RefundTotals(ctx context.Context, f RefundTotalsFilter) ([]RefundTotal, error) {
	q, args := refundTotalsQuery(f)
	scan := func(sc scanner) (RefundTotal, error) {
		var t RefundTotal
		var seller, state, sumsJSON string
		if err := sc.Scan(&seller, &t.Currency, &state, &sumsJSON); err != nil {
			return t, err
		}
		var n [2]int64
		if err := json.Unmarshal([]byte(sumsJSON), &n); err != nil {
			return t, err
		}
		t.Seller, t.State, t.Count, t.Amount = pos.Account(seller), pos.RefundState(state), int(n[0]), n[1]
		return t, nil
	}
	var out []RefundTotal
	idx := map[RefundTotal]int{} // the same group of several consoles, by its key
	err := eachRow(ctx, j.db, "refund totals", q, args, scan, func(t RefundTotal) error {
		if t.Count == 0 {
			return nil
		}
		k := RefundTotal{Seller: t.Seller, Currency: t.Currency, State: t.State}
		if i, ok := idx[k]; ok {
			out[i].Count += t.Count
			out[i].Amount += t.Amount
			return nil
		}
		idx[k] = len(out)
		out = append(out, t)
		return nil
	})
	return out, err
}

func refundTotalsQuery(f RefundTotalsFilter) (string, []any) {
	return groupSums("refunds", refundsGroup, nil, "COUNT(*), COALESCE(SUM(amount), 0)", f.From, f.To, f.ConsoleID, f.Seller)
}

// apartRows are the sales f selects and sets apart, newest first.
func apartRows(ctx context.Context, tx *sql.Tx, f SaleTotalsFilter) ([]SaleRow, error) {
	var pick []string
	var pickArgs []any
	if len(f.ApartIntents) > 0 {
		ids, _ := json.Marshal(f.ApartIntents) // strings: cannot fail
		pick = append(pick, "intent_id IN (SELECT value FROM json_each(?))")
		pickArgs = append(pickArgs, string(ids))
	}
	if f.ApartUncarded {
		pick = append(pick, "(state = ? AND intent_id <> '' AND charge_id <> '' AND card_brand = '')")
		pickArgs = append(pickArgs, string(pos.SaleApproved))
	}
	if len(pick) == 0 {
		return nil, nil
	}
	w := saleRowWhere(f.rows())
	w.add("("+strings.Join(pick, " OR ")+")", pickArgs...)
	q := "SELECT " + saleRowColumns + " FROM sales" + w.String() + newestFirst
	scan := func(sc scanner) (SaleRow, error) { return scanSaleRow(sc, false) }
	return allRows(ctx, tx, "sale rows", q, w.args, scan)
}

// subtract takes rows (sales counted in totals) out of totals; the groups
// left empty are dropped.
func subtract(totals []SaleTotal, rows []SaleRow) []SaleTotal {
	idx := make(map[totalKey]int, len(totals))
	for i, t := range totals {
		idx[t.key()] = i
	}
	for _, r := range rows {
		i, ok := idx[totalKey{r.Seller, r.Currency, r.Card.Brand, r.State, r.Declined}]
		if !ok {
			continue // cannot happen: both are read in one snapshot
		}
		t := &totals[i]
		t.Count--
		t.Amount -= r.Amount
		if r.Tip != nil {
			t.Tips -= *r.Tip
		}
	}
	out := totals[:0]
	for _, t := range totals {
		if t.Count > 0 {
			out = append(out, t)
		}
	}
	return out
}

// looseScan is a WITH RECURSIVE clause whose table name holds the distinct
// values of cols among the rows of table that match every condition of
// conds. cols must be a prefix of the columns of an index of table that
// conds let SQLite use, and never NULL.
//
// It is a loose index scan: at each level of cols it seeks the smallest
// value above the last one found (SELECT MIN(col) … AND col > last: one
// index seek), so its cost is the number of distinct values, not of rows.
// Each level's table (name1, name2, …, name) ends every run with a row
// whose last column is NULL, which the next level, and the caller, skip.
func looseScan(table, name string, cols []string, conds []string) string {
	level := func(i int) string { // the table of cols[:i]
		if i == len(cols) {
			return name
		}
		return fmt.Sprintf("%s%d", name, i)
	}
	// lowest is the subquery of the smallest cols[i] among the rows whose
	// cols[:i] are those of t, above t's cols[i] when above.
	lowest := func(i int, t string, above bool) string {
		w := slices.Clone(conds)
		for _, c := range cols[:i] {
			w = append(w, c+" = "+t+"."+c)
		}
		if above {
			w = append(w, cols[i]+" > "+t+"."+cols[i])
		}
		sub := "(SELECT MIN(" + cols[i] + ") FROM " + table
		if len(w) > 0 {
			sub += " WHERE " + strings.Join(w, " AND ")
		}
		return sub + ")"
	}
	// from selects t's cols[:i] and then sub, from t's rows whose last
	// column is not NULL.
	from := func(i int, t, sub string, last string) string {
		var b strings.Builder
		b.WriteString("SELECT ")
		for _, c := range cols[:i] {
			b.WriteString(t + "." + c + ", ")
		}
		b.WriteString(sub + " FROM " + t + " WHERE " + t + "." + last + " IS NOT NULL")
		return b.String()
	}
	ctes := make([]string, len(cols))
	for i, c := range cols {
		cur, prev := level(i+1), level(i)
		first := "SELECT " + lowest(0, "", false)
		if i > 0 {
			first = from(i, prev, lowest(i, prev, false), cols[i-1])
		}
		next := from(i, cur, lowest(i, cur, true), c)
		ctes[i] = cur + "(" + strings.Join(cols[:i+1], ", ") + ") AS (\n\t" + first + "\n\tUNION ALL\n\t" + next + ")"
	}
	return "WITH RECURSIVE " + strings.Join(ctes, ",\n")
}
