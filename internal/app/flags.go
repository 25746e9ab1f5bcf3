package app

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"kasse/config"
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
		return run(ctx, a, rest, call.IO)
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
		fmt.Fprintf(call.Err, "%s: %v\n", call.Prog, err)
		return nil, ExitSetup
	}
	return a, 0
}

// FlagSet is a command's flags with the shared settings registered; its
// usage is the command's, then every flag.
func FlagSet(call cli.Call) (*flag.FlagSet, *config.Flags) {
	fs := flag.NewFlagSet(call.Prog, flag.ContinueOnError)
	fs.SetOutput(call.Err)
	var cf config.Flags
	cf.Register(fs)
	fs.Usage = func() {
		fmt.Fprintf(call.Err, "Usage: %s\n\nFlags:\n", call.Usage)
		fs.PrintDefaults()
	}
	return fs, &cf
}

// LoadConfig parses args and loads the configuration, and says its
// warnings on stderr (the console shows them on screen too). ok false
// means: exit with code.
func LoadConfig(fs *flag.FlagSet, cf *config.Flags, args []string, call cli.Call) (cfg *config.Config, code int, ok bool) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, 0, false
		}
		return nil, ExitUsage, false
	}
	cfg, err := config.Load(cf)
	if err != nil {
		fmt.Fprintln(call.Err, err)
		return nil, ExitConfig, false
	}
	for _, w := range cfg.Warnings {
		fmt.Fprintln(call.Err, "kasse: warning:", w)
	}
	return cfg, 0, true
}
