package events

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/client"

	"kasse/internal/fixture"
	"kasse/internal/testkit"
	"kasse/journal"
	"kasse/pos"
	"kasse/sandbox"
	"kasse/stripeapi"
)

// world is the demo sandbox behind the real adapter (every exchange held
// to stripe-mock and the 2023-10-16 spec), a journal, and the handler.
type world struct {
	t       *testing.T
	sb      *sandbox.Server
	url     string
	c       *stripeapi.Client
	sc      *client.API // straight to the sandbox: what the Dashboard or another system does
	j       *journal.Journal
	h       *Handler
	lumen   pos.Seller
	reader  pos.Reader
	console string
	n       int
	logs    *testkit.SyncBuffer
}

func newWorld(t *testing.T, opts sandbox.Options) *world {
	t.Helper()
	if opts.Seed == "" {
		opts.Seed = "demo"
	}
	if opts.DisputeDelay == 0 {
		opts.DisputeDelay = 10 * time.Millisecond
	}
	fx := fixture.NewStripe(t, opts, stripeapi.Config{APIKey: "sk_test_events"})
	sb, c := fx.Server, fx.Client
	cfg := &stripe.BackendConfig{URL: stripe.String(fx.URL), HTTPClient: fx.HTTP, MaxNetworkRetries: stripe.Int64(0),
		LeveledLogger: &stripe.LeveledLogger{Level: stripe.LevelNull}}
	sc := client.New("sk_test_dashboard", &stripe.Backends{API: stripe.GetBackendWithConfig(stripe.APIBackend, cfg),
		Connect: stripe.GetBackendWithConfig(stripe.ConnectBackend, cfg), Uploads: stripe.GetBackendWithConfig(stripe.UploadsBackend, cfg)})
	j := fixture.Journal(t)
	j.SetOrigin("till-1", "anna")
	w := &world{t: t, sb: sb, url: fx.URL, c: c, sc: sc, j: j, console: "till-1", logs: &testkit.SyncBuffer{}}
	w.h = &Handler{Journal: j, ConsoleID: w.console, Known: knownSellers(c), Log: slog.New(slog.NewTextHandler(w.logs, nil))}
	ctx := context.Background()
	sellers, err := c.ListSellers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sellers {
		if strings.HasPrefix(s.DisplayName, "Lumen Coffee") {
			w.lumen = s
		}
	}
	locs, err := c.ListLocations(ctx, pos.Platform)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range locs {
		if l.Metadata["kasse_seller"] != string(w.lumen.ID) {
			continue
		}
		rs, err := c.ListReaders(ctx, pos.Platform, pos.ReaderFilter{LocationID: l.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(rs) > 0 {
			w.reader = rs[0]
		}
	}
	if w.lumen.ID == "" || w.reader.ID == "" {
		t.Fatal("demo seed: no Lumen Coffee Roasters with a platform reader")
	}
	return w
}

// knownSellers is a Known that asks the seller list each time (tests).
func knownSellers(s pos.Sellers) func(context.Context, pos.Account) (bool, error) {
	return func(ctx context.Context, a pos.Account) (bool, error) {
		list, err := s.ListSellers(ctx)
		if err != nil {
			return false, err
		}
		for _, x := range list {
			if x.ID == a {
				return true, nil
			}
		}
		return false, nil
	}
}

func (w *world) key(what string) string {
	w.n++
	return fmt.Sprintf("ev-%s-%d-%d", what, w.n, time.Now().UnixNano())
}

// sell charges amount on Lumen's reader with card, capture "automatic" or
// "manual", as the console would, and writes the sale to the journal as
// the console leaves it (approved, or authorized).
func (w *world) sell(saleID string, amount int64, card, capture string) pos.Sale {
	w.t.Helper()
	ctx := context.Background()
	in, err := w.c.CreateIntent(ctx, w.lumen.ID, pos.CreateIntentRequest{Amount: amount, Currency: "usd", CaptureMethod: capture,
		Metadata: map[string]string{"kasse_sale_id": saleID, "kasse_console_id": w.console}}, w.key("create"))
	if err != nil {
		w.t.Fatal(err)
	}
	if _, err := w.c.ProcessIntent(ctx, pos.Platform, w.reader.ID, in.ID, pos.ProcessConfig{}, w.key("process")); err != nil {
		w.t.Fatal(err)
	}
	if _, err := w.c.PresentCard(ctx, pos.Platform, w.reader.ID, card, 0, w.key("present")); err != nil {
		w.t.Fatal(err)
	}
	if in, err = w.c.GetIntent(ctx, w.lumen.ID, in.ID); err != nil {
		w.t.Fatal(err)
	}
	return w.saveSale(saleID, in)
}

// saveSale writes sale saleID for intent in, as the console leaves it.
func (w *world) saveSale(saleID string, in pos.Intent) pos.Sale {
	w.t.Helper()
	st := pos.SaleApproved
	if in.Status == pos.IntentRequiresCapture {
		st = pos.SaleRequiresCapture
	}
	s := pos.Sale{ID: saleID, Seller: w.lumen.ID, Currency: "usd", Amount: in.Amount, State: st, IntentID: in.ID,
		IntentStatus: in.Status, ChargeID: in.LatestChargeID, ReaderID: w.reader.ID, ConsoleID: w.console, Operator: "anna",
		AmountCapturable: in.AmountCapturable, CreatedAt: in.Created, UpdatedAt: time.Now()}
	if in.LatestCharge != nil {
		s.Card = in.LatestCharge.Card
	}
	if err := w.j.SaveSale(context.Background(), s); err != nil {
		w.t.Fatal(err)
	}
	return s
}

// dashboardRefund refunds amount of intent on Lumen as the Dashboard
// does: no Kasse metadata.
func (w *world) dashboardRefund(intentID string, amount int64) string {
	w.t.Helper()
	p := &stripe.RefundParams{PaymentIntent: stripe.String(intentID), Amount: stripe.Int64(amount)}
	p.SetStripeAccount(string(w.lumen.ID))
	r, err := w.sc.Refunds.New(p)
	if err != nil {
		w.t.Fatal(err)
	}
	return r.ID
}

// endpoint registers a connect webhook endpoint for url with every event
// Kasse acts on and returns its secret.
func (w *world) endpoint(url string) (id, secret string) {
	w.t.Helper()
	we, err := w.sc.WebhookEndpoints.New(&stripe.WebhookEndpointParams{URL: stripe.String(url), Connect: stripe.Bool(true),
		EnabledEvents: stripe.StringSlice(pos.WebhookEvents())})
	if err != nil {
		w.t.Fatal(err)
	}
	return we.ID, we.Secret
}

// refunded sums the journal's succeeded refunds of sale id.
func (w *world) refunded(saleID string) (sum int64, n int) {
	w.t.Helper()
	var got int64
	var count int
	err := w.j.EachRefundRow(context.Background(), journal.RefundRowFilter{}, func(r journal.RefundRow) error {
		if r.SaleID == saleID && r.State == pos.RefundSucceeded {
			got += r.Amount
			count++
		}
		return nil
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return got, count
}

// eventually polls cond for up to 10 s.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

var _ http.Handler = (*Server)(nil)
