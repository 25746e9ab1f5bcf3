package headless

import (
	"encoding/json"
	"fmt"
	"io"

	"kasse/i18n"
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
	Message     string `json:"message"` // in English: --json is language-neutral
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
	msg  i18n.Message // Message in the reader's language
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
// before any cleanup cancel. Its Message is in English (--json is
// language-neutral); the text output words msg in the command's language.
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
	res.msg = c.resultMessage(&res, s, outcome, seller, timedOut, interrupted)
	res.Message = i18n.Neutral().Render(res.msg)
	return res
}

func (c *charge) resultMessage(res *Result, s, outcome pos.Sale, seller pos.Seller, timedOut, interrupted bool) i18n.Message {
	a := i18n.Args{"Amount": i18n.Money{Amount: s.Amount, Currency: s.Currency}, "Seller": seller.DisplayName,
		"Brand": s.Card.Brand, "Last4": s.Card.Last4, "Timeout": c.o.timeout, "State": string(s.State), "Intent": s.IntentID}
	withNote := func(m i18n.Message) i18n.Message {
		return i18n.M("cli.headless.with_note", i18n.Args{"Outcome": m, "Note": cancelNote(s)})
	}
	failedOpen := outcome.State == pos.SaleFailed && !outcome.Finished()
	cleanedUp := interrupted || timedOut || outcome.State.Decision() || failedOpen
	switch {
	case s.State == pos.SaleApproved:
		res.Status, res.code = StatusApproved, ExitApproved
		m := i18n.M("cli.headless.approved", a)
		if s.Card.Last4 != "" {
			m = i18n.M("cli.headless.approved_card", a)
		}
		if s.Tip != nil && *s.Tip > 0 {
			m = i18n.M("cli.headless.tip_included", i18n.Args{"Outcome": m, "Tip": i18n.Money{Amount: *s.Tip, Currency: s.Currency}})
		}
		if note, ok := transferNote(s); ok {
			m = i18n.M("cli.headless.with_note", i18n.Args{"Outcome": m, "Note": note})
		}
		return m
	case s.State == pos.SaleRequiresCapture:
		res.Status, res.code = StatusRequiresCapture, ExitApproved
		if s.Card.Last4 != "" {
			return i18n.M("cli.headless.authorized_card", a)
		}
		return i18n.M("cli.headless.authorized", a)
	case cleanedUp && !s.State.Final():
		// The cancel did not finish: say so, never "canceled".
		res.Status, res.code = StatusUnknown, ExitError
		what := i18n.M("cli.headless.interrupted")
		switch {
		case timedOut:
			what = i18n.M("cli.headless.no_card", a)
		case outcome.State == pos.SaleDeclined:
			what = i18n.M("cli.headless.declined")
		case outcome.State.Decision(), failedOpen:
			what = i18n.M("cli.headless.failed", i18n.Args{"Failure": failure(outcome)})
		}
		a["What"] = what
		if s.IntentID != "" {
			return i18n.M("cli.headless.cancel_unfinished_intent", a)
		}
		return i18n.M("cli.headless.cancel_unfinished", a)
	case outcome.State == pos.SaleDeclined:
		res.Status, res.code = StatusDeclined, ExitDeclined
		if d := outcome.Decline; d != nil {
			res.DeclineCode = d.DeclineCode
			if res.DeclineCode == "" {
				res.DeclineCode = d.Code
			}
			return withNote(i18n.M("cli.headless.declined_because", i18n.Args{"Message": d.Message}))
		}
		return withNote(i18n.M("cli.headless.declined"))
	case timedOut:
		res.Status, res.code = StatusTimedOut, ExitCanceled
		return withNote(i18n.M("cli.headless.no_card", a))
	case interrupted:
		res.Status, res.code = StatusCanceled, ExitCanceled
		return withNote(i18n.M("cli.headless.interrupted"))
	case outcome.State == pos.SaleCustomerCanceled:
		res.Status, res.code = StatusCanceled, ExitCanceled
		return withNote(i18n.M("cli.headless.customer_canceled"))
	case outcome.State.Decision(), failedOpen: // reader busy or offline, interrupted: not retried headless
		res.Status, res.code = StatusFailed, ExitError
		return withNote(i18n.M("cli.headless.failed", i18n.Args{"Failure": failure(outcome)}))
	case s.State == pos.SaleCanceled:
		res.Status, res.code = StatusCanceled, ExitCanceled
		return i18n.M("cli.headless.canceled")
	case s.State == pos.SaleFailed:
		res.Status, res.code = StatusFailed, ExitError
		return i18n.M("cli.headless.failed", i18n.Args{"Failure": failure(s)})
	}
	res.Status, res.code = StatusUnknown, ExitError
	a["Failure"] = failure(s)
	return i18n.M("cli.headless.unknown", a)
}

// cancelNote is what became of the PaymentIntent after a sale that did
// not go through.
func cancelNote(s pos.Sale) i18n.Message {
	switch {
	case s.State == pos.SaleCanceled && s.IntentID != "":
		return i18n.M("cli.headless.note.intent_canceled")
	case s.State == pos.SaleCanceled:
		return i18n.M("cli.headless.note.nothing_charged")
	case s.State == pos.SaleFailed && !s.Finished():
		return i18n.M("cli.headless.note.cancel_failed", i18n.Args{"Intent": s.IntentID, "Failure": failure(s)})
	}
	return i18n.M("cli.headless.note.cancel_unfinished", i18n.Args{"State": string(s.State)})
}

// failure is why a sale failed: its error, its interruption, its decision
// state or its notice.
func failure(s pos.Sale) any {
	switch {
	case s.LastError != nil:
		return s.LastError
	case s.Interruption != "":
		return i18n.M("cli.headless.interruption", i18n.Args{"Why": interruption(s.Interruption)})
	case s.State.Decision():
		return decision(s.State)
	case s.Notice != "":
		return i18n.NoticeMessage(s.Notice)
	}
	return i18n.M("cli.headless.no_details")
}

// interruption words pos's interruption reason.
func interruption(why string) i18n.Message {
	switch why {
	case pos.InterruptIdle:
		return i18n.M("cli.headless.why.idle")
	case pos.InterruptLeftReader:
		return i18n.M("cli.headless.why.left_reader")
	case pos.InterruptReaderError:
		return i18n.M("cli.headless.why.reader_error")
	case pos.InterruptNotSent:
		return i18n.M("cli.headless.why.not_sent")
	case pos.InterruptNoPickup:
		return i18n.M("cli.headless.why.no_pickup")
	}
	return i18n.M("cli.headless.why.other", i18n.Args{"Code": why})
}

// decision words a state that waits for the cashier.
func decision(st pos.SaleState) i18n.Message {
	switch st {
	case pos.SaleDeclined:
		return i18n.M("cli.headless.state.declined")
	case pos.SaleCustomerCanceled:
		return i18n.M("cli.headless.state.customer_canceled")
	case pos.SaleReaderBusy:
		return i18n.M("cli.headless.state.reader_busy")
	case pos.SaleReaderOffline:
		return i18n.M("cli.headless.state.reader_offline")
	}
	return i18n.M("cli.headless.state.interrupted")
}

// printer writes outcomes as text (in the command's language) or JSON.
type printer struct {
	json           bool
	stdout, stderr io.Writer
	loc            *i18n.Locale
}

// fail reports an error that happened before or instead of a sale: on
// stderr in the command's language, with --json also as JSON, in English.
func (p *printer) fail(code int, err error) int {
	fmt.Fprintln(p.stderr, progCharge+": "+p.loc.Err(err))
	if p.json {
		status := StatusError
		json.NewEncoder(p.stdout).Encode(map[string]any{"status": status, "message": i18n.Neutral().Err(err), "exit_code": code}) // i18n:ok JSON field names
	}
	return code
}

// report prints a sale's outcome and returns its exit code.
func (p *printer) report(r Result) int {
	if p.json {
		enc := json.NewEncoder(p.stdout)
		if err := enc.Encode(r); err != nil {
			fmt.Fprintln(p.stderr, progCharge+":", p.loc.Err(err))
		}
		return r.code
	}
	loc := p.loc
	fmt.Fprintln(p.stdout, loc.Render(r.msg))
	row := func(k, v string) {
		if v != "" {
			fmt.Fprintf(p.stdout, "  %-9s %s\n", k, v)
		}
	}
	row(loc.T("cli.headless.row.status"), r.Status)
	row(loc.T("cli.headless.row.amount"), loc.Money(r.Amount, r.Currency))
	if r.Tip != nil {
		row(loc.T("cli.headless.row.tip"), loc.Money(*r.Tip, r.Currency))
	}
	row(loc.T("cli.headless.row.sale"), r.SaleID)
	row(loc.T("cli.headless.row.intent"), r.IntentID)
	row(loc.T("cli.headless.row.seller"), r.Seller)
	row(loc.T("cli.headless.row.reader"), r.Reader)
	if r.DeclineCode != "" {
		row(loc.T("cli.headless.row.decline"), r.DeclineCode)
	}
	return r.code
}

// transferNote says what became of a separate charge's transfer to the
// seller (false for other charge types).
func transferNote(s pos.Sale) (i18n.Message, bool) {
	t := s.Transfer
	switch {
	case t == nil:
		return i18n.Message{}, false
	case t.State == pos.TransferDone && t.ID != "":
		return i18n.M("cli.headless.transfer.done", i18n.Args{"Amount": i18n.Money{Amount: t.Amount, Currency: s.Currency}, "Transfer": t.ID}), true
	case t.State == pos.TransferDone:
		return i18n.M("cli.headless.transfer.nothing"), true
	case t.State == pos.TransferFailed && t.LastError != nil:
		return i18n.M("cli.headless.transfer.refused_because", i18n.Args{"Error": t.LastError}), true
	case t.State == pos.TransferFailed:
		return i18n.M("cli.headless.transfer.refused"), true
	}
	return i18n.M("cli.headless.transfer.pending"), true
}
