package checkout_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
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

// env is a sandbox behind the real adapter, counted ports, a journal in a
// temp dir and a runner that does not really sleep.
type env struct {
	srv     *sandbox.Server
	client  *stripeapi.Client
	counter *checkout.Counter
	journal *journal.Journal
	runner  *checkout.Runner
	sellers map[string]pos.Seller // by currency
	readers map[string]pos.Reader // platform reader for the seller of a currency
}

var saleNo atomic.Int64

func newEnv(t testing.TB) *env { return newEnvWith(t, nil) }

// noKeepAlive is an HTTP client that opens a connection per request, so
// that net/http never replays a request whose connection dropped (it does
// that for requests with an Idempotency-Key on reused connections) and the
// machine sees the fault.
func noKeepAlive() *http.Client {
	return &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
}

func newEnvWith(t testing.TB, hc *http.Client) *env {
	t.Helper()
	return newEnvOpts(t, hc, sandbox.Options{Seed: "demo"})
}

// newEnvOpts is newEnvWith on a sandbox made with opts (faults, …).
func newEnvOpts(t testing.TB, hc *http.Client, opts sandbox.Options) *env {
	t.Helper()
	sb := fixture.NewStripe(t, opts, stripeapi.Config{APIKey: "sk_test_checkout", HTTPClient: hc})
	srv, client := sb.Server, sb.Client
	j := fixture.Journal(t)
	e := &env{srv: srv, client: client, counter: &checkout.Counter{}, journal: j,
		sellers: map[string]pos.Seller{}, readers: map[string]pos.Reader{}}
	e.runner = e.newRunner(j)

	ctx := context.Background()
	sellers, err := client.ListSellers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	locs, err := client.ListLocations(ctx, pos.Platform)
	if err != nil {
		t.Fatal(err)
	}
	readers, err := client.ListReaders(ctx, pos.Platform, pos.ReaderFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sellers {
		if s.CardPayments != pos.CapabilityActive {
			continue
		}
		for _, l := range locs {
			if !strings.Contains(l.DisplayName, s.DisplayName) {
				continue
			}
			for _, r := range readers {
				if r.LocationID == l.ID {
					e.sellers[s.Currency], e.readers[s.Currency] = s, r
				}
			}
		}
	}
	for _, c := range []string{"usd", "eur", "jpy"} {
		if _, ok := e.readers[c]; !ok {
			t.Fatalf("demo seed has no %s seller with a platform reader", c)
		}
	}
	return e
}

// newRunner builds a runner over the counted ports with store as journal.
func (e *env) newRunner(store checkout.SaleStore) *checkout.Runner {
	return &checkout.Runner{
		Payments:  e.counter.Payments(e.client),
		Terminal:  e.counter.Terminal(e.client),
		Presenter: e.counter.Presenter(e.client),
		Transfers: e.counter.Transfers(e.client),
		Journal:   store,
		Sleep:     func(ctx context.Context, d time.Duration) error { return ctx.Err() },
	}
}

// newSale is a draft sale of amount (one line) on the currency's seller and
// platform reader.
func (e *env) newSale(t testing.TB, currency string, amount int64) pos.Sale {
	t.Helper()
	seller, reader := e.sellers[currency], e.readers[currency]
	s, err := pos.NewSale(pos.SaleConfig{
		ID:     fmt.Sprintf("t%d-%d", time.Now().UnixNano(), saleNo.Add(1)),
		Seller: seller.ID, ReaderOwner: reader.Owner, ReaderID: reader.ID, LocationID: reader.LocationID,
		Currency: currency, Process: pos.ProcessConfig{SkipTipping: true},
	}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	cart, err := s.Cart.Add(pos.Line{Description: "Test item", Quantity: 1, UnitPrice: amount})
	if err != nil {
		t.Fatal(err)
	}
	s.Cart = cart
	return s
}

func waitingForCard(s pos.Sale) bool {
	return s.State == pos.SaleWaitingForCard && !s.Pending.Active()
}

// intentsOf lists the seller's intents carrying the sale's id.
func (e *env) intentsOf(t testing.TB, s pos.Sale) []pos.Intent {
	t.Helper()
	list, err := e.client.ListIntents(context.Background(), s.Seller, pos.IntentFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var out []pos.Intent
	for _, in := range list {
		if in.Metadata["kasse_sale_id"] == s.ID {
			out = append(out, in)
		}
	}
	return out
}
