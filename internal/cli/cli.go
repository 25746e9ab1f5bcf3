// Package cli gives every kasse subcommand one shape — a name, a one-line
// summary, a usage line and a run function (Command) — gathered in one
// table (Program), which both dispatches a command line and writes
// `kasse --help`. The table itself is the composition root's.
//
// A command speaks its operator's language: IO.Loc (see i18n.Resolve:
// config's language, per operator, else LC_ALL / LC_MESSAGES / LANG, else
// English). Summaries and usage lines are catalogued messages; PrintFlags
// and FlagError put the flag package's help and errors in the same words.
package cli

import (
	"context"
	"fmt"
	"io"
	"strings"

	"kasse/i18n"
)

// ExitUsage is the exit status of a bad command line (EX_USAGE).
const ExitUsage = 64

// IO is a command's standard streams and its language.
type IO struct {
	In  io.Reader
	Out io.Writer
	Err io.Writer
	// Loc is the language of the command's human output and errors; nil
	// is English. --json output never depends on it.
	Loc *i18n.Locale
}

// Locale is Loc, or English (i18n.Neutral) when none is set.
func (s IO) Locale() *i18n.Locale {
	if s.Loc != nil {
		return s.Loc
	}
	return i18n.Neutral()
}

// Command is one subcommand.
type Command struct {
	// Name is the command as `kasse --help` lists it. Its first word
	// selects it on the command line; further words are the command's own
	// ("pin set" runs on `kasse pin …`, and gets "set" in Call.Args).
	Name string
	// Summary is its one line in `kasse --help`.
	Summary i18n.Message
	// Usage is its synopsis after "Usage: kasse ", e.g. "charge [shared
	// flags] --seller ACCT …".
	Usage i18n.Message
	// Run runs it and returns the exit status.
	Run func(ctx context.Context, call Call) int
}

// Word is the first word of Name: what selects the command.
func (c *Command) Word() string {
	if f := strings.Fields(c.Name); len(f) > 0 {
		return f[0]
	}
	return ""
}

// Call is one run of a command.
type Call struct {
	Prog  string   // the command as called, for messages: "kasse charge"; "kasse" for the default command
	Usage string   // the program's name and the command's Usage, in IO.Loc's words: "kasse charge [shared flags] …"
	Args  []string // the arguments after the command's word
	IO
}

// Program is the table of a program's commands.
type Program struct {
	Name  string       // "kasse"
	Title i18n.Message // the first line of Help
	// Default is the Name of the command run when the command line names
	// none (it starts with a flag, or is empty); Help lists it as (none).
	Default  string
	Commands []Command
	// Footer closes Help: what every command shares.
	Footer i18n.Message
}

// Run runs the command line args (the words after the program's name). Its
// first word, unless it is a flag, names the command; "help" — or no
// command and -h, -help or --help anywhere — prints Help. An unknown
// command is a usage error.
func (p *Program) Run(ctx context.Context, args []string, std IO) int {
	loc := std.Locale()
	word := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		word, args = args[0], args[1:]
	}
	if word == "help" || word == "" && WantsHelp(args) {
		fmt.Fprint(std.Out, p.Help(loc))
		return 0
	}
	prog := p.Name + " " + word
	if word == "" {
		word, prog = p.Default, p.Name
	}
	for i := range p.Commands {
		if c := &p.Commands[i]; c.Word() == word {
			return c.Run(ctx, Call{Prog: prog, Usage: p.Name + " " + loc.Render(c.Usage), Args: args, IO: std})
		}
	}
	fmt.Fprintf(std.Err, "%s\n\n%s", loc.T("cli.help.unknown_command", i18n.Args{"Prog": p.Name, "Command": Quote(word)}), p.Help(loc))
	return ExitUsage
}

// Help lists every command in the table's order with its summary (the
// default as "(none)"), then help itself, then the Footer, in loc's words.
func (p *Program) Help(loc *i18n.Locale) string {
	var b strings.Builder
	b.WriteString(loc.Render(p.Title) + "\n\n")
	b.WriteString(loc.T("cli.help.usage", i18n.Args{"Prog": p.Name}) + "\n\n")
	b.WriteString(loc.T("cli.help.commands") + "\n")
	line := func(name, summary string) { fmt.Fprintf(&b, "  %-15s %s\n", name, summary) }
	for _, c := range p.Commands {
		name := c.Name
		if name == p.Default {
			name = loc.T("cli.help.none")
		}
		line(name, loc.Render(c.Summary))
	}
	line("help", loc.T("cli.help.this_text"))
	b.WriteString("\n" + loc.T("cli.help.command_help", i18n.Args{"Prog": p.Name}) + "\n\n")
	b.WriteString(loc.Render(p.Footer))
	return b.String()
}

// SubcommandHelp prints help, the help of a command of subcommands, when
// its command line has no subcommand (exit ExitUsage) or asks for help
// before one (exit 0); done is false, and nothing printed, otherwise.
func SubcommandHelp(args []string, out io.Writer, help string) (code int, done bool) {
	if len(args) > 0 && !WantsHelp(args[:1]) {
		return 0, false
	}
	io.WriteString(out, help)
	if len(args) == 0 {
		return ExitUsage, true
	}
	return 0, true
}

// WantsHelp reports whether a command line asks for help (-h, -help or
// --help anywhere in it): a command then does nothing else first (no
// reconciliation at start).
func WantsHelp(args []string) bool {
	for _, a := range args {
		switch a {
		case "-h", "-help", "--help":
			return true
		}
	}
	return false
}
