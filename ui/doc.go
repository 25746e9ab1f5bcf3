// Package ui is Kasse's terminal console (Bubble Tea v1). It depends on
// pos (types, ports, sale machine), checkout and the application packages
// readers, reports and supervisor (their types, pure functions and small
// interfaces over their services, declared here) — never on stripe-go,
// stripeapi, the sandbox, the journal or config. The composition root
// fills a Deps and calls Run (or New for tests and custom programs).
//
// # Screens
//
// The root Model (root.go, navigation in nav.go) routes to one model per
// screen; each implements the unexported screen interface (update, view,
// title, short and full help, loading, capturesText):
//
//	sellers.go    seller picker: connected accounts, type-to-filter; sellers
//	              without active card_payments are listed but refused, with why
//	locations.go  the seller's locations: platform locations named after (or
//	              tagged with metadata "seller" = acct id) the seller, plus the
//	              seller's own; the last choice per seller is preselected
//	readers.go    readers at the location: label, device type, online, busy;
//	              the last choice per location is preselected
//	register.go   cart entry (registercart.go: operations, registerview.go);
//	              lineedit.go edits a line in place
//	payment.go    the live view of one sale (paymentview.go renders it)
//	testcards.go  the test-card overlay of the live view (sandbox/test only)
//	receipt.go    the receipt of an approved sale, saved as plain text
//	              through Deps.Receipts (the path is shown)
//	registeremail.go  `@` on the register: the customer's receipt email,
//	              sent as the PaymentIntent's receipt_email
//
// The seller list names the sales this start's reconciliation settled
// (Deps.Reconciled, Deps.Unsettled) until esc dismisses the notice;
// ctrl+l opens the reconcile log of every start (reconcilelog.go).
//
//	dialog.go     a question the root asks above the screens
//	quit.go       ctrl+c: during a payment, cancel it then quit, keep it, or
//	              stay; on the way out the cart leaves the reader
//	offer.go      open sales found at start (Deps.Offers): resume or cancel
//
// # Back office
//
// Transactions (f2), End of day (f3) and Readers (f4), or the menu (f9,
// menu.go), open from the seller list on a stack of screens above it
// (areas.go); esc pops, and leaving the last one forgets the approval.
// Every area first asks for a PIN (pin.go): masked, digits only, checked
// by Deps.Guard (the area is the supervisor.Action authorized) in a
// command and cleared from the form at once; a refusal is a
// *supervisor.Refusal, shown as it says. Refunds, voids and captures ask
// for the PIN again, inside their request.
//
//	transactions.go  search (today by default) with a filter bar: date and
//	                 time range, seller, status, amount range, card last 4;
//	                 sellers whose listing failed are named
//	txdetail.go      one payment: charge, every refund, still refundable
//	refund.go        refund (full or partial, reason, why, PIN), capture or
//	                 void; amounts checked with pos.ParseAmount and
//	                 pos.ValidateRefund before any request
//	eod.go           end of day: today, a date or a shift; per seller and
//	                 currency sales, gross, refunds, tips, net, card brands;
//	                 CSV and printable exports (reports.WriteCSV, WriteText)
//	                 through Deps.Exports
//	fleet.go         every reader by location (platform and sellers),
//	                 re-read every 5 s while on screen
//	fleetdetail.go   one reader's raw fields and health (readers.Health),
//	                 re-read while on screen; display test, clear (after
//	                 showing what it holds), diagnostics export with
//	                 Deps.RecentRequests, how to move it
//	readerops.go     rename, metadata, deregister (type the label)
//	pair.go          register a reader at an existing location or a new one
//	                 (address rules per country: readers.RequiredAddressFields,
//	                 readers.ValidateAddress)
//	testtxn.go       a test payment: seller, amount (smallest valid by
//	                 default), test card and tip on test keys; pass/fail,
//	                 hand-off to result time, the intent
//
// The services are small interfaces in the application packages' own types
// (services.go, services_fleet.go: Guard, Supervisor, Reports, Fleet),
// satisfied directly by *supervisor.Guard, *supervisor.Service,
// *reports.Searcher and *readers.Fleet and faked in the tests; form.go is
// the one small form widget (text, digits, PIN and choice fields) every
// form uses.
//
// Chrome: header.go (seller · location · reader, or the back-office area
// and who opened it; operator, role and the mode, always),
// one KeyMap (keys.go, bubbles/key + bubbles/help: every screen has a short
// help line, `?` shows all keys, esc goes back) and one Styles built from a
// named Palette (styles.go).
//
// # I/O
//
// Nothing in Update blocks. Every request runs in a tea.Cmd that captures
// copies of what it needs and is bounded by Deps.Timeout (cmds.go,
// runner.go, testcards.go). Pickers show a spinner while loading and keep
// the last good list when a reload fails.
//
// # Sales
//
// The register holds a Draft pos.Sale. Cart changes are mirrored on the
// reader after a 400 ms debounce (a sequence number lets only the newest
// tick fire) by stepping the sale with pos.CartChanged, which yields the
// machine's own SetDisplay effect. Enter steps ChargeRequested and hands the
// sale to the live view, which feeds every result and timer into pos.Step
// and runs the returned effects through Deps.Runner (a SaleRunner: the
// shared executor *checkout.Runner, which writes the journal first).
// The machine allows one request at a time, so each Tick polls at most
// once; ticks follow pos.PollInterval (fast while a payment runs, slow in
// decision states) and carry a generation so stale ones do nothing.
//
// # Tests
//
// ui/*_test.go drive the root model synchronously (harness_test.go): key
// messages in, commands executed against in-memory fakes of the ports
// (fakes_test.go), timers held until a test fires them. Views are compared
// with testdata/*.golden at 100×30 with a fixed clock and the ASCII colour
// profile; `go test ./ui -update` rewrites them.
package ui
