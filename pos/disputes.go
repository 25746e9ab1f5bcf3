package pos

import (
	"context"
	"errors"
	"time"
	"unicode/utf8"
)

// Disputes: a cardholder's bank pulls a payment back (a chargeback), or
// asks about it first (an inquiry). The seller answers with evidence
// before the due date, or accepts the loss. stripe-api.md §11.

// Dispute statuses (Stripe's).
const (
	DisputeWarningNeedsResponse = "warning_needs_response" // an inquiry: answer it
	DisputeWarningUnderReview   = "warning_under_review"
	DisputeWarningClosed        = "warning_closed"
	DisputeNeedsResponse        = "needs_response" // a chargeback: answer it or accept it
	DisputeUnderReview          = "under_review"   // evidence submitted
	DisputeWon                  = "won"
	DisputeLost                 = "lost"
)

// Dispute is a dispute as Kasse sees it.
type Dispute struct {
	ID       string
	Account  Account // the account the dispute lives on (the seller, for a direct charge)
	ChargeID string
	IntentID string
	Amount   int64
	Currency string
	Reason   string // fraudulent, product_not_received, …
	Status   string
	// DueBy is when evidence is due (zero: no response possible).
	DueBy           time.Time
	HasEvidence     bool
	SubmissionCount int64
	PastDue         bool
	// ChargeRefundable: the payment may still be refunded (an inquiry).
	ChargeRefundable bool
	// Evidence is the evidence staged or submitted, by Stripe's field name
	// (EvidenceFields); only the text fields Kasse knows.
	Evidence map[string]string
	Brand    string // the card's brand
	Created  time.Time
}

// Open reports whether the dispute waits for the seller's answer.
func (d Dispute) Open() bool {
	return d.Status == DisputeNeedsResponse || d.Status == DisputeWarningNeedsResponse
}

// Closed reports whether the dispute is decided.
func (d Dispute) Closed() bool {
	return d.Status == DisputeWon || d.Status == DisputeLost || d.Status == DisputeWarningClosed
}

// Inquiry reports whether the dispute is an inquiry (no money withdrawn).
func (d Dispute) Inquiry() bool {
	switch d.Status {
	case DisputeWarningNeedsResponse, DisputeWarningUnderReview, DisputeWarningClosed:
		return true
	}
	return false
}

// BlocksRefund reports whether the disputed payment cannot be refunded:
// a chargeback that was not won (Stripe refuses with charge_disputed).
func (d Dispute) BlocksRefund() bool { return !d.ChargeRefundable && d.Status != DisputeWon }

// Rank orders a dispute's statuses along its life: an update never moves
// a dispute back to an earlier rank (events arrive in any order).
func (d Dispute) Rank() int {
	switch d.Status {
	case DisputeNeedsResponse, DisputeWarningNeedsResponse:
		return 1
	case DisputeUnderReview, DisputeWarningUnderReview:
		return 2
	case DisputeWon, DisputeLost, DisputeWarningClosed:
		return 3
	}
	return 0
}

// Newer reports whether d is a later state of the same dispute than old:
// a later rank, or the same rank and more evidence submitted or staged.
func (d Dispute) Newer(old Dispute) bool {
	switch {
	case d.Rank() != old.Rank():
		return d.Rank() > old.Rank()
	case d.SubmissionCount != old.SubmissionCount:
		return d.SubmissionCount > old.SubmissionCount
	}
	return d.HasEvidence || !old.HasEvidence
}

// The evidence fields Kasse fills in (Stripe's names; all text).
const (
	EvidenceProductDescription = "product_description"
	EvidenceServiceDate        = "service_date"
	EvidenceCustomerName       = "customer_name"
	EvidenceCustomerEmail      = "customer_email_address"
	EvidenceRefundPolicy       = "refund_policy_disclosure"
	EvidenceUncategorizedText  = "uncategorized_text"
)

// EvidenceFields are the text fields Kasse stages, in the order a form
// shows them, with Stripe's maximum length for each.
var EvidenceFields = []struct {
	Name string
	Max  int
}{
	{EvidenceProductDescription, 20000},
	{EvidenceServiceDate, 5000},
	{EvidenceCustomerName, 5000},
	{EvidenceCustomerEmail, 5000},
	{EvidenceRefundPolicy, 20000},
	{EvidenceUncategorizedText, 20000},
}

// MaxEvidenceChars is Stripe's limit on all evidence text together.
const MaxEvidenceChars = 150000

// Sentinels for disputes.
var (
	ErrDisputed        = errors.New("payment disputed")
	ErrEvidence        = errors.New("invalid dispute evidence")
	ErrDisputeAnswered = errors.New("dispute already answered")
)

// ValidateEvidence checks evidence against Stripe's limits before it is
// sent: known fields only, each within its length, all together within
// MaxEvidenceChars, and not empty.
func ValidateEvidence(ev map[string]string) error {
	total := 0
	for name, v := range ev {
		max := 0
		for _, f := range EvidenceFields {
			if f.Name == name {
				max = f.Max
			}
		}
		if max == 0 {
			return invalid(ErrEvidence, "evidence field %q: Kasse fills in %s only", name, evidenceNames())
		}
		n := utf8.RuneCountInString(v)
		if n > max {
			return invalid(ErrEvidence, "evidence field %s has %d characters; Stripe takes at most %d", name, n, max)
		}
		total += n
	}
	if total == 0 {
		return invalid(ErrEvidence, "the evidence is empty: fill in at least one field")
	}
	if total > MaxEvidenceChars {
		return invalid(ErrEvidence, "the evidence has %d characters together; Stripe takes at most %d", total, MaxEvidenceChars)
	}
	return nil
}

func evidenceNames() string {
	s := ""
	for i, f := range EvidenceFields {
		if i > 0 {
			s += ", "
		}
		s += f.Name
	}
	return s
}

// CheckAnswerable refuses evidence or an acceptance for a dispute that no
// longer waits for an answer.
func CheckAnswerable(d Dispute) error {
	if !d.Open() {
		return invalid(ErrDisputeAnswered, "dispute %s is %s: it no longer takes evidence or an acceptance", d.ID, d.Status)
	}
	return nil
}

// DisputeFilter narrows ListDisputes.
type DisputeFilter struct {
	ChargeID    string
	IntentID    string
	CreatedFrom int64 // unix seconds, 0 = open
	Limit       int   // 0 = adapter default
}

// Disputes is dispute access on the account that owns them.
type Disputes interface {
	ListDisputes(ctx context.Context, seller Account, f DisputeFilter) ([]Dispute, error)
	GetDispute(ctx context.Context, seller Account, id string) (Dispute, error)
	// UpdateDispute stages (submit false) or submits evidence.
	UpdateDispute(ctx context.Context, seller Account, id string, evidence map[string]string, submit bool, idemKey string) (Dispute, error)
	// CloseDispute accepts the dispute as lost.
	CloseDispute(ctx context.Context, seller Account, id, idemKey string) (Dispute, error)
}
