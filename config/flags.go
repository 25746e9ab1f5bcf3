package config

import (
	"flag"
	"strings"
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
//	cf.Register(fs)
//	if err := fs.Parse(args); err != nil { … }
//	cfg, err := config.Load(&cf)
type Flags struct {
	config, apiBase, consoleID, operator, dataDir, logFile flagValue
}

// Register defines the flags on fs.
func (f *Flags) Register(fs *flag.FlagSet) {
	fs.Var(&f.config, "config", "config file `path` (env KASSE_CONFIG; default $XDG_CONFIG_HOME/kasse/config.toml)")
	fs.Var(&f.apiBase, "api-base", "Stripe API base `URL` (env KASSE_API_BASE; default "+DefaultAPIBase+")")
	fs.Var(&f.consoleID, "console-id", "this console's `id` (env KASSE_CONSOLE_ID; default from the host name)")
	fs.Var(&f.operator, "operator", "operator `name` signed in by default (env KASSE_OPERATOR; default the login name)")
	fs.Var(&f.dataDir, "data-dir", "data `directory` (env KASSE_DATA_DIR; default $XDG_DATA_HOME/kasse)")
	fs.Var(&f.logFile, "log-file", "log file `path` (env KASSE_LOG_FILE; default $XDG_STATE_HOME/kasse/kasse.log)")
}

// FlagsHelp describes the settings Flags defines, for a program's help
// (kasse --help); a test checks that it names every flag Register defines.
const FlagsHelp = `Every command takes the shared settings:
  --config PATH  --api-base URL  --console-id ID  --operator NAME
  --data-dir DIR  --log-file PATH
The API key comes from STRIPE_API_KEY or api_key in the config file, never
from a flag.
`

// SplitFlags separates the settings Flags defines from a command's own
// flags, which the command's package parses: "--data-dir D --amount 5" →
// [--data-dir D], [--amount 5]. Both "--name value" and "--name=value" are
// understood, with one dash or two. The names are the ones Register
// defines, so a new shared setting is split without another list.
func SplitFlags(args []string) (shared, rest []string) {
	known := flag.NewFlagSet("", flag.ContinueOnError)
	new(Flags).Register(known)
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
