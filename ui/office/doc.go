// Package office is the console's back office, opened above the seller
// list (the root's f2, f3, f9; Readers is package fleet). Every area first
// asks for a PIN; refunds, voids and captures ask again, inside their
// request. Leaving the last back-office screen forgets the approval.
//
//	menu.go          the areas (f9), whose PIN each needs, who is signed in
//	pin.go           the PIN prompt: masked, digits only, checked by
//	                 Deps.Guard in a command and cleared from the form at
//	                 once; accepted, the area's first screen takes its place
//	transactions.go  search (today by default) with a filter bar: date and
//	                 time range, seller, status, refunds, amount range,
//	                 card last 4; sellers whose listing failed are named
//	txdetail.go      one payment: charge, every refund, still refundable
//	money.go         refund (full or partial, reason, why, PIN), capture or
//	                 void; amounts read with Locale.ParseAmount and checked with
//	                 pos.ValidateRefund before any request
//	eod.go           end of day: today, a date or a shift; per seller and
//	                 currency; CSV and printable exports through Deps.Exports
//	period.go        days, clock times and seller choices of the filters
package office
