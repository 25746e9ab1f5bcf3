package app

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"kasse/config"
	"kasse/i18n"
	"kasse/sandbox"
	"kasse/stripeapi"
)

// sandboxKey is the key Kasse uses against a sandbox. The sandbox accepts
// any test key; this one is not a secret.
const sandboxKey = "sk_test_KasseSandboxNotASecret"

// backend is the Stripe side Kasse talks to: Stripe itself, or a sandbox
// (embedded when no key is configured).
type backend struct {
	client *stripeapi.Client
	budget *stripeapi.Budget
	mode   string // config.ModeSandbox, ModeTest or ModeLive
	url    string
	// stop ends the embedded sandbox and waits until its state is written
	// (a no-op for Stripe or an external sandbox).
	stop func()
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
			state := cfg.SandboxStatePath()
			opts := sandbox.Options{Seed: cfg.SandboxOptions.Seed, AutoPresent: cfg.SandboxOptions.AutoPresent,
				StateFile: state, Logger: log.With("component", "sandbox")}
			// Not stopped by a signal: a command interrupted mid-sale still
			// cancels it against this sandbox; App.Close stops it afterwards.
			url, halt, err := startEmbedded(context.WithoutCancel(ctx), opts)
			if errors.Is(err, sandbox.ErrStateInUse) {
				return nil, &setupError{Msg: i18n.M("cli.app.error", i18n.Args{"Error": err}),
					Hint: i18n.M("cli.app.sandbox_in_use_hint", i18n.Args{"State": state}), Err: err}
			}
			if err != nil {
				hint, _ := sandboxStartHint(err, cfg.DataDir, state, cfg.JournalPath())
				return nil, &setupError{Msg: i18n.M("cli.app.error", i18n.Args{"Error": err}), Hint: hint, Err: err}
			}
			base, stop = url, halt
		}
	}
	// One budget for the process: every request of every session of a
	// `kasse serve` host (and of any other command) waits for it.
	budget := stripeapi.BudgetFor(mode == config.ModeLive)
	c, err := stripeapi.New(stripeapi.Config{APIKey: key, BaseURL: base, Budget: budget, Logger: log.With("component", "stripe")})
	if err != nil {
		stop()
		return nil, err
	}
	return &backend{client: c, budget: budget, mode: mode, url: base, stop: stop}, nil
}

// embeddedWait bounds the embedded sandbox's start, and its stop (which
// writes its state).
const embeddedWait = 10 * time.Second

// startEmbedded serves a sandbox in-process on a free loopback port until
// ctx ends or stop is called; stop waits (embeddedWait at most) for it to
// shut down and write its state.
func startEmbedded(ctx context.Context, opts sandbox.Options) (url string, stop func(), err error) {
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
			case <-time.After(embeddedWait):
			}
		}, nil
	case err := <-errc:
		cancel()
		return "", nil, &setupError{Msg: i18n.M("cli.app.embedded_sandbox", i18n.Args{"Error": err}), Err: err}
	case <-time.After(embeddedWait):
		cancel()
		return "", nil, &setupError{Msg: i18n.M("cli.app.embedded_sandbox_slow", i18n.Args{"Wait": embeddedWait})}
	}
}
