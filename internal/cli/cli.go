// Package cli gives every kasse subcommand one shape — a name, a one-line
// summary, a usage line and a run function (Command) — gathered in one
// table (Program), which both dispatches a command line and writes
// `kasse --help`. The table itself is the composition root's.
package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
)

// ExitUsage is the exit status of a bad command line (EX_USAGE).
const ExitUsage = 64

// IO is a command's standard streams.
type IO struct {
	In  io.Reader
	Out io.Writer
	Err io.Writer
}

// Command is one subcommand.
type Command struct {
	// Name is the command as `kasse --help` lists it. Its first word
	// selects it on the command line; further words are the command's own
	// ("pin set" runs on `kasse pin …`, and gets "set" in Call.Args).
	Name string
	// Summary is its one line in `kasse --help`.
	Summary string
	// Usage is its synopsis after "Usage: kasse ", e.g. "charge [shared
	// flags] --seller ACCT …".
	Usage string
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
	Usage string   // the program's name and the command's Usage: "kasse charge [shared flags] …"
	Args  []string // the arguments after the command's word
	IO
}

// Program is the table of a program's commands.
type Program struct {
	Name  string // "kasse"
	Title string // the first line of Help
	// Default is the Name of the command run when the command line names
	// none (it starts with a flag, or is empty); Help lists it as (none).
	Default  string
	Commands []Command
	// Footer closes Help: what every command shares.
	Footer string
}

// Run runs the command line args (the words after the program's name). Its
// first word, unless it is a flag, names the command; "help" — or no
// command and -h, -help or --help anywhere — prints Help. An unknown
// command is a usage error.
func (p *Program) Run(ctx context.Context, args []string, std IO) int {
	word := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		word, args = args[0], args[1:]
	}
	if word == "help" || word == "" && WantsHelp(args) {
		fmt.Fprint(std.Out, p.Help())
		return 0
	}
	prog := p.Name + " " + word
	if word == "" {
		word, prog = p.Default, p.Name
	}
	for i := range p.Commands {
		if c := &p.Commands[i]; c.Word() == word {
			return c.Run(ctx, Call{Prog: prog, Usage: p.Name + " " + c.Usage, Args: args, IO: std})
		}
	}
	fmt.Fprintf(std.Err, "%s: unknown command %q\n\n%s", p.Name, word, p.Help())
	return ExitUsage
}

// Help lists every command in the table's order with its summary (the
// default as "(none)"), then help itself, then the Footer.
func (p *Program) Help() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\nUsage: %s [COMMAND] [flags]\n\nCommands:\n", p.Title, p.Name)
	line := func(name, summary string) { fmt.Fprintf(&b, "  %-15s %s\n", name, summary) }
	for _, c := range p.Commands {
		name := c.Name
		if name == p.Default {
			name = "(none)"
		}
		line(name, c.Summary)
	}
	line("help", "this text")
	fmt.Fprintf(&b, "\n%s COMMAND --help shows a command's flags and exit codes.\n\n", p.Name)
	b.WriteString(p.Footer)
	return b.String()
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
