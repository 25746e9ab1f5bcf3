// Package apierr is Stripe's error object (stripe-api.md §9) as the sandbox
// answers it: the body fields the 2023-10-16 spec declares for api_errors,
// plus what steers the server — whether the call counts as executed (and is
// stored under its idempotency key) and the Stripe-Should-Retry header.
package apierr

import (
	"fmt"
	"net/http"
	"strings"
)

// Error types allowed by the 2023-10-16 spec (api_errors.type).
const (
	TypeAPI            = "api_error"
	TypeCard           = "card_error"
	TypeIdempotency    = "idempotency_error"
	TypeInvalidRequest = "invalid_request_error"
)

// Error is a Stripe error response.
type Error struct {
	Status      int
	Type        string
	Code        string
	DeclineCode string
	Message     string
	Param       string
	// PaymentIntent is embedded in payment_intent_unexpected_state errors
	// (the rendered intent).
	PaymentIntent any
	Charge        string
	// PaymentMethod (a card declined) and SetupIntent
	// (setup_intent_unexpected_state) are embedded likewise.
	PaymentMethod any
	SetupIntent   any

	// Validation marks errors raised before execution began: Stripe does
	// not store those under the idempotency key.
	Validation bool
	// ShouldRetry, when non-nil, is sent as Stripe-Should-Retry.
	ShouldRetry *bool
}

func (e *Error) Error() string {
	return fmt.Sprintf("%d %s %s: %s", e.Status, e.Type, e.Code, e.Message)
}

// body is {"error": {...}} with only the fields that are set, as Stripe
// sends it.
type body struct {
	Error bodyFields `json:"error"`
}

type bodyFields struct {
	Charge        string `json:"charge,omitempty"`
	Code          string `json:"code,omitempty"`
	DeclineCode   string `json:"decline_code,omitempty"`
	DocURL        string `json:"doc_url,omitempty"`
	Message       string `json:"message"`
	Param         string `json:"param,omitempty"`
	PaymentIntent any    `json:"payment_intent,omitempty"`
	PaymentMethod any    `json:"payment_method,omitempty"`
	SetupIntent   any    `json:"setup_intent,omitempty"`
	Type          string `json:"type"`
}

// Body is the value to marshal as the response body.
func (e *Error) Body() any {
	return &body{Error: bodyFields{Charge: e.Charge, Code: e.Code, DeclineCode: e.DeclineCode, DocURL: DocURL(e.Code),
		Message: e.Message, Param: e.Param, PaymentIntent: e.PaymentIntent, PaymentMethod: e.PaymentMethod,
		SetupIntent: e.SetupIntent, Type: e.Type}}
}

// WithParam sets the param the error names and returns e.
func (e *Error) WithParam(p string) *Error { e.Param = p; return e }

// DocURL is the doc_url Stripe sends with an error code ("" without one).
func DocURL(code string) string {
	if code == "" {
		return ""
	}
	return "https://stripe.com/docs/error-codes/" + strings.ReplaceAll(code, "_", "-")
}

// Invalid is an invalid_request_error.
func Invalid(status int, code, param, format string, args ...any) *Error {
	return &Error{Status: status, Type: TypeInvalidRequest, Code: code, Param: param, Message: fmt.Sprintf(format, args...)}
}

// Validation is Invalid for an error raised before execution (not stored
// under an idempotency key).
func Validation(status int, code, param, format string, args ...any) *Error {
	e := Invalid(status, code, param, format, args...)
	e.Validation = true
	return e
}

// MissingParam: a required parameter is absent.
func MissingParam(param string) *Error {
	return Validation(http.StatusBadRequest, "parameter_missing", param, "Missing required param: %s.", param)
}

// InvalidParam: a parameter has a bad value.
func InvalidParam(param, format string, args ...any) *Error {
	return Validation(http.StatusBadRequest, "parameter_invalid", param, format, args...)
}

// InvalidInteger mirrors Stripe's parameter_invalid_integer.
func InvalidInteger(param, value string) *Error {
	return Validation(http.StatusBadRequest, "parameter_invalid_integer", param, "Invalid integer: %s", value)
}

// UnknownParam mirrors Stripe's parameter_unknown.
func UnknownParam(param string) *Error {
	return Validation(http.StatusBadRequest, "parameter_unknown", param, "Received unknown parameter: %s", param)
}

// NoSuch is the 404 for a missing object, or one of another account. kind
// is Stripe's object name as used in the message ("payment_intent",
// "terminal.reader", "charge", …).
func NoSuch(kind, id string) *Error {
	return Invalid(http.StatusNotFound, "resource_missing", "id", "No such %s: '%s'", kind, id)
}

// UnrecognizedURL is the 404 for a path (or method) the API does not have.
func UnrecognizedURL(method, path string) *Error {
	return &Error{Status: http.StatusNotFound, Type: TypeInvalidRequest, Validation: true,
		Message: fmt.Sprintf("Unrecognized request URL (%s: %s). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.", method, path)}
}

// Internal is a 500 api_error.
func Internal(format string, args ...any) *Error {
	return &Error{Status: http.StatusInternalServerError, Type: TypeAPI, Message: fmt.Sprintf(format, args...)}
}

// The Terminal reader errors (stripe-api.md §1.5). None is stored under an
// idempotency key: each is answered before the command reaches the reader
// (terminal_reader_timeout: Stripe asks integrations to retry it, and a
// retry must reach the reader again).

// ReaderOffline is terminal_reader_offline.
func ReaderOffline() *Error {
	return Validation(http.StatusBadRequest, "terminal_reader_offline", "",
		"Reader is currently offline, please ensure the reader is powered on and connected to the internet before retrying your request. Reference the integration guide at https://stripe.com/docs/terminal/payments/collect-payment?terminal-sdk-platform=server-driven#handle-errors for details on how to handle this error.")
}

// ReaderTimeout is terminal_reader_timeout.
func ReaderTimeout() *Error {
	return Validation(http.StatusBadRequest, "terminal_reader_timeout", "",
		"There was a timeout when sending this command to the reader. Please retry the request. Reference the integration guide at https://stripe.com/docs/terminal/payments/collect-payment?terminal-sdk-platform=server-driven#handle-errors for details on how to handle this error.")
}

// ReaderBusy is terminal_reader_busy.
func ReaderBusy() *Error {
	return Validation(http.StatusBadRequest, "terminal_reader_busy", "",
		"Reader is currently busy processing another request. Please reference the integration guide at https://stripe.com/docs/terminal/payments/collect-payment?terminal-sdk-platform=server-driven#handle-errors for details on how to handle this error.")
}
