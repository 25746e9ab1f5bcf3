package ui

import (
	"context"
	"time"

	"kasse/pos"
)

// Fleet is the field technician's reader management (package readers).
// Register, CreateLocation, Rename, SetMetadata and Deregister have the
// signatures of *readers.Fleet's methods; ReaderGroup, ClearReport and
// DisplayResult have the fields of their readers counterparts, so they
// convert directly.
type Fleet interface {
	// Inventory lists every location of the platform and the sellers with
	// its readers. Groups and a non-nil error together mean some accounts
	// could not be read (the error names them).
	Inventory(ctx context.Context) ([]ReaderGroup, error)
	Register(ctx context.Context, owner pos.Account, code, label, locationID string) (pos.Reader, error)
	CreateLocation(ctx context.Context, owner pos.Account, name string, addr pos.Address) (pos.Location, error)
	// RequiredAddressFields names the address fields (line1, city, state,
	// postal_code) a location in country needs besides the country.
	RequiredAddressFields(country string) []string
	// ValidateAddress checks an address against its country's rules.
	ValidateAddress(a pos.Address) error
	Rename(ctx context.Context, owner pos.Account, id, label string) (pos.Reader, error)
	SetMetadata(ctx context.Context, owner pos.Account, id string, md map[string]string) (pos.Reader, error)
	// Deregister deletes the reader; confirm must be its label or id.
	Deregister(ctx context.Context, owner pos.Account, id, confirm string) (pos.Reader, error)
	DisplayTest(ctx context.Context, owner pos.Account, id, currency string) (DisplayResult, error)
	Clear(ctx context.Context, owner pos.Account, id string) (ClearReport, error)
	TestTransaction(ctx context.Context, p TestParams) (TestResult, error)
	// Diagnostics is the reader's redacted diagnostics bundle (JSON),
	// returned even when the reader could not be read (with the error).
	Diagnostics(ctx context.Context, owner pos.Account, id string) ([]byte, error)
	Health(r pos.Reader, now time.Time) ReaderHealth
	// MoveExplanation says why and how a reader is moved to another
	// location (deregister, then register again).
	MoveExplanation() string
}

// ReaderGroup is a location with its readers (readers.LocationGroup).
type ReaderGroup struct {
	Owner     pos.Account
	OwnerName string       // "platform" or the seller's display name
	Location  pos.Location // only ID and Owner when Missing
	Missing   bool         // readers point at a location that could not be read
	Readers   []pos.Reader
}

// ReaderHealth summarises a reader's health (readers.HealthReport).
type ReaderHealth struct {
	Level   string // ok | warn | fail
	Summary string
	Checks  []HealthCheck
}

// HealthCheck is one line of a health report.
type HealthCheck struct {
	Name, Level, Detail string
}

// DisplayResult is what a display test showed (readers.DisplayResult).
type DisplayResult struct {
	Cart   pos.DisplayCart
	Reader pos.Reader
}

// ClearReport tells what Clear found and did (readers.ClearReport).
type ClearReport struct {
	ReaderID string
	Held     *pos.ReaderAction
	Cleared  bool
	Reader   pos.Reader
	Note     string
}

// TestParams describe a test transaction (readers.TestParams).
type TestParams struct {
	Owner    pos.Account
	ReaderID string
	Seller   pos.Account
	Amount   int64  // 0 = the smallest charge in the seller's currency
	Card     string // test card number (simulated readers, test mode)
	Tip      int64
	Capture  bool
	Timeout  time.Duration
}

// TestResult reports a test transaction (readers.TestResult, in part).
type TestResult struct {
	Passed         bool
	Outcome        string // approved | declined | failed | timeout | interrupted
	Summary        string
	IntentID       string
	IntentStatus   string
	Amount, Tip    int64
	Currency       string
	CardLast4      string
	Simulated      bool
	HandOff        time.Time
	Elapsed        time.Duration // hand-off to the reader's result
	FailureCode    string
	FailureMessage string
	DeclineCode    string
	Canceled       bool
	CancelError    string
	Notes          []string
}
