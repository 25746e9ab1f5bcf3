package checkout

import (
	"context"

	"kasse/pos"
)

// callCustomer runs the requests of a customer's sale (pos
// sale_customer.go) against the Customers port: share a wallet card with
// the seller, copy the wallet customer, attach the shared card, and name
// the copy on the wallet customer (best effort: no answer event). ok is
// false for any other effect. Like every mutating request, each is sent
// only once its key is in the journal (exec checks it first).
func (r *Runner) callCustomer(ctx context.Context, eff pos.Effect) (ev pos.SaleEvent, err error, ok bool) {
	switch e := eff.(type) {
	case pos.ShareCard:
		card, err := r.Customers.ShareCard(ctx, e.Seller, e.Customer, e.Card, e.Key)
		return pos.CardShared{At: r.now(), Seq: e.Seq, Card: card}, err, true
	case pos.CopyCustomer:
		c, err := r.Customers.CreateCustomer(ctx, e.Seller, e.Request, e.Key)
		return pos.CustomerCopied{At: r.now(), Seq: e.Seq, Customer: c}, err, true
	case pos.AttachCard:
		card, err := r.Customers.AttachCard(ctx, e.Seller, e.Card, e.Customer, e.Key)
		return pos.CardAttached{At: r.now(), Seq: e.Seq, Card: card}, err, true
	case pos.LinkCustomer:
		_, err := r.Customers.SetCustomerMetadata(ctx, pos.Platform, e.Wallet,
			map[string]string{pos.MetaCopyPrefix + string(e.Seller): e.Copy}, e.Key)
		return nil, err, true
	}
	return nil, nil, false
}
