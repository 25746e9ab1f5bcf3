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
	"unicode"
	"unicode/utf8"

	"kasse/i18n"
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

// authError is an Authorize answer: why (an error that words itself in the
// reader's language, or not), and the sentinel it is.
type authError struct {
	why     error
	kind    error
	refused bool
}

func (e *authError) Error() string { return e.Localize(i18n.Neutral()) }

// Localize renders the answer in loc's words.
func (e *authError) Localize(loc *i18n.Locale) string {
	if e.refused {
		return loc.T("cli.readers.not_allowed", i18n.Args{"Reason": e.why})
	}
	return loc.Err(e.why)
}

func (e *authError) Unwrap() error { return e.kind }

// Refused is Authorize's "no", with the reason (which never holds a PIN).
func Refused(reason error) error { return &authError{why: reason, kind: ErrRefused, refused: true} }

// MissingPIN is Authorize's answer when stdin held no PIN.
func MissingPIN(why error) error { return &authError{why: why, kind: ErrNoPIN} }

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
	name       string
	args, help i18n.Message // the synopsis after the name; what it does
	changes    bool
	run        func(c *cli, args []string) int
}

var commands = []command{
	{"list", i18n.M("cli.readers.args.list"), i18n.M("cli.readers.help.list"), false, (*cli).list},
	{"register", i18n.M("cli.readers.args.register"), i18n.M("cli.readers.help.register"), true, (*cli).register},
	{"test", i18n.M("cli.readers.args.test"), i18n.M("cli.readers.help.test"), true, (*cli).test},
	{"clear", i18n.M("cli.readers.args.clear"), i18n.M("cli.readers.help.clear"), true, (*cli).clear},
	{"display", i18n.M("cli.readers.args.display"), i18n.M("cli.readers.help.display"), true, (*cli).display},
	{"diagnostics", i18n.M("cli.readers.args.diagnostics"), i18n.M("cli.readers.help.diagnostics"), false, (*cli).diagnostics},
	{"rename", i18n.M("cli.readers.args.rename"), i18n.M("cli.readers.help.rename"), true, (*cli).rename},
	{"deregister", i18n.M("cli.readers.args.deregister"), i18n.M("cli.readers.help.deregister"), true, (*cli).deregister},
	{"create-location", i18n.M("cli.readers.args.create_location"), i18n.M("cli.readers.help.create_location"), true, (*cli).createLocation},
}

type cli struct {
	cmd            command // the running subcommand
	ctx            context.Context
	deps           CLIDeps
	f              *Fleet
	stdout, stderr io.Writer
	loc            *i18n.Locale // the language of the output
}

// t renders message id in the command's language.
func (c *cli) t(id string, args ...i18n.Args) string { return c.loc.T(id, args...) }

// RunReaders runs `kasse readers …`. args are the words after the program name,
// starting with "readers" (a missing "readers" is tolerated). It returns
// the exit code: 0 ok, 1 error, 2 test payment failed, 64 usage.
func RunReaders(ctx context.Context, deps CLIDeps, args []string, std kcli.IO) int {
	stdout, stderr := std.Out, std.Err
	if len(args) > 0 && args[0] == "readers" {
		args = args[1:]
	}
	c := &cli{ctx: ctx, deps: deps, f: deps.Fleet, stdout: stdout, stderr: stderr, loc: std.Locale()}
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
				fmt.Fprintln(stderr, prog+": "+c.t("cli.readers.no_connection"))
				return ExitError
			}
			c.cmd = cmd
			return cmd.run(c, args[1:])
		}
	}
	fmt.Fprintf(stderr, "%s: %s\n\n", prog, c.t("cli.readers.unknown_command", i18n.Args{"Command": kcli.Quote(args[0])}))
	c.usage(stderr)
	return ExitUsage
}

func (c *cli) usage(w io.Writer) {
	fmt.Fprintln(w, c.t("cli.readers.usage"))
	fmt.Fprintln(w)
	for _, cmd := range commands {
		mark := " "
		if cmd.changes {
			mark = "*"
		}
		fmt.Fprintf(w, "  %-16s%s %s\n", cmd.name, mark, c.loc.Render(cmd.help))
	}
	fmt.Fprint(w, "\n"+c.t("cli.readers.usage_pin")+"\n\n"+c.t("cli.readers.exit_codes")+"\n")
}

// flags makes the FlagSet of the running subcommand.
func (c *cli) flags() *flag.FlagSet {
	fs := flag.NewFlagSet(prog+" "+c.cmd.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// readerFlags makes the FlagSet of a subcommand that acts on one reader,
// with its --reader and --owner (resolve them with readerOwner).
func (c *cli) readerFlags() (fs *flag.FlagSet, id, owner *string) {
	fs = c.flags()
	id = fs.String("reader", "", c.t("cli.readers.flag.reader"))
	owner = fs.String("owner", "", c.t("cli.readers.flag.reader_owner"))
	return fs, id, owner
}

// parse parses args and checks that the required flags are set: --help
// prints the usage, a bad command line is a usage error. ok false means
// return code.
func (c *cli) parse(fs *flag.FlagSet, args []string, required ...string) (code int, ok bool) {
	printUsage := func(w io.Writer) {
		fmt.Fprintf(w, "%s\n\n%s\n", c.t("cli.help.usage_prefix", i18n.Args{"Usage": fs.Name() + " " + c.loc.Render(c.cmd.args)}),
			c.t("cli.readers.help_sentence", i18n.Args{"Help": upperFirst(c.loc.Render(c.cmd.help))}))
		if c.cmd.changes {
			fmt.Fprintln(w, "\n"+c.t("cli.readers.needs_pin"))
		}
		fmt.Fprintf(w, "\n%s\n", c.t("cli.help.flags"))
		kcli.PrintFlags(w, fs, c.loc)
	}
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		printUsage(c.stdout)
		return ExitOK, false
	case err != nil:
		fmt.Fprintf(c.stderr, "%s: %s\n", fs.Name(), kcli.FlagError(c.loc, err))
		printUsage(c.stderr)
		return ExitUsage, false
	case fs.NArg() > 0:
		fmt.Fprintf(c.stderr, "%s: %s\n", fs.Name(), c.t("cli.readers.unexpected_argument", i18n.Args{"Arg": kcli.Quote(fs.Arg(0))}))
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
	name := prog + " " + c.cmd.name
	if c.deps.Authorize == nil {
		fmt.Fprintf(c.stderr, "%s: %s\n", name, c.t("cli.readers.no_operator_check"))
		return ExitRefused, false
	}
	err := c.deps.Authorize(c.ctx, c.cmd.name)
	switch {
	case err == nil:
		return 0, true
	case errors.Is(err, ErrRefused):
		fmt.Fprintf(c.stderr, "%s: %s\n", name, RedactString(c.loc.Err(err)))
		return ExitRefused, false
	case errors.Is(err, ErrNoPIN):
		fmt.Fprintf(c.stderr, "%s: %s\n", name, RedactString(c.loc.Err(err)))
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
	fmt.Fprintf(c.stderr, "%s: %s\n", fs.Name(), c.t("cli.readers.missing_flags", i18n.Args{"Flags": joinAnd(c.loc, missing)}))
	return ExitUsage, false
}

// usageError prints err as a usage error of fs's command and returns
// ExitUsage.
func (c *cli) usageError(fs *flag.FlagSet, err error) int {
	fmt.Fprintln(c.stderr, fs.Name()+": "+c.loc.Err(err))
	return ExitUsage
}

// fail prints err and returns ExitError.
func (c *cli) fail(err error) int {
	fmt.Fprintln(c.stderr, c.t("cli.readers.error", i18n.Args{"Error": RedactString(c.loc.Err(err))}))
	return ExitError
}

// parseOwner reads --owner: "" (not given), "platform", or an acct_ id.
func parseOwner(s string) (pos.Account, bool, error) {
	switch s = strings.TrimSpace(s); {
	case s == "":
		return pos.Platform, false, nil
	case strings.EqualFold(s, platformName):
		return pos.Platform, true, nil
	case strings.HasPrefix(s, "acct_") && !strings.ContainsAny(s, " /?#"):
		return pos.Account(s), true, nil
	}
	return "", false, &i18n.Error{Kind: errFlag, Msg: i18n.M("cli.readers.owner_bad", i18n.Args{"Value": kcli.Quote(s)})}
}

// errFlag: a flag's value is not what it takes (a usage error).
var errFlag = errors.New("bad flag value")

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
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
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

// prog is the command's name, as its messages start: the same in every
// language.
const prog = "kasse readers" // i18n:ok the command's name
