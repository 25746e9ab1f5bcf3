package supervisor

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"

	"kasse/i18n"
	"kasse/internal/cli"
)

// RunPin runs `kasse pin …` (args: the words after "pin") and returns the
// exit code. Prompts go to stderr, PINs come from stdin (see ReadPIN; main
// turns terminal echo off). Only Journal, Operators, Operator (the default
// --operator), PinLockout, Now and Log of d are used.
func RunPin(ctx context.Context, d Deps, args []string, std cli.IO) int {
	stdin, stdout, stderr, loc := std.In, std.Out, std.Err, std.Locale()
	fail := func(code int, m i18n.Message) int {
		fmt.Fprintln(stderr, progPin+": "+loc.Render(m))
		return code
	}
	unchanged := func(code int, err error) int {
		return fail(code, i18n.M("cli.supervisor.pin.unchanged", i18n.Args{"Error": err}))
	}
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
		io.WriteString(stdout, loc.T("cli.supervisor.help.pin"))
		return ExitOK
	}
	if len(args) == 0 || args[0] != "set" {
		return fail(ExitUsage, i18n.M("cli.supervisor.pin.usage"))
	}
	fs := flag.NewFlagSet("kasse pin set", flag.ContinueOnError) // i18n:ok the command's name
	fs.SetOutput(io.Discard)
	operator := fs.String("operator", d.Operator, "")
	by := fs.String("by", "", "")
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			io.WriteString(stdout, loc.T("cli.supervisor.help.pin"))
			return ExitOK
		}
		return fail(ExitUsage, i18n.M("cli.supervisor.pin.flag_error", i18n.Args{"Error": cli.FlagError(loc, err)}))
	}
	switch {
	case fs.NArg() > 0:
		return fail(ExitUsage, i18n.M("cli.supervisor.pin.argument", i18n.Args{"Arg": cli.Quote(fs.Arg(0))}))
	case *operator == "":
		return fail(ExitUsage, i18n.M("cli.supervisor.operator_required"))
	case d.Journal == nil:
		return fail(ExitError, i18n.M("cli.supervisor.pin.no_journal"))
	}
	g := &Guard{Journal: d.Journal, Operators: d.Operators, Lockout: d.PinLockout, Now: d.Now, Log: d.Log}
	if o, ok := g.Operator(*operator); !ok || o.Role == "" {
		return fail(ExitUsage, i18n.M("cli.supervisor.no_such_operator", i18n.Args{"Operator": strconv.Quote(*operator)}))
	}
	has, err := g.HasPIN(ctx, *operator)
	if err != nil {
		return fail(ExitError, i18n.M("cli.supervisor.error", i18n.Args{"Error": err}))
	}
	if !has && (*by == "" || *by == *operator) {
		// Refused before any PIN is read (SetPIN checks it again).
		need, err := g.FirstPINNeedsSupervisor(ctx, *operator)
		if err != nil {
			return fail(ExitError, i18n.M("cli.supervisor.error", i18n.Args{"Error": err}))
		}
		if need {
			o, _ := g.Operator(*operator)
			return fail(ExitRefused, i18n.M("cli.supervisor.pin.unchanged", i18n.Args{"Error": firstPINHow(*operator, o.Role)}))
		}
	}
	req := SetPINRequest{Operator: *operator, By: *by}
	read := func(prompt string) (PIN, bool) {
		fmt.Fprint(stderr, prompt+" ")
		p, err := ReadPIN(stdin)
		fmt.Fprintln(stderr)
		return p, err == nil && p != ""
	}
	var ok bool
	switch {
	case *by != "" && *by != *operator:
		if req.Current, ok = read(loc.T("cli.supervisor.prompt.pin_of", i18n.Args{"Operator": *by})); !ok {
			return fail(ExitUsage, i18n.M("cli.supervisor.pin.no_pin_of", i18n.Args{"Operator": *by}))
		}
	case has:
		if req.Current, ok = read(loc.T("cli.supervisor.prompt.current_pin", i18n.Args{"Operator": *operator})); !ok {
			return fail(ExitUsage, i18n.M("cli.supervisor.pin.current_needed", i18n.Args{"Operator": *operator}))
		}
	}
	if req.New, ok = read(loc.T("cli.supervisor.prompt.new_pin", i18n.Args{"Operator": *operator})); !ok {
		return fail(ExitUsage, i18n.M("cli.supervisor.pin.no_new_pin"))
	}
	if err := CheckPIN(req.New); err != nil {
		return unchanged(ExitError, err)
	}
	again, ok := read(loc.T("cli.supervisor.prompt.repeat_pin"))
	if !ok || again != req.New {
		return fail(ExitError, i18n.M("cli.supervisor.pin.differ"))
	}
	if err := g.SetPIN(ctx, req); err != nil {
		if _, refused := AsRefusal(err); refused {
			return unchanged(ExitRefused, err)
		}
		return unchanged(ExitError, err)
	}
	fmt.Fprintln(stdout, loc.T("cli.supervisor.pin.set", i18n.Args{"Operator": *operator}))
	return ExitOK
}
