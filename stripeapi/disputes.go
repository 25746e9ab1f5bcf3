package stripeapi

import (
	"context"

	"github.com/stripe/stripe-go/v76"

	"kasse/pos"
)

// Disputes live on the account that owns the charge: the seller, for a
// direct charge (stripe-api.md §11). ListDisputes, GetDispute,
// UpdateDispute and CloseDispute implement pos.Disputes.

// defaultDisputeLimit is how many disputes ListDisputes returns when the
// filter sets no limit.
const defaultDisputeLimit = 100

// ListDisputes lists the seller's disputes, newest first.
func (c *Client) ListDisputes(ctx context.Context, seller pos.Account, f pos.DisputeFilter) ([]pos.Dispute, error) {
	limit := orDefault(f.Limit, defaultDisputeLimit)
	p := &stripe.DisputeListParams{Charge: optString(f.ChargeID), PaymentIntent: optString(f.IntentID)}
	if f.CreatedFrom > 0 {
		p.CreatedRange = &stripe.RangeQueryParams{GreaterThanOrEqual: f.CreatedFrom}
	}
	if err := list(ctx, &p.ListParams, seller, limit); err != nil {
		return nil, err
	}
	it := c.api.Disputes.List(p)
	var out []pos.Dispute
	for len(out) < limit && it.Next() {
		out = append(out, toDispute(it.Dispute(), seller))
	}
	if err := it.Err(); err != nil {
		return nil, c.toError(err)
	}
	return out, nil
}

// GetDispute reads one of the seller's disputes.
func (c *Client) GetDispute(ctx context.Context, seller pos.Account, id string) (pos.Dispute, error) {
	if err := checkID("dispute", id); err != nil {
		return pos.Dispute{}, err
	}
	p := &stripe.DisputeParams{}
	if err := read(ctx, &p.Params, seller); err != nil {
		return pos.Dispute{}, err
	}
	d, err := c.api.Disputes.Get(id, p)
	if err != nil {
		return pos.Dispute{}, c.toError(err)
	}
	return toDispute(d, seller), nil
}

// UpdateDispute stages (submit false) or submits evidence, by Stripe's
// field names (pos.EvidenceFields).
func (c *Client) UpdateDispute(ctx context.Context, seller pos.Account, id string, evidence map[string]string, submit bool, idemKey string) (pos.Dispute, error) {
	if err := checkID("dispute", id); err != nil {
		return pos.Dispute{}, err
	}
	ev := &stripe.DisputeEvidenceParams{}
	for name, v := range evidence {
		if f := evidenceField(ev, name); f != nil {
			*f = stripe.String(v)
		} else {
			return pos.Dispute{}, usageError("evidence", "unknown evidence field "+quote(name))
		}
	}
	p := &stripe.DisputeParams{Evidence: ev, Submit: stripe.Bool(submit)}
	if err := write(ctx, &p.Params, seller, idemKey); err != nil {
		return pos.Dispute{}, err
	}
	d, err := c.api.Disputes.Update(id, p)
	if err != nil {
		return pos.Dispute{}, c.toError(err)
	}
	return toDispute(d, seller), nil
}

// CloseDispute accepts a dispute as lost.
func (c *Client) CloseDispute(ctx context.Context, seller pos.Account, id, idemKey string) (pos.Dispute, error) {
	if err := checkID("dispute", id); err != nil {
		return pos.Dispute{}, err
	}
	p := &stripe.DisputeParams{}
	if err := write(ctx, &p.Params, seller, idemKey); err != nil {
		return pos.Dispute{}, err
	}
	d, err := c.api.Disputes.Close(id, p)
	if err != nil {
		return pos.Dispute{}, c.toError(err)
	}
	return toDispute(d, seller), nil
}

// evidenceField is the parameter of a text evidence field Kasse fills.
func evidenceField(ev *stripe.DisputeEvidenceParams, name string) **string {
	switch name {
	case pos.EvidenceProductDescription:
		return &ev.ProductDescription
	case pos.EvidenceServiceDate:
		return &ev.ServiceDate
	case pos.EvidenceCustomerName:
		return &ev.CustomerName
	case pos.EvidenceCustomerEmail:
		return &ev.CustomerEmailAddress
	case pos.EvidenceRefundPolicy:
		return &ev.RefundPolicyDisclosure
	case pos.EvidenceUncategorizedText:
		return &ev.UncategorizedText
	}
	return nil
}

func toDispute(d *stripe.Dispute, acct pos.Account) pos.Dispute {
	out := pos.Dispute{ID: d.ID, Account: acct, Amount: d.Amount, Currency: string(d.Currency),
		Reason: string(d.Reason), Status: string(d.Status), ChargeRefundable: d.IsChargeRefundable, Created: unix(d.Created)}
	if d.Charge != nil {
		out.ChargeID = d.Charge.ID
	}
	if d.PaymentIntent != nil {
		out.IntentID = d.PaymentIntent.ID
	}
	if e := d.EvidenceDetails; e != nil {
		out.DueBy, out.HasEvidence, out.SubmissionCount, out.PastDue = unix(e.DueBy), e.HasEvidence, e.SubmissionCount, e.PastDue
	}
	if pm := d.PaymentMethodDetails; pm != nil && pm.Card != nil {
		out.Brand = pm.Card.Brand
	}
	if e := d.Evidence; e != nil {
		out.Evidence = map[string]string{}
		for name, v := range map[string]string{
			pos.EvidenceProductDescription: e.ProductDescription, pos.EvidenceServiceDate: e.ServiceDate,
			pos.EvidenceCustomerName: e.CustomerName, pos.EvidenceCustomerEmail: e.CustomerEmailAddress,
			pos.EvidenceRefundPolicy: e.RefundPolicyDisclosure, pos.EvidenceUncategorizedText: e.UncategorizedText,
		} {
			if v != "" {
				out.Evidence[name] = v
			}
		}
	}
	return out
}
