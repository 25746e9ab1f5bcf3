package sandbox

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkStateFileWrite measures one state file write (what every POST
// adds when Options.StateFile is set) with this many paid sales in the
// state (each: intent, charge, events, idempotency keys). The cost grows
// with the state: the whole document is rewritten.
func BenchmarkStateFileWrite(b *testing.B) {
	for _, sales := range []int{100, 1000} {
		b.Run(fmt.Sprintf("sales=%d", sales), func(b *testing.B) {
			e := newEnv(b, Options{Seed: "demo"})
			seller, rd, _ := demoIDs(e)
			for i := 0; i < sales; i++ {
				pi := e.pIntent(seller, 1000+int64(i), "usd", "automatic")
				e.pProcess(rd, pi.ID)
				e.pPresent(rd, "", 0)
			}
			path := filepath.Join(b.TempDir(), "state.json")
			e.srv.opts.StateFile = path
			if err := e.srv.saveState(); err != nil {
				b.Fatal(err)
			}
			fi, err := os.Stat(path)
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				if err := e.srv.saveState(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(fi.Size())/1e6, "MB")
		})
	}
}
