package headless

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"kasse/internal/cli"
	"kasse/pos"
)

const sellersHelp = `Usage: kasse sellers [--json]

Lists the platform's connected sellers (accounts), by name: id, name,
country, default currency, the card_payments and transfers capabilities,
and how the platform charges for the seller (config [[sellers]]): the
charge type (direct, destination or separate) and the platform's fee. A
seller can sell at a counter (column CAN SELL) when the capabilities its
charge type needs are active (direct: card_payments, with charges
enabled; destination: card_payments and transfers; separate: transfers).
The ids are what --seller takes in kasse charge, kasse refund, kasse
report and kasse readers.

Flags:
  --json   print a JSON array instead of a table

Exit codes: 0 listed, 1 error, 64 usage.
`

// SellerJSON is one seller as `kasse sellers --json` prints it.
type SellerJSON struct {
	ID             string `json:"id"`
	Name           string `json:"name"`
	Country        string `json:"country"`
	Currency       string `json:"currency"`      // lower case ISO 4217
	CardPayments   string `json:"card_payments"` // active, inactive, pending or "" (not requested)
	Transfers      string `json:"transfers"`     // as card_payments
	ChargesEnabled bool   `json:"charges_enabled"`
	ChargeType     string `json:"charge_type"` // direct, destination or separate (config [[sellers]])
	Fee            string `json:"fee"`         // the platform's fee rule: "2.5% + 0.30 USD", "none"
	RefundFee      bool   `json:"refund_fee"`  // refunds give the fee back in proportion
	CanSell        bool   `json:"can_sell"`    // the capabilities its charge type needs are active
}

// RunSellers runs `kasse sellers` (args: the flags after "sellers") against
// the Sellers port and returns the exit code.
func RunSellers(ctx context.Context, port pos.Sellers, args []string, std cli.IO) int {
	stdout, stderr := std.Out, std.Err
	fs := flag.NewFlagSet("kasse sellers", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	asJSON := fs.Bool("json", false, "")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			io.WriteString(stdout, sellersHelp)
			return ExitApproved
		}
		fmt.Fprintf(stderr, "kasse sellers: %v (see kasse sellers --help)\n", err)
		return ExitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "kasse sellers: unexpected argument %q (see kasse sellers --help)\n", fs.Arg(0))
		return ExitUsage
	}
	sellers, err := port.ListSellers(ctx)
	if err != nil {
		fmt.Fprintln(stderr, "kasse sellers: listing the connected accounts: "+err.Error())
		return ExitError
	}
	out := make([]SellerJSON, 0, len(sellers))
	for _, s := range sellers {
		out = append(out, SellerJSON{ID: string(s.ID), Name: s.DisplayName, Country: s.Country, Currency: s.Currency,
			CardPayments: s.CardPayments, Transfers: s.Transfers, ChargesEnabled: s.ChargesEnabled,
			ChargeType: string(s.Charges.Type.Or()), Fee: s.Charges.Fee.String(), RefundFee: s.Charges.RefundFee,
			CanSell: s.CheckCanSell() == nil})
	}
	slices.SortStableFunc(out, func(a, b SellerJSON) int {
		return cmp.Or(cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), cmp.Compare(a.ID, b.ID))
	})
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			fmt.Fprintln(stderr, "kasse sellers:", err)
			return ExitError
		}
		return ExitApproved
	}
	if len(out) == 0 {
		fmt.Fprintln(stdout, "No connected sellers.")
		return ExitApproved
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tCOUNTRY\tCURRENCY\tCARD PAYMENTS\tTRANSFERS\tCHARGE\tFEE\tCAN SELL")
	selling := 0
	for _, s := range out {
		can := "no"
		if s.CanSell {
			can, selling = "yes", selling+1
		}
		state := func(c string) string {
			if c == "" {
				return "not requested"
			}
			return c
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", s.ID, orDash(s.Name), orDash(s.Country), orDash(strings.ToUpper(s.Currency)),
			state(s.CardPayments), state(s.Transfers), s.ChargeType, s.Fee, can)
	}
	if err := tw.Flush(); err != nil {
		fmt.Fprintln(stderr, "kasse sellers:", err)
		return ExitError
	}
	fmt.Fprintf(stdout, "%s, %d can sell\n", countNoun(len(out), "seller"), selling)
	return ExitApproved
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

// countNoun is "1 seller" or "5 sellers".
func countNoun(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
