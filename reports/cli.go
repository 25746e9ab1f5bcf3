package reports

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"kasse/i18n"
	"kasse/internal/cli"
	"kasse/pos"
)

// Exit codes of RunReport.
const (
	ExitOK    = 0
	ExitError = 1  // the report could not be made, or is incomplete (written anyway, see stderr)
	ExitUsage = 64 // bad flags
)

type reportOptions struct {
	date, seller, shiftStart, shiftEnd string
	csv                                bool
	width                              int
}

func parseReportFlags(args []string) (reportOptions, error) {
	var o reportOptions
	fs := flag.NewFlagSet("report", flag.ContinueOnError) // i18n:ok the flag set's name
	fs.SetOutput(io.Discard)
	fs.StringVar(&o.date, "date", "", "")
	fs.StringVar(&o.seller, "seller", "", "")
	fs.StringVar(&o.shiftStart, "shift-start", "", "")
	fs.StringVar(&o.shiftEnd, "shift-end", "", "")
	fs.BoolVar(&o.csv, "csv", false, "")
	fs.IntVar(&o.width, "width", DefaultTextWidth, "")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	usage := func(id string, a ...i18n.Args) error { return &i18n.Error{Kind: errUsage, Msg: i18n.M(id, a...)} }
	switch {
	case fs.NArg() > 0:
		return o, usage("cli.reports.unexpected_argument", i18n.Args{"Arg": cli.Quote(fs.Arg(0))})
	case o.date == "":
		return o, usage("cli.reports.date_required")
	case o.seller != "" && (!strings.HasPrefix(o.seller, "acct_") || strings.ContainsAny(o.seller, " \t/?#")):
		return o, usage("cli.reports.bad_seller", i18n.Args{"Value": cli.Quote(o.seller)})
	case (o.shiftStart == "") != (o.shiftEnd == ""):
		return o, usage("cli.reports.shift_together")
	case o.width < MinTextWidth || o.width > MaxTextWidth:
		return o, usage("cli.reports.bad_width", i18n.Args{"Width": o.width, "Min": MinTextWidth, "Max": MaxTextWidth})
	}
	return o, nil
}

// errUsage: a bad command line.
var errUsage = errors.New("usage")

// RunReport runs `kasse report` with args (the flags after "report") and
// returns the exit code. The report goes to stdout, diagnostics to stderr.
// deps supplies the journal, the ports, the console id and the time zone.
func RunReport(ctx context.Context, deps *Searcher, args []string, std cli.IO) int {
	stdout, stderr, loc := std.Out, std.Err, std.Locale()
	o, err := parseReportFlags(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, loc.T("cli.reports.help"))
		return ExitOK
	}
	if err != nil {
		fmt.Fprintf(stderr, "%s: %s\n%s\n", prog, problem(loc, err), loc.T("cli.reports.see_help"))
		return ExitUsage
	}
	if deps == nil || deps.Journal == nil && deps.Payments == nil {
		fmt.Fprintln(stderr, prog+": "+loc.T("cli.reports.no_sources"))
		return ExitError
	}
	p, err := ParseDay(o.date, deps.loc())
	if err == nil && o.shiftStart != "" {
		p, err = ParseShift(o.date, o.shiftStart, o.shiftEnd, deps.loc())
	}
	if err != nil {
		fmt.Fprintf(stderr, "%s: %s\n%s\n", prog, loc.Err(err), loc.T("cli.reports.see_help"))
		return ExitUsage
	}
	rep, err := deps.EndOfDay(ctx, p, pos.Account(o.seller))
	if err != nil {
		fmt.Fprintf(stderr, "%s: %s\n", prog, loc.Err(err))
		return ExitError
	}
	if o.csv {
		err = WriteCSV(stdout, rep)
	} else {
		err = WriteText(stdout, rep, o.width, loc)
	}
	if err != nil {
		fmt.Fprintf(stderr, "%s: %s\n", prog, loc.T("cli.reports.write_failed", i18n.Args{"Error": err}))
		return ExitError
	}
	if len(rep.Partial) > 0 {
		fmt.Fprintf(stderr, "%s: %s\n", prog, loc.N("cli.reports.incomplete_stderr", len(rep.Partial)))
		for _, e := range rep.Partial {
			fmt.Fprintf(stderr, "  %s\n", loc.Err(e))
		}
		return ExitError
	}
	return ExitOK
}

// problem is a command-line error in loc's words: the flag package's or
// parseReportFlags' own.
func problem(loc *i18n.Locale, err error) string {
	var e *i18n.Error
	if errors.As(err, &e) {
		return loc.Err(err)
	}
	return cli.FlagError(loc, err)
}

// prog is the command's name, as its messages start.
const prog = "kasse report" // i18n:ok the command's name
