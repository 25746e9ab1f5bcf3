package serve

import (
	"context"
	"testing"
	"time"

	"kasse/internal/sshterm"
	"kasse/journal"
	"kasse/pos"
)

// A graceful shutdown cancels the payment under way on the reader and on
// Stripe (compare before cancel), ends every session, a dropped one too,
// takes no new ones, and writes the audit trail before the journal closes.
func TestShutdownCancelsPaymentsAndEndsSessions(t *testing.T) {
	h := newHost(t, Options{})
	a := h.dial("alice", "counter-1", sshterm.Options{})
	toRegister(t, a, "lumen", "Register · Lumen Coffee")
	s := h.ringUp(a, "1250", "$12.50")
	b := h.dial("bob", "counter-2", sshterm.Options{})
	toRegister(t, b, "sonnenkorn", "Register · Sonnenkorn")
	c := h.dial("carol", "counter-9", sshterm.Options{})
	toRegister(t, c, "sakura", "Register · Sakura Ramen")
	s2 := h.ringUp(c, "900", "¥900")
	c.Drop() // a dropped session's payment is canceled too

	h.stop()
	for _, x := range []struct {
		who  string
		term *sshterm.Term
	}{{"alice", a}, {"bob", b}} {
		if code, err := x.term.Wait(5 * time.Second); err != nil || code != 0 {
			t.Errorf("%s's session: exit %d, %v; want ended (0)", x.who, code, err)
		}
	}
	j, err := journal.Open(h.app.Config.JournalPath())
	must(t, err)
	defer j.Close()
	for _, id := range []string{s.ID, s2.ID} {
		recs, err := j.ListSales(context.Background(), journal.SaleFilter{Limit: journal.MaxLimit})
		must(t, err)
		for _, r := range recs {
			if r.Sale.ID == id && r.Sale.State != pos.SaleCanceled {
				t.Errorf("sale %s is %s after the shutdown, want canceled", id, r.Sale.State)
			}
		}
	}
	entries, err := j.ListAudit(context.Background(), journal.AuditFilter{Action: "serve.session.end", Limit: 10})
	must(t, err)
	if len(entries) != 3 {
		t.Errorf("%d session ends in the audit trail, want 3", len(entries))
	}
	if _, err := sshterm.Dial(h.addr, h.keys["alice"], sshterm.Options{User: "counter-1"}); err == nil {
		t.Error("a new session was taken after the shutdown")
	}
}
