package stripeapi

import (
	"context"
	"errors"
	"net/http"

	"github.com/stripe/stripe-go/v76"

	"kasse/pos"
)

// Stripe error codes without a stripe-go constant.
const codeIntentInvalidState = "intent_invalid_state"

// codeKinds decides by error code first: the code is the most specific
// signal Stripe gives and its HTTP status for the terminal_reader_* family is
// not documented.
var codeKinds = map[stripe.ErrorCode]pos.ErrorKind{
	stripe.ErrorCodeTerminalReaderBusy:           pos.KindReaderBusy,
	stripe.ErrorCodeTerminalReaderOffline:        pos.KindReaderOffline,
	stripe.ErrorCodeTerminalReaderHardwareFault:  pos.KindReaderOffline, // the reader cannot take payments at all
	stripe.ErrorCodeTerminalReaderTimeout:        pos.KindReaderTimeout,
	codeIntentInvalidState:                       pos.KindInvalidState,
	stripe.ErrorCodePaymentIntentUnexpectedState: pos.KindInvalidState,
	stripe.ErrorCodeSetupIntentUnexpectedState:   pos.KindInvalidState,
	stripe.ErrorCodeResourceMissing:              pos.KindNotFound,
	stripe.ErrorCodeAccountInvalid:               pos.KindAuth, // see doc.go
	stripe.ErrorCodeRateLimit:                    pos.KindRateLimited,
	stripe.ErrorCodeLockTimeout:                  pos.KindRateLimited, // left after stripe-go's own retries
	stripe.ErrorCodeIdempotencyKeyInUse:          pos.KindUnknown,     // the first request is still running
	stripe.ErrorCodeCardDeclined:                 pos.KindDeclined,
	stripe.ErrorCodeExpiredCard:                  pos.KindDeclined,
	stripe.ErrorCodeIncorrectCVC:                 pos.KindDeclined,
	stripe.ErrorCodeIncorrectNumber:              pos.KindDeclined,
	stripe.ErrorCodeProcessingError:              pos.KindDeclined,
}

// toError converts any error from stripe-go (or from this package) into a
// *pos.Error. nil stays nil.
func (c *Client) toError(err error) error {
	if err == nil {
		return nil
	}
	var pe *pos.Error
	if errors.As(err, &pe) {
		return pe
	}
	var se *stripe.Error
	if errors.As(err, &se) {
		return &pos.Error{
			Kind:        kindOf(se),
			Code:        string(se.Code),
			DeclineCode: string(se.DeclineCode),
			Param:       se.Param,
			Message:     c.scrub(se.Msg),
			HTTPStatus:  se.HTTPStatusCode,
			RequestID:   se.RequestID,
			IntentID:    intentOfError(err),
		}
	}
	// Network faults, timeouts, canceled contexts and undecodable bodies: the
	// request may or may not have reached Stripe.
	msg := err.Error()
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		msg = "deadline exceeded: " + msg
	case errors.Is(err, context.Canceled):
		msg = "canceled: " + msg
	default:
		msg = "no usable response: " + msg
	}
	return &pos.Error{Kind: pos.KindUnknown, Message: c.scrub(msg)}
}

// kindOf classifies a Stripe API error. Order matters: server errors first
// (outcome unknown whatever the body says), then the code, then the type and
// the HTTP status.
func kindOf(se *stripe.Error) pos.ErrorKind {
	status := se.HTTPStatusCode
	if status >= 500 {
		return pos.KindUnknown
	}
	if k, ok := codeKinds[se.Code]; ok {
		return k
	}
	switch se.Type {
	case stripe.ErrorTypeCard:
		return pos.KindDeclined
	case stripe.ErrorTypeIdempotency:
		return pos.KindIdempotency
	case stripe.ErrorTypeAPI:
		return pos.KindUnknown
	}
	switch status {
	case http.StatusUnauthorized, http.StatusForbidden:
		return pos.KindAuth
	case http.StatusPaymentRequired:
		return pos.KindDeclined
	case http.StatusNotFound:
		return pos.KindNotFound
	case http.StatusConflict:
		return pos.KindUnknown
	case http.StatusTooManyRequests:
		return pos.KindRateLimited
	}
	if status >= 400 {
		return pos.KindInvalidRequest
	}
	return pos.KindUnknown
}
