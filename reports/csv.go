package reports

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"
	"time"

	"kasse/pos"
)

// CSVHeader is the header row WriteCSV writes.
var CSVHeader = []string{
	"period_from", "period_to", "section", "seller_id", "seller_name", "currency", "card_brand",
	"sales", "gross", "tips", "refunds", "refund_count", "net",
	"declined", "canceled", "failed", "authorized", "open", "unsettled_refunds", "unsettled_amount",
	"reader_tests", "reader_test_amount", "platform_fees", "net_to_seller",
}

// CSV sections (the section column).
const (
	SectionSeller     = "seller"      // one seller, one currency
	SectionBrand      = "brand"       // one seller, one currency, one card brand
	SectionTotal      = "total"       // all sellers, one currency
	SectionTotalBrand = "total_brand" // all sellers, one currency, one card brand
)

// WriteCSV writes the report as RFC 4180 CSV (CRLF line ends, quoting as
// needed) with a header row (CSVHeader). Amounts are decimal strings in
// major units of the row's currency ("12.50", "500" for JPY) with the
// currency code in its own column; rows of different currencies are never
// summed. Brand rows fill only sales, gross and tips. Reader test payments
// are counted apart (reader_tests, and reader_test_amount for the captured
// ones), never in sales or gross. platform_fees is what the platform kept
// (application fees, separate charges' shares) net of what it gave back or
// paid of refunds; net_to_seller is gross − refunds − platform_fees
// (connect.go). Times are RFC 3339.
func WriteCSV(w io.Writer, r Report) error {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	from, to := csvTime(r.Period.From), csvTime(r.Period.To)
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	rec := make([]string, len(CSVHeader))
	write := func(section string, id pos.Account, name string, t Totals) error {
		fill(rec, from, to, section, string(id), name, t)
		if err := cw.Write(rec); err != nil {
			return err
		}
		for _, b := range t.Brands {
			fillBrand(rec, from, to, section, string(id), name, t.Currency, b)
			if err := cw.Write(rec); err != nil {
				return err
			}
		}
		return nil
	}
	for _, s := range r.Sellers {
		for _, t := range s.Currencies {
			if err := write(SectionSeller, s.Seller, s.Name, t); err != nil {
				return err
			}
		}
	}
	for _, t := range r.Totals {
		if err := write(SectionTotal, "", "", t); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func csvTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}

func fill(rec []string, from, to, section, id, name string, t Totals) {
	itoa := strconv.Itoa
	cur := strings.ToUpper(t.Currency)
	copy(rec, []string{from, to, section, id, name, cur, "",
		itoa(t.Sales), Decimal(t.Gross, t.Currency), Decimal(t.Tips, t.Currency),
		Decimal(t.Refunds, t.Currency), itoa(t.RefundCount), Decimal(t.Net, t.Currency),
		itoa(t.Declined), itoa(t.Canceled), itoa(t.Failed), itoa(t.Authorized), itoa(t.Open),
		itoa(t.UnsettledRefunds), Decimal(t.UnsettledAmount, t.Currency),
		itoa(t.Tests), Decimal(t.TestAmount, t.Currency), Decimal(t.PlatformFees, t.Currency), Decimal(t.NetToSeller, t.Currency)})
}

func fillBrand(rec []string, from, to, section, id, name, currency string, b BrandTotals) {
	if section == SectionSeller {
		section = SectionBrand
	} else {
		section = SectionTotalBrand
	}
	for i := range rec {
		rec[i] = ""
	}
	copy(rec, []string{from, to, section, id, name, strings.ToUpper(currency), b.Brand,
		strconv.Itoa(b.Sales), Decimal(b.Gross, currency), Decimal(b.Tips, currency)})
}

// Decimal renders amount minor units as a plain decimal in major units of
// currency: "12.50" USD, "500" JPY, "1.230" KWD, "-3.00" EUR (pos.Format
// without the code).
func Decimal(amount int64, currency string) string {
	s := pos.Format(amount, currency)
	if i := strings.LastIndexByte(s, ' '); i >= 0 {
		return s[:i]
	}
	return s
}
