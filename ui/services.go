package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"kasse/pos"
)

// The back office's services, declared here in the console's own terms so
// that ui depends on pos only. The composition root adapts package
// supervisor (Guard, Supervisor), reports (Reports) and readers (Fleet,
// services_fleet.go) to them. Every method is called from a tea.Cmd.

// Saver stores a file the console produced (a receipt, an export, a
// diagnostics bundle) and returns where it went. name is a bare file name
// ("<sale id>.txt"); the implementation picks the folder.
type Saver interface {
	Save(name string, data []byte) (path string, err error)
}

// Roles of the signed-in operator (Deps.Role).
const (
	RoleCashier    = "cashier"
	RoleSupervisor = "supervisor"
	RoleTech       = "tech"
)

// Areas of the back office, each opened with a PIN. The values are the
// actions supervisor.Guard authorizes (AreaEndOfDay is its "reports").
const (
	AreaTransactions = "transactions"
	AreaEndOfDay     = "reports"
	AreaReaders      = "readers"
)

// areaRole is the role an area is meant for (the Guard decides).
func areaRole(area string) string {
	if area == AreaReaders {
		return RoleTech
	}
	return RoleSupervisor
}

// Guard checks an operator's PIN before the console opens an area
// (supervisor.Guard.Authorize with the area as the action). A nil error
// opens it. A refused PIN should come back as *PINError; any other error
// is shown as a failure of the check.
type Guard interface {
	Check(ctx context.Context, operator, pin, area string) error
}

// PIN refusal kinds (supervisor.RefusalKind).
const (
	PINUnknownOperator = "unknown_operator"
	PINRoleRefused     = "role"
	PINNotSet          = "no_pin"
	PINWrong           = "wrong_pin"
	PINLocked          = "locked"
)

// PINError is a refused PIN or operator (supervisor.Refusal). It never
// carries the PIN.
type PINError struct {
	Kind        string // PIN… constants
	Operator    string
	Role        string   // PINRoleRefused: the operator's role
	Need        []string // PINRoleRefused: the roles that may
	TriesLeft   int      // PINWrong
	LockedUntil time.Time
	Msg         string // specific and safe to show
}

func (e *PINError) Error() string {
	if e.Msg != "" {
		return e.Msg
	}
	switch e.Kind {
	case PINWrong:
		return fmt.Sprintf("wrong PIN, %d tries left", e.TriesLeft)
	case PINLocked:
		return fmt.Sprintf("%s is locked out until %s", e.Operator, e.LockedUntil.Format("15:04"))
	case PINRoleRefused:
		return fmt.Sprintf("%s is a %s; this needs a %s", e.Operator, e.Role, strings.Join(e.Need, " or "))
	case PINNotSet:
		return e.Operator + " has no PIN yet"
	case PINUnknownOperator:
		return fmt.Sprintf("there is no operator named %q", e.Operator)
	}
	return "PIN refused"
}

// Supervisor moves money back (supervisor.Service): refunds, voids and
// captures, each authorized with the operator's PIN and audited. Each
// blocks until the outcome is known or ctx ends.
type Supervisor interface {
	Refund(ctx context.Context, r RefundRequest) (RefundResult, error)
	// Void cancels an authorized, uncaptured payment.
	Void(ctx context.Context, r AuthorizationRequest) (AuthorizationResult, error)
	// Capture captures an authorized payment (Amount 0: all of it).
	Capture(ctx context.Context, r AuthorizationRequest) (AuthorizationResult, error)
}

// RefundRequest asks for a refund (supervisor.RefundRequest).
type RefundRequest struct {
	Seller   pos.Account
	IntentID string
	Amount   int64 // minor units; 0 = everything still refundable
	Reason   pos.RefundReason
	Operator string
	PIN      string
	Why      string // optional, for the audit log
}

// RefundResult is a refund's outcome (supervisor.RefundResult, in part).
type RefundResult struct {
	ID        string // Kasse's refund id
	RefundID  string // Stripe's re_…
	State     string // pos.RefundState
	Status    string // Stripe's status: succeeded, pending, …
	Amount    int64
	Currency  string
	Remaining int64 // still refundable afterwards
	Notice    string
	Warning   string
}

// AuthorizationRequest voids or captures a payment
// (supervisor.AuthorizationRequest).
type AuthorizationRequest struct {
	Seller   pos.Account
	IntentID string
	Reason   string // Void: requested_by_customer, duplicate, fraudulent or abandoned
	Amount   int64  // Capture: 0 = all that is authorized
	Operator string
	PIN      string
	Why      string
}

// AuthorizationResult is the payment after a void or capture
// (supervisor.AuthorizationResult; same fields, it converts).
type AuthorizationResult struct {
	Intent   pos.Intent
	Amount   int64
	Currency string
	SaleID   string
}

// Transaction statuses (reports.Status).
const (
	TxApproved   = "approved"
	TxAuthorized = "authorized" // not captured
	TxDeclined   = "declined"
	TxCanceled   = "canceled"
	TxFailed     = "failed"
	TxOpen       = "open" // in progress or waiting for a decision
)

// txStatuses are the status filter's choices ("" = any).
var txStatuses = []string{"", TxApproved, TxAuthorized, TxDeclined, TxCanceled, TxFailed, TxOpen}

// Reports answers the back office's questions about past sales
// (reports.Searcher).
type Reports interface {
	// Search lists transactions matching q, newest first. Sellers whose
	// listing failed are in TxResults.Partial; err is for a query that
	// could not run at all.
	Search(ctx context.Context, q TxQuery) (TxResults, error)
	// Detail reads one PaymentIntent with its charge and refunds.
	Detail(ctx context.Context, seller pos.Account, intentID string) (TxDetail, error)
	// EndOfDay totals a period per seller, with the exports rendered.
	EndOfDay(ctx context.Context, q EODQuery) (EODReport, error)
}

// TxQuery narrows Search (reports.Query). Zero fields do not filter.
type TxQuery struct {
	From, To             time.Time // created in [From, To)
	Seller               pos.Account
	Status               string // Tx… constants
	MinAmount, MaxAmount int64  // minor units, tip included; 0 = open
	Last4                string
	Refund               string // TxRefunded… constants; "" = any
}

// Refund filters (reports.RefundFilter).
const (
	TxRefundedNone   = "none"
	TxRefundedPartly = "partial"
	TxRefundedFully  = "full"
)

// txRefundFilters are the refund filter's choices ("" = any).
var txRefundFilters = []string{"", TxRefundedNone, TxRefundedPartly, TxRefundedFully}

// TxRow is one transaction (reports.Row, in part).
type TxRow struct {
	SaleID        string
	Operator      string
	Seller        pos.Account
	SellerName    string
	IntentID      string
	Status        string // Tx… constants
	Amount        int64  // tip included
	Currency      string
	Tip           int64
	Card          pos.Card
	Created       time.Time
	Refunded      int64
	RefundedKnown bool // false: Stripe's listing did not say
}

// TxResults is a search's answer (reports.Result, in part).
type TxResults struct {
	Rows []TxRow
	// Partial: one error per seller whose listing failed (their rows are
	// missing or incomplete); each names the seller.
	Partial   []error
	Truncated bool // more rows may match
	// Unchecked counts rows left out of a card or refund search because
	// their charge could not be read.
	Unchecked int
}

// TxDetail is one PaymentIntent (reports.Detail, in part).
type TxDetail struct {
	Intent        pos.Intent
	Charge        *pos.Charge  // nil: no charge
	Refunds       []pos.Refund // oldest first
	Refundable    int64
	NotRefundable string // why nothing can be refunded
	SaleID        string // this console's sale, if any
}

// EODQuery asks for an end-of-day report (reports.Period and a seller).
type EODQuery struct {
	From, To time.Time // [From, To)
	Label    string    // "2026-03-14", "2026-03-14 06:00–14:00"
	Seller   pos.Account
}

// EODReport is the takings of a period (reports.Report).
type EODReport struct {
	From, To time.Time
	Label    string
	Sellers  []EODSeller
	Totals   []EODTotals // per currency over all sellers
	Partial  []error     // sellers that could not be read, each named
	// The exports of exactly this report (reports.WriteCSV, WriteText).
	CSV  []byte
	Text []byte
}

// EODSeller is one seller's takings (reports.SellerReport).
type EODSeller struct {
	Seller     pos.Account
	Name       string
	Currencies []EODTotals
}

// EODTotals are takings in one currency (reports.Totals).
type EODTotals struct {
	Currency    string
	Sales       int   // approved sales
	Gross       int64 // tips included
	Tips        int64
	Refunds     int64
	RefundCount int
	Net         int64

	Declined, Canceled, Failed, Authorized, Open int

	UnsettledRefunds int
	UnsettledAmount  int64
	Brands           []EODBrand
}

// EODBrand is the approved sales by card brand (reports.BrandTotals; same
// fields, it converts).
type EODBrand struct {
	Brand string
	Sales int
	Gross int64
	Tips  int64
}
