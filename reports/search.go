package reports

import (
	"context"
	"errors"
	"strconv"
	"time"

	"kasse/i18n"
	"kasse/journal"
	"kasse/pos"
)

// Searcher searches transactions and builds end-of-day reports across
// sellers: this console's sales from the journal, everything else from
// Stripe (PaymentIntents listed per seller). All fields but Journal or
// Payments may be left zero; with neither, nothing is found.
type Searcher struct {
	Journal  Journal // nil: Stripe only
	Sellers  pos.Sellers
	Payments pos.Payments // nil: journal only
	// Transfers reads the platform's transfers and application fees. With
	// it, the platform's own PaymentIntents (destination and separate
	// charges) are listed too, each counted for the seller it was made for,
	// and end of day computes platform fees and net to seller (connect.go);
	// nil: direct charges only, no platform fees.
	Transfers pos.Transfers
	ConsoleID string // journal rows of this console only; "" = every row in the journal

	// Concurrency bounds the Stripe calls in flight (DefaultConcurrency).
	Concurrency int
	// StripeListCap bounds the intents a search lists per seller when it
	// filters client-side (status, amount, last4) (DefaultStripeListCap).
	StripeListCap int
	// EODListCap bounds the intents EndOfDay lists per seller
	// (DefaultEODListCap); a seller that reaches it is reported in Partial.
	EODListCap int
	// MaxCardLookups bounds the GetIntent calls a last4 search makes to learn
	// the card of Stripe rows (DefaultMaxCardLookups).
	MaxCardLookups int

	Now      func() time.Time // time.Now when nil
	Location *time.Location   // time.Local when nil: what "today" means
}

// Query narrows Search. Zero fields do not filter.
type Query struct {
	// From and To bound the creation time, [From, To). Both zero means
	// today in Searcher.Location; one zero leaves that side open.
	From, To  time.Time
	Seller    pos.Account // "" = all sellers
	Status    Status      // "" = any
	MinAmount int64       // minor units, tip included; compared across currencies as is
	MaxAmount int64       // 0 = open
	Last4     string
	Refund    RefundFilter // "" = any
	Limit     int          // 0 = DefaultLimit; capped at MaxLimit
}

// RefundFilter narrows a search by what was refunded (Row.RefundState).
type RefundFilter string

// Refund filters.
const (
	RefundedNone   RefundFilter = "none"    // nothing refunded
	RefundedPartly RefundFilter = "partial" // part of the amount refunded
	RefundedFully  RefundFilter = "full"    // the whole amount refunded
)

// Search limits.
const (
	DefaultLimit = 100
	MaxLimit     = 1000
)

// Result is what Search found.
type Result struct {
	Rows []Row // newest first, at most Query.Limit
	// Partial holds a *FetchError for each seller whose Stripe listing (or
	// card lookup) failed: the rows of those sellers are journal rows only.
	Partial []error
	// From and To are the range searched (defaults resolved).
	From, To time.Time
	// Truncated: more rows may match (the limit was reached, or a seller
	// had more intents than were listed).
	Truncated bool
	// Unchecked counts rows that passed every other filter but were left
	// out of a last4 or refund search because their charge (card, amount
	// refunded) could not be read: ListIntents does not return it, and at
	// most MaxCardLookups charges are read per search.
	Unchecked int
}

func (s *Searcher) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Searcher) loc() *time.Location {
	if s.Location != nil {
		return s.Location
	}
	return time.Local
}

// ErrQuery: a search Normalize refuses (the error is catalogued: its
// message says what to change).
var ErrQuery = errors.New("bad query")

// Today is [midnight, next midnight) of the current day in the Searcher's
// location (23 or 25 hours long on DST changes).
func (s *Searcher) Today() (from, to time.Time) {
	n := s.now().In(s.loc())
	from = time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, s.loc())
	return from, from.AddDate(0, 0, 1)
}

// Normalize resolves the query's defaults: today's range and the limit.
func (s *Searcher) Normalize(q Query) (Query, error) {
	if q.From.IsZero() && q.To.IsZero() {
		q.From, q.To = s.Today()
	}
	if !q.From.IsZero() && !q.To.IsZero() && !q.From.Before(q.To) {
		return q, &i18n.Error{Kind: ErrQuery, Msg: i18n.M("cli.reports.bad_range", i18n.Args{"From": q.From.Format(time.RFC3339), "To": q.To.Format(time.RFC3339)})}
	}
	if q.MinAmount < 0 || q.MaxAmount < 0 || q.MaxAmount > 0 && q.MinAmount > q.MaxAmount {
		return q, &i18n.Error{Kind: ErrQuery, Msg: i18n.M("cli.reports.bad_amounts")}
	}
	if q.Last4 != "" && !isLast4(q.Last4) {
		return q, &i18n.Error{Kind: ErrQuery, Msg: i18n.M("cli.reports.bad_last4", i18n.Args{"Value": strconv.Quote(q.Last4)})}
	}
	if _, err := ParseStatus(string(q.Status)); err != nil {
		return q, err
	}
	switch q.Refund {
	case "", RefundedNone, RefundedPartly, RefundedFully:
	default:
		return q, &i18n.Error{Kind: ErrQuery, Msg: i18n.M("cli.reports.bad_refund_filter", i18n.Args{"Value": strconv.Quote(string(q.Refund))})}
	}
	switch {
	case q.Limit <= 0:
		q.Limit = DefaultLimit
	case q.Limit > MaxLimit:
		q.Limit = MaxLimit
	}
	return q, nil
}

func isLast4(s string) bool {
	if len(s) != 4 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// Search finds transactions matching q: the journal's sales of this console
// and the intents Stripe lists per seller (concurrently, at most
// Concurrency at a time), merged by intent id (the journal row wins; a
// newer Stripe status refreshes it), filtered, newest first.
//
// Stripe listings return no charge, so Stripe rows have no card and an
// unknown refunded amount; a last4 or refund search reads the charge of up
// to MaxCardLookups candidate rows with GetIntent and leaves the rest out
// (Result.Unchecked). An error is returned only for an invalid query
// or a failing journal; failing Stripe calls go to Result.Partial.
func (s *Searcher) Search(ctx context.Context, q Query) (Result, error) {
	q, err := s.Normalize(q)
	if err != nil {
		return Result{}, err
	}
	res := Result{From: q.From, To: q.To}
	sellers, names, partial := s.sellerSet(ctx, q.Seller)
	res.Partial = partial

	clientSide := q.Status != "" || q.MinAmount > 0 || q.MaxAmount > 0 || q.Last4 != "" || q.Refund != ""
	listLimit := q.Limit
	if clientSide {
		listLimit = max(orDefault(s.StripeListCap, DefaultStripeListCap), q.Limit)
	}
	ls := s.listIntents(ctx, sellers, q.From, q.To, listLimit)

	jrows, err := s.journalRows(ctx, q, names)
	if err != nil {
		return Result{}, err
	}
	more, err := s.journalByIntent(ctx, ls, jrows, names)
	if err != nil {
		return Result{}, err
	}
	for _, l := range ls {
		switch {
		case errors.Is(l.err, errCapped):
			res.Truncated = true
		case l.err != nil:
			res.Partial = append(res.Partial, &FetchError{Seller: l.seller.ID, Name: l.seller.DisplayName, Op: OpListIntents, Err: l.err})
		}
	}
	rows := merge(append(jrows, more...), ls)
	sortRows(rows) // before filtering: card lookups go to the newest rows
	rows, unchecked, errs := s.filterRows(ctx, rows, q)
	res.Partial = append(res.Partial, errs...)
	res.Unchecked = unchecked
	if len(rows) > q.Limit {
		rows, res.Truncated = rows[:q.Limit], true
	}
	if err := s.markDisputes(ctx, rows); err != nil { // disputes.go
		return Result{}, err
	}
	res.Rows = rows
	return res, nil
}

// journalRows runs the query against the journal. Sales that never
// reached Stripe (drafts, carts canceled before an intent existed, charges
// refused outright) are left out: nothing was charged. The journal holds
// no reader tests.
func (s *Searcher) journalRows(ctx context.Context, q Query, names map[pos.Account]string) ([]Row, error) {
	if s.Journal == nil || q.Status == StatusTest {
		return nil, nil
	}
	f := journal.SaleRowFilter{
		From: q.From, To: q.To, ConsoleID: s.ConsoleID, Seller: q.Seller,
		MinAmount: q.MinAmount, MaxAmount: q.MaxAmount, Last4: q.Last4,
		WithRefunded: true, ReachedStripe: true, Limit: q.Limit + 1, // one more: Truncated
	}
	if q.Refund != "" { // filtered after the read: read more than the limit
		f.Limit = max(orDefault(s.StripeListCap, DefaultStripeListCap), q.Limit)
	}
	if q.Status != "" {
		filterStatus(&f, q.Status)
	} else {
		f.ExcludeStates = []pos.SaleState{pos.SaleDraft}
	}
	var out []Row
	err := s.Journal.EachSaleRow(ctx, f, func(r journal.SaleRow) error {
		out = append(out, rowFromJournal(r, names[r.Seller]))
		return nil
	})
	return out, err
}

// matches applies every filter of q but last4 and refund.
func matches(r *Row, q Query) bool {
	switch {
	case r.Source == SourceJournal && !reachedStripe(r):
		return false
	case !q.From.IsZero() && r.Created.Before(q.From), !q.To.IsZero() && !r.Created.Before(q.To):
		return false
	case q.Seller != "" && r.Seller != q.Seller:
		return false
	case q.Status == StatusTest && r.Kind != KindTest:
		return false
	case q.Status != "" && q.Status != StatusTest && (r.Kind == KindTest || r.Status != q.Status):
		return false
	case r.Amount < q.MinAmount, q.MaxAmount > 0 && r.Amount > q.MaxAmount:
		return false
	}
	return true
}

// reachedStripe reports whether a journal sale may have reached Stripe: it
// has a PaymentIntent, or is still open (a create whose outcome is not
// known yet may have created one). journal.SaleRowFilter.ReachedStripe.
func reachedStripe(r *Row) bool {
	switch {
	case r.IntentID != "":
		return true
	case r.JournalState == pos.SaleDraft, r.JournalState == pos.SaleCanceled, r.JournalState == pos.SaleFailed:
		return false
	}
	return true
}

// filterRows keeps the rows matching q. For a last4 or refund search, rows
// whose charge is needed but unknown are looked up (bounded, newest first);
// the rest are counted as unchecked and left out.
func (s *Searcher) filterRows(ctx context.Context, rows []Row, q Query) ([]Row, int, []error) {
	kept := rows[:0]
	var lookup []int
	for _, r := range rows {
		if !matches(&r, q) {
			continue
		}
		if q.Last4 != "" && r.Card.Last4 == "" || q.Refund != "" && !r.RefundedKnown {
			if r.ChargeID == "" || s.Payments == nil {
				continue // no charge: no card was ever read, nothing to look up
			}
			lookup = append(lookup, len(kept))
		}
		kept = append(kept, r)
	}
	if q.Last4 == "" && q.Refund == "" {
		return kept, 0, nil
	}
	unchecked := max(len(lookup)-orDefault(s.MaxCardLookups, DefaultMaxCardLookups), 0)
	errs := s.enrich(ctx, kept, lookup[:len(lookup)-unchecked])
	unchecked += len(errs)
	out := kept[:0]
	for _, r := range kept {
		if (q.Last4 == "" || r.Card.Last4 == q.Last4) && (q.Refund == "" || r.RefundState() == q.Refund) {
			out = append(out, r)
		}
	}
	return out, unchecked, errs
}

func orDefault(n, def int) int {
	if n > 0 {
		return n
	}
	return def
}
