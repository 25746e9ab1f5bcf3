package supervisor

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"kasse/i18n"
	"kasse/internal/cli"
	"kasse/pos"
)

// Exit codes of RunRefund, RunCapture, RunVoid and RunPin.
const (
	ExitOK      = 0
	ExitError   = 1
	ExitRefused = 3 // the Guard said no: role, no PIN, wrong PIN, locked
	ExitUsage   = 64
)

// DefaultTimeout bounds one `kasse refund`.
const DefaultTimeout = 2 * time.Minute

type refundOptions struct {
	seller, intent, amount, reason, operator, why string
	timeout                                       time.Duration
	json                                          bool
}

func parseRefundFlags(args []string, defOperator string) (refundOptions, error) {
	o := refundOptions{operator: defOperator}
	if err := noPINFlag(args); err != nil {
		return o, err
	}
	fs := flag.NewFlagSet("kasse refund", flag.ContinueOnError) // i18n:ok the command's name
	fs.SetOutput(io.Discard)
	fs.StringVar(&o.seller, "seller", "", "")
	fs.StringVar(&o.intent, "payment-intent", "", "")
	fs.StringVar(&o.amount, "amount", "", "")
	fs.StringVar(&o.reason, "reason", "", "")
	fs.StringVar(&o.operator, "operator", o.operator, "")
	fs.StringVar(&o.why, "why", "", "")
	fs.DurationVar(&o.timeout, "timeout", DefaultTimeout, "")
	fs.BoolVar(&o.json, "json", false, "")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	switch {
	case fs.NArg() > 0:
		return o, input(i18n.M("cli.supervisor.unexpected_argument", i18n.Args{"Arg": cli.Quote(fs.Arg(0))}))
	case o.seller == "":
		return o, input(i18n.M("cli.supervisor.seller_required"))
	case o.intent == "":
		return o, input(i18n.M("cli.supervisor.intent_required"))
	case o.reason == "":
		return o, input(i18n.M("cli.supervisor.reason_required"))
	case o.operator == "":
		return o, input(i18n.M("cli.supervisor.operator_required"))
	case o.timeout <= 0:
		return o, input(i18n.M("cli.supervisor.timeout_positive", i18n.Args{"Timeout": o.timeout}))
	}
	if err := checkIDs(pos.Account(o.seller), o.intent); err != nil {
		return o, err
	}
	if _, err := pos.ParseRefundReason(o.reason); err != nil {
		return o, failure(err, badReason(o.reason))
	}
	return o, nil
}

// noPINFlag refuses a --pin flag: PINs are read from stdin.
func noPINFlag(args []string) error {
	for _, a := range args {
		if n := strings.TrimLeft(strings.SplitN(a, "=", 2)[0], "-"); strings.HasPrefix(a, "-") && strings.EqualFold(n, "pin") {
			return input(i18n.M("cli.supervisor.no_pin_flag"))
		}
	}
	return nil
}

// usageText is a command-line error in loc's words: the flag package's,
// or a refusal of the options.
func usageText(loc *i18n.Locale, err error) string {
	var e *i18n.Error
	if errors.As(err, &e) {
		return loc.Err(err)
	}
	return cli.FlagError(loc, err)
}

// RefundJSON is what `kasse refund --json` prints.
type RefundJSON struct {
	Status    string `json:"status"` // succeeded, pending, refused, error, unknown
	RefundID  string `json:"refund_id,omitempty"`
	KasseID   string `json:"kasse_refund_id,omitempty"`
	Amount    int64  `json:"amount"`    // minor units
	Currency  string `json:"currency"`  // lower case
	Remaining int64  `json:"remaining"` // minor units still refundable
	IntentID  string `json:"intent_id"`
	Seller    string `json:"seller"`
	Message   string `json:"message,omitempty"`
	ExitCode  int    `json:"exit_code"`
	FeeRefund bool   `json:"refund_application_fee"`
	SaleID    string `json:"sale_id,omitempty"`
	// Connect: the charge type and what the refund takes back from whom
	// (minor units): the seller's part and the platform's, of which the
	// transfer reversal and the application fee refund.
	ChargeType   string `json:"charge_type,omitempty"`
	FromSeller   int64  `json:"from_seller"`
	FromPlatform int64  `json:"from_platform"`
	Reversal     int64  `json:"transfer_reversal"`
	FeeRefunded  int64  `json:"fee_refunded"`
}

// RunRefund runs `kasse refund` (args: the flags after "refund") and
// returns the exit code. The PIN is the first line of stdin.
func RunRefund(ctx context.Context, d Deps, args []string, std cli.IO) int {
	stdin, stdout, stderr, loc := std.In, std.Out, std.Err, std.Locale()
	o, err := parseRefundFlags(args, d.Operator)
	if errors.Is(err, flag.ErrHelp) {
		io.WriteString(stdout, loc.T("cli.supervisor.help.refund"))
		return ExitOK
	}
	out := RefundJSON{Seller: o.seller, IntentID: o.intent}
	r := reporter{stdout: stdout, stderr: stderr, json: o.json, loc: loc}
	if err != nil {
		return r.refundFailed(out, ExitUsage, usageError{err, "refund"}) // i18n:ok the command's name
	}
	pin, err := ReadPIN(stdin)
	if err != nil || pin == "" {
		return r.refundFailed(out, ExitUsage, input(i18n.M("cli.supervisor.no_pin_on_stdin")))
	}
	svc, err := New(d)
	if err != nil {
		return r.refundFailed(out, ExitError, err)
	}
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	req := RefundRequest{Seller: pos.Account(o.seller), IntentID: o.intent, Reason: pos.RefundReason(o.reason),
		Operator: o.operator, PIN: pin, Why: o.why}
	if o.amount != "" {
		p, err := svc.Lookup(ctx, req.Seller, req.IntentID)
		if err != nil {
			return r.refundFailed(out, ExitError, err)
		}
		if req.Amount, err = loc.ParseAmount(o.amount, p.Intent.Currency); err != nil {
			return r.refundFailed(out, ExitUsage, flagged("--amount", err))
		}
		if req.Amount == 0 {
			return r.refundFailed(out, ExitUsage, input(i18n.M("cli.supervisor.refund_amount_zero")))
		}
	}
	res, err := svc.Refund(ctx, req)
	if res.WarningMsg.ID != "" {
		fmt.Fprintln(stderr, progRefund+": "+loc.T("cli.supervisor.warning", i18n.Args{"Warning": res.WarningMsg}))
	}
	out = RefundJSON{Status: res.Status, RefundID: res.RefundID, KasseID: res.ID, Amount: res.Amount, Currency: res.Currency,
		Remaining: res.Remaining, IntentID: o.intent, Seller: o.seller, FeeRefund: res.RefundApplicationFee, SaleID: res.SaleID,
		Message: res.Notice, ChargeType: string(res.Charge), FromSeller: res.Shares.Seller, FromPlatform: res.Shares.Platform,
		Reversal: res.Shares.Reversal, FeeRefunded: res.Shares.FeeRefund}
	if err != nil {
		code := ExitError
		if _, ok := AsRefusal(err); ok {
			code = ExitRefused
		}
		if errors.Is(err, ErrOutcomeUnknown) {
			out.Status = "unknown" // i18n:ok a --json status code
		}
		return r.refundFailed(out, code, err)
	}
	if out.Status == "" {
		out.Status = string(res.State)
	}
	out.ExitCode = ExitOK
	if o.json {
		json.NewEncoder(stdout).Encode(out)
		return ExitOK
	}
	money := func(a int64) i18n.Money { return i18n.Money{Amount: a, Currency: res.Currency} }
	head := i18n.Args{"Amount": money(res.Amount), "Intent": res.IntentID, "Seller": string(res.Seller)}
	if res.State == pos.RefundPending {
		fmt.Fprintln(stdout, loc.T("cli.supervisor.refund_pending", head))
	} else {
		fmt.Fprintln(stdout, loc.T("cli.supervisor.refunded", head))
	}
	row := rows(stdout)
	row(loc.T("cli.supervisor.row.refund"), res.RefundID)
	row(loc.T("cli.supervisor.row.status"), res.Status)
	row(loc.T("cli.supervisor.row.remaining"), loc.Money(res.Remaining, res.Currency))
	row(loc.T("cli.supervisor.row.sale"), res.SaleID)
	if res.RefundApplicationFee {
		row(loc.T("cli.supervisor.row.fee"), loc.T("cli.supervisor.fee_refunded"))
	}
	if res.Charge != "" && res.Charge != pos.ChargeDirect || res.Shares.Platform != 0 {
		row(loc.T("cli.supervisor.row.charge"), loc.Render(i18n.ChargeTypeName(res.Charge)))
		row(loc.T("cli.supervisor.row.seller"), loc.T("cli.supervisor.from_seller", i18n.Args{"Amount": money(res.Shares.Seller)}))
		row(loc.T("cli.supervisor.row.platform"), loc.T("cli.supervisor.from_platform", i18n.Args{"Amount": money(res.Shares.Platform)}))
	}
	for _, n := range res.Notices {
		row(loc.T("cli.supervisor.row.note"), loc.Render(n))
	}
	return ExitOK
}

// rows writes "  label      value" lines (none for an empty value).
func rows(w io.Writer) func(k, v string) {
	return func(k, v string) {
		if v != "" {
			fmt.Fprintf(w, "  %-10s %s\n", k, v)
		}
	}
}

// reporter prints a command's failures: to stderr in the command's
// language, and with --json to stdout, its message in English (--json is
// language-neutral).
type reporter struct {
	stdout, stderr io.Writer
	json           bool
	loc            *i18n.Locale
}

// refundFailed prints a failure of kasse refund and returns code.
func (r reporter) refundFailed(out RefundJSON, code int, err error) int {
	fmt.Fprintln(r.stderr, progRefund+": "+r.loc.Err(err))
	if r.json {
		if out.Status == "" {
			out.Status = "error" // i18n:ok a --json status code
		}
		if code == ExitRefused {
			out.Status = "refused" // i18n:ok a --json status code
		}
		out.Message, out.ExitCode = strings.TrimSpace(joinNotes(i18n.Neutral().Err(err), out.Message)), code
		json.NewEncoder(r.stdout).Encode(out)
	}
	return code
}

// usageError is a bad command line of a command: the error, then where to
// read the command's help.
type usageError struct {
	err     error
	command string // refund, capture, void
}

func (e usageError) Error() string { return e.Localize(i18n.Neutral()) }

func (e usageError) Localize(loc *i18n.Locale) string {
	return usageText(loc, e.err) + "\n" + loc.T("cli.supervisor.see_help", i18n.Args{"Command": e.command})
}

func (e usageError) Unwrap() error { return e.err }

// flagged is err about the value of flag: "--amount: …".
func flagged(flag string, err error) error { return flagError{flag: flag, err: err} }

type flagError struct {
	flag string
	err  error
}

func (e flagError) Error() string                    { return e.Localize(i18n.Neutral()) }
func (e flagError) Localize(loc *i18n.Locale) string { return e.flag + ": " + loc.Err(e.err) }
func (e flagError) Unwrap() error                    { return e.err }

// The program's and the commands' names, as their messages start.
const (
	kasse      = "kasse"        // i18n:ok the program's name
	progRefund = "kasse refund" // i18n:ok the command's name
	progPin    = "kasse pin"    // i18n:ok the command's name
)
