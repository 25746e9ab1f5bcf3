// Package widgets holds the pieces the console's screens build with.
//
//	form.go      Form and Field: labelled one-line text, digit, PIN and
//	             choice fields (every form of the back office, the receipt
//	             email)
//	picklist.go  PickList: the list behind every picker, with
//	             type-to-filter, a cursor and scrolling; RowStyle
//	request.go   Request: a screen's request to a port (busy, the newest
//	             number, the last error); ReloadNote
//	layout.go    Spread, Cell, CellRight, Fit, Center, Wrap
//	wrap.go      WrapText and the error lines: read whole, never cut off
//	names.go     display names (seller, location, reader, account),
//	             ErrText, SellerBlock
//	words.go     pos's refusals, notices and declines and the Guard's
//	             refusals in the session's words; Percent, EntryParts
//	demo.go      the sandbox's demo operators on screen
package widgets
