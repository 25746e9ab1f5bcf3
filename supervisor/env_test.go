package supervisor_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"kasse/checkout"
	"kasse/config"
	"kasse/internal/fixture"
	"kasse/internal/testkit"
	"kasse/journal"
	"kasse/pos"
	"kasse/sandbox"
	"kasse/stripeapi"
	"kasse/supervisor"
)

// Distinctive secrets: the secrets test looks for them everywhere.
const (
	testKey = "sk_test_kasseSupQz81Secret"
	thePIN  = supervisor.PIN("739184")
)

// cheap are argon2id parameters for test hashes (the real ones cost ~90 ms
// a try); hashes carry their parameters, so verification follows them.
var cheap = supervisor.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

var operators = []config.Operator{
	{Name: "ann", Role: config.RoleSupervisor},
	{Name: "bo", Role: config.RoleCashier},
	{Name: "tess", Role: config.RoleTech},
	{Name: "sam", Role: config.RoleSupervisor},
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// spy records the refund requests that reach the port.
type spy struct {
	pos.Payments
	mu   sync.Mutex
	reqs []pos.RefundRequest
}

func (s *spy) CreateRefund(ctx context.Context, seller pos.Account, req pos.RefundRequest, key string) (pos.Refund, error) {
	s.mu.Lock()
	s.reqs = append(s.reqs, req)
	s.mu.Unlock()
	return s.Payments.CreateRefund(ctx, seller, req, key)
}

// env: the demo sandbox behind the real adapter (counted), a journal in a
// temp dir, the supervisor service on a fake clock, all logs in one buffer.
type env struct {
	t       testing.TB
	srv     *sandbox.Server
	client  *stripeapi.Client
	counter *checkout.Counter
	spy     *spy
	journal *journal.Journal
	jpath   string
	clock   *clock
	logs    *testkit.SyncBuffer
	log     *slog.Logger
	deps    supervisor.Deps
	svc     *supervisor.Service
	seller  pos.Seller // usd seller with a platform reader
	reader  pos.Reader
}

var saleNo atomic.Int64

// noKeepAlive opens a connection per request, so net/http never replays a
// request whose connection dropped and the refund machine sees the fault.
func noKeepAlive() *http.Client {
	return &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
}

func newEnv(t testing.TB) *env {
	t.Helper()
	e := &env{t: t, logs: &testkit.SyncBuffer{}, clock: &clock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.Local)}}
	e.log = slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug,
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{} // wall-clock digits could look like anything
			}
			return a
		}}))
	sb := fixture.NewStripe(t, sandbox.Options{Seed: "demo", Logger: e.log.With("component", "sandbox"), DisputeDelay: 10 * time.Millisecond},
		stripeapi.Config{APIKey: testKey, HTTPClient: noKeepAlive(), Logger: e.log.With("component", "stripe")})
	e.srv, e.client = sb.Server, sb.Client
	e.jpath = filepath.Join(t.TempDir(), "journal.db")
	e.journal = fixture.JournalAt(t, e.jpath)
	e.journal.SetOrigin("till-1", "bo")
	e.journal.SetClock(e.clock.Now)
	e.counter = &checkout.Counter{}
	e.spy = &spy{Payments: e.client}
	e.findSeller()
	e.deps = supervisor.Deps{
		Payments: e.counter.Payments(e.spy), Journal: e.journal, Operators: operators, Operator: "ann",
		ConsoleID: "till-1", PinLockout: 5 * time.Minute, Now: e.clock.Now, Log: e.log,
		Disputes: e.client, Sellers: setups{Sellers: e.client},
	}
	e.deps.Runner = e.runner()
	var err error
	if e.svc, err = supervisor.New(e.deps); err != nil {
		t.Fatal(err)
	}
	e.setPIN("ann", thePIN)
	e.setPIN("sam", "5802")
	e.setPIN("tess", "2468")
	e.setPIN("bo", "1357")
	return e
}

// runner executes over the counted ports; it never really sleeps.
func (e *env) runner() *checkout.Runner {
	return &checkout.Runner{
		Payments: e.counter.Payments(e.spy), Terminal: e.counter.Terminal(e.client), Presenter: e.counter.Presenter(e.client),
		Journal: e.journal, Now: e.clock.Now, Log: e.log,
		Sleep: func(ctx context.Context, d time.Duration) error { e.clock.Add(d); return ctx.Err() },
	}
}

func (e *env) findSeller() {
	ctx := context.Background()
	sellers, err := e.client.ListSellers(ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	locs, _ := e.client.ListLocations(ctx, pos.Platform)
	readers, _ := e.client.ListReaders(ctx, pos.Platform, pos.ReaderFilter{})
	for _, s := range sellers {
		if s.CardPayments != pos.CapabilityActive || s.Currency != "usd" {
			continue
		}
		for _, l := range locs {
			for _, r := range readers {
				if strings.Contains(l.DisplayName, s.DisplayName) && r.LocationID == l.ID {
					e.seller, e.reader = s, r
					return
				}
			}
		}
	}
	e.t.Fatal("demo seed has no usd seller with a platform reader")
}

// setPIN stores a cheap hash of pin for operator.
func (e *env) setPIN(operator string, pin supervisor.PIN) {
	e.t.Helper()
	h, err := supervisor.HashPINWith(pin, cheap)
	if err != nil {
		e.t.Fatal(err)
	}
	if err := e.journal.SetPinHash(context.Background(), operator, h, e.clock.Now()); err != nil {
		e.t.Fatal(err)
	}
}

// sale makes a payment of amount directly with the adapter, as another
// console would (not in this journal): create the intent on the seller,
// process it on the seller's platform reader, present a card. manual
// leaves it authorized (requires_capture).
func (e *env) sale(amount int64, manual bool) pos.Intent {
	e.t.Helper()
	return e.saleWithFee(amount, 0, manual)
}

// saleWithFee is sale with a platform application fee on the intent.
func (e *env) saleWithFee(amount, fee int64, manual bool) pos.Intent {
	e.t.Helper()
	ctx := context.Background()
	n := saleNo.Add(1)
	capture := "automatic"
	if manual {
		capture = "manual"
	}
	in, err := e.client.CreateIntent(ctx, e.seller.ID, pos.CreateIntentRequest{Amount: amount, Currency: "usd",
		CaptureMethod: capture, Description: "test sale", ApplicationFeeAmount: fee}, fmt.Sprintf("t-create-%d", n))
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.client.ProcessIntent(ctx, e.reader.Owner, e.reader.ID, in.ID, pos.ProcessConfig{SkipTipping: true}, fmt.Sprintf("t-process-%d", n)); err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.client.PresentCard(ctx, e.reader.Owner, e.reader.ID, "", 0, fmt.Sprintf("t-present-%d", n)); err != nil {
		e.t.Fatal(err)
	}
	in, err = e.client.GetIntent(ctx, e.seller.ID, in.ID)
	want := pos.IntentSucceeded
	if manual {
		want = pos.IntentRequiresCapture
	}
	if err != nil || in.Status != want {
		e.t.Fatalf("test sale: %s, %v (want %s)", in.Status, err, want)
	}
	e.counter.Reset()
	return in
}

// journalSale makes a sale through the checkout runner, so that this
// console's journal has it, with an optional application fee.
func (e *env) journalSale(amount, fee int64, manual bool) pos.Sale {
	e.t.Helper()
	return e.journalSaleWith(amount, fee, manual, "")
}

// journalSaleWith is journalSale with card presented ("" = the default).
func (e *env) journalSaleWith(amount, fee int64, manual bool, card string) pos.Sale {
	e.t.Helper()
	ctx := context.Background()
	capture := ""
	if manual {
		capture = "manual"
	}
	s, err := pos.NewSale(pos.SaleConfig{ID: fmt.Sprintf("s%d", saleNo.Add(1)), Seller: e.seller.ID, ReaderOwner: e.reader.Owner,
		ReaderID: e.reader.ID, LocationID: e.reader.LocationID, Currency: "usd", CaptureMethod: capture,
		ApplicationFee: fee, Process: pos.ProcessConfig{SkipTipping: true}}, e.clock.Now())
	if err != nil {
		e.t.Fatal(err)
	}
	if s.Cart, err = s.Cart.Add(pos.Line{Description: "Item", Quantity: 1, UnitPrice: amount}); err != nil {
		e.t.Fatal(err)
	}
	r := e.runner()
	s, err = r.Drive(ctx, s, pos.ChargeRequested{At: e.clock.Now()}, func(s pos.Sale) bool {
		return s.State == pos.SaleWaitingForCard && !s.Pending.Active()
	})
	if err != nil || s.State != pos.SaleWaitingForCard {
		e.t.Fatalf("to the reader: %s, %v", s.State, err)
	}
	if err := r.PresentCard(ctx, s, card, 0); err != nil {
		e.t.Fatal(err)
	}
	if s, err = r.Drive(ctx, s, pos.Tick{At: e.clock.Now()}, nil); err != nil {
		e.t.Fatal(err)
	}
	want := pos.SaleApproved
	if manual {
		want = pos.SaleRequiresCapture
	}
	if s.State != want {
		e.t.Fatalf("journal sale is %s, want %s (%v)", s.State, want, s.LastError)
	}
	e.counter.Reset()
	return s
}

// refunds lists the payment's refunds at Stripe.
func (e *env) refunds(intentID string) []pos.Refund {
	e.t.Helper()
	list, err := e.client.ListRefunds(context.Background(), e.seller.ID, intentID)
	if err != nil {
		e.t.Fatal(err)
	}
	return list
}

// audit returns the audit log, oldest first.
func (e *env) audit() []journal.AuditEntry {
	e.t.Helper()
	list, err := e.journal.ListAudit(context.Background(), journal.AuditFilter{Limit: 1000})
	if err != nil {
		e.t.Fatal(err)
	}
	for i, j := 0, len(list)-1; i < j; i, j = i+1, j-1 {
		list[i], list[j] = list[j], list[i]
	}
	return list
}

// auditOf returns the entries with action.
func (e *env) auditOf(action string) []journal.AuditEntry {
	var out []journal.AuditEntry
	for _, a := range e.audit() {
		if a.Action == action {
			out = append(out, a)
		}
	}
	return out
}

// mutating is the number of POSTs made through the counted ports.
func (e *env) mutating() int {
	n := 0
	for _, m := range []string{"CreateIntent", "CaptureIntent", "CancelIntent", "CreateRefund", "ProcessIntent", "CancelAction", "SetDisplay", "PresentCard"} {
		n += e.counter.Count(m)
	}
	return n
}

func (e *env) refund(req supervisor.RefundRequest) (supervisor.RefundResult, error) {
	if req.Seller == "" {
		req.Seller = e.seller.ID
	}
	if req.Operator == "" {
		req.Operator, req.PIN = "ann", thePIN
	}
	if req.Reason == "" {
		req.Reason = pos.RefundRequestedByCustomer
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	return e.svc.Refund(ctx, req)
}
