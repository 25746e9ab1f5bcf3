package pos

import (
	"errors"
	"fmt"
)

// ErrorKind is the small set of categories every Stripe failure maps to.
// The UI and the sale state machine decide on the kind, never on raw codes.
type ErrorKind int

const (
	// KindUnknown: the request may or may not have taken effect (network
	// fault, timeout, 5xx). Resolve by reading state, never by re-creating.
	KindUnknown ErrorKind = iota
	KindDeclined
	KindReaderBusy
	KindReaderOffline
	KindReaderTimeout
	KindInvalidRequest
	KindInvalidState // intent_invalid_state, payment_intent_unexpected_state
	KindNotFound
	KindAuth
	KindRateLimited
	KindIdempotency // same key, different parameters
)

var kindNames = map[ErrorKind]string{
	KindUnknown:        "outcome unknown",
	KindDeclined:       "declined",
	KindReaderBusy:     "reader busy",
	KindReaderOffline:  "reader offline",
	KindReaderTimeout:  "reader timeout",
	KindInvalidRequest: "invalid request",
	KindInvalidState:   "invalid state",
	KindNotFound:       "not found",
	KindAuth:           "authentication",
	KindRateLimited:    "rate limited",
	KindIdempotency:    "idempotency conflict",
}

func (k ErrorKind) String() string {
	if s, ok := kindNames[k]; ok {
		return s
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

// Error is a categorised failure from a port. Message is safe to show: the
// adapter guarantees it never contains a key.
type Error struct {
	Kind        ErrorKind
	Code        string // Stripe error code, e.g. terminal_reader_busy
	DeclineCode string
	Param       string
	Message     string
	HTTPStatus  int
	RequestID   string
	// IntentID is the PaymentIntent a card error came with (a saved card
	// declined at create: HTTP 402 with the intent in the error).
	IntentID string
}

func (e *Error) Error() string {
	s := e.Kind.String()
	if e.Code != "" {
		s += " (" + e.Code + ")"
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

// KindOf returns the kind of err, or KindUnknown for foreign errors (which,
// coming from a port, mean the outcome of the call is unknown).
func KindOf(err error) ErrorKind {
	var pe *Error
	if errors.As(err, &pe) {
		return pe.Kind
	}
	return KindUnknown
}

// IsKind reports whether err is a port error of kind k.
func IsKind(err error, k ErrorKind) bool {
	var pe *Error
	return errors.As(err, &pe) && pe.Kind == k
}
