package journal

// migrationReportIndex is migration 3: the covering index of package
// reports' sale reads (EachSaleRow: the transaction search and the end of
// day). It holds every column they read, led by created_at and id, so a
// date-range scan in either direction (ORDER BY created_at DESC, id DESC)
// never touches the table rows, which are wide (the JSON snapshot): over
// 100k sales a 50-day last4 or amount search drops from ~200 ms to ~40 ms.
const migrationReportIndex = `
CREATE INDEX sales_report ON sales (created_at, id, console_id, seller, state, amount, card_last4,
	currency, tip, intent_id, charge_id, card_brand, operator, updated_at);
`

// migrationDeclined is migration 4: sales.declined is 1 when the sale's
// last attempt was declined (pos.Sale.Decline), so that a sale declined
// and then given up (canceled) is reported as the decline it was, not as a
// cancellation. Existing rows take it from their snapshot; the covering
// index is rebuilt with the column.
const migrationDeclined = `
ALTER TABLE sales ADD COLUMN declined INTEGER NOT NULL DEFAULT 0;
UPDATE sales SET declined = 1 WHERE json_type(snapshot, '$.Decline') = 'object';
DROP INDEX sales_report;
CREATE INDEX sales_report ON sales (created_at, id, console_id, seller, state, amount, card_last4,
	currency, tip, intent_id, charge_id, card_brand, operator, updated_at, declined);
`

// migrationChargeType is migration 7: sales.charge_type is the sale's
// Connect charge type (pos.ChargeType: direct, destination, separate; ""
// for sales of older journals, which were direct), so that a transaction
// row knows where its payment lives (the seller, or the platform). Existing
// rows take it from their snapshot; the covering index is rebuilt with the
// column.
const migrationChargeType = `
ALTER TABLE sales ADD COLUMN charge_type TEXT NOT NULL DEFAULT '';
UPDATE sales SET charge_type = COALESCE(json_extract(snapshot, '$.Charge'), '');
DROP INDEX sales_report;
CREATE INDEX sales_report ON sales (created_at, id, console_id, seller, state, amount, card_last4,
	currency, tip, intent_id, charge_id, card_brand, operator, updated_at, declined, charge_type);
`

// migrationReportSeeks is migration 5: four indexes that let package
// reports seek instead of reading a period's every sale.
//
// sales_report_totals is the index of SaleTotals (the end of day's sums).
// It holds only the sales a report counts (partial: no drafts, nothing that
// never reached Stripe), in the order of the report's groups — console,
// seller, currency, state, declined, card brand — then created_at, with
// amount and tip. SaleTotals finds the groups with one seek per distinct
// value and sums each group's period with one range read: no sort, no
// table row read. Over 100k sales an end of day drops from ~0.5 s (every
// row read and summed in Go; a SQL GROUP BY over sales_report sorts, and
// takes ~0.2 s) to ~30 ms. Its WHERE clause is SaleTotals' reportedSales
// term for term: SQLite uses a partial index only for queries that repeat
// its terms.
//
// refunds_report_totals is the same for RefundTotals (the end of day's
// refunds): a period's refunds summed per console, seller, currency and
// state.
//
// sales_last4 serves the card search (EachSaleRow with Last4): the sales
// of one card number in a date range, newest first, in one seek (a 50-day
// search over 100k sales: ~20 ms → well under 1 ms). sales_amount serves
// a narrow amount range the same way (EachSaleRow, fewOfAmount).
const migrationReportSeeks = `
CREATE INDEX sales_report_totals ON sales (console_id, seller, currency, state, declined, card_brand, created_at, amount, tip)
	WHERE state <> 'draft' AND (intent_id <> '' OR state NOT IN ('canceled', 'failed'));
CREATE INDEX refunds_report_totals ON refunds (console_id, seller, currency, state, created_at, amount);
CREATE INDEX sales_last4 ON sales (card_last4, created_at, id);
CREATE INDEX sales_amount ON sales (amount, created_at);
`
