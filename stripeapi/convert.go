package stripeapi

import (
	"strings"
	"time"

	"github.com/stripe/stripe-go/v76"

	"kasse/pos"
)

// unix converts a Stripe timestamp; 0 stays the zero time.
func unix(sec int64) time.Time {
	if sec == 0 {
		return time.Time{}
	}
	return time.Unix(sec, 0).UTC()
}

// isExpanded reports whether an expandable field holds the whole object
// rather than just its id (stripe-go fills only ID for an unexpanded one).
func isExpanded(object string) bool { return object != "" }

// requestID is the Request-Id of the response a resource was decoded from.
func requestID(r stripe.APIResource) string {
	if r.LastResponse == nil {
		return ""
	}
	return r.LastResponse.RequestID
}

// rawJSON is the body of the response a resource was decoded from.
func rawJSON(r stripe.APIResource) []byte {
	if r.LastResponse == nil {
		return nil
	}
	return r.LastResponse.RawJSON
}

func toIntent(pi *stripe.PaymentIntent, acct pos.Account, tips tipIndex) pos.Intent {
	in := pos.Intent{
		ID:                   pi.ID,
		Account:              acct,
		Status:               string(pi.Status),
		Amount:               pi.Amount,
		AmountCapturable:     pi.AmountCapturable,
		AmountReceived:       pi.AmountReceived,
		Tip:                  tips.of(pi.ID),
		Currency:             string(pi.Currency),
		CaptureMethod:        string(pi.CaptureMethod),
		Description:          pi.Description,
		ReceiptEmail:         pi.ReceiptEmail,
		Metadata:             pi.Metadata,
		CancellationReason:   string(pi.CancellationReason),
		ApplicationFeeAmount: pi.ApplicationFeeAmount,
		TransferGroup:        pi.TransferGroup,
		Created:              unix(pi.Created),
		RequestID:            requestID(pi.APIResource),
	}
	if td := pi.TransferData; td != nil && td.Destination != nil {
		in.TransferDestination = pos.Account(td.Destination.ID)
	}
	if pi.OnBehalfOf != nil {
		in.OnBehalfOf = pos.Account(pi.OnBehalfOf.ID)
	}
	if in.Tip == nil && pi.AmountDetails != nil && pi.AmountDetails.Tip != nil && pi.AmountDetails.Tip.Amount != 0 {
		n := pi.AmountDetails.Tip.Amount // no raw body to look at, but a tip is a tip
		in.Tip = &n
	}
	if e := pi.LastPaymentError; e != nil {
		in.LastError = &pos.PaymentError{
			Type:        string(e.Type),
			Code:        string(e.Code),
			DeclineCode: string(e.DeclineCode),
			Message:     e.Msg,
		}
	}
	if ch := pi.LatestCharge; ch != nil {
		in.LatestChargeID = ch.ID
		if isExpanded(ch.Object) {
			c := toCharge(ch)
			in.LatestCharge = &c
		}
	}
	return in
}

func toCharge(ch *stripe.Charge) pos.Charge {
	c := pos.Charge{
		ID:             ch.ID,
		Amount:         ch.Amount,
		AmountCaptured: ch.AmountCaptured,
		AmountRefunded: ch.AmountRefunded,
		Captured:       ch.Captured,
		Refunded:       ch.Refunded,
		Status:         string(ch.Status),

		ApplicationFeeAmount: ch.ApplicationFeeAmount,
		Disputed:             ch.Disputed,
	}
	if ch.Transfer != nil {
		c.TransferID = ch.Transfer.ID
	}
	if ch.PaymentIntent != nil {
		c.IntentID = ch.PaymentIntent.ID
	}
	if ch.ApplicationFee != nil {
		c.ApplicationFeeID = ch.ApplicationFee.ID
	}
	if d := ch.PaymentMethodDetails; d != nil {
		switch {
		case d.CardPresent != nil:
			c.Card = pos.Card{Brand: string(d.CardPresent.Brand), Last4: d.CardPresent.Last4}
			c.GeneratedCard = d.CardPresent.GeneratedCard
		case d.InteracPresent != nil:
			c.Card = pos.Card{Brand: d.InteracPresent.Brand, Last4: d.InteracPresent.Last4}
		case d.Card != nil:
			c.Card = pos.Card{Brand: string(d.Card.Brand), Last4: d.Card.Last4}
		}
	}
	return c
}

func toRefund(r *stripe.Refund, acct pos.Account) pos.Refund {
	out := pos.Refund{
		ID:        r.ID,
		Account:   acct,
		Amount:    r.Amount,
		Currency:  string(r.Currency),
		Status:    string(r.Status),
		Reason:    string(r.Reason),
		Created:   unix(r.Created),
		Metadata:  r.Metadata,
		RequestID: requestID(r.APIResource),
	}
	if r.Charge != nil {
		out.ChargeID = r.Charge.ID
	}
	if r.PaymentIntent != nil {
		out.IntentID = r.PaymentIntent.ID
	}
	if r.TransferReversal != nil {
		out.TransferReversal = r.TransferReversal.ID
	}
	return out
}

func toSeller(a *stripe.Account) pos.Seller {
	s := pos.Seller{
		ID:             pos.Account(a.ID),
		Country:        strings.ToUpper(a.Country),
		Currency:       strings.ToLower(string(a.DefaultCurrency)),
		ChargesEnabled: a.ChargesEnabled,
	}
	if a.Capabilities != nil {
		s.CardPayments = string(a.Capabilities.CardPayments)
		s.Transfers = string(a.Capabilities.Transfers)
	}
	switch {
	case a.Settings != nil && a.Settings.Dashboard != nil && a.Settings.Dashboard.DisplayName != "":
		s.DisplayName = a.Settings.Dashboard.DisplayName
	case a.BusinessProfile != nil && a.BusinessProfile.Name != "":
		s.DisplayName = a.BusinessProfile.Name
	case a.Email != "":
		s.DisplayName = a.Email
	default:
		s.DisplayName = a.ID
	}
	return s
}

func toLocation(l *stripe.TerminalLocation, owner pos.Account) pos.Location {
	out := pos.Location{
		ID:          l.ID,
		Owner:       owner,
		DisplayName: l.DisplayName,
		Metadata:    l.Metadata,
	}
	if a := l.Address; a != nil {
		out.Address = pos.Address{
			Line1: a.Line1, Line2: a.Line2, City: a.City, State: a.State,
			PostalCode: a.PostalCode, Country: a.Country,
		}
	}
	return out
}
