package customers

import (
	"context"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"kasse/checkout"
	"kasse/internal/fixture"
	"kasse/journal"
	"kasse/pos"
	"kasse/sandbox"
	"kasse/stripeapi"
)

// env is the demo sandbox behind the real adapter (every exchange judged
// by the conformance transport: stripe-mock v0.183.0 must accept each
// request, each answer must validate against the 2023-10-16 spec), a
// journal in a temp dir, the service, and a runner over counted ports.
type env struct {
	t       *testing.T
	srv     *sandbox.Server
	client  *stripeapi.Client
	journal *journal.Journal
	svc     *Service
	counter *checkout.Counter
	runner  *checkout.Runner
	sellers map[string]pos.Seller // by display name
	readers map[string]pos.Reader // the platform reader at a seller's location, by display name
}

var saleNo atomic.Int64

func newEnv(t *testing.T) *env { return newEnvOpts(t, sandbox.Options{Seed: "demo"}, nil) }

func newEnvOpts(t *testing.T, opts sandbox.Options, hc *http.Client) *env {
	t.Helper()
	sb := fixture.NewStripe(t, opts, stripeapi.Config{APIKey: "sk_test_customers", HTTPClient: hc})
	srv, client := sb.Server, sb.Client
	j := fixture.Journal(t)
	j.SetOrigin("till-1", "anna")
	e := &env{t: t, srv: srv, client: client, journal: j, counter: &checkout.Counter{},
		sellers: map[string]pos.Seller{}, readers: map[string]pos.Reader{}}
	e.svc = &Service{Customers: client, Terminal: client, Presenter: client, Journal: j, ConsoleID: "till-1",
		Sleep: func(ctx context.Context, d time.Duration) error { return ctx.Err() }}
	e.runner = &checkout.Runner{Payments: e.counter.Payments(client), Terminal: e.counter.Terminal(client),
		Customers: e.counter.Customers(client), Journal: j,
		Sleep: func(ctx context.Context, d time.Duration) error { return ctx.Err() }}
	ctx := context.Background()
	sellers, err := client.ListSellers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	locs, _ := client.ListLocations(ctx, pos.Platform)
	readers, _ := client.ListReaders(ctx, pos.Platform, pos.ReaderFilter{})
	for _, s := range sellers {
		e.sellers[s.DisplayName] = s
		for _, l := range locs {
			if l.Metadata["kasse_seller"] != string(s.ID) {
				continue
			}
			for _, r := range readers {
				if r.LocationID == l.ID {
					e.readers[s.DisplayName] = r
				}
			}
		}
	}
	return e
}

// wallet finds the demo's wallet customer named name.
func (e *env) wallet(name string) pos.Customer {
	e.t.Helper()
	return e.customerNamed(pos.Platform, name)
}

func (e *env) customerNamed(owner pos.Account, name string) pos.Customer {
	e.t.Helper()
	cs, err := e.client.ListCustomers(context.Background(), owner, pos.CustomerFilter{})
	if err != nil {
		e.t.Fatal(err)
	}
	for _, c := range cs {
		if c.Name == name {
			return c
		}
	}
	e.t.Fatalf("no customer %q on %s", name, owner)
	return pos.Customer{}
}

// card is c's only (or first) saved card.
func (e *env) card(c pos.Customer) pos.SavedCard {
	e.t.Helper()
	cards, err := e.client.ListCards(context.Background(), c.Account, c.ID)
	if err != nil || len(cards) == 0 {
		e.t.Fatalf("cards of %s: %v %v", c.Name, cards, err)
	}
	return cards[0]
}

// sale is a draft sale of amount at the seller named seller, for c.
func (e *env) sale(seller string, amount int64, c *pos.SaleCustomer) pos.Sale {
	e.t.Helper()
	sl, rd := e.sellers[seller], e.readers[seller]
	s, err := pos.NewSale(pos.SaleConfig{ID: fmt.Sprintf("c%d-%d", time.Now().UnixNano(), saleNo.Add(1)), Seller: sl.ID,
		ReaderOwner: rd.Owner, ReaderID: rd.ID, LocationID: rd.LocationID, Currency: sl.Currency,
		Process: pos.ProcessConfig{SkipTipping: true}, Customer: c}, time.Now())
	if err != nil {
		e.t.Fatal(err)
	}
	s.Cart, err = s.Cart.Add(pos.Line{Description: "Brot", Quantity: 1, UnitPrice: amount})
	if err != nil {
		e.t.Fatal(err)
	}
	return s
}
