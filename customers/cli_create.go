package customers

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"kasse/i18n"
)

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
