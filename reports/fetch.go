package reports

import (
	"context"
	"errors"
	"slices"
	"sort"
	"sync"
	"time"

	"kasse/i18n"
	"kasse/journal"
	"kasse/pos"
)

// Journal is what reports read from the local journal; *journal.Journal
// implements it.
type Journal interface {
	EachSaleRow(ctx context.Context, f journal.SaleRowFilter, fn func(journal.SaleRow) error) error
	SaleTotals(ctx context.Context, f journal.SaleTotalsFilter) ([]journal.SaleTotal, []journal.SaleRow, error)
	SaleRowsByIntent(ctx context.Context, consoleID string, ids []string) ([]journal.SaleRow, error)
	EachRefundRow(ctx context.Context, f journal.RefundRowFilter, fn func(journal.RefundRow) error) error
	RefundTotals(ctx context.Context, f journal.RefundTotalsFilter) ([]journal.RefundTotal, error)
	ListSales(ctx context.Context, f journal.SaleFilter) ([]journal.SaleRecord, error)
	ListRefunds(ctx context.Context, f journal.RefundFilter) ([]journal.RefundRecord, error)
}

// Defaults of Searcher's knobs.
const (
	DefaultConcurrency    = 4
	DefaultStripeListCap  = 1000
	DefaultEODListCap     = 10000
	DefaultMaxCardLookups = 100
)

// FetchError is one Stripe call that failed while the rest of a search or
// report went on; Result.Partial and Report.Partial hold them. It is an
// i18n.Localizer: Error is English.
type FetchError struct {
	Seller   pos.Account
	Name     string
	Op       string // OpListSellers, OpListIntents, OpGetIntent, OpListRefunds, …
	IntentID string
	Err      error
}

// The calls a FetchError names: codes, worded by Localize.
const (
	OpListSellers = "list sellers" // i18n:ok a code, worded by FetchError.Localize
	OpListIntents = "list intents" // i18n:ok a code, worded by FetchError.Localize
	OpGetIntent   = "get intent"   // i18n:ok a code, worded by FetchError.Localize
	OpListRefunds = "list refunds" // i18n:ok a code, worded by FetchError.Localize
	// Connect: the platform's fees and transfers (connect.go).
	OpListApplicationFees = "list application fees"                // i18n:ok a code, worded by FetchError.Localize
	OpGetApplicationFee   = "get application fee"                  // i18n:ok a code, worded by FetchError.Localize
	OpListTransfers       = "list transfers"                       // i18n:ok a code, worded by FetchError.Localize
	OpFindTransfer        = "find the transfer of separate charge" // i18n:ok a code, worded by FetchError.Localize
)

func (e *FetchError) Error() string { return e.Localize(i18n.Neutral()) }

// Localize renders who, which call and why, in loc's words ("Sakura Ramen
// (acct_…): list intents: …"); Stripe's own message stays Stripe's.
func (e *FetchError) Localize(loc *i18n.Locale) string {
	who := string(e.Seller)
	switch {
	case e.Seller.IsPlatform():
		who = loc.T("cli.reports.platform")
	case e.Name != "" && e.Name != who:
		who = e.Name + " (" + who + ")"
	}
	a := i18n.Args{"Who": who, "Intent": e.IntentID, "Error": e.Err}
	switch e.Op {
	case OpListSellers:
		a["Op"] = i18n.M("cli.reports.op.list_sellers")
	case OpListIntents:
		a["Op"] = i18n.M("cli.reports.op.list_intents")
	case OpGetIntent:
		a["Op"] = i18n.M("cli.reports.op.get_intent")
	case OpListRefunds:
		a["Op"] = i18n.M("cli.reports.op.list_refunds")
	case OpListApplicationFees:
		a["Op"] = i18n.M("cli.reports.op.list_application_fees")
	case OpGetApplicationFee:
		a["Op"] = i18n.M("cli.reports.op.get_application_fee")
	case OpListTransfers:
		a["Op"] = i18n.M("cli.reports.op.list_transfers")
	case OpFindTransfer:
		a["Op"] = i18n.M("cli.reports.op.find_transfer")
	default:
		a["Op"] = e.Op
	}
	if e.IntentID != "" {
		return loc.T("cli.reports.fetch_error_intent", a)
	}
	return loc.T("cli.reports.fetch_error", a)
}

func (e *FetchError) Unwrap() error { return e.Err }

// errCapped marks a listing that stopped at its cap.
var errCapped = &i18n.Error{Kind: errors.New("listing capped"), Msg: i18n.M("cli.reports.capped")}

func (s *Searcher) conc() int { return orDefault(s.Concurrency, DefaultConcurrency) }

// forEach runs fn(0…n-1) with at most conc calls in flight.
func forEach(n, conc int, fn func(i int)) {
	sem := make(chan struct{}, max(conc, 1))
	var wg sync.WaitGroup
	for i := range n {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			fn(i)
		}()
	}
	wg.Wait()
}

// sellerSet resolves which sellers to list on Stripe and every seller's
// display name. A failing ListSellers is reported, not fatal: with a seller
// filter that seller is still listed.
func (s *Searcher) sellerSet(ctx context.Context, only pos.Account) ([]pos.Seller, map[pos.Account]string, []error) {
	names := map[pos.Account]string{}
	if s.Sellers == nil {
		if only != "" {
			return []pos.Seller{{ID: only}}, names, nil
		}
		return nil, names, nil
	}
	var partial []error
	all, err := s.Sellers.ListSellers(ctx)
	if err != nil {
		partial = append(partial, &FetchError{Seller: only, Op: OpListSellers, Err: err})
	}
	var out []pos.Seller
	for _, sl := range all {
		names[sl.ID] = sl.DisplayName
		if only == "" || sl.ID == only {
			out = append(out, sl)
		}
	}
	if only != "" && len(out) == 0 {
		out = append(out, pos.Seller{ID: only})
	}
	return out, names, partial
}

// listed is one seller's listing.
type listed struct {
	seller  pos.Seller
	intents []pos.Intent
	err     error
}

// listIntents lists every seller's intents created in [from, to), at most
// limit per seller, concurrently.
func (s *Searcher) listIntents(ctx context.Context, sellers []pos.Seller, from, to time.Time, limit int) []listed {
	out := make([]listed, len(sellers))
	if s.Payments == nil {
		return nil
	}
	f := pos.IntentFilter{CreatedFrom: ceilUnix(from), CreatedTo: lastUnixBefore(to), Limit: limit}
	forEach(len(sellers), s.conc(), func(i int) {
		ins, err := s.Payments.ListIntents(ctx, sellers[i].ID, f)
		if err == nil && limit > 0 && len(ins) >= limit {
			err = errCapped
		}
		out[i] = listed{seller: sellers[i], intents: ins, err: err}
	})
	if s.Transfers != nil {
		out = append(out, s.platformIntents(ctx, sellers, f, limit)...)
	}
	return out
}

// platformIntents lists the platform's own PaymentIntents in f — the
// destination and separate charges made for sellers — and hands each to
// the seller it was made for (pos.SellerOf), one listing per seller of
// sellers; intents made for no seller, or for another one, are left out.
// A failed listing is reported once, as the platform's.
func (s *Searcher) platformIntents(ctx context.Context, sellers []pos.Seller, f pos.IntentFilter, limit int) []listed {
	ins, err := s.Payments.ListIntents(ctx, pos.Platform, f)
	if err == nil && limit > 0 && len(ins) >= limit {
		err = errCapped
	}
	var out []listed
	if err != nil {
		out = append(out, listed{seller: pos.Seller{ID: pos.Platform, DisplayName: "platform"}, err: err})
	}
	idx := make(map[pos.Account]int, len(sellers))
	for _, in := range ins {
		sl := pos.SellerOf(in)
		if sl.IsPlatform() {
			continue
		}
		i, ok := idx[sl]
		if !ok {
			j := slices.IndexFunc(sellers, func(x pos.Seller) bool { return x.ID == sl })
			if j < 0 {
				continue
			}
			i = len(out)
			idx[sl] = i
			out = append(out, listed{seller: sellers[j]})
		}
		out[i].intents = append(out[i].intents, in)
	}
	return out
}

// ceilUnix is the first whole second at or after t (0 for the zero time).
func ceilUnix(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	sec := t.Unix()
	if t.After(time.Unix(sec, 0)) {
		sec++
	}
	return sec
}

// lastUnixBefore is the last whole second strictly before t (Stripe's
// created[lte]); 0 for the zero time.
func lastUnixBefore(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	sec := t.Unix()
	if t.Equal(time.Unix(sec, 0)) {
		sec--
	}
	return sec
}

// journalByIntent finds the journal rows of listed intents that the
// journal query did not return already.
func (s *Searcher) journalByIntent(ctx context.Context, ls []listed, have []Row, names map[pos.Account]string) ([]Row, error) {
	if s.Journal == nil {
		return nil, nil
	}
	seen := make(map[string]bool, len(have))
	for _, r := range have {
		if r.IntentID != "" {
			seen[r.IntentID] = true
		}
	}
	var ids []string
	for _, l := range ls {
		for _, in := range l.intents {
			if !seen[in.ID] {
				ids = append(ids, in.ID)
			}
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	recs, err := s.Journal.SaleRowsByIntent(ctx, s.ConsoleID, ids)
	if err != nil {
		return nil, err
	}
	out := make([]Row, len(recs))
	for i, r := range recs {
		out[i] = rowFromJournal(r, names[r.Seller])
	}
	return out, nil
}

// merge joins journal rows and listed intents, de-duplicated by intent id:
// the journal row wins and Stripe's status refreshes it (see refresh).
// Stripe listings that failed contribute nothing. The result is unsorted
// and reuses jrows' array.
func merge(jrows []Row, ls []listed) []Row {
	out := jrows[:0] // filtered in place: the write index never passes the read index
	byIntent := make(map[string]int, len(jrows))
	bySale := make(map[string]bool, len(jrows))
	for _, r := range jrows {
		if r.SaleID != "" {
			if bySale[r.SaleID] {
				continue
			}
			bySale[r.SaleID] = true
		}
		if r.IntentID != "" {
			byIntent[r.IntentID] = len(out)
		}
		out = append(out, r)
	}
	for _, l := range ls {
		for _, in := range l.intents {
			if i, ok := byIntent[in.ID]; ok {
				if out[i].IntentStatus == "" {
					refresh(&out[i], in)
				}
				continue
			}
			byIntent[in.ID] = len(out)
			out = append(out, rowFromIntent(in, l.seller.ID, l.seller.DisplayName))
		}
	}
	return out
}

// sortRows orders newest first; ties by intent id, then sale id, descending.
func sortRows(rows []Row) {
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := &rows[i], &rows[j]
		if !a.Created.Equal(b.Created) {
			return a.Created.After(b.Created)
		}
		if a.IntentID != b.IntentID {
			return a.IntentID > b.IntentID
		}
		return a.SaleID > b.SaleID
	})
}

// enrich reads, with GetIntent, the charge of rows[i] for each i in idx
// (concurrently, bounded) and applies card and refunded amount.
func (s *Searcher) enrich(ctx context.Context, rows []Row, idx []int) []error {
	errs := make([]error, len(idx))
	forEach(len(idx), s.conc(), func(k int) {
		r := &rows[idx[k]]
		in, err := s.Payments.GetIntent(ctx, r.Account(), r.IntentID)
		if err != nil {
			errs[k] = &FetchError{Seller: r.Seller, Name: r.SellerName, Op: OpGetIntent, IntentID: r.IntentID, Err: err}
			return
		}
		applyCharge(r, in.LatestCharge)
	})
	var out []error
	for _, e := range errs {
		if e != nil {
			out = append(out, e)
		}
	}
	return out
}
