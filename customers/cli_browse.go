package customers

import (
	"context"
	"flag"
	"fmt"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"kasse/i18n"
	"kasse/pos"
)

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

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}
