package reports

import (
	"context"
	"errors"
	"fmt"
	"time"

	"kasse/journal"
	"kasse/pos"
)

// DayPeriod is the calendar day of t in loc: [midnight, next midnight).
func DayPeriod(t time.Time, loc *time.Location) Period {
	t = t.In(loc)
	from := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
	return Period{From: from, To: from.AddDate(0, 0, 1), Label: from.Format(time.DateOnly)}
}

// ParseDay reads "YYYY-MM-DD" as that day in loc.
func ParseDay(date string, loc *time.Location) (Period, error) {
	d, err := time.ParseInLocation(time.DateOnly, date, loc)
	if err != nil {
		return Period{}, fmt.Errorf("date %q: use YYYY-MM-DD", date)
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
		return Period{}, fmt.Errorf("shift start: %w", err)
	}
	e, err := clock(end)
	if err != nil {
		return Period{}, fmt.Errorf("shift end: %w", err)
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
		return 0, fmt.Errorf("%q: use HH:MM (24-hour)", s)
	}
	return t.Hour()*60 + t.Minute(), nil
}

// EndOfDay builds the report of period p for one seller ("" = all).
//
// Sales: every transaction created in p, from the journal (this console)
// and from Stripe (the intents listed per seller), merged as Search merges
// them. The adapter lists intents with their latest charge expanded; an
// approved Stripe row that still lacks a card brand has its charge read
// with GetIntent.
//
// Refunds (created in p): the journal is the source of truth for the
// refunds this console recorded, whatever sale they refund; Stripe
// (ListRefunds per intent) for the approved intents of p that are not this
// console's sales, minus refunds the journal already has. Not counted:
// refunds made in p elsewhere (Dashboard, another console) of this
// console's sales, and refunds made elsewhere in p of sales made before p.
//
// Stripe failures do not fail the report: they are listed in
// Report.Partial. An error is returned for a failing journal only.
func (s *Searcher) EndOfDay(ctx context.Context, p Period, seller pos.Account) (Report, error) {
	if !p.From.Before(p.To) {
		return Report{}, errors.New("end of day: the period is empty")
	}
	sellers, names, partial := s.sellerSet(ctx, seller)
	ls := s.listIntents(ctx, sellers, p.From, p.To, orDefault(s.EODListCap, DefaultEODListCap))
	for _, l := range ls {
		if l.err != nil {
			partial = append(partial, &FetchError{Seller: l.seller.ID, Name: l.seller.DisplayName, Op: "list intents", Err: l.err})
		}
	}
	var jrows []Row
	if s.Journal != nil {
		f := journal.SaleRowFilter{From: p.From, To: p.To, ConsoleID: s.ConsoleID, Seller: seller,
			ExcludeStates: []pos.SaleState{pos.SaleDraft}}
		err := s.Journal.EachSaleRow(ctx, f, func(r journal.SaleRow) error {
			jrows = append(jrows, rowFromJournal(r, names[r.Seller]))
			return nil
		})
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

	refunds, err := s.journalRefunds(ctx, p, seller, names)
	if err != nil {
		return Report{}, err
	}
	more2, errs := s.stripeRefunds(ctx, p, rows, refunds)
	refunds = append(refunds, more2...)
	partial = append(partial, errs...)

	rep := Aggregate(rows, refunds)
	rep.Period, rep.Partial = p, partial
	return rep, nil
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
		e := RefundEntry{Source: SourceJournal, ID: r.RefundID, KasseID: r.ID, Seller: r.Seller,
			SellerName: names[r.Seller], IntentID: r.IntentID, Amount: r.Amount, Currency: r.Currency, Created: r.CreatedAt}
		switch r.State {
		case pos.RefundSucceeded, pos.RefundPending:
		case pos.RefundRecorded, pos.RefundSent, pos.RefundUnknown:
			e.Unsettled = true
		default:
			return nil
		}
		out = append(out, e)
		return nil
	})
	return out, err
}

// stripeRefunds reads, for the approved rows only Stripe knows, the card
// (GetIntent, when unknown) and the refunds created in p that the journal
// does not have. Approved journal rows without a card (their status came
// from Stripe) get their card read too.
func (s *Searcher) stripeRefunds(ctx context.Context, p Period, rows []Row, have []RefundEntry) ([]RefundEntry, []error) {
	if s.Payments == nil {
		return nil, nil
	}
	var cards, lists []int
	for i := range rows {
		r := &rows[i]
		if r.Status != StatusApproved || r.IntentID == "" {
			continue
		}
		if r.Card.Brand == "" && (r.ChargeID != "" || r.Source == SourceStripe) {
			cards = append(cards, i)
		}
	}
	errs := s.enrich(ctx, rows, cards)
	for i := range rows {
		r := &rows[i]
		if r.Status == StatusApproved && r.Source == SourceStripe && (!r.RefundedKnown || r.Refunded > 0) {
			lists = append(lists, i)
		}
	}
	known := map[string]bool{}
	for _, e := range have {
		if e.ID != "" {
			known[e.ID] = true
		}
		if e.KasseID != "" {
			known["kasse:"+e.KasseID] = true
		}
	}
	found := make([][]RefundEntry, len(lists))
	ferrs := make([]error, len(lists))
	forEach(len(lists), s.conc(), func(k int) {
		r := rows[lists[k]]
		refunds, err := s.Payments.ListRefunds(ctx, r.Seller, r.IntentID)
		if err != nil {
			ferrs[k] = &FetchError{Seller: r.Seller, Name: r.SellerName, Op: "list refunds", IntentID: r.IntentID, Err: err}
			return
		}
		for _, rf := range refunds {
			if rf.Status != "succeeded" && rf.Status != "pending" || rf.Created.Before(p.From) || !rf.Created.Before(p.To) {
				continue
			}
			if known[rf.ID] || rf.Metadata["kasse_refund_id"] != "" && known["kasse:"+rf.Metadata["kasse_refund_id"]] {
				continue
			}
			cur := rf.Currency
			if cur == "" {
				cur = r.Currency
			}
			found[k] = append(found[k], RefundEntry{Source: SourceStripe, ID: rf.ID, Seller: r.Seller, SellerName: r.SellerName,
				IntentID: r.IntentID, Amount: rf.Amount, Currency: cur, Created: rf.Created})
		}
	})
	var out []RefundEntry
	for k := range lists {
		out = append(out, found[k]...)
		if ferrs[k] != nil {
			errs = append(errs, ferrs[k])
		}
	}
	return out, errs
}
