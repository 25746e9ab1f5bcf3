package config

import (
	"flag"
	"strings"

	"kasse/i18n"
)

// flagValue is a string flag that remembers whether it was given, so that
// an explicitly empty value is still an override (and then an error).
type flagValue struct {
	value string
	set   bool
}

func (f *flagValue) String() string { return f.value }

func (f *flagValue) Set(s string) error {
	f.value, f.set = s, true
	return nil
}

// Flags are the settings every subcommand accepts on its command line:
//
//	--config PATH      config file (env KASSE_CONFIG)
//	--api-base URL     Stripe API base (env KASSE_API_BASE)
//	--console-id ID    this console's id (env KASSE_CONSOLE_ID)
//	--operator NAME    operator signed in by default (env KASSE_OPERATOR)
//	--data-dir DIR     data directory (env KASSE_DATA_DIR)
//	--log-file PATH    log file (env KASSE_LOG_FILE)
//
// There is deliberately no --api-key: command lines are visible to other
// users (ps) and kept in shell history. Set STRIPE_API_KEY or api_key in the
// config file instead.
//
// Use:
//
//	var cf config.Flags
//	cf.Register(fs, loc)
//	if err := fs.Parse(args); err != nil { … }
//	cfg, err := config.Load(&cf)
type Flags struct {
	config, apiBase, consoleID, operator, dataDir, logFile flagValue
}

// Register defines the flags on fs, their help in loc's words (nil:
// English).
func (f *Flags) Register(fs *flag.FlagSet, loc *i18n.Locale) {
	if loc == nil {
		loc = i18n.Neutral()
	}
	fs.Var(&f.config, "config", loc.T("cli.config.flag.config"))
	fs.Var(&f.apiBase, "api-base", loc.T("cli.config.flag.api_base", i18n.Args{"Default": DefaultAPIBase}))
	fs.Var(&f.consoleID, "console-id", loc.T("cli.config.flag.console_id"))
	fs.Var(&f.operator, "operator", loc.T("cli.config.flag.operator"))
	fs.Var(&f.dataDir, "data-dir", loc.T("cli.config.flag.data_dir"))
	fs.Var(&f.logFile, "log-file", loc.T("cli.config.flag.log_file"))
}

// FlagsHelp describes the settings Flags defines, for a program's help
// (kasse --help); a test checks that it names every flag Register defines.
var FlagsHelp = i18n.M("cli.config.flags_help")

// SplitFlags separates the settings Flags defines from a command's own
// flags, which the command's package parses: "--data-dir D --amount 5" →
// [--data-dir D], [--amount 5]. Both "--name value" and "--name=value" are
// understood, with one dash or two. The names are the ones Register
// defines, so a new shared setting is split without another list.
func SplitFlags(args []string) (shared, rest []string) {
	known := flag.NewFlagSet("", flag.ContinueOnError)
	new(Flags).Register(known, nil)
	for i := 0; i < len(args); i++ {
		a := args[i]
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || name == "" || known.Lookup(name) == nil {
			rest = append(rest, a)
			continue
		}
		shared = append(shared, a)
		if !hasValue && i+1 < len(args) { // every shared setting takes a value
			i++
			shared = append(shared, args[i])
		}
	}
	return shared, rest
}
