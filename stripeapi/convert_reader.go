package stripeapi

import (
	"github.com/stripe/stripe-go/v76"

	"kasse/pos"
)

// toReader converts a reader. tips indexes the raw response the reader came
// from, so that an expanded action intent gets its tip right.
//
// The expanded intent's Account is set to owner: the reader's response does
// not say which account the intent lives on. For platform-owned readers
// processing a seller's intent, the caller knows the seller and should read
// the intent with GetIntent(seller, …) when it needs the account-true view.
func toReader(r *stripe.TerminalReader, owner pos.Account, tips tipIndex) pos.Reader {
	out := pos.Reader{
		ID:              r.ID,
		Owner:           owner,
		Label:           r.Label,
		DeviceType:      string(r.DeviceType),
		Status:          r.Status,
		SerialNumber:    r.SerialNumber,
		SoftwareVersion: r.DeviceSwVersion,
		IPAddress:       r.IPAddress,
		Metadata:        r.Metadata,
		RequestID:       requestID(r.APIResource),
	}
	if r.Location != nil {
		out.LocationID = r.Location.ID
	}
	if a := r.Action; a != nil {
		act := &pos.ReaderAction{
			Type:           string(a.Type),
			Status:         string(a.Status),
			FailureCode:    a.FailureCode,
			FailureMessage: a.FailureMessage,
		}
		if ppi := a.ProcessPaymentIntent; ppi != nil && ppi.PaymentIntent != nil {
			act.PaymentIntentID = ppi.PaymentIntent.ID
			if isExpanded(ppi.PaymentIntent.Object) {
				in := toIntent(ppi.PaymentIntent, owner, tips)
				in.RequestID = out.RequestID // same response
				act.Intent = &in
			}
		}
		if psi := a.ProcessSetupIntent; psi != nil {
			act.GeneratedCard = psi.GeneratedCard
			if psi.SetupIntent != nil {
				act.SetupIntentID = psi.SetupIntent.ID
			}
		}
		if d := a.SetReaderDisplay; d != nil && d.Cart != nil {
			act.Display = toDisplayCart(d.Cart)
		}
		out.Action = act
	}
	return out
}

// toDisplayCart converts the cart a set_reader_display action shows.
func toDisplayCart(c *stripe.TerminalReaderActionSetReaderDisplayCart) *pos.DisplayCart {
	d := &pos.DisplayCart{Currency: string(c.Currency), Tax: c.Tax, Total: c.Total}
	for _, l := range c.LineItems {
		if l != nil {
			d.Lines = append(d.Lines, pos.CartLine{Description: l.Description, Quantity: l.Quantity, Amount: l.Amount})
		}
	}
	return d
}

// readerResult converts the reader a single-object call returned.
func readerResult(r *stripe.TerminalReader, owner pos.Account) pos.Reader {
	return toReader(r, owner, tipsFrom(rawJSON(r.APIResource)))
}

// intentResult converts the intent a single-object call returned.
func intentResult(pi *stripe.PaymentIntent, acct pos.Account) pos.Intent {
	return toIntent(pi, acct, tipsFrom(rawJSON(pi.APIResource)))
}
