package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"kasse/config"
	"kasse/i18n"
	"kasse/internal/cli"
)

// Exit statuses of a command's setup.
const (
	ExitSetup  = 1
	ExitUsage  = cli.ExitUsage
	ExitConfig = 78 // EX_CONFIG
)

// With makes a command whose own flags its package parses: the shared
// settings among the arguments (config.SplitFlags) set up the App, run gets
// the rest, and the App is closed when run returns.
func With(run func(ctx context.Context, a *App, args []string, std cli.IO) int) func(context.Context, cli.Call) int {
	return func(ctx context.Context, call cli.Call) int {
		shared, rest := config.SplitFlags(call.Args)
		a, code := Prepare(ctx, call, shared)
		if a == nil {
			return code
		}
		defer a.Close()
		std := call.IO
		std.Loc = a.Loc
		return run(ctx, a, rest, std)
	}
}

// Prepare parses args as the shared settings alone, loads the
// configuration and sets up the App. A nil App means: exit with code (0
// after --help, 64 on a usage error, 78 on a configuration error, 1 when
// the setup failed, said on stderr).
func Prepare(ctx context.Context, call cli.Call, args []string) (*App, int) {
	fs, cf := FlagSet(call)
	cfg, code, ok := LoadConfig(fs, cf, args, call)
	if !ok {
		return nil, code
	}
	a, err := Setup(ctx, cfg)
	if err != nil {
		fmt.Fprintf(call.Err, "%s: %s\n", call.Prog, Locale(cfg, os.Getenv).Err(err))
		return nil, ExitSetup
	}
	return a, 0
}

// Locale is the language of a command run with cfg: the operator's
// (--operator, else the configured one) in config, else the console's,
// else LC_ALL / LC_MESSAGES / LANG, else English — the console's rule.
func Locale(cfg *config.Config, getenv func(string) string) *i18n.Locale {
	return i18n.NewFor(cfg.LanguageFor(cfg.Operator), getenv)
}

// FlagSet is a command's flags with the shared settings registered, in
// the words of call's language; its usage is the command's, then every
// flag (written by LoadConfig: --help, and after a usage error).
func FlagSet(call cli.Call) (*flag.FlagSet, *config.Flags) {
	fs := flag.NewFlagSet(call.Prog, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // LoadConfig says what went wrong, in the command's language
	var cf config.Flags
	cf.Register(fs, call.Locale())
	fs.Usage = func() {}
	return fs, &cf
}

// usage writes the command's usage and its flags to stderr.
func usage(fs *flag.FlagSet, call cli.Call) {
	loc := call.Locale()
	fmt.Fprintf(call.Err, "%s\n\n%s\n", loc.T("cli.help.usage_prefix", i18n.Args{"Usage": call.Usage}), loc.T("cli.help.flags"))
	cli.PrintFlags(call.Err, fs, loc)
}

// LoadConfig parses args and loads the configuration, and says its
// warnings on stderr (the console shows them on screen too). ok false
// means: exit with code.
func LoadConfig(fs *flag.FlagSet, cf *config.Flags, args []string, call cli.Call) (cfg *config.Config, code int, ok bool) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			usage(fs, call)
			return nil, 0, false
		}
		fmt.Fprintln(call.Err, cli.FlagError(call.Locale(), err))
		usage(fs, call)
		return nil, ExitUsage, false
	}
	cfg, err := config.Load(cf)
	if err != nil {
		fmt.Fprintln(call.Err, config.ErrorLocale(err, os.Getenv).Err(err))
		return nil, ExitConfig, false
	}
	loc := Locale(cfg, os.Getenv)
	for _, w := range cfg.Warnings {
		fmt.Fprintln(call.Err, loc.T("cli.app.config_warning", i18n.Args{"Warning": w}))
	}
	return cfg, 0, true
}
