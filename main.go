// Command kasse is a keyboard-driven point-of-sale console for platforms on
// Stripe Connect. This file is the composition root only: subcommands and
// flags, configuration, logging, building the adapters, running.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"kasse/config"
	"kasse/internal/prefs"
	"kasse/pos"
	"kasse/sandbox"
	"kasse/stripeapi"
	"kasse/supervisor"
	"kasse/ui"
)

// sandboxKey is the key Kasse uses against a sandbox. The sandbox accepts
// any test key; this one is not a secret.
const sandboxKey = "sk_test_KasseSandboxNotASecret"

const usage = `kasse — a point-of-sale console for Stripe Connect platforms

Usage:
  kasse [flags]                 run the console (embedded sandbox when no API key is set)
  kasse sandbox [flags]         serve the Stripe sandbox on its own
  kasse charge [flags]          ring up one sale without the console
  kasse readers COMMAND [flags] list, register, test, clear readers
  kasse refund [flags]          refund a sale (supervisor PIN on stdin)
  kasse pin set [flags]         set or change an operator's PIN
  kasse report [flags]          end of day per seller (text or --csv)
  kasse config example          print an example config.toml
  kasse help                    this text

Every command takes --help, and the shared settings:
  --config PATH  --api-base URL  --console-id ID  --operator NAME  --data-dir DIR  --log-file PATH
The API key comes from STRIPE_API_KEY or api_key in the config file, never from a flag.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cmd := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "", "console":
		return runConsole(ctx, args, stderr)
	case "sandbox":
		return runSandbox(ctx, args, stdout, stderr)
	case "charge":
		return runCharge(ctx, args, stdout, stderr)
	case "readers":
		return runReaders(ctx, args, stdout, stderr)
	case "refund":
		return runRefund(ctx, args, stdin, stdout, stderr)
	case "report":
		return runReport(ctx, args, stdout, stderr)
	case "pin":
		return runPin(ctx, args, stdin, stdout, stderr)
	case "config":
		if len(args) == 1 && args[0] == "example" {
			fmt.Fprint(stdout, config.Example())
			return 0
		}
		fmt.Fprintln(stderr, "usage: kasse config example")
		return 64
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "kasse: unknown command %q\n\n%s", cmd, usage)
		return 64
	}
}

// flagSet builds a subcommand's flags with the shared settings registered.
func flagSet(name, synopsis string, stderr io.Writer) (*flag.FlagSet, *config.Flags) {
	fs := flag.NewFlagSet("kasse "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cf config.Flags
	cf.Register(fs)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: kasse %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs, &cf
}

// parse parses flags and loads the configuration; ok false means exit
// with code.
func parse(fs *flag.FlagSet, cf *config.Flags, args []string, stderr io.Writer) (cfg *config.Config, code int, ok bool) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, 0, false
		}
		return nil, 64, false
	}
	cfg, err := config.Load(cf)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return nil, 78, false // EX_CONFIG
	}
	for _, w := range cfg.Warnings { // the console shows them on screen too
		fmt.Fprintln(stderr, "kasse: warning:", w)
	}
	return cfg, 0, true
}

// openLog opens the log file; logs never go to the terminal the console
// draws on. Secrets are redacted by the types that hold them.
func openLog(path string) (*slog.Logger, func(), error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, nil, err
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, nil, err
	}
	return slog.New(slog.NewTextHandler(f, &slog.HandlerOptions{Level: slog.LevelInfo})), func() { _ = f.Close() }, nil
}

// backend is the Stripe side Kasse talks to: Stripe itself, or a sandbox
// (embedded when no key is configured).
type backend struct {
	client *stripeapi.Client
	mode   string // config.ModeSandbox, ModeTest or ModeLive
	url    string
	// stop ends the embedded sandbox and waits until its state is written
	// (a no-op for Stripe or an external sandbox).
	stop func()
}

// sandboxStateFile is where the embedded sandbox keeps its state in the
// data directory, so sales, refunds and paired readers outlive a restart
// as they do on Stripe (and as the journal remembers them).
const sandboxStateFile = "sandbox-state.json"

// journalFile is the journal's file in the data directory for a mode:
// sandbox, test and live sales never share a journal, so reports,
// reconciliation and refunds only ever see sales of the Stripe they run on.
func journalFile(mode string) string {
	if mode == config.ModeLive {
		return "journal.db"
	}
	return "journal-" + mode + ".db"
}

// connect builds the adapter. With no API key it starts the embedded
// sandbox on a free loopback port, its state in the data directory, unless
// api_base names one already running elsewhere on the machine (loopback
// only), which is then used.
func connect(ctx context.Context, cfg *config.Config, log *slog.Logger) (*backend, error) {
	key, base, mode := cfg.APIKey.Reveal(), cfg.APIBase, cfg.KeyMode()
	stop := func() {}
	if cfg.Sandbox() {
		key = sandboxKey
		if base == config.DefaultAPIBase {
			state := filepath.Join(cfg.DataDir, sandboxStateFile)
			opts := sandbox.Options{Seed: cfg.SandboxOptions.Seed, AutoPresent: cfg.SandboxOptions.AutoPresent,
				StateFile: state, Logger: log.With("component", "sandbox")}
			url, halt, err := startSandbox(ctx, opts)
			if errors.Is(err, sandbox.ErrStateInUse) {
				return nil, fmt.Errorf("%w\n  quit the other kasse, or share one sandbox: kasse sandbox --state %s --addr 127.0.0.1:12111,\n  then kasse --api-base http://127.0.0.1:12111", err, state)
			}
			if err != nil {
				return nil, fmt.Errorf("%w\n  to start the sandbox over with fresh demo data, delete %s and %s", err, state,
					filepath.Join(cfg.DataDir, journalFile(config.ModeSandbox)))
			}
			base, stop = url, halt
		}
	}
	c, err := stripeapi.New(stripeapi.Config{APIKey: key, BaseURL: base, Logger: log.With("component", "stripe")})
	if err != nil {
		stop()
		return nil, err
	}
	return &backend{client: c, mode: mode, url: base, stop: stop}, nil
}

// startSandbox serves a sandbox in-process until ctx ends or stop is
// called; stop waits (a few seconds at most) for it to shut down and write
// its state.
func startSandbox(ctx context.Context, opts sandbox.Options) (url string, stop func(), err error) {
	ctx, cancel := context.WithCancel(ctx)
	ready := make(chan string, 1)
	errc := make(chan error, 1)
	go func() { errc <- sandbox.ListenAndServe(ctx, "127.0.0.1:0", opts, func(u string) { ready <- u }) }()
	select {
	case u := <-ready:
		return u, func() {
			cancel()
			select {
			case <-errc:
			case <-time.After(10 * time.Second):
			}
		}, nil
	case err := <-errc:
		cancel()
		return "", nil, fmt.Errorf("embedded sandbox: %w", err)
	case <-time.After(10 * time.Second):
		cancel()
		return "", nil, errors.New("embedded sandbox: did not start within 10s")
	}
}

func runConsole(ctx context.Context, args []string, stderr io.Writer) int {
	a, code := prepare(ctx, "", "[flags]", args, stderr)
	if a == nil {
		return code
	}
	defer a.close()
	a.log.Info("console starting", "mode", a.be.mode, "api_base", a.be.url, "console_id", a.cfg.ConsoleID)
	reconciled, reconciledRefunds := a.reconcile(ctx)
	svc, err := supervisor.New(supervisorDeps(a))
	if err != nil {
		fmt.Fprintln(stderr, "kasse:", err)
		return 1
	}
	role := string(config.RoleCashier)
	if op, ok := a.cfg.OperatorByName(a.cfg.Operator); ok && op.Role != "" {
		role = string(op.Role)
	}
	deps := ui.Deps{
		Sellers: a.be.client, Terminal: a.be.client, Payments: a.be.client, Presenter: a.runner.Presenter,
		Runner:            a.runner,
		Prefs:             uiPrefs{prefs.File{Path: filepath.Join(a.cfg.DataDir, "prefs.json")}},
		Mode:              a.be.mode,
		ConsoleID:         a.cfg.ConsoleID,
		Operator:          a.cfg.Operator,
		Role:              role,
		Reconciled:        reconciled,
		ReconciledRefunds: reconciledRefunds,
		Warnings:          a.cfg.Warnings,
		Receipts:          dirSaver{a.cfg.ReceiptsDir},
		Exports:           dirSaver{filepath.Join(a.cfg.DataDir, "exports")},
		Guard:             svc.Guard,
		Supervisor:        svc,
		Reports:           a.searcher(),
		Fleet:             a.fleet(),
		RecentRequests:    a.recentRequests,
		TaxRate:           a.cfg.TaxRate, // both in thousandths of a percent
		CaptureMethod:     a.cfg.CaptureMethod,
		Process:           pos.ProcessConfig{SkipTipping: !a.cfg.Tipping, EnableCustomerCancellation: a.cfg.CustomerCancellation},
		IdleTimeout:       a.cfg.IdleCancel,
	}
	for _, q := range a.cfg.QuickKeys {
		deps.QuickKeys = append(deps.QuickKeys, ui.QuickKey{Key: q.Key, Description: q.Description, Prices: q.Prices})
	}
	if err := ui.Run(deps); err != nil {
		fmt.Fprintln(stderr, "kasse:", err)
		return 1
	}
	return 0
}

func runSandbox(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs, cf := flagSet("sandbox", "sandbox [--addr 127.0.0.1:PORT] [--seed demo|none] [--fault SPEC]…", stderr)
	addr := fs.String("addr", "127.0.0.1:12111", "loopback `address` to listen on (port 0 picks a free port)")
	seed := fs.String("seed", "", "initial data: demo or none (default: config sandbox.seed, else demo)")
	autoPresent := fs.Duration("auto-present", 0, "present a test card by itself this long after a payment starts (0: never)")
	authDelay := fs.Duration("authorization-delay", 0, "keep a presented card authorizing this long (reader busy meanwhile)")
	stateFile := fs.String("state", "", "persist the sandbox's state in this `file` (loaded at start if it exists; every change is appended to it)")
	var faults faultFlags
	fs.Var(&faults, "fault", "inject a fault: "+sandbox.FaultSyntax+" (repeatable)")
	cfg, code, ok := parse(fs, cf, args, stderr)
	if !ok {
		return code
	}
	log, closeLog, err := openLog(cfg.LogFile)
	if err != nil {
		fmt.Fprintln(stderr, "kasse sandbox: log file:", err)
		return 1
	}
	defer closeLog()
	opts := sandbox.Options{Seed: cfg.SandboxOptions.Seed, AutoPresent: cfg.SandboxOptions.AutoPresent,
		AuthorizationDelay: *authDelay, Faults: faults, FaultSeed: time.Now().UnixNano(), Logger: log.With("component", "sandbox")}
	if *seed != "" {
		opts.Seed = *seed
	}
	if *autoPresent > 0 {
		opts.AutoPresent = *autoPresent
	}
	opts.StateFile = *stateFile
	err = sandbox.ListenAndServe(ctx, *addr, opts, func(u string) { fmt.Fprintf(stdout, "sandbox listening on %s\n", u) })
	if err != nil {
		fmt.Fprintln(stderr, "kasse sandbox:", err)
		return 1
	}
	return 0
}

// faultFlags collects repeated --fault flags.
type faultFlags []sandbox.Fault

func (f *faultFlags) String() string { return fmt.Sprintf("%d faults", len(*f)) }

func (f *faultFlags) Set(s string) error {
	ft, err := sandbox.ParseFault(s)
	if err != nil {
		return err
	}
	*f = append(*f, ft)
	return nil
}

// uiPrefs adapts prefs.File to ui.Prefs.
type uiPrefs struct{ f prefs.File }

func (p uiPrefs) Load() (ui.Remembered, error) {
	r, err := p.f.Load()
	return ui.Remembered{Seller: r.Seller, Locations: r.Locations, Readers: r.Readers}, err
}

func (p uiPrefs) Save(r ui.Remembered) error {
	return p.f.Save(prefs.Remembered{Seller: r.Seller, Locations: r.Locations, Readers: r.Readers})
}
