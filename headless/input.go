package headless

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"kasse/pos"
)

// DefaultTimeout is how long `kasse charge` waits for the card.
const DefaultTimeout = 2 * time.Minute

// options are the parsed flags of `kasse charge`.
type options struct {
	seller, reader, amount, currency, description string
	items                                         []string
	card, tip                                     string
	simulate                                      bool
	otherLocation                                 bool
	timeout                                       time.Duration
	json                                          bool
	cus                                           customerOptions // charge_customer.go
}

type itemFlags []string

func (f *itemFlags) String() string     { return strings.Join(*f, ", ") }
func (f *itemFlags) Set(v string) error { *f = append(*f, v); return nil }

// usageError is bad input: exit ExitUsage.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

// parseFlags reads args. It returns flag.ErrHelp for -h/--help.
func parseFlags(args []string) (options, error) {
	var o options
	var items itemFlags
	fs := flag.NewFlagSet("kasse charge", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&o.seller, "seller", "", "")
	fs.StringVar(&o.reader, "reader", "", "")
	fs.StringVar(&o.amount, "amount", "", "")
	fs.StringVar(&o.currency, "currency", "", "")
	fs.StringVar(&o.description, "description", "", "")
	fs.Var(&items, "item", "")
	fs.StringVar(&o.card, "simulate-card", "", "")
	fs.StringVar(&o.tip, "simulate-tip", "", "")
	fs.DurationVar(&o.timeout, "timeout", DefaultTimeout, "")
	fs.BoolVar(&o.json, "json", false, "")
	fs.BoolVar(&o.otherLocation, "other-sellers-location", false, "")
	o.cus.define(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return o, err
		}
		return o, usagef("%v", err)
	}
	o.items = items
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "simulate-card" {
			o.simulate = true
		}
	})
	switch {
	case fs.NArg() > 0:
		return o, usagef("unexpected argument %q", fs.Arg(0))
	case o.seller == "":
		return o, usagef("--seller is required (a connected account id, acct_…)")
	case !strings.HasPrefix(o.seller, "acct_"):
		return o, usagef("--seller %q: expected a connected account id (acct_…)", o.seller)
	case o.reader == "" && o.cus.savedCard == "":
		return o, usagef("--reader is required (a reader id, tmr_…), unless --saved-card pays without a reader")
	case o.amount == "" && len(o.items) == 0:
		return o, usagef("give --amount or at least one --item")
	case o.timeout <= 0:
		return o, usagef("--timeout %s: must be positive", o.timeout)
	case o.tip != "" && !o.simulate:
		return o, usagef("--simulate-tip needs --simulate-card")
	}
	if err := o.cus.check(o.simulate); err != nil {
		return o, err
	}
	if o.currency != "" {
		// Refused here, before any request: Stripe would only refuse it later.
		if _, err := pos.LookupCurrency(o.currency); err != nil {
			return o, usagef("--currency %s: %v; leave --currency out to charge in the seller's currency", o.currency, err)
		}
	}
	return o, nil
}

// parseItem reads "desc:qty:price". The description may contain ':'; the
// last two fields are the quantity (a whole number) and the unit price in
// major units of currency ("4.50", or "500" for JPY).
func parseItem(spec, currency string) (pos.Line, error) {
	i := strings.LastIndexByte(spec, ':')
	j := -1
	if i > 0 {
		j = strings.LastIndexByte(spec[:i], ':')
	}
	if j < 0 {
		return pos.Line{}, usagef("--item %q: use \"description:quantity:price\", e.g. \"Flat white:2:4.50\"", spec)
	}
	desc, qtyText, priceText := strings.TrimSpace(spec[:j]), strings.TrimSpace(spec[j+1:i]), spec[i+1:]
	qty, err := strconv.ParseInt(qtyText, 10, 64)
	if err != nil {
		return pos.Line{}, usagef("--item %q: quantity %q is not a whole number", spec, qtyText)
	}
	price, err := pos.ParseAmount(priceText, currency)
	if err != nil {
		return pos.Line{}, usagef("--item %q: price: %v", spec, err)
	}
	return pos.Line{Description: desc, Quantity: qty, UnitPrice: price}, nil
}

// buildCart makes the sale's cart: the items, or one line for --amount.
// With both, the items' total must equal --amount.
func buildCart(o options, currency string) (pos.Cart, error) {
	cart, err := pos.NewCart(currency)
	if err != nil {
		return cart, usagef("%v", err)
	}
	var amount int64
	if o.amount != "" {
		if amount, err = pos.ParseAmount(o.amount, currency); err != nil {
			return cart, usagef("--amount: %v", err)
		}
	}
	for _, spec := range o.items {
		l, err := parseItem(spec, currency)
		if err != nil {
			return cart, err
		}
		if cart, err = cart.Add(l); err != nil {
			return cart, usagef("--item %q: %v", spec, err)
		}
	}
	if len(o.items) == 0 {
		desc := o.description
		if desc == "" {
			desc = "Sale"
		}
		if cart, err = cart.Add(pos.Line{Description: desc, Quantity: 1, UnitPrice: amount}); err != nil {
			return cart, usagef("--amount: %v", err)
		}
	} else if o.amount != "" && cart.Total() != amount {
		return cart, usagef("--amount %s does not match the items' total %s",
			pos.Format(amount, currency), pos.Format(cart.Total(), currency))
	}
	if err := cart.ValidateForCharge(); err != nil {
		return cart, usagef("%v", err)
	}
	return cart, nil
}

const helpText = `Usage: kasse charge --seller ACCT --reader TMR (--amount AMOUNT | --item "desc:qty:price"…) [flags]

Rings up one sale without the console: the same sale machine, journal and
requests as the console's register. The PaymentIntent is created on the
seller (direct charge) and handed to the reader, then the reader is polled
until the payment ends or --timeout passes.

Flags:
  --seller ACCT          connected account that sells (card_payments must be active)
  --reader TMR           reader: looked up on the platform first, then on the seller
  --amount AMOUNT        total in major units of the currency ("12.50"; "500" for JPY)
  --currency CUR         ISO code; default: the seller's default currency
  --item "desc:qty:price"  a cart line, repeatable; the total is charged.
                         With --amount as well, the two must match.
  --description TEXT     PaymentIntent description (and the line name for --amount)
  --simulate-card NUMBER present a test card on a simulated reader (sandbox and
                         test mode only; refused with a live key). "" = Stripe's default card.
  --simulate-tip AMOUNT  tip the simulated customer adds (with --simulate-card)
  --timeout DURATION     how long to wait for the card (default 2m)
  --json                 print the outcome as one JSON object on stdout
  --other-sellers-location
                         charge at a reader whose platform location belongs to
                         another seller (refused without it: the payment would
                         be taken at that seller's counter)

Customers (see kasse customers):
  --customer CUS         the sale is for this customer: the seller's own, or the
                         platform wallet's (the seller's copy of it is used or made)
  --saved-card PM        pay with this saved card of --customer, without the reader
                         (--reader is then optional: it takes the card if declined
                         in the console; kasse charge cancels a declined sale)
  --save-card --consent  save the card presented on the reader for --customer;
                         --consent confirms the customer agreed (required)
  --email-receipt        send the receipt to --customer's email

Outcome. Without --simulate-card the customer taps on the reader. A decline is
not retried: the PaymentIntent is canceled so that nothing lingers, and the
command exits 2. When --timeout passes (or on Ctrl-C, SIGINT or SIGTERM) the
reader is cleared and the PaymentIntent canceled before kasse exits (at most
30s); if the card was approved meanwhile, that wins. If the cancel cannot
finish, the status is unknown, with the PaymentIntent id, never canceled.
Every step is written to the local journal before the request that follows it;
an outcome left unknown (network down) is settled when kasse next starts, or
by kasse reconcile.

JSON: {"sale_id","intent_id","status","amount","currency","tip","seller","reader",
       "card":{"brand","last4"},"decline_code","message","customer","saved_card"};
       customer is the seller's customer, saved_card the card the reader saved
       (--save-card; "" when the card could not be saved); amount and tip in minor
       units; status is approved, requires_capture, declined, canceled, timed_out,
       failed, unknown or error.

Exit codes:
  0   approved (or authorized, with manual capture)
  1   error: seller or reader unusable, request refused, outcome unknown
  2   declined (the PaymentIntent was canceled)
  3   canceled: timed out, canceled on the reader or interrupted
  64  usage: bad flags, amount, currency or items; bad customer input (an unknown
      or foreign customer, a card of another customer or account, an expired or
      card_present card, no email for --email-receipt): nothing was sent
`
