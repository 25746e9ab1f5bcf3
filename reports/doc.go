// Package reports is the Transactions screen's search, its detail view and
// the end-of-day report, for the console and for `kasse report`. It uses
// only the pos ports and the journal: no UI, no stripe-go.
//
// # Sources
//
// Sales made at this console come from the journal (Searcher.ConsoleID);
// everything else from Stripe, PaymentIntents listed per seller with a
// created range, concurrently (Searcher.Concurrency at a time). The two are
// merged by intent id: the journal row wins, and Stripe's status refreshes
// it unless the journal's state is final and Stripe's is not (a listing may
// be older than the journal's last save). Stripe rows carry the other
// console's sale id when the intent has metadata kasse_sale_id.
//
// # What Stripe rows lack
//
// The adapter's ListIntents expands data.latest_charge, so a listed intent
// normally carries its card and refunded amount. A row that still lacks
// them (another adapter, a charge Stripe did not expand) is filtered by
// last4 or refund state only after reading its charge with GetIntent, for
// at most Searcher.MaxCardLookups rows (newest first); the rest are left
// out and counted in Result.Unchecked. EndOfDay does the same for the card
// brand, and lists the refunds only of sales that have any.
//
// # Refunds: source of truth
//
// A report's refunds are those created in its period, whatever sale they
// refund and wherever they were made. The journal is the source of truth
// for every refund this console recorded (succeeded and pending count;
// recorded, sent and unknown ones are shown apart as unsettled; failed ones
// do not count), on its journal date. Stripe's refunds created in the
// period, listed once per seller (ListRefundsCreated), add the rest: the
// Dashboard, other consoles, sales of earlier days. A Stripe refund the
// journal holds (by re_ id or metadata kasse_refund_id, on any date) is
// left to the journal, so no refund counts twice, not even across days.
//
// # Figures
//
// Gross is the sum of approved sales (tips included; for Stripe rows the
// amount received, so a partial capture counts what was captured); net is
// gross minus refunds. Every figure is per seller and per currency;
// currencies are never summed together. Declined, canceled, failed,
// authorized-not-captured and open transactions are counted, not summed.
//
// # Cost
//
// An end of day does not read the journal's sales one by one: the journal
// sums them per seller, currency, state and card brand
// (journal.SaleTotals, a few dozen rows whatever the period holds), and
// only the sales Stripe's listing refreshes or whose card is to be read
// come back as rows. Over 100k sales it takes tens of milliseconds and
// about 100 KB (BenchmarkEndOfDayJournal100k).
package reports
