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
	if err := noPINFlag(args); err != nil {
		return o, err
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
		return o, input(i18n.M("cli.supervisor.unexpected_argument", i18n.Args{"Arg": cli.Quote(fs.Arg(0))}))
	case o.seller == "":
		return o, input(i18n.M("cli.supervisor.seller_required"))
	case o.intent == "":
		return o, input(i18n.M("cli.supervisor.intent_required"))
	case o.operator == "":
		return o, input(i18n.M("cli.supervisor.operator_required"))
	case o.timeout <= 0:
		return o, input(i18n.M("cli.supervisor.timeout_positive", i18n.Args{"Timeout": o.timeout}))
	}
	if action == ActionVoid {
		ok := false
		for _, r := range cancelReasons {
			ok = ok || r == o.reason
		}
		if !ok {
			return o, input(badVoidReason(o.reason))
		}
	}
	return o, checkIDs(pos.Account(o.seller), o.intent)
}

// RunCapture runs `kasse capture` (args: the flags after "capture") and
// returns the exit code. The PIN is the first line of stdin.
func RunCapture(ctx context.Context, d Deps, args []string, std cli.IO) int {
	return authMain(ctx, ActionCapture, d, args, std)
}

// RunVoid runs `kasse void` (args: the flags after "void") and returns
// the exit code. The PIN is the first line of stdin.
func RunVoid(ctx context.Context, d Deps, args []string, std cli.IO) int {
	return authMain(ctx, ActionVoid, d, args, std)
}

func authMain(ctx context.Context, action Action, d Deps, args []string, std cli.IO) int {
	stdin, stdout, loc := std.In, std.Out, std.Locale()
	o, err := parseAuthFlags(action, args, d.Operator)
	if errors.Is(err, flag.ErrHelp) {
		help := loc.T("cli.supervisor.help.void")
		if action == ActionCapture {
			help = loc.T("cli.supervisor.help.capture")
		}
		io.WriteString(stdout, help)
		return ExitOK
	}
	out := AuthorizationJSON{Action: string(action), Seller: o.seller, IntentID: o.intent}
	r := reporter{stdout: stdout, stderr: std.Err, json: o.json, loc: loc}
	fail := func(code int, err error) int { return r.authFailed(out, code, err) }
	if err != nil {
		return fail(ExitUsage, usageError{err, string(action)})
	}
	pin, err := ReadPIN(stdin)
	if err != nil || pin == "" {
		return fail(ExitUsage, input(i18n.M("cli.supervisor.no_pin_on_stdin")))
	}
	svc, err := New(d)
	if err != nil {
		return fail(ExitError, err)
	}
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	req := AuthorizationRequest{Seller: pos.Account(o.seller), IntentID: o.intent, Reason: o.reason,
		Operator: o.operator, PIN: pin, Why: o.why}
	if o.amount != "" {
		p, err := svc.Lookup(ctx, req.Seller, req.IntentID)
		if err != nil {
			return fail(ExitError, err)
		}
		out.Currency, out.IntentStatus = p.Intent.Currency, p.Intent.Status
		if req.Amount, err = loc.ParseAmount(o.amount, p.Intent.Currency); err != nil {
			return fail(ExitUsage, flagged("--amount", err))
		}
		if req.Amount == 0 {
			return fail(ExitUsage, input(i18n.M("cli.supervisor.capture_amount_zero")))
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
			out.Status = "unknown" // i18n:ok a --json status code
		}
		if out.IntentStatus == "" { // what the payment is, so a script can tell "captured already" apart
			if p, lerr := svc.Lookup(context.WithoutCancel(ctx), req.Seller, req.IntentID); lerr == nil && code != ExitRefused {
				out.IntentStatus, out.Currency = p.Intent.Status, p.Intent.Currency
			}
		}
		return fail(code, err)
	}
	head := i18n.Args{"Amount": i18n.Money{Amount: res.Amount, Currency: res.Currency}, "Intent": o.intent, "Seller": o.seller}
	out.Status, out.ExitCode = "captured", ExitOK // i18n:ok a --json status code
	line := loc.T("cli.supervisor.captured", head)
	if action == ActionVoid {
		out.Status, line = "voided", loc.T("cli.supervisor.voided", head) // i18n:ok a --json status code
	}
	if o.json {
		json.NewEncoder(stdout).Encode(out)
		return ExitOK
	}
	fmt.Fprintln(stdout, line)
	row := rows(stdout)
	row(loc.T("cli.supervisor.row.status"), out.IntentStatus)
	row(loc.T("cli.supervisor.row.sale"), res.SaleID)
	if action == ActionVoid {
		row(loc.T("cli.supervisor.row.note"), loc.T("cli.supervisor.hold_released"))
	}
	return ExitOK
}

func orString(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// authFailed prints a failure of kasse capture or void and returns code.
func (r reporter) authFailed(out AuthorizationJSON, code int, err error) int {
	fmt.Fprintf(r.stderr, "%s %s: %s\n", kasse, out.Action, r.loc.Err(err))
	if r.json {
		if out.Status == "" {
			out.Status = "error" // i18n:ok a --json status code
		}
		if code == ExitRefused {
			out.Status = "refused" // i18n:ok a --json status code
		}
		out.Message, out.ExitCode = strings.TrimSpace(i18n.Neutral().Err(err)), code
		json.NewEncoder(r.stdout).Encode(out)
	}
	return code
}
