package readers

import (
	"errors"
	"fmt"

	"kasse/pos"
)

// OpError is a port failure with a message written for the field tech. It
// wraps the port's error, so pos.KindOf and errors.As(*pos.Error) still
// work on it.
type OpError struct {
	Msg string // what happened and what to do, for humans
	Err error  // the port's error (usually a *pos.Error)
}

func (e *OpError) Error() string { return e.Msg }

// Unwrap returns the port's error.
func (e *OpError) Unwrap() error { return e.Err }

// subject names what a request was about, for messages.
type subject struct {
	op       string      // "register the reader", "read reader tmr_1", …
	owner    pos.Account // the account the request ran in
	readerID string      // "" when not about a reader
}

// explain turns a port error into an OpError whose message starts with what
// failed and then explains the kind. Errors that are already OpErrors or
// local validation errors pass through.
func explain(err error, s subject) error {
	if err == nil {
		return nil
	}
	var oe *OpError
	var ve *pos.ValidationError
	if errors.As(err, &oe) || errors.As(err, &ve) {
		return err
	}
	reader := "the reader"
	if s.readerID != "" {
		reader = "reader " + s.readerID
	}
	var why string
	switch pos.KindOf(err) {
	case pos.KindReaderBusy:
		why = reader + " is busy: it handles one request at a time, and Stripe refuses new commands (cancel_action included) while a card is being authorized. Wait a few seconds, read the reader again and retry"
	case pos.KindReaderOffline:
		why = reader + " is offline or faulty (Stripe has had no signal from it for 2 minutes): check that it is powered on, docked and on the network"
	case pos.KindReaderTimeout:
		why = "the command timed out on its way to " + reader + "; it may still have arrived. Read the reader before retrying"
	case pos.KindNotFound:
		why = "not found on " + accountPhrase(s.owner) + " (objects of another account look missing: check that the right account owns it)"
	case pos.KindAuth:
		why = "the API key has no access to " + accountPhrase(s.owner) + " (a disconnected seller, the wrong mode, or a restricted key without Terminal permissions)"
	case pos.KindRateLimited:
		why = "Stripe is rate limiting requests; wait a moment and retry"
	case pos.KindIdempotency:
		why = "an earlier request with the same idempotency key had different parameters"
	case pos.KindInvalidState:
		why = "the payment is not in a state that allows this"
	case pos.KindDeclined:
		why = "the card was declined"
	case pos.KindInvalidRequest:
		why = "Stripe refused the request"
	default:
		why = "the outcome is unknown (network fault, timeout or Stripe error); read the current state before retrying"
	}
	return &OpError{Msg: fmt.Sprintf("could not %s: %s%s", s.op, why, detail(err)), Err: err}
}

// detail renders the port error's own message and request id, if any.
func detail(err error) string {
	var pe *pos.Error
	if !errors.As(err, &pe) {
		return " (" + err.Error() + ")"
	}
	s := ""
	if pe.Message != "" {
		s = " — Stripe said: " + pe.Message
	}
	if pe.RequestID != "" {
		s += " [request " + pe.RequestID + "]"
	}
	return s
}

// accountPhrase is "the platform account" or "account acct_…".
func accountPhrase(a pos.Account) string {
	if a.IsPlatform() {
		return "the platform account"
	}
	return "account " + string(a)
}
