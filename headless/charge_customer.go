package headless

import (
	"context"
	"errors"
	"flag"
	"strconv"
	"strings"

	"kasse/customers"
	"kasse/i18n"
	"kasse/pos"
)

// kasse charge for a customer (issue 13): --customer, --saved-card,
// --save-card --consent, --email-receipt. The customer and card are
// checked before anything is sent (customers.ForSale): bad input exits 64
// with its reason and nothing half-done.

// customerOptions are the customer flags of kasse charge.
type customerOptions struct {
	customer, savedCard         string
	saveCard, consent, emailRcp bool
}

func (o *customerOptions) define(fs *flag.FlagSet) {
	fs.StringVar(&o.customer, "customer", "", "")
	fs.StringVar(&o.savedCard, "saved-card", "", "")
	fs.BoolVar(&o.saveCard, "save-card", false, "")
	fs.BoolVar(&o.consent, "consent", false, "")
	fs.BoolVar(&o.emailRcp, "email-receipt", false, "")
}

func (o *customerOptions) check(simulate bool) error {
	switch {
	case o.customer != "" && !strings.HasPrefix(o.customer, "cus_"):
		return usagef(i18n.M("cli.headless.customer_bad", i18n.Args{"Value": strconv.Quote(o.customer)}))
	case o.customer == "" && (o.savedCard != "" || o.saveCard || o.emailRcp):
		return usagef(i18n.M("cli.headless.customer_needed"))
	case o.savedCard != "" && !strings.HasPrefix(o.savedCard, "pm_"):
		return usagef(i18n.M("cli.headless.saved_card_bad", i18n.Args{"Value": strconv.Quote(o.savedCard)}))
	case o.savedCard != "" && o.saveCard:
		return usagef(i18n.M("cli.headless.save_saved_card"))
	case o.savedCard != "" && simulate:
		return usagef(i18n.M("cli.headless.simulate_saved_card"))
	case o.saveCard && !o.consent:
		return usagef(i18n.M("cli.headless.save_card_consent"))
	}
	return nil
}

// customer resolves the customer flags for a sale at seller: the sale's
// customer and the receipt email, or an exit code (0: go on).
func (c *charge) customer(ctx context.Context, seller pos.Seller) (*pos.SaleCustomer, string, int) {
	o := c.o.cus
	if o.customer == "" {
		return nil, "", 0
	}
	svc := c.d.Customers
	if svc == nil {
		return nil, "", c.out.fail(ExitError, failed(i18n.M("cli.headless.no_customers_service")))
	}
	cus, err := svc.Find(ctx, seller.ID, o.customer)
	if err != nil {
		return nil, "", c.customerFail(err)
	}
	var card *pos.SavedCard
	if o.savedCard != "" {
		k, err := svc.Card(ctx, cus, o.savedCard)
		if err != nil {
			return nil, "", c.customerFail(err)
		}
		card = &k
	}
	receipt := ""
	if o.emailRcp {
		if cus.Email == "" {
			return nil, "", c.customerFail(&customers.BadInput{Err: customers.ErrNoEmail, Detail: customers.Value(cus.Label())})
		}
		receipt = cus.Email
	}
	who := c.d.Operator
	if who == "" {
		who = c.d.ConsoleID
	}
	sc, err := svc.ForSale(ctx, customers.Choice{Seller: seller.ID, Customer: cus, Card: card, SaveCard: o.saveCard,
		ConsentBy: who, At: c.now()})
	if err != nil {
		return nil, "", c.customerFail(err)
	}
	return sc, receipt, 0
}

func (c *charge) customerFail(err error) int {
	var bi *customers.BadInput
	if errors.As(err, &bi) {
		return c.out.fail(ExitUsage, usagef(i18n.M("cli.headless.nothing_sent", i18n.Args{"Error": err})))
	}
	return c.out.fail(ExitError, flaggedErr("--customer", err))
}
