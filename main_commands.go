package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"

	"kasse/checkout"
	"kasse/config"
	"kasse/headless"
	"kasse/internal/cli"
	"kasse/internal/term"
	"kasse/journal"
	"kasse/readers"
	"kasse/reports"
	"kasse/supervisor"
)

// app is what every console-side command shares: configuration, log,
// the Stripe side, the journal and the sale executor.
type app struct {
	cfg     *config.Config
	log     *slog.Logger
	be      *backend
	journal *journal.Journal
	runner  *checkout.Runner
	close   func()
	demo    []supervisor.DemoOperator // the sandbox demo's operators (main_demo.go)
}

// setup loads everything a command needs. The caller must call a.close.
func setup(ctx context.Context, cfg *config.Config) (*app, error) {
	log, closeLog, err := openLog(cfg.LogFile)
	if err != nil {
		return nil, fmt.Errorf("log file: %w", err)
	}
	for _, w := range cfg.Warnings {
		log.Warn("config", "warning", w)
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		closeLog()
		return nil, fmt.Errorf("data dir: %w%s", err, permissionHint(err, cfg.DataDir))
	}
	be, err := connect(ctx, cfg, log)
	if err != nil {
		closeLog()
		return nil, err
	}
	j, err := journal.Open(cfg.JournalPath())
	if err != nil {
		be.stop()
		closeLog()
		return nil, fmt.Errorf("%w%s", err, permissionHint(err, cfg.DataDir))
	}
	j.SetOrigin(cfg.ConsoleID, cfg.Operator)
	r := &checkout.Runner{Payments: be.client, Terminal: be.client, Journal: j, Log: log.With("component", "checkout")}
	if be.mode != config.ModeLive {
		r.Presenter = be.client
	}
	a := &app{cfg: cfg, log: log, be: be, journal: j, runner: r,
		close: func() { _ = j.Close(); be.stop(); closeLog() }}
	if err := a.addDemoOperators(ctx); err != nil {
		a.close()
		return nil, err
	}
	return a, nil
}

// prepare parses flags, loads the configuration and sets up the app; a
// nil app means exit with code.
func prepare(ctx context.Context, name, synopsis string, args []string, stderr io.Writer) (*app, int) {
	fs, cf := flagSet(name, synopsis, stderr)
	cfg, code, ok := parse(fs, cf, args, stderr)
	if !ok {
		return nil, code
	}
	a, err := setup(ctx, cfg)
	if err != nil {
		fmt.Fprintf(stderr, "kasse %s: %v\n", name, err)
		return nil, 1
	}
	return a, 0
}

// withApp runs `kasse name`: the shared settings in args set up the app,
// and cmd runs with it and the command's own flags (rest), which its
// package parses. The app is closed when cmd returns.
func withApp(ctx context.Context, name, synopsis string, args []string, stderr io.Writer, cmd func(a *app, rest []string) int) int {
	shared, rest := config.SplitFlags(args)
	a, code := prepare(ctx, name, synopsis, shared, stderr)
	if a == nil {
		return code
	}
	defer a.close()
	return cmd(a, rest)
}

func runCharge(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return withApp(ctx, "charge", "charge [shared flags] --seller ACCT --reader TMR --amount A …", args, stderr, func(a *app, rest []string) int {
		if !wantsHelp(rest) {
			a.reconcile(ctx, checkout.ReconcileOptions{})
		}
		d := headless.Deps{Sellers: a.be.client, Payments: a.be.client, Terminal: a.be.client, Presenter: a.runner.Presenter,
			Journal: a.journal, ConsoleID: a.cfg.ConsoleID, Operator: a.cfg.Operator, Mode: a.be.mode,
			CaptureMethod: a.cfg.CaptureMethod, Tipping: a.cfg.Tipping, CustomerCancellation: a.cfg.CustomerCancellation,
			Log: a.log.With("component", "charge")}
		return headless.RunCharge(ctx, d, rest, cli.IO{Out: stdout, Err: stderr})
	})
}

func runReaders(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return withApp(ctx, "readers", "readers [shared flags] COMMAND …", args, stderr, func(a *app, rest []string) int {
		return readers.RunReaders(ctx, readers.CLIDeps{Fleet: a.fleet(), Recent: a.recentRequests,
			Authorize: a.authorizeReaders(stdin, stderr)}, rest, cli.IO{Out: stdout, Err: stderr})
	})
}

// fleet is the reader-fleet service of kasse readers and the console.
func (a *app) fleet() *readers.Fleet {
	mode := readers.ModeTest
	if a.be.mode == config.ModeLive {
		mode = readers.ModeLive
	}
	return &readers.Fleet{Terminal: a.be.client, Sellers: a.be.client, Payments: a.be.client, Presenter: a.runner.Presenter, Mode: mode}
}

// recentRequests are the client's recent Stripe requests, for reader
// diagnostics bundles.
func (a *app) recentRequests() []readers.RequestRecord {
	var out []readers.RequestRecord
	for _, r := range a.be.client.RecentRequests() {
		out = append(out, readers.RequestRecord(r))
	}
	return out
}

func supervisorDeps(a *app) supervisor.Deps {
	return supervisor.Deps{Payments: a.be.client, Terminal: a.be.client, Runner: a.runner, Journal: a.journal,
		Operators: a.cfg.Operators, Operator: a.cfg.Operator,
		ConsoleID: a.cfg.ConsoleID, PinLockout: a.cfg.PinLockout, Log: a.log.With("component", "supervisor")}
}

func runRefund(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return withApp(ctx, "refund", "refund [shared flags] --seller ACCT --payment-intent PI [--amount A] --reason R", args, stderr, func(a *app, rest []string) int {
		if !wantsHelp(rest) {
			a.reconcile(ctx, checkout.ReconcileOptions{})
		}
		return supervisor.RunRefund(ctx, supervisorDeps(a), rest, cli.IO{In: term.PINInput(stdin, stderr), Out: stdout, Err: stderr})
	})
}

func runCapture(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return withApp(ctx, "capture", "capture [shared flags] --seller ACCT --payment-intent PI [--amount A]", args, stderr, func(a *app, rest []string) int {
		return supervisor.RunCapture(ctx, supervisorDeps(a), rest, cli.IO{In: term.PINInput(stdin, stderr), Out: stdout, Err: stderr})
	})
}

func runVoid(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return withApp(ctx, "void", "void [shared flags] --seller ACCT --payment-intent PI [--reason R]", args, stderr, func(a *app, rest []string) int {
		return supervisor.RunVoid(ctx, supervisorDeps(a), rest, cli.IO{In: term.PINInput(stdin, stderr), Out: stdout, Err: stderr})
	})
}

func runPin(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return withApp(ctx, "pin", "pin set [shared flags] [--operator NAME]", args, stderr, func(a *app, rest []string) int {
		return supervisor.RunPin(ctx, supervisorDeps(a), rest, cli.IO{In: term.PINInput(stdin, stderr), Out: stdout, Err: stderr})
	})
}

func runReport(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return withApp(ctx, "report", "report [shared flags] --date YYYY-MM-DD [--seller ACCT] [--csv]", args, stderr, func(a *app, rest []string) int {
		return reports.RunReport(ctx, a.searcher(), rest, cli.IO{Out: stdout, Err: stderr})
	})
}

// searcher reads transactions: this console's from the journal, every
// seller's from Stripe.
func (a *app) searcher() *reports.Searcher {
	return &reports.Searcher{Journal: a.journal, Sellers: a.be.client, Payments: a.be.client, ConsoleID: a.cfg.ConsoleID}
}
