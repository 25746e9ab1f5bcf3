package readers

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	kcli "kasse/internal/cli"
	"kasse/pos"
)

// Exit codes of the headless commands.
const (
	ExitOK         = 0
	ExitError      = 1
	ExitTestFailed = 2  // readers test ran and the payment did not go through
	ExitRefused    = 3  // the operator may not (role, PIN, lockout)
	ExitUsage      = 64 // EX_USAGE: bad command line
)

// Errors CLIDeps.Authorize returns (wrapped: Refused, MissingPIN), for the
// exit code.
var (
	// ErrRefused: the operator may not change the fleet (role, wrong PIN,
	// lockout, unknown operator); exit ExitRefused.
	ErrRefused = errors.New("not allowed")
	// ErrNoPIN: no PIN was given on stdin; exit ExitUsage.
	ErrNoPIN = errors.New("no PIN")
)

// authError is an Authorize answer: its message, and the sentinel it is.
type authError struct {
	msg  string
	kind error
}

func (e *authError) Error() string { return e.msg }
func (e *authError) Unwrap() error { return e.kind }

// Refused is Authorize's "no", with the reason (which never holds a PIN).
func Refused(reason string) error { return &authError{"not allowed: " + reason, ErrRefused} }

// MissingPIN is Authorize's answer when stdin held no PIN.
func MissingPIN(msg string) error { return &authError{msg, ErrNoPIN} }

// CLIDeps is what the headless commands need from the composition root.
type CLIDeps struct {
	// Authorize checks, before a command that changes the fleet or drives
	// a reader sends anything, that the operator may: a tech's or a
	// supervisor's role and their PIN, which the composition root reads
	// from stdin (as kasse refund does). command is the subcommand's name.
	// It returns nil, Refused, MissingPIN or another failure. Nil
	// Authorize refuses every such command: no fleet change goes unchecked.
	Authorize func(ctx context.Context, command string) error
	Fleet     *Fleet
	// Recent returns the requests the adapter recorded, oldest first (for
	// diagnostics); nil means none.
	Recent func() []RequestRecord
	// WriteFile writes --out files (os.WriteFile when nil).
	WriteFile func(name string, data []byte, perm os.FileMode) error
}

// command is one `kasse readers …` subcommand and its implementation.
// changes: it changes the fleet or drives a reader, so it needs a tech's or
// a supervisor's PIN (CLIDeps.Authorize); list and diagnostics only read.
type command struct {
	name, args, help string
	changes          bool
	run              func(c *cli, args []string) int
}

var commands = []command{
	{"list", "[--json]", "every reader of the platform and its sellers, by location, with health", false, (*cli).list},
	{"register", "--code CODE --label LABEL --location TML [--owner ACCT|platform] [--json]", "register a reader with the code it shows", true, (*cli).register},
	{"test", "--reader TMR --seller ACCT [--amount A] [--simulate-card N] [--tip T] [--capture] [--timeout D] [--json]", "run a test payment through a reader (exit 2 when it fails)", true, (*cli).test},
	{"clear", "--reader TMR [--json]", "show what the reader holds and reset it (cancel_action)", true, (*cli).clear},
	{"display", "--reader TMR [--currency CUR]", "show a sample cart on the reader (nothing is charged)", true, (*cli).display},
	{"diagnostics", "--reader TMR [--out FILE] [--text]", "redacted bundle: reader fields, action, health, recent requests", false, (*cli).diagnostics},
	{"rename", "--reader TMR --label LABEL", "change a reader's label", true, (*cli).rename},
	{"deregister", "--reader TMR --confirm LABEL|TMR", "remove a reader from its account", true, (*cli).deregister},
	{"create-location", "--name NAME --country CC --seller ACCT [--line1 …] [--city …] [--state …] [--postal-code …] [--owner ACCT|platform]", "create a Terminal location for a seller (address rules per country)", true, (*cli).createLocation},
}

type cli struct {
	cmd            command // the running subcommand
	ctx            context.Context
	deps           CLIDeps
	f              *Fleet
	stdout, stderr io.Writer
}

// RunReaders runs `kasse readers …`. args are the words after the program name,
// starting with "readers" (a missing "readers" is tolerated). It returns
// the exit code: 0 ok, 1 error, 2 test payment failed, 64 usage.
func RunReaders(ctx context.Context, deps CLIDeps, args []string, std kcli.IO) int {
	stdout, stderr := std.Out, std.Err
	if len(args) > 0 && args[0] == "readers" {
		args = args[1:]
	}
	c := &cli{ctx: ctx, deps: deps, f: deps.Fleet, stdout: stdout, stderr: stderr}
	if len(args) == 0 {
		c.usage(stderr)
		return ExitUsage
	}
	switch args[0] {
	case "-h", "--help", "-help", "help":
		c.usage(stdout)
		return ExitOK
	}
	for _, cmd := range commands {
		if cmd.name == args[0] {
			if c.f == nil || c.f.Terminal == nil || c.f.Sellers == nil {
				fmt.Fprintln(stderr, "kasse readers: no Stripe connection configured")
				return ExitError
			}
			c.cmd = cmd
			return cmd.run(c, args[1:])
		}
	}
	fmt.Fprintf(stderr, "kasse readers: unknown command %q\n\n", args[0])
	c.usage(stderr)
	return ExitUsage
}

func (c *cli) usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: kasse readers COMMAND [flags]   (COMMAND --help for details)")
	fmt.Fprintln(w)
	for _, cmd := range commands {
		mark := " "
		if cmd.changes {
			mark = "*"
		}
		fmt.Fprintf(w, "  %-16s%s %s\n", cmd.name, mark, cmd.help)
	}
	fmt.Fprintln(w, "\n* needs a tech's or a supervisor's PIN: --operator NAME, the PIN on the first line of stdin:")
	io.WriteString(w, "    printf '%s\\n' \"$PIN\" | kasse readers register --operator tom --code … --label … --location …\n")
	fmt.Fprintln(w, "\nExit codes: 0 ok, 1 error, 2 test payment failed, 3 refused (role, PIN, lockout), 64 usage.")
}

// flags makes the FlagSet of the running subcommand.
func (c *cli) flags() *flag.FlagSet {
	fs := flag.NewFlagSet("kasse readers "+c.cmd.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// readerFlags makes the FlagSet of a subcommand that acts on one reader,
// with its --reader and --owner (resolve them with readerOwner).
func (c *cli) readerFlags() (fs *flag.FlagSet, id, owner *string) {
	fs = c.flags()
	id = fs.String("reader", "", "reader id (tmr_…)")
	owner = fs.String("owner", "", "the reader's account: platform or acct_… (default: found by search)")
	return fs, id, owner
}

// parse parses args and checks that the required flags are set: --help
// prints the usage, a bad command line is a usage error. ok false means
// return code.
func (c *cli) parse(fs *flag.FlagSet, args []string, required ...string) (code int, ok bool) {
	printUsage := func(w io.Writer) {
		fmt.Fprintf(w, "Usage: %s %s\n\n%s.\n", fs.Name(), c.cmd.args, upperFirst(c.cmd.help))
		if c.cmd.changes {
			fmt.Fprintln(w, "\nNeeds a tech's or a supervisor's PIN: the operator is --operator (or the configured one),\n"+
				"the PIN the first line of stdin, never a flag.")
		}
		fmt.Fprintf(w, "\nFlags:\n")
		fs.SetOutput(w)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		printUsage(c.stdout)
		return ExitOK, false
	case err != nil:
		fmt.Fprintf(c.stderr, "%s: %v\n", fs.Name(), err)
		printUsage(c.stderr)
		return ExitUsage, false
	case fs.NArg() > 0:
		fmt.Fprintf(c.stderr, "%s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		printUsage(c.stderr)
		return ExitUsage, false
	}
	if code, ok := c.required(fs, required...); !ok {
		return code, ok
	}
	return c.authorize()
}

// authorize asks CLIDeps.Authorize whether the operator may run a command
// that changes the fleet (after the command line was checked, before any
// request).
func (c *cli) authorize() (int, bool) {
	if !c.cmd.changes {
		return 0, true
	}
	name := "kasse readers " + c.cmd.name
	if c.deps.Authorize == nil {
		fmt.Fprintf(c.stderr, "%s: refused: no operator check is configured (composition error)\n", name)
		return ExitRefused, false
	}
	err := c.deps.Authorize(c.ctx, c.cmd.name)
	switch {
	case err == nil:
		return 0, true
	case errors.Is(err, ErrRefused):
		fmt.Fprintf(c.stderr, "%s: %s\n", name, RedactString(err.Error()))
		return ExitRefused, false
	case errors.Is(err, ErrNoPIN):
		fmt.Fprintf(c.stderr, "%s: %s\n", name, RedactString(err.Error()))
		return ExitUsage, false
	}
	return c.fail(err), false
}

// required reports missing required flags as a usage error.
func (c *cli) required(fs *flag.FlagSet, names ...string) (int, bool) {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	var missing []string
	for _, n := range names {
		if !set[n] || strings.TrimSpace(fs.Lookup(n).Value.String()) == "" {
			missing = append(missing, "--"+n)
		}
	}
	if len(missing) == 0 {
		return 0, true
	}
	fmt.Fprintf(c.stderr, "%s: missing %s (see --help)\n", fs.Name(), joinAnd(missing))
	return ExitUsage, false
}

// usageError prints err as a usage error of fs's command and returns
// ExitUsage.
func (c *cli) usageError(fs *flag.FlagSet, err error) int {
	fmt.Fprintln(c.stderr, fs.Name()+": "+err.Error())
	return ExitUsage
}

// fail prints err and returns ExitError.
func (c *cli) fail(err error) int {
	fmt.Fprintln(c.stderr, "error: "+RedactString(err.Error()))
	return ExitError
}

// parseOwner reads --owner: "" (not given), "platform", or an acct_ id.
func parseOwner(s string) (pos.Account, bool, error) {
	switch s = strings.TrimSpace(s); {
	case s == "":
		return pos.Platform, false, nil
	case strings.EqualFold(s, "platform"):
		return pos.Platform, true, nil
	case strings.HasPrefix(s, "acct_") && !strings.ContainsAny(s, " /?#"):
		return pos.Account(s), true, nil
	}
	return "", false, fmt.Errorf("--owner %q: expected \"platform\" or an account id (acct_…)", s)
}

// readerOwner resolves the account of --reader: --owner when given, else a
// search of the platform and every seller.
func (c *cli) readerOwner(id, ownerFlag string) (pos.Account, error) {
	owner, given, err := parseOwner(ownerFlag)
	if err != nil || given {
		return owner, err
	}
	r, err := c.f.LocateReader(c.ctx, id)
	if err != nil {
		return "", err
	}
	return r.Owner, nil
}

// printJSON writes v as indented JSON.
func (c *cli) printJSON(v any) int {
	enc := json.NewEncoder(c.stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return c.fail(err)
	}
	return ExitOK
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func formatAddress(a pos.Address) string {
	var parts []string
	for _, p := range []string{a.Line1, a.Line2, a.City, strings.TrimSpace(a.State + " " + a.PostalCode), a.Country} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ")
}
