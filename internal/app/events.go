package app

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"time"

	"kasse/events"
	"kasse/i18n"
	"kasse/pos"
	"kasse/stripeapi"
)

// Stripe's events for the commands and the console: one Handler per
// process (webhooks and the catch-up feed the same one), the catch-up, and
// the verifier of kasse webhooks serve built from the configured secrets.

// EventHandler is the process's event handler, built once.
func (a *App) EventHandler() *events.Handler {
	a.eventsOnce.Do(func() {
		a.events = &events.Handler{Journal: a.Journal, ConsoleID: a.Config.ConsoleID, Known: a.knownSellers(),
			Refunds: a.Client, Holds: a.Runner.Holds, Log: a.Log.With("component", "events")}
	})
	return a.events
}

// CatchUp reads the Events API into EventHandler.
func (a *App) CatchUp() *events.CatchUp {
	return &events.CatchUp{Feed: a.Client, Sellers: a.Client, Journal: a.Journal, Handler: a.EventHandler(),
		Log: a.Log.With("component", "catch-up")}
}

// WebhookVerifier checks deliveries with the configured secrets; missing
// says why there is none (no secret configured).
func (a *App) WebhookVerifier() (verify func([]byte, string) (pos.Event, error), secrets int, missing i18n.Message) {
	w := a.Config.Webhooks
	if len(w.Secrets) == 0 {
		return nil, 0, i18n.M("cli.events.no_secret")
	}
	v, err := stripeapi.NewWebhookVerifier(w.RevealSecrets(), w.Tolerance)
	if err != nil {
		return nil, 0, i18n.M("cli.events.verifier_error", i18n.Args{"Error": err})
	}
	return v.Verify, len(w.Secrets), i18n.Message{}
}

// knownSellers tells whether an account is one of the platform's sellers,
// from a seller list read at most once a minute (and again at once for an
// account it does not know: a seller may have joined).
func (a *App) knownSellers() func(context.Context, pos.Account) (bool, error) {
	var (
		mu   sync.Mutex
		set  map[pos.Account]bool
		read time.Time
	)
	return func(ctx context.Context, acct pos.Account) (bool, error) {
		mu.Lock()
		defer mu.Unlock()
		if set[acct] {
			return true, nil
		}
		if set != nil && time.Since(read) < 10*time.Second {
			return false, nil
		}
		sellers, err := a.Client.ListSellers(ctx)
		if err != nil {
			return false, err
		}
		set, read = map[pos.Account]bool{}, time.Now()
		for _, s := range sellers {
			set[s.ID] = true
		}
		return set[acct], nil
	}
}

// CommandLog is a logger for a long-running command (kasse webhooks
// serve): each line to w (the command's stderr) and to the log file.
func (a *App) CommandLog(w io.Writer, component string) *slog.Logger {
	return slog.New(teeHandler{slog.NewTextHandler(w, nil), a.Log.Handler()}).With("component", component)
}

// teeHandler writes each record to both handlers.
type teeHandler struct{ a, b slog.Handler }

func (t teeHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return t.a.Enabled(ctx, l) || t.b.Enabled(ctx, l)
}

func (t teeHandler) Handle(ctx context.Context, r slog.Record) error {
	err := t.a.Handle(ctx, r.Clone())
	if e := t.b.Handle(ctx, r); err == nil {
		err = e
	}
	return err
}

func (t teeHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return teeHandler{t.a.WithAttrs(as), t.b.WithAttrs(as)}
}

func (t teeHandler) WithGroup(n string) slog.Handler {
	return teeHandler{t.a.WithGroup(n), t.b.WithGroup(n)}
}
