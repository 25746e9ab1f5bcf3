// Package headless is `kasse charge`: one sale from the command line,
// through the same checkout.Runner, sale machine and journal as the
// console. See RunCharge and its --help text (cli.headless.help.charge) for flags, output and
// exit codes. `kasse sellers` (RunSellers) lists the sellers it can charge.
package headless

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"

	"log/slog"
	"strconv"
	"strings"
	"time"

	"kasse/checkout"
	"kasse/customers"
	"kasse/i18n"
	"kasse/internal/cli"
	"kasse/pos"
)

// Exit codes of RunCharge.
const (
	ExitApproved = 0
	ExitError    = 1
	ExitDeclined = 2
	ExitCanceled = 3
	ExitUsage    = 64
)

// Modes, as config reports them.
const (
	ModeSandbox = "sandbox"
	ModeTest    = "test"
	ModeLive    = "live"
)

// DefaultCancelGrace bounds the cancel that follows a timeout, a decline
// or an interrupt (it runs on a context detached from the caller's, so a
// SIGINT does not cut it short; main keeps the sandbox and the journal up
// until RunCharge returns).
const DefaultCancelGrace = 30 * time.Second

// Deps is what main passes to RunCharge, derived from the configuration.
type Deps struct {
	Sellers   pos.Sellers
	Payments  pos.Payments
	Terminal  pos.Terminal
	Presenter pos.Presenter      // nil in live mode
	Transfers pos.Transfers      // separate charges' transfers (nil: none can be made)
	Journal   checkout.SaleStore // required; main sets its origin (console, operator)
	// Customers finds customers and their cards (--customer) and runs a
	// customer's sale's requests; nil refuses --customer.
	Customers *customers.Service

	ConsoleID            string // prefixes sale ids
	Operator             string // for the log; main stamps it on the journal (SetOrigin)
	Mode                 string // ModeSandbox, ModeTest or ModeLive
	CaptureMethod        string // "automatic" (default) or "manual"
	Tipping              bool   // ask for a tip on the reader
	CustomerCancellation bool   // show a cancel button on the reader

	// CancelGrace bounds the cleanup cancel (default DefaultCancelGrace).
	CancelGrace time.Duration

	Now       func() time.Time                                 // default time.Now
	Sleep     func(ctx context.Context, d time.Duration) error // default: real sleep
	NewSaleID func() string                                    // default: console id + time + random
	Log       *slog.Logger
}

// RunCharge runs `kasse charge` with args (the flags after "charge") and
// returns the exit code. The outcome goes to stdout (text, or JSON with
// --json); diagnostics go to stderr.
func RunCharge(ctx context.Context, d Deps, args []string, std cli.IO) int {
	stdout, stderr, loc := std.Out, std.Err, std.Locale()
	o, err := parseFlags(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, loc.T("cli.headless.help.charge"))
		return ExitApproved
	}
	out := &printer{json: o.json, stdout: stdout, stderr: stderr, loc: loc}
	if err != nil {
		return out.fail(ExitUsage, seeHelp{err})
	}
	if d.Sellers == nil || d.Payments == nil || d.Terminal == nil || d.Journal == nil {
		return out.fail(ExitError, usagef(i18n.M("cli.headless.composition")))
	}
	if o.simulate {
		switch {
		case d.Mode == ModeLive:
			return out.fail(ExitUsage, usagef(i18n.M("cli.headless.simulate_live")))
		case d.Mode != ModeSandbox && d.Mode != ModeTest, d.Presenter == nil:
			return out.fail(ExitUsage, usagef(i18n.M("cli.headless.simulate_needs_test")))
		}
	}
	c := &charge{d: d, o: o, out: out}
	return c.run(ctx)
}

type charge struct {
	d   Deps
	o   options
	out *printer
	r   *checkout.Runner
}

func (c *charge) now() time.Time {
	if c.d.Now != nil {
		return c.d.Now()
	}
	return time.Now()
}

func (c *charge) log() *slog.Logger {
	if c.d.Log != nil {
		return c.d.Log
	}
	return slog.New(slog.DiscardHandler)
}

func (c *charge) run(ctx context.Context) int {
	o := c.o
	seller, err := checkout.ReadThrottled(ctx, c.d.Sleep, c.throttled(i18n.M("cli.headless.the_seller", i18n.Args{"Seller": o.seller})),
		func(ctx context.Context) (pos.Seller, error) {
			return c.d.Sellers.GetSeller(ctx, pos.Account(o.seller))
		})
	if err != nil {
		return c.out.fail(ExitError, failed(i18n.M("cli.headless.seller_error", i18n.Args{"Seller": o.seller, "Error": err})))
	}
	if err := i18n.CannotSell(seller); err != nil {
		return c.out.fail(ExitError, err)
	}
	currency := o.currency
	if currency == "" {
		currency = seller.Currency
	}
	cur, err := pos.LookupCurrency(currency)
	if err != nil {
		return c.out.fail(ExitUsage, flagged("--currency", i18n.M("amount.currency_unknown", i18n.Args{"Code": currency})))
	}
	cart, err := buildCart(o, cur.Code, c.out.loc)
	if err != nil {
		return c.out.fail(ExitUsage, err)
	}
	var tip int64
	if o.tip != "" {
		if tip, err = c.out.loc.ParseAmount(o.tip, cur.Code); err != nil {
			return c.out.fail(ExitUsage, flaggedErr("--simulate-tip", err))
		}
	}
	var reader pos.Reader
	if o.reader != "" || o.cus.savedCard == "" {
		if reader, err = c.findReader(ctx, seller.ID, o.reader); err != nil {
			return c.out.fail(ExitError, err)
		}
	}
	cus, receipt, code := c.customer(ctx, seller) // charge_customer.go
	if code != 0 {
		return code
	}
	if !o.otherLocation {
		other, err := c.otherSellersReader(ctx, seller, reader)
		if err != nil {
			return c.out.fail(ExitError, err)
		}
		if other != nil {
			return c.out.fail(ExitUsage, usagef(i18n.M("cli.headless.other_sellers_location", i18n.Args{"Reader": reader.ID,
				"Location": other.location, "Other": other.seller.DisplayName, "OtherID": string(other.seller.ID), "Seller": seller.DisplayName})))
		}
	}

	if err := i18n.ChargeSetupProblem(seller.Charges, cart.Total(), cur.Code); err != nil {
		return c.out.fail(ExitError, err) // the sale machine would refuse it before any request
	}
	s, err := pos.NewSale(pos.SaleConfig{
		ID: c.saleID(), Seller: seller.ID, ReaderOwner: reader.Owner, ReaderID: reader.ID,
		LocationID: reader.LocationID, Currency: cur.Code, CaptureMethod: c.d.CaptureMethod,
		Description: o.description, ConsoleID: c.d.ConsoleID, Operator: c.d.Operator, Origin: pos.OriginCharge, Charges: seller.Charges,
		Process:  pos.ProcessConfig{SkipTipping: !c.d.Tipping, EnableCustomerCancellation: c.d.CustomerCancellation},
		Customer: cus, ReceiptEmail: receipt,
	}, c.now())
	if err != nil {
		return c.out.fail(ExitError, err)
	}
	s.Cart = cart // headless shows no cart on the reader: process_payment_intent replaces it anyway
	if c.d.Tipping {
		s.Process.TippingAmountEligible = cart.Total()
	}
	if seller.Charges.Type.OnPlatform() && !reader.Owner.IsPlatform() {
		return c.out.fail(ExitUsage, usagef(i18n.M("cli.headless.platform_reader", i18n.Args{"Reader": reader.ID,
			"Type": i18n.ChargeVia(seller.Charges.Type)})))
	}
	c.r = &checkout.Runner{Payments: c.d.Payments, Terminal: c.d.Terminal, Presenter: c.d.Presenter, Transfers: c.d.Transfers,
		Journal: c.d.Journal, Now: c.d.Now, Sleep: c.d.Sleep, Log: c.d.Log}
	if c.d.Customers != nil {
		c.r.Customers = c.d.Customers.Customers
	}
	return c.pay(ctx, s, seller, tip)
}

// otherSeller is the seller a reader's platform location belongs to, when
// that is not the seller charging.
type otherSeller struct {
	seller   pos.Seller
	location string
}

// otherSellersReader reports whether the platform reader stands at
// another seller's location (pos.OtherSellersLocation, the console's rule).
// A seller's own reader is the seller's; a location tagged for a seller
// decides with one look-up; an untagged one is matched against the names
// of all sellers.
func (c *charge) otherSellersReader(ctx context.Context, seller pos.Seller, r pos.Reader) (*otherSeller, error) {
	if !r.Owner.IsPlatform() || r.LocationID == "" {
		return nil, nil
	}
	locs, err := checkout.ReadThrottled(ctx, c.d.Sleep, c.throttled(i18n.M("cli.headless.the_locations")),
		func(ctx context.Context) ([]pos.Location, error) {
			return c.d.Terminal.ListLocations(ctx, pos.Platform)
		})
	if err != nil {
		return nil, failed(i18n.M("cli.headless.location_error", i18n.Args{"Reader": r.ID, "Location": r.LocationID, "Error": err}))
	}
	for _, l := range locs {
		if l.ID != r.LocationID {
			continue
		}
		var sellers []pos.Seller
		if _, tagged := l.TaggedSeller(); !tagged {
			if sellers, err = checkout.ReadThrottled(ctx, c.d.Sleep, c.throttled(i18n.M("cli.headless.the_sellers")), c.d.Sellers.ListSellers); err != nil {
				return nil, failed(i18n.M("cli.headless.location_sellers_error", i18n.Args{"Reader": r.ID, "Location": l.ID, "Error": err}))
			}
		}
		if o, ok := pos.OtherSellersLocation(l, seller, sellers); ok {
			return &otherSeller{seller: o, location: l.DisplayName}, nil
		}
		return nil, nil
	}
	return nil, nil // not listed (deleted meanwhile): nothing says it is another seller's
}

// throttled tells stderr that Stripe rate limits the look-up of what.
func (c *charge) throttled(what i18n.Message) func(time.Duration) {
	return func(d time.Duration) {
		fmt.Fprintln(c.out.stderr, progCharge+": "+c.out.loc.T("cli.headless.throttled", i18n.Args{"What": what, "Wait": d.Round(100 * time.Millisecond)}))
	}
}

// findReader looks on the platform first, then on the seller's account.
// A look-up Stripe refuses with 429 is sent again after a back-off.
func (c *charge) findReader(ctx context.Context, seller pos.Account, id string) (pos.Reader, error) {
	get := func(owner pos.Account) (pos.Reader, error) {
		return checkout.ReadThrottled(ctx, c.d.Sleep, c.throttled(i18n.M("cli.headless.the_reader", i18n.Args{"Reader": id})),
			func(ctx context.Context) (pos.Reader, error) { return c.d.Terminal.GetReader(ctx, owner, id) })
	}
	r, err := get(pos.Platform)
	if err == nil {
		return r, nil
	}
	if !pos.IsKind(err, pos.KindNotFound) {
		return r, failed(i18n.M("cli.headless.reader_error", i18n.Args{"Reader": id, "Error": err}))
	}
	r, err2 := get(seller)
	if err2 == nil {
		return r, nil
	}
	if pos.IsKind(err2, pos.KindNotFound) {
		return r, failed(i18n.M("cli.headless.reader_nowhere", i18n.Args{"Reader": id, "Seller": string(seller)}))
	}
	return r, failed(i18n.M("cli.headless.reader_error", i18n.Args{"Reader": id, "Error": err2}))
}

// pay drives the sale and reports it.
func (c *charge) pay(ctx context.Context, s pos.Sale, seller pos.Seller, tip int64) int {
	deadline := c.now().Add(c.o.timeout)
	expired := func(pos.Sale) bool { return !c.now().Before(deadline) }
	waiting := func(s pos.Sale) bool {
		return s.State == pos.SaleWaitingForCard && !s.Pending.Active() || expired(s)
	}
	s, err := c.r.Drive(ctx, s, pos.ChargeRequested{At: c.now()}, waiting)
	if s.State == pos.SaleDraft { // refused locally: nothing was sent
		why := any(i18n.NoticeMessage(s.Notice))
		if err != nil {
			why = err
		}
		return c.out.fail(ExitError, failed(i18n.M("cli.headless.not_sent", i18n.Args{"Why": why})))
	}
	if err == nil && c.o.simulate && s.State == pos.SaleWaitingForCard {
		if perr := c.r.PresentCard(ctx, s, c.o.card, tip); perr != nil {
			fmt.Fprintln(c.out.stderr, progCharge+": "+c.out.loc.T("cli.headless.present_failed", i18n.Args{"Error": perr}))
		}
	}
	if err == nil {
		s, err = c.r.Drive(ctx, s, pos.Tick{At: c.now()}, expired)
	}
	interrupted := err != nil
	timedOut := !interrupted && !checkout.Settled(s) && expired(s)
	outcome := s // what happened before any cleanup

	// Nothing headless leaves open: a decision it does not retry, and a
	// failure after the intent was created (its intent may still wait at
	// Stripe), are canceled like an interrupted sale.
	if interrupted || timedOut || s.State.Decision() || s.State == pos.SaleFailed && !s.Finished() {
		s = c.cancel(ctx, s)
	}
	res := c.result(s, outcome, seller, timedOut, interrupted)
	c.log().Info("kasse charge", "sale", s.ID, "status", res.Status, "state", s.State, "intent", s.IntentID,
		"seller", s.Seller, "reader", s.ReaderID, "amount", s.Amount, "currency", s.Currency,
		"console", c.d.ConsoleID, "operator", c.d.Operator)
	return c.out.report(res)
}

// cancel clears the reader and cancels the intent: after a timeout, an
// interrupt, a decision state that headless does not retry, or a failure
// that may have left the intent open.
func (c *charge) cancel(ctx context.Context, s pos.Sale) pos.Sale {
	grace := c.d.CancelGrace
	if grace <= 0 {
		grace = DefaultCancelGrace
	}
	ctx, stop := context.WithTimeout(context.WithoutCancel(ctx), grace)
	defer stop()
	s, err := c.r.Drive(ctx, s, pos.CancelRequested{At: c.now(), Reason: "abandoned"}, nil)
	if err != nil || !checkout.Settled(s) {
		a := i18n.Args{"Sale": s.ID, "Intent": orNone(c.out.loc, s.IntentID), "Grace": grace, "Error": fmt.Sprint(err)}
		if err != nil {
			a["Error"] = err
		}
		fmt.Fprintln(c.out.stderr, progCharge+": "+c.out.loc.T("cli.headless.cancel_slow", a))
	}
	return s
}

func (c *charge) saleID() string {
	if c.d.NewSaleID != nil {
		return c.d.NewSaleID()
	}
	return NewSaleID(c.d.ConsoleID, c.now())
}

// NewSaleID returns "<console>-<time>-<random>": unique, sortable by time,
// at most 64 characters of [A-Za-z0-9_-] as pos requires.
func NewSaleID(console string, at time.Time) string {
	var b [4]byte
	rand.Read(b[:])
	prefix := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '_'
	}, console)
	if len(prefix) > 32 {
		prefix = prefix[:32]
	}
	if prefix == "" {
		prefix = "kasse"
	}
	return prefix + "-" + strconv.FormatInt(at.UnixMilli(), 36) + "-" + hex.EncodeToString(b[:])
}

func orNone(loc *i18n.Locale, s string) string {
	if s == "" {
		return loc.T("cli.headless.none")
	}
	return s
}

// seeHelp is a bad command line: the error, then where to read the help.
type seeHelp struct{ err error }

func (e seeHelp) Error() string { return e.Localize(i18n.Neutral()) }

func (e seeHelp) Localize(loc *i18n.Locale) string {
	var le i18n.Localizer
	text := cli.FlagError(loc, e.err)
	if errors.As(e.err, &le) {
		text = loc.Err(e.err)
	}
	return text + "\n" + loc.T("cli.headless.see_help")
}

func (e seeHelp) Unwrap() error { return e.err }

// failed is a failure of the charge (exit 1) with a catalogued message.
func failed(m i18n.Message) error { return &i18n.Error{Kind: errCharge, Msg: m} }

// errCharge: the charge could not be made.
var errCharge = errors.New("charge failed")

// The commands' names, as their messages start.
const (
	progCharge    = "kasse charge"    // i18n:ok the command's name
	progSellers   = "kasse sellers"   // i18n:ok the command's name
	progReconcile = "kasse reconcile" // i18n:ok the command's name
)
