package checkout

import (
	"context"

	"kasse/pos"
)

// Customers wraps cs so that its calls are counted.
func (c *Counter) Customers(cs pos.Customers) pos.Customers { return countedCustomers{cs, c} }

type countedCustomers struct {
	next pos.Customers
	c    *Counter
}

func (w countedCustomers) CreateCustomer(ctx context.Context, owner pos.Account, req pos.CustomerRequest, key string) (pos.Customer, error) {
	w.c.inc("CreateCustomer")
	return w.next.CreateCustomer(ctx, owner, req, key)
}

func (w countedCustomers) GetCustomer(ctx context.Context, owner pos.Account, id string) (pos.Customer, error) {
	w.c.inc("GetCustomer")
	return w.next.GetCustomer(ctx, owner, id)
}

func (w countedCustomers) SetCustomerMetadata(ctx context.Context, owner pos.Account, id string, md map[string]string, key string) (pos.Customer, error) {
	w.c.inc("SetCustomerMetadata")
	return w.next.SetCustomerMetadata(ctx, owner, id, md, key)
}

func (w countedCustomers) ListCustomers(ctx context.Context, owner pos.Account, f pos.CustomerFilter) ([]pos.Customer, error) {
	w.c.inc("ListCustomers")
	return w.next.ListCustomers(ctx, owner, f)
}

func (w countedCustomers) ListCards(ctx context.Context, owner pos.Account, customerID string) ([]pos.SavedCard, error) {
	w.c.inc("ListCards")
	return w.next.ListCards(ctx, owner, customerID)
}

func (w countedCustomers) GetCard(ctx context.Context, owner pos.Account, id string) (pos.SavedCard, error) {
	w.c.inc("GetCard")
	return w.next.GetCard(ctx, owner, id)
}

func (w countedCustomers) ShareCard(ctx context.Context, seller pos.Account, walletCustomer, walletCard, key string) (pos.SavedCard, error) {
	w.c.inc("ShareCard")
	return w.next.ShareCard(ctx, seller, walletCustomer, walletCard, key)
}

func (w countedCustomers) AttachCard(ctx context.Context, owner pos.Account, cardID, customerID, key string) (pos.SavedCard, error) {
	w.c.inc("AttachCard")
	return w.next.AttachCard(ctx, owner, cardID, customerID, key)
}

func (w countedCustomers) DetachCard(ctx context.Context, owner pos.Account, cardID, key string) (pos.SavedCard, error) {
	w.c.inc("DetachCard")
	return w.next.DetachCard(ctx, owner, cardID, key)
}

func (w countedCustomers) CreateSetupIntent(ctx context.Context, owner pos.Account, req pos.SetupRequest, key string) (pos.SetupIntent, error) {
	w.c.inc("CreateSetupIntent")
	return w.next.CreateSetupIntent(ctx, owner, req, key)
}

func (w countedCustomers) GetSetupIntent(ctx context.Context, owner pos.Account, id string) (pos.SetupIntent, error) {
	w.c.inc("GetSetupIntent")
	return w.next.GetSetupIntent(ctx, owner, id)
}

func (w countedCustomers) CancelSetupIntent(ctx context.Context, owner pos.Account, id, key string) (pos.SetupIntent, error) {
	w.c.inc("CancelSetupIntent")
	return w.next.CancelSetupIntent(ctx, owner, id, key)
}

func (w countedCustomers) ProcessSetupIntent(ctx context.Context, readerOwner pos.Account, readerID, setupIntentID, key string) (pos.Reader, error) {
	w.c.inc("ProcessSetupIntent")
	return w.next.ProcessSetupIntent(ctx, readerOwner, readerID, setupIntentID, key)
}
