package e2e

import (
	"context"
	"fmt"
	"math/rand"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"kasse/checkout"
	"kasse/journal"
	"kasse/pos"
	"kasse/sandbox"
	"kasse/stripeapi"
)

// The soak rings up sales and refunds in process (checkout.Runner and the
// stripeapi adapter against sandbox.New on httptest, with a real journal
// per till) while the sandbox injects every kind of fault it offers into
// about 10% of requests. One goroutine per demo reader plays a cashier:
// present a card (10% decline first, then retry on the same intent), 5%
// cancel while waiting, retry decision states, cancel when retries run
// out. Then the day ends: faults off, every till reconciles (as after a
// restart) and closes what is still open, and the books are checked:
//
//   - double charges: a sale with more than one succeeded intent, or two
//     intents not canceled;
//   - lost sales: a journal sale not settled, a settled sale that
//     disagrees with Stripe (approved but not succeeded, canceled but
//     paid or still open), or an intent at Stripe no journal sale owns;
//   - stuck readers: a reader whose action is still in_progress;
//   - double / lost refunds, likewise, and refunded amounts that differ.
//
// All must be 0. stripe-go's own retries are off and every request opens
// a new connection (net/http silently replays a dropped idempotent request
// on a reused keep-alive connection), so every fault reaches the machine.

type soakConfig struct {
	Sales, Refunds int
	Seed           int64
}

// TestSoak runs 500 sales and 100 refunds (about 10 s on two cores, so it
// runs by default; -short skips it). KASSE_SOAK_SEED=N picks another fault
// seed; which request gets which fault also depends on scheduling.
func TestSoak(t *testing.T) {
	if testing.Short() {
		t.Skip("soak: skipped with -short")
	}
	cfg := soakConfig{Sales: 500, Refunds: 100, Seed: 20261123}
	if v := os.Getenv("KASSE_SOAK_SEED"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			t.Fatalf("KASSE_SOAK_SEED=%q: %v", v, err)
		}
		cfg.Seed = n
	}
	runSoak(t, cfg)
}

// soakFaults: each kind once on a route every run uses (so every kind
// fires even in a short run), then each at a rate; together about 10% of
// all requests.
func soakFaults() []sandbox.Fault {
	const (
		post    = http.MethodPost
		create  = "/v1/payment_intents"
		process = "/v1/terminal/readers/{id}/process_payment_intent"
		cancel  = "/v1/terminal/readers/{id}/cancel_action"
		reader  = "/v1/terminal/readers/{id}"
	)
	slow := 700 * time.Millisecond // beyond the runner's 500 ms request timeout
	return []sandbox.Fault{
		// Once each.
		{Kind: sandbox.FaultLatency, Latency: slow, Method: post, Route: create, Times: 1},
		{Kind: sandbox.FaultDrop, Method: post, Route: create, Times: 1},
		{Kind: sandbox.Fault500, Method: post, Route: process, Times: 1},
		{Kind: sandbox.Fault503, Method: http.MethodGet, Route: reader, Times: 1},
		{Kind: sandbox.FaultLockTimeout, Method: post, Route: create, Times: 1},
		{Kind: sandbox.FaultRateLimit, Method: post, Route: process, Times: 1},
		{Kind: sandbox.FaultReaderOffline, Method: post, Route: process, Times: 1},
		{Kind: sandbox.FaultReaderTimeout, Method: post, Route: process, Times: 1},
		{Kind: sandbox.FaultReaderTimeoutApplied, Method: post, Route: process, Times: 1},
		// Reader commands.
		{Kind: sandbox.FaultReaderOffline, Method: post, Route: process, Rate: 0.02},
		{Kind: sandbox.FaultReaderTimeout, Method: post, Route: process, Rate: 0.02},
		{Kind: sandbox.FaultReaderTimeoutApplied, Method: post, Route: process, Rate: 0.02},
		{Kind: sandbox.FaultReaderOffline, Method: post, Route: cancel, Rate: 0.03},
		{Kind: sandbox.FaultReaderTimeout, Method: post, Route: cancel, Rate: 0.03},
		{Kind: sandbox.FaultReaderTimeoutApplied, Method: post, Route: cancel, Rate: 0.03},
		// Everything.
		{Kind: sandbox.FaultLatency, Latency: 25 * time.Millisecond, Rate: 0.02},
		{Kind: sandbox.FaultLatency, Latency: slow, Rate: 0.005},
		{Kind: sandbox.Fault500, Rate: 0.015},
		{Kind: sandbox.Fault503, Rate: 0.015},
		{Kind: sandbox.FaultLockTimeout, Rate: 0.01},
		{Kind: sandbox.FaultRateLimit, Rate: 0.01},
		{Kind: sandbox.FaultDrop, Rate: 0.015},
	}
}

// till is one console: a reader, its seller, its own journal and runner.
type till struct {
	name    string
	seller  pos.Seller
	reader  pos.Reader
	journal *journal.Journal
	runner  *checkout.Runner
	rng     *rand.Rand

	st       tillStats
	approved []pos.Sale
}

type tillStats struct {
	sales, approved, canceled, failed, other int
	declinedFirst, retries, cashierCancels   int
	presentErrors, notSent                   int
	refunds, refundsOK, refundsOther         int
	slowest                                  time.Duration
}

func (s *tillStats) add(o tillStats) {
	s.sales += o.sales
	s.approved += o.approved
	s.canceled += o.canceled
	s.failed += o.failed
	s.other += o.other
	s.declinedFirst += o.declinedFirst
	s.retries += o.retries
	s.cashierCancels += o.cashierCancels
	s.presentErrors += o.presentErrors
	s.notSent += o.notSent
	s.refunds += o.refunds
	s.refundsOK += o.refundsOK
	s.refundsOther += o.refundsOther
	s.slowest = max(s.slowest, o.slowest)
}

// scaledSleep keeps the machine's poll intervals and back-off but 50 times
// shorter: the sandbox settles a presented card at once.
func scaledSleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(max(d/50, 2*time.Millisecond))
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func newSoakClient(t *testing.T, base string) *stripeapi.Client {
	t.Helper()
	hc := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	c, err := stripeapi.New(stripeapi.Config{APIKey: "sk_test_soakSoakSoak", BaseURL: base,
		MaxNetworkRetries: stripeapi.NoRetries, HTTPClient: hc, RequestLogSize: -1})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func runSoak(t *testing.T, cfg soakConfig) {
	start := time.Now()
	ctx := context.Background()
	srv, err := sandbox.New(sandbox.Options{Seed: "demo", FaultSeed: cfg.Seed})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	client := newSoakClient(t, ts.URL)
	counter := &checkout.Counter{}

	tills := soakTills(t, client, counter, cfg.Seed)
	faults := soakFaults()
	srv.SetFaults(faults)

	// The day: sales, then refunds of approved sales, one goroutine per till.
	var wg sync.WaitGroup
	for i, tl := range tills {
		n := cfg.Sales / len(tills)
		if i < cfg.Sales%len(tills) {
			n++
		}
		wg.Go(func() {
			for k := range n {
				tl.sell(ctx, k)
			}
		})
	}
	wg.Wait()
	salesDone := time.Since(start)
	var candidates []refundJob
	for _, tl := range tills {
		for _, s := range tl.approved {
			candidates = append(candidates, refundJob{till: tl, sale: s})
		}
	}
	rand.New(rand.NewSource(cfg.Seed)).Shuffle(len(candidates), func(i, j int) { candidates[i], candidates[j] = candidates[j], candidates[i] })
	if len(candidates) < cfg.Refunds {
		t.Fatalf("only %d approved sales for %d refunds", len(candidates), cfg.Refunds)
	}
	jobs := map[*till][]refundJob{}
	for i, c := range candidates[:cfg.Refunds] {
		c.full = i%2 == 0
		jobs[c.till] = append(jobs[c.till], c)
	}
	for tl, js := range jobs {
		wg.Go(func() {
			for _, j := range js {
				tl.refund(ctx, j)
			}
		})
	}
	wg.Wait()
	fired := srv.FaultsFired()
	requests := counter.Total()

	// End of day: faults off; wait for requests still held by latency
	// faults (ts.Close blocks until they are done), then every till
	// reconciles as after a restart and closes what is left open.
	srv.SetFaults(nil)
	ts.Close()
	ts2 := httptest.NewServer(srv)
	defer ts2.Close()
	client2 := newSoakClient(t, ts2.URL)
	var eod eodStats
	for _, tl := range tills {
		eod.add(tl.endOfDay(t, ctx, client2))
	}

	v := verify(t, ctx, client2, tills)

	var total tillStats
	for _, tl := range tills {
		total.add(tl.st)
	}
	kinds := map[sandbox.FaultKind]int{}
	nfired := 0
	for i, f := range faults {
		kinds[f.Kind] += fired[i]
		nfired += fired[i]
	}
	var kindList []string
	for _, k := range []sandbox.FaultKind{sandbox.FaultLatency, sandbox.Fault500, sandbox.Fault503, sandbox.FaultLockTimeout,
		sandbox.FaultRateLimit, sandbox.FaultDrop, sandbox.FaultReaderOffline, sandbox.FaultReaderTimeout, sandbox.FaultReaderTimeoutApplied} {
		kindList = append(kindList, fmt.Sprintf("%s=%d", k, kinds[k]))
		if kinds[k] == 0 {
			t.Errorf("fault kind %s never fired", k)
		}
	}
	rate := float64(nfired) / float64(max(requests, 1))
	t.Logf("soak: %d sales, %d refunds on %d tills in %s (sales %s); %d requests, %d faults (%.1f%%): %s",
		total.sales, total.refunds, len(tills), time.Since(start).Round(time.Millisecond), salesDone.Round(time.Millisecond),
		requests, nfired, 100*rate, strings.Join(kindList, " "))
	t.Logf("soak: sales approved %d, canceled %d (cashier %d), failed %d, other %d; first card declined %d, retries %d, present errors %d, not sent %d; slowest sale %s",
		total.approved, total.canceled, total.cashierCancels, total.failed, total.other, total.declinedFirst, total.retries,
		total.presentErrors, total.notSent, total.slowest.Round(time.Millisecond))
	t.Logf("soak: end of day: reconciled %d sales (%d were still waiting for a card or the cashier) and %d refunds",
		eod.reconciled, eod.closed, eod.refunds)
	t.Logf("soak: refunds succeeded %d, other %d", total.refundsOK, total.refundsOther)
	t.Logf("soak: double charges %d, lost sales %d, stuck readers %d, double refunds %d, lost refunds %d",
		v.doubleCharges, v.lostSales, v.stuckReaders, v.doubleRefunds, v.lostRefunds)
	for _, d := range v.details {
		t.Log("  " + d)
	}
	if v.doubleCharges+v.lostSales+v.stuckReaders+v.doubleRefunds+v.lostRefunds != 0 {
		t.Errorf("soak: want 0 double charges, lost sales, stuck readers, double and lost refunds")
	}
	if rate < 0.05 || rate > 0.2 {
		t.Errorf("fault rate %.1f%%, want about 10%%", 100*rate)
	}
	if total.sales != cfg.Sales || total.refunds != cfg.Refunds {
		t.Errorf("ran %d sales and %d refunds, want %d and %d", total.sales, total.refunds, cfg.Sales, cfg.Refunds)
	}
	if total.approved < cfg.Sales*3/4 {
		t.Errorf("only %d of %d sales approved during the day", total.approved, cfg.Sales)
	}
}

// soakTills finds every demo seller that can sell with its reader (the
// seller's own, else the platform reader at the location named after it)
// and gives each a journal and a runner over the counted adapter.
func soakTills(t *testing.T, client *stripeapi.Client, counter *checkout.Counter, seed int64) []*till {
	t.Helper()
	ctx := context.Background()
	sellers, err := client.ListSellers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	locs, err := client.ListLocations(ctx, pos.Platform)
	if err != nil {
		t.Fatal(err)
	}
	platformReaders, err := client.ListReaders(ctx, pos.Platform, pos.ReaderFilter{})
	if err != nil {
		t.Fatal(err)
	}
	sort.Slice(sellers, func(i, j int) bool { return sellers[i].ID < sellers[j].ID })
	var tills []*till
	for _, s := range sellers {
		if s.CardPayments != pos.CapabilityActive || !s.ChargesEnabled {
			continue
		}
		own, err := client.ListReaders(ctx, s.ID, pos.ReaderFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var rd *pos.Reader
		if len(own) > 0 {
			rd = &own[0]
		}
		for _, l := range locs {
			for _, r := range platformReaders {
				if rd == nil && r.LocationID == l.ID && strings.Contains(l.DisplayName, s.DisplayName) {
					rd = &r
				}
			}
		}
		if rd == nil {
			continue
		}
		name := fmt.Sprintf("t%d", len(tills)+1)
		j, err := journal.Open(filepath.Join(t.TempDir(), name+".db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { j.Close() })
		j.SetOrigin("soak-"+name, "soak")
		tills = append(tills, &till{name: name, seller: s, reader: *rd, journal: j,
			runner: &checkout.Runner{Payments: counter.Payments(client), Terminal: counter.Terminal(client),
				Presenter: counter.Presenter(client), Journal: j, Sleep: scaledSleep, Timeout: 500 * time.Millisecond},
			rng: rand.New(rand.NewSource(seed + int64(len(tills))))})
	}
	if len(tills) < 4 {
		t.Fatalf("demo seed gave %d tills, want 4 (three platform readers, one seller-owned)", len(tills))
	}
	return tills
}

func waitingForCard(s pos.Sale) bool { return s.State == pos.SaleWaitingForCard && !s.Pending.Active() }

// amount avoids the test amounts' decline endings (01, 05, 55, 65, 75).
func (tl *till) amount() int64 {
	endings := []int64{0, 10, 20, 50, 90}
	return (1+tl.rng.Int63n(80))*100 + endings[tl.rng.Intn(len(endings))]
}

// sell plays the cashier and the customer for one sale.
func (tl *till) sell(ctx context.Context, n int) {
	started := time.Now()
	tl.st.sales++
	s, err := pos.NewSale(pos.SaleConfig{ID: fmt.Sprintf("soak-%s-%04d", tl.name, n), Seller: tl.seller.ID,
		ReaderOwner: tl.reader.Owner, ReaderID: tl.reader.ID, LocationID: tl.reader.LocationID,
		Currency: tl.seller.Currency, Process: pos.ProcessConfig{SkipTipping: true}}, time.Now())
	if err == nil {
		s.Cart, err = s.Cart.Add(pos.Line{Description: "Soak item", Quantity: 1, UnitPrice: tl.amount()})
	}
	if err != nil {
		panic(err) // the configuration above is valid
	}
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	r := tl.runner
	declineFirst := tl.rng.Float64() < 0.10
	cashierCancels := tl.rng.Float64() < 0.05
	if declineFirst {
		tl.st.declinedFirst++
	}
	if cashierCancels {
		tl.st.cashierCancels++
	}
	retries := 0
	s, _ = r.Drive(ctx, s, pos.ChargeRequested{At: time.Now()}, waitingForCard)
	for round := 0; round < 25 && !s.State.Final() && ctx.Err() == nil; round++ {
		switch {
		case s.State == pos.SaleDraft: // refused before anything was sent
			tl.st.notSent++
			round = 25
		case waitingForCard(s) && cashierCancels:
			s, _ = r.Drive(ctx, s, pos.CancelRequested{At: time.Now(), Reason: "requested_by_customer"}, nil)
		case waitingForCard(s):
			card := visa
			if declineFirst && s.Attempt == 1 {
				card = insufficient
			}
			if err := r.PresentCard(ctx, s, card, 0); err != nil {
				tl.st.presentErrors++
			}
			polls := 0
			s, _ = r.Drive(ctx, s, pos.Tick{At: time.Now()}, func(s pos.Sale) bool {
				polls++
				return waitingForCard(s) && polls > 6 // the card did not land: present again
			})
		case s.State.Decision() && retries < 4:
			retries++
			tl.st.retries++
			s, _ = r.Drive(ctx, s, pos.RetryRequested{At: time.Now()}, waitingForCard)
		case s.State.Decision():
			s, _ = r.Drive(ctx, s, pos.CancelRequested{At: time.Now(), Reason: "abandoned"}, nil)
		default: // a drive cut short (Unknown, Canceling, …): keep driving
			s, _ = r.Drive(ctx, s, pos.Tick{At: time.Now()}, waitingForCard)
		}
	}
	switch s.State {
	case pos.SaleApproved:
		tl.st.approved++
		tl.approved = append(tl.approved, s)
	case pos.SaleCanceled:
		tl.st.canceled++
	case pos.SaleFailed:
		tl.st.failed++
	default:
		tl.st.other++ // left for the end of day
	}
	tl.st.slowest = max(tl.st.slowest, time.Since(started))
}

type refundJob struct {
	till *till
	sale pos.Sale
	full bool
}

// refund refunds a sale in full or half of it, through the refund machine.
func (tl *till) refund(ctx context.Context, j refundJob) {
	tl.st.refunds++
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	var in pos.Intent
	var err error
	for range 20 { // the supervisor looks the payment up (faults apply)
		if in, err = tl.runner.Payments.GetIntent(ctx, j.sale.Seller, j.sale.IntentID); err == nil {
			break
		}
	}
	if err != nil {
		tl.st.refundsOther++
		return
	}
	amount := int64(0)
	if !j.full {
		amount = j.sale.Amount / 2
	}
	rf, err := pos.NewRefund(pos.RefundConfig{ID: "rf-" + j.sale.ID, SaleID: j.sale.ID, Seller: j.sale.Seller, Intent: in,
		Amount: amount, Reason: pos.RefundRequestedByCustomer}, time.Now())
	if err != nil {
		panic(fmt.Sprintf("refund of %s: %v", j.sale.ID, err)) // an approved, captured sale
	}
	rf, _ = tl.runner.DriveRefund(ctx, rf, pos.SubmitRefund{At: time.Now()})
	if rf.State == pos.RefundSucceeded {
		tl.st.refundsOK++
	} else {
		tl.st.refundsOther++
	}
}

type eodStats struct{ reconciled, closed, refunds int }

func (e *eodStats) add(o eodStats) {
	e.reconciled += o.reconciled
	e.closed += o.closed
	e.refunds += o.refunds
}

// endOfDay restarts the till against the fault-free sandbox: Reconcile and
// ReconcileRefunds, then the cashier cancels whatever still waits for a
// card (the customer left).
func (tl *till) endOfDay(t *testing.T, ctx context.Context, client *stripeapi.Client) eodStats {
	t.Helper()
	tl.runner.ReleaseClaims() // the day's process ends; the next one starts
	r := &checkout.Runner{Payments: client, Terminal: client, Presenter: client, Journal: tl.journal, Sleep: scaledSleep}
	var st eodStats
	sales, err := r.Reconcile(ctx, tl.journal, checkout.ReconcileOptions{})
	if err != nil {
		t.Errorf("%s: reconcile: %v", tl.name, err)
	}
	st.reconciled = len(sales)
	for _, x := range sales {
		if x.Was == pos.SaleWaitingForCard || x.Was.Decision() {
			st.closed++ // left for the cashier during the day; reconcile canceled it
		}
		if x.Open() {
			t.Errorf("%s: sale %s still open after reconcile: %s", tl.name, x.Sale.ID, x.Summary())
		}
	}
	refunds, err := r.ReconcileRefunds(ctx, tl.journal)
	if err != nil {
		t.Errorf("%s: reconcile refunds: %v", tl.name, err)
	}
	st.refunds = len(refunds)
	return st
}

type verdict struct {
	doubleCharges, lostSales, stuckReaders, doubleRefunds, lostRefunds int
	details                                                            []string
}

func (v *verdict) note(counter *int, format string, args ...any) {
	*counter++
	if len(v.details) < 30 {
		v.details = append(v.details, fmt.Sprintf(format, args...))
	}
}

// verify compares every till's journal with the sandbox.
func verify(t *testing.T, ctx context.Context, client *stripeapi.Client, tills []*till) verdict {
	t.Helper()
	var v verdict
	sales := map[string]pos.Sale{}
	refunds := map[string]pos.RefundFlow{}
	sellers := map[pos.Account]bool{}
	for _, tl := range tills {
		sellers[tl.seller.ID] = true
		recs, err := tl.journal.ListSales(ctx, journal.SaleFilter{Limit: journal.MaxLimit})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs {
			sales[r.Sale.ID] = r.Sale
		}
		rrecs, err := tl.journal.ListRefunds(ctx, journal.RefundFilter{Limit: journal.MaxLimit})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rrecs {
			refunds[r.Refund.ID] = r.Refund
		}
	}

	// Sales against the sellers' intents.
	bySale := map[string][]pos.Intent{}
	for seller := range sellers {
		ins, err := client.ListIntents(ctx, seller, pos.IntentFilter{Limit: 100000})
		if err != nil {
			t.Fatal(err)
		}
		for _, in := range ins {
			id := in.Metadata["kasse_sale_id"]
			if _, ok := sales[id]; !ok {
				v.note(&v.lostSales, "intent %s (%s) on %s belongs to no journal sale (%q)", in.ID, in.Status, seller, id)
				continue
			}
			bySale[id] = append(bySale[id], in)
		}
	}
	for id, s := range sales {
		var succeeded, open int
		var mine *pos.Intent
		for _, in := range bySale[id] {
			if in.Status == pos.IntentSucceeded {
				succeeded++
			}
			if in.Status != pos.IntentCanceled {
				open++
			}
			if in.ID == s.IntentID {
				mine = &in
			}
		}
		if succeeded > 1 || open > 1 {
			v.note(&v.doubleCharges, "sale %s: %d intents succeeded, %d not canceled", id, succeeded, open)
		}
		switch {
		case !s.State.Final():
			v.note(&v.lostSales, "sale %s is still %s", id, s.State)
		case s.IntentID != "" && mine == nil:
			v.note(&v.lostSales, "sale %s: its intent %s is not at Stripe", id, s.IntentID)
		case s.State == pos.SaleApproved && mine.Status != pos.IntentSucceeded:
			v.note(&v.lostSales, "sale %s approved, intent %s %s", id, mine.ID, mine.Status)
		case s.State != pos.SaleApproved && open > 0:
			v.note(&v.lostSales, "sale %s %s, but %d of its intents are not canceled (%d succeeded)", id, s.State, open, succeeded)
		}
	}

	// Readers.
	for _, tl := range tills {
		rd, err := client.GetReader(ctx, tl.reader.Owner, tl.reader.ID)
		if err != nil {
			t.Fatal(err)
		}
		if rd.Busy() {
			v.note(&v.stuckReaders, "reader %s (%s) still %s %s for %s", rd.ID, tl.name, rd.Action.Type, rd.Action.Status, rd.Action.PaymentIntentID)
		}
	}

	// Refunds: every paid intent's refunds and charge against the journal.
	byIntent := map[string][]pos.RefundFlow{}
	paid := map[string]pos.Account{}
	for _, rf := range refunds {
		byIntent[rf.IntentID] = append(byIntent[rf.IntentID], rf)
		paid[rf.IntentID] = rf.Seller
		if !rf.State.Final() {
			v.note(&v.lostRefunds, "refund %s is still %s", rf.ID, rf.State)
		}
	}
	for _, s := range sales {
		if s.State == pos.SaleApproved {
			paid[s.IntentID] = s.Seller
		}
	}
	for intentID, seller := range paid {
		rfs := byIntent[intentID]
		list, err := client.ListRefunds(ctx, seller, intentID)
		if err != nil {
			t.Fatal(err)
		}
		atStripe := map[string][]pos.Refund{}
		for _, re := range list {
			kid := re.Metadata["kasse_refund_id"]
			if _, ok := refunds[kid]; !ok {
				v.note(&v.lostRefunds, "refund %s on %s belongs to no journal refund (%q)", re.ID, intentID, kid)
			}
			atStripe[kid] = append(atStripe[kid], re)
		}
		var want int64
		for _, rf := range rfs {
			got := atStripe[rf.ID]
			switch {
			case len(got) > 1:
				v.note(&v.doubleRefunds, "refund %s was made %d times", rf.ID, len(got))
			case rf.State == pos.RefundSucceeded && (len(got) == 0 || got[0].Status != "succeeded" || got[0].Amount != rf.Amount):
				v.note(&v.lostRefunds, "refund %s succeeded in the journal, at Stripe: %+v", rf.ID, got)
			case rf.State != pos.RefundSucceeded && len(got) > 0 && got[0].Status == "succeeded":
				v.note(&v.lostRefunds, "refund %s is %s in the journal but succeeded at Stripe", rf.ID, rf.State)
			}
			if rf.State == pos.RefundSucceeded {
				want += rf.Amount
			}
		}
		in, err := client.GetIntent(ctx, seller, intentID)
		if err != nil {
			t.Fatal(err)
		}
		if in.LatestCharge == nil || in.LatestCharge.AmountRefunded != want {
			v.note(&v.lostRefunds, "intent %s: charge refunded %v, journal %d", intentID, in.LatestCharge, want)
		}
	}
	return v
}
