package checkout

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"kasse/pos"
)

// readTerminal is a Terminal whose GetReader counts its requests, answers
// with the reader's current state, and can be held in flight.
type readTerminal struct {
	pos.Terminal // nil: only what the tests call

	mu      sync.Mutex
	reads   map[string]int
	state   map[string]string // reader id → action status it reports
	hold    chan struct{}     // non-nil: reads wait for it to close
	started chan string       // non-nil: each read reports its start
	fail    error
}

func newReadTerminal() *readTerminal {
	return &readTerminal{reads: map[string]int{}, state: map[string]string{}}
}

func (f *readTerminal) GetReader(ctx context.Context, owner pos.Account, id string) (pos.Reader, error) {
	f.mu.Lock()
	f.reads[id]++
	n := f.reads[id]
	status, hold, started, fail := f.state[id], f.hold, f.started, f.fail
	f.mu.Unlock()
	if started != nil {
		started <- id
	}
	if hold != nil {
		select {
		case <-hold:
		case <-ctx.Done():
			return pos.Reader{}, ctx.Err()
		}
	}
	if fail != nil {
		return pos.Reader{}, fail
	}
	r := pos.Reader{ID: id, Owner: owner, Metadata: map[string]string{"read": fmt.Sprint(n)}, RequestID: fmt.Sprintf("req_%s_%d", id, n)}
	if status != "" {
		r.Action = &pos.ReaderAction{Type: "process_payment_intent", Status: status, Intent: &pos.Intent{ID: "pi_1", Metadata: map[string]string{"k": "v"}}}
	}
	return r, nil
}

func (f *readTerminal) ProcessIntent(ctx context.Context, owner pos.Account, readerID, intentID string, cfg pos.ProcessConfig, idemKey string) (pos.Reader, error) {
	f.mu.Lock()
	f.state[readerID] = pos.ActionInProgress
	f.mu.Unlock()
	return pos.Reader{ID: readerID}, nil
}

func (f *readTerminal) count(id string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.reads[id]
}

// clock is a settable time.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func newCoalescer(f *readTerminal) (*Coalescer, *clock) {
	clk := &clock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	return &Coalescer{Terminal: f, Now: clk.now}, clk
}

func readAs(t *testing.T, c *Coalescer, caller, id string) pos.Reader {
	t.Helper()
	r, err := c.GetReader(WithCaller(context.Background(), caller), pos.Platform, id)
	if err != nil {
		t.Fatalf("%s reads %s: %v", caller, id, err)
	}
	return r
}

// N counters watching M readers, each polling once per window, cost M
// requests per round, not N×M.
func TestCoalescerCostsOneReadPerReaderPerRound(t *testing.T) {
	f := newReadTerminal()
	c, clk := newCoalescer(f)
	const counters, readers, rounds = 20, 10, 5
	for round := range rounds {
		for n := range counters {
			for m := range readers {
				readAs(t, c, fmt.Sprintf("counter-%d", n), fmt.Sprintf("tmr_%d", m))
			}
		}
		clk.add(c.window() + time.Millisecond)
		for m := range readers {
			if got := f.count(fmt.Sprintf("tmr_%d", m)); got != round+1 {
				t.Fatalf("round %d: reader %d read %d times, want %d", round, m, got, round+1)
			}
		}
	}
	s := c.Stats()
	if s.Sent != readers*rounds || s.Shared != (counters-1)*readers*rounds {
		t.Errorf("stats = %+v, want %d sent, %d shared", s, readers*rounds, (counters-1)*readers*rounds)
	}
}

// Reads in flight at once share one request; a caller giving up does not
// fail the others, and each gets its own copy of the answer.
func TestCoalescerSharesAReadInFlight(t *testing.T) {
	f := newReadTerminal()
	f.hold, f.started = make(chan struct{}), make(chan string, 4)
	c, _ := newCoalescer(f)
	first, cancel := context.WithCancel(WithCaller(context.Background(), "a"))
	errA := make(chan error, 1)
	go func() { _, err := c.GetReader(first, pos.Platform, "tmr_1"); errA <- err }()
	<-f.started
	got := make(chan pos.Reader, 1)
	go func() { got <- readAs(t, c, "b", "tmr_1") }()
	// b has joined once a's read is the one it waits for: give up a's.
	waitFor(t, func() bool { c.mu.Lock(); defer c.mu.Unlock(); return c.readers["tmr_1"].last.takers["b"] })
	cancel()
	if err := <-errA; !errors.Is(err, context.Canceled) {
		t.Errorf("a: %v, want canceled", err)
	}
	close(f.hold)
	r := <-got
	if r.ID != "tmr_1" || f.count("tmr_1") != 1 {
		t.Fatalf("b got %+v after %d requests, want a's one request", r, f.count("tmr_1"))
	}
	r.Metadata["read"] = "changed by b"
	if again := readAs(t, c, "c", "tmr_1"); again.Metadata["read"] != "1" {
		t.Errorf("a caller's change leaked into another's answer: %v", again.Metadata)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 5s")
		}
		time.Sleep(time.Millisecond)
	}
}

// What is never shared: a caller's own last answer, an answer older than
// the window, an answer from before a change of the reader made here, an
// error, another owner's read.
func TestCoalescerNeverAnswersWithWhatACallerMustNotGet(t *testing.T) {
	t.Run("a caller asking again gets a newer read", func(t *testing.T) {
		f := newReadTerminal()
		c, _ := newCoalescer(f)
		readAs(t, c, "a", "tmr_1")
		if r := readAs(t, c, "a", "tmr_1"); r.Metadata["read"] != "2" {
			t.Errorf("a got read %s again, want a new one", r.Metadata["read"])
		}
		// b may take a's latest read; then b, too, gets a newer one.
		if r := readAs(t, c, "b", "tmr_1"); r.Metadata["read"] != "2" {
			t.Errorf("b got read %s, want a's latest (2)", r.Metadata["read"])
		}
		if r := readAs(t, c, "b", "tmr_1"); r.Metadata["read"] != "3" {
			t.Errorf("b got read %s, want 3", r.Metadata["read"])
		}
	})
	t.Run("older than the window", func(t *testing.T) {
		f := newReadTerminal()
		c, clk := newCoalescer(f)
		readAs(t, c, "a", "tmr_1")
		clk.add(c.window() + time.Nanosecond)
		if r := readAs(t, c, "b", "tmr_1"); r.Metadata["read"] != "2" {
			t.Errorf("b got read %s, older than the window", r.Metadata["read"])
		}
	})
	t.Run("from before a change", func(t *testing.T) {
		f := newReadTerminal()
		c, _ := newCoalescer(f)
		readAs(t, c, "watcher", "tmr_1") // no action yet
		if _, err := c.ProcessIntent(context.Background(), pos.Platform, "tmr_1", "pi_1", pos.ProcessConfig{}, "k"); err != nil {
			t.Fatal(err)
		}
		r := readAs(t, c, "sale", "tmr_1")
		if r.Action == nil || r.Action.Status != pos.ActionInProgress {
			t.Errorf("the sale's read after its process_payment_intent got %+v, from before the change", r.Action)
		}
	})
	t.Run("in flight across a change", func(t *testing.T) {
		f := newReadTerminal()
		f.hold, f.started = make(chan struct{}), make(chan string, 4)
		c, _ := newCoalescer(f)
		done := make(chan pos.Reader, 1)
		go func() { done <- readAs(t, c, "watcher", "tmr_1") }()
		<-f.started
		if _, err := c.ProcessIntent(context.Background(), pos.Platform, "tmr_1", "pi_1", pos.ProcessConfig{}, "k"); err != nil {
			t.Fatal(err)
		}
		mine := make(chan pos.Reader, 1)
		go func() { mine <- readAs(t, c, "sale", "tmr_1") }()
		<-f.started // the sale's read is a request of its own
		close(f.hold)
		<-done
		if r := <-mine; r.Action == nil {
			t.Errorf("the sale's read took the watcher's, sent before the change")
		}
	})
	t.Run("an error", func(t *testing.T) {
		f := newReadTerminal()
		f.fail = errors.New("offline")
		c, _ := newCoalescer(f)
		if _, err := c.GetReader(WithCaller(context.Background(), "a"), pos.Platform, "tmr_1"); err == nil {
			t.Fatal("want the error")
		}
		f.mu.Lock()
		f.fail = nil
		f.mu.Unlock()
		if r := readAs(t, c, "b", "tmr_1"); r.Metadata["read"] != "2" {
			t.Errorf("b got %v, want a read of its own after a's error", r.Metadata)
		}
	})
	t.Run("another owner", func(t *testing.T) {
		f := newReadTerminal()
		c, _ := newCoalescer(f)
		readAs(t, c, "a", "tmr_1")
		if _, err := c.GetReader(WithCaller(context.Background(), "b"), "acct_1", "tmr_1"); err != nil {
			t.Fatal(err)
		}
		if f.count("tmr_1") != 2 {
			t.Errorf("a read on another account took the platform's answer")
		}
	})
}

// Without a Presenter (live mode) there is none to hand out: the console
// must not offer test cards.
func TestCoalescerPresentingIsNilWithoutAPresenter(t *testing.T) {
	c := &Coalescer{Terminal: newReadTerminal()}
	if c.Presenting() != nil {
		t.Error("Presenting() is not nil without a Presenter")
	}
}

// BenchmarkCoalescedWatchers reports the requests per round that 20
// counters watching 10 readers cost through the Coalescer, each counter
// polling every reader once per round at its own moment within the round
// (a real clock, reads of 2 ms).
func BenchmarkCoalescedWatchers(b *testing.B) {
	f := &slowTerminal{latency: 2 * time.Millisecond}
	c := &Coalescer{Terminal: f, Window: 20 * time.Millisecond}
	const counters, readers = 20, 10
	for b.Loop() {
		var wg sync.WaitGroup
		for n := range counters {
			wg.Add(1)
			go func() {
				defer wg.Done()
				time.Sleep(time.Duration(n) * 500 * time.Microsecond) // spread over the round
				ctx := WithCaller(context.Background(), fmt.Sprint(n))
				for m := range readers {
					_, _ = c.GetReader(ctx, pos.Platform, fmt.Sprintf("tmr_%d", m))
				}
			}()
		}
		wg.Wait()
		time.Sleep(c.Window) // the next round
	}
	s := c.Stats()
	b.ReportMetric(float64(s.Sent)/float64(b.N), "requests/round")
	b.ReportMetric(float64(counters*readers), "reads/round")
}

type slowTerminal struct {
	pos.Terminal
	latency time.Duration
}

func (s *slowTerminal) GetReader(ctx context.Context, owner pos.Account, id string) (pos.Reader, error) {
	time.Sleep(s.latency)
	return pos.Reader{ID: id}, nil
}
