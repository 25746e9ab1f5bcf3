// Package app sets up what every kasse command shares, in this order:
// configuration (flags, file, environment) → log → data directory →
// backend (the embedded sandbox, a sandbox on loopback, or Stripe) →
// journal → runner → the sandbox demo's operators. Commands that touch the
// journal then settle at start what a crash left unfinished (Reconcile).
//
// The composition root's command table wraps each command with With (or
// calls Prepare) and wires the App into the package that runs it.
package app

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"sync"

	"kasse/checkout"
	"kasse/config"
	"kasse/events"
	"kasse/i18n"
	"kasse/journal"
	"kasse/stripeapi"
	"kasse/supervisor"
)

// App is what every console-side command shares. Close it when done.
type App struct {
	Config *config.Config
	Log    *slog.Logger
	// Client talks to Stripe, or to the sandbox (embedded, or on
	// loopback); it implements the pos ports.
	Client *stripeapi.Client
	// Budget is the process's share of Stripe's rate limits, which every
	// request of Client waits for.
	Budget  *stripeapi.Budget
	Mode    string // config.ModeSandbox, ModeTest or ModeLive
	BaseURL string // where Client talks to
	Journal *journal.Journal
	Runner  *checkout.Runner
	// Loc is the language of the command's output (Locale: the operator's).
	Loc *i18n.Locale

	demo  []supervisor.DemoOperator // the sandbox demo's operators (demo.go)
	close func()

	eventsOnce sync.Once
	events     *events.Handler // EventHandler (events.go)
}

// Setup builds the App for cfg. The caller must call Close.
func Setup(ctx context.Context, cfg *config.Config) (*App, error) {
	log, closeLog, err := OpenLog(cfg.LogFile)
	if err != nil {
		return nil, &setupError{Msg: i18n.M("cli.app.log_file", i18n.Args{"Error": err}), Err: err}
	}
	for _, w := range cfg.Warnings {
		log.Warn("config", "warning", i18n.Neutral().Render(w))
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		closeLog()
		hint, _ := permissionHint(err, cfg.DataDir)
		return nil, &setupError{Msg: i18n.M("cli.app.data_dir", i18n.Args{"Error": err}), Hint: hint, Err: err}
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
		hint, _ := permissionHint(err, cfg.DataDir)
		return nil, &setupError{Msg: i18n.M("cli.app.error", i18n.Args{"Error": err}), Hint: hint, Err: err}
	}
	j.SetOrigin(cfg.ConsoleID, cfg.Operator)
	r := &checkout.Runner{Payments: be.client, Terminal: be.client, Transfers: be.client, Customers: be.client, Journal: j, Log: log.With("component", "checkout")}
	if be.mode != config.ModeLive {
		r.Presenter = be.client
	}
	a := &App{Config: cfg, Log: log, Client: be.client, Budget: be.budget, Mode: be.mode, BaseURL: be.url, Journal: j, Runner: r,
		Loc: Locale(cfg, os.Getenv), close: func() { _ = j.Close(); be.stop(); closeLog() }}
	if err := a.addDemoOperators(ctx); err != nil {
		a.Close()
		return nil, err
	}
	return a, nil
}

// setupError is a failure of Setup, in the words of whoever reads it (an
// i18n.Localizer): what failed (Msg, with the cause as {{.Error}}) and
// what to do about it (Hint, a paragraph of its own; optional).
type setupError struct {
	Msg  i18n.Message
	Hint i18n.Message
	Err  error
}

func (e *setupError) Error() string { return e.Localize(i18n.Neutral()) }

// Localize renders the failure and its hint in loc's words.
func (e *setupError) Localize(loc *i18n.Locale) string {
	s := loc.Render(e.Msg)
	if e.Hint.ID != "" {
		s += "\n  " + loc.Render(e.Hint)
	}
	return s
}

func (e *setupError) Unwrap() error { return e.Err }

// Close closes the journal, then stops the embedded sandbox (waiting until
// its state is written), then closes the log.
func (a *App) Close() { a.close() }

// OpenLog opens the log file; logs never go to the terminal the console
// draws on. Secrets are redacted by the types that hold them.
func OpenLog(path string) (*slog.Logger, func(), error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, nil, err
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, nil, err
	}
	return slog.New(slog.NewTextHandler(f, &slog.HandlerOptions{Level: slog.LevelInfo})), func() { _ = f.Close() }, nil
}
