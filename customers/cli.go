package customers

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

	kcli "kasse/internal/cli"
	"kasse/pos"
)

// Exit codes of `kasse customers`: kasse charge's conventions.
const (
	ExitOK       = 0
	ExitError    = 1
	ExitDeclined = 2 // save-card: the card was refused or cannot be saved
	ExitCanceled = 3 // save-card: canceled, interrupted or timed out; nothing saved
	ExitUsage    = 64
)

// CLIDeps is what `kasse customers` needs from the composition root.
type CLIDeps struct {
	Service  *Service
	Terminal pos.Terminal // finding the reader of save-card
	Operator string       // who confirms a customer's consent (the configured operator)
	Mode     string       // "sandbox", "test" or "live": --simulate-card only off live
}

const customersHelp = `Usage: kasse customers [shared flags] COMMAND [flags]

The counter's customers: a seller's own (--seller ACCT) or the platform's
wallet (--seller platform, the default), whose saved cards pay at any
seller without the card being presented again.

Commands:
  list      [--seller ACCT|platform] [--search TEXT] [--json]
            the newest customers, or those matching TEXT (an email exactly,
            or words of the name or email)
  show      --customer CUS [--seller ACCT|platform] [--json]
            a customer, their saved cards and their recent sales here
  create    --name NAME [--email EMAIL] [--phone PHONE] [--seller ACCT|platform] [--json]
            a new customer
  save-card --customer CUS --reader TMR --consent [--seller ACCT|platform]
            [--simulate-card NUMBER] [--timeout 2m] [--json]
            save the card the customer presents on the reader, without a
            payment; --consent confirms the customer agreed (required)

Kasse uses PaymentMethods only: a saved card is the reusable card a reader
generated, attached to the customer (no Sources, no card tokens).

Exit codes: 0 done, 1 error (Stripe, the journal), 2 save-card: the card
was refused or cannot be saved (a phone wallet, single-brand Interac or
eftpos), 3 save-card: canceled, interrupted or timed out (nothing saved),
64 usage or bad input (nothing was sent).
`

// RunCustomers runs `kasse customers` (args: the words after "customers").
func RunCustomers(ctx context.Context, d CLIDeps, args []string, std kcli.IO) int {
	if len(args) == 0 || kcli.WantsHelp(args[:1]) {
		fmt.Fprint(std.Out, customersHelp)
		if len(args) == 0 {
			return ExitUsage
		}
		return ExitOK
	}
	c := &cli{d: d, std: std}
	switch args[0] {
	case "list":
		return c.list(ctx, args[1:])
	case "show":
		return c.show(ctx, args[1:])
	case "create":
		return c.create(ctx, args[1:])
	case "save-card":
		return c.saveCard(ctx, args[1:])
	}
	fmt.Fprintf(std.Err, "kasse customers: unknown command %q\n\n%s", args[0], customersHelp)
	return ExitUsage
}

type cli struct {
	d   CLIDeps
	std kcli.IO
}

func (c *cli) fail(code int, cmd, msg string) int {
	fmt.Fprintf(c.std.Err, "kasse customers %s: %s\n", cmd, msg)
	return code
}

// failErr reports err: bad input exits 64, anything else 1.
func (c *cli) failErr(cmd string, err error) int {
	var bi *BadInput
	if errors.As(err, &bi) {
		return c.fail(ExitUsage, cmd, bi.Error()+" (nothing was sent)")
	}
	return c.fail(ExitError, cmd, err.Error())
}

// flags parses a subcommand's flags; ok false means return code.
func (c *cli) flags(cmd string, args []string, define func(fs *flag.FlagSet)) (fs *flag.FlagSet, code int, ok bool) {
	fs = flag.NewFlagSet("kasse customers "+cmd, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	define(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(c.std.Out, customersHelp)
			return fs, ExitOK, false
		}
		return fs, c.fail(ExitUsage, cmd, err.Error()+" (see kasse customers --help)"), false
	}
	if fs.NArg() > 0 {
		return fs, c.fail(ExitUsage, cmd, fmt.Sprintf("unexpected argument %q", fs.Arg(0))), false
	}
	return fs, 0, true
}

// account reads --seller: "platform" or "" is the wallet.
func account(v string) (pos.Account, error) {
	switch {
	case v == "" || v == "platform":
		return pos.Platform, nil
	case strings.HasPrefix(v, "acct_"):
		return pos.Account(v), nil
	}
	return "", fmt.Errorf("--seller %q: a connected account id (acct_…) or platform", v)
}

// CustomerJSON is a customer as --json prints it.
type CustomerJSON struct {
	ID      string `json:"id"`
	Account string `json:"account"` // "platform" for the wallet, else acct_…
	Name    string `json:"name"`
	Email   string `json:"email"`
	Phone   string `json:"phone,omitempty"`
	Created int64  `json:"created"`
	// CopyOf is the wallet customer a seller's customer copies.
	CopyOf string `json:"copy_of,omitempty"`
}

func customerJSON(c pos.Customer) CustomerJSON {
	return CustomerJSON{ID: c.ID, Account: c.Account.String(), Name: c.Name, Email: c.Email, Phone: c.Phone,
		Created: c.Created.Unix(), CopyOf: c.CopyOf()}
}

// CardJSON is a saved card as --json prints it.
type CardJSON struct {
	ID         string `json:"id"`
	Brand      string `json:"brand"`
	Last4      string `json:"last4"`
	ExpMonth   int    `json:"exp_month"`
	ExpYear    int    `json:"exp_year"`
	Expired    bool   `json:"expired"`
	SharedFrom string `json:"shared_from,omitempty"`
}

func cardJSON(k pos.SavedCard, at time.Time) CardJSON {
	return CardJSON{ID: k.ID, Brand: k.Brand, Last4: k.Last4, ExpMonth: k.ExpMonth, ExpYear: k.ExpYear,
		Expired: k.Expired(at), SharedFrom: k.SharedFrom}
}

func (c *cli) printJSON(cmd string, v any) int {
	enc := json.NewEncoder(c.std.Out)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return c.fail(ExitError, cmd, err.Error())
	}
	return ExitOK
}

func (c *cli) list(ctx context.Context, args []string) int {
	var seller, search string
	var asJSON bool
	_, code, ok := c.flags("list", args, func(fs *flag.FlagSet) {
		fs.StringVar(&seller, "seller", "platform", "")
		fs.StringVar(&search, "search", "", "")
		fs.BoolVar(&asJSON, "json", false, "")
	})
	if !ok {
		return code
	}
	owner, err := account(seller)
	if err != nil {
		return c.fail(ExitUsage, "list", err.Error())
	}
	found, err := c.d.Service.Search(ctx, owner, search)
	if err != nil {
		return c.failErr("list", err)
	}
	out := make([]CustomerJSON, 0, len(found))
	for _, cu := range found {
		out = append(out, customerJSON(cu))
	}
	if asJSON {
		return c.printJSON("list", out)
	}
	if len(out) == 0 {
		fmt.Fprintln(c.std.Out, "No customers.")
		return ExitOK
	}
	tw := tabwriter.NewWriter(c.std.Out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tEMAIL\tACCOUNT")
	for _, cu := range out {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", cu.ID, orDash(cu.Name), orDash(cu.Email), cu.Account)
	}
	_ = tw.Flush()
	return ExitOK
}

// ShowJSON is `kasse customers show --json`.
type ShowJSON struct {
	Customer CustomerJSON `json:"customer"`
	Cards    []CardJSON   `json:"cards"`
	// Copies are the wallet customer's copies at sellers (seller → customer).
	Copies map[string]string `json:"copies,omitempty"`
	Sales  []SaleJSON        `json:"recent_sales"`
}

// SaleJSON is one of a customer's sales in this console's journal.
type SaleJSON struct {
	SaleID   string `json:"sale_id"`
	Seller   string `json:"seller"`
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
	State    string `json:"state"`
	Card     string `json:"card,omitempty"`
	Created  int64  `json:"created"`
}

func (c *cli) show(ctx context.Context, args []string) int {
	var seller, id string
	var asJSON bool
	_, code, ok := c.flags("show", args, func(fs *flag.FlagSet) {
		fs.StringVar(&seller, "seller", "platform", "")
		fs.StringVar(&id, "customer", "", "")
		fs.BoolVar(&asJSON, "json", false, "")
	})
	if !ok {
		return code
	}
	owner, err := account(seller)
	if err != nil {
		return c.fail(ExitUsage, "show", err.Error())
	}
	if !strings.HasPrefix(id, "cus_") {
		return c.fail(ExitUsage, "show", "--customer is required (a customer id, cus_…)")
	}
	cu, err := c.d.Service.Find(ctx, owner, id)
	if err != nil {
		return c.failErr("show", err)
	}
	cards, err := c.d.Service.Customers.ListCards(ctx, cu.Account, cu.ID)
	if err != nil {
		return c.failErr("show", err)
	}
	now := c.d.Service.now()
	out := ShowJSON{Customer: customerJSON(cu), Cards: []CardJSON{}, Sales: []SaleJSON{}}
	for _, k := range cards {
		out.Cards = append(out.Cards, cardJSON(k, now))
	}
	ids := []string{cu.ID}
	for k, v := range cu.Metadata {
		if seller, ok := strings.CutPrefix(k, pos.MetaCopyPrefix); ok && v != "" {
			if out.Copies == nil {
				out.Copies = map[string]string{}
			}
			out.Copies[seller] = v
			ids = append(ids, v)
		}
	}
	recs, err := c.d.Service.Sales(ctx, ids, 20)
	if err != nil {
		return c.failErr("show", err)
	}
	for _, r := range recs {
		s := r.Sale
		sj := SaleJSON{SaleID: s.ID, Seller: string(s.Seller), Amount: s.Amount, Currency: s.Currency, State: string(s.State), Created: s.CreatedAt.Unix()}
		if sj.Amount == 0 {
			sj.Amount = s.Cart.Total()
		}
		if s.Card.Last4 != "" {
			sj.Card = s.Card.Brand + " " + s.Card.Last4
		}
		out.Sales = append(out.Sales, sj)
	}
	if asJSON {
		return c.printJSON("show", out)
	}
	w := c.std.Out
	fmt.Fprintf(w, "%s  %s\n", cu.Label(), cu.ID)
	row := func(k, v string) {
		if v != "" {
			fmt.Fprintf(w, "  %-8s %s\n", k, v)
		}
	}
	row("email", cu.Email)
	row("phone", cu.Phone)
	row("account", cu.Account.String())
	row("copy of", cu.CopyOf())
	sellers := make([]string, 0, len(out.Copies))
	for s := range out.Copies {
		sellers = append(sellers, s)
	}
	sort.Strings(sellers)
	for _, s := range sellers {
		row("copy at", s+": "+out.Copies[s])
	}
	fmt.Fprintln(w, "Saved cards:")
	if len(out.Cards) == 0 {
		fmt.Fprintln(w, "  none")
	}
	for _, k := range out.Cards {
		exp := fmt.Sprintf("%02d/%d", k.ExpMonth, k.ExpYear)
		if k.Expired {
			exp += " (expired)"
		}
		fmt.Fprintf(w, "  %s  %s ending %s  expires %s\n", k.ID, k.Brand, k.Last4, exp)
	}
	fmt.Fprintln(w, "Recent sales (this console):")
	if len(out.Sales) == 0 {
		fmt.Fprintln(w, "  none")
	}
	for _, s := range out.Sales {
		fmt.Fprintf(w, "  %s  %s  %s  %s  %s\n", time.Unix(s.Created, 0).UTC().Format("2006-01-02 15:04"), s.Seller,
			pos.Format(s.Amount, s.Currency), s.State, s.SaleID)
	}
	return ExitOK
}

func (c *cli) create(ctx context.Context, args []string) int {
	var seller string
	var n NewCustomer
	var asJSON bool
	_, code, ok := c.flags("create", args, func(fs *flag.FlagSet) {
		fs.StringVar(&seller, "seller", "platform", "")
		fs.StringVar(&n.Name, "name", "", "")
		fs.StringVar(&n.Email, "email", "", "")
		fs.StringVar(&n.Phone, "phone", "", "")
		fs.BoolVar(&asJSON, "json", false, "")
	})
	if !ok {
		return code
	}
	owner, err := account(seller)
	if err != nil {
		return c.fail(ExitUsage, "create", err.Error())
	}
	n.Owner = owner
	cu, err := c.d.Service.Create(ctx, n)
	if err != nil {
		return c.failErr("create", err)
	}
	if asJSON {
		return c.printJSON("create", customerJSON(cu))
	}
	fmt.Fprintf(c.std.Out, "Created %s  %s (%s)\n", cu.ID, cu.Label(), cu.Account)
	return ExitOK
}

// SaveJSON is `kasse customers save-card --json`.
type SaveJSON struct {
	Status      string    `json:"status"` // saved, not_saved, canceled, timed_out, error
	Customer    string    `json:"customer"`
	Card        *CardJSON `json:"card"`
	SetupIntent string    `json:"setup_intent"`
	Message     string    `json:"message"`
	ExitCode    int       `json:"exit_code"`
}

func (c *cli) saveCard(ctx context.Context, args []string) int {
	var seller, id, readerID, card string
	var consent, asJSON bool
	timeout := 2 * time.Minute
	fs, code, ok := c.flags("save-card", args, func(fs *flag.FlagSet) {
		fs.StringVar(&seller, "seller", "platform", "")
		fs.StringVar(&id, "customer", "", "")
		fs.StringVar(&readerID, "reader", "", "")
		fs.BoolVar(&consent, "consent", false, "")
		fs.StringVar(&card, "simulate-card", "", "")
		fs.DurationVar(&timeout, "timeout", timeout, "")
		fs.BoolVar(&asJSON, "json", false, "")
	})
	if !ok {
		return code
	}
	simulate := false
	fs.Visit(func(f *flag.Flag) { simulate = simulate || f.Name == "simulate-card" })
	report := func(code int, res SaveJSON) int {
		res.ExitCode, res.Customer = code, id
		if asJSON {
			c.printJSON("save-card", res)
		} else if code == ExitOK {
			fmt.Fprintln(c.std.Out, res.Message)
		}
		if code != ExitOK {
			fmt.Fprintf(c.std.Err, "kasse customers save-card: %s\n", res.Message)
		}
		return code
	}
	usage := func(msg string) int { return report(ExitUsage, SaveJSON{Status: "error", Message: msg}) }
	owner, err := account(seller)
	switch {
	case err != nil:
		return usage(err.Error())
	case !strings.HasPrefix(id, "cus_"):
		return usage("--customer is required (a customer id, cus_…)")
	case !strings.HasPrefix(readerID, "tmr_"):
		return usage("--reader is required (a reader id, tmr_…)")
	case !consent:
		return usage("--consent is required: confirm that the customer agreed to save their card (nothing was sent)")
	case timeout <= 0:
		return usage("--timeout must be positive")
	case simulate && c.d.Mode == "live":
		return usage("--simulate-card is refused with a live key: the customer presents a real card")
	}
	who := c.d.Operator
	if who == "" {
		who = "kasse"
	}
	cu, err := c.d.Service.Find(ctx, owner, id)
	if err != nil {
		return c.saveErr(report, err)
	}
	rd, err := c.findReader(ctx, cu.Account, readerID)
	if err != nil {
		return report(ExitError, SaveJSON{Status: "error", Message: err.Error()})
	}
	res, err := c.d.Service.SaveCard(ctx, SaveRequest{Customer: cu, Reader: rd, ConsentBy: who,
		Simulate: simulate, SimulateCard: card, Timeout: timeout})
	out := SaveJSON{SetupIntent: res.SetupIntentID}
	switch {
	case res.State == pos.SetupSaved:
		k := cardJSON(res.Card, c.d.Service.now())
		out.Status, out.Card = "saved", &k
		out.Message = fmt.Sprintf("Saved %s ending %s (%s) for %s", res.Card.Brand, res.Card.Last4, res.Card.ID, cu.Label())
		return report(ExitOK, out)
	case res.State == pos.SetupFailed:
		out.Status, out.Message = "not_saved", "Not saved: "+failureText(res.Failure)
		return report(ExitDeclined, out)
	case res.TimedOut:
		out.Status, out.Message = "timed_out", fmt.Sprintf("No card within %s; nothing was saved", timeout)+cleanupNote(res)
		return report(ExitCanceled, out)
	case err != nil && ctx.Err() != nil:
		out.Status, out.Message = "canceled", "Interrupted; nothing was saved"+cleanupNote(res)
		return report(ExitCanceled, out)
	case err != nil:
		return c.saveErr(report, err)
	}
	out.Status, out.Message = "canceled", "The reader no longer shows the request (canceled or replaced); nothing was saved"
	return report(ExitCanceled, out)
}

func (c *cli) saveErr(report func(int, SaveJSON) int, err error) int {
	var bi *BadInput
	if errors.As(err, &bi) {
		return report(ExitUsage, SaveJSON{Status: "error", Message: bi.Error() + " (nothing was sent)"})
	}
	return report(ExitError, SaveJSON{Status: "error", Message: err.Error()})
}

func cleanupNote(r SaveResult) string {
	if r.Canceled {
		return " (the reader was cleared and the SetupIntent canceled)"
	}
	return ""
}

func failureText(f *pos.PaymentError) string {
	if f == nil {
		return "the card was refused"
	}
	switch f.Code {
	case "card_not_supported":
		return "this card cannot be saved (a phone wallet, or a single-brand Interac or eftpos card); " + f.Message
	case "customer_canceled":
		return "the customer canceled on the reader"
	}
	if f.Message != "" {
		return f.Message
	}
	return f.Code
}

// findReader looks on the platform first, then on the customer's account.
func (c *cli) findReader(ctx context.Context, owner pos.Account, id string) (pos.Reader, error) {
	r, err := c.d.Terminal.GetReader(ctx, pos.Platform, id)
	if err == nil || !pos.IsKind(err, pos.KindNotFound) || owner.IsPlatform() {
		if pos.IsKind(err, pos.KindNotFound) {
			return r, fmt.Errorf("reader %s: not found on the platform", id)
		}
		return r, err
	}
	r, err = c.d.Terminal.GetReader(ctx, owner, id)
	if pos.IsKind(err, pos.KindNotFound) {
		return r, fmt.Errorf("reader %s: not found on the platform nor on %s", id, owner)
	}
	return r, err
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}
