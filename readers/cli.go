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

	"kasse/pos"
)

// Exit codes of the headless commands.
const (
	ExitOK         = 0
	ExitError      = 1
	ExitTestFailed = 2  // readers test ran and the payment did not go through
	ExitUsage      = 64 // EX_USAGE: bad command line
)

// CLIDeps is what the headless commands need from the composition root.
type CLIDeps struct {
	Fleet *Fleet
	// Recent returns the requests the adapter recorded, oldest first (for
	// diagnostics); nil means none.
	Recent func() []RequestRecord
	// WriteFile writes --out files (os.WriteFile when nil).
	WriteFile func(name string, data []byte, perm os.FileMode) error
}

// command is one `kasse readers …` subcommand and its implementation.
type command struct {
	name, args, help string
	run              func(c *cli, args []string) int
}

var commands = []command{
	{"list", "[--json]", "every reader of the platform and its sellers, by location, with health", (*cli).list},
	{"register", "--code CODE --label LABEL --location TML [--owner ACCT|platform] [--json]", "register a reader with the code it shows", (*cli).register},
	{"test", "--reader TMR --seller ACCT [--amount A] [--simulate-card N] [--tip T] [--capture] [--timeout D] [--json]", "run a test payment through a reader (exit 2 when it fails)", (*cli).test},
	{"clear", "--reader TMR [--json]", "show what the reader holds and reset it (cancel_action)", (*cli).clear},
	{"display", "--reader TMR [--currency CUR]", "show a sample cart on the reader (nothing is charged)", (*cli).display},
	{"diagnostics", "--reader TMR [--out FILE] [--text]", "redacted bundle: reader fields, action, health, recent requests", (*cli).diagnostics},
	{"rename", "--reader TMR --label LABEL", "change a reader's label", (*cli).rename},
	{"deregister", "--reader TMR --confirm LABEL|TMR", "remove a reader from its account", (*cli).deregister},
	{"create-location", "--name NAME --country CC --seller ACCT [--line1 …] [--city …] [--state …] [--postal-code …] [--owner ACCT|platform]", "create a Terminal location for a seller (address rules per country)", (*cli).createLocation},
}

type cli struct {
	cmd            command // the running subcommand
	ctx            context.Context
	deps           CLIDeps
	f              *Fleet
	stdout, stderr io.Writer
}

// Main runs `kasse readers …`. args are the words after the program name,
// starting with "readers" (a missing "readers" is tolerated). It returns
// the exit code: 0 ok, 1 error, 2 test payment failed, 64 usage.
func Main(ctx context.Context, deps CLIDeps, args []string, stdout, stderr io.Writer) int {
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
		fmt.Fprintf(w, "  %-16s %s\n", cmd.name, cmd.help)
	}
	fmt.Fprintln(w, "\nExit codes: 0 ok, 1 error, 2 test payment failed, 64 usage.")
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
		fmt.Fprintf(w, "Usage: %s %s\n\n%s.\n\nFlags:\n", fs.Name(), c.cmd.args, upperFirst(c.cmd.help))
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
	return c.required(fs, required...)
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
