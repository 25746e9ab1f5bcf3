package e2e

import (
	"bufio"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"kasse/internal/sshterm"
)

// BenchmarkServeTwentyCounters: `kasse serve` (the real binary, on the
// sandbox process) with 20 counters over SSH: 10 ring up a sale each on
// their own reader of one location (10 live sales), 10 watch one of those
// readers on the back office's reader screen (a supervisor's). One round
// (one iteration) is: the 10 sales charged at once, the readers waiting
// 5 s for the customers, the 10 cards presented at once, every screen
// showing the outcome, the registers ready again.
//
// Metrics (from the sandbox's own log of the requests it served, the
// test's card presentments left out):
//   - req/s: requests Kasse sent per second over the rounds.
//   - reads-peak/s, writes-peak/s: the most reads (GET) and writes Kasse
//     sent in any one second of the rounds. Stripe's test mode allows 25
//     reads and 25 writes a second; the host's budget keeps to 20.
//   - reader-reads/s: reads of a reader per second while the 10 sales
//     wait for their cards; 20 counters watch the 10 readers, so one
//     poller per reader costs about 10 (M), one per counter would cost 20
//     (N) or more.
//   - KB-RSS/session: the serve process's resident memory with the 20
//     sessions open, less before the first, per session.
//   - ms-to-seller-p50/max: from a card presented (the reader has its
//     result) to the "APPROVED" on the selling counter's screen.
//   - ms-to-watcher-p50/max: from the same moment to the watching
//     counter's reader screen showing the action succeeded (its reader
//     screen re-reads every 5 s, sharing the seller's reads).
//
// Run with: go test ./e2e/ -run XXX -bench ServeTwentyCounters -benchtime 3x
func BenchmarkServeTwentyCounters(b *testing.B) {
	const n = 10
	w := newWorld(b)
	tills := make([]string, n)
	for i := range tills {
		tills[i] = fmt.Sprintf("Till %02d", i)
		w.api.registerReader(b, w.lumen.Location, tills[i])
	}
	ids := make([]string, n)
	for i, till := range tills {
		ids[i] = w.api.readerByLabel(b, w.lumen.Location, till)
	}
	s := w.startServe(b)
	w.setPIN(b, "carol", watcherPIN)
	pid := s.cmd.Process.Pid
	rss0 := rssKB(b, pid)

	sellers := make([]*sshterm.Term, n)
	for i := range sellers {
		sellers[i] = s.counter("alice", fmt.Sprintf("till-%02d", i))
	}
	if err := each(n, func(i int) error { return toTill(sellers[i], tills[i]) }); err != nil {
		b.Fatal(err)
	}
	watchers := make([]*sshterm.Term, n)
	for i := range watchers { // one at a time: a PIN check is an argon2id hash
		watchers[i] = s.counter("carol", fmt.Sprintf("office-%02d", i))
		if err := watchReader(watchers[i], tills[i]); err != nil {
			b.Fatal(err)
		}
	}
	time.Sleep(2 * time.Second) // every screen drawn, every first read done
	rss1 := rssKB(b, pid)

	var sellerDelays, watcherDelays []time.Duration
	var mu sync.Mutex
	var requests, readerReads, peakReads, peakWrites int
	var elapsed, waited time.Duration
	piOnScreen := regexp.MustCompile(`Payment  (pi_\w+)`)
	for b.Loop() {
		start := time.Now()
		pis := make([]string, n)
		err := each(n, func(i int) error {
			c := sellers[i]
			// $10.00 … $19.00: amounts ending in 00 approve (the others
			// are Stripe's test decline codes).
			if err := c.Press(strconv.Itoa((10 + i) * 100)); err != nil {
				return err
			}
			if err := c.WaitFor(5*time.Second, "Amount  $"); err != nil {
				return fmt.Errorf("%s: %w", tills[i], err)
			}
			if err := c.Press("enter"); err != nil {
				return err
			}
			if err := c.WaitFor(15*time.Second, "Waiting for the customer's card on "+tills[i]); err != nil {
				return fmt.Errorf("%s: %w", tills[i], err)
			}
			m := piOnScreen.FindStringSubmatch(c.Screen())
			if m == nil {
				return fmt.Errorf("%s: no payment id on the screen:\n%s", tills[i], c.Screen())
			}
			pis[i] = m[1]
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		waitFrom := time.Now()
		time.Sleep(5 * time.Second) // 10 live sales wait for their customers
		waitTo := time.Now()
		err = each(n, func(i int) error {
			form := url.Values{"type": {"card_present"}, "card_present[number]": {visa}}
			if err := w.api.do(http.MethodPost, "/v1/test_helpers/terminal/readers/"+ids[i]+"/present_payment_method", "", form, &apiReader{}); err != nil {
				return fmt.Errorf("present on %s: %w", tills[i], err)
			}
			at := time.Now()
			var seller, watcher time.Duration
			err := errors.Join(
				func() error {
					err := sellers[i].WaitFor(20*time.Second, "APPROVED")
					seller = time.Since(at)
					return err
				}(),
				func() error {
					err := watchers[i].WaitFor(20*time.Second, "succeeded ("+pis[i]+")")
					watcher = time.Since(at)
					return err
				}())
			mu.Lock()
			sellerDelays, watcherDelays = append(sellerDelays, seller), append(watcherDelays, watcher)
			mu.Unlock()
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
		end := time.Now()
		elapsed += end.Sub(start)
		reqs := kasseRequests(b, w.sandboxLog, start, end)
		requests += len(reqs)
		peakReads, peakWrites = max(peakReads, perSecondPeak(reqs, false)), max(peakWrites, perSecondPeak(reqs, true))
		for _, r := range kasseRequests(b, w.sandboxLog, waitFrom, waitTo) {
			if r.readerRead {
				readerReads++
			}
		}
		waited += waitTo.Sub(waitFrom)
		err = each(n, func(i int) error {
			if err := sellers[i].Press("enter"); err != nil {
				return err
			}
			return sellers[i].WaitFor(5*time.Second, "Register · Lumen Coffee")
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(requests)/elapsed.Seconds(), "req/s")
	b.ReportMetric(float64(peakReads), "reads-peak/s")
	b.ReportMetric(float64(peakWrites), "writes-peak/s")
	b.ReportMetric(float64(readerReads)/waited.Seconds(), "reader-reads/s")
	b.ReportMetric(float64(rss1-rss0)/float64(2*n), "KB-RSS/session")
	b.ReportMetric(ms(percentile(sellerDelays, 50)), "ms-to-seller-p50")
	b.ReportMetric(ms(percentile(sellerDelays, 100)), "ms-to-seller-max")
	b.ReportMetric(ms(percentile(watcherDelays, 50)), "ms-to-watcher-p50")
	b.ReportMetric(ms(percentile(watcherDelays, 100)), "ms-to-watcher-max")
}

// each runs f(0..n-1) at once and joins their errors (testing.TB's
// Fatal belongs to the benchmark's own goroutine).
func each(n int, f func(i int) error) error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = f(i)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// watcherPIN is carol's PIN in the benchmark.
const watcherPIN = "582047"

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func percentile(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[min(len(s)-1, (len(s)*p)/100)]
}

// toTill goes from the seller list to Lumen Coffee's register on till.
// Each list is waited for before a key goes to it (ten counters load at
// once), and the reader list's filter matches more than till (another
// counter's "in use at till-03"): the cursor goes down to till's line.
func toTill(c *sshterm.Term, till string) error {
	steps := []struct {
		keys []string
		wait time.Duration
		want []string
	}{
		{nil, 20 * time.Second, []string{"Choose a seller", "5 sellers"}},
		{[]string{"lumen"}, 10 * time.Second, []string{"1 of 5 sellers"}},
		{[]string{"enter"}, 10 * time.Second, []string{"Choose a location for Lumen Coffee", "1 location"}},
		{[]string{"enter"}, 10 * time.Second, []string{"Choose a reader", till, "11 readers"}},
		{[]string{till}, 10 * time.Second, []string{"Filter: " + till, "of 11 readers"}},
	}
	for _, st := range steps {
		if err := c.Press(st.keys...); err != nil {
			return err
		}
		if err := c.WaitFor(st.wait, st.want...); err != nil {
			return fmt.Errorf("to %s: %w", till, err)
		}
	}
	for range 11 {
		if strings.Contains(c.Screen(), "▸ "+till) {
			if err := c.Press("enter"); err != nil {
				return err
			}
			if err := c.WaitFor(10*time.Second, "Register · Lumen Coffee", till); err != nil {
				return fmt.Errorf("to %s: %w", till, err)
			}
			return nil
		}
		if err := c.Press("down"); err != nil {
			return err
		}
	}
	return fmt.Errorf("to %s: not in the reader list:\n%s", till, c.Screen())
}

// watchReader signs carol in to the readers area (f4) and opens till's
// reader screen: down the fleet, one reader at a time, until it is till's.
func watchReader(c *sshterm.Term, till string) error {
	if err := c.WaitFor(20*time.Second, "Choose a seller"); err != nil {
		return err
	}
	if err := c.Press("\x1bOS"); err != nil { // f4
		return err
	}
	if err := c.WaitFor(10*time.Second, "Operator", "PIN"); err != nil {
		return err
	}
	if err := c.Press("\x15", "carol", "tab", watcherPIN, "enter"); err != nil {
		return err
	}
	if err := c.WaitFor(20*time.Second, till); err != nil {
		return err
	}
	for range 40 {
		if err := c.Press("enter"); err != nil {
			return err
		}
		if err := c.WaitFor(10*time.Second, "Health"); err != nil {
			return err
		}
		if strings.Contains(firstLines(c.Screen(), 3), till) {
			return nil
		}
		if err := c.Press("esc", "down"); err != nil {
			return err
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("no reader screen of %s in the fleet:\n%s", till, c.Screen())
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	return strings.Join(lines[:min(n, len(lines))], "\n")
}

// rssKB is a process's resident memory in KB (Linux).
func rssKB(t testing.TB, pid int) int {
	t.Helper()
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatalf("memory of %d: %v", pid, err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, err := strconv.Atoi(strings.Fields(v)[0])
			if err != nil {
				t.Fatal(err)
			}
			return kb
		}
	}
	t.Fatalf("no VmRSS for %d", pid)
	return 0
}

// served is one request the sandbox served.
type served struct {
	at         time.Time
	write      bool // POST or DELETE: Stripe counts writes and reads apart
	readerRead bool // GET /v1/terminal/readers/tmr_…
}

// sandboxLine reads the sandbox's log line of a request it served.
var sandboxLine = regexp.MustCompile(`^time=(\S+) .*msg=request .*method=(\S+) path=(\S+)`)

// kasseRequests are the requests the sandbox served from..to, but the
// test helpers' (the customer's card, not Kasse's doing).
func kasseRequests(t testing.TB, log string, from, to time.Time) []served {
	t.Helper()
	b, err := os.ReadFile(log)
	if err != nil {
		t.Fatal(err)
	}
	var out []served
	for _, l := range strings.Split(string(b), "\n") {
		m := sandboxLine.FindStringSubmatch(l)
		if m == nil || strings.HasPrefix(m[3], "/v1/test_helpers/") {
			continue
		}
		at, err := time.Parse(time.RFC3339Nano, m[1])
		if err != nil {
			t.Fatalf("sandbox log time %q: %v", m[1], err)
		}
		if at.Before(from) || at.After(to) {
			continue
		}
		out = append(out, served{at: at, write: m[2] != "GET", readerRead: m[2] == "GET" && strings.HasPrefix(m[3], "/v1/terminal/readers/tmr_")})
	}
	return out
}

// perSecondPeak is the most requests of a kind (writes or reads) in any
// one second (sliding).
func perSecondPeak(all []served, writes bool) int {
	var rs []served
	for _, r := range all {
		if r.write == writes {
			rs = append(rs, r)
		}
	}
	peak := 0
	for i, j := 0, 0; j < len(rs); j++ {
		for rs[j].at.Sub(rs[i].at) >= time.Second {
			i++
		}
		peak = max(peak, j-i+1)
	}
	return peak
}

// registerReader pairs a simulated reader labelled label at location.
func (a *sandboxAPI) registerReader(t testing.TB, location, label string) {
	t.Helper()
	var r apiReader
	form := url.Values{"registration_code": {"simulated-wpe"}, "label": {label}, "location": {location}}
	if err := a.do(http.MethodPost, "/v1/terminal/readers", "", form, &r); err != nil {
		t.Fatalf("register %s: %v", label, err)
	}
}

// readerByLabel is the id of the reader labelled label at location.
func (a *sandboxAPI) readerByLabel(t testing.TB, location, label string) string {
	t.Helper()
	rs, err := list[apiReader](a, "/v1/terminal/readers", "", url.Values{"location": {location}})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if r.Label == label {
			return r.ID
		}
	}
	t.Fatalf("no reader %s at %s", label, location)
	return ""
}

// setPIN sets operator's first PIN with `kasse pin set` (the first
// supervisor sets their own).
func (w *world) setPIN(t testing.TB, operator, pin string) {
	t.Helper()
	args := append(append([]string{"pin", "set"}, w.flags()...), "--operator", operator)
	cmd := exec.Command(kasseBin, args...)
	cmd.Env = w.env()
	cmd.Stdin = strings.NewReader(pin + "\n" + pin + "\n")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("kasse pin set --operator %s: %v\n%s", operator, err, out)
	}
}
