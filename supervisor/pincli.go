package supervisor

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"kasse/internal/cli"
)

const pinHelp = `Usage: kasse pin set [--operator NAME] [--by SUPERVISOR]

Sets the PIN an operator (default: the configured operator) types to
authorize supervisor actions (refunds, voids, captures) or reader screens.
The PIN is 4 to 12 digits, not one digit repeated and not a run like 1234
or 9876. It is stored only as an argon2id hash in the journal (which is
made readable by its owner only), never in the configuration.

Who may set it:
  - a first PIN needs a supervisor: --by SUPERVISOR, with their PIN; the
    one exception is the very first supervisor, who sets their own while
    no supervisor has a PIN in this journal (each environment — sandbox,
    test, live — has its own);
  - a PIN is changed with the operator's current PIN,
    or reset (forgotten) by a supervisor with --by and their PIN.

The PINs are read from stdin, one per line (on a terminal, without echo):
  - with --by, the supervisor's PIN; else the operator's current PIN, if
    they have one;
  - the new PIN, twice.

Exit codes: 0 set, 1 error (nothing changed), 3 refused (wrong PIN, lockout,
role), 64 usage.
`

// RunPin runs `kasse pin …` (args: the words after "pin") and returns the
// exit code. Prompts go to stderr, PINs come from stdin (see ReadPIN; main
// turns terminal echo off). Only Journal, Operators, Operator (the default
// --operator), PinLockout, Now and Log of d are used.
func RunPin(ctx context.Context, d Deps, args []string, std cli.IO) int {
	stdin, stdout, stderr := std.In, std.Out, std.Err
	fail := func(code int, format string, a ...any) int {
		fmt.Fprintf(stderr, "kasse pin: "+format+"\n", a...)
		return code
	}
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
		io.WriteString(stdout, pinHelp)
		return ExitOK
	}
	if len(args) == 0 || args[0] != "set" {
		return fail(ExitUsage, "usage: kasse pin set --operator NAME [--by SUPERVISOR] (see kasse pin --help)")
	}
	fs := flag.NewFlagSet("kasse pin set", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	operator := fs.String("operator", d.Operator, "")
	by := fs.String("by", "", "")
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			io.WriteString(stdout, pinHelp)
			return ExitOK
		}
		return fail(ExitUsage, "%v (see kasse pin --help)", err)
	}
	switch {
	case fs.NArg() > 0:
		return fail(ExitUsage, "unexpected argument %q: PINs are read from stdin, never from arguments", fs.Arg(0))
	case *operator == "":
		return fail(ExitUsage, "--operator is required (no operator is configured)")
	case d.Journal == nil:
		return fail(ExitError, "no journal (composition error)")
	}
	g := &Guard{Journal: d.Journal, Operators: d.Operators, Lockout: d.PinLockout, Now: d.Now, Log: d.Log}
	if o, ok := g.Operator(*operator); !ok || o.Role == "" {
		return fail(ExitUsage, "there is no operator named %q with a role; add an [[operators]] entry to the configuration first", *operator)
	}
	has, err := g.HasPIN(ctx, *operator)
	if err != nil {
		return fail(ExitError, "%v", err)
	}
	if !has && (*by == "" || *by == *operator) {
		// Refused before any PIN is read (SetPIN checks it again).
		need, err := g.FirstPINNeedsSupervisor(ctx, *operator)
		if err != nil {
			return fail(ExitError, "%v", err)
		}
		if need {
			o, _ := g.Operator(*operator)
			return fail(ExitRefused, "%s; nothing changed", firstPINHow(*operator, o.Role))
		}
	}
	req := SetPINRequest{Operator: *operator, By: *by}
	read := func(prompt string) (PIN, bool) {
		fmt.Fprint(stderr, prompt)
		p, err := ReadPIN(stdin)
		fmt.Fprintln(stderr)
		return p, err == nil && p != ""
	}
	var ok bool
	switch {
	case *by != "" && *by != *operator:
		if req.Current, ok = read("PIN of " + *by + ": "); !ok {
			return fail(ExitUsage, "no PIN of %s on stdin", *by)
		}
	case has:
		if req.Current, ok = read("Current PIN of " + *operator + ": "); !ok {
			return fail(ExitUsage, "%s has a PIN: their current PIN is needed first (or --by a supervisor)", *operator)
		}
	}
	if req.New, ok = read("New PIN for " + *operator + ": "); !ok {
		return fail(ExitUsage, "no new PIN on stdin")
	}
	if err := CheckPIN(req.New); err != nil {
		return fail(ExitError, "%v; nothing changed", err)
	}
	again, ok := read("Repeat the new PIN: ")
	if !ok || again != req.New {
		return fail(ExitError, "the two new PINs differ; nothing changed")
	}
	if err := g.SetPIN(ctx, req); err != nil {
		if _, refused := AsRefusal(err); refused {
			return fail(ExitRefused, "%v; nothing changed", err)
		}
		return fail(ExitError, "%v; nothing changed", err)
	}
	fmt.Fprintf(stdout, "PIN set for %s.\n", *operator)
	return ExitOK
}
