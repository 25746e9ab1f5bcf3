package stripeapi

import (
	"context"

	"github.com/stripe/stripe-go/v76"

	"kasse/pos"
)

// Expansions GetReader asks for: the action's PaymentIntent and, four levels
// deep (Stripe's limit), that intent's latest charge. One request per poll
// tick then gives the reader's state, the intent's state and the card.
const (
	expandActionIntent = "action.process_payment_intent.payment_intent"
	expandActionCharge = "action.process_payment_intent.payment_intent.latest_charge"
)

// ListReaders lists the owner's readers, optionally filtered.
func (c *Client) ListReaders(ctx context.Context, owner pos.Account, f pos.ReaderFilter) ([]pos.Reader, error) {
	p := &stripe.TerminalReaderListParams{
		Location:   optString(f.LocationID),
		Status:     optString(f.Status),
		DeviceType: optString(f.DeviceType),
	}
	if err := list(ctx, &p.ListParams, owner, 100); err != nil {
		return nil, err
	}
	it := c.api.TerminalReaders.List(p)
	var out []pos.Reader
	for it.Next() {
		r := toReader(it.TerminalReader(), owner, nil)
		r.RequestID = requestID(it.TerminalReaderList().APIResource)
		out = append(out, r)
	}
	if err := it.Err(); err != nil {
		return nil, c.toError(err)
	}
	return out, nil
}

// GetReader reads a reader with its action's PaymentIntent (and that
// intent's latest charge) expanded. A deleted reader is KindNotFound.
func (c *Client) GetReader(ctx context.Context, owner pos.Account, id string) (pos.Reader, error) {
	if err := checkID("reader", id); err != nil {
		return pos.Reader{}, err
	}
	p := &stripe.TerminalReaderParams{}
	p.AddExpand(expandActionIntent)
	p.AddExpand(expandActionCharge)
	if err := read(ctx, &p.Params, owner); err != nil {
		return pos.Reader{}, err
	}
	r, err := c.api.TerminalReaders.Get(id, p)
	if err != nil {
		return pos.Reader{}, c.toError(err)
	}
	if r.Deleted {
		return pos.Reader{}, &pos.Error{
			Kind:       pos.KindNotFound,
			Code:       string(stripe.ErrorCodeResourceMissing),
			Message:    "reader " + id + " has been deleted",
			HTTPStatus: 200,
			RequestID:  requestID(r.APIResource),
		}
	}
	return readerResult(r, owner), nil
}

// RegisterReader registers a reader with its pairing code (or a simulated-*
// code in test mode) at a location of the owner.
func (c *Client) RegisterReader(ctx context.Context, owner pos.Account, code, label, locationID string, idemKey string) (pos.Reader, error) {
	if code == "" {
		return pos.Reader{}, usageError("registration_code", "registration code is empty")
	}
	p := &stripe.TerminalReaderParams{
		RegistrationCode: stripe.String(code),
		Label:            optString(label),
		Location:         optString(locationID),
	}
	if err := write(ctx, &p.Params, owner, idemKey); err != nil {
		return pos.Reader{}, err
	}
	r, err := c.api.TerminalReaders.New(p)
	if err != nil {
		return pos.Reader{}, c.toError(err)
	}
	return readerResult(r, owner), nil
}

// UpdateReader changes a reader's label ("" keeps it) and metadata (nil
// keeps it; a key with value "" removes that key).
func (c *Client) UpdateReader(ctx context.Context, owner pos.Account, id, label string, metadata map[string]string, idemKey string) (pos.Reader, error) {
	if err := checkID("reader", id); err != nil {
		return pos.Reader{}, err
	}
	p := &stripe.TerminalReaderParams{Label: optString(label)}
	for k, v := range metadata {
		p.AddMetadata(k, v)
	}
	if err := write(ctx, &p.Params, owner, idemKey); err != nil {
		return pos.Reader{}, err
	}
	r, err := c.api.TerminalReaders.Update(id, p)
	if err != nil {
		return pos.Reader{}, c.toError(err)
	}
	return readerResult(r, owner), nil
}

// DeleteReader deletes (unregisters) a reader of the owner.
func (c *Client) DeleteReader(ctx context.Context, owner pos.Account, id string) error {
	if err := checkID("reader", id); err != nil {
		return err
	}
	p := &stripe.TerminalReaderParams{}
	if err := read(ctx, &p.Params, owner); err != nil {
		return err
	}
	_, err := c.api.TerminalReaders.Del(id, p)
	return c.toError(err)
}
