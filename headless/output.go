package headless

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"kasse/pos"
)

// Result is the outcome `kasse charge --json` prints.
type Result struct {
	SaleID      string `json:"sale_id"`
	IntentID    string `json:"intent_id"`
	Status      string `json:"status"`
	Amount      int64  `json:"amount"`
	Currency    string `json:"currency"`
	Tip         *int64 `json:"tip"`
	Seller      string `json:"seller"`
	Reader      string `json:"reader"`
	Card        Card   `json:"card"`
	DeclineCode string `json:"decline_code"`
	Message     string `json:"message"`
	// Connect: the charge type, the platform's fee (a separate charge's
	// share) and a separate charge's transfer to the seller.
	ChargeType    string `json:"charge_type"`
	PlatformFee   int64  `json:"platform_fee"`
	Transfer      string `json:"transfer,omitempty"`
	TransferState string `json:"transfer_state,omitempty"`
	// Customer is the seller's customer the sale was for; SavedCard the
	// card the reader saved for them (--save-card).
	Customer  string `json:"customer,omitempty"`
	SavedCard string `json:"saved_card,omitempty"`

	code int
}

// Card is the card that paid (never more than brand and last four).
type Card struct {
	Brand string `json:"brand"`
	Last4 string `json:"last4"`
}

// Statuses of Result.
const (
	StatusApproved        = "approved"
	StatusRequiresCapture = "requires_capture"
	StatusDeclined        = "declined"
	StatusCanceled        = "canceled"
	StatusTimedOut        = "timed_out"
	StatusFailed          = "failed"
	StatusUnknown         = "unknown"
	StatusError           = "error"
)

// result classifies the final sale s; outcome is the sale as it stood
// before any cleanup cancel.
func (c *charge) result(s, outcome pos.Sale, seller pos.Seller, timedOut, interrupted bool) Result {
	res := Result{SaleID: s.ID, IntentID: s.IntentID, Amount: s.Amount, Currency: s.Currency, Tip: s.Tip,
		Seller: string(s.Seller), Reader: s.ReaderID, Card: Card{s.Card.Brand, s.Card.Last4},
		ChargeType: string(s.Charge.Or()), PlatformFee: s.ApplicationFee}
	if t := s.Transfer; t != nil {
		res.Transfer, res.TransferState = t.ID, string(t.State)
	}
	if s.Customer != nil {
		res.Customer, res.SavedCard = s.Customer.ID, s.Customer.Saved
	}
	amount := pos.Format(s.Amount, s.Currency)
	failedOpen := outcome.State == pos.SaleFailed && !outcome.Finished()
	cleanedUp := interrupted || timedOut || outcome.State.Decision() || failedOpen
	switch {
	case s.State == pos.SaleApproved:
		res.Status, res.code = StatusApproved, ExitApproved
		res.Message = "Approved: " + amount + cardText(s.Card) + " at " + seller.DisplayName
		if s.Tip != nil && *s.Tip > 0 {
			res.Message += " (tip " + pos.Format(*s.Tip, s.Currency) + " included)"
		}
		res.Message += transferNote(s)
	case s.State == pos.SaleRequiresCapture:
		res.Status, res.code = StatusRequiresCapture, ExitApproved
		res.Message = "Authorized: " + amount + cardText(s.Card) + "; capture it from the console"
	case cleanedUp && !s.State.Final():
		// The cancel did not finish: say so, never "canceled".
		res.Status, res.code = StatusUnknown, ExitError
		what := "Interrupted"
		switch {
		case timedOut:
			what = fmt.Sprintf("No card within %s", c.o.timeout)
		case outcome.State == pos.SaleDeclined:
			what = "Declined"
		case outcome.State.Decision(), failedOpen:
			what = "Failed: " + failure(outcome)
		}
		res.Message = what + "; canceling did not finish (" + string(s.State) + "), so the outcome is unknown" +
			intentNote(s) + ". The journal keeps the sale; the next kasse start, or kasse reconcile, settles it."
	case outcome.State == pos.SaleDeclined:
		res.Status, res.code = StatusDeclined, ExitDeclined
		if d := outcome.Decline; d != nil {
			res.DeclineCode = d.DeclineCode
			if res.DeclineCode == "" {
				res.DeclineCode = d.Code
			}
			res.Message = "Declined: " + d.Message
		} else {
			res.Message = "Declined"
		}
		res.Message += cancelNote(s)
	case timedOut:
		res.Status, res.code = StatusTimedOut, ExitCanceled
		res.Message = fmt.Sprintf("No card within %s", c.o.timeout) + cancelNote(s)
	case interrupted:
		res.Status, res.code = StatusCanceled, ExitCanceled
		res.Message = "Interrupted" + cancelNote(s)
	case outcome.State == pos.SaleCustomerCanceled:
		res.Status, res.code = StatusCanceled, ExitCanceled
		res.Message = "The customer canceled on the reader" + cancelNote(s)
	case outcome.State.Decision(), failedOpen: // reader busy or offline, interrupted: not retried headless
		res.Status, res.code = StatusFailed, ExitError
		res.Message = "Failed: " + failure(outcome) + cancelNote(s)
	case s.State == pos.SaleCanceled:
		res.Status, res.code = StatusCanceled, ExitCanceled
		res.Message = "Canceled"
	case s.State == pos.SaleFailed:
		res.Status, res.code = StatusFailed, ExitError
		res.Message = "Failed: " + failure(s)
	default:
		res.Status, res.code = StatusUnknown, ExitError
		res.Message = "Outcome unknown (" + string(s.State) + "): " + failure(s) +
			"; the journal keeps the sale and kasse settles it on its next start"
	}
	return res
}

func cardText(c pos.Card) string {
	if c.Last4 == "" {
		return ""
	}
	return " on " + c.Brand + " ending " + c.Last4
}

func intentNote(s pos.Sale) string {
	if s.IntentID == "" {
		return ""
	}
	return " for PaymentIntent " + s.IntentID
}

func cancelNote(s pos.Sale) string {
	switch {
	case s.State == pos.SaleCanceled && s.IntentID != "":
		return "; the PaymentIntent was canceled"
	case s.State == pos.SaleCanceled:
		return "; nothing was charged"
	case s.State == pos.SaleFailed && !s.Finished():
		return "; canceling PaymentIntent " + s.IntentID + " failed too (" + failure(s) +
			"): the journal keeps the sale, and the next kasse start, or kasse reconcile, settles it"
	}
	return "; canceling did not finish (" + string(s.State) + "): check the sale in the console"
}

func failure(s pos.Sale) string {
	switch {
	case s.LastError != nil:
		return s.LastError.Error()
	case s.Interruption != "":
		return "interrupted: " + strings.ReplaceAll(s.Interruption, "_", " ")
	case s.State.Decision():
		return strings.ReplaceAll(string(s.State), "_", " ")
	case s.Notice != "":
		return s.Notice
	}
	return "no details"
}

// printer writes outcomes as text or JSON.
type printer struct {
	json           bool
	stdout, stderr io.Writer
}

// fail reports an error that happened before or instead of a sale.
func (p *printer) fail(code int, msg string) int {
	fmt.Fprintln(p.stderr, "kasse charge: "+msg)
	if p.json {
		status := StatusError
		json.NewEncoder(p.stdout).Encode(map[string]any{"status": status, "message": msg, "exit_code": code})
	}
	return code
}

// report prints a sale's outcome and returns its exit code.
func (p *printer) report(r Result) int {
	if p.json {
		enc := json.NewEncoder(p.stdout)
		if err := enc.Encode(r); err != nil {
			fmt.Fprintln(p.stderr, "kasse charge:", err)
		}
		return r.code
	}
	fmt.Fprintln(p.stdout, r.Message)
	row := func(k, v string) {
		if v != "" {
			fmt.Fprintf(p.stdout, "  %-8s %s\n", k, v)
		}
	}
	row("status", r.Status)
	row("amount", pos.Format(r.Amount, r.Currency))
	if r.Tip != nil {
		row("tip", pos.Format(*r.Tip, r.Currency))
	}
	row("sale", r.SaleID)
	row("intent", r.IntentID)
	row("seller", r.Seller)
	row("reader", r.Reader)
	if r.DeclineCode != "" {
		row("decline", r.DeclineCode)
	}
	return r.code
}

// transferNote says what became of a separate charge's transfer to the
// seller ("" for other charge types).
func transferNote(s pos.Sale) string {
	t := s.Transfer
	switch {
	case t == nil:
		return ""
	case t.State == pos.TransferDone && t.ID != "":
		return "; " + pos.Format(t.Amount, s.Currency) + " transferred to the seller (" + t.ID + ")"
	case t.State == pos.TransferDone:
		return "; nothing to transfer: the platform's share is the whole sale"
	case t.State == pos.TransferFailed:
		msg := "; the transfer to the seller was refused"
		if t.LastError != nil {
			msg += " (" + t.LastError.Error() + ")"
		}
		return msg + ": a supervisor must look at it"
	}
	return "; the transfer to the seller is not confirmed yet: the journal keeps it and the next kasse start settles it"
}
