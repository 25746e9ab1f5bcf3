package headless_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"kasse/checkout"
	"kasse/headless"
	"kasse/internal/cli"
	"kasse/internal/fixture"
	"kasse/journal"
	"kasse/pos"
	"kasse/sandbox"
	"kasse/stripeapi"
)

const testKey = "sk_test_checkout"

// env is the demo sandbox behind the real adapter, counted.
type env struct {
	srv     *sandbox.Server
	client  *stripeapi.Client
	counter *checkout.Counter
	journal *journal.Journal
	sellers map[string]pos.Seller // sellers with a platform reader, by currency
	readers map[string]pos.Reader // their platform readers
	// inactive cannot take card payments; ownSeller owns ownReader.
	inactive, ownSeller pos.Seller
	ownReader           pos.Reader
	clock               *clock
	// atPresent is the counter's snapshot when the card was presented.
	atPresent map[string]int
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
	return ctx.Err()
}

func newEnv(tb testing.TB, hc *http.Client) *env {
	tb.Helper()
	return newEnvOpts(tb, hc, sandbox.Options{Seed: "demo"})
}

// newEnvOpts is newEnv on a sandbox made with opts (faults, …).
func newEnvOpts(tb testing.TB, hc *http.Client, opts sandbox.Options) *env {
	tb.Helper()
	sb := fixture.NewStripe(tb, opts, stripeapi.Config{APIKey: testKey, HTTPClient: hc})
	srv, client := sb.Server, sb.Client
	j := fixture.Journal(tb)
	j.SetOrigin("till-1", "ana")
	e := &env{srv: srv, client: client, counter: &checkout.Counter{}, journal: j,
		sellers: map[string]pos.Seller{}, readers: map[string]pos.Reader{}, clock: &clock{t: time.Now()}}

	ctx := context.Background()
	sellers, _ := client.ListSellers(ctx)
	locs, _ := client.ListLocations(ctx, pos.Platform)
	readers, _ := client.ListReaders(ctx, pos.Platform, pos.ReaderFilter{})
	for _, s := range sellers {
		if s.CardPayments != pos.CapabilityActive {
			e.inactive = s
		}
		for _, l := range locs {
			for _, r := range readers {
				if strings.Contains(l.DisplayName, s.DisplayName) && r.LocationID == l.ID {
					e.sellers[s.Currency], e.readers[s.Currency] = s, r
				}
			}
		}
	}
	for _, s := range sellers { // a seller that owns its reader (Northwind Bikes)
		if own, _ := client.ListReaders(ctx, s.ID, pos.ReaderFilter{}); len(own) > 0 {
			e.ownSeller, e.ownReader = s, own[0]
		}
	}
	for _, c := range []string{"usd", "eur", "jpy"} {
		if _, ok := e.readers[c]; !ok {
			tb.Fatalf("demo seed: no %s seller with a platform reader", c)
		}
	}
	if e.inactive.ID == "" || e.ownReader.ID == "" {
		tb.Fatal("demo seed: expected an inactive seller and one that owns its reader")
	}
	return e
}

// presenter records the request counts at the moment a card is presented.
type presenter struct {
	next pos.Presenter
	e    *env
}

func (p presenter) PresentCard(ctx context.Context, owner pos.Account, reader, card string, tip int64, key string) (pos.Reader, error) {
	p.e.atPresent = p.e.counter.Counts()
	return p.next.PresentCard(ctx, owner, reader, card, tip, key)
}

func (e *env) deps(mode string) headless.Deps {
	d := headless.Deps{
		Sellers:   e.counter.Sellers(e.client),
		Payments:  e.counter.Payments(e.client),
		Terminal:  e.counter.Terminal(e.client),
		Presenter: presenter{e.counter.Presenter(e.client), e},
		Journal:   e.journal,
		ConsoleID: "till 1", Operator: "ana", Mode: mode, CaptureMethod: "automatic",
		Now: e.clock.Now, Sleep: e.clock.Sleep,
	}
	if mode == headless.ModeLive {
		d.Presenter = nil
	}
	return d
}

// charge runs Charge and returns the exit code, stdout and stderr.
func (e *env) charge(tb testing.TB, d headless.Deps, args ...string) (int, string, string) {
	tb.Helper()
	var out, errOut bytes.Buffer
	code := headless.RunCharge(context.Background(), d, args, cli.IO{Out: &out, Err: &errOut})
	for _, s := range []string{out.String(), errOut.String()} {
		if strings.Contains(s, testKey) {
			tb.Fatalf("the API key appears in the output: %s", s)
		}
	}
	return code, out.String(), errOut.String()
}

func (e *env) chargeJSON(tb testing.TB, d headless.Deps, args ...string) (int, headless.Result, string) {
	tb.Helper()
	code, out, errOut := e.charge(tb, d, append(args, "--json")...)
	var r headless.Result
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		tb.Fatalf("stdout is not one JSON object: %v\n%s\nstderr: %s", err, out, errOut)
	}
	return code, r, errOut
}

// intents lists every intent on the seller.
func (e *env) intents(tb testing.TB, seller pos.Account) []pos.Intent {
	tb.Helper()
	list, err := e.client.ListIntents(context.Background(), seller, pos.IntentFilter{Limit: 100})
	if err != nil {
		tb.Fatal(err)
	}
	return list
}

func journalFilter(seller pos.Account) journal.SaleFilter { return journal.SaleFilter{Seller: seller} }

// noKeepAlive opens a connection per request, so that net/http does not
// transparently replay a request whose connection dropped (it does for
// requests carrying an Idempotency-Key on a reused connection) and the
// sale machine sees the fault.
func noKeepAlive() *http.Client {
	return &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
}
