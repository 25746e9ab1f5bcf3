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

const refundHelp = `Usage: kasse refund --seller ACCT --payment-intent PI [--amount 5.00] --reason REASON [flags]

Refunds a payment on a connected seller, fully or in part, exactly as the
console does: the operator's supervisor PIN is checked, the refund is
recorded in the journal before it is sent, and the audit log gets who, what
and why. The PIN is read from the first line of stdin, never from a flag:

  printf '%s\n' "$PIN" | kasse refund --seller acct_1 --payment-intent pi_1 --reason duplicate

Flags:
  --seller ACCT           the connected account that owns the payment (acct_…)
  --payment-intent PI     the PaymentIntent to refund (pi_…)
  --amount AMOUNT         in the payment's currency, e.g. 5.00; default: all that remains
  --reason REASON         requested_by_customer, duplicate or fraudulent
  --operator NAME         the supervisor (default: the configured operator)
  --why TEXT              an explanation for the audit log
  --timeout DURATION      give up waiting for the outcome after this long (default 2m)
  --json                  print the result as JSON

Exit codes: 0 refunded (or pending at Stripe), 1 error (nothing refunded, or
outcome unknown: see the message), 3 refused (role, PIN, lockout), 64 usage.
`

type refundOptions struct {
	seller, intent, amount, reason, operator, why string
	timeout                                       time.Duration
	json                                          bool
}

func parseRefundFlags(args []string, defOperator string) (refundOptions, error) {
	o := refundOptions{operator: defOperator}
	for _, a := range args {
		if n := strings.TrimLeft(strings.SplitN(a, "=", 2)[0], "-"); strings.HasPrefix(a, "-") && strings.EqualFold(n, "pin") {
			return o, errors.New("there is no PIN flag: the PIN is read from stdin (first line), so it never shows in the process list or shell history")
		}
	}
	fs := flag.NewFlagSet("kasse refund", flag.ContinueOnError)
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
		return o, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	case o.seller == "":
		return o, errors.New("--seller is required (a connected account id, acct_…)")
	case o.intent == "":
		return o, errors.New("--payment-intent is required (pi_…)")
	case o.reason == "":
		return o, errors.New("--reason is required: requested_by_customer, duplicate or fraudulent")
	case o.operator == "":
		return o, errors.New("--operator is required (no operator is configured)")
	case o.timeout <= 0:
		return o, fmt.Errorf("--timeout %s: must be positive", o.timeout)
	}
	if err := checkIDs(pos.Account(o.seller), o.intent); err != nil {
		return o, err
	}
	if _, err := pos.ParseRefundReason(o.reason); err != nil {
		return o, err
	}
	return o, nil
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
	stdin, stdout, stderr := std.In, std.Out, std.Err
	o, err := parseRefundFlags(args, d.Operator)
	if errors.Is(err, flag.ErrHelp) {
		io.WriteString(stdout, refundHelp)
		return ExitOK
	}
	out := RefundJSON{Seller: o.seller, IntentID: o.intent}
	if err != nil {
		return report(stdout, stderr, o.json, out, ExitUsage, err.Error()+"\n(see kasse refund --help)")
	}
	pin, err := ReadPIN(stdin)
	if err != nil || pin == "" {
		return report(stdout, stderr, o.json, out, ExitUsage, "no PIN on stdin: the first line of stdin must be the supervisor's PIN")
	}
	svc, err := New(d)
	if err != nil {
		return report(stdout, stderr, o.json, out, ExitError, err.Error())
	}
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	req := RefundRequest{Seller: pos.Account(o.seller), IntentID: o.intent, Reason: pos.RefundReason(o.reason),
		Operator: o.operator, PIN: pin, Why: o.why}
	if o.amount != "" {
		p, err := svc.Lookup(ctx, req.Seller, req.IntentID)
		if err != nil {
			return report(stdout, stderr, o.json, out, ExitError, err.Error())
		}
		if req.Amount, err = pos.ParseAmount(o.amount, p.Intent.Currency); err != nil {
			return report(stdout, stderr, o.json, out, ExitUsage, "--amount: "+err.Error())
		}
		if req.Amount == 0 {
			return report(stdout, stderr, o.json, out, ExitUsage, "--amount must be more than zero; leave it out to refund all that remains")
		}
	}
	res, err := svc.Refund(ctx, req)
	if res.Warning != "" {
		fmt.Fprintln(stderr, "kasse refund: warning: "+res.Warning)
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
			out.Status = "unknown"
		}
		return report(stdout, stderr, o.json, out, code, err.Error())
	}
	if out.Status == "" {
		out.Status = string(res.State)
	}
	out.ExitCode = ExitOK
	if o.json {
		json.NewEncoder(stdout).Encode(out)
		return ExitOK
	}
	verb := "Refunded"
	if res.State == pos.RefundPending {
		verb = "Refund pending at Stripe:"
	}
	fmt.Fprintf(stdout, "%s %s of %s on %s\n", verb, pos.Format(res.Amount, res.Currency), res.IntentID, res.Seller)
	row := func(k, v string) {
		if v != "" {
			fmt.Fprintf(stdout, "  %-10s %s\n", k, v)
		}
	}
	row("refund", res.RefundID)
	row("status", res.Status)
	row("remaining", pos.Format(res.Remaining, res.Currency))
	row("sale", res.SaleID)
	if res.RefundApplicationFee {
		row("fee", "application fee refunded in proportion")
	}
	if res.Charge != "" && res.Charge != pos.ChargeDirect || res.Shares.Platform != 0 {
		row("charge", string(res.Charge))
		row("seller", pos.Format(res.Shares.Seller, res.Currency)+" taken back from the seller")
		row("platform", pos.Format(res.Shares.Platform, res.Currency)+" paid by the platform")
	}
	row("note", res.Notice)
	return ExitOK
}

// report prints a failure to stderr (and as JSON to stdout with --json)
// and returns code.
func report(stdout, stderr io.Writer, asJSON bool, out RefundJSON, code int, msg string) int {
	fmt.Fprintln(stderr, "kasse refund: "+msg)
	if asJSON {
		if out.Status == "" {
			out.Status = "error"
		}
		if code == ExitRefused {
			out.Status = "refused"
		}
		out.Message, out.ExitCode = strings.TrimSpace(joinNotes(msg, out.Message)), code
		json.NewEncoder(stdout).Encode(out)
	}
	return code
}
