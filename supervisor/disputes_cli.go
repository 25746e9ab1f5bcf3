package supervisor

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"kasse/i18n"
	"kasse/internal/cli"
	"kasse/pos"
)

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

// RunDisputes runs `kasse disputes …` (args: after "disputes"), in the
// command's language (std.Locale); --json stays language-neutral.
func RunDisputes(ctx context.Context, d Deps, args []string, std cli.IO) int {
	loc := std.Locale()
	if code, done := cli.SubcommandHelp(args, std.Out, loc.T("cli.supervisor.help.disputes")); done {
		return code
	}
	cmd, rest := args[0], args[1:]
	prog := progDisputes + " " + cmd
	fail := func(code int, err error) int {
		fmt.Fprintln(std.Err, prog+": "+loc.Err(err))
		return code
	}
	usage := func(m i18n.Message) int { return fail(ExitUsage, input(m)) }
	if err := noPINFlag(rest); err != nil {
		return fail(ExitUsage, err)
	}
	fs := flag.NewFlagSet(prog, flag.ContinueOnError)
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
			io.WriteString(std.Out, loc.T("cli.supervisor.help.disputes"))
			return ExitOK
		}
		return fail(ExitUsage, usageError{err: err, command: "disputes"})
	}
	if id == "" && fs.NArg() > 0 {
		id = fs.Arg(0)
	} else if fs.NArg() > 0 {
		return usage(i18n.M("cli.supervisor.unexpected_argument", i18n.Args{"Arg": cli.Quote(fs.Arg(0))}))
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
		return usage(i18n.M("cli.supervisor.disputes.unknown_command", i18n.Args{"Command": cli.Quote(cmd)}))
	}
	for name := range set {
		found := false
		for _, a := range ok {
			found = found || a == name
		}
		if !found {
			return usage(i18n.M("cli.supervisor.disputes.flag_not_here", i18n.Args{"Flag": "--" + name, "Command": cmd}))
		}
	}
	if cmd == "list" && id != "" {
		return usage(i18n.M("cli.supervisor.unexpected_argument", i18n.Args{"Arg": cli.Quote(id)}))
	}
	if cmd != "list" && id == "" {
		return usage(i18n.M("cli.supervisor.disputes.which", i18n.Args{"Command": cmd}))
	}
	svc, err := New(d)
	if err != nil {
		return fail(ExitError, err)
	}
	print := func(v any) {
		enc := json.NewEncoder(std.Out)
		enc.SetIndent("", "  ")
		_ = enc.Encode(v)
	}
	errCode := func(err error) int {
		if _, ok := AsRefusal(err); ok {
			return fail(ExitRefused, err)
		}
		return fail(ExitError, err)
	}
	acct := pos.Account(*seller)
	switch cmd {
	case "list":
		list, err := svc.Disputes(ctx, DisputeQuery{Seller: acct, OpenOnly: !*all})
		if err != nil {
			return errCode(err)
		}
		for _, p := range list.Partial {
			fmt.Fprintln(std.Err, prog+": "+loc.T("cli.supervisor.warning", i18n.Args{"Warning": p}))
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
			if *all {
				fmt.Fprintln(std.Out, loc.T("cli.supervisor.disputes.none"))
			} else {
				fmt.Fprintln(std.Out, loc.T("cli.supervisor.disputes.none_open"))
			}
			return ExitOK
		}
		tw := tabwriter.NewWriter(std.Out, 0, 2, 2, ' ', 0)
		fmt.Fprintln(tw, loc.T("cli.supervisor.disputes.header"))
		for _, r := range list.Rows {
			dd := r.Dispute
			sale := "—"
			if r.Sale != nil {
				sale = r.Sale.ID
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", dd.ID, rowSeller(loc, r), loc.Money(dd.Amount, dd.Currency),
				i18n.DisputeReason(dd.Reason), loc.Render(i18n.DisputeStatus(dd.Status)), dueText(loc, dd), sale)
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
		writeDispute(std.Out, loc, row)
		return ExitOK
	}
	pin, err := ReadPIN(std.In)
	if err != nil || pin == "" {
		return usage(i18n.M("cli.supervisor.disputes.no_pin"))
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
				return fail(ExitError, failure(pos.ErrEvidence, i18n.M("cli.supervisor.disputes.no_prefill", i18n.Args{"ID": id})))
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
	a := i18n.Args{"ID": got.ID, "Status": i18n.DisputeStatus(got.Status)}
	switch {
	case cmd == "accept":
		fmt.Fprintln(std.Out, loc.T("cli.supervisor.disputes.accepted", a))
	case cmd == "submit" || *submit:
		fmt.Fprintln(std.Out, loc.T("cli.supervisor.disputes.submitted", a))
	default:
		fmt.Fprintln(std.Out, loc.T("cli.supervisor.disputes.staged", a))
	}
	return ExitOK
}

// progDisputes is the command's name, as its messages start.
const progDisputes = "kasse disputes" // i18n:ok the command's name

// rowSeller names the seller of a dispute on the desk: its name, else its
// account, the platform's own in words.
func rowSeller(loc *i18n.Locale, r DisputeRow) string {
	switch {
	case r.Dispute.Account.IsPlatform() && (r.SellerName == "" || r.SellerName == PlatformName):
		return loc.T("cli.supervisor.disputes.the_platform")
	case r.SellerName != "":
		return r.SellerName
	}
	return string(r.Dispute.Account)
}

// dueText is when the dispute's evidence is due, in loc's words ("—" for
// none, or once it is answered).
func dueText(loc *i18n.Locale, d pos.Dispute) string {
	if d.DueBy.IsZero() || !d.Open() {
		return "—"
	}
	return loc.FormatTime(d.DueBy.Local(), "format.datetime_minutes")
}

// writeDispute prints one dispute for people, in loc's words; the
// evidence as staged (and as Kasse would fill it in, in English: see
// Prefill).
func writeDispute(w io.Writer, loc *i18n.Locale, r DisputeRow) {
	d := r.Dispute
	row := func(k, v string) {
		if v != "" {
			fmt.Fprintf(w, "  %-16s %s\n", k, v)
		}
	}
	fmt.Fprintln(w, loc.T("cli.supervisor.disputes.title", i18n.Args{"ID": d.ID, "Seller": rowSeller(loc, r), "Account": d.Account.String()}))
	row(loc.T("cli.supervisor.disputes.row.amount"), loc.Money(d.Amount, d.Currency))
	row(loc.T("cli.supervisor.disputes.row.reason"), i18n.DisputeReason(d.Reason))
	row(loc.T("cli.supervisor.disputes.row.status"), loc.Render(i18n.DisputeStatus(d.Status)))
	row(loc.T("cli.supervisor.disputes.row.due"), dueText(loc, d))
	row(loc.T("cli.supervisor.disputes.row.payment"), d.IntentID+" / "+d.ChargeID)
	if r.Sale != nil {
		row(loc.T("cli.supervisor.disputes.row.sale"), r.Sale.ID)
	}
	row(loc.T("cli.supervisor.disputes.row.submissions"), strconv.FormatInt(d.SubmissionCount, 10))
	if d.ChargeRefundable {
		row(loc.T("cli.supervisor.disputes.row.refunds"), loc.T("cli.supervisor.disputes.refunds_possible"))
	} else if d.BlocksRefund() {
		row(loc.T("cli.supervisor.disputes.row.refunds"), loc.T("cli.supervisor.disputes.refunds_refused"))
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
			fmt.Fprintf(w, "  %s:\n", k) // i18n:ok Stripe's name of the evidence field
			for _, line := range strings.Split(ev[k], "\n") {
				fmt.Fprintln(w, "    "+line)
			}
		}
	}
	show(loc.T("cli.supervisor.disputes.evidence_on"), d.Evidence)
	if d.Open() {
		show(loc.T("cli.supervisor.disputes.evidence_prefill", i18n.Args{"ID": d.ID}), Prefill(r))
	}
}
