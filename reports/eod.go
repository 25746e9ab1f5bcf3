package reports

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"kasse/i18n"
	"kasse/journal"
	"kasse/pos"
)

// DayPeriod is the calendar day of t in loc: [midnight, next midnight).
func DayPeriod(t time.Time, loc *time.Location) Period {
	t = t.In(loc)
	from := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
	return Period{From: from, To: from.AddDate(0, 0, 1), Label: from.Format(time.DateOnly)}
}

// ErrPeriod: a date, a shift's time or a period Kasse cannot read (the
// error is catalogued: its message says what to type).
var ErrPeriod = errors.New("bad period")

// ParseDay reads "YYYY-MM-DD" as that day in loc.
func ParseDay(date string, loc *time.Location) (Period, error) {
	d, err := time.ParseInLocation(time.DateOnly, date, loc)
	if err != nil {
		return Period{}, &i18n.Error{Kind: ErrPeriod, Msg: i18n.M("cli.reports.bad_date", i18n.Args{"Value": strconv.Quote(date)})}
	}
	return DayPeriod(d, loc), nil
}

// ParseShift reads a shift on date from start to end ("HH:MM", 24-hour) in
// loc. An end at or before the start ends on the next day (a night shift).
func ParseShift(date, start, end string, loc *time.Location) (Period, error) {
	day, err := ParseDay(date, loc)
	if err != nil {
		return Period{}, err
	}
	s, err := clock(start)
	if err != nil {
		return Period{}, &i18n.Error{Kind: ErrPeriod, Msg: i18n.M("cli.reports.bad_shift_start", i18n.Args{"Value": strconv.Quote(start)})}
	}
	e, err := clock(end)
	if err != nil {
		return Period{}, &i18n.Error{Kind: ErrPeriod, Msg: i18n.M("cli.reports.bad_shift_end", i18n.Args{"Value": strconv.Quote(end)})}
	}
	d := day.From
	from := time.Date(d.Year(), d.Month(), d.Day(), s/60, s%60, 0, 0, loc)
	to := time.Date(d.Year(), d.Month(), d.Day(), e/60, e%60, 0, 0, loc)
	if e <= s {
		to = time.Date(d.Year(), d.Month(), d.Day()+1, e/60, e%60, 0, 0, loc)
	}
	return Period{From: from, To: to, Label: day.Label + " " + start + "–" + end}, nil
}

// clock reads "HH:MM" as minutes after midnight.
func clock(s string) (int, error) {
	t, err := time.Parse("15:04", s)
	if err != nil || len(s) != 5 {
		return 0, ErrPeriod
	}
	return t.Hour()*60 + t.Minute(), nil
}

// EndOfDay builds the report of period p for one seller ("" = all).
//
// Sales: every transaction created in p, from the journal (this console)
// and from Stripe (the intents listed per seller), merged as Search merges
// them. The adapter lists intents with their latest charge expanded; an
// approved row that still lacks a card brand has its charge read with
// GetIntent.
//
// Refunds: every refund created in p, whatever sale it refunds and
// wherever it was made. The journal is the source of truth for the refunds
// this console recorded; Stripe (ListRefundsCreated, one listing per
// seller) adds every other one — made in the Dashboard, at another
// console, of a sale of an earlier day — leaving out those the journal
// holds (by re_ id or metadata kasse_refund_id, whatever their journal
// date).
//
// Stripe failures do not fail the report: they are listed in
// Report.Partial. An error is returned for a failing journal only.
//
// The journal sums its own refunds (journal.RefundTotals) and sales
// (journal.SaleTotals) but for the sales the report must see one by one:
// those of listed intents (merged with Stripe's view) and approved sales
// whose card is still to be read.
func (s *Searcher) EndOfDay(ctx context.Context, p Period, seller pos.Account) (Report, error) {
	return s.endOfDay(ctx, p, seller, true)
}

// endOfDay is EndOfDay; without journalSums every journal sale and refund
// is read and counted as a row (what the journal's sums must equal).
func (s *Searcher) endOfDay(ctx context.Context, p Period, seller pos.Account, journalSums bool) (Report, error) {
	if !p.From.Before(p.To) {
		return Report{}, &i18n.Error{Kind: ErrPeriod, Msg: i18n.M("cli.reports.empty_period")}
	}
	limit := orDefault(s.EODListCap, DefaultEODListCap)
	sellers, names, partial := s.sellerSet(ctx, seller)
	ls := s.listIntents(ctx, sellers, p.From, p.To, limit)
	for _, l := range ls {
		if l.err != nil {
			partial = append(partial, &FetchError{Seller: l.seller.ID, Name: l.seller.DisplayName, Op: OpListIntents, Err: l.err})
		}
	}
	var jrows []Row
	var sums []journal.SaleTotal
	if s.Journal != nil {
		var err error
		if journalSums {
			sums, jrows, err = s.journalSums(ctx, p, seller, ls, names)
		} else {
			jrows, err = s.journalSales(ctx, p, seller, names)
		}
		if err != nil {
			return Report{}, err
		}
	}
	more, err := s.journalByIntent(ctx, ls, jrows, names)
	if err != nil {
		return Report{}, err
	}
	rows := merge(append(jrows, more...), ls)
	q := Query{From: p.From, To: p.To, Seller: seller}
	kept := rows[:0]
	for _, r := range rows {
		if matches(&r, q) {
			kept = append(kept, r)
		}
	}
	rows = kept
	partial = append(partial, s.enrichCards(ctx, rows)...)

	var refunds []RefundEntry
	var refundSums []journal.RefundTotal
	if s.Journal != nil && journalSums {
		f := journal.RefundTotalsFilter{From: p.From, To: p.To, ConsoleID: s.ConsoleID, Seller: seller}
		refundSums, err = s.Journal.RefundTotals(ctx, f)
	} else {
		refunds, err = s.journalRefunds(ctx, p, seller, names)
	}
	if err != nil {
		return Report{}, err
	}
	known := knownPayments(ls)
	platform, perrs := s.platformRefunds(ctx, p, sellers, known, limit)
	partial = append(partial, perrs...)
	more2, direct, errs, err := s.stripeRefunds(ctx, p, sellers, limit, platform)
	if err != nil {
		return Report{}, err
	}
	refunds = append(refunds, more2...)
	partial = append(partial, errs...)
	connect, cerrs := s.connectFigures(ctx, p, sellers, rows, direct, platform, known, limit)
	partial = append(partial, cerrs...)

	a := newAggregator()
	a.addRows(rows)
	a.addSaleTotals(sums, names)
	a.addRefunds(refunds)
	a.addRefundTotals(refundSums, names)
	a.addConnect(connect, names)
	rep := a.build()
	rep.Period, rep.Partial = p, partial
	return rep, nil
}

// journalSales are the rows of this console's sales created in p that a
// report counts: no drafts, nothing that never reached Stripe.
func (s *Searcher) journalSales(ctx context.Context, p Period, seller pos.Account, names map[pos.Account]string) ([]Row, error) {
	var out []Row
	f := journal.SaleRowFilter{From: p.From, To: p.To, ConsoleID: s.ConsoleID, Seller: seller,
		ExcludeStates: []pos.SaleState{pos.SaleDraft}, ReachedStripe: true}
	err := s.Journal.EachSaleRow(ctx, f, func(r journal.SaleRow) error {
		out = append(out, rowFromJournal(r, names[r.Seller]))
		return nil
	})
	return out, err
}

// journalSums are the same sales as journalSales, summed by the journal,
// but for those set apart as rows: the sales of intents Stripe listed
// (merge refreshes them) and, when Stripe can be asked, the approved ones
// whose card is to be read (enrichCards). Nothing else touches the other
// sales' figures, so their sums count as their rows would.
func (s *Searcher) journalSums(ctx context.Context, p Period, seller pos.Account, ls []listed, names map[pos.Account]string) ([]journal.SaleTotal, []Row, error) {
	f := journal.SaleTotalsFilter{From: p.From, To: p.To, ConsoleID: s.ConsoleID, Seller: seller,
		ApartUncarded: s.Payments != nil}
	for _, l := range ls {
		for _, in := range l.intents {
			f.ApartIntents = append(f.ApartIntents, in.ID)
		}
	}
	sums, apart, err := s.Journal.SaleTotals(ctx, f)
	if err != nil {
		return nil, nil, err
	}
	rows := make([]Row, len(apart))
	for i, r := range apart {
		rows[i] = rowFromJournal(r, names[r.Seller])
	}
	return sums, rows, nil
}

// journalRefunds are this console's refunds created in p: succeeded and
// pending ones count, recorded/sent/unknown ones are unsettled, drafts and
// failed ones are left out.
func (s *Searcher) journalRefunds(ctx context.Context, p Period, seller pos.Account, names map[pos.Account]string) ([]RefundEntry, error) {
	if s.Journal == nil {
		return nil, nil
	}
	var out []RefundEntry
	f := journal.RefundRowFilter{From: p.From, To: p.To, ConsoleID: s.ConsoleID, Seller: seller}
	err := s.Journal.EachRefundRow(ctx, f, func(r journal.RefundRow) error {
		counts, unsettled := refundCounts(r.State)
		if counts {
			out = append(out, RefundEntry{Source: SourceJournal, ID: r.RefundID, KasseID: r.ID, Seller: r.Seller,
				SellerName: names[r.Seller], IntentID: r.IntentID, Amount: r.Amount, Currency: r.Currency, Created: r.CreatedAt,
				Unsettled: unsettled})
		}
		return nil
	})
	return out, err
}

// refundCounts says whether a journal refund in state st counts in a
// report, and whether as unsettled: succeeded and pending ones count;
// recorded, sent and unknown ones are unsettled; drafts and failed ones
// do not count.
func refundCounts(st pos.RefundState) (counts, unsettled bool) {
	switch st {
	case pos.RefundSucceeded, pos.RefundPending:
		return true, false
	case pos.RefundRecorded, pos.RefundSent, pos.RefundUnknown:
		return true, true
	}
	return false, false
}

// enrichCards reads the card (GetIntent) of the approved rows that lack
// its brand: Stripe rows, and journal rows whose charge is known.
func (s *Searcher) enrichCards(ctx context.Context, rows []Row) []error {
	if s.Payments == nil {
		return nil
	}
	var cards []int
	for i := range rows {
		r := &rows[i]
		if r.Status == StatusApproved && r.Kind != KindTest && r.IntentID != "" && r.Card.Brand == "" &&
			(r.ChargeID != "" || r.Source == SourceStripe) {
			cards = append(cards, i)
		}
	}
	return s.enrich(ctx, rows, cards)
}

// stripeRefunds lists, per seller, the refunds created in p that count
// (succeeded, pending) and, with the platform's refunds attributed to
// sellers (platformRefunds), returns those this console's journal does not
// hold as entries; direct is every counted refund of the sellers' own
// listings. A listing that fails or stops at its cap is reported in the
// errors; an error is returned for a failing journal only.
func (s *Searcher) stripeRefunds(ctx context.Context, p Period, sellers []pos.Seller, limit int, platform []platformRefund) (
	out []RefundEntry, direct []pos.Refund, errs []error, err error) {
	if s.Payments == nil {
		return nil, nil, nil, nil
	}
	f := pos.RefundFilter{CreatedFrom: ceilUnix(p.From), CreatedTo: lastUnixBefore(p.To), Limit: limit}
	found := make([][]pos.Refund, len(sellers))
	ferrs := make([]error, len(sellers))
	forEach(len(sellers), s.conc(), func(i int) {
		sl := sellers[i]
		list, err := s.Payments.ListRefundsCreated(ctx, sl.ID, f)
		if err == nil && limit > 0 && len(list) >= limit {
			err = errCapped
		}
		if err != nil {
			ferrs[i] = &FetchError{Seller: sl.ID, Name: sl.DisplayName, Op: OpListRefunds, Err: err}
		}
		for _, rf := range list {
			if (rf.Status == "succeeded" || rf.Status == "pending") && !transferRefund(rf) {
				found[i] = append(found[i], rf)
			}
		}
	})
	fromPlatform := make([]pos.Refund, len(platform))
	for i, rf := range platform {
		fromPlatform[i] = rf.Refund
	}
	known, err := s.journalKnows(ctx, append(found, fromPlatform))
	if err != nil {
		return nil, nil, nil, err
	}
	journalHolds := func(rf pos.Refund) bool {
		return known[rf.ID] || rf.Metadata["kasse_refund_id"] != "" && known["kasse:"+rf.Metadata["kasse_refund_id"]]
	}
	for i, sl := range sellers {
		for _, rf := range found[i] {
			rf.Account = sl.ID
			direct = append(direct, rf)
			if journalHolds(rf) {
				continue
			}
			out = append(out, RefundEntry{Source: SourceStripe, ID: rf.ID, Seller: sl.ID, SellerName: sl.DisplayName,
				IntentID: rf.IntentID, Amount: rf.Amount, Currency: rf.Currency, Created: rf.Created})
		}
		if ferrs[i] != nil {
			errs = append(errs, ferrs[i])
		}
	}
	for _, rf := range platform {
		if !journalHolds(rf.Refund) {
			out = append(out, RefundEntry{Source: SourceStripe, ID: rf.ID, Seller: rf.Seller, SellerName: rf.SellerName,
				IntentID: rf.IntentID, Amount: rf.Amount, Currency: rf.Currency, Created: rf.Created})
		}
	}
	return out, direct, errs, nil
}

// transferRefund reports whether a refund on a seller's account is the
// seller's side of a transfer reversal (a refund of the transfer's
// destination payment, py_…, with no PaymentIntent): money going back to
// the platform, not to a customer.
func transferRefund(rf pos.Refund) bool {
	return rf.IntentID == "" && strings.HasPrefix(rf.ChargeID, "py_")
}

// journalKnows is the set of refunds this console's journal holds among
// those of the listed refunds' intents, whatever their journal date: "re_…"
// ids and "kasse:<refund id>".
func (s *Searcher) journalKnows(ctx context.Context, found [][]pos.Refund) (map[string]bool, error) {
	known := map[string]bool{}
	if s.Journal == nil {
		return known, nil
	}
	seen := map[string]bool{}
	var intents []string
	for _, list := range found {
		for _, rf := range list {
			if rf.IntentID != "" && !seen[rf.IntentID] {
				seen[rf.IntentID] = true
				intents = append(intents, rf.IntentID)
			}
		}
	}
	const batch = 500 // bound the SQL parameter count
	for len(intents) > 0 {
		n := min(batch, len(intents))
		f := journal.RefundRowFilter{ConsoleID: s.ConsoleID, IntentIDs: intents[:n]}
		err := s.Journal.EachRefundRow(ctx, f, func(r journal.RefundRow) error {
			if r.RefundID != "" {
				known[r.RefundID] = true
			}
			known["kasse:"+r.ID] = true
			return nil
		})
		if err != nil {
			return nil, err
		}
		intents = intents[n:]
	}
	return known, nil
}
