package reports

import (
	"strconv"
	"time"

	"kasse/i18n"
	"kasse/journal"
	"kasse/pos"
)

// Source says where a row came from.
type Source string

// Sources.
const (
	SourceJournal Source = "journal" // a sale made at this console (the local journal)
	SourceStripe  Source = "stripe"  // a PaymentIntent only Stripe knows (other consoles, other channels)
)

// Kind says what a transaction is: a seller's sale, or a reader's test
// payment (kasse readers test, the Readers screen's test payment), which
// is shown apart and never counted as a sale.
type Kind string

// Kinds.
const (
	KindSale Kind = "sale"
	KindTest Kind = "test" // a PaymentIntent with metadata kasse_test=1
)

// kindOfIntent tells a reader test payment from a sale.
func kindOfIntent(in pos.Intent) Kind {
	if in.Metadata["kasse_test"] == "1" {
		return KindTest
	}
	return KindSale
}

// Status is a transaction's status as the reports show it: one vocabulary
// for journal sale states and Stripe PaymentIntent statuses.
type Status string

// Statuses.
const (
	StatusApproved   Status = "approved"   // paid (journal approved; Stripe succeeded)
	StatusAuthorized Status = "authorized" // authorized, not captured (requires_capture)
	StatusDeclined   Status = "declined"   // last attempt declined (then given up or still open), nothing charged
	StatusCanceled   Status = "canceled"   // canceled without a decline, nothing charged
	StatusFailed     Status = "failed"     // journal: failed for good (non-retryable error)
	StatusOpen       Status = "open"       // anything still in progress or waiting for a decision
	// StatusTest is a filter only: the reader test payments (KindTest),
	// whatever their status. Every other status filter means sales.
	StatusTest Status = "test"
)

// Statuses lists the statuses in the order a filter menu shows them.
func Statuses() []Status {
	return []Status{StatusApproved, StatusAuthorized, StatusDeclined, StatusCanceled, StatusFailed, StatusOpen, StatusTest}
}

// ParseStatus accepts one of Statuses ("" is no filter and is accepted).
func ParseStatus(s string) (Status, error) {
	if s == "" {
		return "", nil
	}
	for _, st := range Statuses() {
		if string(st) == s {
			return st, nil
		}
	}
	return "", &i18n.Error{Kind: ErrQuery, Msg: i18n.M("cli.reports.bad_status", i18n.Args{"Value": strconv.Quote(s)})}
}

// Row is one transaction in a search result or report input.
type Row struct {
	Source     Source
	Kind       Kind   // KindSale, or KindTest for a reader's test payment
	SaleID     string // journal sale id; for Stripe rows the intent's metadata kasse_sale_id (another console) or ""
	ConsoleID  string // journal rows only
	Operator   string // journal rows only
	Seller     pos.Account
	SellerName string
	IntentID   string
	Status     Status
	// JournalState is the journal's own state (journal rows); Refreshed is
	// set when Stripe's status replaced the one the journal implies.
	JournalState pos.SaleState
	Refreshed    bool
	IntentStatus string // Stripe's PaymentIntent status when the intent was listed
	// Charge is the Connect charge type and IntentAccount where the
	// payment lives: the seller (direct), or the platform (destination,
	// separate).
	Charge        pos.ChargeType
	IntentAccount pos.Account
	Amount        int64 // minor units; tip included; for approved Stripe rows the amount received
	Currency      string
	Tip           int64 // 0 when there was none or tipping was off
	Card          pos.Card
	ChargeID      string
	Created       time.Time
	// Refunded is what has been refunded so far (minor units) when
	// RefundedKnown: journal rows count the refunds this journal holds
	// (succeeded and pending), or Stripe's amount refunded when the listed
	// charge shows more (refunds made elsewhere); Stripe rows know it only
	// when their charge was read (or there is none).
	Refunded      int64
	RefundedKnown bool
	// Dispute is the status of the payment's dispute when the journal
	// knows one ("" = none).
	Dispute string
}

// statusOfSale maps a journal sale state; declined is the journal's
// "the last attempt was declined" (a declined sale the cashier canceled is
// a decline).
func statusOfSale(st pos.SaleState, declined bool) Status {
	if declined && st == pos.SaleCanceled {
		return StatusDeclined
	}
	switch st {
	case pos.SaleApproved:
		return StatusApproved
	case pos.SaleRequiresCapture, pos.SaleCapturing:
		return StatusAuthorized
	case pos.SaleDeclined:
		return StatusDeclined
	case pos.SaleCanceled:
		return StatusCanceled
	case pos.SaleFailed:
		return StatusFailed
	}
	return StatusOpen
}

// filterStatus narrows f to the journal sales of status s, the inverse of
// statusOfSale (drafts excluded).
func filterStatus(f *journal.SaleRowFilter, s Status) {
	declined := s == StatusDeclined
	switch s {
	case StatusApproved:
		f.States = []pos.SaleState{pos.SaleApproved}
	case StatusAuthorized:
		f.States = []pos.SaleState{pos.SaleRequiresCapture, pos.SaleCapturing}
	case StatusDeclined, StatusCanceled: // a sale declined and then canceled is a decline
		f.States = []pos.SaleState{pos.SaleCanceled}
		if declined {
			f.States = append(f.States, pos.SaleDeclined)
		}
		f.CanceledDeclined = &declined
	case StatusFailed:
		f.States = []pos.SaleState{pos.SaleFailed}
	case StatusOpen:
		f.States = []pos.SaleState{pos.SaleCreating, pos.SaleProcessing, pos.SaleWaitingForCard, pos.SaleCustomerCanceled,
			pos.SaleReaderBusy, pos.SaleReaderOffline, pos.SaleInterrupted, pos.SaleUnknown, pos.SaleCanceling}
	}
}

// statusOfIntent maps a Stripe PaymentIntent status.
func statusOfIntent(in pos.Intent) Status {
	switch in.Status {
	case pos.IntentSucceeded:
		return StatusApproved
	case pos.IntentRequiresCapture:
		return StatusAuthorized
	case pos.IntentCanceled:
		if in.LastError != nil { // declined, then canceled: Stripe keeps the error
			return StatusDeclined
		}
		return StatusCanceled
	case pos.IntentRequiresPaymentMethod:
		if in.LastError != nil {
			return StatusDeclined
		}
	}
	return StatusOpen
}

// settled reports whether a Stripe status can no longer change by itself.
func settled(in pos.Intent) bool {
	return in.Status == pos.IntentSucceeded || in.Status == pos.IntentCanceled
}

// rowFromJournal builds a journal row.
func rowFromJournal(r journal.SaleRow, name string) Row {
	row := Row{
		Source: SourceJournal, Kind: KindSale, SaleID: r.ID, ConsoleID: r.ConsoleID, Operator: r.Operator,
		Seller: r.Seller, SellerName: name, IntentID: r.IntentID,
		Status: statusOfSale(r.State, r.Declined), JournalState: r.State,
		Charge: r.Charge.Or(), IntentAccount: r.Charge.IntentAccount(r.Seller),
		Amount: r.Amount, Currency: r.Currency, Card: r.Card, ChargeID: r.ChargeID,
		Created: r.CreatedAt, Refunded: r.Refunded, RefundedKnown: true,
	}
	if r.Tip != nil {
		row.Tip = *r.Tip
	}
	return row
}

// rowFromIntent builds a Stripe row.
func rowFromIntent(in pos.Intent, seller pos.Account, name string) Row {
	row := Row{
		Source: SourceStripe, Kind: kindOfIntent(in), SaleID: in.Metadata["kasse_sale_id"], Seller: seller, SellerName: name,
		IntentID: in.ID, Status: statusOfIntent(in), IntentStatus: in.Status,
		Charge: pos.ChargeTypeOf(in), IntentAccount: in.Account,
		Amount: intentAmount(in), Currency: in.Currency, ChargeID: in.LatestChargeID, Created: in.Created.UTC(),
	}
	if in.Tip != nil {
		row.Tip = *in.Tip
	}
	if in.LatestChargeID == "" && in.LatestCharge == nil {
		row.RefundedKnown = true // never charged: nothing can have been refunded
	}
	applyCharge(&row, in.LatestCharge)
	return row
}

// Account is the account the row's PaymentIntent lives on (the seller
// when the row does not say).
func (r Row) Account() pos.Account {
	if r.IntentAccount == "" && r.Charge.Or() == pos.ChargeDirect {
		return r.Seller
	}
	return r.IntentAccount
}

// RefundState is RefundedNone, RefundedPartly or RefundedFully, or "" when
// the refunded amount is not known (a Stripe row whose charge was not read).
func (r Row) RefundState() RefundFilter {
	switch {
	case !r.RefundedKnown:
		return ""
	case r.Refunded <= 0:
		return RefundedNone
	case r.Refunded < r.Amount:
		return RefundedPartly
	}
	return RefundedFully
}

// intentAmount is what the intent charged: the amount received once paid
// (a partial capture receives less than the amount), else the amount.
func intentAmount(in pos.Intent) int64 {
	if in.Status == pos.IntentSucceeded && in.AmountReceived > 0 {
		return in.AmountReceived
	}
	return in.Amount
}

// applyCharge copies card and refunded amount from an expanded charge.
func applyCharge(row *Row, ch *pos.Charge) {
	if ch == nil {
		return
	}
	if ch.Card.Brand != "" || ch.Card.Last4 != "" {
		row.Card = ch.Card
	}
	row.ChargeID = ch.ID
	row.Refunded, row.RefundedKnown = chargeRefunded(*ch), true
}

// chargeRefunded is what was refunded on a charge: Stripe counts the part
// a partial capture released in amount_refunded, which is not a refund.
func chargeRefunded(ch pos.Charge) int64 {
	r := ch.AmountRefunded
	if ch.Captured && ch.AmountCaptured > 0 && ch.AmountCaptured < ch.Amount {
		r -= ch.Amount - ch.AmountCaptured
	}
	return max(r, 0)
}

// refresh lets Stripe's view of the intent update a journal row: Stripe's
// status replaces the journal's unless the journal's state is final and
// Stripe's is not (the listing may predate the journal's last save). A
// status that became approved takes Stripe's amount and tip.
//
// Whatever the status, an expanded charge can only add to what the journal
// knows: a refund made elsewhere (Stripe's amount refunded is larger) and
// the card when the journal has none.
func refresh(row *Row, in pos.Intent) {
	row.IntentStatus = in.Status
	if row.ChargeID == "" {
		row.ChargeID = in.LatestChargeID
	}
	if ch := in.LatestCharge; ch != nil && ch.ID == row.ChargeID {
		row.Refunded = max(row.Refunded, chargeRefunded(*ch))
		if row.Card.Brand == "" && row.Card.Last4 == "" {
			row.Card = ch.Card
		}
	}
	st := statusOfIntent(in)
	if st == StatusCanceled && row.Status == StatusDeclined {
		st = StatusDeclined // the journal saw the decline; a cancel does not undo it
	}
	if st == row.Status || row.JournalState.Final() && !settled(in) {
		return
	}
	row.Status, row.Refreshed = st, true
	if st == StatusApproved {
		row.Amount = intentAmount(in)
		if in.Tip != nil {
			row.Tip = *in.Tip
		}
	}
	if in.LatestCharge != nil {
		applyCharge(row, in.LatestCharge)
	}
}
