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

const captureHelp = `Usage: kasse capture --seller ACCT --payment-intent PI [--amount 5.00] [flags]

Captures an authorized, uncaptured payment (capture_method manual) on a
connected seller, exactly as the console's transaction detail does: the
operator's supervisor PIN is checked, the audit log gets who, what and why,
and a sale of this console is captured through its sale machine (journal
first). The PIN is read from the first line of stdin, never from a flag:

  printf '%s\n' "$PIN" | kasse capture --seller acct_1 --payment-intent pi_1

Flags:
  --seller ACCT           the connected account that owns the payment (acct_…)
  --payment-intent PI     the PaymentIntent to capture (pi_…)
  --amount AMOUNT         capture less than authorized, e.g. 5.00 (the rest is
                          released); default: all that is authorized. A sale of
                          this console is captured in full only.
  --operator NAME         the supervisor (default: the configured operator)
  --why TEXT              an explanation for the audit log
  --timeout DURATION      give up waiting for the outcome after this long (default 2m)
  --json                  print the result as JSON

Exit codes: 0 captured, 1 error (nothing captured — e.g. the payment is not
authorized any more —, or outcome unknown: see the message), 3 refused (role,
PIN, lockout), 64 usage.
`

const voidHelp = `Usage: kasse void --seller ACCT --payment-intent PI [--reason REASON] [flags]

Voids an authorized, uncaptured payment (capture_method manual) on a
connected seller: the PaymentIntent is canceled and the hold on the card is
released, nothing is charged. Exactly as the console's transaction detail
does it: the operator's supervisor PIN is checked, the audit log gets who,
what and why, and a sale of this console is voided through its sale machine
(journal first). A captured payment cannot be voided: refund it (kasse
refund). The PIN is read from the first line of stdin, never from a flag:

  printf '%s\n' "$PIN" | kasse void --seller acct_1 --payment-intent pi_1 --reason duplicate

Flags:
  --seller ACCT           the connected account that owns the payment (acct_…)
  --payment-intent PI     the PaymentIntent to void (pi_…)
  --reason REASON         requested_by_customer (default), duplicate, fraudulent
                          or abandoned
  --operator NAME         the supervisor (default: the configured operator)
  --why TEXT              an explanation for the audit log
  --timeout DURATION      give up waiting for the outcome after this long (default 2m)
  --json                  print the result as JSON

Exit codes: 0 voided, 1 error (nothing voided — e.g. the payment is captured
or canceled already —, or outcome unknown: see the message), 3 refused (role,
PIN, lockout), 64 usage.
`

// AuthorizationJSON is what `kasse capture --json` and `kasse void --json`
// print.
type AuthorizationJSON struct {
	Action string `json:"action"` // capture or void
	// Status: captured, voided, refused (role, PIN, lockout), error
	// (nothing done; see message and intent_status) or unknown (the request
	// went out, its outcome is not known yet).
	Status       string `json:"status"`
	IntentID     string `json:"intent_id"`
	Seller       string `json:"seller"`
	Amount       int64  `json:"amount"`   // minor units captured or released
	Currency     string `json:"currency"` // lower case
	IntentStatus string `json:"intent_status,omitempty"`
	SaleID       string `json:"sale_id,omitempty"`
	Message      string `json:"message,omitempty"`
	ExitCode     int    `json:"exit_code"`
}

type authOptions struct {
	seller, intent, amount, reason, operator, why string
	timeout                                       time.Duration
	json                                          bool
}

func parseAuthFlags(action Action, args []string, defOperator string) (authOptions, error) {
	o := authOptions{operator: defOperator}
	for _, a := range args {
		if n := strings.TrimLeft(strings.SplitN(a, "=", 2)[0], "-"); strings.HasPrefix(a, "-") && strings.EqualFold(n, "pin") {
			return o, errors.New("there is no PIN flag: the PIN is read from stdin (first line), so it never shows in the process list or shell history")
		}
	}
	fs := flag.NewFlagSet("kasse "+string(action), flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&o.seller, "seller", "", "")
	fs.StringVar(&o.intent, "payment-intent", "", "")
	if action == ActionCapture {
		fs.StringVar(&o.amount, "amount", "", "")
	} else {
		fs.StringVar(&o.reason, "reason", "requested_by_customer", "")
	}
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
	case o.operator == "":
		return o, errors.New("--operator is required (no operator is configured)")
	case o.timeout <= 0:
		return o, fmt.Errorf("--timeout %s: must be positive", o.timeout)
	}
	if action == ActionVoid {
		ok := false
		for _, r := range cancelReasons {
			ok = ok || r == o.reason
		}
		if !ok {
			return o, fmt.Errorf("--reason %q: use requested_by_customer, duplicate, fraudulent or abandoned", o.reason)
		}
	}
	return o, checkIDs(pos.Account(o.seller), o.intent)
}

// RunCapture runs `kasse capture` (args: the flags after "capture") and
// returns the exit code. The PIN is the first line of stdin.
func RunCapture(ctx context.Context, d Deps, args []string, std cli.IO) int {
	stdin, stdout, stderr := std.In, std.Out, std.Err
	return authMain(ctx, ActionCapture, d, args, stdin, stdout, stderr)
}

// RunVoid runs `kasse void` (args: the flags after "void") and returns
// the exit code. The PIN is the first line of stdin.
func RunVoid(ctx context.Context, d Deps, args []string, std cli.IO) int {
	stdin, stdout, stderr := std.In, std.Out, std.Err
	return authMain(ctx, ActionVoid, d, args, stdin, stdout, stderr)
}

func authMain(ctx context.Context, action Action, d Deps, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	o, err := parseAuthFlags(action, args, d.Operator)
	if errors.Is(err, flag.ErrHelp) {
		help := voidHelp
		if action == ActionCapture {
			help = captureHelp
		}
		io.WriteString(stdout, help)
		return ExitOK
	}
	out := AuthorizationJSON{Action: string(action), Seller: o.seller, IntentID: o.intent}
	fail := func(code int, msg string) int { return reportAuth(stdout, stderr, o.json, out, code, msg) }
	if err != nil {
		return fail(ExitUsage, fmt.Sprintf("%v\n(see kasse %s --help)", err, action))
	}
	pin, err := ReadPIN(stdin)
	if err != nil || pin == "" {
		return fail(ExitUsage, "no PIN on stdin: the first line of stdin must be the supervisor's PIN")
	}
	svc, err := New(d)
	if err != nil {
		return fail(ExitError, err.Error())
	}
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	req := AuthorizationRequest{Seller: pos.Account(o.seller), IntentID: o.intent, Reason: o.reason,
		Operator: o.operator, PIN: pin, Why: o.why}
	if o.amount != "" {
		p, err := svc.Lookup(ctx, req.Seller, req.IntentID)
		if err != nil {
			return fail(ExitError, err.Error())
		}
		out.Currency, out.IntentStatus = p.Intent.Currency, p.Intent.Status
		if req.Amount, err = pos.ParseAmount(o.amount, p.Intent.Currency); err != nil {
			return fail(ExitUsage, "--amount: "+err.Error())
		}
		if req.Amount == 0 {
			return fail(ExitUsage, "--amount must be more than zero; leave it out to capture all that is authorized")
		}
	}
	var res AuthorizationResult
	if action == ActionCapture {
		res, err = svc.Capture(ctx, req)
	} else {
		res, err = svc.Void(ctx, req)
	}
	out.Amount, out.Currency, out.SaleID = res.Amount, orString(res.Currency, out.Currency), res.SaleID
	if res.Intent.Status != "" {
		out.IntentStatus = res.Intent.Status
	}
	if err != nil {
		code := ExitError
		if _, ok := AsRefusal(err); ok {
			code = ExitRefused
		}
		if errors.Is(err, ErrOutcomeUnknown) {
			out.Status = "unknown"
		}
		if out.IntentStatus == "" { // what the payment is, so a script can tell "captured already" apart
			if p, lerr := svc.Lookup(context.WithoutCancel(ctx), req.Seller, req.IntentID); lerr == nil && code != ExitRefused {
				out.IntentStatus, out.Currency = p.Intent.Status, p.Intent.Currency
			}
		}
		return fail(code, err.Error())
	}
	out.Status, out.ExitCode = "captured", ExitOK
	verb := "Captured"
	if action == ActionVoid {
		out.Status, verb = "voided", "Voided"
	}
	if o.json {
		json.NewEncoder(stdout).Encode(out)
		return ExitOK
	}
	fmt.Fprintf(stdout, "%s %s of %s on %s\n", verb, pos.Format(res.Amount, res.Currency), o.intent, o.seller)
	row := func(k, v string) {
		if v != "" {
			fmt.Fprintf(stdout, "  %-10s %s\n", k, v)
		}
	}
	row("status", out.IntentStatus)
	row("sale", res.SaleID)
	if action == ActionVoid {
		row("note", "the hold on the card is released; nothing was charged")
	}
	return ExitOK
}

func orString(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// reportAuth prints a failure to stderr (and as JSON to stdout with
// --json) and returns code.
func reportAuth(stdout, stderr io.Writer, asJSON bool, out AuthorizationJSON, code int, msg string) int {
	fmt.Fprintf(stderr, "kasse %s: %s\n", out.Action, msg)
	if asJSON {
		if out.Status == "" {
			out.Status = "error"
		}
		if code == ExitRefused {
			out.Status = "refused"
		}
		out.Message, out.ExitCode = strings.TrimSpace(msg), code
		json.NewEncoder(stdout).Encode(out)
	}
	return code
}
