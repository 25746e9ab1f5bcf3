// Package sale is the console's sale flow (Flow), from the seller list to
// the receipt, each screen pushed above the last on the root's stack.
//
//	flow.go        Flow: one session's flow; choosing seller, location and
//	               reader (asking before a cart is dropped or another
//	               seller's location used), the register kept across
//	               pickers, charge, receipt, back to the register
//	sellers.go     the seller list (the bottom of the stack): connected
//	               accounts, type-to-filter; sellers without active
//	               card_payments are listed but refused, with why; the start
//	               notice (what reconciliation settled, config warnings)
//	locations.go   the seller's locations: tagged with (or named after) the
//	               seller on the platform, and the seller's own
//	readers.go     the readers at the location (also to move a payment)
//	pickers.go     the pickers' load state and help
//	register.go    cart entry (registercart.go: operations, registerview.go:
//	               the view, registeremail.go: the receipt email,
//	               lineedit.go: a line edited in place, quickkeys.go)
//	payment.go     the live view of one sale, every result and timer fed to
//	               pos.Step (paymentview.go renders it; testcards.go is the
//	               test-card overlay, runner.go runs the effects)
//	receipt.go     the receipt of an approved sale, saved as plain text
//	quit.go        ctrl+c: during a payment cancel it then quit, keep it, or
//	               stay; on the way out the cart leaves the reader
//	offers.go      open sales found at start: resume or cancel, one by one
//	reconcilelog.go  what start-up reconciliation settled, every start
//	cmds.go        the flow's requests; msgs.go their answers
//
// The register holds a Draft pos.Sale. Cart changes are mirrored on the
// reader after a 400 ms debounce (a sequence number lets only the newest
// tick fire) by stepping the sale with pos.CartChanged. Enter steps
// ChargeRequested and hands the sale to the live view, which runs the
// machine's effects through Deps.Runner. The machine allows one request at
// a time, so each tick polls at most once; ticks follow pos.PollInterval
// and carry a generation so stale ones do nothing.
package sale
