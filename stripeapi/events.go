package stripeapi

import (
	"context"
	"encoding/json"

	"github.com/stripe/stripe-go/v76"

	"kasse/pos"
)

// defaultEventLimit is how many events ListEvents returns for limit <= 0.
const defaultEventLimit = 100

// ListEvents lists the newest events of an account, newest first. typ
// filters by type ("" for all; Stripe accepts a wildcard such as
// "payment_intent.*"). Events of a connected account are listed with its
// Stripe-Account; the platform's own (platform-owned readers) with
// pos.Platform.
func (c *Client) ListEvents(ctx context.Context, account pos.Account, typ string, limit int) ([]pos.Event, error) {
	if limit <= 0 {
		limit = defaultEventLimit
	}
	p := &stripe.EventListParams{Type: optString(typ)}
	if err := list(ctx, &p.ListParams, account, limit); err != nil {
		return nil, err
	}
	it := c.api.Events.List(p)
	var out []pos.Event
	for len(out) < limit && it.Next() {
		out = append(out, toEvent(it.Event(), account, nil))
	}
	if err := it.Err(); err != nil {
		return nil, c.toError(err)
	}
	return out, nil
}

// EventsSince returns the account's events created at or after since that
// come after the event after, oldest first, at most limit (pos.EventFeed).
// Stripe lists newest first: the pages are read from now back to since
// (created[gte]) and stop at after, so an event seen before is never
// returned again; more reports that older events than the first returned
// were left for the next call (limit reached).
func (c *Client) EventsSince(ctx context.Context, account pos.Account, since int64, after string, limit int) ([]pos.Event, bool, error) {
	if limit <= 0 {
		limit = defaultEventLimit
	}
	p := &stripe.EventListParams{}
	if since > 0 {
		p.CreatedRange = &stripe.RangeQueryParams{GreaterThanOrEqual: since}
	}
	if err := list(ctx, &p.ListParams, account, 100); err != nil {
		return nil, false, err
	}
	it := c.api.Events.List(p)
	var newest []pos.Event // newest first
	for it.Next() {
		e := it.Event()
		if after != "" && e.ID == after {
			break
		}
		newest = append(newest, toEvent(e, account, nil))
	}
	if err := it.Err(); err != nil {
		return nil, false, c.toError(err)
	}
	more := false
	if len(newest) > limit { // keep the oldest: the cursor moves forward from them
		newest, more = newest[len(newest)-limit:], true
	}
	out := make([]pos.Event, len(newest))
	for i, e := range newest {
		out[len(newest)-1-i] = e
	}
	return out, more, nil
}

// toEvent converts an event; payload is its JSON as received (nil: the
// event's own encoding). data.object is decoded by its type.
func toEvent(e *stripe.Event, acct pos.Account, payload []byte) pos.Event {
	out := pos.Event{
		ID:       e.ID,
		Type:     string(e.Type),
		Account:  acct,
		Created:  unix(e.Created),
		Livemode: e.Livemode,
		Payload:  payload,
	}
	if e.Account != "" {
		out.Account = pos.Account(e.Account)
	}
	if out.Payload == nil {
		out.Payload, _ = json.Marshal(e)
	}
	if e.Data == nil {
		return out
	}
	if id, ok := e.Data.Object["id"].(string); ok {
		out.ObjectID = id
	}
	out.ObjectType, _ = e.Data.Object["object"].(string)
	raw := e.Data.Raw
	switch out.ObjectType {
	case "payment_intent":
		var pi stripe.PaymentIntent
		if json.Unmarshal(raw, &pi) == nil {
			in := toIntent(&pi, out.Account, tipsFrom(raw))
			out.Intent = &in
		}
	case "charge":
		var ch stripe.Charge
		if json.Unmarshal(raw, &ch) == nil {
			c := toCharge(&ch)
			out.Charge = &c
		}
	case "refund":
		var r stripe.Refund
		if json.Unmarshal(raw, &r) == nil {
			rf := toRefund(&r, out.Account)
			out.Refund = &rf
		}
	case "dispute":
		var d stripe.Dispute
		if json.Unmarshal(raw, &d) == nil {
			dp := toDispute(&d, out.Account)
			out.Dispute = &dp
		}
	}
	return out
}
