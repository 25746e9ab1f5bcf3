package reports

import (
	"sort"
	"strings"
	"time"

	"kasse/pos"
)

// Period is the time range of a report, [From, To).
type Period struct {
	From, To time.Time
	Label    string // "2025-03-14", "2025-03-14 06:00–14:00"
}

// RefundEntry is one refund counted (or, when Unsettled, only noted) by an
// end-of-day report. Which refunds reach Aggregate is EndOfDay's decision;
// see the package documentation.
type RefundEntry struct {
	Source     Source
	ID         string // Stripe's re_… ("" while the journal does not know it)
	KasseID    string // the journal's refund id (journal refunds only)
	Seller     pos.Account
	SellerName string
	IntentID   string
	Amount     int64
	Currency   string
	Created    time.Time
	// Unsettled: recorded or sent by this console, outcome not known yet.
	// Counted in UnsettledRefunds, not in Refunds.
	Unsettled bool
}

// Report is an end-of-day (or shift) report.
type Report struct {
	Period  Period
	Sellers []SellerReport // by name, then id
	Totals  []Totals       // per currency over all sellers, by currency code; never summed across currencies
	// Partial holds a *FetchError for every Stripe call that failed or
	// listing that was capped: the report misses what those would have added.
	Partial []error
}

// SellerReport is one seller's part of a report.
type SellerReport struct {
	Seller     pos.Account
	Name       string
	Currencies []Totals // by currency code
}

// Totals are the figures of one currency (of one seller, or of all).
type Totals struct {
	Currency    string // lower case
	Sales       int    // approved sales
	Gross       int64  // approved amounts, tips included
	Tips        int64  // tips of approved sales (part of Gross)
	Refunds     int64  // refunds created in the period
	RefundCount int
	Net         int64 // Gross − Refunds
	// Counts of the period's other outcomes (not in Gross). A sale whose
	// last attempt was declined is Declined even when it was then canceled.
	Declined, Canceled, Failed, Authorized, Open int
	// Tests are the readers' test payments (Kind test): never sales, never
	// in the counts above; TestAmount is what the captured ones took (a
	// test is voided unless it was run to keep the money).
	Tests      int
	TestAmount int64
	// Refunds recorded at this console whose outcome is not known yet.
	UnsettledRefunds int
	UnsettledAmount  int64
	Brands           []BrandTotals // approved sales by card brand, by brand name
}

// BrandTotals are approved sales paid with one card brand.
type BrandTotals struct {
	Brand string // "visa", "mastercard", …; UnknownBrand when the card was not read
	Sales int
	Gross int64
	Tips  int64
}

// UnknownBrand is the brand of sales whose card is not known.
const UnknownBrand = "unknown"

type groupKey struct {
	seller   pos.Account
	currency string
}

// Aggregate builds the report figures from rows (every transaction of the
// period) and refunds (the refunds of the period). It is pure: no I/O, no
// clock; Period and Partial are left for the caller.
func Aggregate(rows []Row, refunds []RefundEntry) Report {
	groups := map[groupKey]*Totals{}
	names := map[pos.Account]string{}
	var order []groupKey
	get := func(seller pos.Account, currency string) *Totals {
		k := groupKey{seller, currency}
		t := groups[k]
		if t == nil {
			t = &Totals{Currency: currency}
			groups[k] = t
			order = append(order, k)
		}
		return t
	}
	var cur string // last currency seen, lower-cased: rows mostly repeat it
	var raw string
	for i := range rows {
		r := &rows[i]
		if r.Currency != raw {
			raw, cur = r.Currency, strings.ToLower(r.Currency)
		}
		if r.SellerName != "" && names[r.Seller] == "" {
			names[r.Seller] = r.SellerName
		}
		t := get(r.Seller, cur)
		if r.Kind == KindTest {
			t.Tests++
			if r.Status == StatusApproved {
				t.TestAmount += r.Amount
			}
			continue
		}
		switch r.Status {
		case StatusApproved:
			t.Sales++
			t.Gross += r.Amount
			t.Tips += r.Tip
			addBrand(t, r.Card.Brand, r.Amount, r.Tip)
		case StatusDeclined:
			t.Declined++
		case StatusCanceled:
			t.Canceled++
		case StatusFailed:
			t.Failed++
		case StatusAuthorized:
			t.Authorized++
		default:
			t.Open++
		}
	}
	for i := range refunds {
		rf := &refunds[i]
		if rf.SellerName != "" && names[rf.Seller] == "" {
			names[rf.Seller] = rf.SellerName
		}
		t := get(rf.Seller, strings.ToLower(rf.Currency))
		if rf.Unsettled {
			t.UnsettledRefunds++
			t.UnsettledAmount += rf.Amount
			continue
		}
		t.RefundCount++
		t.Refunds += rf.Amount
	}
	return build(groups, order, names)
}

func addBrand(t *Totals, brand string, amount, tip int64) {
	if brand == "" {
		brand = UnknownBrand
	}
	for i := range t.Brands {
		if b := &t.Brands[i]; b.Brand == brand {
			b.Sales++
			b.Gross += amount
			b.Tips += tip
			return
		}
	}
	t.Brands = append(t.Brands, BrandTotals{Brand: brand, Sales: 1, Gross: amount, Tips: tip})
}

// build sorts the groups into sellers and computes nets and grand totals.
func build(groups map[groupKey]*Totals, order []groupKey, names map[pos.Account]string) Report {
	var rep Report
	sellerIdx := map[pos.Account]int{}
	grand := map[string]*Totals{}
	for _, k := range order {
		t := groups[k]
		t.Net = t.Gross - t.Refunds
		sortBrands(t.Brands)
		i, ok := sellerIdx[k.seller]
		if !ok {
			name := names[k.seller]
			if name == "" {
				name = string(k.seller)
			}
			i = len(rep.Sellers)
			sellerIdx[k.seller] = i
			rep.Sellers = append(rep.Sellers, SellerReport{Seller: k.seller, Name: name})
		}
		rep.Sellers[i].Currencies = append(rep.Sellers[i].Currencies, *t)
		g := grand[k.currency]
		if g == nil {
			g = &Totals{Currency: k.currency}
			grand[k.currency] = g
		}
		addTotals(g, t)
	}
	for i := range rep.Sellers {
		cs := rep.Sellers[i].Currencies
		sort.Slice(cs, func(a, b int) bool { return cs[a].Currency < cs[b].Currency })
	}
	sort.Slice(rep.Sellers, func(a, b int) bool {
		x, y := rep.Sellers[a], rep.Sellers[b]
		if lx, ly := strings.ToLower(x.Name), strings.ToLower(y.Name); lx != ly {
			return lx < ly
		}
		return x.Seller < y.Seller
	})
	for _, g := range grand {
		g.Net = g.Gross - g.Refunds
		sortBrands(g.Brands)
		rep.Totals = append(rep.Totals, *g)
	}
	sort.Slice(rep.Totals, func(a, b int) bool { return rep.Totals[a].Currency < rep.Totals[b].Currency })
	return rep
}

func addTotals(g, t *Totals) {
	g.Sales += t.Sales
	g.Gross += t.Gross
	g.Tips += t.Tips
	g.Refunds += t.Refunds
	g.RefundCount += t.RefundCount
	g.Declined += t.Declined
	g.Canceled += t.Canceled
	g.Failed += t.Failed
	g.Authorized += t.Authorized
	g.Open += t.Open
	g.Tests += t.Tests
	g.TestAmount += t.TestAmount
	g.UnsettledRefunds += t.UnsettledRefunds
	g.UnsettledAmount += t.UnsettledAmount
	for _, b := range t.Brands {
		found := false
		for i := range g.Brands {
			if g.Brands[i].Brand == b.Brand {
				g.Brands[i].Sales += b.Sales
				g.Brands[i].Gross += b.Gross
				g.Brands[i].Tips += b.Tips
				found = true
				break
			}
		}
		if !found {
			g.Brands = append(g.Brands, b)
		}
	}
}

// sortBrands orders brands by name, UnknownBrand last.
func sortBrands(bs []BrandTotals) {
	sort.Slice(bs, func(i, j int) bool {
		if (bs[i].Brand == UnknownBrand) != (bs[j].Brand == UnknownBrand) {
			return bs[j].Brand == UnknownBrand
		}
		return bs[i].Brand < bs[j].Brand
	})
}
