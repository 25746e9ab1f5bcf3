package checkout_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"kasse/checkout"
	"kasse/pos"
	"kasse/sandbox"
)

func TestApprovedSaleTwoRequestsToInProgress(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	s := e.newSale(t, "usd", 1250)

	s, err := e.runner.Drive(ctx, s, pos.ChargeRequested{At: time.Now()}, waitingForCard)
	if err != nil || s.State != pos.SaleWaitingForCard {
		t.Fatalf("drive to the reader: %s, %v (last error %v)", s.State, err, s.LastError)
	}
	if got := e.counter.Counts(); e.counter.Total() != 2 || got["CreateIntent"] != 1 || got["ProcessIntent"] != 1 {
		t.Fatalf("requests from charge to in_progress = %v, want exactly CreateIntent + ProcessIntent", got)
	}
	rec, err := e.journal.Record(ctx, s.ID)
	if err != nil || rec.Sale.State != pos.SaleWaitingForCard || strings.Join(rec.Keys, " ") != s.CreateKey()+" "+s.ProcessKey(1) {
		t.Fatalf("journal: %+v keys=%v, %v", rec.Sale.State, rec.Keys, err)
	}

	if err := e.runner.PresentCard(ctx, s, "4242424242424242", 0); err != nil {
		t.Fatal(err)
	}
	s, err = e.runner.Drive(ctx, s, pos.Tick{At: time.Now()}, nil)
	if err != nil || s.State != pos.SaleApproved {
		t.Fatalf("after the card: %s, %v", s.State, err)
	}
	if s.Card.Brand != "visa" || s.Card.Last4 != "4242" || s.ChargeID == "" || s.Amount != 1250 {
		t.Fatalf("approved sale: card=%+v charge=%q amount=%d", s.Card, s.ChargeID, s.Amount)
	}
	saved, err := e.journal.Sale(ctx, s.ID)
	if err != nil || saved.State != pos.SaleApproved || saved.Card.Last4 != "4242" {
		t.Fatalf("journal after approval: %s %+v, %v", saved.State, saved.Card, err)
	}
	if un, _ := e.journal.UnfinishedSales(ctx); len(un) != 0 {
		t.Fatalf("unfinished after approval: %d", len(un))
	}
	if n := len(e.intentsOf(t, s)); n != 1 {
		t.Fatalf("intents for the sale = %d", n)
	}
}

// failStore fails every write.
type failStore struct{}

func (failStore) SaveSale(context.Context, pos.Sale, ...string) error {
	return errors.New("disk full")
}

func TestNothingIsSentWithoutTheJournal(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	r := e.newRunner(failStore{})
	s := e.newSale(t, "usd", 1250)
	s, err := r.Drive(ctx, s, pos.ChargeRequested{At: time.Now()}, nil)
	if err != nil || s.State != pos.SaleDraft || !strings.Contains(s.Notice, "Not sent") {
		t.Fatalf("charge with a failing journal: %s %q, %v", s.State, s.Notice, err)
	}
	if n := e.counter.Total(); n != 0 {
		t.Fatalf("%d requests sent without a journal: %v", n, e.counter.Counts())
	}

	// A caller that skips the Record is refused as well.
	s2 := e.newSale(t, "usd", 1250)
	s2, effs := pos.Step(s2, pos.ChargeRequested{At: time.Now()})
	if len(effs) != 2 {
		t.Fatalf("charge effects = %#v", effs)
	}
	ev := e.runner.Exec(ctx, s2, effs[1]) // CreateIntent, Record skipped
	ns, ok := ev.(pos.RequestNotSent)
	if !ok || ns.Op != pos.OpCreateIntent || ns.Seq != s2.Pending.Seq {
		t.Fatalf("unrecorded create answered %#v", ev)
	}
	if n := e.counter.Total(); n != 0 {
		t.Fatalf("unrecorded create was sent")
	}
}

// orderStore remembers recorded keys; orderedPayments checks each create
// and cancel against them at the moment of sending.
type orderStore struct {
	mu   sync.Mutex
	keys map[string]bool
	next checkout.SaleStore
}

func (o *orderStore) SaveSale(ctx context.Context, s pos.Sale, keys ...string) error {
	if err := o.next.SaveSale(ctx, s, keys...); err != nil {
		return err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, k := range keys {
		o.keys[k] = true
	}
	return nil
}

func (o *orderStore) has(k string) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.keys[k]
}

type orderedPayments struct {
	pos.Payments
	store *orderStore
	t     *testing.T
}

func (p orderedPayments) CreateIntent(ctx context.Context, seller pos.Account, req pos.CreateIntentRequest, key string) (pos.Intent, error) {
	if !p.store.has(key) {
		p.t.Errorf("create sent with key %s before the journal had it", key)
	}
	return p.Payments.CreateIntent(ctx, seller, req, key)
}

func (p orderedPayments) CancelIntent(ctx context.Context, seller pos.Account, id, reason, key string) (pos.Intent, error) {
	if !p.store.has(key) {
		p.t.Errorf("cancel sent with key %s before the journal had it", key)
	}
	return p.Payments.CancelIntent(ctx, seller, id, reason, key)
}

type orderedTerminal struct {
	pos.Terminal
	store *orderStore
	t     *testing.T
}

func (o orderedTerminal) ProcessIntent(ctx context.Context, owner pos.Account, reader, intent string, cfg pos.ProcessConfig, key string) (pos.Reader, error) {
	if !o.store.has(key) {
		o.t.Errorf("process sent with key %s before the journal had it", key)
	}
	return o.Terminal.ProcessIntent(ctx, owner, reader, intent, cfg, key)
}

func (o orderedTerminal) CancelAction(ctx context.Context, owner pos.Account, reader, key string) (pos.Reader, error) {
	if !o.store.has(key) {
		o.t.Errorf("cancel_action sent with key %s before the journal had it", key)
	}
	return o.Terminal.CancelAction(ctx, owner, reader, key)
}

func TestDeclineThenCancelRecordsEveryKeyFirst(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	store := &orderStore{keys: map[string]bool{}, next: e.journal}
	r := e.newRunner(store)
	r.Payments = orderedPayments{r.Payments, store, t}
	r.Terminal = orderedTerminal{r.Terminal, store, t}

	s := e.newSale(t, "eur", 2000)
	s, err := r.Drive(ctx, s, pos.ChargeRequested{At: time.Now()}, waitingForCard)
	if err != nil || s.State != pos.SaleWaitingForCard {
		t.Fatalf("to the reader: %s, %v", s.State, err)
	}
	if err := r.PresentCard(ctx, s, "4000000000009995", 0); err != nil {
		t.Fatal(err)
	}
	s, err = r.Drive(ctx, s, pos.Tick{At: time.Now()}, nil)
	if err != nil || s.State != pos.SaleDeclined || s.Decline == nil || s.Decline.DeclineCode != "insufficient_funds" {
		t.Fatalf("after the declining card: %s decline=%+v, %v", s.State, s.Decline, err)
	}
	s, err = r.Drive(ctx, s, pos.CancelRequested{At: time.Now()}, nil)
	if err != nil || s.State != pos.SaleCanceled {
		t.Fatalf("cancel: %s, %v", s.State, err)
	}
	ins := e.intentsOf(t, s)
	if len(ins) != 1 || ins[0].Status != pos.IntentCanceled {
		t.Fatalf("intents = %+v", ins)
	}
	rec, _ := e.journal.Record(ctx, s.ID)
	if rec.Sale.State != pos.SaleCanceled || len(rec.Keys) < 3 {
		t.Fatalf("journal: %s keys=%v", rec.Sale.State, rec.Keys)
	}
	// Given up after a decline, the sale is still the decline it was: the
	// journal's reporting row says so (the end of day counts it declined),
	// and so does Stripe (the canceled intent keeps its last error).
	rows, err := e.journal.SaleRowsByIntent(ctx, "", []string{s.IntentID})
	if err != nil || len(rows) != 1 || !rows[0].Declined || rec.Sale.Decline == nil {
		t.Fatalf("reporting row after cancel: %+v, %v", rows, err)
	}
	if in, err := e.client.GetIntent(ctx, s.Seller, s.IntentID); err != nil || in.LastError == nil {
		t.Fatalf("canceled intent's last error: %+v, %v", in.LastError, err)
	}
}

func TestDroppedCreateIsResentWithTheSameKey(t *testing.T) {
	ctx := context.Background()
	e := newEnvWith(t, noKeepAlive())
	e.srv.SetFaults([]sandbox.Fault{{Kind: sandbox.FaultDrop, Method: "POST", Route: "/v1/payment_intents", Times: 1}})
	s := e.newSale(t, "usd", 990)
	s, err := e.runner.Drive(ctx, s, pos.ChargeRequested{At: time.Now()}, waitingForCard)
	if err != nil || s.State != pos.SaleWaitingForCard {
		t.Fatalf("after a dropped create: %s, %v (last error %v)", s.State, err, s.LastError)
	}
	if fired := e.srv.FaultsFired(); fired[0] != 1 {
		t.Fatalf("fault fired %v", fired)
	}
	if n := e.counter.Count("CreateIntent"); n != 2 {
		t.Fatalf("creates sent = %d, want 2 (the dropped one and its same-key resend)", n)
	}
	ins := e.intentsOf(t, s)
	if len(ins) != 1 || ins[0].ID != s.IntentID {
		t.Fatalf("intents = %+v, sale intent %s", ins, s.IntentID)
	}
}

func TestReaderTimeoutThatAppliedIsNotResent(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	e.srv.SetFaults([]sandbox.Fault{{Kind: sandbox.FaultReaderTimeoutApplied, Method: "POST",
		Route: "/v1/terminal/readers/{id}/process_payment_intent", Times: 1}})
	s := e.newSale(t, "jpy", 500)
	s, err := e.runner.Drive(ctx, s, pos.ChargeRequested{At: time.Now()}, waitingForCard)
	if err != nil || s.State != pos.SaleWaitingForCard {
		t.Fatalf("after a false reader timeout: %s, %v", s.State, err)
	}
	if n := e.counter.Count("ProcessIntent"); n != 1 {
		t.Fatalf("process sent %d times; the reader had it after the first", n)
	}
	if err := e.runner.PresentCard(ctx, s, "", 0); err != nil {
		t.Fatal(err)
	}
	s, err = e.runner.Drive(ctx, s, pos.Tick{At: time.Now()}, nil)
	if err != nil || s.State != pos.SaleApproved || s.Amount != 500 || s.Currency != "jpy" {
		t.Fatalf("final: %s %d %s, %v", s.State, s.Amount, s.Currency, err)
	}
	if n := len(e.intentsOf(t, s)); n != 1 {
		t.Fatalf("intents = %d", n)
	}
}

func TestDriveStopsOnContext(t *testing.T) {
	e := newEnv(t)
	s := e.newSale(t, "usd", 1250)
	ctx, cancel := context.WithCancel(context.Background())
	r := e.newRunner(e.journal)
	r.Sleep = func(ctx context.Context, d time.Duration) error { cancel(); return ctx.Err() }
	s, err := r.Drive(ctx, s, pos.ChargeRequested{At: time.Now()}, nil)
	if !errors.Is(err, context.Canceled) || s.State != pos.SaleWaitingForCard {
		t.Fatalf("drive with a canceled context: %s, %v", s.State, err)
	}
}

func TestCounter(t *testing.T) {
	var c checkout.Counter
	e := newEnv(t)
	sellers := c.Sellers(e.client)
	if _, err := sellers.ListSellers(context.Background()); err != nil {
		t.Fatal(err)
	}
	sellers.ListSellers(context.Background())
	if c.Count("ListSellers") != 2 || c.Total() != 2 || strings.Join(c.Methods(), ",") != "ListSellers" {
		t.Fatalf("counts = %v", c.Counts())
	}
	c.Reset()
	if c.Total() != 0 {
		t.Fatal("reset")
	}
}

// A runner built without a port answers the effects that need it with a
// failure the machine understands (nothing was sent), never a nil-pointer
// crash (issue 10, finding 3: the supervisor's runner had no Terminal).
func TestRunnerWithoutAPortAnswersInsteadOfCrashing(t *testing.T) {
	ctx := context.Background()
	r := &checkout.Runner{Journal: failStore{}}
	s := pos.Sale{ID: "s-noport"}
	for _, eff := range []pos.Effect{
		pos.PollReader{Seq: 1, ReaderID: "tmr_1"},
		pos.GetIntent{Seq: 2, Seller: "acct_1", IntentID: "pi_1"},
	} {
		ev := r.Exec(ctx, s, eff)
		f, ok := ev.(pos.RequestFailed)
		if !ok || pos.KindOf(f.Err) != pos.KindInvalidRequest || !strings.Contains(f.Err.Error(), "not sent") {
			t.Fatalf("%T answered %#v", eff, ev)
		}
	}
}
