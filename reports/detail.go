package reports

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"kasse/journal"
	"kasse/pos"
)

// Detail is everything known about one PaymentIntent.
type Detail struct {
	Intent  pos.Intent   // read now, latest charge expanded (Intent.Account: where it lives)
	Charge  *pos.Charge  // Intent.LatestCharge; nil when there is none
	Refunds []pos.Refund // every refund of the intent on Stripe, oldest first
	// Refundable is what can still be refunded (pos.RefundableFromIntent);
	// 0 with NotRefundable saying why when nothing can be.
	Refundable    int64
	NotRefundable string
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
		return d, errors.New("detail: no payment intent id")
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
		return d, errors.New("detail: no Stripe access configured")
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
		return d, &FetchError{Seller: seller, Op: "get intent", IntentID: intentID, Err: err}
	}
	if acct.IsPlatform() && !seller.IsPlatform() && pos.SellerOf(in) != seller {
		return d, &FetchError{Seller: seller, Op: "get intent", IntentID: intentID,
			Err: fmt.Errorf("the payment was made for %s, not this seller", pos.SellerOf(in).String())}
	}
	d.Intent, d.Charge = in, in.LatestCharge
	refundable, rerr := pos.RefundableFromIntent(in)
	switch {
	case rerr != nil:
		d.NotRefundable = rerr.Error()
	case refundable == 0:
		d.NotRefundable = "nothing left to refund: the payment is fully refunded"
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
		return d, &FetchError{Seller: seller, Op: "list refunds", IntentID: intentID, Err: err}
	}
	sort.SliceStable(refunds, func(i, j int) bool { return refunds[i].Created.Before(refunds[j].Created) })
	d.Refunds = refunds
	return d, nil
}
