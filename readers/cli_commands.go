package readers

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"kasse/internal/plural"
	"kasse/pos"
)

// register: `readers register --code --label --location [--owner]`.
// Without --owner the reader goes on the account that owns the location.
func (c *cli) register(args []string) int {
	fs := c.flags()
	code := fs.String("code", "", "registration code the reader shows (three words, e.g. apple-grape-orange; simulated-wpe in test mode)")
	label := fs.String("label", "", "name cashiers see, e.g. \"Counter 2\"")
	loc := fs.String("location", "", "location id (tml_…)")
	ownerFlag := fs.String("owner", "", "account to register on: platform or acct_… (default: the location's account)")
	asJSON := fs.Bool("json", false, "print the reader as JSON")
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
	fmt.Fprintf(c.stdout, "registered %s %q (%s, serial %s) at %s on %s\n", r.ID, r.Label, DeviceType(r), orDash(r.SerialNumber), r.LocationID, owner)
	return ExitOK
}

// clear: `readers clear --reader TMR [--owner] [--json]`.
func (c *cli) clear(args []string) int {
	fs, id, ownerFlag := c.readerFlags()
	asJSON := fs.Bool("json", false, "print the report as JSON")
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
			fmt.Fprintf(c.stderr, "reader %s holds %s\n", *id, DescribeAction(rep.Held))
		}
		return c.fail(err)
	}
	if *asJSON {
		return c.printJSON(rep)
	}
	fmt.Fprintf(c.stdout, "reader %s held: %s\n%s\n", *id, DescribeAction(rep.Held), rep.Note)
	return ExitOK
}

// display: `readers display --reader TMR [--currency CUR] [--owner]`.
func (c *cli) display(args []string) int {
	fs, id, ownerFlag := c.readerFlags()
	cur := fs.String("currency", "", "currency of the sample cart (default: the owning seller's, else usd)")
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
	fmt.Fprintf(c.stdout, "reader %s shows a test cart:\n", *id)
	for _, l := range res.Cart.Lines {
		fmt.Fprintf(c.stdout, "  %-28s %14s\n", fmt.Sprintf("%d × %s", l.Quantity, l.Description), pos.Format(l.Amount, res.Cart.Currency))
	}
	fmt.Fprintf(c.stdout, "  %-28s %14s\n  %-28s %14s\n", "tax", pos.Format(res.Cart.Tax, res.Cart.Currency),
		"total", pos.Format(res.Cart.Total, res.Cart.Currency))
	fmt.Fprintf(c.stdout, "Nothing is charged; `kasse readers clear --reader %s` clears the screen.\n", *id)
	return ExitOK
}

// diagnostics: `readers diagnostics --reader TMR [--out FILE] [--text]`.
// A bundle is written even when the reader cannot be read (exit 1 then).
func (c *cli) diagnostics(args []string) int {
	fs, id, ownerFlag := c.readerFlags()
	out := fs.String("out", "", "write the bundle to FILE (mode 0600) instead of stdout")
	text := fs.Bool("text", false, "plain text instead of JSON")
	if code, ok := c.parse(fs, args, "reader"); !ok {
		return code
	}
	owner, err := c.readerOwner(*id, *ownerFlag)
	if err != nil {
		fmt.Fprintln(c.stderr, "warning: "+RedactString(err.Error())+"; building the bundle on the platform account")
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
		fmt.Fprintf(c.stdout, "diagnostics for %s written to %s (%s)\n", *id, *out, plural.Count(len(b.Requests), "request"))
	}
	if readErr != nil {
		return c.fail(readErr)
	}
	return ExitOK
}

// rename: `readers rename --reader TMR --label LABEL [--owner]`.
func (c *cli) rename(args []string) int {
	fs, id, ownerFlag := c.readerFlags()
	label := fs.String("label", "", "new label")
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
	fmt.Fprintf(c.stdout, "reader %s is now %q\n", r.ID, r.Label)
	return ExitOK
}

// deregister: `readers deregister --reader TMR --confirm LABEL|TMR`.
func (c *cli) deregister(args []string) int {
	fs, id, ownerFlag := c.readerFlags()
	confirm := fs.String("confirm", "", "the reader's current label or id, to confirm")
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
	fmt.Fprintf(c.stdout, "deregistered %s %q (serial %s) from %s\n", r.ID, r.Label, orDash(r.SerialNumber), owner)
	return ExitOK
}

// createLocation: `readers create-location --name --country … --seller ACCT
// [--owner]`. A platform location is created for one seller (--seller,
// required), whose account id goes into its metadata: that is how the
// console offers it to that seller's cashiers. A location on a seller's own
// account (--owner acct_…) is that seller's.
func (c *cli) createLocation(args []string) int {
	fs := c.flags()
	name := fs.String("name", "", "display name (the shop or seller)")
	var a pos.Address
	fs.StringVar(&a.Line1, "line1", "", "street address")
	fs.StringVar(&a.Line2, "line2", "", "second address line")
	fs.StringVar(&a.City, "city", "", "city")
	fs.StringVar(&a.State, "state", "", "state, province or region")
	fs.StringVar(&a.PostalCode, "postal-code", "", "postal code")
	fs.StringVar(&a.Country, "country", "", "ISO country code, e.g. US")
	sellerFlag := fs.String("seller", "", "the connected seller (acct_…) who sells there; required for a platform location, default: --owner")
	ownerFlag := fs.String("owner", "platform", "account to create it on: platform or acct_…")
	asJSON := fs.Bool("json", false, "print the location as JSON")
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
		return c.usageError(fs, fmt.Errorf("--seller %q: expected a connected account id (acct_…)", s))
	case s != "":
		seller = pos.Account(s)
	case owner.IsPlatform():
		return c.usageError(fs, errors.New("--seller is required for a platform location: the connected account (acct_…) whose cashiers sell there; `kasse sellers` lists them"))
	}
	sel, err := c.f.Sellers.GetSeller(c.ctx, seller)
	if err != nil {
		return c.fail(explain(err, subject{op: "look up seller " + string(seller), owner: pos.Platform}))
	}
	l, err := c.f.CreateLocation(c.ctx, owner, seller, *name, a)
	if err != nil {
		return c.fail(err)
	}
	if *asJSON {
		return c.printJSON(viewLocation(l))
	}
	fmt.Fprintf(c.stdout, "created location %s %q on %s for %s (%s): %s\n", l.ID, l.DisplayName, owner, orDash(sel.DisplayName), seller, formatAddress(l.Address))
	return ExitOK
}

// isAccountID reports whether s looks like a connected account id.
func isAccountID(s string) bool {
	return strings.HasPrefix(s, "acct_") && len(s) > len("acct_") && !strings.ContainsAny(s, " /?#")
}
