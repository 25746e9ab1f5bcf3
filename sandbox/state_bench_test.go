package sandbox

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// Benchmarks of the sandbox's cost per request as its state grows (issue
// 12): POST and 10-item list latency with 100 and with 10,000 stored
// intents (the ratios should stay under 1.5), and the memory 100,000
// intents take. Requests go straight to ServeHTTP (no sockets), with the
// state file on, as the embedded sandbox runs.
//
//	go test ./sandbox -run '^$' -bench 'Stored|Memory' -benchtime 2s -count 3

// directWriter is a minimal http.ResponseWriter for driving ServeHTTP in
// benchmarks.
type directWriter struct {
	h      http.Header
	status int
	body   bytes.Buffer
}

func (w *directWriter) Header() http.Header         { return w.h }
func (w *directWriter) WriteHeader(status int)      { w.status = status }
func (w *directWriter) Write(b []byte) (int, error) { return w.body.Write(b) }

// driver sends requests to a handler directly.
type driver struct {
	tb testing.TB
	h  http.Handler
	w  directWriter
}

func newDriver(tb testing.TB, h http.Handler) *driver {
	return &driver{tb: tb, h: h, w: directWriter{h: http.Header{}}}
}

// do sends method path (query in path) with a form body and headers
// "Stripe-Account" / "Idempotency-Key" when not empty; it returns the
// body, failing on anything but 200.
func (d *driver) do(method, path, body, account, key string) []byte {
	var rd io.Reader = http.NoBody
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, path, rd)
	if err != nil {
		d.tb.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+testAPIKey)
	req.Header.Set("Stripe-Version", APIVersion)
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if account != "" {
		req.Header.Set("Stripe-Account", account)
	}
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	clear(d.w.h)
	d.w.status = 200
	d.w.body.Reset()
	d.h.ServeHTTP(&d.w, req)
	if d.w.status != 200 {
		d.tb.Fatalf("%s %s: %d %s", method, path, d.w.status, d.w.body.Bytes())
	}
	return d.w.body.Bytes()
}

// idOf returns the "id" of a JSON object body.
func idOf(b []byte) string {
	i := bytes.Index(b, []byte(`"id":"`))
	if i < 0 {
		return ""
	}
	b = b[i+6:]
	return string(b[:bytes.IndexByte(b, '"')])
}

// benchSale is the create body Kasse sends for a sale.
const benchSale = "amount=1250&currency=usd&payment_method_types[0]=card_present&capture_method=automatic" +
	"&description=Kasse+sale&metadata[kasse_sale]=%s&metadata[kasse_console]=till-1"

// addSales stores n paid sales on seller (intent, charge, events,
// idempotency keys) through reader rd.
func addSales(d *driver, seller, rd string, n int, tag string) {
	for i := 0; i < n; i++ {
		sale := fmt.Sprintf("%s-%d", tag, i)
		id := idOf(d.do("POST", "/v1/payment_intents", fmt.Sprintf(benchSale, sale), seller, sale+"-create"))
		d.do("POST", "/v1/terminal/readers/"+rd+"/process_payment_intent", "payment_intent="+id, "", sale+"-process")
		d.do("POST", "/v1/test_helpers/terminal/readers/"+rd+"/present_payment_method", "", "", "")
	}
}

// storedState builds a demo sandbox with n paid sales on Lumen Coffee in
// a state file and returns the file's bytes, the seller and the reader
// (built once per n and process).
func storedState(b *testing.B, n int) (file []byte, seller, rd string) {
	storedMu.Lock()
	defer storedMu.Unlock()
	if st, ok := storedStates[n]; ok {
		return st.file, st.seller, st.rd
	}
	dir, err := os.MkdirTemp("", "sandbox-bench-")
	if err != nil {
		b.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "state.json")
	s, err := New(Options{Seed: "demo", StateFile: path})
	if err != nil {
		b.Fatal(err)
	}
	e := &env{t: b, srv: s}
	seller, rd, _ = demoIDs(e)
	addSales(newDriver(b, s), seller, rd, n, "seed")
	if err := s.Close(); err != nil {
		b.Fatal(err)
	}
	file, err = os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	storedStates[n] = storedStateOf{file, seller, rd}
	return file, seller, rd
}

type storedStateOf struct {
	file       []byte
	seller, rd string
}

var (
	storedMu     sync.Mutex
	storedStates = map[int]storedStateOf{}
)

// openStored opens a sandbox on a copy of a stored state; the caller
// closes it.
func openStored(b *testing.B, file []byte) *Server {
	path := filepath.Join(b.TempDir(), "state.json")
	if err := os.WriteFile(path, file, 0o600); err != nil {
		b.Fatal(err)
	}
	s, err := New(Options{StateFile: path})
	if err != nil {
		b.Fatal(err)
	}
	return s
}

var storedSizes = []int{100, 10_000}

// BenchmarkPOSTStored: one POST with n paid sales stored, written to the
// state file before it is answered. "create" is a sale's create (with an
// idempotency key; every 100 creates, and at least every n/10, the
// sandbox is reopened on the stored state, so the state stays within
// n+100); "update" sets an intent's metadata (the state does not grow).
func BenchmarkPOSTStored(b *testing.B) {
	for _, n := range storedSizes {
		b.Run(fmt.Sprintf("create/intents=%d", n), func(b *testing.B) {
			file, seller, _ := storedState(b, n)
			reset := max(n/10, 100)
			var d *driver
			defer func() { _ = d.h.(*Server).Close() }()
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if i%reset == 0 {
					b.StopTimer()
					if d != nil {
						_ = d.h.(*Server).Close()
					}
					d = newDriver(b, openStored(b, file))
					b.StartTimer()
				}
				key := fmt.Sprintf("bench-%d", i)
				d.do("POST", "/v1/payment_intents", fmt.Sprintf(benchSale, key), seller, key)
				i++
			}
		})
		b.Run(fmt.Sprintf("update/intents=%d", n), func(b *testing.B) {
			file, seller, _ := storedState(b, n)
			s := openStored(b, file)
			defer s.Close()
			d := newDriver(b, s)
			id := idOf(d.do("GET", "/v1/payment_intents?limit=1", "", seller, "")[len(`{"object":"list","data":[`):])
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				i++
				d.do("POST", "/v1/payment_intents/"+id, fmt.Sprintf("metadata[note]=n%d", i), seller, fmt.Sprintf("upd-%d", i))
			}
		})
	}
}

// BenchmarkListStored: GET /v1/payment_intents?limit=10 (the newest ten
// of the seller's intents) with n paid sales stored.
func BenchmarkListStored(b *testing.B) {
	for _, n := range storedSizes {
		b.Run(fmt.Sprintf("intents=%d", n), func(b *testing.B) {
			file, seller, _ := storedState(b, n)
			s := openStored(b, file)
			defer s.Close()
			d := newDriver(b, s)
			b.ReportAllocs()
			for b.Loop() {
				if body := d.do("GET", "/v1/payment_intents?limit=10", "", seller, ""); !bytes.Contains(body, []byte(`"has_more":true`)) {
					b.Fatalf("list: %s", body)
				}
			}
		})
	}
}

// BenchmarkMemoryIntents: the heap 100,000 intents take (created as a
// sale's create: with an idempotency key and a payment_intent.created
// event, all within their retention), with and without a state file.
// Reported as MB and bytes per intent; one iteration is one fill.
func BenchmarkMemoryIntents(b *testing.B) {
	const n = 100_000
	for _, persisted := range []bool{false, true} {
		b.Run(fmt.Sprintf("statefile=%v", persisted), func(b *testing.B) {
			for b.Loop() {
				opts := Options{Seed: "demo"}
				if persisted {
					opts.StateFile = filepath.Join(b.TempDir(), "state.json")
				}
				before := heapInUse()
				s, err := New(opts)
				if err != nil {
					b.Fatal(err)
				}
				seller, _, _ := demoIDs(&env{t: b, srv: s})
				d := newDriver(b, s)
				for i := 0; i < n; i++ {
					key := fmt.Sprintf("mem-%d", i)
					d.do("POST", "/v1/payment_intents", fmt.Sprintf(benchSale, key), seller, key)
				}
				used := heapInUse() - before
				b.ReportMetric(float64(used)/1e6, "MB")
				b.ReportMetric(float64(used)/n, "B/intent")
				runtime.KeepAlive(s)
				_ = s.Close()
			}
		})
	}
}

func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// BenchmarkOpenStored: opening a state file with n paid sales (what a
// restart of the embedded sandbox costs).
func BenchmarkOpenStored(b *testing.B) {
	for _, n := range storedSizes {
		b.Run(fmt.Sprintf("intents=%d", n), func(b *testing.B) {
			file, _, _ := storedState(b, n)
			b.ReportMetric(float64(len(file))/1e6, "MB-file")
			for b.Loop() {
				s := openStored(b, file)
				_ = s.Close()
			}
		})
	}
}
