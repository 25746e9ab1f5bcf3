package app

import (
	"context"

	"kasse/pos"
	"kasse/readers"
)

// Fleet is the field technician's reader management: the methods of
// *readers.Fleet the console uses. Health, address rules and how to move a
// reader are readers' pure functions (readers.Health,
// readers.RequiredAddressFields, readers.ValidateAddress,
// readers.MoveExplanation), called directly.
type Fleet interface {
	// Inventory lists every location of the platform and the sellers with
	// its readers. Groups and a non-nil error together mean some accounts
	// could not be read (the error names them).
	Inventory(ctx context.Context) ([]readers.LocationGroup, error)
	Register(ctx context.Context, owner pos.Account, code, label, locationID string) (pos.Reader, error)
	// CreateLocation creates a location on owner for seller (its metadata
	// ties it to the seller: pos.LocationSellerKey).
	CreateLocation(ctx context.Context, owner, seller pos.Account, name string, addr pos.Address) (pos.Location, error)
	Rename(ctx context.Context, owner pos.Account, id, label string) (pos.Reader, error)
	SetMetadata(ctx context.Context, owner pos.Account, id string, md map[string]string) (pos.Reader, error)
	// Deregister deletes the reader; confirm must be its label or id.
	Deregister(ctx context.Context, owner pos.Account, id, confirm string) (pos.Reader, error)
	DisplayTest(ctx context.Context, owner pos.Account, id, currency string) (readers.DisplayResult, error)
	Clear(ctx context.Context, owner pos.Account, id string) (readers.ClearReport, error)
	TestTransaction(ctx context.Context, p readers.TestParams) (readers.TestResult, error)
	// Diagnostics is the reader's redacted diagnostics bundle (JSON) with
	// the recent requests about it (Deps.RecentRequests), returned even
	// when the reader could not be read (with the error).
	Diagnostics(ctx context.Context, owner pos.Account, id string, recent []readers.RequestRecord) ([]byte, error)
}
