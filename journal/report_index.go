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
