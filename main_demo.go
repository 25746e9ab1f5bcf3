package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"kasse/internal/term"
	"kasse/readers"
	"kasse/supervisor"
)

// addDemoOperators gives the sandbox's demo its operators (a cashier, a
// supervisor and a tech, see supervisor.DemoOperators) when the
// configuration wants them (config.Config.DemoOperators: sandbox mode, the
// demo seed, no operators of one's own), and their demo PINs to the
// sandbox journal where an operator has none yet. With a real key it does
// nothing: no demo operator exists there.
func (a *app) addDemoOperators(ctx context.Context) error {
	if !a.cfg.DemoOperators() {
		return nil
	}
	demo := supervisor.DemoOperators()
	for _, d := range demo {
		a.cfg.Operators = append(a.cfg.Operators, d.Operator)
	}
	if _, err := a.guard().SeedDemoPINs(ctx, demo, false); err != nil {
		return fmt.Errorf("demo operators: %w", err)
	}
	a.demo = demo
	return nil
}

// demoOperators are the demo operators for the console's first screen,
// each with the demo PIN that still opens (none changed since, checked
// against the journal); nil outside the sandbox's demo.
func (a *app) demoOperators(ctx context.Context) []supervisor.DemoOperator {
	if len(a.demo) == 0 {
		return nil
	}
	ops, err := a.guard().SeedDemoPINs(ctx, a.demo, true)
	if err != nil {
		a.log.Error("demo operators", "err", err)
		return nil
	}
	return ops
}

// guard checks operators' roles and PINs against this environment's
// journal.
func (a *app) guard() *supervisor.Guard {
	return &supervisor.Guard{Journal: a.journal, Operators: a.cfg.Operators, Lockout: a.cfg.PinLockout,
		Log: a.log.With("component", "supervisor")}
}

// authorizeReaders is `kasse readers`' check for commands that change the
// fleet: the operator (--operator or the configured one) must be a tech or
// a supervisor, and the first line of stdin their PIN.
func (a *app) authorizeReaders(stdin io.Reader, stderr io.Writer) func(ctx context.Context, command string) error {
	return func(ctx context.Context, command string) error {
		err := a.guard().AuthorizeFromStdin(ctx, a.cfg.Operator, supervisor.ActionReaders, "readers "+command, term.PINInput(stdin, stderr), stderr)
		if r, ok := supervisor.AsRefusal(err); ok {
			return readers.Refused(r.Msg)
		}
		if errors.Is(err, supervisor.ErrInput) {
			return readers.MissingPIN(err.Error())
		}
		return err
	}
}
