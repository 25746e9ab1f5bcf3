package customers

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"time"

	"kasse/i18n"
	"kasse/pos"
)

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
