package stripeapi

import (
	"context"

	"github.com/stripe/stripe-go/v76"

	"kasse/pos"
)

// PresentCard simulates a customer presenting a card on a simulated reader
// (POST /v1/test_helpers/terminal/readers/{id}/present_payment_method).
// cardNumber "" lets Stripe pick its default test card; tip > 0 simulates an
// on-reader tip. Refused for live-mode keys before any request is sent.
func (c *Client) PresentCard(ctx context.Context, owner pos.Account, readerID, cardNumber string, tip int64, idemKey string) (pos.Reader, error) {
	if c.live {
		return pos.Reader{}, usageError("", "present_payment_method is a test-mode helper; this client uses a live key")
	}
	if err := checkID("reader", readerID); err != nil {
		return pos.Reader{}, err
	}
	if tip < 0 {
		return pos.Reader{}, usageError("amount_tip", "tip must not be negative")
	}
	p := &stripe.TestHelpersTerminalReaderPresentPaymentMethodParams{
		Type:      stripe.String("card_present"),
		AmountTip: optInt64(tip),
	}
	if cardNumber != "" {
		p.CardPresent = &stripe.TestHelpersTerminalReaderPresentPaymentMethodCardPresentParams{
			Number: stripe.String(cardNumber),
		}
	}
	if err := write(ctx, &p.Params, owner, idemKey); err != nil {
		return pos.Reader{}, err
	}
	r, err := c.api.TestHelpersTerminalReaders.PresentPaymentMethod(readerID, p)
	if err != nil {
		return pos.Reader{}, c.toError(err)
	}
	return readerResult(r, owner), nil
}
