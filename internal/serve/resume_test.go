package serve

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"kasse/internal/sshterm"
	"kasse/journal"
	"kasse/pos"
)

// ringUp charges amount (digits typed, as shown) on the register and waits
// until the reader waits for the card; it returns the sale id from the
// journal.
func (h *host) ringUp(c *sshterm.Term, digits, shown string) pos.Sale {
	h.t.Helper()
	must(h.t, c.Press(digits))
	must(h.t, c.WaitFor(5*time.Second, "Amount  "+shown))
	must(h.t, c.Press("enter"))
	must(h.t, c.WaitFor(15*time.Second, "Waiting for the customer's card on Counter 1"))
	return h.openSale()
}

// openSale is the newest sale of the journal that is not final.
func (h *host) openSale() pos.Sale {
	h.t.Helper()
	recs, err := h.app.Journal.ListSales(context.Background(), journal.SaleFilter{Limit: journal.MaxLimit})
	if err != nil {
		h.t.Fatal(err)
	}
	for _, r := range recs { // newest first
		if !r.Sale.State.Final() && r.Sale.State != pos.SaleDraft {
			return r.Sale
		}
	}
	h.t.Fatal("no open sale in the journal")
	return pos.Sale{}
}

// sale is the journal's sale id.
func (h *host) sale(id string) journal.SaleRecord {
	h.t.Helper()
	recs, err := h.app.Journal.ListSales(context.Background(), journal.SaleFilter{Limit: journal.MaxLimit})
	if err != nil {
		h.t.Fatal(err)
	}
	for _, r := range recs {
		if r.Sale.ID == id {
			return r
		}
	}
	h.t.Fatalf("sale %s is not in the journal", id)
	return journal.SaleRecord{}
}

// present is the customer tapping card on the sale's reader (the test
// helper endpoint, as the reader's own doing: not through the console).
func (h *host) present(s pos.Sale, card string) {
	h.t.Helper()
	if _, err := h.app.Client.PresentCard(context.Background(), s.ReaderOwner, s.ReaderID, card, 0, "test-present-"+s.ID); err != nil {
		h.t.Fatalf("present %s: %v", card, err)
	}
}

func eventually(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s", what, timeout)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// A connection lost mid-sale loses nothing: the sale runs on the host,
// another operator cannot take the counter meanwhile, the customer's card
// is taken, and the operator connecting again is back on the outcome. The
// audit trail names operator, counter and key for each step.
func TestADroppedConnectionResumesItsSale(t *testing.T) {
	h := newHost(t, Options{})
	a := h.dial("alice", "counter-1", sshterm.Options{})
	toRegister(t, a, "lumen", "Register · Lumen Coffee")
	s := h.ringUp(a, "1250", "$12.50")
	a.Drop()
	eventually(t, 5*time.Second, "the host notices the dropped connection", func() bool {
		st := h.srv.stations["counter-1"]
		st.mu.Lock()
		defer st.mu.Unlock()
		return st.conn == nil
	})

	b := h.dial("bob", "counter-1", sshterm.Options{})
	if code, err := b.Wait(10 * time.Second); err != nil || code != 1 {
		t.Fatalf("bob at alice's counter: exit %d, %v", code, err)
	}
	if got := b.Stderr(); !strings.Contains(got, "counter counter-1 has a payment of alice under way") {
		t.Errorf("bob's refusal: %q", got)
	}

	h.present(s, "4242424242424242")
	eventually(t, 15*time.Second, "the detached sale is approved on the host", func() bool {
		return h.sale(s.ID).Sale.State == pos.SaleApproved
	})
	eventually(t, 5*time.Second, "the settled sale's reader is let go", func() bool {
		return len(h.srv.holds.of("counter-1")) == 0
	})

	back := h.dial("alice", "counter-1", sshterm.Options{})
	must(t, back.WaitFor(10*time.Second, "APPROVED", "$12.50", "4242", "Welcome back at counter-1"))

	rec := h.sale(s.ID)
	if rec.ConsoleID != "counter-1.shop" || rec.Operator != "alice" {
		t.Errorf("the sale is stamped %s/%s, want counter-1.shop/alice", rec.ConsoleID, rec.Operator)
	}
	var entries []journal.AuditEntry
	want := []string{"serve.session.start", "sale.charge", "serve.session.drop", "sale.approved", "serve.session.resume"}
	var actions []string
	eventually(t, 5*time.Second, "alice's audit trail", func() bool { // written behind the sessions
		var err error
		if entries, err = h.app.Journal.ListAudit(context.Background(), journal.AuditFilter{Limit: 100}); err != nil {
			t.Fatal(err)
		}
		actions = nil
		for _, e := range entries {
			if e.Who == "alice" {
				actions = append(actions, e.Action)
			}
		}
		slices.Reverse(actions)
		return slices.Equal(actions, want)
	})
	for _, e := range entries {
		if e.Who == "alice" && (e.Console != "counter-1.shop" || e.Key != h.keys["alice"].Fingerprint()) {
			t.Errorf("audit %s names %s with key %q, want counter-1.shop and %s", e.Action, e.Console, e.Key, h.keys["alice"].Fingerprint())
		}
	}
	var bobs []string
	for _, e := range entries {
		if e.Who == "bob" {
			bobs = append(bobs, e.Action+" "+e.Detail+" "+e.Key)
		}
	}
	if len(bobs) != 1 || !strings.HasPrefix(bobs[0], "serve.refused serve.refused.counter_payment "+h.keys["bob"].Fingerprint()) {
		t.Errorf("bob's audit = %q", bobs)
	}
}
