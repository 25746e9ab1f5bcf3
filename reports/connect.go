package reports

import (
	"context"
	"errors"
	"time"

	"kasse/i18n"
	"kasse/pos"
)

// Platform fees and net to seller (end of day), for every Connect charge
// type, counted from Stripe's listings so that sales made elsewhere count
// too. Per seller and currency, over the report's period:
//
//	platform fees = application fees created − their refunds made
//	              + separate charges' shares (received − transferred)
//	              − what the platform paid of separate charges' refunds
//	                (refunds − transfer reversals)
//	              − destination charges' refunds made without reversing the
//	                seller's transfer (the platform paid them)
//	net to seller = gross − refunds − platform fees
//
// So for a direct or destination sale of 10.00 with a 0.30 fee, refunded
// 4.00 with the fee refunded in proportion (0.12): platform fees 0.18, net
// to seller 5.82 — what the seller keeps (before Stripe's processing fees,
// which this report does not show). Negative platform fees mean the
// platform paid out more than it took (a refund it carried).
//
// Sources: the platform's application fees and transfers created in the
// period (with their refunds and reversals), the platform's refunds
// created in the period (each attributed to the seller its payment was
// made for), and, for refunds of payments made before the period, the
// payment, its fee and its transfer read one by one (at most
// MaxCardLookups; the rest are reported in Partial).

// platformRefund is a refund of a payment that lives on the platform,
// attributed to the seller the payment was made for.
type platformRefund struct {
	pos.Refund
	Seller     pos.Account
	SellerName string
	Charge     pos.ChargeType
	Group      string // the payment's transfer_group (separate charges)
}

// connectTotals are one seller's platform-side figures in one currency.
type connectTotals struct {
	fees, feeRefunds         int64
	shares                   int64
	sepRefunds, sepReversals int64
	destUnreversed           int64
}

func (c connectTotals) platformFees() int64 {
	return c.fees - c.feeRefunds + c.shares - (c.sepRefunds - c.sepReversals) - c.destUnreversed
}

// payment is what a refund's attribution needs of its payment.
type payment struct {
	seller pos.Account
	charge pos.ChargeType
	group  string
	feeID  string
	chID   string
}

// platformRefunds lists the platform's refunds created in p that count
// (succeeded, pending) and attributes each to its payment's seller: from
// the period's listed intents, else its metadata (MetaSeller), else the
// payment read from Stripe (bounded by MaxCardLookups). Refunds of
// payments made for no seller, or for sellers outside the report, are
// left out.
func (s *Searcher) platformRefunds(ctx context.Context, p Period, sellers []pos.Seller, known map[string]payment, limit int) ([]platformRefund, []error) {
	if s.Payments == nil || s.Transfers == nil {
		return nil, nil
	}
	f := pos.RefundFilter{CreatedFrom: ceilUnix(p.From), CreatedTo: lastUnixBefore(p.To), Limit: limit}
	list, err := s.Payments.ListRefundsCreated(ctx, pos.Platform, f)
	if err == nil && limit > 0 && len(list) >= limit {
		err = errCapped
	}
	var errs []error
	if err != nil {
		errs = append(errs, &FetchError{Op: OpListRefunds, Err: err})
	}
	names := map[pos.Account]string{}
	for _, sl := range sellers {
		names[sl.ID] = sl.DisplayName
	}
	lookups := orDefault(s.MaxCardLookups, DefaultMaxCardLookups)
	var out []platformRefund
	for _, rf := range list {
		if rf.Status != "succeeded" && rf.Status != "pending" {
			continue
		}
		pay, ok := known[rf.IntentID]
		if !ok && rf.IntentID != "" && lookups > 0 {
			lookups--
			in, err := s.Payments.GetIntent(ctx, pos.Platform, rf.IntentID)
			if err != nil {
				errs = append(errs, &FetchError{Op: OpGetIntent, IntentID: rf.IntentID, Err: err})
			} else {
				pay, ok = paymentOf(in), true
				known[rf.IntentID] = pay
			}
		}
		if !ok {
			if sl := pos.Account(rf.Metadata[pos.MetaSeller]); sl != "" {
				pay, ok = payment{seller: sl, charge: pos.ChargeDestination}, true
			}
		}
		if _, inReport := names[pay.seller]; !ok || !inReport {
			continue
		}
		out = append(out, platformRefund{Refund: rf, Seller: pay.seller, SellerName: names[pay.seller], Charge: pay.charge, Group: pay.group})
	}
	return out, errs
}

func paymentOf(in pos.Intent) payment {
	p := payment{seller: pos.SellerOf(in), charge: pos.ChargeTypeOf(in), group: in.TransferGroup, chID: in.LatestChargeID}
	if c := in.LatestCharge; c != nil {
		p.feeID, p.chID = c.ApplicationFeeID, c.ID
	}
	return p
}

// knownPayments indexes the period's listed intents by id.
func knownPayments(ls []listed) map[string]payment {
	out := map[string]payment{}
	for _, l := range ls {
		for _, in := range l.intents {
			out[in.ID] = paymentOf(in)
		}
	}
	return out
}

// connectFigures computes each seller's platform fees in each currency
// (see the top of this file). rows are the period's transactions (for the
// separate charges' shares), direct the sellers' own refunds listed from
// Stripe, platform the platform's attributed refunds.
func (s *Searcher) connectFigures(ctx context.Context, p Period, sellers []pos.Seller, rows []Row, direct []pos.Refund,
	platform []platformRefund, known map[string]payment, limit int) (map[groupKey]*connectTotals, []error) {
	out := map[groupKey]*connectTotals{}
	if s.Transfers == nil || s.Payments == nil {
		return out, nil
	}
	in := func(t time.Time) bool { return !t.Before(p.From) && t.Before(p.To) }
	inReport := map[pos.Account]bool{}
	for _, sl := range sellers {
		inReport[sl.ID] = true
	}
	group := func(seller pos.Account, currency string) *connectTotals {
		if !inReport[seller] {
			return &connectTotals{} // another seller's: not this report's
		}
		k := groupKey{seller, lowerCurrency(currency)}
		if out[k] == nil {
			out[k] = &connectTotals{}
		}
		return out[k]
	}
	var errs []error
	lookups := orDefault(s.MaxCardLookups, DefaultMaxCardLookups)

	// Application fees: those created in the period, and those of the
	// period's refunds of earlier payments.
	ff := pos.FeeFilter{CreatedFrom: ceilUnix(p.From), CreatedTo: lastUnixBefore(p.To), Limit: limit}
	fees, err := s.Transfers.ListApplicationFees(ctx, ff)
	if err == nil && limit > 0 && len(fees) >= limit {
		err = errCapped
	}
	if err != nil {
		errs = append(errs, &FetchError{Op: OpListApplicationFees, Err: err})
	}
	seen := map[string]bool{}
	for _, f := range fees {
		seen[f.ID] = true
	}
	feeOf := func(pay payment) {
		if pay.feeID == "" || seen[pay.feeID] || lookups <= 0 {
			return
		}
		lookups--
		seen[pay.feeID] = true
		f, err := s.Transfers.GetApplicationFee(ctx, pay.feeID)
		if err != nil {
			errs = append(errs, &FetchError{Op: OpGetApplicationFee, Err: err})
			return
		}
		fees = append(fees, f)
	}
	for _, rf := range direct {
		pay, ok := known[rf.IntentID]
		if !ok && rf.IntentID != "" && lookups > 0 {
			lookups--
			got, err := s.Payments.GetIntent(ctx, rf.Account, rf.IntentID)
			if err != nil {
				errs = append(errs, &FetchError{Seller: rf.Account, Op: OpGetIntent, IntentID: rf.IntentID, Err: err})
				continue
			}
			pay = paymentOf(got)
			known[rf.IntentID] = pay
		}
		feeOf(pay)
	}
	for _, rf := range platform {
		feeOf(known[rf.IntentID])
	}
	for _, f := range fees {
		t := group(f.Account, f.Currency)
		if in(f.Created) {
			t.fees += f.Amount
		}
		for _, r := range f.Refunds {
			if in(r.Created) {
				t.feeRefunds += r.Amount
			}
		}
	}

	// Separate charges: shares of the period's sales, and what the
	// platform paid of the period's refunds.
	tf := pos.TransferFilter{CreatedFrom: ceilUnix(p.From), CreatedTo: lastUnixBefore(p.To), Limit: limit}
	transfers, err := s.Transfers.ListTransfers(ctx, tf)
	if err == nil && limit > 0 && len(transfers) >= limit {
		err = errCapped
	}
	if err != nil {
		errs = append(errs, &FetchError{Op: OpListTransfers, Err: err})
	}
	bySource, byGroup := map[string][]pos.Transfer{}, map[string][]pos.Transfer{}
	index := func(t pos.Transfer) {
		if t.SourceCharge != "" {
			bySource[t.SourceCharge] = append(bySource[t.SourceCharge], t)
		}
		if t.Group != "" {
			byGroup[t.Group] = append(byGroup[t.Group], t)
		}
	}
	for _, t := range transfers {
		index(t)
	}
	reversalsOf := map[string]bool{} // separate transfers whose reversals are counted
	countReversals := func(seller pos.Account, ts []pos.Transfer) {
		for _, t := range ts {
			if reversalsOf[t.ID] {
				continue
			}
			reversalsOf[t.ID] = true
			for _, rv := range t.Reversals {
				if in(rv.Created) {
					group(seller, t.Currency).sepReversals += rv.Amount
				}
			}
		}
	}
	for i := range rows {
		r := &rows[i]
		if r.Charge != pos.ChargeSeparate || r.Status != StatusApproved || r.Kind != KindSale {
			continue
		}
		ts := bySource[r.ChargeID]
		if len(ts) == 0 && r.SaleID != "" {
			ts = byGroup[pos.TransferGroupOf(r.SaleID)]
		}
		transferred := int64(0)
		for _, t := range ts {
			transferred += t.Amount
		}
		if len(ts) == 0 {
			errs = append(errs, &FetchError{Seller: r.Seller, Name: r.SellerName, Op: OpFindTransfer, IntentID: r.IntentID,
				Err: errNoTransfer})
		}
		group(r.Seller, r.Currency).shares += r.Amount - transferred
		countReversals(r.Seller, ts) // reversals in the period of the period's own sales
	}
	for _, rf := range platform {
		switch rf.Charge {
		case pos.ChargeSeparate:
			group(rf.Seller, rf.Currency).sepRefunds += rf.Amount
			ts := byGroup[rf.Group]
			if len(ts) == 0 && rf.Group != "" && lookups > 0 {
				lookups--
				got, err := s.Transfers.ListTransfers(ctx, pos.TransferFilter{Group: rf.Group, Limit: 10})
				if err != nil {
					errs = append(errs, &FetchError{Seller: rf.Seller, Name: rf.SellerName, Op: OpListTransfers, IntentID: rf.IntentID, Err: err})
				}
				for _, t := range got {
					index(t)
				}
				ts = byGroup[rf.Group]
			}
			countReversals(rf.Seller, ts)
		case pos.ChargeDestination:
			if rf.TransferReversal == "" {
				group(rf.Seller, rf.Currency).destUnreversed += rf.Amount
			}
		}
	}
	return out, errs
}

// errNoTransfer: a separate charge of the period has no transfer to its
// seller (yet): the platform holds the seller's part.
var errNoTransfer = &i18n.Error{Kind: errors.New("no transfer found"), Msg: i18n.M("cli.reports.no_transfer")}

func lowerCurrency(c string) string {
	b := []byte(c)
	for i, ch := range b {
		if ch >= 'A' && ch <= 'Z' {
			b[i] = ch + 'a' - 'A'
		}
	}
	return string(b)
}
