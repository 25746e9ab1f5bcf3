package readers

import (
	"fmt"
	"os"
	"strings"

	"kasse/i18n"
	kcli "kasse/internal/cli"
	"kasse/pos"
)

// register: `readers register --code --label --location [--owner]`.
// Without --owner the reader goes on the account that owns the location.
func (c *cli) register(args []string) int {
	fs := c.flags()
	code := fs.String("code", "", c.t("cli.readers.flag.code"))
	label := fs.String("label", "", c.t("cli.readers.flag.label"))
	loc := fs.String("location", "", c.t("cli.readers.flag.location"))
	ownerFlag := fs.String("owner", "", c.t("cli.readers.flag.register_owner"))
	asJSON := fs.Bool("json", false, c.t("cli.readers.flag.json_reader"))
	if code, ok := c.parse(fs, args, "code", "label", "location"); !ok {
		return code
	}
	owner, given, err := parseOwner(*ownerFlag)
	if err != nil {
		return c.usageError(fs, err)
	}
	// Local checks first: no request for a code that cannot work.
	if _, err := NormalizeCode(*code, c.f.Mode); err != nil {
		return c.fail(err)
	}
	if !given {
		l, err := c.f.LocateLocation(c.ctx, *loc)
		if err != nil {
			return c.fail(err)
		}
		owner = l.Owner
	}
	r, err := c.f.Register(c.ctx, owner, *code, *label, *loc)
	if err != nil {
		return c.fail(err)
	}
	if *asJSON {
		return c.printJSON(facts(r))
	}
	fmt.Fprintln(c.stdout, c.t("cli.readers.registered", i18n.Args{"ID": r.ID, "Label": q(r.Label), "Device": DeviceType(r),
		"Serial": orDash(r.SerialNumber), "Location": r.LocationID, "Owner": ownerArg(owner)}))
	return ExitOK
}

// clear: `readers clear --reader TMR [--owner] [--json]`.
func (c *cli) clear(args []string) int {
	fs, id, ownerFlag := c.readerFlags()
	asJSON := fs.Bool("json", false, c.t("cli.readers.flag.json_report"))
	if code, ok := c.parse(fs, args, "reader"); !ok {
		return code
	}
	owner, err := c.readerOwner(*id, *ownerFlag)
	if err != nil {
		return c.fail(err)
	}
	rep, err := c.f.Clear(c.ctx, owner, *id)
	if err != nil {
		if rep.Held != nil {
			fmt.Fprintln(c.stderr, c.t("cli.readers.holds", i18n.Args{"ID": *id, "Action": ActionMessage(rep.Held)}))
		}
		return c.fail(err)
	}
	if *asJSON {
		return c.printJSON(rep)
	}
	fmt.Fprintf(c.stdout, "%s\n%s\n", c.t("cli.readers.held", i18n.Args{"ID": *id, "Action": ActionMessage(rep.Held)}), c.loc.Render(rep.NoteMsg))
	return ExitOK
}

// display: `readers display --reader TMR [--currency CUR] [--owner]`.
func (c *cli) display(args []string) int {
	fs, id, ownerFlag := c.readerFlags()
	cur := fs.String("currency", "", c.t("cli.readers.flag.currency"))
	if code, ok := c.parse(fs, args, "reader"); !ok {
		return code
	}
	owner, err := c.readerOwner(*id, *ownerFlag)
	if err != nil {
		return c.fail(err)
	}
	currency := *cur
	if currency == "" {
		currency = "usd"
		if !owner.IsPlatform() {
			if s, err := c.f.Sellers.GetSeller(c.ctx, owner); err == nil && s.Currency != "" {
				currency = s.Currency
			}
		}
	}
	res, err := c.f.DisplayTest(c.ctx, owner, *id, currency)
	if err != nil {
		return c.fail(err)
	}
	fmt.Fprintln(c.stdout, c.t("cli.readers.display_shows", i18n.Args{"ID": *id}))
	money := func(a int64) string { return c.loc.Money(a, res.Cart.Currency) }
	for _, l := range res.Cart.Lines {
		fmt.Fprintf(c.stdout, "  %-28s %14s\n", fmt.Sprintf("%d × %s", l.Quantity, l.Description), money(l.Amount))
	}
	fmt.Fprintf(c.stdout, "  %-28s %14s\n  %-28s %14s\n", c.t("word.tax"), money(res.Cart.Tax), c.t("word.total"), money(res.Cart.Total))
	fmt.Fprintln(c.stdout, c.t("cli.readers.display_nothing_charged", i18n.Args{"ID": *id}))
	return ExitOK
}

// diagnostics: `readers diagnostics --reader TMR [--out FILE] [--text]`.
// A bundle is written even when the reader cannot be read (exit 1 then).
func (c *cli) diagnostics(args []string) int {
	fs, id, ownerFlag := c.readerFlags()
	out := fs.String("out", "", c.t("cli.readers.flag.out"))
	text := fs.Bool("text", false, c.t("cli.readers.flag.text"))
	if code, ok := c.parse(fs, args, "reader"); !ok {
		return code
	}
	owner, err := c.readerOwner(*id, *ownerFlag)
	if err != nil {
		fmt.Fprintln(c.stderr, c.t("cli.readers.diagnostics_platform", i18n.Args{"Error": RedactString(c.loc.Err(err))}))
		owner = pos.Platform
	}
	var recent []RequestRecord
	if c.deps.Recent != nil {
		recent = c.deps.Recent()
	}
	b, readErr := c.f.BuildDiagnostics(c.ctx, owner, *id, recent)
	if b.Reader.ID == "" {
		return c.fail(readErr)
	}
	var data []byte
	if *text {
		data = []byte(b.Text())
	} else if data, err = b.JSON(); err != nil {
		return c.fail(err)
	}
	if *out == "" {
		_, _ = c.stdout.Write(data)
	} else {
		write := c.deps.WriteFile
		if write == nil {
			write = os.WriteFile
		}
		if err := write(*out, data, 0o600); err != nil {
			return c.fail(err)
		}
		fmt.Fprintln(c.stdout, c.loc.N("cli.readers.diagnostics_written", len(b.Requests), i18n.Args{"ID": *id, "Path": *out}))
	}
	if readErr != nil {
		return c.fail(readErr)
	}
	return ExitOK
}

// rename: `readers rename --reader TMR --label LABEL [--owner]`.
func (c *cli) rename(args []string) int {
	fs, id, ownerFlag := c.readerFlags()
	label := fs.String("label", "", c.t("cli.readers.flag.new_label"))
	if code, ok := c.parse(fs, args, "reader", "label"); !ok {
		return code
	}
	owner, err := c.readerOwner(*id, *ownerFlag)
	if err != nil {
		return c.fail(err)
	}
	r, err := c.f.Rename(c.ctx, owner, *id, *label)
	if err != nil {
		return c.fail(err)
	}
	fmt.Fprintln(c.stdout, c.t("cli.readers.renamed", i18n.Args{"ID": r.ID, "Label": q(r.Label)}))
	return ExitOK
}

// deregister: `readers deregister --reader TMR --confirm LABEL|TMR`.
func (c *cli) deregister(args []string) int {
	fs, id, ownerFlag := c.readerFlags()
	confirm := fs.String("confirm", "", c.t("cli.readers.flag.confirm"))
	if code, ok := c.parse(fs, args, "reader", "confirm"); !ok {
		return code
	}
	owner, err := c.readerOwner(*id, *ownerFlag)
	if err != nil {
		return c.fail(err)
	}
	r, err := c.f.Deregister(c.ctx, owner, *id, *confirm)
	if err != nil {
		return c.fail(err)
	}
	fmt.Fprintln(c.stdout, c.t("cli.readers.deregistered", i18n.Args{"ID": r.ID, "Label": q(r.Label), "Serial": orDash(r.SerialNumber), "Owner": ownerArg(owner)}))
	return ExitOK
}

// createLocation: `readers create-location --name --country … --seller ACCT
// [--owner]`. A platform location is created for one seller (--seller,
// required), whose account id goes into its metadata: that is how the
// console offers it to that seller's cashiers. A location on a seller's own
// account (--owner acct_…) is that seller's.
func (c *cli) createLocation(args []string) int {
	fs := c.flags()
	name := fs.String("name", "", c.t("cli.readers.flag.name"))
	var a pos.Address
	fs.StringVar(&a.Line1, "line1", "", c.t("cli.readers.flag.line1"))
	fs.StringVar(&a.Line2, "line2", "", c.t("cli.readers.flag.line2"))
	fs.StringVar(&a.City, "city", "", c.t("cli.readers.flag.city"))
	fs.StringVar(&a.State, "state", "", c.t("cli.readers.flag.state"))
	fs.StringVar(&a.PostalCode, "postal-code", "", c.t("cli.readers.flag.postal_code"))
	fs.StringVar(&a.Country, "country", "", c.t("cli.readers.flag.country"))
	sellerFlag := fs.String("seller", "", c.t("cli.readers.flag.location_seller"))
	ownerFlag := fs.String("owner", platformName, c.t("cli.readers.flag.location_owner"))
	asJSON := fs.Bool("json", false, c.t("cli.readers.flag.json_location"))
	if code, ok := c.parse(fs, args, "name", "country"); !ok {
		return code
	}
	owner, _, err := parseOwner(*ownerFlag)
	if err != nil {
		return c.usageError(fs, err)
	}
	seller := owner
	switch s := strings.TrimSpace(*sellerFlag); {
	case s != "" && !isAccountID(s):
		return c.usageError(fs, &i18n.Error{Kind: errFlag, Msg: i18n.M("cli.readers.seller_bad", i18n.Args{"Value": kcli.Quote(s)})})
	case s != "":
		seller = pos.Account(s)
	case owner.IsPlatform():
		return c.usageError(fs, &i18n.Error{Kind: errFlag, Msg: i18n.M("cli.readers.seller_required")})
	}
	sel, err := c.f.Sellers.GetSeller(c.ctx, seller)
	if err != nil {
		return c.fail(explain(err, subject{op: i18n.M("cli.readers.op.look_up_seller", i18n.Args{"Seller": string(seller)}), owner: pos.Platform}))
	}
	l, err := c.f.CreateLocation(c.ctx, owner, seller, *name, a)
	if err != nil {
		return c.fail(err)
	}
	if *asJSON {
		return c.printJSON(viewLocation(l))
	}
	fmt.Fprintln(c.stdout, c.t("cli.readers.location_created", i18n.Args{"ID": l.ID, "Name": q(l.DisplayName), "Owner": ownerArg(owner),
		"Seller": orDash(sel.DisplayName), "SellerID": string(seller), "Address": formatAddress(l.Address)}))
	return ExitOK
}

// isAccountID reports whether s looks like a connected account id.
func isAccountID(s string) bool {
	return strings.HasPrefix(s, "acct_") && len(s) > len("acct_") && !strings.ContainsAny(s, " /?#")
}
