package journal

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestSaleSurvivesKill saves a sale in a child process that then kills
// itself with SIGKILL (no Close, no deferred cleanup), and reopens.
func TestSaleSurvivesKill(t *testing.T) {
	if p := os.Getenv("KASSE_JOURNAL_CHILD"); p != "" {
		j, err := Open(p)
		if err != nil {
			os.Exit(3)
		}
		for i, id := range []string{"k1", "k2"} {
			if err := j.SaveSale(context.Background(), testSale(t, id, "acct_a", t0.Add(time.Duration(i)*time.Second))); err != nil {
				os.Exit(4)
			}
		}
		syscall.Kill(os.Getpid(), syscall.SIGKILL)
		select {}
	}
	path := filepath.Join(t.TempDir(), "journal.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestSaleSurvivesKill$")
	cmd.Env = append(os.Environ(), "KASSE_JOURNAL_CHILD="+path)
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); !ok || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("child did not die by SIGKILL: %v", err)
	}
	j, err := Open(path)
	if err != nil {
		t.Fatalf("reopen after kill: %v", err)
	}
	defer j.Close()
	got, err := j.UnfinishedSales(context.Background())
	if err != nil || len(got) != 2 || got[0].ID != "k1" || got[1].Pending.Key != "kasse-k2-create" {
		t.Fatalf("after kill: %+v, %v", got, err)
	}
}

// TestTwoHandlesShareTheFile: a console and a headless command writing to
// the same journal wait for each other (busy_timeout) instead of failing.
func TestTwoHandlesShareTheFile(t *testing.T) {
	ctx := context.Background()
	a, path := openTemp(t)
	b, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := 0; i < 20; i++ {
		for _, j := range []*Journal{a, b} {
			wg.Add(1)
			go func(j *Journal, i int) {
				defer wg.Done()
				id := filepath.Base(j.path) + "-" + string(rune('a'+i))
				if j == b {
					id = "b" + id
				}
				errs <- j.SaveSale(ctx, testSale(t, strings.Map(safe, id), "acct_a", t0))
			}(j, i)
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	recs, err := a.ListSales(ctx, SaleFilter{Limit: MaxLimit})
	if err != nil || len(recs) != 40 {
		t.Fatalf("sales = %d, %v; want 40", len(recs), err)
	}
}

func safe(r rune) rune {
	if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' {
		return r
	}
	return '_'
}
