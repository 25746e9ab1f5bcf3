package headless_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"kasse/headless"
	"kasse/internal/cli"
)

// BenchmarkHeadlessSale runs complete approved sales (`kasse charge
// --simulate-card`) against the in-process sandbox through the real adapter
// and a real journal (fsync per write). Polls do not sleep: the simulated
// reader settles synchronously. It reports sales/s and requests per sale.
func BenchmarkHeadlessSale(b *testing.B) {
	e := newEnv(b, nil)
	d := e.deps(headless.ModeSandbox)
	args := []string{"--seller", string(e.sellers["usd"].ID), "--reader", e.readers["usd"].ID,
		"--amount", "12.50", "--simulate-card", "4242424242424242"}
	var out, errOut bytes.Buffer
	e.counter.Reset()
	start := time.Now()
	n := 0
	for b.Loop() {
		out.Reset()
		if code := headless.RunCharge(context.Background(), d, args, cli.IO{Out: &out, Err: &errOut}); code != 0 {
			b.Fatalf("exit %d: %s %s", code, out.String(), errOut.String())
		}
		n++
	}
	elapsed := time.Since(start)
	b.ReportMetric(float64(n)/elapsed.Seconds(), "sales/s")
	b.ReportMetric(float64(e.counter.Total())/float64(n), "req/sale")
	b.ReportMetric(float64(e.counter.Count("CreateIntent")+e.counter.Count("ProcessIntent"))/float64(n), "req-to-reader/sale")
}
