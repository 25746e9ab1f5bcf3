package stripeapi

import (
	"context"
	"errors"

	"github.com/stripe/stripe-go/v76"

	"kasse/pos"
)

// pos.Customers: customers, their saved cards and the SetupIntents that
// save a card on a reader (stripe-api.md §12). Kasse uses PaymentMethods
// only: no Sources (deprecated, seed 001) and no card tokens.

var _ pos.Customers = (*Client)(nil)

// defaultCustomerLimit is how many customers ListCustomers returns when
// the filter names no limit.
const defaultCustomerLimit = 100

// CreateCustomer creates a customer on owner (a PaymentMethod named in req
// is attached to it at once).
func (c *Client) CreateCustomer(ctx context.Context, owner pos.Account, req pos.CustomerRequest, idemKey string) (pos.Customer, error) {
	p := &stripe.CustomerParams{Name: optString(req.Name), Email: optString(req.Email), Phone: optString(req.Phone),
		PaymentMethod: optString(req.PaymentMethod)}
	for k, v := range req.Metadata {
		p.AddMetadata(k, v)
	}
	if err := write(ctx, &p.Params, owner, idemKey); err != nil {
		return pos.Customer{}, err
	}
	cu, err := c.api.Customers.New(p)
	if err != nil {
		return pos.Customer{}, c.toError(err)
	}
	return toCustomer(cu, owner), nil
}

// GetCustomer reads a customer. A deleted customer comes back with
// Deleted set (Stripe answers its deleted stub).
func (c *Client) GetCustomer(ctx context.Context, owner pos.Account, id string) (pos.Customer, error) {
	if err := checkID("customer", id); err != nil {
		return pos.Customer{}, err
	}
	p := &stripe.CustomerParams{}
	if err := read(ctx, &p.Params, owner); err != nil {
		return pos.Customer{}, err
	}
	cu, err := c.api.Customers.Get(id, p)
	if err != nil {
		return pos.Customer{}, c.toError(err)
	}
	return toCustomer(cu, owner), nil
}

// SetCustomerMetadata sets metadata keys (a value "" removes its key).
func (c *Client) SetCustomerMetadata(ctx context.Context, owner pos.Account, id string, md map[string]string, idemKey string) (pos.Customer, error) {
	if err := checkID("customer", id); err != nil {
		return pos.Customer{}, err
	}
	if len(md) == 0 {
		return pos.Customer{}, usageError("metadata", "no metadata to set")
	}
	p := &stripe.CustomerParams{}
	for k, v := range md {
		p.AddMetadata(k, v)
	}
	if err := write(ctx, &p.Params, owner, idemKey); err != nil {
		return pos.Customer{}, err
	}
	cu, err := c.api.Customers.Update(id, p)
	if err != nil {
		return pos.Customer{}, c.toError(err)
	}
	return toCustomer(cu, owner), nil
}

// ListCustomers lists owner's customers, newest first, up to f.Limit
// (default 100), with Stripe's exact, case-sensitive email filter.
func (c *Client) ListCustomers(ctx context.Context, owner pos.Account, f pos.CustomerFilter) ([]pos.Customer, error) {
	limit := orDefault(f.Limit, defaultCustomerLimit)
	p := &stripe.CustomerListParams{Email: optString(f.Email)}
	if err := list(ctx, &p.ListParams, owner, limit); err != nil {
		return nil, err
	}
	it := c.api.Customers.List(p)
	var out []pos.Customer
	for len(out) < limit && it.Next() {
		out = append(out, toCustomer(it.Customer(), owner))
	}
	if err := it.Err(); err != nil {
		return nil, c.toError(err)
	}
	return out, nil
}

// ListCards lists the customer's card PaymentMethods, newest first.
func (c *Client) ListCards(ctx context.Context, owner pos.Account, customerID string) ([]pos.SavedCard, error) {
	if err := checkID("customer", customerID); err != nil {
		return nil, err
	}
	p := &stripe.CustomerListPaymentMethodsParams{Customer: stripe.String(customerID), Type: stripe.String("card")}
	if err := list(ctx, &p.ListParams, owner, 100); err != nil {
		return nil, err
	}
	it := c.api.Customers.ListPaymentMethods(p)
	var out []pos.SavedCard
	for it.Next() {
		out = append(out, toSavedCard(it.PaymentMethod(), owner))
	}
	if err := it.Err(); err != nil {
		return nil, c.toError(err)
	}
	return out, nil
}

// GetCard reads a PaymentMethod.
func (c *Client) GetCard(ctx context.Context, owner pos.Account, id string) (pos.SavedCard, error) {
	if err := checkID("payment_method", id); err != nil {
		return pos.SavedCard{}, err
	}
	p := &stripe.PaymentMethodParams{}
	if err := read(ctx, &p.Params, owner); err != nil {
		return pos.SavedCard{}, err
	}
	pm, err := c.api.PaymentMethods.Get(id, p)
	if err != nil {
		return pos.SavedCard{}, c.toError(err)
	}
	return toSavedCard(pm, owner), nil
}

// ShareCard clones the wallet customer's card to seller (POST
// /v1/payment_methods with customer and payment_method under
// Stripe-Account: seller). The clone names its source in its metadata.
func (c *Client) ShareCard(ctx context.Context, seller pos.Account, walletCustomer, walletCard, idemKey string) (pos.SavedCard, error) {
	if seller.IsPlatform() {
		return pos.SavedCard{}, usageError("Stripe-Account", "a card is shared with a connected account, not the platform")
	}
	if err := checkID("customer", walletCustomer); err != nil {
		return pos.SavedCard{}, err
	}
	if err := checkID("payment_method", walletCard); err != nil {
		return pos.SavedCard{}, err
	}
	p := &stripe.PaymentMethodParams{Customer: stripe.String(walletCustomer), PaymentMethod: stripe.String(walletCard)}
	p.AddMetadata(pos.MetaSharedFrom, walletCard)
	p.AddMetadata(pos.MetaCopyOf, walletCustomer)
	if err := write(ctx, &p.Params, seller, idemKey); err != nil {
		return pos.SavedCard{}, err
	}
	pm, err := c.api.PaymentMethods.New(p)
	if err != nil {
		return pos.SavedCard{}, c.toError(err)
	}
	return toSavedCard(pm, seller), nil
}

// AttachCard attaches a card to a customer of the same account.
func (c *Client) AttachCard(ctx context.Context, owner pos.Account, cardID, customerID, idemKey string) (pos.SavedCard, error) {
	if err := checkID("payment_method", cardID); err != nil {
		return pos.SavedCard{}, err
	}
	if err := checkID("customer", customerID); err != nil {
		return pos.SavedCard{}, err
	}
	p := &stripe.PaymentMethodAttachParams{Customer: stripe.String(customerID)}
	if err := write(ctx, &p.Params, owner, idemKey); err != nil {
		return pos.SavedCard{}, err
	}
	pm, err := c.api.PaymentMethods.Attach(cardID, p)
	if err != nil {
		return pos.SavedCard{}, c.toError(err)
	}
	return toSavedCard(pm, owner), nil
}

// DetachCard detaches a card from its customer: it can no longer be used.
func (c *Client) DetachCard(ctx context.Context, owner pos.Account, cardID, idemKey string) (pos.SavedCard, error) {
	if err := checkID("payment_method", cardID); err != nil {
		return pos.SavedCard{}, err
	}
	p := &stripe.PaymentMethodDetachParams{}
	if err := write(ctx, &p.Params, owner, idemKey); err != nil {
		return pos.SavedCard{}, err
	}
	pm, err := c.api.PaymentMethods.Detach(cardID, p)
	if err != nil {
		return pos.SavedCard{}, c.toError(err)
	}
	return toSavedCard(pm, owner), nil
}

// CreateSetupIntent creates a SetupIntent that saves a card read on a
// reader (card_present) for req.Customer, for use without the customer
// (usage off_session).
func (c *Client) CreateSetupIntent(ctx context.Context, owner pos.Account, req pos.SetupRequest, idemKey string) (pos.SetupIntent, error) {
	if err := checkID("customer", req.Customer); err != nil {
		return pos.SetupIntent{}, err
	}
	p := &stripe.SetupIntentParams{Customer: stripe.String(req.Customer),
		PaymentMethodTypes: stripe.StringSlice([]string{"card_present"}), Usage: stripe.String("off_session")}
	for k, v := range req.Metadata {
		p.AddMetadata(k, v)
	}
	if err := write(ctx, &p.Params, owner, idemKey); err != nil {
		return pos.SetupIntent{}, err
	}
	si, err := c.api.SetupIntents.New(p)
	if err != nil {
		return pos.SetupIntent{}, c.toError(err)
	}
	return toSetupIntent(si, owner), nil
}

// GetSetupIntent reads a SetupIntent.
func (c *Client) GetSetupIntent(ctx context.Context, owner pos.Account, id string) (pos.SetupIntent, error) {
	if err := checkID("setup_intent", id); err != nil {
		return pos.SetupIntent{}, err
	}
	p := &stripe.SetupIntentParams{}
	if err := read(ctx, &p.Params, owner); err != nil {
		return pos.SetupIntent{}, err
	}
	si, err := c.api.SetupIntents.Get(id, p)
	if err != nil {
		return pos.SetupIntent{}, c.toError(err)
	}
	return toSetupIntent(si, owner), nil
}

// CancelSetupIntent cancels a SetupIntent (reason abandoned).
func (c *Client) CancelSetupIntent(ctx context.Context, owner pos.Account, id, idemKey string) (pos.SetupIntent, error) {
	if err := checkID("setup_intent", id); err != nil {
		return pos.SetupIntent{}, err
	}
	p := &stripe.SetupIntentCancelParams{CancellationReason: stripe.String("abandoned")}
	if err := write(ctx, &p.Params, owner, idemKey); err != nil {
		return pos.SetupIntent{}, err
	}
	si, err := c.api.SetupIntents.Cancel(id, p)
	if err != nil {
		return pos.SetupIntent{}, c.toError(err)
	}
	return toSetupIntent(si, owner), nil
}

// ProcessSetupIntent hands a SetupIntent to a reader; the cashier confirmed
// the customer's consent (customer_consent_collected=true, required in
// 2023-10-16).
func (c *Client) ProcessSetupIntent(ctx context.Context, readerOwner pos.Account, readerID, setupIntentID, idemKey string) (pos.Reader, error) {
	if err := checkID("reader", readerID); err != nil {
		return pos.Reader{}, err
	}
	if err := checkID("setup_intent", setupIntentID); err != nil {
		return pos.Reader{}, err
	}
	p := &stripe.TerminalReaderProcessSetupIntentParams{SetupIntent: stripe.String(setupIntentID),
		CustomerConsentCollected: stripe.Bool(true)}
	if err := write(ctx, &p.Params, readerOwner, idemKey); err != nil {
		return pos.Reader{}, err
	}
	r, err := c.api.TerminalReaders.ProcessSetupIntent(readerID, p)
	if err != nil {
		return pos.Reader{}, c.toError(err)
	}
	return readerResult(r, readerOwner), nil
}

func toCustomer(cu *stripe.Customer, owner pos.Account) pos.Customer {
	return pos.Customer{ID: cu.ID, Account: owner, Name: cu.Name, Email: cu.Email, Phone: cu.Phone,
		Metadata: cu.Metadata, Created: unix(cu.Created), Deleted: cu.Deleted}
}

func toSavedCard(pm *stripe.PaymentMethod, owner pos.Account) pos.SavedCard {
	out := pos.SavedCard{ID: pm.ID, Account: owner, Type: string(pm.Type), Created: unix(pm.Created),
		SharedFrom: pm.Metadata[pos.MetaSharedFrom]}
	if pm.Customer != nil {
		out.Customer = pm.Customer.ID
	}
	switch {
	case pm.Card != nil:
		k := pm.Card
		out.Brand, out.Last4, out.Funding, out.Country = string(k.Brand), k.Last4, string(k.Funding), k.Country
		out.ExpMonth, out.ExpYear = int(k.ExpMonth), int(k.ExpYear)
	case pm.CardPresent != nil:
		k := pm.CardPresent
		out.Brand, out.Last4, out.Funding, out.Country = k.Brand, k.Last4, k.Funding, k.Country
		out.ExpMonth, out.ExpYear = int(k.ExpMonth), int(k.ExpYear)
	}
	return out
}

func toSetupIntent(si *stripe.SetupIntent, owner pos.Account) pos.SetupIntent {
	out := pos.SetupIntent{ID: si.ID, Account: owner, Status: string(si.Status), Metadata: si.Metadata,
		RequestID: requestID(si.APIResource)}
	if si.Customer != nil {
		out.Customer = si.Customer.ID
	}
	if si.PaymentMethod != nil {
		out.PaymentMethod = si.PaymentMethod.ID
	}
	if e := si.LastSetupError; e != nil {
		out.LastError = &pos.PaymentError{Type: string(e.Type), Code: string(e.Code), DeclineCode: string(e.DeclineCode), Message: e.Msg}
	}
	return out
}

// intentOfError is the PaymentIntent a Stripe error came with (a card
// declined at create answers 402 with the failed intent), "" when none.
func intentOfError(err error) string {
	var se *stripe.Error
	if errors.As(err, &se) && se.PaymentIntent != nil {
		return se.PaymentIntent.ID
	}
	return ""
}

// savedCardParams completes a PaymentIntent create that charges a saved
// card at once: the card, confirmed off session (the customer cannot
// authenticate at the counter: Stripe declines rather than asking), and
// card_present besides card so that a decline can go to a reader on the
// same intent; latest_charge expanded, so the answer names the card.
func savedCardParams(p *stripe.PaymentIntentParams, card string) {
	p.PaymentMethodTypes = stripe.StringSlice([]string{"card", "card_present"})
	p.PaymentMethod = stripe.String(card)
	p.Confirm = stripe.Bool(true)
	p.OffSession = stripe.Bool(true)
	p.AddExpand("latest_charge")
}
