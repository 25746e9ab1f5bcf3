package app

import (
	"context"
	"errors"

	"kasse/config"
	"kasse/internal/cli"
	"kasse/internal/term"
	"kasse/readers"
	"kasse/reports"
	"kasse/supervisor"
)

// The services the console and the commands share, built from the App.

// SupervisorDeps builds supervisor.Service (refunds, voids, captures,
// PINs) for this environment.
func (a *App) SupervisorDeps() supervisor.Deps {
	return supervisor.Deps{Payments: a.Client, Terminal: a.Client, Transfers: a.Client, Sellers: a.Sellers(), Runner: a.Runner, Journal: a.Journal,
		Operators: a.Config.Operators, Operator: a.Config.Operator,
		ConsoleID: a.Config.ConsoleID, PinLockout: a.Config.PinLockout, Log: a.Log.With("component", "supervisor"),
		Disputes: a.Client}
}

// Fleet is the reader-fleet service of kasse readers and the console.
func (a *App) Fleet() *readers.Fleet {
	mode := readers.ModeTest
	if a.Mode == config.ModeLive {
		mode = readers.ModeLive
	}
	return &readers.Fleet{Terminal: a.Client, Sellers: a.Client, Payments: a.Client, Presenter: a.Runner.Presenter, Mode: mode}
}

// Searcher reads transactions: this console's from the journal, every
// seller's from Stripe.
func (a *App) Searcher() *reports.Searcher {
	return &reports.Searcher{Journal: a.Journal, Sellers: a.Sellers(), Payments: a.Client, Transfers: a.Client, ConsoleID: a.Config.ConsoleID}
}

// Guard checks operators' roles and PINs against this environment's
// journal.
func (a *App) Guard() *supervisor.Guard {
	return &supervisor.Guard{Journal: a.Journal, Operators: a.Config.Operators, Lockout: a.Config.PinLockout,
		Log: a.Log.With("component", "supervisor")}
}

// AuthorizeReaders is `kasse readers`' check for commands that change the
// fleet: the operator (--operator or the configured one) must be a tech or
// a supervisor, and the first line of stdin their PIN.
func (a *App) AuthorizeReaders(std cli.IO) func(ctx context.Context, command string) error {
	return func(ctx context.Context, command string) error {
		err := a.Guard().AuthorizeFromStdin(ctx, a.Config.Operator, supervisor.ActionReaders, "readers "+command, term.PINInput(std.In, std.Err), std.Err, a.Loc)
		if r, ok := supervisor.AsRefusal(err); ok {
			return readers.Refused(r)
		}
		if errors.Is(err, supervisor.ErrInput) {
			return readers.MissingPIN(err)
		}
		return err
	}
}
