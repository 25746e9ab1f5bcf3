package supervisor

import (
	"errors"
	"fmt"
	"time"

	"kasse/config"
)

// RefusalKind says why the Guard refused an action.
type RefusalKind string

// Refusal kinds.
const (
	RefusedUnknownOperator RefusalKind = "unknown_operator" // not in the configuration
	RefusedRole            RefusalKind = "role"             // the role does not allow the action
	RefusedNoPIN           RefusalKind = "no_pin"           // no PIN set yet
	RefusedWrongPIN        RefusalKind = "wrong_pin"
	RefusedLocked          RefusalKind = "locked" // too many wrong PINs; see LockedUntil
)

// Refusal is the Guard's "no": who, what, why, and what is left. Its
// message is specific and safe to show ("wrong PIN, 3 tries left",
// "ann is locked out of supervisor actions until 14:05", "bo is a cashier;
// refunds need a supervisor"); it never contains the PIN.
type Refusal struct {
	Kind        RefusalKind
	Operator    string
	Action      Action
	Role        config.Role   // RefusedRole: the operator's role
	Need        []config.Role // RefusedRole: the roles the action needs
	TriesLeft   int           // RefusedWrongPIN
	LockedUntil time.Time     // RefusedLocked (also when this very try locked)
	Msg         string
}

func (e *Refusal) Error() string { return e.Msg }

// AsRefusal returns the Refusal in err's chain, if any.
func AsRefusal(err error) (*Refusal, bool) {
	var r *Refusal
	ok := errors.As(err, &r)
	return r, ok
}

// Sentinels for errors.Is on the service's own failures.
var (
	// ErrInput: a request the service refused before any Stripe call (a
	// bad reason, seller or payment id). The message says what to fix.
	ErrInput = errors.New("invalid request")
	// ErrAudit: the audit log could not be written; a supervisor action
	// is never carried out without its audit entry.
	ErrAudit = errors.New("audit log not written")
	// ErrOutcomeUnknown: a request went out and its outcome is not known
	// yet. The journal keeps it; Kasse settles it before anything else is
	// done to the payment, and never sends it twice.
	ErrOutcomeUnknown = errors.New("outcome unknown")
	// ErrInProgress: the sale is still running at a counter.
	ErrInProgress = errors.New("sale in progress")
)

// inputError is ErrInput with a specific message.
type inputError struct{ msg string }

func (e *inputError) Error() string { return e.msg }
func (e *inputError) Unwrap() error { return ErrInput }

func inputf(format string, args ...any) error { return &inputError{fmt.Sprintf(format, args...)} }
