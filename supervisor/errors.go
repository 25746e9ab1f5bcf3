package supervisor

import (
	"errors"
	"time"

	"kasse/config"
	"kasse/i18n"
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
	// Msg is the refusal in English, for logs and --json; Localize words
	// it in the reader's language.
	Msg string
	msg i18n.Message
}

func (e *Refusal) Error() string { return e.Msg }

// Localize renders the refusal in loc's words (a Refusal made without its
// message, by a test's fake, as its Msg).
func (e *Refusal) Localize(loc *i18n.Locale) string {
	if e.msg.ID == "" {
		return e.Msg
	}
	return loc.Render(e.msg)
}

// refusal is r with its message m (Msg in English).
func refusal(r Refusal, m i18n.Message) *Refusal {
	r.msg, r.Msg = m, i18n.Neutral().Render(m)
	return &r
}

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

// input is ErrInput with a specific, catalogued message.
func input(m i18n.Message) error { return &i18n.Error{Kind: ErrInput, Msg: m} }

// failure is a failure of kind (a sentinel, or the error it wraps: errors.Is
// and errors.As see it) with a catalogued message.
func failure(kind error, m i18n.Message) error { return &i18n.Error{Kind: kind, Msg: m} }
