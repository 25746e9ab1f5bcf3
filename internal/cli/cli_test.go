package cli

import (
	"bytes"
	"context"
	"reflect"
	"strings"
	"testing"
)

// program is a table of commands that report how they were called.
func program(calls *[]Call) *Program {
	rec := func(ctx context.Context, c Call) int {
		*calls = append(*calls, c)
		return len(*calls)
	}
	return &Program{Name: "kasse", Title: "kasse — test", Default: "console", Footer: "Shared: --data-dir DIR\n",
		Commands: []Command{
			{Name: "console", Summary: "the console", Usage: "[flags]", Run: rec},
			{Name: "charge", Summary: "one sale", Usage: "charge --amount A", Run: rec},
			{Name: "pin set", Summary: "set a PIN", Usage: "pin set --operator NAME", Run: rec},
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
		{[]string{"charge", "--amount", "5", "--help"}, Call{Prog: "kasse charge", Usage: "kasse charge --amount A", Args: []string{"--amount", "5", "--help"}}},
		{[]string{"pin", "set", "--operator", "bea"}, Call{Prog: "kasse pin", Usage: "kasse pin set --operator NAME", Args: []string{"set", "--operator", "bea"}}},
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
		if code := p.Run(context.Background(), args, IO{Out: &out, Err: &errb}); code != 0 || out.String() != p.Help() || errb.Len() != 0 {
			t.Errorf("%q: exit %d, stdout %q, stderr %q", args, code, out.String(), errb.String())
		}
	}
	var out, errb bytes.Buffer
	if code := p.Run(context.Background(), []string{"frobnicate", "--help"}, IO{Out: &out, Err: &errb}); code != ExitUsage ||
		!strings.HasPrefix(errb.String(), "kasse: unknown command \"frobnicate\"\n\n"+p.Help()) || out.Len() != 0 {
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
	want := "kasse — test\n\nUsage: kasse [COMMAND] [flags]\n\nCommands:\n" +
		"  (none)          the console\n" +
		"  charge          one sale\n" +
		"  pin set         set a PIN\n" +
		"  help            this text\n" +
		"\nkasse COMMAND --help shows a command's flags and exit codes.\n\nShared: --data-dir DIR\n"
	if got := program(&calls).Help(); got != want {
		t.Errorf("Help:\n%s\nwant:\n%s", got, want)
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
