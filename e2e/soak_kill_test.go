package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"kasse/journal"
	"kasse/pos"
	"kasse/stripeapi"
)

// The kill soak is the shop of issue 12: three (or more) tills, each its
// own data directory and journal, ring up sales with the REAL binary
// (`kasse charge`, one process per sale, built once by TestMain) and
// refund some (`kasse refund`), all against one `kasse sandbox --state
// FILE` process that outlives them and injects every kind of fault it
// offers into about 10% of requests. About a quarter of the runs are
// SIGKILLed at a random moment — a run is only a few tens of milliseconds
// without faults, so the moment is drawn over the length the till's runs
// of that kind actually take: during start-up and its reconciliation, the
// create, the hand-off, the card, the cancel, the refund. Each next run of
// a till settles what the killed one left (every command reconciles
// first). Then the day ends: the sandbox is restarted on its state file
// WITHOUT faults, every till runs `kasse reconcile --json`, and the books
// are checked over the sandbox's HTTP API against every journal:
//
//   - double charges: a sale with more than one succeeded intent, or more
//     than one not canceled;
//   - lost sales: a succeeded intent no journal holds as approved, a
//     journal sale not settled or disagreeing with Stripe;
//   - open intents: any intent with metadata kasse_sale_id that is neither
//     succeeded nor canceled;
//   - stuck readers: any reader whose action is still in_progress;
//   - double and lost refunds, likewise (and refunded amounts that differ).
//
// All must be 0. The faults are counted by a reverse proxy in front of the
// sandbox that classifies every answer (the sandbox's own counters are not
// reachable in another process): latency (an answer ≥ 1.1 s; the fault
// holds 1.2 s), 500/503 from the fault injector, 429 lock_timeout and
// rate_limit, a dropped connection, terminal_reader_offline, and
// terminal_reader_timeout — a plain timeout on cancel_action, the "applied"
// false negative on process_payment_intent (each kind is configured on its
// route only, so the answer tells which fired).
//
// Size: KASSE_SOAK_SALES=1000 (opt-in; default 60, about 15 s on two
// cores), KASSE_SOAK_TILLS (default 3; more than the demo's four readers
// registers extra simulated readers), KASSE_SOAK_SEED.

type killSoakConfig struct {
	Sales, Refunds, Tills int
	Seed                  int64
}

// envInt reads a whole number ≥ min from the environment variable name.
func envInt(t *testing.T, name string, min int64) (int64, bool) {
	t.Helper()
	s := os.Getenv(name)
	if s == "" {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < min {
		t.Fatalf("%s=%q: want a whole number ≥ %d", name, s, min)
	}
	return n, true
}

// TestSoakKill: see above. Skipped with -short.
func TestSoakKill(t *testing.T) {
	if testing.Short() {
		t.Skip("kill soak: skipped with -short")
	}
	cfg := killSoakConfig{Sales: 60, Tills: 3, Seed: 20261206}
	if n, ok := envInt(t, "KASSE_SOAK_SALES", 3); ok {
		cfg.Sales = int(n)
	}
	if n, ok := envInt(t, "KASSE_SOAK_TILLS", 3); ok {
		cfg.Tills = int(n)
	}
	if n, ok := envInt(t, "KASSE_SOAK_SEED", 0); ok {
		cfg.Seed = n
	}
	cfg.Refunds = max(cfg.Sales/10, 1)
	runKillSoak(t, cfg)
}

// Sandbox faults of the day, in ParseFault syntax: each kind once first
// (so every kind fires in a short run too), then at rates that add up to
// about 10% of all requests.
var killSoakFaults = []string{
	"latency=1200ms@POST:/v1/payment_intents x1",
	"drop@POST:/v1/payment_intents x1",
	"500@POST:/v1/terminal/readers/{id}/process_payment_intent x1",
	"503@GET x1",
	"lock_timeout@POST:/v1/payment_intents x1",
	"rate_limit@POST:/v1/terminal/readers/{id}/process_payment_intent x1",
	"reader_offline@POST:/v1/terminal/readers/{id}/process_payment_intent x1",
	"reader_timeout_applied@POST:/v1/terminal/readers/{id}/process_payment_intent x1",
	"reader_timeout@POST:/v1/terminal/readers/{id}/cancel_action x1",
	// Reader commands.
	"reader_offline@POST:/v1/terminal/readers/{id}/process_payment_intent ~0.02",
	"reader_timeout_applied@POST:/v1/terminal/readers/{id}/process_payment_intent ~0.03",
	"reader_offline@POST:/v1/terminal/readers/{id}/cancel_action ~0.03",
	"reader_timeout@POST:/v1/terminal/readers/{id}/cancel_action ~0.05",
	// Everything.
	"latency=1200ms ~0.007",
	"500 ~0.018",
	"503 ~0.018",
	"lock_timeout ~0.013",
	"rate_limit ~0.014",
	"drop ~0.018",
}

// Fault classes the proxy tells apart, in report order.
var faultClasses = []string{"latency", "500", "503", "lock_timeout", "rate_limit", "drop",
	"reader_offline", "reader_timeout", "reader_timeout_applied"}

// killTill is one counter: its own XDG directories (config with the
// operators, journal, log), its seller and reader.
type killTill struct {
	name   string
	root   string
	seller pos.Seller
	reader pos.Reader
	rng    *rand.Rand

	paid []chargeResult // approved sales not refunded yet
	// took is the mean length of this till's finished runs per kind, the
	// span a kill of that kind is drawn over.
	took map[string]time.Duration
	st   killStats
}

type killStats struct {
	runs, killed, refundRuns, refundKilled int
	outcomes                               map[string]int // finished sale runs by status
	refundOutcomes                         map[string]int
	leftAt                                 map[string]int // what a kill left in the journal
	slowest                                time.Duration
	samples                                []string // messages of runs that did not succeed, a few per status
}

func (s *killStats) add(o killStats) {
	s.runs += o.runs
	s.killed += o.killed
	s.refundRuns += o.refundRuns
	s.refundKilled += o.refundKilled
	s.slowest = max(s.slowest, o.slowest)
	s.samples = append(s.samples, o.samples...)
	for _, m := range []struct{ dst, src *map[string]int }{{&s.outcomes, &o.outcomes}, {&s.refundOutcomes, &o.refundOutcomes}, {&s.leftAt, &o.leftAt}} {
		if *m.dst == nil {
			*m.dst = map[string]int{}
		}
		for k, v := range *m.src {
			(*m.dst)[k] += v
		}
	}
}

const killSoakPIN = "482916"

func (tl *killTill) env() []string {
	return append(baseEnv(), "XDG_CONFIG_HOME="+filepath.Join(tl.root, "config"),
		"XDG_DATA_HOME="+filepath.Join(tl.root, "data"), "XDG_STATE_HOME="+filepath.Join(tl.root, "state"))
}

func (tl *killTill) flags(base, operator string) []string {
	return []string{"--api-base", base, "--console-id", tl.name, "--operator", operator}
}

func (tl *killTill) journalPath() string {
	return filepath.Join(tl.root, "data", "kasse", "journal-sandbox.db")
}

func (tl *killTill) logTail() string {
	return tail(filepath.Join(tl.root, "state", "kasse", "kasse.log"), 30)
}

func runKillSoak(t *testing.T, cfg killSoakConfig) {
	if err := sourcesRead(); err != nil {
		t.Fatalf("reading the module's sources: %v", err)
	}
	start := time.Now()
	ctx := context.Background()
	dir := t.TempDir()
	state := filepath.Join(dir, "sandbox-state.json")
	sbEnv := append(baseEnv(), "XDG_CONFIG_HOME="+filepath.Join(dir, "sb", "config"),
		"XDG_DATA_HOME="+filepath.Join(dir, "sb", "data"), "XDG_STATE_HOME="+filepath.Join(dir, "sb", "state"))

	// Opening: a fault-free sandbox on the state file; the tills get their
	// readers (registered if the demo has too few) and a supervisor PIN.
	sb := startSandbox(t, sbEnv, filepath.Join(dir, "sandbox-0.log"), "--state", state)
	tills := openTills(t, ctx, sb.url, dir, cfg)
	stopSandbox(t, sb)

	// The day: the same state with faults, behind the counting proxy.
	var faultArgs []string
	for _, f := range killSoakFaults {
		faultArgs = append(faultArgs, "--fault", f)
	}
	sb = startSandbox(t, sbEnv, filepath.Join(dir, "sandbox-1.log"), append([]string{"--state", state}, faultArgs...)...)
	tally := newFaultTally(t, sb.url)
	proxy := httptest.NewServer(tally)
	var wg sync.WaitGroup
	for i, tl := range tills {
		sales := cfg.Sales / len(tills)
		if i < cfg.Sales%len(tills) {
			sales++
		}
		refunds := cfg.Refunds / len(tills)
		if i < cfg.Refunds%len(tills) {
			refunds++
		}
		wg.Go(func() { tl.day(t, proxy.URL, sales, refunds) })
	}
	wg.Wait()
	dayDone := time.Since(start)
	proxy.Close()
	stopSandbox(t, sb)
	tally.mu.Lock()
	requests, faults, gone := tally.requests, tally.faults, tally.clientGone
	tally.mu.Unlock()

	// End of day: the sandbox back on its state without faults; every till
	// reconciles, twice (the second must find nothing).
	sb = startSandbox(t, sbEnv, filepath.Join(dir, "sandbox-2.log"), "--state", state)
	settled := map[string]int{}
	settledRefunds := 0
	for _, tl := range tills {
		for round := 0; round < 2; round++ {
			rep, code, out := tl.reconcile(t, sb.url)
			if code != 0 {
				t.Errorf("%s: kasse reconcile exit %d:\n%s\nlog:\n%s", tl.name, code, out, tl.logTail())
			}
			if round == 1 {
				if len(rep.Sales)+len(rep.Refunds) != 0 {
					t.Errorf("%s: a second kasse reconcile still found %d sales and %d refunds:\n%s", tl.name, len(rep.Sales), len(rep.Refunds), out)
				}
				continue
			}
			for _, s := range rep.Sales {
				settled[s.Was+"→"+s.Outcome]++
			}
			settledRefunds += len(rep.Refunds)
		}
	}

	// The books.
	client := newSoakClient(t, sb.url)
	vt := make([]*till, len(tills))
	for i, tl := range tills {
		j, err := journal.Open(tl.journalPath())
		if err != nil {
			t.Fatalf("%s: journal: %v", tl.name, err)
		}
		defer j.Close()
		vt[i] = &till{name: tl.name, seller: tl.seller, reader: tl.reader, journal: j}
	}
	v := verify(t, ctx, client, vt)
	b := books(t, ctx, client, vt)

	var total killStats
	for _, tl := range tills {
		total.add(tl.st)
	}
	nfaults := 0
	var kinds []string
	for _, k := range faultClasses {
		nfaults += faults[k]
		kinds = append(kinds, fmt.Sprintf("%s=%d", k, faults[k]))
		if faults[k] == 0 {
			t.Errorf("fault kind %s never fired", k)
		}
	}
	rate := float64(nfaults) / float64(max(requests, 1))
	killShare := float64(total.killed) / float64(max(total.runs, 1))
	t.Logf("kill soak: %d sale runs and %d refund runs of the real binary on %d tills in %s (the day %s)",
		total.runs, total.refundRuns, len(tills), time.Since(start).Round(time.Millisecond), dayDone.Round(time.Millisecond))
	t.Logf("kill soak: SIGKILLed %d sale runs (%.1f%%) and %d refund runs; a kill left in the journal: %s",
		total.killed, 100*killShare, total.refundKilled, counts(total.leftAt))
	t.Logf("kill soak: %d requests, %d injected faults (%.1f%%): %s; %d requests cut off by a kill",
		requests, nfaults, 100*rate, strings.Join(kinds, " "), gone)
	t.Logf("kill soak: finished sale runs: %s; refund runs: %s; slowest run %s",
		counts(total.outcomes), counts(total.refundOutcomes), total.slowest.Round(time.Millisecond))
	t.Logf("kill soak: end of day reconciled %d sales (%s) and %d refunds",
		sum(settled), counts(settled), settledRefunds)
	t.Logf("kill soak: journals hold %d sales (%d approved, %d refunds); Stripe holds %d intents of Kasse sales (%d succeeded, all journaled approved: %d)",
		b.sales, b.approved, b.refunds, b.intents, b.succeeded, b.journaled)
	for _, d := range append(v.details, b.details...) {
		t.Log("  " + d)
	}
	sort.Strings(total.samples)
	for _, s := range total.samples {
		t.Log("  sample: " + s)
	}
	t.Logf("KILL SOAK SUMMARY sales=%d refunds=%d tills=%d killed=%d (%.1f%%) refunds_killed=%d faults=%d (%.1f%%) "+
		"double_charges=%d lost_sales=%d unjournaled_payments=%d open_intents=%d stuck_readers=%d double_refunds=%d lost_refunds=%d duration=%s",
		total.runs, total.refundRuns, len(tills), total.killed, 100*killShare, total.refundKilled, nfaults, 100*rate,
		v.doubleCharges, v.lostSales, b.lost, b.openIntents, max(v.stuckReaders, b.stuckReaders), v.doubleRefunds, v.lostRefunds,
		time.Since(start).Round(time.Second))

	if v.doubleCharges+v.lostSales+b.openIntents+v.stuckReaders+b.stuckReaders+v.doubleRefunds+v.lostRefunds+b.lost != 0 {
		t.Errorf("kill soak: want 0 double charges, lost sales, open intents, stuck readers, double and lost refunds")
	}
	if total.runs != cfg.Sales || total.refundRuns < cfg.Refunds*3/4 {
		t.Errorf("ran %d sales and %d refunds, want %d and about %d", total.runs, total.refundRuns, cfg.Sales, cfg.Refunds)
	}
	if killShare < 0.2 {
		t.Errorf("only %.1f%% of the sale runs were killed, want at least 20%%", 100*killShare)
	}
	if cfg.Refunds >= 4 && total.refundKilled == 0 {
		t.Errorf("no refund run was killed")
	}
	if rate < 0.05 || rate > 0.2 {
		t.Errorf("fault rate %.1f%%, want about 10%%", 100*rate)
	}
	if b.approved < cfg.Sales/3 {
		t.Errorf("only %d of %d sales approved", b.approved, cfg.Sales)
	}
}

func counts(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// stopSandbox ends a sandbox process gracefully (it finishes what latency
// faults still hold, and writes its state), SIGKILL only after 30 s.
func stopSandbox(t *testing.T, p *sandboxProc) {
	t.Helper()
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(30 * time.Second):
		t.Errorf("kasse sandbox did not stop within 30s of SIGTERM; killing it")
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

// openTills picks a seller with its reader for each till (sellers that can
// take cards, with their own reader or the platform reader at their
// location; extra platform readers are registered when there are more
// tills than readers), and gives each till its operators and bea's PIN.
func openTills(t *testing.T, ctx context.Context, base, dir string, cfg killSoakConfig) []*killTill {
	t.Helper()
	client := newSoakClient(t, base)
	sellers, err := client.ListSellers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	locs, err := client.ListLocations(ctx, pos.Platform)
	if err != nil {
		t.Fatal(err)
	}
	platform, err := client.ListReaders(ctx, pos.Platform, pos.ReaderFilter{})
	if err != nil {
		t.Fatal(err)
	}
	sort.Slice(sellers, func(i, j int) bool { return sellers[i].ID < sellers[j].ID })
	type place struct {
		seller pos.Seller
		reader pos.Reader
		loc    string // platform location ("" for a seller's own reader)
	}
	var places []place
	for _, s := range sellers {
		if s.CardPayments != pos.CapabilityActive || !s.ChargesEnabled {
			continue
		}
		own, err := client.ListReaders(ctx, s.ID, pos.ReaderFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(own) > 0 {
			places = append(places, place{seller: s, reader: own[0]})
			continue
		}
		for _, l := range locs {
			for _, r := range platform {
				if r.LocationID == l.ID && strings.Contains(l.DisplayName, s.DisplayName) {
					places = append(places, place{seller: s, reader: r, loc: l.ID})
				}
			}
		}
	}
	if len(places) < 3 {
		t.Fatalf("demo seed gave %d sellers with a reader, want at least 3", len(places))
	}
	var tills []*killTill
	for i := range cfg.Tills {
		p := places[i%len(places)]
		if i >= len(places) { // another counter of the same shop: a reader of its own
			for n := i; p.loc == ""; n++ {
				p = places[n%len(places)]
			}
			r, err := client.RegisterReader(ctx, pos.Platform, "simulated-wpe", fmt.Sprintf("Soak counter %d", len(tills)+1),
				p.loc, fmt.Sprintf("soak-register-%d", len(tills)+1))
			if err != nil {
				t.Fatalf("register a reader: %v", err)
			}
			p.reader = r
		}
		tl := &killTill{name: fmt.Sprintf("till%d", len(tills)+1), root: filepath.Join(dir, fmt.Sprintf("till%d", len(tills)+1)),
			seller: p.seller, reader: p.reader, rng: rand.New(rand.NewSource(cfg.Seed + int64(len(tills)))),
			took: map[string]time.Duration{}}
		cdir := filepath.Join(tl.root, "config", "kasse")
		if err := os.MkdirAll(cdir, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(cdir, "config.toml"), []byte(operatorsConfig), 0o600); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(kasseBin, append([]string{"pin", "set"}, tl.flags(base, "bea")...)...)
		cmd.Env = tl.env()
		cmd.Stdin = strings.NewReader(killSoakPIN + "\n" + killSoakPIN + "\n")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s: kasse pin set: %v\n%s", tl.name, err, out)
		}
		tills = append(tills, tl)
	}
	return tills
}

// ---- one till's day ----

// A sale run is one of three kinds: a card presented by `kasse charge
// --simulate-card` (approved), a declined card, or a customer who walks
// away (no card; --timeout 1s, then kasse cancels).
const (
	runCard     = "card"
	runDeclined = "declined"
	runWalkaway = "walkaway"
	runRefund   = "refund"
)

// runOutcome is what one process did.
type runOutcome struct {
	killed   bool
	code     int
	took     time.Duration
	stdout   string
	stderr   string
	timedOut bool // still running after 2 minutes: the test killed it
}

// day rings up sales, interleaving refunds of this till's approved sales,
// and kills about a quarter of each kind of run.
func (tl *killTill) day(t *testing.T, base string, sales, refunds int) {
	tl.st.outcomes, tl.st.refundOutcomes, tl.st.leftAt = map[string]int{}, map[string]int{}, map[string]int{}
	refundEvery := max(sales/max(refunds, 1), 1)
	for k := range sales {
		kind, mayKill := runCard, true
		switch x := tl.rng.Float64(); {
		case k == 1: // every till has a walkaway it sees through: cancel_action's faults fire
			kind, mayKill = runWalkaway, false
		case k == sales-1: // the last one is killed waiting for the card: kasse reconcile settles it
			kind = runWalkaway
		case x < 0.07:
			kind = runWalkaway
		case x < 0.15:
			kind = runDeclined
		}
		if k == sales-1 { // the refunds still due come first: each run settles what the last left
			for tl.st.refundRuns < refunds && len(tl.paid) > 0 {
				tl.refund(t, base)
			}
		}
		tl.charge(t, base, kind, mayKill, k == sales-1)
		if tl.st.refundRuns < refunds && (k+1)%refundEvery == 0 && len(tl.paid) > 0 {
			tl.refund(t, base)
		}
	}
}

// wantKill decides whether to kill this run: at random, and whenever the
// till's share of killed runs has fallen below a quarter (a kill drawn too
// late for a run that ended early does not count).
func (tl *killTill) wantKill(killed, runs int) bool {
	return float64(killed) < 0.25*float64(runs+1) || tl.rng.Float64() < 0.1
}

func (tl *killTill) amount() string {
	c, _ := pos.LookupCurrency(tl.seller.Currency)
	if c.Decimals == 0 {
		return strconv.Itoa(100 + 10*tl.rng.Intn(790))
	}
	cents := []int{0, 10, 20, 50, 90} // never a test amount's decline ending
	return fmt.Sprintf("%d.%02d", 1+tl.rng.Intn(80), cents[tl.rng.Intn(len(cents))])
}

func (tl *killTill) charge(t *testing.T, base, kind string, mayKill, mustKill bool) {
	args := append([]string{"charge"}, tl.flags(base, "e2e")...)
	args = append(args, "--json", "--seller", string(tl.seller.ID), "--reader", tl.reader.ID, "--amount", tl.amount(),
		"--description", "soak "+kind)
	switch kind {
	case runCard:
		args = append(args, "--simulate-card", visa, "--timeout", "6s")
	case runDeclined:
		args = append(args, "--simulate-card", insufficient, "--timeout", "6s")
	case runWalkaway:
		args = append(args, "--timeout", "1s")
	}
	kill := mustKill || mayKill && tl.wantKill(tl.st.killed, tl.st.runs)
	tl.st.runs++
	o := tl.run(t, kind, args, "", kill)
	if o.killed {
		tl.st.killed++
		tl.noteLeft(t)
		return
	}
	var res chargeResult
	if err := json.Unmarshal([]byte(o.stdout), &res); err != nil || res.Status == "" {
		tl.st.outcomes["no result (exit "+strconv.Itoa(o.code)+")"]++
		return
	}
	tl.st.outcomes[res.Status]++
	if res.Status == "approved" {
		tl.paid = append(tl.paid, res)
	} else {
		tl.sample("charge", res.Status, res.Message)
	}
}

func (tl *killTill) refund(t *testing.T, base string) {
	i := tl.rng.Intn(len(tl.paid))
	sale := tl.paid[i]
	tl.paid = append(tl.paid[:i], tl.paid[i+1:]...)
	args := append([]string{"refund"}, tl.flags(base, "bea")...)
	args = append(args, "--json", "--seller", string(tl.seller.ID), "--payment-intent", sale.IntentID,
		"--reason", "requested_by_customer", "--timeout", "20s")
	if tl.rng.Intn(2) == 0 && sale.Amount >= 2 {
		c, _ := pos.LookupCurrency(tl.seller.Currency)
		half := sale.Amount / 2
		if c.Decimals == 0 {
			args = append(args, "--amount", strconv.FormatInt(half, 10))
		} else {
			args = append(args, "--amount", fmt.Sprintf("%d.%02d", half/100, half%100))
		}
	}
	kill := tl.wantKill(tl.st.refundKilled, tl.st.refundRuns)
	tl.st.refundRuns++
	o := tl.run(t, runRefund, args, killSoakPIN+"\n", kill)
	if o.killed {
		tl.st.refundKilled++
		tl.noteLeft(t)
		return
	}
	var res struct {
		Status  string `json:"status"`
		Message string `json:"message"`
	}
	if err := json.Unmarshal([]byte(o.stdout), &res); err != nil || res.Status == "" {
		tl.st.refundOutcomes["no result (exit "+strconv.Itoa(o.code)+")"]++
		return
	}
	tl.st.refundOutcomes[res.Status]++
	if res.Status != "succeeded" {
		tl.sample("refund", res.Status, res.Message)
	}
}

// sample keeps the first two messages per till, command and status.
func (tl *killTill) sample(cmd, status, msg string) {
	prefix := tl.name + " " + cmd + " " + status + ": "
	n := 0
	for _, s := range tl.st.samples {
		if strings.HasPrefix(s, prefix) {
			n++
		}
	}
	if n < 2 {
		tl.st.samples = append(tl.st.samples, prefix+msg)
	}
}

// run starts one kasse process in its own process group and, if kill,
// SIGKILLs the group at a moment drawn over the length this till's runs
// of the kind take.
func (tl *killTill) run(t *testing.T, kind string, args []string, stdin string, kill bool) runOutcome {
	cmd := exec.Command(kasseBin, args...)
	cmd.Env = tl.env()
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // its own group: the kill takes all of it, no job-control surprises
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	cmd.Stdin = strings.NewReader(stdin)
	started := time.Now()
	if err := cmd.Start(); err != nil {
		t.Errorf("%s: start kasse: %v", tl.name, err)
		return runOutcome{}
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var o runOutcome
	var timer <-chan time.Time
	if kill {
		span := tl.took[kind]
		if span == 0 {
			span = map[string]time.Duration{runWalkaway: 1200 * time.Millisecond, runRefund: 150 * time.Millisecond}[kind]
			if span == 0 {
				span = 60 * time.Millisecond
			}
		}
		timer = time.After(time.Duration(tl.rng.Int63n(int64(span*5/4) + 1)))
	}
	var err error
	select {
	case err = <-done:
	case <-timer:
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		err = <-done
	case <-time.After(2 * time.Minute):
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		err = <-done
		o.timedOut = true
		t.Errorf("%s: kasse %s still running after 2 minutes; killed\nstderr: %s\nlog:\n%s", tl.name, args[0], errOut.String(), tl.logTail())
	}
	o.took, o.stdout, o.stderr = time.Since(started), out.String(), errOut.String()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL {
			o.killed = !o.timedOut
		}
		o.code = ee.ExitCode()
	}
	if !o.killed && !o.timedOut {
		// A running mean over the till's finished runs of this kind.
		if prev := tl.took[kind]; prev == 0 {
			tl.took[kind] = o.took
		} else {
			tl.took[kind] = (prev*7 + o.took) / 8
		}
		tl.st.slowest = max(tl.st.slowest, o.took)
	}
	if strings.Contains(o.stdout+o.stderr, killSoakPIN) {
		t.Errorf("%s: kasse %s printed the PIN", tl.name, args[0])
	}
	return o
}

// noteLeft records what a kill left unfinished in the till's journal (the
// next run settles it).
func (tl *killTill) noteLeft(t *testing.T) {
	if _, err := os.Stat(tl.journalPath()); err != nil {
		tl.st.leftAt["no journal yet"]++
		return
	}
	j, err := journal.Open(tl.journalPath())
	if err != nil {
		t.Errorf("%s: journal after a kill: %v", tl.name, err)
		return
	}
	defer j.Close()
	ctx := context.Background()
	sales, err := j.UnfinishedSales(ctx)
	if err != nil {
		t.Errorf("%s: journal after a kill: %v", tl.name, err)
		return
	}
	refunds, err := j.UnfinishedRefunds(ctx)
	if err != nil {
		t.Errorf("%s: journal after a kill: %v", tl.name, err)
		return
	}
	if len(sales)+len(refunds) == 0 {
		tl.st.leftAt["nothing open"]++
	}
	for _, s := range sales {
		tl.st.leftAt["sale "+string(s.State)]++
	}
	for _, r := range refunds {
		tl.st.leftAt["refund "+string(r.State)]++
	}
}

// reconcileReport is `kasse reconcile --json`.
type reconcileReport struct {
	Sales []struct {
		SaleID  string `json:"sale_id"`
		Was     string `json:"was"`
		Outcome string `json:"outcome"`
	} `json:"sales"`
	Refunds []json.RawMessage `json:"refunds"`
}

func (tl *killTill) reconcile(t *testing.T, base string) (reconcileReport, int, string) {
	cmd := exec.Command(kasseBin, append(append([]string{"reconcile"}, tl.flags(base, "e2e")...), "--json")...)
	cmd.Env = tl.env()
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("%s: kasse reconcile: %v", tl.name, err)
	}
	var rep reconcileReport
	if jerr := json.Unmarshal(out.Bytes(), &rep); jerr != nil {
		t.Errorf("%s: kasse reconcile --json: %v\n%s\n%s", tl.name, jerr, out.String(), errOut.String())
	}
	return rep, code, out.String() + errOut.String()
}

// ---- the books ----

type bookFigures struct {
	sales, approved, refunds        int
	intents, succeeded, journaled   int
	openIntents, stuckReaders, lost int
	details                         []string
}

func (b *bookFigures) note(counter *int, format string, args ...any) {
	*counter++
	if len(b.details) < 30 {
		b.details = append(b.details, fmt.Sprintf(format, args...))
	}
}

// books counts what verify does not: every intent of a Kasse sale (metadata
// kasse_sale_id) on every seller that is still open, every succeeded one
// that no journal holds as approved, and every reader — platform or seller
// owned — still in progress.
func books(t *testing.T, ctx context.Context, client *stripeapi.Client, tills []*till) bookFigures {
	t.Helper()
	var b bookFigures
	approved := map[string]string{} // intent → sale id
	for _, tl := range tills {
		recs, err := tl.journal.ListSales(ctx, journal.SaleFilter{Limit: journal.MaxLimit})
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) == journal.MaxLimit {
			t.Fatalf("%s: more than %d sales; the check would miss some", tl.name, journal.MaxLimit)
		}
		for _, r := range recs {
			b.sales++
			if r.Sale.State == pos.SaleApproved {
				b.approved++
				approved[r.Sale.IntentID] = r.Sale.ID
			}
		}
		rfs, err := tl.journal.ListRefunds(ctx, journal.RefundFilter{Limit: journal.MaxLimit})
		if err != nil {
			t.Fatal(err)
		}
		b.refunds += len(rfs)
	}
	sellers, err := client.ListSellers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	readers, err := client.ListReaders(ctx, pos.Platform, pos.ReaderFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sellers {
		own, err := client.ListReaders(ctx, s.ID, pos.ReaderFilter{})
		if err != nil {
			t.Fatal(err)
		}
		readers = append(readers, own...)
		if s.CardPayments != pos.CapabilityActive {
			continue
		}
		ins, err := client.ListIntents(ctx, s.ID, pos.IntentFilter{Limit: 100000})
		if err != nil {
			t.Fatal(err)
		}
		for _, in := range ins {
			sale := in.Metadata["kasse_sale_id"]
			if sale == "" {
				continue
			}
			b.intents++
			switch in.Status {
			case pos.IntentSucceeded:
				b.succeeded++
				if approved[in.ID] == sale {
					b.journaled++
				} else {
					b.note(&b.lost, "intent %s of sale %s succeeded, but no journal holds it as approved", in.ID, sale)
				}
			case pos.IntentCanceled:
			default:
				b.note(&b.openIntents, "intent %s of sale %s on %s is still %s", in.ID, sale, s.ID, in.Status)
			}
		}
	}
	for _, r := range readers {
		if r.Busy() {
			b.note(&b.stuckReaders, "reader %s (%s) still %s %s for %s", r.ID, r.Owner, r.Action.Type, r.Action.Status, r.Action.PaymentIntentID)
		}
	}
	return b
}

// ---- the counting proxy ----

// faultTally is a reverse proxy to the sandbox that counts requests and
// classifies the injected faults by their answers.
type faultTally struct {
	proxy *httputil.ReverseProxy

	mu         sync.Mutex
	requests   int
	clientGone int
	faults     map[string]int
}

var (
	processRoute = regexp.MustCompile(`^/v1/terminal/readers/[^/]+/process_payment_intent$`)
	cancelRoute  = regexp.MustCompile(`^/v1/terminal/readers/[^/]+/cancel_action$`)
)

// slowAnswer is how long an answer of the 1.2 s latency fault takes at
// least; nothing else the sandbox does takes that long.
const slowAnswer = 1100 * time.Millisecond

func newFaultTally(t *testing.T, target string) *faultTally {
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	f := &faultTally{faults: map[string]int{}}
	f.proxy = httputil.NewSingleHostReverseProxy(u)
	// One connection per request: net/http would otherwise replay a
	// request with an Idempotency-Key whose reused connection the sandbox
	// dropped, and hide the drop.
	f.proxy.Transport = &http.Transport{DisableKeepAlives: true}
	f.proxy.ModifyResponse = func(res *http.Response) error {
		if res.StatusCode == http.StatusOK {
			return nil
		}
		body, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil {
			return err
		}
		res.Body = io.NopCloser(bytes.NewReader(body))
		*classOf(res.Request) = faultOf(res.Request.URL.Path, res.StatusCode, body)
		return nil
	}
	f.proxy.ErrorHandler = func(w http.ResponseWriter, r *http.Request, err error) {
		if r.Context().Err() != nil { // the kasse process was killed mid-request
			*classOf(r) = "client gone"
			return
		}
		*classOf(r) = "drop"
		panic(http.ErrAbortHandler) // the client sees the connection drop, as from the sandbox
	}
	return f
}

// classKey carries a request's class (a fault kind, "client gone" or "")
// from the proxy's hooks back to ServeHTTP.
type classKey struct{}

func classOf(r *http.Request) *string { return r.Context().Value(classKey{}).(*string) }

func (f *faultTally) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	class := new(string)
	r = r.WithContext(context.WithValue(r.Context(), classKey{}, class))
	start := time.Now()
	defer func() {
		if *class == "" && time.Since(start) >= slowAnswer {
			*class = "latency"
		}
		f.mu.Lock()
		f.requests++
		switch *class {
		case "":
		case "client gone":
			f.clientGone++
		default:
			f.faults[*class]++
		}
		f.mu.Unlock()
	}()
	f.proxy.ServeHTTP(w, r)
}

// faultOf names the injected fault an error answer comes from ("" for an
// ordinary error).
func faultOf(path string, status int, body []byte) string {
	var e struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	_ = json.Unmarshal(body, &e)
	injected := strings.Contains(e.Error.Message, "sandbox fault injection")
	switch {
	case status == http.StatusInternalServerError && injected:
		return "500"
	case status == http.StatusServiceUnavailable && injected:
		return "503"
	case status == http.StatusTooManyRequests && e.Error.Code == "lock_timeout":
		return "lock_timeout"
	case status == http.StatusTooManyRequests && e.Error.Code == "rate_limit":
		return "rate_limit"
	case e.Error.Code == "terminal_reader_offline":
		return "reader_offline"
	case e.Error.Code == "terminal_reader_timeout" && processRoute.MatchString(path):
		return "reader_timeout_applied"
	case e.Error.Code == "terminal_reader_timeout" && cancelRoute.MatchString(path):
		return "reader_timeout"
	}
	return ""
}
