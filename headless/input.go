package headless

import (
	"errors"
	"flag"
	"io"
	"strconv"
	"strings"
	"time"

	"kasse/i18n"
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

// errUsage: bad input, exit ExitUsage; its error says what, in catalogued
// words.
var errUsage = errors.New("bad command line")

func usagef(m i18n.Message) error { return &i18n.Error{Kind: errUsage, Msg: m} }

// flagged is m about the value of flag: "--amount: …".
func flagged(flag string, m i18n.Message) error {
	return flaggedErr(flag, &i18n.Error{Kind: errUsage, Msg: m})
}

// flaggedErr is err (a refusal that words itself) about the value of flag.
func flaggedErr(flag string, err error) error { return &flagError{flag: flag, err: err} }

type flagError struct {
	flag string
	err  error
}

func (e *flagError) Error() string                    { return e.Localize(i18n.Neutral()) }
func (e *flagError) Localize(loc *i18n.Locale) string { return e.flag + ": " + loc.Err(e.err) }
func (e *flagError) Unwrap() error                    { return e.err }

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
		return o, err // flag.ErrHelp, or the flag package's words (cli.FlagError)
	}
	o.items = items
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "simulate-card" {
			o.simulate = true
		}
	})
	switch {
	case fs.NArg() > 0:
		return o, usagef(i18n.M("cli.headless.unexpected_argument", i18n.Args{"Arg": strconv.Quote(fs.Arg(0))}))
	case o.seller == "":
		return o, usagef(i18n.M("cli.headless.seller_required"))
	case !strings.HasPrefix(o.seller, "acct_"):
		return o, usagef(i18n.M("cli.headless.seller_bad", i18n.Args{"Value": strconv.Quote(o.seller)}))
	case o.reader == "" && o.cus.savedCard == "":
		return o, usagef(i18n.M("cli.headless.reader_required"))
	case o.amount == "" && len(o.items) == 0:
		return o, usagef(i18n.M("cli.headless.amount_or_item"))
	case o.timeout <= 0:
		return o, usagef(i18n.M("cli.headless.timeout_positive", i18n.Args{"Timeout": o.timeout}))
	case o.tip != "" && !o.simulate:
		return o, usagef(i18n.M("cli.headless.tip_needs_card"))
	}
	if err := o.cus.check(o.simulate); err != nil {
		return o, err
	}
	if o.currency != "" {
		// Refused here, before any request: Stripe would only refuse it later.
		if _, err := pos.LookupCurrency(o.currency); err != nil {
			return o, usagef(i18n.M("cli.headless.currency_bad", i18n.Args{"Currency": o.currency}))
		}
	}
	return o, nil
}

// parseItem reads "desc:qty:price". The description may contain ':'; the
// last two fields are the quantity (a whole number) and the unit price in
// major units of currency, as loc's people type it ("4.50" in English,
// "4,50" in German, "500" for JPY).
func parseItem(spec, currency string, loc *i18n.Locale) (pos.Line, error) {
	item := "--item " + strconv.Quote(spec)
	i := strings.LastIndexByte(spec, ':')
	j := -1
	if i > 0 {
		j = strings.LastIndexByte(spec[:i], ':')
	}
	if j < 0 {
		return pos.Line{}, flagged(item, i18n.M("cli.headless.item_syntax", i18n.Args{"Price": loc.AmountInput(450, currency)}))
	}
	desc, qtyText, priceText := strings.TrimSpace(spec[:j]), strings.TrimSpace(spec[j+1:i]), spec[i+1:]
	qty, err := strconv.ParseInt(qtyText, 10, 64)
	if err != nil {
		return pos.Line{}, flagged(item, i18n.M("cli.headless.item_quantity", i18n.Args{"Quantity": strconv.Quote(qtyText)}))
	}
	price, err := loc.ParseAmount(priceText, currency)
	if err != nil {
		return pos.Line{}, flaggedErr(item, flaggedErr(loc.T("cli.headless.item_price"), err))
	}
	return pos.Line{Description: desc, Quantity: qty, UnitPrice: price}, nil
}

// buildCart makes the sale's cart: the items, or one line for --amount,
// amounts as loc's people type them. With both, the items' total must
// equal --amount.
func buildCart(o options, currency string, loc *i18n.Locale) (pos.Cart, error) {
	cart, err := pos.NewCart(currency)
	if err != nil {
		return cart, cartProblem(err, currency)
	}
	var amount int64
	if o.amount != "" {
		if amount, err = loc.ParseAmount(o.amount, currency); err != nil {
			return cart, flaggedErr("--amount", err)
		}
	}
	for _, spec := range o.items {
		l, err := parseItem(spec, currency, loc)
		if err != nil {
			return cart, err
		}
		if cart, err = cart.Add(l); err != nil {
			return cart, flaggedErr("--item "+strconv.Quote(spec), cartProblem(err, currency))
		}
	}
	if len(o.items) == 0 {
		desc := o.description
		if desc == "" {
			desc = loc.T("cli.headless.sale") // the line's name: the seller's and the customer's language, not ours
		}
		if cart, err = cart.Add(pos.Line{Description: desc, Quantity: 1, UnitPrice: amount}); err != nil {
			return cart, flaggedErr("--amount", cartProblem(err, currency))
		}
	} else if o.amount != "" && cart.Total() != amount {
		return cart, usagef(i18n.M("cli.headless.amount_mismatch", i18n.Args{"Amount": i18n.Money{Amount: amount, Currency: currency},
			"Total": i18n.Money{Amount: cart.Total(), Currency: currency}}))
	}
	if err := cart.ValidateForCharge(); err != nil {
		return cart, cartProblem(err, currency)
	}
	return cart, nil
}

// cartProblem is pos's refusal of the cart, worded by its sentinel (in
// whichever language shows it), errors.Is still seeing it.
func cartProblem(err error, currency string) error {
	return &cartError{err: err, currency: currency}
}

type cartError struct {
	err      error
	currency string
}

func (e *cartError) Error() string                    { return e.Localize(i18n.Neutral()) }
func (e *cartError) Localize(loc *i18n.Locale) string { return loc.CartProblem(e.err, e.currency) }
func (e *cartError) Unwrap() error                    { return e.err }
