package supervisor

import (
	"context"
	"errors"
	"io"
	"strconv"
	"strings"

	"kasse/config"
	"kasse/i18n"
	"kasse/journal"
)

// maxPINLine bounds what ReadPIN reads from one line.
const maxPINLine = 256

// ReadPIN reads one line from r and returns it with surrounding white space
// (and the line end) removed. It reads byte by byte, never past the line
// end, so several PINs can be read from one stream (stdin) in turn. A line
// longer than 256 bytes is an error; end of input after some characters
// ends the line; end of input before any is io.EOF. On a terminal, the
// caller turns echo off around it.
func ReadPIN(r io.Reader) (PIN, error) {
	var line []byte
	b := make([]byte, 1)
	for {
		n, err := r.Read(b)
		if n == 1 {
			if b[0] == '\n' {
				break
			}
			if len(line) == maxPINLine {
				return "", failure(ErrPINFormat, i18n.M("cli.supervisor.pin_line_long"))
			}
			line = append(line, b[0])
			continue
		}
		if errors.Is(err, io.EOF) {
			if len(line) == 0 {
				return "", io.EOF
			}
			break
		}
		if err != nil {
			return "", failure(err, i18n.M("cli.supervisor.pin_read", i18n.Args{"Error": err}))
		}
	}
	return PIN(strings.TrimSpace(string(line))), nil
}

// SetPINRequest sets Operator's PIN to New. When Operator has a PIN
// already, Current must be it — or By names a supervisor who resets
// Operator's PIN with their own PIN in Current (a forgotten PIN).
//
// A first PIN needs a supervisor too: By names them and Current is their
// PIN. The one exception is the very first supervisor of a journal: while
// no configured supervisor has a PIN in it, a supervisor sets their own
// first PIN alone (someone has to be first; whoever may run `kasse pin
// set` on the machine may also edit the configuration).
type SetPINRequest struct {
	Operator string
	By       string // "" or the supervisor who sets or resets Operator's PIN
	Current  PIN    // Operator's current PIN, or By's PIN
	New      PIN
}

// HasPIN reports whether operator has a PIN.
func (g *Guard) HasPIN(ctx context.Context, operator string) (bool, error) {
	_, err := g.Journal.PinHash(ctx, operator)
	if errors.Is(err, journal.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// SupervisorHasPIN reports whether any configured supervisor has a PIN in
// the journal. Until one does, the first supervisor may set their own
// first PIN without anybody else's (SetPIN).
func (g *Guard) SupervisorHasPIN(ctx context.Context) (bool, error) {
	for _, o := range g.Operators {
		if o.Role != config.RoleSupervisor {
			continue
		}
		has, err := g.HasPIN(ctx, o.Name)
		if err != nil || has {
			return has, err
		}
	}
	return false, nil
}

// FirstPINNeedsSupervisor reports whether operator's first PIN needs a
// supervisor's PIN (--by): always, except for a supervisor while no
// supervisor has a PIN yet.
func (g *Guard) FirstPINNeedsSupervisor(ctx context.Context, operator string) (bool, error) {
	if o, ok := g.Operator(operator); ok && o.Role == config.RoleSupervisor {
		return g.SupervisorHasPIN(ctx)
	}
	return true, nil
}

// SetPIN checks and hashes the new PIN and stores the hash in the journal
// (which it makes private first), then audits "pin.set". The operator must
// be configured. Replacing a PIN goes through Authorize (and so counts
// wrong PINs and honours a lock).
func (g *Guard) SetPIN(ctx context.Context, req SetPINRequest) error {
	o, ok := g.Operator(req.Operator)
	if !ok || o.Role == "" {
		return input(i18n.M("cli.supervisor.no_such_operator", i18n.Args{"Operator": strconv.Quote(req.Operator)}))
	}
	has, err := g.HasPIN(ctx, req.Operator)
	if err != nil {
		return err
	}
	who, what := req.Operator, "first PIN"
	switch {
	case req.By != "" && req.By != req.Operator && !has:
		if err := g.Authorize(ctx, Attempt{Operator: req.By, Action: ActionPinFirst, Subject: req.Operator, PIN: req.Current}); err != nil {
			return err
		}
		who, what = req.By, "first PIN set by "+req.By
	case req.By != "" && req.By != req.Operator:
		if err := g.Authorize(ctx, Attempt{Operator: req.By, Action: ActionPinReset, Subject: req.Operator, PIN: req.Current}); err != nil {
			return err
		}
		who, what = req.By, "reset by "+req.By
	case !has:
		need, err := g.FirstPINNeedsSupervisor(ctx, req.Operator)
		if err != nil {
			return err
		}
		if need {
			r := refusal(Refusal{Kind: RefusedRole, Operator: req.Operator, Action: ActionPinFirst, Role: o.Role, Need: Roles(ActionPinFirst)},
				firstPINHow(req.Operator, o.Role))
			return g.refuse(ctx, Attempt{Operator: req.Operator, Action: ActionPinFirst, Subject: req.Operator}, "auth.denied", r)
		}
	case has:
		if err := g.Authorize(ctx, Attempt{Operator: req.Operator, Action: ActionPinChange, Subject: req.Operator, PIN: req.Current}); err != nil {
			return err
		}
		what = "changed"
	}
	if err := CheckPIN(req.New); err != nil {
		return err
	}
	hash, err := HashPIN(req.New)
	if err != nil {
		return err
	}
	at := g.now()
	if err := g.Journal.SetPinHash(ctx, req.Operator, hash, at); err != nil {
		return err
	}
	if err := g.Journal.ClearPinFailures(ctx, req.Operator, LockScope); err != nil {
		return err
	}
	return g.audit(ctx, Attempt{Operator: who, Subject: req.Operator}, "pin.set", "operator="+req.Operator+" "+what)
}

// firstPINHow says who may set operator's first PIN and how.
func firstPINHow(operator string, role config.Role) i18n.Message {
	if role == config.RoleSupervisor {
		return i18n.M("cli.supervisor.first_pin_supervisor", i18n.Args{"Operator": operator})
	}
	return i18n.M("cli.supervisor.first_pin", i18n.Args{"Operator": operator})
}
