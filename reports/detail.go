package reports

import (
	"context"
	"errors"
	"sort"

	"kasse/i18n"
	"kasse/journal"
	"kasse/pos"
)

// Failures of Detail before any request.
var (
	errNoIntent = errors.New("no payment intent id")
	errNoStripe = errors.New("no Stripe access configured")
	// errOtherSeller: the platform's payment was made for another seller.
	errOtherSeller = errors.New("the payment was made for another seller")
)

// WhyNotRefundable words pos.RefundableFromIntent's refusal of in (err)
// for people: what the payment is, and what to do instead.
func WhyNotRefundable(in pos.Intent, err error) i18n.Message {
	a := i18n.Args{"Intent": in.ID, "Status": in.Status}
	switch {
	case errors.Is(err, pos.ErrUncaptured) && in.Status == pos.IntentRequiresCapture:
		return i18n.M("cli.reports.not_refundable.authorized", a)
	case errors.Is(err, pos.ErrUncaptured):
		return i18n.M("cli.reports.not_refundable.uncaptured", a)
	case errors.Is(err, pos.ErrNotRefundable) && in.Status != pos.IntentSucceeded:
		return i18n.M("cli.reports.not_refundable.status", a)
	case errors.Is(err, pos.ErrNotRefundable):
		return i18n.M("cli.reports.not_refundable.unloaded", a)
	}
	return i18n.M("cli.reports.not_refundable.other", i18n.Args{"Error": err})
}

// Detail is everything known about one PaymentIntent.
type Detail struct {
	Intent  pos.Intent   // read now, latest charge expanded (Intent.Account: where it lives)
	Charge  *pos.Charge  // Intent.LatestCharge; nil when there is none
	Refunds []pos.Refund // every refund of the intent on Stripe, oldest first
	// Refundable is what can still be refunded (pos.RefundableFromIntent);
	// 0 with NotRefundable saying why when nothing can be (a message for
	// the reader's language; its ID is "" when the payment is refundable).
	Refundable    int64
	NotRefundable i18n.Message
	// Journal is this console's record of the sale (nil when the sale was
	// made elsewhere); JournalRefunds are the refunds this console recorded
	// for the intent, including those whose outcome is still unsettled.
	Journal        *journal.SaleRecord
	JournalRefunds []journal.RefundRecord
	// Dispute is the payment's dispute, when the journal knows one (a
	// chargeback not won makes NotRefundable say so).
	Dispute *pos.Dispute
}

// Detail reads the intent (with its charge) and its refunds from Stripe and
// the journal's record of it. When Stripe cannot be read, the journal part
// is returned along with the error.
func (s *Searcher) Detail(ctx context.Context, seller pos.Account, intentID string) (Detail, error) {
	var d Detail
	if intentID == "" {
		return d, &i18n.Error{Kind: errNoIntent, Msg: i18n.M("cli.reports.no_intent_id")}
	}
	if s.Journal != nil {
		recs, err := s.Journal.ListSales(ctx, journal.SaleFilter{IntentID: intentID, Limit: 1})
		if err != nil {
			return d, err
		}
		if len(recs) > 0 {
			d.Journal = &recs[0]
		}
		d.JournalRefunds, err = s.Journal.ListRefunds(ctx, journal.RefundFilter{IntentID: intentID, Limit: journal.MaxLimit})
		if err != nil {
			return d, err
		}
	}
	if s.Payments == nil {
		return d, &i18n.Error{Kind: errNoStripe, Msg: i18n.M("cli.reports.no_stripe")}
	}
	acct, other := seller, pos.Platform // a seller's payment: on its account, or a platform one made for it
	if d.Journal != nil && d.Journal.Sale.Charge.OnPlatform() || seller.IsPlatform() {
		acct, other = pos.Platform, seller
	}
	in, err := s.Payments.GetIntent(ctx, acct, intentID)
	if pos.IsKind(err, pos.KindNotFound) && s.Transfers != nil && acct != other {
		acct = other
		in, err = s.Payments.GetIntent(ctx, acct, intentID)
	}
	if err != nil {
		return d, &FetchError{Seller: seller, Op: OpGetIntent, IntentID: intentID, Err: err}
	}
	if acct.IsPlatform() && !seller.IsPlatform() && pos.SellerOf(in) != seller {
		return d, &FetchError{Seller: seller, Op: OpGetIntent, IntentID: intentID,
			Err: &i18n.Error{Kind: errOtherSeller, Msg: i18n.M("cli.reports.other_sellers_payment", i18n.Args{"Other": pos.SellerOf(in).String()})}}
	}
	d.Intent, d.Charge = in, in.LatestCharge
	refundable, rerr := pos.RefundableFromIntent(in)
	switch {
	case rerr != nil:
		d.NotRefundable = WhyNotRefundable(in, rerr)
	case refundable == 0:
		d.NotRefundable = i18n.M("cli.reports.fully_refunded")
	}
	d.Refundable = refundable
	if err := s.detailDispute(ctx, &d); err != nil { // disputes.go
		return d, err
	}
	if in.LatestChargeID == "" && in.LatestCharge == nil {
		return d, nil // never charged: no refunds can exist
	}
	refunds, err := s.Payments.ListRefunds(ctx, acct, intentID)
	if err != nil {
		return d, &FetchError{Seller: seller, Op: OpListRefunds, IntentID: intentID, Err: err}
	}
	sort.SliceStable(refunds, func(i, j int) bool { return refunds[i].Created.Before(refunds[j].Created) })
	d.Refunds = refunds
	return d, nil
}
