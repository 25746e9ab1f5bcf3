package app

import (
	"context"

	"kasse/pos"
	"kasse/reports"
	"kasse/supervisor"
)

// The back office's services: small interfaces over the application
// packages, in their own types. *supervisor.Guard is a Guard,
// *supervisor.Service a Supervisor, *reports.Searcher a Reports and
// *readers.Fleet a Fleet (services_fleet.go); the tests fake them. Every
// method is called from a tea.Cmd.

// Saver stores a file the console produced (a receipt, an export, a
// diagnostics bundle) and returns where it went. name is a bare file name
// ("<sale id>.txt"); the implementation picks the folder.
type Saver interface {
	Save(name string, data []byte) (path string, err error)
}

// SaleRunner executes the effects pos.Step returns, in order, and returns
// the result events to feed back into pos.Step (their At is the time the
// answer arrived). err reports best-effort failures that produce no event
// (set_reader_display); it never replaces a result event.
//
// The shared executor, *checkout.Runner, implements it: it writes every
// pos.Record to the journal before any request goes out.
type SaleRunner interface {
	Run(ctx context.Context, effects []pos.Effect) (events []pos.SaleEvent, err error)
}

// Guard checks an operator's PIN before the console opens an area (the
// attempt's Action is the area). A nil error opens it; a refused PIN is a
// *supervisor.Refusal (supervisor.AsRefusal), whose message is safe to
// show; any other error is shown as a failure of the check.
type Guard interface {
	Authorize(ctx context.Context, a supervisor.Attempt) error
}

// Supervisor moves money back: refunds, voids and captures, each
// authorized with the operator's PIN (inside the request) and audited.
// Each blocks until the outcome is known or ctx ends.
type Supervisor interface {
	Refund(ctx context.Context, r supervisor.RefundRequest) (supervisor.RefundResult, error)
	// Lookup reads a payment of a seller with what a refund of it takes
	// back from the seller and from the platform (supervisor.Payment.Shares).
	// It needs no PIN and changes nothing.
	Lookup(ctx context.Context, seller pos.Account, intentID string) (supervisor.Payment, error)
	// Void cancels an authorized, uncaptured payment.
	Void(ctx context.Context, r supervisor.AuthorizationRequest) (supervisor.AuthorizationResult, error)
	// Capture captures an authorized payment (Amount 0: all of it).
	Capture(ctx context.Context, r supervisor.AuthorizationRequest) (supervisor.AuthorizationResult, error)
}

// Reports answers the back office's questions about past sales. The
// exports of a report are rendered by reports.WriteCSV and WriteText.
type Reports interface {
	// Search lists transactions matching q, newest first. Sellers whose
	// listing failed are in Result.Partial; err is for a query that could
	// not run at all.
	Search(ctx context.Context, q reports.Query) (reports.Result, error)
	// Detail reads one PaymentIntent with its charge and refunds.
	Detail(ctx context.Context, seller pos.Account, intentID string) (reports.Detail, error)
	// EndOfDay totals a period per seller ("" = every seller).
	EndOfDay(ctx context.Context, p reports.Period, seller pos.Account) (reports.Report, error)
}
