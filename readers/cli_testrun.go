package readers

import (
	"fmt"
	"strings"
	"time"

	"kasse/i18n"
	kcli "kasse/internal/cli"
	"kasse/pos"
)

// test: `readers test --reader TMR --seller ACCT [--amount A]
// [--simulate-card N] [--tip T] [--capture] [--timeout D] [--json]`.
// Exit 0 when the payment went through, 2 when it did not (declined,
// failed, timed out), 1 when the test could not run.
func (c *cli) test(args []string) int {
	fs, id, ownerFlag := c.readerFlags()
	seller := fs.String("seller", "", c.t("cli.readers.flag.test_seller"))
	amount := fs.String("amount", "", c.t("cli.readers.flag.test_amount", i18n.Args{"Example": c.loc.AmountInput(100, exampleCurrency)}))
	card := fs.String("simulate-card", "", c.t("cli.readers.flag.simulate_card"))
	tip := fs.String("tip", "", c.t("cli.readers.flag.tip", i18n.Args{"Example": c.loc.AmountInput(50, exampleCurrency)}))
	capture := fs.Bool("capture", false, c.t("cli.readers.flag.capture"))
	timeout := fs.Duration("timeout", 0, c.t("cli.readers.flag.timeout"))
	asJSON := fs.Bool("json", false, c.t("cli.readers.flag.json_result"))
	if code, ok := c.parse(fs, args, "reader", "seller"); !ok {
		return code
	}
	if !strings.HasPrefix(*seller, "acct_") {
		return c.usageError(fs, &i18n.Error{Kind: errFlag, Msg: i18n.M("cli.readers.test_seller_bad", i18n.Args{"Value": kcli.Quote(*seller)})})
	}
	p := TestParams{ReaderID: *id, Seller: pos.Account(*seller), Card: strings.ReplaceAll(*card, " ", ""),
		Capture: *capture, Timeout: *timeout}
	if *amount != "" || *tip != "" {
		s, err := c.f.Sellers.GetSeller(c.ctx, p.Seller)
		if err != nil {
			return c.fail(explain(err, subject{op: ReadSeller(p.Seller), owner: p.Seller}))
		}
		if p.Amount, err = c.parseOptionalAmount(*amount, s.Currency); err != nil {
			return c.usageError(fs, flagged("--amount", err))
		}
		if p.Tip, err = c.parseOptionalAmount(*tip, s.Currency); err != nil {
			return c.usageError(fs, flagged("--tip", err))
		}
	}
	owner, err := c.readerOwner(*id, *ownerFlag)
	if err != nil {
		return c.fail(err)
	}
	p.Owner = owner
	if !*asJSON {
		fmt.Fprintln(c.stderr, c.t("cli.readers.testing", i18n.Args{"ID": p.ReaderID, "Seller": string(p.Seller)}))
	}
	res, err := c.f.TestTransaction(c.ctx, p)
	if err != nil {
		if res.IntentID != "" {
			fmt.Fprintf(c.stderr, "test intent %s: canceled=%t %s\n", res.IntentID, res.Canceled, res.CancelError) // i18n:ok field names and codes, for the log of a failed test
		}
		return c.fail(err)
	}
	if *asJSON {
		if code := c.printJSON(res); code != ExitOK {
			return code
		}
	} else {
		printTestResult(c, res)
	}
	if !res.Passed {
		return ExitTestFailed
	}
	return ExitOK
}

// parseOptionalAmount reads an amount as the operator types it in their
// language ("1,50" in German, "1.50" in English); "" is none.
func (c *cli) parseOptionalAmount(s, currency string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	return c.loc.ParseAmount(s, currency)
}

// flagged is err about the value of flag: "--amount: …".
func flagged(flag string, err error) error { return &flagError{flag: flag, err: err} }

type flagError struct {
	flag string
	err  error
}

func (e *flagError) Error() string                    { return e.Localize(i18n.Neutral()) }
func (e *flagError) Localize(loc *i18n.Locale) string { return e.flag + ": " + loc.Err(e.err) }
func (e *flagError) Unwrap() error                    { return e.err }

func printTestResult(c *cli, r TestResult) {
	w, loc := c.stdout, c.loc
	money := func(a int64) i18n.Money { return i18n.Money{Amount: a, Currency: r.Currency} }
	row := func(label, value string) { fmt.Fprintf(w, "  %-10s %s\n", label, value) }
	fmt.Fprintln(w, r.SummaryIn(loc))
	row(c.t("cli.readers.test.reader"), c.t("cli.readers.test.reader_on", i18n.Args{"ID": r.ReaderID, "Owner": ownerArg(r.Owner)}))
	seller := c.t("cli.readers.test.seller_amount", i18n.Args{"Seller": string(r.Seller), "Amount": money(r.Amount)})
	if r.Tip > 0 {
		seller = c.t("cli.readers.test.seller_amount_tip", i18n.Args{"Seller": string(r.Seller), "Amount": money(r.Amount), "Tip": money(r.Tip)})
	}
	row(c.t("cli.readers.test.seller"), seller)
	card := c.t("cli.readers.test.tapped")
	switch {
	case r.Simulated && r.CardLast4 != "":
		card = c.t("cli.readers.test.simulated_card", i18n.Args{"Last4": r.CardLast4})
	case r.Simulated:
		card = c.t("cli.readers.test.simulated_default")
	}
	row(c.t("cli.readers.test.card"), card)
	intent := r.IntentID + " " + r.IntentStatus
	if r.Canceled {
		intent = c.t("cli.readers.test.intent_canceled", i18n.Args{"Intent": r.IntentID, "Status": r.IntentStatus})
	}
	row(c.t("cli.readers.test.intent"), intent)
	if !r.HandOff.IsZero() {
		row(c.t("cli.readers.test.timing"), loc.N("cli.readers.test.timing_value", r.Polls, i18n.Args{"Elapsed": r.Elapsed.Round(time.Millisecond)}))
	}
	if r.FailureCode != "" || r.DeclineCode != "" {
		row(c.t("cli.readers.test.failure"), r.FailureCode+" "+r.DeclineCode+" "+r.FailureMessage)
	}
	if r.CancelFailure != nil {
		row(c.t("cli.readers.test.warning"), c.t("cli.readers.test.still_open", i18n.Args{"Error": r.CancelFailure}))
	} else if r.CancelError != "" {
		row(c.t("cli.readers.test.warning"), c.t("cli.readers.test.still_open", i18n.Args{"Error": r.CancelError}))
	}
	for _, n := range r.NoteMsgs {
		row(c.t("cli.readers.test.note"), loc.Render(n))
	}
	row(c.t("cli.readers.test.keys"), "create "+r.Keys["create"]) // i18n:ok the idempotency key's step, a code
}

// exampleCurrency is the currency of the amounts the flags' help shows.
const exampleCurrency = "usd" // i18n:ok a currency code
