package cli

import (
	"bytes"
	"context"
	"flag"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"

	"kasse/i18n"
)

// program is a table of commands that report how they were called.
func program(calls *[]Call) *Program {
	rec := func(ctx context.Context, c Call) int {
		*calls = append(*calls, c)
		return len(*calls)
	}
	return &Program{Name: "kasse", Title: i18n.M("cli.help.title"), Default: "console", Footer: i18n.M("cli.config.flags_help"),
		Commands: []Command{
			{Name: "console", Summary: i18n.M("cli.help.summary.console"), Usage: i18n.M("cli.help.usage.console"), Run: rec},
			{Name: "charge", Summary: i18n.M("cli.help.summary.charge"), Usage: i18n.M("cli.help.usage.charge"), Run: rec},
			{Name: "pin set", Summary: i18n.M("cli.help.summary.pin_set"), Usage: i18n.M("cli.help.usage.pin_set"), Run: rec},
		}}
}

func TestRunDispatchesByTheFirstWord(t *testing.T) {
	var calls []Call
	p := program(&calls)
	var out, errb bytes.Buffer
	std := IO{Out: &out, Err: &errb}
	for _, tc := range []struct {
		args []string
		want Call
	}{
		{nil, Call{Prog: "kasse", Usage: "kasse [flags]", Args: []string{}}},
		{[]string{"--data-dir", "d"}, Call{Prog: "kasse", Usage: "kasse [flags]", Args: []string{"--data-dir", "d"}}},
		{[]string{"console", "--data-dir", "d"}, Call{Prog: "kasse console", Usage: "kasse [flags]", Args: []string{"--data-dir", "d"}}},
		{[]string{"charge", "--amount", "5", "--help"}, Call{Prog: "kasse charge", Usage: "kasse charge [shared flags] --seller ACCT --reader TMR --amount A …", Args: []string{"--amount", "5", "--help"}}},
		{[]string{"pin", "set", "--operator", "bea"}, Call{Prog: "kasse pin", Usage: "kasse pin set [shared flags] [--operator NAME]", Args: []string{"set", "--operator", "bea"}}},
	} {
		calls = nil
		code := p.Run(context.Background(), tc.args, std)
		if code != 1 || len(calls) != 1 {
			t.Fatalf("%q: exit %d, %d calls", tc.args, code, len(calls))
		}
		got := calls[0]
		got.IO = IO{}
		if got.Args == nil {
			got.Args = []string{}
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q: called %+v, want %+v", tc.args, got, tc.want)
		}
	}
	if out.Len() != 0 || errb.Len() != 0 {
		t.Errorf("dispatch wrote %q %q", out.String(), errb.String())
	}
}

func TestRunHelpAndUnknownCommands(t *testing.T) {
	var calls []Call
	p := program(&calls)
	for _, args := range [][]string{{"help"}, {"--help"}, {"-h"}, {"--data-dir", "d", "-help"}} {
		var out, errb bytes.Buffer
		if code := p.Run(context.Background(), args, IO{Out: &out, Err: &errb}); code != 0 || out.String() != p.Help(i18n.Neutral()) || errb.Len() != 0 {
			t.Errorf("%q: exit %d, stdout %q, stderr %q", args, code, out.String(), errb.String())
		}
	}
	var out, errb bytes.Buffer
	if code := p.Run(context.Background(), []string{"frobnicate", "--help"}, IO{Out: &out, Err: &errb}); code != ExitUsage ||
		!strings.HasPrefix(errb.String(), "kasse: unknown command \"frobnicate\"\n\n"+p.Help(i18n.Neutral())) || out.Len() != 0 {
		t.Errorf("unknown: exit %d, stderr %q", code, errb.String())
	}
	// "pin" is the command's word; "set" is not a command.
	if code := p.Run(context.Background(), []string{"set"}, IO{Out: &out, Err: &errb}); code != ExitUsage {
		t.Errorf("set: exit %d", code)
	}
	if len(calls) != 0 {
		t.Errorf("help or an unknown command ran %+v", calls)
	}
}

func TestHelpListsEveryCommandOnceInTableOrder(t *testing.T) {
	var calls []Call
	flags := i18n.Neutral().T("cli.config.flags_help")
	want := "kasse — a point-of-sale console for Stripe Connect platforms\n\nUsage: kasse [COMMAND] [flags]\n\nCommands:\n" +
		"  (none)          the console (embedded demo sandbox when no API key is set)\n" +
		"  charge          ring up one sale without the console\n" +
		"  pin set         set or change an operator's PIN\n" +
		"  help            this text\n" +
		"\nkasse COMMAND --help shows a command's flags and exit codes.\n\n" + flags
	if got := program(&calls).Help(i18n.Neutral()); got != want {
		t.Errorf("Help:\n%s\nwant:\n%s", got, want)
	}
	wantDE := "kasse — eine Kassenkonsole für Plattformen auf Stripe Connect\n\nAufruf: kasse [BEFEHL] [Optionen]\n\nBefehle:\n" +
		"  (ohne)          die Konsole (eingebaute Demo-Sandbox ohne API-Schlüssel)\n" +
		"  charge          einen Verkauf ohne Konsole kassieren\n" +
		"  pin set         die PIN eines Bedieners setzen oder ändern\n" +
		"  help            dieser Text\n" +
		"\nkasse BEFEHL --help zeigt die Optionen und Exit-Codes eines Befehls.\n\n" + i18n.New(i18n.German).T("cli.config.flags_help")
	de := i18n.New(i18n.German)
	if got := program(&calls).Help(de); got != wantDE {
		t.Errorf("German help:\n%s\nwant:\n%s", got, wantDE)
	}
	var out, errb bytes.Buffer
	if code := program(&calls).Run(context.Background(), []string{"--help"}, IO{Out: &out, Err: &errb, Loc: de}); code != 0 || out.String() != wantDE {
		t.Errorf("--help with a German IO: %d %q", code, out.String())
	}
}

// The flag package's errors and its flag list, in the command's language.
func TestFlagErrorsAndFlagListSpeakTheLocale(t *testing.T) {
	de := i18n.New(i18n.German)
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.String("amount", "", "the `amount` to charge")
	fs.String("seller", "acct_1", "the seller")
	fs.Duration("timeout", 2*time.Minute, "how long to wait")
	fs.Bool("json", false, "print JSON")
	for _, tc := range []struct {
		args   []string
		en, de string
	}{
		{[]string{"--bogus"}, "flag provided but not defined: -bogus", "unbekannte Option: -bogus"},
		{[]string{"--amount"}, "flag needs an argument: -amount", "Option braucht einen Wert: -amount"},
		{[]string{"--timeout", "soon"}, `invalid value "soon" for flag -timeout: parse error`,
			`ungültiger Wert "soon" für die Option -timeout: nicht lesbar`},
		{[]string{"--json=maybe"}, `invalid value "maybe" for flag -json: parse error`, `ungültiger Wert "maybe" für die Option -json: nicht lesbar`},
		{[]string{"---x"}, "bad flag syntax: ---x", "ungültige Optionssyntax: ---x"},
	} {
		err := fs.Parse(tc.args)
		if err == nil {
			t.Fatalf("%q parsed", tc.args)
		}
		if got := FlagError(i18n.Neutral(), err); got != tc.en {
			t.Errorf("%q en: %q, want %q", tc.args, got, tc.en)
		}
		if got := FlagError(de, err); got != tc.de {
			t.Errorf("%q de: %q, want %q", tc.args, got, tc.de)
		}
	}
	var en, ger, std bytes.Buffer
	PrintFlags(&en, fs, i18n.Neutral())
	fs.SetOutput(&std)
	fs.PrintDefaults()
	if en.String() != std.String() {
		t.Errorf("PrintFlags in English:\n%s\nflag.PrintDefaults:\n%s", en.String(), std.String())
	}
	PrintFlags(&ger, fs, de)
	for _, want := range []string{"  -amount amount\n    \tthe amount to charge\n", "  -seller Text\n    \tthe seller (Standard: \"acct_1\")\n",
		"  -timeout Dauer\n    \thow long to wait (Standard: 2m0s)\n", "  -json\n    \tprint JSON\n"} {
		if !strings.Contains(ger.String(), want) {
			t.Errorf("German flag list lacks %q:\n%s", want, ger.String())
		}
	}
}

func TestWantsHelp(t *testing.T) {
	for args, want := range map[string]bool{"-h": true, "--help": true, "-help": true, "--data-dir d --help": true,
		"": false, "--helpful": false, "help": false, "--amount 5": false} {
		if got := WantsHelp(strings.Fields(args)); got != want {
			t.Errorf("WantsHelp(%q) = %v", args, got)
		}
	}
}

// A command of subcommands prints its help for no subcommand (a bad
// command line) and for a request for help before one, and nothing
// otherwise.
func TestSubcommandHelp(t *testing.T) {
	for _, c := range []struct {
		args       []string
		code       int
		done, help bool
	}{
		{nil, ExitUsage, true, true},
		{[]string{"--help"}, 0, true, true},
		{[]string{"-h", "list"}, 0, true, true},
		{[]string{"list"}, 0, false, false},
		{[]string{"list", "--help"}, 0, false, false},
	} {
		var out bytes.Buffer
		code, done := SubcommandHelp(c.args, &out, "the help\n")
		if code != c.code || done != c.done || (out.String() == "the help\n") != c.help || (!c.help && out.Len() > 0) {
			t.Errorf("%q: code %d done %v printed %q, want code %d done %v help %v", c.args, code, done, out.String(), c.code, c.done, c.help)
		}
	}
}
