package supervisor

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"kasse/config"
	"kasse/i18n"
	"kasse/journal"
)

// Action is something only some roles may do, each time with a PIN.
type Action string

// Guarded actions.
const (
	ActionRefund       Action = "refund"
	ActionVoid         Action = "void"
	ActionCapture      Action = "capture"
	ActionReports      Action = "reports"               // end of day, exports
	ActionTransactions Action = "transactions"          // find any seller's payments
	ActionReaders      Action = "readers"               // reader screens and fleet commands: register, delete, test
	ActionDisputes     Action = "disputes"              // the disputes desk: evidence, submit, accept
	ActionPinChange    Action = "pin.change"            // replace one's own PIN
	ActionPinReset     Action = "pin.reset"             // replace another operator's forgotten PIN
	ActionPinFirst     Action = "pin.first"             // set another operator's first PIN
	ActionRemoveCard   Action = "customers.remove_card" // remove a customer's saved card
)

// permissions is the role table: who may do what (with their PIN).
var permissions = map[Action][]config.Role{
	ActionRefund:       {config.RoleSupervisor},
	ActionVoid:         {config.RoleSupervisor},
	ActionCapture:      {config.RoleSupervisor},
	ActionReports:      {config.RoleSupervisor},
	ActionTransactions: {config.RoleSupervisor},
	ActionReaders:      {config.RoleTech, config.RoleSupervisor},
	ActionDisputes:     {config.RoleSupervisor},
	ActionPinChange:    {config.RoleCashier, config.RoleSupervisor, config.RoleTech},
	ActionPinReset:     {config.RoleSupervisor},
	ActionPinFirst:     {config.RoleSupervisor},
	ActionRemoveCard:   {config.RoleSupervisor},
}

// actionName is the plural noun of a refusal message: "refunds".
func actionName(a Action) i18n.Message {
	switch a {
	case ActionRefund:
		return i18n.M("cli.supervisor.action.refund")
	case ActionVoid:
		return i18n.M("cli.supervisor.action.void")
	case ActionCapture:
		return i18n.M("cli.supervisor.action.capture")
	case ActionReports:
		return i18n.M("cli.supervisor.action.reports")
	case ActionTransactions:
		return i18n.M("cli.supervisor.action.transactions")
	case ActionReaders:
		return i18n.M("cli.supervisor.action.readers")
	case ActionDisputes:
		return i18n.M("cli.supervisor.action.disputes")
	case ActionRemoveCard:
		return i18n.M("cli.supervisor.action.remove_card")
	case ActionPinChange:
		return i18n.M("cli.supervisor.action.pin_change")
	case ActionPinReset:
		return i18n.M("cli.supervisor.action.pin_reset")
	case ActionPinFirst:
		return i18n.M("cli.supervisor.action.pin_first")
	}
	return i18n.M("cli.supervisor.action.other", i18n.Args{"Action": string(a)})
}

// Roles returns the roles allowed to do a (nil for an unknown action).
func Roles(a Action) []config.Role { return append([]config.Role(nil), permissions[a]...) }

// Permitted reports whether role may do a.
func Permitted(role config.Role, a Action) bool {
	for _, r := range permissions[a] {
		if r == role {
			return true
		}
	}
	return false
}

// Lockout defaults.
const (
	DefaultMaxTries = 5
	// LockScope is the pin_failures scope the Guard counts in: one count per
	// operator across all actions, since per-action counts would multiply
	// the guesses an attacker gets before a lock.
	LockScope = "pin"
)

// Guard checks that an operator may do an action and knows their PIN. Its
// state (the PIN hashes, wrong-PIN counts and locks) lives in the journal,
// so a lock survives a restart and a new Guard. Every decision is audited:
// "auth.ok", "auth.denied" (role, no PIN), "auth.fail" (wrong PIN),
// "auth.locked"; never with the PIN.
type Guard struct {
	Journal   *journal.Journal
	Operators []config.Operator
	Lockout   time.Duration    // how long a lock lasts; 0: config.DefaultPinLockout
	MaxTries  int              // wrong PINs in a row that lock; 0: DefaultMaxTries
	Now       func() time.Time // default time.Now
	Log       *slog.Logger

	mu sync.Mutex // one verification at a time in this process
}

func (g *Guard) now() time.Time {
	if g.Now != nil {
		return g.Now()
	}
	return time.Now()
}

func (g *Guard) log() *slog.Logger {
	if g.Log != nil {
		return g.Log
	}
	return slog.New(slog.DiscardHandler)
}

func (g *Guard) lockout() time.Duration {
	if g.Lockout > 0 {
		return g.Lockout
	}
	return config.DefaultPinLockout
}

func (g *Guard) maxTries() int {
	if g.MaxTries > 0 {
		return g.MaxTries
	}
	return DefaultMaxTries
}

// Operator returns the configured operator called name.
func (g *Guard) Operator(name string) (config.Operator, bool) {
	for _, o := range g.Operators {
		if o.Name == name {
			return o, true
		}
	}
	return config.Operator{}, false
}

// Attempt is one request to do an action.
type Attempt struct {
	Operator string
	Action   Action
	Subject  string // what the action is on (a payment id), for the audit
	PIN      PIN
}

// Allowed checks the role only (no PIN, no audit): for greying out what an
// operator cannot do.
func (g *Guard) Allowed(operator string, a Action) error {
	if _, ok := permissions[a]; !ok {
		return fmt.Errorf("supervisor: unknown action %q", a) // i18n:ok a programming error: an action without a rule
	}
	o, ok := g.Operator(operator)
	if !ok {
		return refusal(Refusal{Kind: RefusedUnknownOperator, Operator: operator, Action: a},
			i18n.M("cli.supervisor.refusal.unknown_operator", i18n.Args{"Operator": strconv.Quote(operator)}))
	}
	if !Permitted(o.Role, a) {
		return refusal(Refusal{Kind: RefusedRole, Operator: operator, Action: a, Role: o.Role, Need: Roles(a)},
			i18n.M("cli.supervisor.refusal.role", i18n.Args{"Operator": operator, "Role": roleA(o.Role), "Actions": actionName(a),
				"Need": roleList(permissions[a])}))
	}
	return nil
}

// Status is an operator's standing with the Guard, for screens.
type Status struct {
	HasPIN      bool
	TriesLeft   int
	LockedUntil time.Time // zero: not locked
}

// Status reports whether operator has a PIN and how many tries are left.
func (g *Guard) Status(ctx context.Context, operator string) (Status, error) {
	_, err := g.Journal.PinHash(ctx, operator)
	if err != nil && !errors.Is(err, journal.ErrNotFound) {
		return Status{}, err
	}
	st := Status{HasPIN: err == nil, TriesLeft: g.maxTries()}
	l, err := g.Journal.PinFailures(ctx, operator, LockScope)
	if err != nil {
		return Status{}, err
	}
	switch now := g.now(); {
	case l.Locked(now):
		st.TriesLeft, st.LockedUntil = 0, l.LockedUntil
	case l.LockedUntil.IsZero(): // an expired lock starts a fresh count
		st.TriesLeft = max(g.maxTries()-l.Count, 0)
	}
	return st, nil
}

// Authorize lets a through or returns why not: a *Refusal (role, no PIN,
// wrong PIN, locked) or another error (the journal failed). Wrong PINs
// count towards a lock of MaxTries in a row, lasting Lockout; a right PIN
// resets the count. Nothing is allowed without its audit entry.
func (g *Guard) Authorize(ctx context.Context, a Attempt) error {
	if err := g.Allowed(a.Operator, a.Action); err != nil {
		if r, ok := AsRefusal(err); ok {
			return g.refuse(ctx, a, "auth.denied", r)
		}
		return err
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	now := g.now()
	l, err := g.Journal.PinFailures(ctx, a.Operator, LockScope)
	if err != nil {
		return err
	}
	if l.Locked(now) {
		return g.refuse(ctx, a, "auth.locked", g.locked(a, l.LockedUntil, false, now))
	}
	hash, err := g.Journal.PinHash(ctx, a.Operator)
	if errors.Is(err, journal.ErrNotFound) {
		m := i18n.M("cli.supervisor.refusal.no_pin", i18n.Args{"Operator": a.Operator})
		if o, _ := g.Operator(a.Operator); o.Role == config.RoleSupervisor {
			if some, err := g.SupervisorHasPIN(ctx); err == nil && !some {
				m = i18n.M("cli.supervisor.refusal.no_pin_first", i18n.Args{"Operator": a.Operator})
			}
		}
		return g.refuse(ctx, a, "auth.denied", refusal(Refusal{Kind: RefusedNoPIN, Operator: a.Operator, Action: a.Action}, m))
	}
	if err != nil {
		return err
	}
	ok, err := VerifyPIN(a.PIN, hash)
	if err != nil {
		g.log().Error("stored PIN hash is unusable", "operator", a.Operator, "err", err)
		return failure(err, i18n.M("cli.supervisor.pin_hash_unusable", i18n.Args{"Operator": a.Operator, "Error": err}))
	}
	if ok {
		if err := g.Journal.ClearPinFailures(ctx, a.Operator, LockScope); err != nil {
			return err
		}
		if err := g.audit(ctx, a, "auth.ok", "action="+string(a.Action)); err != nil {
			return err
		}
		return nil
	}
	l, err = g.Journal.AddPinFailure(ctx, a.Operator, LockScope, now, g.maxTries(), g.lockout())
	if err != nil {
		return err
	}
	if l.Locked(now) {
		return g.refuse(ctx, a, "auth.fail", g.locked(a, l.LockedUntil, true, now))
	}
	left := max(g.maxTries()-l.Count, 0)
	m := i18n.MN("cli.supervisor.refusal.wrong_pin", left)
	if left == 1 {
		m = i18n.M("cli.supervisor.refusal.wrong_pin_last", i18n.Args{"Lockout": shortDuration(g.lockout())})
	}
	return g.refuse(ctx, a, "auth.fail", refusal(Refusal{Kind: RefusedWrongPIN, Operator: a.Operator, Action: a.Action, TriesLeft: left}, m))
}

// locked is the refusal of a locked operator; wrongPIN: this very try
// locked them.
func (g *Guard) locked(a Attempt, until time.Time, wrongPIN bool, now time.Time) *Refusal {
	at := until.In(now.Location())
	layout := "format.clock"
	if at.Sub(now) >= 12*time.Hour || at.YearDay() != now.YearDay() {
		layout = "format.day_time"
	}
	args := i18n.Args{"Operator": a.Operator, "Until": i18n.Time{Time: at, Layout: layout}, "Tries": g.maxTries()}
	m := i18n.M("cli.supervisor.refusal.locked", args)
	if wrongPIN {
		m = i18n.M("cli.supervisor.refusal.locked_wrong_pin", args)
	}
	return refusal(Refusal{Kind: RefusedLocked, Operator: a.Operator, Action: a.Action, LockedUntil: until}, m)
}

// refuse audits r and returns it (or the audit failure).
func (g *Guard) refuse(ctx context.Context, a Attempt, action string, r *Refusal) error {
	detail := fmt.Sprintf("action=%s refused=%s", a.Action, r.Kind)
	if r.Kind == RefusedWrongPIN {
		detail += fmt.Sprintf(" tries_left=%d", r.TriesLeft)
	}
	if !r.LockedUntil.IsZero() {
		detail += " locked_until=" + r.LockedUntil.UTC().Format(time.RFC3339)
	}
	g.log().Warn("supervisor action refused", "operator", a.Operator, "action", a.Action, "why", r.Kind)
	if err := g.audit(ctx, a, action, detail); err != nil {
		return err
	}
	return r
}

func (g *Guard) audit(ctx context.Context, a Attempt, action, detail string) error {
	err := g.Journal.AppendAudit(ctx, journal.AuditEntry{At: g.now(), Who: a.Operator, Action: action,
		Subject: a.Subject, Detail: detail})
	if err != nil {
		g.log().Error("audit write failed", "action", action, "err", err)
		return auditFailed(err)
	}
	return nil
}

// auditFailed is ErrAudit, saying why.
func auditFailed(err error) error {
	return failure(ErrAudit, i18n.M("cli.supervisor.audit_failed", i18n.Args{"Error": err}))
}

// shortDuration renders 5m0s as "5m" and 1h0m0s as "1h".
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// roleA names a role with its article, as a refusal does: "a supervisor".
func roleA(r config.Role) i18n.Message {
	switch r {
	case config.RoleCashier:
		return i18n.M("cli.supervisor.role.cashier")
	case config.RoleSupervisor:
		return i18n.M("cli.supervisor.role.supervisor")
	case config.RoleTech:
		return i18n.M("cli.supervisor.role.tech")
	}
	return i18n.M("cli.supervisor.role.other", i18n.Args{"Role": string(r)})
}

// roleList is "a tech or a supervisor".
func roleList(roles []config.Role) i18n.Message {
	if len(roles) == 0 {
		return i18n.M("cli.supervisor.role.nobody")
	}
	m := roleA(roles[0])
	for _, r := range roles[1:] {
		m = i18n.M("cli.supervisor.or", i18n.Args{"A": m, "B": roleA(r)})
	}
	return m
}
