package reports

import (
	"fmt"
	"strings"
	"testing"

	"kasse/pos"
)

// ok, no, … build rows for the aggregation tables.
func ok(seller pos.Account, cur string, amount, tip int64, brand string) Row {
	return Row{Seller: seller, SellerName: sellerName(seller), Currency: cur, Amount: amount, Tip: tip,
		Status: StatusApproved, Card: pos.Card{Brand: brand}}
}

func with(seller pos.Account, cur string, amount int64, st Status) Row {
	return Row{Seller: seller, SellerName: sellerName(seller), Currency: cur, Amount: amount, Status: st}
}

func refund(seller pos.Account, cur string, amount int64) RefundEntry {
	return RefundEntry{Seller: seller, Currency: cur, Amount: amount}
}

func sellerName(a pos.Account) string {
	switch a {
	case acctA:
		return "Lumen Coffee"
	case acctB:
		return "Sakura Ramen"
	}
	return ""
}

const acctC pos.Account = "acct_1CCCCCCCCCCCCCCC" // Bäckerei, eur; named only by refunds

// summary renders one Totals compactly for table comparisons.
func summary(t Totals) string {
	var b []string
	for _, x := range t.Brands {
		b = append(b, fmt.Sprintf("%s:%d/%d/%d", x.Brand, x.Sales, x.Gross, x.Tips))
	}
	return fmt.Sprintf("%s sales=%d gross=%d tips=%d refunds=%d/%d net=%d d=%d c=%d f=%d a=%d o=%d u=%d/%d [%s]",
		t.Currency, t.Sales, t.Gross, t.Tips, t.Refunds, t.RefundCount, t.Net, t.Declined, t.Canceled,
		t.Failed, t.Authorized, t.Open, t.UnsettledRefunds, t.UnsettledAmount, strings.Join(b, " "))
}

func summarize(r Report) []string {
	var out []string
	for _, s := range r.Sellers {
		for _, c := range s.Currencies {
			out = append(out, s.Name+" "+summary(c))
		}
	}
	for _, c := range r.Totals {
		out = append(out, "TOTAL "+summary(c))
	}
	return out
}

func TestAggregate(t *testing.T) {
	tests := []struct {
		name    string
		rows    []Row
		refunds []RefundEntry
		want    []string
	}{
		{"empty", nil, nil, nil},
		{
			"tips, brands, declines and cancels excluded from gross",
			[]Row{
				ok(acctA, "usd", 1100, 100, "visa"), ok(acctA, "usd", 2000, 0, "visa"),
				ok(acctA, "usd", 550, 50, "mastercard"), with(acctA, "usd", 999, StatusDeclined),
				with(acctA, "usd", 400, StatusCanceled), with(acctA, "usd", 700, StatusFailed),
				with(acctA, "usd", 800, StatusAuthorized), with(acctA, "usd", 300, StatusOpen),
			},
			nil,
			[]string{
				"Lumen Coffee usd sales=3 gross=3650 tips=150 refunds=0/0 net=3650 d=1 c=1 f=1 a=1 o=1 u=0/0 [mastercard:1/550/50 visa:2/3100/100]",
				"TOTAL usd sales=3 gross=3650 tips=150 refunds=0/0 net=3650 d=1 c=1 f=1 a=1 o=1 u=0/0 [mastercard:1/550/50 visa:2/3100/100]",
			},
		},
		{
			"partial refunds and unsettled ones",
			[]Row{ok(acctA, "usd", 5000, 0, "amex")},
			[]RefundEntry{refund(acctA, "usd", 1250), refund(acctA, "usd", 250),
				{Seller: acctA, Currency: "usd", Amount: 999, Unsettled: true}},
			[]string{
				"Lumen Coffee usd sales=1 gross=5000 tips=0 refunds=1500/2 net=3500 d=0 c=0 f=0 a=0 o=0 u=1/999 [amex:1/5000/0]",
				"TOTAL usd sales=1 gross=5000 tips=0 refunds=1500/2 net=3500 d=0 c=0 f=0 a=0 o=0 u=1/999 [amex:1/5000/0]",
			},
		},
		{
			"multi-currency incl. JPY: per seller and currency, never summed across currencies",
			[]Row{
				ok(acctB, "jpy", 1500, 0, "jcb"), ok(acctB, "jpy", 980, 80, "visa"),
				ok(acctA, "USD", 1000, 0, "visa"), ok(acctA, "usd", 500, 0, ""), ok(acctA, "eur", 700, 0, "visa"),
				with(acctB, "jpy", 5000, StatusDeclined),
			},
			[]RefundEntry{refund(acctB, "jpy", 500)},
			[]string{
				"Lumen Coffee eur sales=1 gross=700 tips=0 refunds=0/0 net=700 d=0 c=0 f=0 a=0 o=0 u=0/0 [visa:1/700/0]",
				"Lumen Coffee usd sales=2 gross=1500 tips=0 refunds=0/0 net=1500 d=0 c=0 f=0 a=0 o=0 u=0/0 [visa:1/1000/0 unknown:1/500/0]",
				"Sakura Ramen jpy sales=2 gross=2480 tips=80 refunds=500/1 net=1980 d=1 c=0 f=0 a=0 o=0 u=0/0 [jcb:1/1500/0 visa:1/980/80]",
				"TOTAL eur sales=1 gross=700 tips=0 refunds=0/0 net=700 d=0 c=0 f=0 a=0 o=0 u=0/0 [visa:1/700/0]",
				"TOTAL jpy sales=2 gross=2480 tips=80 refunds=500/1 net=1980 d=1 c=0 f=0 a=0 o=0 u=0/0 [jcb:1/1500/0 visa:1/980/80]",
				"TOTAL usd sales=2 gross=1500 tips=0 refunds=0/0 net=1500 d=0 c=0 f=0 a=0 o=0 u=0/0 [visa:1/1000/0 unknown:1/500/0]",
			},
		},
		{
			"two sellers in one currency add up in the totals, brands merged",
			[]Row{ok(acctA, "usd", 1000, 100, "visa"), ok(acctB, "usd", 2000, 0, "visa"), ok(acctB, "usd", 300, 0, "discover")},
			[]RefundEntry{refund(acctA, "usd", 100)},
			[]string{
				"Lumen Coffee usd sales=1 gross=1000 tips=100 refunds=100/1 net=900 d=0 c=0 f=0 a=0 o=0 u=0/0 [visa:1/1000/100]",
				"Sakura Ramen usd sales=2 gross=2300 tips=0 refunds=0/0 net=2300 d=0 c=0 f=0 a=0 o=0 u=0/0 [discover:1/300/0 visa:1/2000/0]",
				"TOTAL usd sales=3 gross=3300 tips=100 refunds=100/1 net=3200 d=0 c=0 f=0 a=0 o=0 u=0/0 [discover:1/300/0 visa:2/3000/100]",
			},
		},
		{
			"a refund of an earlier sale makes a seller appear with negative net",
			[]Row{ok(acctA, "usd", 1000, 0, "visa")},
			[]RefundEntry{{Seller: acctC, SellerName: "Bäckerei Sonnenkorn", Currency: "EUR", Amount: 450}},
			[]string{
				"Bäckerei Sonnenkorn eur sales=0 gross=0 tips=0 refunds=450/1 net=-450 d=0 c=0 f=0 a=0 o=0 u=0/0 []",
				"Lumen Coffee usd sales=1 gross=1000 tips=0 refunds=0/0 net=1000 d=0 c=0 f=0 a=0 o=0 u=0/0 [visa:1/1000/0]",
				"TOTAL eur sales=0 gross=0 tips=0 refunds=450/1 net=-450 d=0 c=0 f=0 a=0 o=0 u=0/0 []",
				"TOTAL usd sales=1 gross=1000 tips=0 refunds=0/0 net=1000 d=0 c=0 f=0 a=0 o=0 u=0/0 [visa:1/1000/0]",
			},
		},
		{
			"a seller without a name is shown by id",
			[]Row{{Seller: "acct_1ZZZZZZZZZZZZZZZ", Currency: "gbp", Amount: 100, Status: StatusApproved}},
			nil,
			[]string{
				"acct_1ZZZZZZZZZZZZZZZ gbp sales=1 gross=100 tips=0 refunds=0/0 net=100 d=0 c=0 f=0 a=0 o=0 u=0/0 [unknown:1/100/0]",
				"TOTAL gbp sales=1 gross=100 tips=0 refunds=0/0 net=100 d=0 c=0 f=0 a=0 o=0 u=0/0 [unknown:1/100/0]",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := summarize(Aggregate(tt.rows, tt.refunds))
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// TestAggregateIsOrderIndependent: shuffling the input gives the same
// report.
func TestAggregateIsOrderIndependent(t *testing.T) {
	rows := benchRows(2000)
	want := fmt.Sprint(summarize(Aggregate(rows, nil)))
	for i, j := 0, len(rows)-1; i < j; i, j = i+1, j-1 {
		rows[i], rows[j] = rows[j], rows[i]
	}
	if got := fmt.Sprint(summarize(Aggregate(rows, nil))); got != want {
		t.Errorf("reversed input changed the report:\n%s\n%s", got, want)
	}
}
