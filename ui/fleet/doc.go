// Package fleet is the field technician's Readers area of the back
// office (f4, a technician's PIN).
//
//	fleet.go        every reader by location (platform and sellers),
//	                re-read every 5 s while on screen
//	detail.go       one reader's raw fields and health (readers.Health),
//	                re-read while on screen; display test, clear (after
//	                showing what it holds), diagnostics export, how to move it
//	readerforms.go  rename, metadata, deregister (type the label)
//	pair.go         register a reader at an existing location or a new one
//	                (address rules per country: readers.RequiredAddressFields)
//	testpayment.go  a test payment: seller, amount (smallest valid by
//	                default), test card and tip on test keys; pass or fail,
//	                hand-off to result time, the intent
package fleet
