package stripeapi

import (
	"context"
	"strings"

	"github.com/stripe/stripe-go/v76"

	"kasse/pos"
)

// defaultIntentLimit is how many intents ListIntents returns when the filter
// names no limit.
const defaultIntentLimit = 50

// CreateIntent creates a card_present PaymentIntent on the seller.
func (c *Client) CreateIntent(ctx context.Context, seller pos.Account, req pos.CreateIntentRequest, idemKey string) (pos.Intent, error) {
	if req.Amount <= 0 {
		return pos.Intent{}, usageError("amount", "amount must be positive")
	}
	if req.Currency == "" {
		return pos.Intent{}, usageError("currency", "currency is empty")
	}
	p := &stripe.PaymentIntentParams{
		Amount:               stripe.Int64(req.Amount),
		Currency:             stripe.String(strings.ToLower(req.Currency)),
		PaymentMethodTypes:   stripe.StringSlice([]string{"card_present"}),
		CaptureMethod:        optString(req.CaptureMethod),
		Description:          optString(req.Description),
		ReceiptEmail:         optString(req.ReceiptEmail),
		ApplicationFeeAmount: optInt64(req.ApplicationFeeAmount),
	}
	for k, v := range req.Metadata {
		p.AddMetadata(k, v)
	}
	if err := connectFields(p, seller, req); err != nil {
		return pos.Intent{}, err
	}
	// A customer's sale (customers.go): the customer, the card saved on
	// the reader, or a saved card charged at once.
	p.Customer, p.SetupFutureUsage = optString(req.Customer), optString(req.SetupFutureUsage)
	if req.SavedCard != "" {
		savedCardParams(p, req.SavedCard)
	}
	if err := write(ctx, &p.Params, seller, idemKey); err != nil {
		return pos.Intent{}, err
	}
	pi, err := c.api.PaymentIntents.New(p)
	if err != nil {
		return pos.Intent{}, c.toError(err)
	}
	return intentResult(pi, seller), nil
}

// GetIntent reads a PaymentIntent with its latest charge expanded.
func (c *Client) GetIntent(ctx context.Context, seller pos.Account, id string) (pos.Intent, error) {
	if err := checkID("payment_intent", id); err != nil {
		return pos.Intent{}, err
	}
	p := &stripe.PaymentIntentParams{}
	p.AddExpand("latest_charge")
	if err := read(ctx, &p.Params, seller); err != nil {
		return pos.Intent{}, err
	}
	pi, err := c.api.PaymentIntents.Get(id, p)
	if err != nil {
		return pos.Intent{}, c.toError(err)
	}
	return intentResult(pi, seller), nil
}

// CaptureIntent captures a requires_capture intent; amount 0 captures all of
// amount_capturable, a smaller amount is a partial capture.
func (c *Client) CaptureIntent(ctx context.Context, seller pos.Account, id string, amount int64, idemKey string) (pos.Intent, error) {
	if err := checkID("payment_intent", id); err != nil {
		return pos.Intent{}, err
	}
	if amount < 0 {
		return pos.Intent{}, usageError("amount_to_capture", "amount must not be negative")
	}
	p := &stripe.PaymentIntentCaptureParams{AmountToCapture: optInt64(amount)}
	p.AddExpand("latest_charge")
	if err := write(ctx, &p.Params, seller, idemKey); err != nil {
		return pos.Intent{}, err
	}
	pi, err := c.api.PaymentIntents.Capture(id, p)
	if err != nil {
		return pos.Intent{}, c.toError(err)
	}
	return intentResult(pi, seller), nil
}

// CancelIntent cancels an intent; reason is one of duplicate, fraudulent,
// requested_by_customer, abandoned, or "" for none.
func (c *Client) CancelIntent(ctx context.Context, seller pos.Account, id, reason, idemKey string) (pos.Intent, error) {
	if err := checkID("payment_intent", id); err != nil {
		return pos.Intent{}, err
	}
	p := &stripe.PaymentIntentCancelParams{CancellationReason: optString(reason)}
	if err := write(ctx, &p.Params, seller, idemKey); err != nil {
		return pos.Intent{}, err
	}
	pi, err := c.api.PaymentIntents.Cancel(id, p)
	if err != nil {
		return pos.Intent{}, c.toError(err)
	}
	return intentResult(pi, seller), nil
}

// ListIntents lists the seller's intents, newest first, up to f.Limit
// (default 50), following pages as needed.
func (c *Client) ListIntents(ctx context.Context, seller pos.Account, f pos.IntentFilter) ([]pos.Intent, error) {
	limit := orDefault(f.Limit, defaultIntentLimit)
	p := &stripe.PaymentIntentListParams{}
	p.CreatedRange = createdRange(f.CreatedFrom, f.CreatedTo)
	if err := list(ctx, &p.ListParams, seller, limit); err != nil {
		return nil, err
	}
	// The charge comes along (card brand and last4, amount refunded), so
	// transaction search and end of day need no read per intent.
	p.AddExpand("data.latest_charge")
	it := c.api.PaymentIntents.List(p)
	var (
		out  []pos.Intent
		page *stripe.PaymentIntentList
		tips tipIndex
	)
	for len(out) < limit && it.Next() {
		if pl := it.PaymentIntentList(); pl != page {
			page, tips = pl, tipsFrom(rawJSON(pl.APIResource))
		}
		in := toIntent(it.PaymentIntent(), seller, tips)
		in.RequestID = requestID(page.APIResource)
		out = append(out, in)
	}
	if err := it.Err(); err != nil {
		return nil, c.toError(err)
	}
	return out, nil
}
