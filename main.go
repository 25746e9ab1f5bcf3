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
	"kasse/i18n"
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

// run runs a command line. Until a command has read its configuration
// (which may name the operator's language), it speaks the POSIX locale's.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return kasse.Run(ctx, args, cli.IO{In: stdin, Out: stdout, Err: stderr, Loc: i18n.NewFor("", os.Getenv)})
}

// kasse is every subcommand, in the order kasse --help lists them.
var kasse = &cli.Program{
	Name:    "kasse",
	Title:   i18n.M("cli.help.title"),
	Default: "console",
	Footer:  config.FlagsHelp,
	Commands: []cli.Command{
		{Name: "console", Summary: i18n.M("cli.help.summary.console"), Usage: i18n.M("cli.help.usage.console"), Run: runConsole},
		{Name: "serve", Summary: i18n.M("cli.help.summary.serve"), Usage: i18n.M("cli.help.usage.serve"), Run: app.With(serve.RunServe)},
		{Name: "sandbox", Summary: i18n.M("cli.help.summary.sandbox"), Usage: i18n.M("cli.help.usage.sandbox"), Run: app.RunSandbox},
		{Name: "charge", Summary: i18n.M("cli.help.summary.charge"), Usage: i18n.M("cli.help.usage.charge"), Run: app.With(charge)},
		{Name: "sellers", Summary: i18n.M("cli.help.summary.sellers"), Usage: i18n.M("cli.help.usage.sellers"), Run: app.With(sellers)},
		{Name: "readers", Summary: i18n.M("cli.help.summary.readers"), Usage: i18n.M("cli.help.usage.readers"), Run: app.With(fleet)},
		{Name: "refund", Summary: i18n.M("cli.help.summary.refund"), Usage: i18n.M("cli.help.usage.refund"),
			Run: app.With(supervised(supervisor.RunRefund, true))},
		{Name: "capture", Summary: i18n.M("cli.help.summary.capture"), Usage: i18n.M("cli.help.usage.capture"),
			Run: app.With(supervised(supervisor.RunCapture, false))},
		{Name: "void", Summary: i18n.M("cli.help.summary.void"), Usage: i18n.M("cli.help.usage.void"),
			Run: app.With(supervised(supervisor.RunVoid, false))},
		{Name: "reconcile", Summary: i18n.M("cli.help.summary.reconcile"), Usage: i18n.M("cli.help.usage.reconcile"), Run: app.With(reconcile)},
		{Name: "report", Summary: i18n.M("cli.help.summary.report"), Usage: i18n.M("cli.help.usage.report"), Run: app.With(report)},
		{Name: "pin set", Summary: i18n.M("cli.help.summary.pin_set"), Usage: i18n.M("cli.help.usage.pin_set"),
			Run: app.With(supervised(supervisor.RunPin, false))},
		{Name: "customers", Summary: i18n.M("cli.help.summary.customers"), Usage: i18n.M("cli.help.usage.customers"), Run: app.With(customersCmd)},
		{Name: "config example", Summary: i18n.M("cli.help.summary.config_example"), Usage: i18n.M("cli.help.usage.config_example"),
			Run: configExample},
		// Stripe's events after the sale (package events) and the disputes desk.
		{Name: "webhooks serve", Summary: i18n.M("cli.help.summary.webhooks_serve"), Usage: i18n.M("cli.help.usage.webhooks_serve"),
			Run: app.With(webhooksServe)},
		{Name: "events tail", Summary: i18n.M("cli.help.summary.events_tail"), Usage: i18n.M("cli.help.usage.events_tail"), Run: app.With(eventsTail)},
		{Name: "disputes", Summary: i18n.M("cli.help.summary.disputes"), Usage: i18n.M("cli.help.usage.disputes"), Run: app.With(disputes)},
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
		fmt.Fprintln(call.Err, call.Prog+":", call.Locale().Err(err))
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
		fmt.Fprint(call.Out, config.Example(call.Locale()))
		return 0
	case cli.WantsHelp(call.Args):
		fmt.Fprintln(call.Out, call.Locale().T("cli.help.config_example"))
		return 0
	}
	fmt.Fprintln(call.Err, call.Locale().T("cli.help.config_example_usage"))
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
	loc, a := std.Locale(), i18n.Args{"Prog": prog, "Word": word}
	if cli.WantsHelp(args) {
		fmt.Fprintln(std.Out, loc.T("cli.help.subcommand", a))
		return nil, 0, true
	}
	fmt.Fprintln(std.Err, loc.T("cli.help.subcommand_usage", a))
	return nil, cli.ExitUsage, true
}
