package stripeapi

import (
	"context"
	"strings"

	"github.com/stripe/stripe-go/v76"

	"kasse/pos"
)

// ProcessIntent hands a PaymentIntent to the reader. Stripe answers at once
// with the reader and action.status=in_progress; the outcome arrives later
// (poll GetReader). With platform-owned readers owner is pos.Platform and
// intentID is the seller's intent.
func (c *Client) ProcessIntent(ctx context.Context, owner pos.Account, readerID, intentID string, cfg pos.ProcessConfig, idemKey string) (pos.Reader, error) {
	if err := checkID("reader", readerID); err != nil {
		return pos.Reader{}, err
	}
	if err := checkID("payment_intent", intentID); err != nil {
		return pos.Reader{}, err
	}
	pc := &stripe.TerminalReaderProcessPaymentIntentProcessConfigParams{
		SkipTipping:                stripe.Bool(cfg.SkipTipping),
		EnableCustomerCancellation: stripe.Bool(cfg.EnableCustomerCancellation),
	}
	if cfg.TippingAmountEligible > 0 {
		pc.Tipping = &stripe.TerminalReaderProcessPaymentIntentProcessConfigTippingParams{
			AmountEligible: stripe.Int64(cfg.TippingAmountEligible),
		}
	}
	p := &stripe.TerminalReaderProcessPaymentIntentParams{
		PaymentIntent: stripe.String(intentID),
		ProcessConfig: pc,
	}
	if err := write(ctx, &p.Params, owner, idemKey); err != nil {
		return pos.Reader{}, err
	}
	r, err := c.api.TerminalReaders.ProcessPaymentIntent(readerID, p)
	if err != nil {
		return pos.Reader{}, c.toError(err)
	}
	return readerResult(r, owner), nil
}

// CancelAction resets the reader (clears its action and display). Stripe
// refuses it with terminal_reader_busy while a card is being authorized.
func (c *Client) CancelAction(ctx context.Context, owner pos.Account, readerID, idemKey string) (pos.Reader, error) {
	if err := checkID("reader", readerID); err != nil {
		return pos.Reader{}, err
	}
	// Non-nil params: stripe-go sends no Idempotency-Key for nil params.
	p := &stripe.TerminalReaderCancelActionParams{}
	if err := write(ctx, &p.Params, owner, idemKey); err != nil {
		return pos.Reader{}, err
	}
	r, err := c.api.TerminalReaders.CancelAction(readerID, p)
	if err != nil {
		return pos.Reader{}, c.toError(err)
	}
	return readerResult(r, owner), nil
}

// SetDisplay shows a cart on the reader. Stripe requires cart currency,
// line items and total; a cart without lines is refused here.
func (c *Client) SetDisplay(ctx context.Context, owner pos.Account, readerID string, cart pos.DisplayCart, idemKey string) (pos.Reader, error) {
	if err := checkID("reader", readerID); err != nil {
		return pos.Reader{}, err
	}
	if len(cart.Lines) == 0 {
		return pos.Reader{}, usageError("cart[line_items]", "cart has no lines (Stripe requires at least one)")
	}
	if cart.Currency == "" {
		return pos.Reader{}, usageError("cart[currency]", "cart currency is empty")
	}
	items := make([]*stripe.TerminalReaderSetReaderDisplayCartLineItemParams, 0, len(cart.Lines))
	for _, l := range cart.Lines {
		items = append(items, &stripe.TerminalReaderSetReaderDisplayCartLineItemParams{
			Description: stripe.String(l.Description),
			Quantity:    stripe.Int64(l.Quantity),
			Amount:      stripe.Int64(l.Amount),
		})
	}
	p := &stripe.TerminalReaderSetReaderDisplayParams{
		Type: stripe.String("cart"),
		Cart: &stripe.TerminalReaderSetReaderDisplayCartParams{
			Currency:  stripe.String(strings.ToLower(cart.Currency)),
			LineItems: items,
			Tax:       optInt64(cart.Tax),
			Total:     stripe.Int64(cart.Total),
		},
	}
	if err := write(ctx, &p.Params, owner, idemKey); err != nil {
		return pos.Reader{}, err
	}
	r, err := c.api.TerminalReaders.SetReaderDisplay(readerID, p)
	if err != nil {
		return pos.Reader{}, c.toError(err)
	}
	return readerResult(r, owner), nil
}
