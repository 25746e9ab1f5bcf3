package e2e

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"kasse/journal"
)

// TestFigureEventToNotice (one round always; eight with KASSE_FIGURES=1) measures, with the
// real binaries, the delay from a refund made straight on the sandbox (as
// in the Dashboard) to (a) its notice in the journal, written by kasse
// webhooks serve from the signed delivery, and (b) its notice on the
// console's screen (which reads the journal's notices every second).
// It asserts only that each arrives; the delays are logged.
func TestFigureEventToNotice(t *testing.T) {
	rounds := 1 // in every run: the refund reaches the journal and the screen
	if os.Getenv("KASSE_FIGURES") == "1" {
		rounds = 8 // the figure for the notes, about 50 s of wall-clock time
	}
	w := newWorld(t)
	addr := freePort(t)
	w.serveWebhooks(t, addr, w.endpoint(t, "http://"+addr+"/"))
	c := w.startConsole(t)
	j, err := journal.Open(w.journalPath())
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	var toJournal, toScreen []time.Duration
	for i := range rounds {
		sale := w.chargeOK(t, "--seller", w.lumen.Seller, "--reader", w.lumen.Reader, "--amount", "20.00", "--simulate-card", "4242424242424242")
		amount := int64(101 + i)
		last, err := j.LastNotice(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		w.dashboardRefund(t, w.lumen.Seller, sale.IntentID, amount)
		if !eventually(20*time.Second, 2*time.Millisecond, func() bool {
			ns, err := j.Notices(context.Background(), last, 10)
			return err == nil && len(ns) > 0
		}) {
			t.Fatal("no notice in the journal")
		}
		toJournal = append(toJournal, time.Since(start))
		want := fmt.Sprintf("$%d.%02d refunded outside Kasse", amount/100, amount%100)
		if !eventually(20*time.Second, 10*time.Millisecond, func() bool { return strings.Contains(c.capture(), want) }) {
			t.Fatalf("no notice on screen:\n%s", c.capture())
		}
		toScreen = append(toScreen, time.Since(start))
		if i < rounds-1 {
			time.Sleep(5500 * time.Millisecond) // the status line clears before the next
		}
	}
	t.Logf("sandbox refund → journal notice (webhook, record, apply): median %s, max %s", median(toJournal), maxOf(toJournal))
	t.Logf("sandbox refund → console status line: median %s, max %s (the console reads notices every 1 s)", median(toScreen), maxOf(toScreen))
}

func median(ds []time.Duration) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

func maxOf(ds []time.Duration) time.Duration {
	m := ds[0]
	for _, d := range ds {
		m = max(m, d)
	}
	return m
}
