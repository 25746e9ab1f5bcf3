package reports

import (
	"sort"
	"strings"
	"time"

	"kasse/journal"
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
	// PlatformFees is what the platform kept of the period's sales, net of
	// what it gave back or paid of the period's refunds (connect.go);
	// NetToSeller is Gross − Refunds − PlatformFees: the seller's part
	// (before Stripe's processing fees).
	PlatformFees int64
	NetToSeller  int64
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
	a := newAggregator()
	a.addRows(rows)
	a.addRefunds(refunds)
	return a.build()
}

// aggregator sums a report's figures per seller and currency.
type aggregator struct {
	groups map[groupKey]*Totals
	order  []groupKey
	names  map[pos.Account]string
	raw    string // the last currency seen, and lowered: rows mostly repeat it
	lower  string
}

func newAggregator() *aggregator {
	return &aggregator{groups: map[groupKey]*Totals{}, names: map[pos.Account]string{}}
}

// group is the totals of seller in currency; name (if any) names the
// seller unless an earlier one did.
func (a *aggregator) group(seller pos.Account, name, currency string) *Totals {
	if currency != a.raw {
		a.raw, a.lower = currency, strings.ToLower(currency)
	}
	if name != "" && a.names[seller] == "" {
		a.names[seller] = name
	}
	k := groupKey{seller, a.lower}
	t := a.groups[k]
	if t == nil {
		t = &Totals{Currency: a.lower}
		a.groups[k] = t
		a.order = append(a.order, k)
	}
	return t
}

// add counts n transactions of one kind, status and card brand, of
// amount and tips in all.
func (a *aggregator) add(t *Totals, kind Kind, st Status, n int, amount, tips int64, brand string) {
	if kind == KindTest {
		t.Tests += n
		if st == StatusApproved {
			t.TestAmount += amount
		}
		return
	}
	switch st {
	case StatusApproved:
		t.Sales += n
		t.Gross += amount
		t.Tips += tips
		addBrand(t, brand, n, amount, tips)
	case StatusDeclined:
		t.Declined += n
	case StatusCanceled:
		t.Canceled += n
	case StatusFailed:
		t.Failed += n
	case StatusAuthorized:
		t.Authorized += n
	default:
		t.Open += n
	}
}

func (a *aggregator) addRows(rows []Row) {
	for i := range rows {
		r := &rows[i]
		a.add(a.group(r.Seller, r.SellerName, r.Currency), r.Kind, r.Status, 1, r.Amount, r.Tip, r.Card.Brand)
	}
}

// addSaleTotals counts journal sales summed by the journal, as addRows
// counts their rows (rowFromJournal): names are the sellers' names.
func (a *aggregator) addSaleTotals(totals []journal.SaleTotal, names map[pos.Account]string) {
	for _, st := range totals {
		a.add(a.group(st.Seller, names[st.Seller], st.Currency), KindSale, statusOfSale(st.State, st.Declined),
			st.Count, st.Amount, st.Tips, st.Brand)
	}
}

// addRefundTotals counts journal refunds summed by the journal, as
// addRefunds counts their entries (journalRefunds): names are the
// sellers' names.
func (a *aggregator) addRefundTotals(totals []journal.RefundTotal, names map[pos.Account]string) {
	for _, rt := range totals {
		counts, unsettled := refundCounts(rt.State)
		if !counts {
			continue
		}
		t := a.group(rt.Seller, names[rt.Seller], rt.Currency)
		if unsettled {
			t.UnsettledRefunds += rt.Count
			t.UnsettledAmount += rt.Amount
			continue
		}
		t.RefundCount += rt.Count
		t.Refunds += rt.Amount
	}
}

// addConnect adds each seller's platform fees (connectFigures).
func (a *aggregator) addConnect(figures map[groupKey]*connectTotals, names map[pos.Account]string) {
	keys := make([]groupKey, 0, len(figures))
	for k := range figures {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].seller != keys[j].seller {
			return keys[i].seller < keys[j].seller
		}
		return keys[i].currency < keys[j].currency
	})
	for _, k := range keys {
		if fees := figures[k].platformFees(); fees != 0 {
			a.group(k.seller, names[k.seller], k.currency).PlatformFees += fees
		}
	}
}

func (a *aggregator) addRefunds(refunds []RefundEntry) {
	for i := range refunds {
		rf := &refunds[i]
		t := a.group(rf.Seller, rf.SellerName, rf.Currency)
		if rf.Unsettled {
			t.UnsettledRefunds++
			t.UnsettledAmount += rf.Amount
			continue
		}
		t.RefundCount++
		t.Refunds += rf.Amount
	}
}

func addBrand(t *Totals, brand string, n int, amount, tips int64) {
	if brand == "" {
		brand = UnknownBrand
	}
	for i := range t.Brands {
		if b := &t.Brands[i]; b.Brand == brand {
			b.Sales += n
			b.Gross += amount
			b.Tips += tips
			return
		}
	}
	t.Brands = append(t.Brands, BrandTotals{Brand: brand, Sales: n, Gross: amount, Tips: tips})
}

// build sorts the groups into sellers and computes nets and grand totals.
func (a *aggregator) build() Report {
	groups, order, names := a.groups, a.order, a.names
	var rep Report
	sellerIdx := map[pos.Account]int{}
	grand := map[string]*Totals{}
	for _, k := range order {
		t := groups[k]
		t.Net = t.Gross - t.Refunds
		t.NetToSeller = t.Net - t.PlatformFees
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
		g.NetToSeller = g.Net - g.PlatformFees
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
	g.PlatformFees += t.PlatformFees
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
