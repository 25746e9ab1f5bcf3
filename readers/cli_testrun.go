package readers

import (
	"fmt"
	"strings"
	"time"

	"kasse/internal/plural"
	"kasse/pos"
)

// test: `readers test --reader TMR --seller ACCT [--amount A]
// [--simulate-card N] [--tip T] [--capture] [--timeout D] [--json]`.
// Exit 0 when the payment went through, 2 when it did not (declined,
// failed, timed out), 1 when the test could not run.
func (c *cli) test(args []string) int {
	fs, id, ownerFlag := c.readerFlags()
	seller := fs.String("seller", "", "connected account the test payment is made on (acct_…)")
	amount := fs.String("amount", "", "amount in the seller's currency, e.g. 1.00 (default: the smallest charge allowed)")
	card := fs.String("simulate-card", "", "test card number to present on a simulated reader (test mode), e.g. 4000000000009995 to decline")
	tip := fs.String("tip", "", "simulated on-reader tip, e.g. 0.50 (needs a simulated card)")
	capture := fs.Bool("capture", false, "capture the payment (default: authorize, then void — no money moves)")
	timeout := fs.Duration("timeout", 0, "how long to wait for the reader's result (default 30s simulated, 2m for a real card)")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	if code, ok := c.parse(fs, args, "reader", "seller"); !ok {
		return code
	}
	if !strings.HasPrefix(*seller, "acct_") {
		return c.usageError(fs, fmt.Errorf("--seller %q: expected an account id (acct_…)", *seller))
	}
	p := TestParams{ReaderID: *id, Seller: pos.Account(*seller), Card: strings.ReplaceAll(*card, " ", ""),
		Capture: *capture, Timeout: *timeout}
	if *amount != "" || *tip != "" {
		s, err := c.f.Sellers.GetSeller(c.ctx, p.Seller)
		if err != nil {
			return c.fail(explain(err, subject{op: "read seller " + *seller, owner: p.Seller}))
		}
		if p.Amount, err = parseOptionalAmount(*amount, s.Currency, "--amount"); err != nil {
			return c.usageError(fs, err)
		}
		if p.Tip, err = parseOptionalAmount(*tip, s.Currency, "--tip"); err != nil {
			return c.usageError(fs, err)
		}
	}
	owner, err := c.readerOwner(*id, *ownerFlag)
	if err != nil {
		return c.fail(err)
	}
	p.Owner = owner
	if !*asJSON {
		fmt.Fprintf(c.stderr, "testing reader %s with a payment on %s…\n", p.ReaderID, p.Seller)
	}
	res, err := c.f.TestTransaction(c.ctx, p)
	if err != nil {
		if res.IntentID != "" {
			fmt.Fprintf(c.stderr, "test intent %s: canceled=%t %s\n", res.IntentID, res.Canceled, res.CancelError)
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

func parseOptionalAmount(s, currency, flag string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	a, err := pos.ParseAmount(s, currency)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", flag, err)
	}
	return a, nil
}

func printTestResult(c *cli, r TestResult) {
	w := c.stdout
	fmt.Fprintln(w, r.Summary())
	fmt.Fprintf(w, "  reader     %s on %s\n", r.ReaderID, r.Owner)
	fmt.Fprintf(w, "  seller     %s, %s", r.Seller, pos.Format(r.Amount, r.Currency))
	if r.Tip > 0 {
		fmt.Fprintf(w, " + tip %s", pos.Format(r.Tip, r.Currency))
	}
	fmt.Fprintln(w)
	card := "tapped on the reader"
	if r.Simulated {
		card = "simulated"
		if r.CardLast4 != "" {
			card += ", card …" + r.CardLast4
		} else {
			card += ", Stripe's default test card"
		}
	}
	fmt.Fprintf(w, "  card       %s\n", card)
	fmt.Fprintf(w, "  intent     %s %s", r.IntentID, r.IntentStatus)
	if r.Canceled {
		fmt.Fprint(w, " (by this test)")
	}
	fmt.Fprintln(w)
	if !r.HandOff.IsZero() {
		fmt.Fprintf(w, "  timing     reader result %s after hand-off, %s\n", r.Elapsed.Round(time.Millisecond), plural.Count(r.Polls, "poll"))
	}
	if r.FailureCode != "" || r.DeclineCode != "" {
		fmt.Fprintf(w, "  failure    %s %s %s\n", r.FailureCode, r.DeclineCode, r.FailureMessage)
	}
	if r.CancelError != "" {
		fmt.Fprintf(w, "  WARNING    the test intent is still open: %s\n", r.CancelError)
	}
	for _, n := range r.Notes {
		fmt.Fprintf(w, "  note       %s\n", n)
	}
	fmt.Fprintf(w, "  keys       create %s\n", r.Keys["create"])
}
