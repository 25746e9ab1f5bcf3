package reports

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"kasse/internal/cli"
	"kasse/internal/plural"
	"kasse/pos"
)

// Exit codes of RunReport.
const (
	ExitOK    = 0
	ExitError = 1  // the report could not be made, or is incomplete (written anyway, see stderr)
	ExitUsage = 64 // bad flags
)

const reportHelp = `Usage: kasse report --date YYYY-MM-DD [flags]

Prints the end-of-day report of one day (or one shift of it): per seller
and currency the approved sales, gross, refunds, tips, net, a breakdown by
card brand, and the declined and canceled counts; then totals per currency.
Sales made at this console come from its journal, all others from Stripe.

Flags:
  --date YYYY-MM-DD     the day, in the console's local time zone (required)
  --seller ACCT         only this seller (acct_…); default all sellers
  --shift-start HH:MM   report only the shift from HH:MM …
  --shift-end HH:MM     … to HH:MM (an end at or before the start is on the next day)
  --csv                 RFC 4180 CSV instead of printable text
  --width N             text width in columns (default 48; 32–200)
  -h, --help            this help

Exit codes: 0 report written; 1 error, or report incomplete because some
Stripe reads failed (what was read is still written; the failures go to
stderr); 64 bad flags.
`

type reportOptions struct {
	date, seller, shiftStart, shiftEnd string
	csv                                bool
	width                              int
}

func parseReportFlags(args []string) (reportOptions, error) {
	var o reportOptions
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
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
	switch {
	case fs.NArg() > 0:
		return o, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	case o.date == "":
		return o, errors.New("--date YYYY-MM-DD is required")
	case o.seller != "" && (!strings.HasPrefix(o.seller, "acct_") || strings.ContainsAny(o.seller, " \t/?#")):
		return o, fmt.Errorf("--seller %q: use a connected account id (acct_…)", o.seller)
	case (o.shiftStart == "") != (o.shiftEnd == ""):
		return o, errors.New("--shift-start and --shift-end go together")
	case o.width < MinTextWidth || o.width > MaxTextWidth:
		return o, fmt.Errorf("--width %d: use %d–%d", o.width, MinTextWidth, MaxTextWidth)
	}
	return o, nil
}

// RunReport runs `kasse report` with args (the flags after "report") and
// returns the exit code. The report goes to stdout, diagnostics to stderr.
// deps supplies the journal, the ports, the console id and the time zone.
func RunReport(ctx context.Context, deps *Searcher, args []string, std cli.IO) int {
	stdout, stderr := std.Out, std.Err
	o, err := parseReportFlags(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, reportHelp)
		return ExitOK
	}
	if err != nil {
		fmt.Fprintf(stderr, "kasse report: %v\n(see kasse report --help)\n", err)
		return ExitUsage
	}
	if deps == nil || deps.Journal == nil && deps.Payments == nil {
		fmt.Fprintln(stderr, "kasse report: neither a journal nor Stripe access is configured (composition error)")
		return ExitError
	}
	p, err := ParseDay(o.date, deps.loc())
	if err == nil && o.shiftStart != "" {
		p, err = ParseShift(o.date, o.shiftStart, o.shiftEnd, deps.loc())
	}
	if err != nil {
		fmt.Fprintf(stderr, "kasse report: %v\n(see kasse report --help)\n", err)
		return ExitUsage
	}
	rep, err := deps.EndOfDay(ctx, p, pos.Account(o.seller))
	if err != nil {
		fmt.Fprintf(stderr, "kasse report: %v\n", err)
		return ExitError
	}
	if o.csv {
		err = WriteCSV(stdout, rep)
	} else {
		err = WriteText(stdout, rep, o.width)
	}
	if err != nil {
		fmt.Fprintf(stderr, "kasse report: writing the report: %v\n", err)
		return ExitError
	}
	if len(rep.Partial) > 0 {
		fmt.Fprintf(stderr, "kasse report: INCOMPLETE: %s failed; the figures miss what they would add:\n", plural.Count(len(rep.Partial), "Stripe read"))
		for _, e := range rep.Partial {
			fmt.Fprintf(stderr, "  %v\n", e)
		}
		return ExitError
	}
	return ExitOK
}
