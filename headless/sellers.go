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

	"kasse/i18n"
	"kasse/internal/cli"
	"kasse/pos"
)

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
	stdout, stderr, loc := std.Out, std.Err, std.Locale()
	fs := flag.NewFlagSet("kasse sellers", flag.ContinueOnError) // i18n:ok the command's name
	fs.SetOutput(io.Discard)
	asJSON := fs.Bool("json", false, "")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			io.WriteString(stdout, loc.T("cli.headless.help.sellers"))
			return ExitApproved
		}
		fmt.Fprintln(stderr, progSellers+": "+loc.T("cli.headless.sellers.usage_error", i18n.Args{"Error": cli.FlagError(loc, err)}))
		return ExitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintln(stderr, progSellers+": "+loc.T("cli.headless.sellers.unexpected_argument", i18n.Args{"Arg": cli.Quote(fs.Arg(0))}))
		return ExitUsage
	}
	sellers, err := port.ListSellers(ctx)
	if err != nil {
		fmt.Fprintln(stderr, progSellers+": "+loc.T("cli.headless.sellers.list_failed", i18n.Args{"Error": err}))
		return ExitError
	}
	slices.SortStableFunc(sellers, func(a, b pos.Seller) int {
		return cmp.Or(cmp.Compare(strings.ToLower(a.DisplayName), strings.ToLower(b.DisplayName)), cmp.Compare(a.ID, b.ID))
	})
	out := make([]SellerJSON, 0, len(sellers))
	for _, s := range sellers {
		out = append(out, SellerJSON{ID: string(s.ID), Name: s.DisplayName, Country: s.Country, Currency: s.Currency,
			CardPayments: s.CardPayments, Transfers: s.Transfers, ChargesEnabled: s.ChargesEnabled,
			ChargeType: string(s.Charges.Type.Or()), Fee: s.Charges.Fee.String(), RefundFee: s.Charges.RefundFee,
			CanSell: s.CheckCanSell() == nil})
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			fmt.Fprintln(stderr, progSellers+":", err)
			return ExitError
		}
		return ExitApproved
	}
	if len(out) == 0 {
		fmt.Fprintln(stdout, loc.T("cli.headless.sellers.none"))
		return ExitApproved
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, loc.T("cli.headless.sellers.header"))
	selling := 0
	for i, s := range out {
		can := loc.T("cli.headless.sellers.no")
		if s.CanSell {
			can, selling = loc.T("cli.headless.sellers.yes"), selling+1
		}
		state := func(c string) string {
			if c == "" {
				return loc.T("cli.headless.sellers.not_requested")
			}
			return c // Stripe's code: active, inactive, pending
		}
		fee := loc.FeeRule(sellers[i].Charges.Fee)
		if fee == "" {
			fee = loc.T("cli.headless.sellers.no_fee")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", s.ID, orDash(s.Name), orDash(s.Country), orDash(strings.ToUpper(s.Currency)),
			state(s.CardPayments), state(s.Transfers), loc.Render(i18n.ChargeTypeName(sellers[i].Charges.Type)), fee, can)
	}
	if err := tw.Flush(); err != nil {
		fmt.Fprintln(stderr, progSellers+":", loc.Err(err))
		return ExitError
	}
	fmt.Fprintln(stdout, loc.N("cli.headless.sellers.count", len(out), i18n.Args{"Selling": selling}))
	return ExitApproved
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}
