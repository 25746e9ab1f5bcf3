package main

import (
	"fmt"
	"strings"
)

// subcommand is one line of `kasse help`. Every command run dispatches has
// one (TestHelpListsEveryCommand compares run's switch with this list): a
// new command adds its line here.
type subcommand struct {
	name    string // as typed after kasse: "sellers", "pin set"; "" is the console
	summary string // one line
}

var subcommands = []subcommand{
	{"", "the console (embedded demo sandbox when no API key is set)"},
	{"sandbox", "serve the Stripe sandbox on its own"},
	{"charge", "ring up one sale without the console"},
	{"sellers", "connected sellers: id, name, country, currency, card payments"},
	{"readers", "the reader fleet: list, register, test, rename, deregister, …"},
	{"refund", "refund a sale (supervisor PIN on stdin)"},
	{"capture", "capture an authorized payment (supervisor PIN on stdin)"},
	{"void", "void an authorized payment (supervisor PIN on stdin)"},
	{"reconcile", "settle sales and refunds a crash left unfinished"},
	{"report", "end of day per seller (text or --csv)"},
	{"pin set", "set or change an operator's PIN"},
	{"config example", "print a commented example config.toml"},
	{"help", "this text"},
}

// usageText is `kasse help`: every command with one line, then the
// settings all of them share.
func usageText() string {
	var b strings.Builder
	b.WriteString("kasse — a point-of-sale console for Stripe Connect platforms\n\n")
	b.WriteString("Usage: kasse [COMMAND] [flags]\n\nCommands:\n")
	for _, c := range subcommands {
		name := c.name
		if name == "" {
			name = "(none)"
		}
		fmt.Fprintf(&b, "  %-15s %s\n", name, c.summary)
	}
	b.WriteString("\nkasse COMMAND --help shows a command's flags and exit codes.\n\n")
	b.WriteString("Every command takes the shared settings:\n")
	b.WriteString("  --config PATH  --api-base URL  --console-id ID  --operator NAME\n")
	b.WriteString("  --data-dir DIR  --log-file PATH\n")
	b.WriteString("The API key comes from STRIPE_API_KEY or api_key in the config file, never\n")
	b.WriteString("from a flag.\n")
	return b.String()
}

// wantsHelp reports whether a command line asks for help (kasse --help,
// kasse -h, kasse --data-dir D --help, kasse refund --help): then nothing
// is reconciled first.
func wantsHelp(args []string) bool {
	for _, a := range args {
		switch a {
		case "-h", "-help", "--help":
			return true
		}
	}
	return false
}
