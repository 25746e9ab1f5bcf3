package supervisor

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"kasse/internal/cli"
	"kasse/pos"
)

const disputesHelp = `Usage: kasse disputes COMMAND [shared flags] [flags]

The disputes desk without the console: disputes across sellers, read from
Stripe and linked to this console's sales.

Commands:
  list [--seller ACCT] [--all] [--json]
        the disputes that wait for an answer (--all: every dispute)
  show DISPUTE [--seller ACCT] [--json]
        one dispute, with the evidence Kasse would fill in from its sale
  evidence DISPUTE [--seller ACCT] [--prefill] [--product-description T]
        [--service-date T] [--customer-name T] [--customer-email T]
        [--refund-policy T] [--text T] [--submit] [--operator NAME] [--why T] [--json]
        stage evidence (or with --submit, submit it at once); --prefill starts
        from what Kasse knows of the sale, the other flags replace fields
  submit DISPUTE [--seller ACCT] [--operator NAME] [--why T] [--json]
        submit the evidence staged
  accept DISPUTE [--seller ACCT] [--operator NAME] [--why T] [--json]
        accept the dispute: it closes as lost (irreversible)

--seller may be left out for a dispute the journal knows (kasse disputes list
puts every listed dispute there). evidence, submit and accept need a
supervisor's PIN on the first line of stdin, never a flag:

  printf '%s\n' "$PIN" | kasse disputes accept dp_… --why "customer was right"

Exit codes: 0 done, 1 error, 3 refused (role, PIN, lockout), 64 usage.
`

// DisputeJSON is a dispute as `kasse disputes --json` prints it.
type DisputeJSON struct {
	ID               string            `json:"id"`
	Seller           string            `json:"seller"`
	SellerName       string            `json:"seller_name,omitempty"`
	Amount           int64             `json:"amount"`
	Currency         string            `json:"currency"`
	Reason           string            `json:"reason"`
	Status           string            `json:"status"`
	DueBy            string            `json:"due_by,omitempty"` // RFC 3339
	HasEvidence      bool              `json:"has_evidence"`
	SubmissionCount  int64             `json:"submission_count"`
	ChargeRefundable bool              `json:"charge_refundable"`
	ChargeID         string            `json:"charge"`
	IntentID         string            `json:"payment_intent"`
	SaleID           string            `json:"sale_id,omitempty"`
	Evidence         map[string]string `json:"evidence,omitempty"`
	Prefill          map[string]string `json:"prefill,omitempty"`
}

func disputeJSON(r DisputeRow, withPrefill bool) DisputeJSON {
	d := r.Dispute
	out := DisputeJSON{ID: d.ID, Seller: string(d.Account), SellerName: r.SellerName, Amount: d.Amount, Currency: d.Currency,
		Reason: d.Reason, Status: d.Status, HasEvidence: d.HasEvidence, SubmissionCount: d.SubmissionCount,
		ChargeRefundable: d.ChargeRefundable, ChargeID: d.ChargeID, IntentID: d.IntentID, Evidence: d.Evidence}
	if !d.DueBy.IsZero() {
		out.DueBy = d.DueBy.UTC().Format(time.RFC3339)
	}
	if r.Sale != nil {
		out.SaleID = r.Sale.ID
	}
	if withPrefill {
		out.Prefill = Prefill(r)
	}
	return out
}

// RunDisputes runs `kasse disputes …` (args: after "disputes").
func RunDisputes(ctx context.Context, d Deps, args []string, std cli.IO) int {
	if len(args) == 0 || cli.WantsHelp(args[:1]) {
		io.WriteString(std.Out, disputesHelp)
		if len(args) == 0 {
			return ExitUsage
		}
		return ExitOK
	}
	cmd, rest := args[0], args[1:]
	fail := func(code int, format string, a ...any) int {
		fmt.Fprintf(std.Err, "kasse disputes %s: %s\n", cmd, fmt.Sprintf(format, a...))
		return code
	}
	for _, a := range rest {
		if n := strings.TrimLeft(strings.SplitN(a, "=", 2)[0], "-"); strings.HasPrefix(a, "-") && strings.EqualFold(n, "pin") {
			return fail(ExitUsage, "there is no PIN flag: the PIN is read from stdin (first line)")
		}
	}
	fs := flag.NewFlagSet("kasse disputes "+cmd, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	seller := fs.String("seller", "", "")
	asJSON := fs.Bool("json", false, "")
	all := fs.Bool("all", false, "")
	operator := fs.String("operator", d.Operator, "")
	why := fs.String("why", "", "")
	prefill := fs.Bool("prefill", false, "")
	submit := fs.Bool("submit", false, "")
	fields := map[string]*string{}
	for flagName, field := range map[string]string{"product-description": pos.EvidenceProductDescription, "service-date": pos.EvidenceServiceDate,
		"customer-name": pos.EvidenceCustomerName, "customer-email": pos.EvidenceCustomerEmail,
		"refund-policy": pos.EvidenceRefundPolicy, "text": pos.EvidenceUncategorizedText} {
		fields[field] = fs.String(flagName, "", "")
	}
	// The dispute id may come before the flags.
	var id string
	if len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
		id, rest = rest[0], rest[1:]
	}
	if err := fs.Parse(rest); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			io.WriteString(std.Out, disputesHelp)
			return ExitOK
		}
		return fail(ExitUsage, "%v (see kasse disputes --help)", err)
	}
	if id == "" && fs.NArg() > 0 {
		id = fs.Arg(0)
	} else if fs.NArg() > 0 {
		return fail(ExitUsage, "unexpected argument %q", fs.Arg(0))
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	allowed := map[string][]string{
		"list":     {"seller", "json", "all"},
		"show":     {"seller", "json"},
		"evidence": {"seller", "json", "operator", "why", "prefill", "submit", "product-description", "service-date", "customer-name", "customer-email", "refund-policy", "text"},
		"submit":   {"seller", "json", "operator", "why"},
		"accept":   {"seller", "json", "operator", "why"},
	}
	ok, known := allowed[cmd]
	if !known {
		return fail(ExitUsage, "unknown command (list, show, evidence, submit or accept; see kasse disputes --help)")
	}
	for name := range set {
		found := false
		for _, a := range ok {
			found = found || a == name
		}
		if !found {
			return fail(ExitUsage, "--%s does not go with %s", name, cmd)
		}
	}
	if cmd == "list" && id != "" {
		return fail(ExitUsage, "unexpected argument %q", id)
	}
	if cmd != "list" && id == "" {
		return fail(ExitUsage, "which dispute? (kasse disputes %s dp_…)", cmd)
	}
	svc, err := New(d)
	if err != nil {
		return fail(ExitError, "%v", err)
	}
	print := func(v any) {
		enc := json.NewEncoder(std.Out)
		enc.SetIndent("", "  ")
		_ = enc.Encode(v)
	}
	errCode := func(err error) int {
		var ie *inputError
		switch {
		case errors.As(err, &ie), errors.Is(err, pos.ErrEvidence), errors.Is(err, pos.ErrDisputeAnswered):
			return fail(ExitError, "%v", err)
		}
		if _, ok := AsRefusal(err); ok {
			return fail(ExitRefused, "%v", err)
		}
		return fail(ExitError, "%v", err)
	}
	acct := pos.Account(*seller)
	switch cmd {
	case "list":
		list, err := svc.Disputes(ctx, DisputeQuery{Seller: acct, OpenOnly: !*all})
		if err != nil {
			return errCode(err)
		}
		for _, p := range list.Partial {
			fmt.Fprintln(std.Err, "kasse disputes list: warning: "+p.Error())
		}
		if *asJSON {
			out := make([]DisputeJSON, 0, len(list.Rows))
			for _, r := range list.Rows {
				out = append(out, disputeJSON(r, false))
			}
			print(out)
			return ExitOK
		}
		if len(list.Rows) == 0 {
			fmt.Fprintln(std.Out, "No disputes waiting for an answer.")
			return ExitOK
		}
		tw := tabwriter.NewWriter(std.Out, 0, 2, 2, ' ', 0)
		fmt.Fprintln(tw, "DISPUTE\tSELLER\tAMOUNT\tREASON\tSTATUS\tEVIDENCE DUE\tSALE")
		for _, r := range list.Rows {
			dd := r.Dispute
			sale := "—"
			if r.Sale != nil {
				sale = r.Sale.ID
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", dd.ID, orString(r.SellerName, string(dd.Account)),
				pos.Format(dd.Amount, dd.Currency), dd.Reason, dd.Status, dueText(dd), sale)
		}
		tw.Flush()
		return ExitOK
	case "show":
		row, err := svc.Dispute(ctx, acct, id)
		if err != nil {
			return errCode(err)
		}
		if *asJSON {
			print(disputeJSON(row, true))
			return ExitOK
		}
		writeDispute(std.Out, row)
		return ExitOK
	}
	pin, err := ReadPIN(std.In)
	if err != nil || pin == "" {
		return fail(ExitUsage, "no PIN on stdin: the first line of stdin must be the supervisor's PIN")
	}
	var got pos.Dispute
	switch cmd {
	case "evidence":
		ev := map[string]string{}
		if *prefill {
			row, err := svc.Dispute(ctx, acct, id)
			if err != nil {
				return errCode(err)
			}
			if row.Sale == nil {
				return fail(ExitError, "dispute %s is not of a sale of this console: nothing to prefill; give the fields", id)
			}
			ev = Prefill(row)
		}
		for field, v := range fields {
			if *v != "" {
				ev[field] = *v
			}
		}
		got, err = svc.Evidence(ctx, EvidenceRequest{Seller: acct, ID: id, Evidence: ev, Submit: *submit, Operator: *operator, PIN: pin, Why: *why})
	case "submit":
		got, err = svc.Evidence(ctx, EvidenceRequest{Seller: acct, ID: id, Submit: true, Operator: *operator, PIN: pin, Why: *why})
	case "accept":
		got, err = svc.Accept(ctx, AcceptRequest{Seller: acct, ID: id, Operator: *operator, PIN: pin, Why: *why})
	}
	if err != nil {
		return errCode(err)
	}
	if *asJSON {
		print(disputeJSON(DisputeRow{Dispute: got}, false))
		return ExitOK
	}
	verb := map[string]string{"evidence": "Evidence staged for", "submit": "Evidence submitted for", "accept": "Accepted"}[cmd]
	if cmd == "evidence" && *submit {
		verb = "Evidence submitted for"
	}
	fmt.Fprintf(std.Out, "%s dispute %s: now %s\n", verb, got.ID, got.Status)
	return ExitOK
}

func dueText(d pos.Dispute) string {
	if d.DueBy.IsZero() || !d.Open() {
		return "—"
	}
	return d.DueBy.Local().Format("2006-01-02 15:04")
}

// writeDispute prints one dispute for people.
func writeDispute(w io.Writer, r DisputeRow) {
	d := r.Dispute
	row := func(k, v string) {
		if v != "" {
			fmt.Fprintf(w, "  %-16s %s\n", k, v)
		}
	}
	fmt.Fprintf(w, "Dispute %s on %s (%s)\n", d.ID, orString(r.SellerName, string(d.Account)), d.Account)
	row("amount", pos.Format(d.Amount, d.Currency))
	row("reason", d.Reason)
	row("status", d.Status)
	row("evidence due", dueText(d))
	row("payment", d.IntentID+" / "+d.ChargeID)
	if r.Sale != nil {
		row("sale", r.Sale.ID)
	}
	row("submissions", fmt.Sprint(d.SubmissionCount))
	if d.ChargeRefundable {
		row("refunds", "still possible (an inquiry)")
	} else if d.BlocksRefund() {
		row("refunds", "refused while the chargeback stands")
	}
	show := func(title string, ev map[string]string) {
		if len(ev) == 0 {
			return
		}
		fmt.Fprintln(w, title)
		var names []string
		for k := range ev {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			fmt.Fprintf(w, "  %s:\n", k)
			for _, line := range strings.Split(ev[k], "\n") {
				fmt.Fprintln(w, "    "+line)
			}
		}
	}
	show("Evidence on the dispute:", d.Evidence)
	if d.Open() {
		show("Kasse would fill in (kasse disputes evidence "+d.ID+" --prefill):", Prefill(r))
	}
}
