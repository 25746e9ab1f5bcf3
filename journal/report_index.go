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
