package customers

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"kasse/i18n"
	kcli "kasse/internal/cli"
	"kasse/pos"
)

// Exit codes of `kasse customers`: kasse charge's conventions.
const (
	ExitOK       = 0
	ExitError    = 1
	ExitDeclined = 2 // save-card: the card was refused or cannot be saved
	ExitCanceled = 3 // save-card: canceled, interrupted or timed out; nothing saved
	ExitUsage    = 64
)

// CLIDeps is what `kasse customers` needs from the composition root.
type CLIDeps struct {
	Service  *Service
	Terminal pos.Terminal // finding the reader of save-card
	Operator string       // who confirms a customer's consent (the configured operator)
	Mode     string       // "sandbox", "test" or "live": --simulate-card only off live
}

// RunCustomers runs `kasse customers` (args: the words after "customers"),
// in the command's language (std.Locale); --json stays language-neutral.
func RunCustomers(ctx context.Context, d CLIDeps, args []string, std kcli.IO) int {
	loc := std.Locale()
	if code, done := kcli.SubcommandHelp(args, std.Out, loc.T("cli.customers.help")); done {
		return code
	}
	c := &cli{d: d, std: std, loc: loc}
	switch args[0] {
	case "list":
		return c.list(ctx, args[1:])
	case "show":
		return c.show(ctx, args[1:])
	case "create":
		return c.create(ctx, args[1:])
	case "save-card":
		return c.saveCard(ctx, args[1:])
	}
	fmt.Fprintln(std.Err, progCustomers+": "+loc.T("cli.customers.unknown_command", i18n.Args{"Command": kcli.Quote(args[0])}))
	fmt.Fprintln(std.Err)
	fmt.Fprint(std.Err, loc.T("cli.customers.help"))
	return ExitUsage
}

// progCustomers is the command's name, as its messages start.
const progCustomers = "kasse customers" // i18n:ok the command's name

type cli struct {
	d   CLIDeps
	std kcli.IO
	loc *i18n.Locale
}

// fail reports err (a message that words itself) of subcommand cmd.
func (c *cli) fail(code int, cmd string, err error) int {
	fmt.Fprintln(c.std.Err, progCustomers+" "+cmd+": "+c.loc.Err(err))
	return code
}

// usage reports bad input of subcommand cmd (exit 64).
func (c *cli) usage(cmd string, m i18n.Message) int {
	return c.fail(ExitUsage, cmd, &i18n.Error{Kind: errUsage, Msg: m})
}

// errUsage: a bad command line.
var errUsage = errors.New("bad command line")

// failErr reports err: bad input exits 64 (nothing was sent), anything
// else 1.
func (c *cli) failErr(cmd string, err error) int {
	var bi *BadInput
	if errors.As(err, &bi) {
		return c.usage(cmd, i18n.M("cli.customers.nothing_sent", i18n.Args{"Error": err}))
	}
	return c.fail(ExitError, cmd, err)
}

// flags parses a subcommand's flags; ok false means return code.
func (c *cli) flags(cmd string, args []string, define func(fs *flag.FlagSet)) (fs *flag.FlagSet, code int, ok bool) {
	fs = flag.NewFlagSet(progCustomers+" "+cmd, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	define(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(c.std.Out, c.loc.T("cli.customers.help"))
			return fs, ExitOK, false
		}
		return fs, c.usage(cmd, i18n.M("cli.customers.see_help", i18n.Args{"Error": kcli.FlagError(c.loc, err)})), false
	}
	if fs.NArg() > 0 {
		return fs, c.usage(cmd, i18n.M("cli.customers.unexpected_argument", i18n.Args{"Arg": kcli.Quote(fs.Arg(0))})), false
	}
	return fs, 0, true
}

// account reads --seller: "platform" or "" is the wallet.
func account(v string) (pos.Account, error) {
	switch {
	case v == "" || v == "platform":
		return pos.Platform, nil
	case strings.HasPrefix(v, "acct_"):
		return pos.Account(v), nil
	}
	return "", &i18n.Error{Kind: errUsage, Msg: i18n.M("cli.customers.bad_seller", i18n.Args{"Value": strconv.Quote(v)})}
}

// where names an account in a table: the platform's wallet in words.
func (c *cli) where(a pos.Account) string {
	if a.IsPlatform() {
		return c.loc.T("cli.customers.wallet")
	}
	return string(a)
}

func (c *cli) printJSON(cmd string, v any) int {
	enc := json.NewEncoder(c.std.Out)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return c.fail(ExitError, cmd, err)
	}
	return ExitOK
}
