package customers

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

// RunCustomers runs `kasse customers` (args: the words after "customers"),
// in the command's language (std.Locale); --json stays language-neutral.
func RunCustomers(ctx context.Context, d CLIDeps, args []string, std kcli.IO) int {
	loc := std.Locale()
	if code, done := kcli.SubcommandHelp(args, std.Out, loc.T("cli.customers.help")); done {
		return code
	}
	c := &cli{d: d, std: std, loc: loc}
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
	fmt.Fprintln(std.Err, progCustomers+": "+loc.T("cli.customers.unknown_command", i18n.Args{"Command": kcli.Quote(args[0])}))
	fmt.Fprintln(std.Err)
	fmt.Fprint(std.Err, loc.T("cli.customers.help"))
	return ExitUsage
}

// progCustomers is the command's name, as its messages start.
const progCustomers = "kasse customers" // i18n:ok the command's name

type cli struct {
	d   CLIDeps
	std kcli.IO
	loc *i18n.Locale
}

// fail reports err (a message that words itself) of subcommand cmd.
func (c *cli) fail(code int, cmd string, err error) int {
	fmt.Fprintln(c.std.Err, progCustomers+" "+cmd+": "+c.loc.Err(err))
	return code
}

// usage reports bad input of subcommand cmd (exit 64).
func (c *cli) usage(cmd string, m i18n.Message) int {
	return c.fail(ExitUsage, cmd, &i18n.Error{Kind: errUsage, Msg: m})
}

// errUsage: a bad command line.
var errUsage = errors.New("bad command line")

// failErr reports err: bad input exits 64 (nothing was sent), anything
// else 1.
func (c *cli) failErr(cmd string, err error) int {
	var bi *BadInput
	if errors.As(err, &bi) {
		return c.usage(cmd, i18n.M("cli.customers.nothing_sent", i18n.Args{"Error": err}))
	}
	return c.fail(ExitError, cmd, err)
}

// flags parses a subcommand's flags; ok false means return code.
func (c *cli) flags(cmd string, args []string, define func(fs *flag.FlagSet)) (fs *flag.FlagSet, code int, ok bool) {
	fs = flag.NewFlagSet(progCustomers+" "+cmd, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	define(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(c.std.Out, c.loc.T("cli.customers.help"))
			return fs, ExitOK, false
		}
		return fs, c.usage(cmd, i18n.M("cli.customers.see_help", i18n.Args{"Error": kcli.FlagError(c.loc, err)})), false
	}
	if fs.NArg() > 0 {
		return fs, c.usage(cmd, i18n.M("cli.customers.unexpected_argument", i18n.Args{"Arg": kcli.Quote(fs.Arg(0))})), false
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
	return "", &i18n.Error{Kind: errUsage, Msg: i18n.M("cli.customers.bad_seller", i18n.Args{"Value": strconv.Quote(v)})}
}

// where names an account in a table: the platform's wallet in words.
func (c *cli) where(a pos.Account) string {
	if a.IsPlatform() {
		return c.loc.T("cli.customers.wallet")
	}
	return string(a)
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
		return c.fail(ExitError, cmd, err)
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
		return c.fail(ExitUsage, "list", err)
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
		fmt.Fprintln(c.std.Out, c.loc.T("cli.customers.none"))
		return ExitOK
	}
	tw := tabwriter.NewWriter(c.std.Out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, c.loc.T("cli.customers.header"))
	for _, cu := range found {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", cu.ID, orDash(cu.Name), orDash(cu.Email), c.where(cu.Account))
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
		return c.fail(ExitUsage, "show", err)
	}
	if !strings.HasPrefix(id, "cus_") {
		return c.usage("show", i18n.M("cli.customers.customer_required"))
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
	c.writeCustomer(cu, out)
	return ExitOK
}

// writeCustomer prints a customer, their saved cards and recent sales for
// people, in the command's language.
func (c *cli) writeCustomer(cu pos.Customer, out ShowJSON) {
	w, loc := c.std.Out, c.loc
	fmt.Fprintf(w, "%s  %s\n", cu.Label(), cu.ID)
	row := func(k, v string) {
		if v != "" {
			fmt.Fprintf(w, "  %-10s %s\n", k, v)
		}
	}
	row(loc.T("cli.customers.row.email"), cu.Email)
	row(loc.T("cli.customers.row.phone"), cu.Phone)
	row(loc.T("cli.customers.row.account"), c.where(cu.Account))
	row(loc.T("cli.customers.row.copy_of"), cu.CopyOf())
	sellers := make([]string, 0, len(out.Copies))
	for s := range out.Copies {
		sellers = append(sellers, s)
	}
	sort.Strings(sellers)
	for _, s := range sellers {
		row(loc.T("cli.customers.row.copy_at"), loc.T("cli.customers.copy", i18n.Args{"Seller": s, "Customer": out.Copies[s]}))
	}
	fmt.Fprintln(w, loc.T("cli.customers.saved_cards"))
	if len(out.Cards) == 0 {
		fmt.Fprintln(w, "  "+loc.T("cli.customers.none_here"))
	}
	for _, k := range out.Cards {
		a := i18n.Args{"Card": k.ID, "Brand": k.Brand, "Last4": k.Last4, "Expiry": expiry(k.ExpMonth, k.ExpYear)}
		if k.Expired {
			fmt.Fprintln(w, "  "+loc.T("cli.customers.card_expired", a))
		} else {
			fmt.Fprintln(w, "  "+loc.T("cli.customers.card", a))
		}
	}
	fmt.Fprintln(w, loc.T("cli.customers.recent_sales"))
	if len(out.Sales) == 0 {
		fmt.Fprintln(w, "  "+loc.T("cli.customers.none_here"))
	}
	for _, s := range out.Sales {
		fmt.Fprintf(w, "  %s  %s  %s  %s  %s\n", loc.FormatTime(time.Unix(s.Created, 0).UTC(), "format.datetime_minutes"), s.Seller,
			loc.Money(s.Amount, s.Currency), s.State, s.SaleID)
	}
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
		return c.fail(ExitUsage, "create", err)
	}
	if strings.TrimSpace(n.Name) == "" {
		return c.usage("create", i18n.M("cli.customers.name_required"))
	}
	n.Owner = owner
	cu, err := c.d.Service.Create(ctx, n)
	if err != nil {
		return c.failErr("create", err)
	}
	if asJSON {
		return c.printJSON("create", customerJSON(cu))
	}
	fmt.Fprintln(c.std.Out, c.loc.T("cli.customers.created", i18n.Args{"Customer": cu.ID, "Name": cu.Label(), "Account": c.where(cu.Account)}))
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
	// report prints the outcome: text in the command's language (a failure
	// on stderr), --json with its message in English.
	report := func(code int, res SaveJSON, msg i18n.Message) int {
		res.ExitCode, res.Customer, res.Message = code, id, i18n.Neutral().Render(msg)
		if asJSON {
			c.printJSON("save-card", res)
		} else if code == ExitOK {
			fmt.Fprintln(c.std.Out, c.loc.Render(msg))
		}
		if code != ExitOK {
			fmt.Fprintln(c.std.Err, progCustomers+" save-card: "+c.loc.Render(msg)) // i18n:ok the command's name
		}
		return code
	}
	failed := func(code int, err error) int {
		return report(code, SaveJSON{Status: "error"}, i18n.M("cli.customers.error", i18n.Args{"Error": err}))
	}
	usage := func(m i18n.Message) int { return report(ExitUsage, SaveJSON{Status: "error"}, m) }
	owner, err := account(seller)
	switch {
	case err != nil:
		return failed(ExitUsage, err)
	case !strings.HasPrefix(id, "cus_"):
		return usage(i18n.M("cli.customers.customer_required"))
	case !strings.HasPrefix(readerID, "tmr_"):
		return usage(i18n.M("cli.customers.reader_required"))
	case !consent:
		return usage(i18n.M("cli.customers.consent_required"))
	case timeout <= 0:
		return usage(i18n.M("cli.customers.timeout_positive"))
	case simulate && c.d.Mode == "live":
		return usage(i18n.M("cli.customers.simulate_live"))
	}
	who := c.d.Operator
	if who == "" {
		who = "kasse" // i18n:ok the consent's recorder when no operator is configured: a name
	}
	cu, err := c.d.Service.Find(ctx, owner, id)
	if err != nil {
		return c.saveErr(failed, err)
	}
	rd, err := c.findReader(ctx, cu.Account, readerID)
	if err != nil {
		return failed(ExitError, err)
	}
	res, err := c.d.Service.SaveCard(ctx, SaveRequest{Customer: cu, Reader: rd, ConsentBy: who,
		Simulate: simulate, SimulateCard: card, Timeout: timeout})
	out := SaveJSON{SetupIntent: res.SetupIntentID}
	switch {
	case res.State == pos.SetupSaved:
		k := cardJSON(res.Card, c.d.Service.now())
		out.Status, out.Card = "saved", &k
		return report(ExitOK, out, i18n.M("cli.customers.saved", i18n.Args{"Brand": res.Card.Brand, "Last4": res.Card.Last4,
			"Card": res.Card.ID, "Name": cu.Label()}))
	case res.State == pos.SetupFailed:
		out.Status = "not_saved"
		return report(ExitDeclined, out, i18n.M("cli.customers.not_saved", i18n.Args{"Why": failureText(res.Failure)}))
	case res.TimedOut:
		out.Status = "timed_out"
		return report(ExitCanceled, out, cleanupNote(res, i18n.M("cli.customers.no_card", i18n.Args{"Timeout": timeout})))
	case err != nil && ctx.Err() != nil:
		out.Status = "canceled"
		return report(ExitCanceled, out, cleanupNote(res, i18n.M("cli.customers.interrupted")))
	case err != nil:
		return c.saveErr(failed, err)
	}
	out.Status = "canceled"
	return report(ExitCanceled, out, i18n.M("cli.customers.reader_left"))
}

// saveErr reports a failure of save-card: bad input exits 64 (nothing
// was sent), anything else 1.
func (c *cli) saveErr(failed func(int, error) int, err error) int {
	var bi *BadInput
	if errors.As(err, &bi) {
		return failed(ExitUsage, &i18n.Error{Kind: err, Msg: i18n.M("cli.customers.nothing_sent", i18n.Args{"Error": err})})
	}
	return failed(ExitError, err)
}

// cleanupNote is m, and that the reader was cleared and the SetupIntent
// canceled when they were.
func cleanupNote(r SaveResult, m i18n.Message) i18n.Message {
	if r.Canceled {
		return i18n.M("cli.customers.cleaned_up", i18n.Args{"Outcome": m})
	}
	return m
}

// failureText is why the card was not saved, in words; Stripe's own
// message as Stripe sent it.
func failureText(f *pos.PaymentError) i18n.Message {
	switch {
	case f == nil:
		return i18n.M("cli.customers.refused")
	case f.Code == "card_not_supported":
		return i18n.M("cli.customers.not_supported", i18n.Args{"Message": f.Message})
	case f.Code == "customer_canceled":
		return i18n.M("cli.customers.customer_canceled")
	case f.Message != "":
		return i18n.M("cli.customers.stripe_said", i18n.Args{"Message": f.Message})
	}
	return i18n.M("cli.customers.stripe_said", i18n.Args{"Message": f.Code})
}

// findReader looks on the platform first, then on the customer's account.
func (c *cli) findReader(ctx context.Context, owner pos.Account, id string) (pos.Reader, error) {
	r, err := c.d.Terminal.GetReader(ctx, pos.Platform, id)
	if err == nil || !pos.IsKind(err, pos.KindNotFound) || owner.IsPlatform() {
		if pos.IsKind(err, pos.KindNotFound) {
			return r, &i18n.Error{Kind: err, Msg: i18n.M("cli.customers.reader_not_on_platform", i18n.Args{"Reader": id})}
		}
		return r, err
	}
	r, err = c.d.Terminal.GetReader(ctx, owner, id)
	if pos.IsKind(err, pos.KindNotFound) {
		return r, &i18n.Error{Kind: err, Msg: i18n.M("cli.customers.reader_nowhere", i18n.Args{"Reader": id, "Owner": string(owner)})}
	}
	return r, err
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}
