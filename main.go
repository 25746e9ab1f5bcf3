// Command kasse is a keyboard-driven point-of-sale console for platforms on
// Stripe Connect. This package composes and nothing else: the table of
// subcommands (one shape, internal/cli), each wiring the App every command
// shares (internal/app) into the package that runs it.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"kasse/checkout"
	"kasse/config"
	"kasse/customers"
	"kasse/events"
	"kasse/headless"
	"kasse/internal/app"
	"kasse/internal/cli"
	"kasse/internal/console"
	"kasse/internal/serve"
	"kasse/internal/term"
	"kasse/readers"
	"kasse/reports"
	"kasse/supervisor"
	"kasse/ui"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return kasse.Run(ctx, args, cli.IO{In: stdin, Out: stdout, Err: stderr})
}

// kasse is every subcommand, in the order kasse --help lists them.
var kasse = &cli.Program{
	Name:    "kasse",
	Title:   "kasse — a point-of-sale console for Stripe Connect platforms",
	Default: "console",
	Footer:  config.FlagsHelp,
	Commands: []cli.Command{
		{Name: "console", Summary: "the console (embedded demo sandbox when no API key is set)",
			Usage: "[flags]", Run: runConsole},
		{Name: "serve", Summary: "serve the console over SSH to the counters of this host",
			Usage: serve.Usage, Run: app.With(serve.RunServe)},
		{Name: "sandbox", Summary: "serve the Stripe sandbox on its own",
			Usage: "sandbox [--addr 127.0.0.1:PORT] [--seed demo|none] [--fault SPEC]…", Run: app.RunSandbox},
		{Name: "charge", Summary: "ring up one sale without the console",
			Usage: "charge [shared flags] --seller ACCT --reader TMR --amount A …", Run: app.With(charge)},
		{Name: "sellers", Summary: "connected sellers: id, name, country, currency, card payments",
			Usage: "sellers [shared flags] [--json]", Run: app.With(sellers)},
		{Name: "readers", Summary: "the reader fleet: list, register, test, rename, deregister, …",
			Usage: "readers [shared flags] COMMAND …", Run: app.With(fleet)},
		{Name: "refund", Summary: "refund a sale (supervisor PIN on stdin)",
			Usage: "refund [shared flags] --seller ACCT --payment-intent PI [--amount A] --reason R", Run: app.With(supervised(supervisor.RunRefund, true))},
		{Name: "capture", Summary: "capture an authorized payment (supervisor PIN on stdin)",
			Usage: "capture [shared flags] --seller ACCT --payment-intent PI [--amount A]", Run: app.With(supervised(supervisor.RunCapture, false))},
		{Name: "void", Summary: "void an authorized payment (supervisor PIN on stdin)",
			Usage: "void [shared flags] --seller ACCT --payment-intent PI [--reason R]", Run: app.With(supervised(supervisor.RunVoid, false))},
		{Name: "reconcile", Summary: "settle sales and refunds a crash left unfinished",
			Usage: "reconcile [shared flags] [--json]", Run: app.With(reconcile)},
		{Name: "report", Summary: "end of day per seller (text or --csv)",
			Usage: "report [shared flags] --date YYYY-MM-DD [--seller ACCT] [--csv]", Run: app.With(report)},
		{Name: "pin set", Summary: "set or change an operator's PIN",
			Usage: "pin set [shared flags] [--operator NAME]", Run: app.With(supervised(supervisor.RunPin, false))},
		{Name: "customers", Summary: "customers and their saved cards: list, show, create, save-card",
			Usage: "customers [shared flags] COMMAND …", Run: app.With(customersCmd)},
		{Name: "config example", Summary: "print a commented example config.toml",
			Usage: "config example", Run: configExample},
		// Stripe's events after the sale (package events) and the disputes desk.
		{Name: "webhooks serve", Summary: "take Stripe's signed webhooks into the journal",
			Usage: "webhooks serve [shared flags] --addr HOST:PORT [--path /PATH] [--catch-up DURATION]", Run: app.With(webhooksServe)},
		{Name: "events tail", Summary: "print Stripe's events as they happen",
			Usage: "events tail [shared flags] [--seller ACCT] [--since DURATION] [--json]", Run: app.With(eventsTail)},
		{Name: "disputes", Summary: "the disputes desk: list, show, evidence, submit, accept",
			Usage: "disputes list|show|evidence|submit|accept [shared flags] … [--json]", Run: app.With(disputes)},
	},
}

func runConsole(ctx context.Context, call cli.Call) int {
	a, code := app.Prepare(ctx, call, call.Args)
	if a == nil {
		return code
	}
	defer a.Close()
	deps, err := console.Deps(ctx, a)
	if err == nil {
		stop := console.Listen(ctx, a) // Stripe's events: catch-up at start and on an interval
		err = ui.Run(deps)
		stop()
	}
	if err != nil {
		fmt.Fprintln(call.Err, "kasse:", err)
		return 1
	}
	return 0
}

func charge(ctx context.Context, a *app.App, args []string, std cli.IO) int {
	if !cli.WantsHelp(args) {
		a.Reconcile(ctx, checkout.ReconcileOptions{})
	}
	cfg := a.Config
	return headless.RunCharge(ctx, headless.Deps{Sellers: a.Sellers(), Payments: a.Client, Terminal: a.Client, Presenter: a.Runner.Presenter, Transfers: a.Client,
		Journal: a.Journal, Customers: a.Customers(), ConsoleID: cfg.ConsoleID, Operator: cfg.Operator, Mode: a.Mode, CaptureMethod: cfg.CaptureMethod,
		Tipping: cfg.Tipping, CustomerCancellation: cfg.CustomerCancellation, Log: a.Log.With("component", "charge")}, args, std)
}

func customersCmd(ctx context.Context, a *app.App, args []string, std cli.IO) int {
	deps := customers.CLIDeps{Service: a.Customers(), Terminal: a.Client, Operator: a.Config.Operator, Mode: a.Mode}
	return customers.RunCustomers(ctx, deps, args, std)
}

func sellers(ctx context.Context, a *app.App, args []string, std cli.IO) int {
	return headless.RunSellers(ctx, a.Sellers(), args, std)
}

func fleet(ctx context.Context, a *app.App, args []string, std cli.IO) int {
	deps := readers.CLIDeps{Fleet: a.Fleet(), Recent: a.Client.RecentRequests, Authorize: a.AuthorizeReaders(std)}
	return readers.RunReaders(ctx, deps, args, std)
}

// supervised wires a supervisor command: its PIN lines come from stdin with
// echo off at a terminal; settleFirst settles the journal before it runs.
func supervised(run func(context.Context, supervisor.Deps, []string, cli.IO) int, settleFirst bool) func(context.Context, *app.App, []string, cli.IO) int {
	return func(ctx context.Context, a *app.App, args []string, std cli.IO) int {
		if settleFirst && !cli.WantsHelp(args) {
			a.Reconcile(ctx, checkout.ReconcileOptions{})
		}
		std.In = term.PINInput(std.In, std.Err)
		return run(ctx, a.SupervisorDeps(), args, std)
	}
}

func reconcile(ctx context.Context, a *app.App, args []string, std cli.IO) int {
	settle := func(ctx context.Context) checkout.Settlement { return a.Reconcile(ctx, checkout.ReconcileOptions{}) }
	return headless.RunReconcile(ctx, settle, args, std)
}

func report(ctx context.Context, a *app.App, args []string, std cli.IO) int {
	return reports.RunReport(ctx, a.Searcher(), args, std)
}

func configExample(ctx context.Context, call cli.Call) int {
	switch {
	case len(call.Args) == 1 && call.Args[0] == "example":
		fmt.Fprint(call.Out, config.Example())
		return 0
	case cli.WantsHelp(call.Args):
		fmt.Fprintln(call.Out, "Usage: kasse config example   (a commented example config.toml, every key with its default)")
		return 0
	}
	fmt.Fprintln(call.Err, "usage: kasse config example")
	return cli.ExitUsage
}

func webhooksServe(ctx context.Context, a *app.App, args []string, std cli.IO) int {
	args, code, done := subcommand(args, "serve", "kasse webhooks", std)
	if done {
		return code
	}
	verify, n, missing := a.WebhookVerifier()
	cfg, log := a.Config.Webhooks, a.CommandLog(std.Err, "webhooks")
	h := a.EventHandler()
	h.Log = log
	return events.RunServe(ctx, events.ServeDeps{Verify: verify, Missing: missing, Secrets: n, Handler: h, CatchUp: a.CatchUp(),
		CatchUpEvery: cfg.CatchUp, Path: cfg.Path, Log: log}, args, std)
}

func eventsTail(ctx context.Context, a *app.App, args []string, std cli.IO) int {
	args, code, done := subcommand(args, "tail", "kasse events", std)
	if done {
		return code
	}
	return events.RunTail(ctx, events.TailDeps{Feed: a.Client, Sellers: a.Client}, args, std)
}

func disputes(ctx context.Context, a *app.App, args []string, std cli.IO) int {
	std.In = term.PINInput(std.In, std.Err)
	return supervisor.RunDisputes(ctx, a.SupervisorDeps(), args, std)
}

// subcommand takes a command's one subcommand word off args; done says
// the command is over (help, or a usage error) with code.
func subcommand(args []string, word, prog string, std cli.IO) (rest []string, code int, done bool) {
	if len(args) > 0 && args[0] == word {
		return args[1:], 0, false
	}
	if cli.WantsHelp(args) {
		fmt.Fprintf(std.Out, "Usage: %s %s …  (%s %s --help tells more)\n", prog, word, prog, word)
		return nil, 0, true
	}
	fmt.Fprintf(std.Err, "usage: %s %s … (see %s %s --help)\n", prog, word, prog, word)
	return nil, cli.ExitUsage, true
}
