package sandbox

import (
	"fmt"
	"net/http"
	"strings"
)

// Error types allowed by the 2023-10-16 spec (api_errors.type).
const (
	errAPI            = "api_error"
	errCard           = "card_error"
	errIdempotency    = "idempotency_error"
	errInvalidRequest = "invalid_request_error"
)

// apiError is a Stripe error response. Body fields follow the spec's
// api_errors schema; the rest steer how the server stores and replays it.
type apiError struct {
	Status      int
	Type        string
	Code        string
	DeclineCode string
	Message     string
	Param       string
	// PaymentIntent is embedded in payment_intent_unexpected_state errors.
	PaymentIntent any
	Charge        string

	// validation marks errors raised before execution began: Stripe does
	// not store those under the idempotency key.
	validation bool
	// shouldRetry, when non-nil, is sent as Stripe-Should-Retry.
	shouldRetry *bool
}

func (e *apiError) Error() string {
	return fmt.Sprintf("%d %s %s: %s", e.Status, e.Type, e.Code, e.Message)
}

// body renders {"error": {...}} with only the fields that are set, as
// Stripe does.
func (e *apiError) body() map[string]any {
	m := map[string]any{"type": e.Type, "message": e.Message}
	if e.Code != "" {
		m["code"] = e.Code
		m["doc_url"] = "https://stripe.com/docs/error-codes/" + strings.ReplaceAll(e.Code, "_", "-")
	}
	if e.DeclineCode != "" {
		m["decline_code"] = e.DeclineCode
	}
	if e.Param != "" {
		m["param"] = e.Param
	}
	if e.PaymentIntent != nil {
		m["payment_intent"] = e.PaymentIntent
	}
	if e.Charge != "" {
		m["charge"] = e.Charge
	}
	return map[string]any{"error": m}
}

func invalid(status int, code, param, format string, args ...any) *apiError {
	return &apiError{Status: status, Type: errInvalidRequest, Code: code, Param: param, Message: fmt.Sprintf(format, args...)}
}

// errMissingParam: a required parameter is absent (validation, not stored).
func errMissingParam(param string) *apiError {
	e := invalid(http.StatusBadRequest, "parameter_missing", param, "Missing required param: %s.", param)
	e.validation = true
	return e
}

// errInvalidParam: a parameter has a bad value (validation, not stored).
func errInvalidParam(param, format string, args ...any) *apiError {
	e := invalid(http.StatusBadRequest, "parameter_invalid", param, format, args...)
	e.validation = true
	return e
}

// errInvalidInteger mirrors Stripe's parameter_invalid_integer.
func errInvalidInteger(param, value string) *apiError {
	e := invalid(http.StatusBadRequest, "parameter_invalid_integer", param, "Invalid integer: %s", value)
	e.validation = true
	return e
}

// errUnknownParam mirrors Stripe's parameter_unknown.
func errUnknownParam(param string) *apiError {
	e := invalid(http.StatusBadRequest, "parameter_unknown", param, "Received unknown parameter: %s", param)
	e.validation = true
	return e
}

// errNoSuch is the 404 for a missing object, or one of another account.
// kind is Stripe's object name as used in the message ("payment_intent",
// "terminal.reader", "charge", …).
func errNoSuch(kind, id string) *apiError {
	return invalid(http.StatusNotFound, "resource_missing", "id", "No such %s: '%s'", kind, id)
}

func errUnrecognizedURL(method, path string) *apiError {
	return &apiError{Status: http.StatusNotFound, Type: errInvalidRequest, validation: true,
		Message: fmt.Sprintf("Unrecognized request URL (%s: %s). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.", method, path)}
}

func errInternal(format string, args ...any) *apiError {
	return &apiError{Status: http.StatusInternalServerError, Type: errAPI, Message: fmt.Sprintf(format, args...)}
}
