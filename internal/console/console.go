// Package console composes the console: ui.Deps from the App (after the
// settlement at start, which offers the console's own open sales to the
// cashier), and the adapters between ui's small interfaces and Kasse's
// files and journal. A console served over another terminal builds its
// session's Deps the same way.
package console

import (
	"context"
	"os"
	"path/filepath"

	"kasse/checkout"
	"kasse/config"
	"kasse/events"
	"kasse/i18n"
	"kasse/internal/app"
	"kasse/internal/prefs"
	"kasse/pos"
	"kasse/supervisor"
	"kasse/ui"
)

// Deps settles the journal (offering the console's own open sales) and
// returns what the console needs.
func Deps(ctx context.Context, a *app.App) (ui.Deps, error) {
	a.Log.Info("console starting", "mode", a.Mode, "api_base", a.BaseURL, "console_id", a.Config.ConsoleID)
	return build(ctx, a, a.Reconcile(ctx, checkout.ReconcileOptions{Offer: checkout.OfferConsoleSales}))
}

// HostDeps is what the sessions of a host serving many counters (`kasse
// serve`) share, after settling every sale the journal holds open: no
// cashier is there yet to be offered one (a paid sale is kept, any other
// canceled on the reader and on Stripe). Each session's copy gets its
// counter's console id, operator, journal view, runner and Prefs
// (PrefsAt); Reconciled lists every sale settled, Offers none.
func HostDeps(ctx context.Context, a *app.App) (ui.Deps, error) {
	a.Log.Info("host starting", "mode", a.Mode, "api_base", a.BaseURL, "console_id", a.Config.ConsoleID)
	return build(ctx, a, a.Reconcile(ctx, checkout.ReconcileOptions{}))
}

// PrefsAt remembers a console's choices in the file at path.
func PrefsAt(path string) ui.Prefs { return prefsFile{prefs.File{Path: path}} }

func build(ctx context.Context, a *app.App, started checkout.Settlement) (ui.Deps, error) {
	cfg := a.Config
	settled, offers, open := started.ForConsole()
	svc, err := supervisor.New(a.SupervisorDeps())
	if err != nil {
		return ui.Deps{}, err
	}
	d := ui.Deps{
		Sellers: a.Sellers(), Terminal: a.Client, Payments: a.Client, Presenter: a.Runner.Presenter,
		Runner:            a.Runner,
		Prefs:             prefsFile{prefs.File{Path: cfg.PrefsPath()}},
		Mode:              a.Mode,
		ConsoleID:         cfg.ConsoleID,
		Operator:          cfg.Operator,
		Role:              string(cfg.OperatorRole(cfg.Operator)),
		Locale:            Locale(cfg, os.Getenv),
		Reconciled:        settled,
		ReconciledRefunds: started.Refunds,
		Offers:            offers,
		Unsettled:         open,
		ReconcileLog:      reconcileLog{a},
		Warnings:          cfg.Warnings,
		DemoOperators:     a.DemoOperators(ctx),
		Receipts:          dirSaver{cfg.ReceiptsDir},
		Exports:           dirSaver{cfg.ExportsPath()},
		Guard:             svc.Guard,
		Supervisor:        svc,
		Disputes:          svc,
		Notices:           a.Journal,
		Reports:           a.Searcher(),
		Fleet:             a.Fleet(),
		Customers:         a.Customers(),
		RecentRequests:    a.Client.RecentRequests,
		TaxRate:           cfg.TaxRate, // both in thousandths of a percent
		CaptureMethod:     cfg.CaptureMethod,
		Process:           pos.ProcessConfig{SkipTipping: !cfg.Tipping, EnableCustomerCancellation: cfg.CustomerCancellation},
		IdleTimeout:       cfg.IdleCancel,
	}
	if last, err := a.Journal.LastNotice(ctx); err == nil { // before the start's catch-up (Listen): its notices are told
		d.NoticesFrom = &last
	}
	for _, q := range cfg.QuickKeys {
		d.QuickKeys = append(d.QuickKeys, ui.QuickKey{Key: q.Key, Description: q.Description, Prices: q.Prices})
	}
	return d, nil
}

// Locale is the console operator's language: theirs in config, else the
// console's (config.Config.LanguageFor), else the POSIX locale (LC_ALL,
// LC_MESSAGES, LANG), else English. A console serving other operators
// (another terminal, SSH) makes each session's Locale from its operator
// the same way.
func Locale(cfg *config.Config, getenv func(string) string) *i18n.Locale {
	return app.Locale(cfg, getenv)
}

// prefsFile adapts prefs.File to ui.Prefs.
type prefsFile struct{ f prefs.File }

func (p prefsFile) Load() (ui.Remembered, error) {
	r, err := p.f.Load()
	return ui.Remembered{Seller: r.Seller, Locations: r.Locations, Readers: r.Readers}, err
}

func (p prefsFile) Save(r ui.Remembered) error {
	return p.f.Save(prefs.Remembered{Seller: r.Seller, Locations: r.Locations, Readers: r.Readers})
}

// dirSaver is the console's ui.Saver: it writes a file into dir (receipts:
// cfg.ReceiptsDir; exports and diagnostics: DataDir/exports), creating the
// folder if need be. Both are private to the user (0700, files 0600).
type dirSaver struct{ dir string }

func (s dirSaver) Save(name string, data []byte) (string, error) {
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return "", err
	}
	p := filepath.Join(s.dir, filepath.Base(name))
	return p, os.WriteFile(p, data, 0o600)
}

// reconcileLog is the console's ui.ReconcileLog: the audit trail's
// settlements, newest first.
type reconcileLog struct{ a *app.App }

func (l reconcileLog) ReconcileLog(ctx context.Context, limit int) ([]ui.LogEntry, error) {
	es, err := l.a.ReconcileLog(ctx, limit)
	if err != nil {
		return nil, err
	}
	out := make([]ui.LogEntry, len(es))
	for i, e := range es {
		out[i] = ui.LogEntry{At: e.At, Who: e.Who, Console: e.Console, Text: e.Detail}
		if m, ok := checkout.NoteMessage(e.Detail); ok {
			out[i].Msg = m // in the reader's language
		}
	}
	return out, nil
}

// Listen has the console hear Stripe's events while it runs: the Events
// API catch-up at once and every webhooks.catch_up (config), into the
// journal, whose notices the console shows (webhooks, if a kasse webhooks
// serve takes them, land in the same journal). stop ends it and waits.
func Listen(ctx context.Context, a *app.App) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	log := a.Log.With("component", "catch-up")
	go func() {
		defer close(done)
		a.CatchUp().Every(ctx, a.Config.Webhooks.CatchUp, func(sum events.Summary, err error) {
			if err != nil {
				log.Warn("catch-up failed; trying again at the next interval", "err", err)
			}
		})
	}()
	return func() { cancel(); <-done }
}
