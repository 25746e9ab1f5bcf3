package journal

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"kasse/pos"
)

// Sessions of one process (the counters of `kasse serve`) write one
// journal through views, each stamping its own counter, operator and SSH
// key; concurrent writers lose nothing and never mix up their origins.
func TestViewsStampTheirOriginAndWriteConcurrently(t *testing.T) {
	j, _ := openTemp(t)
	j.SetOrigin("host", "admin")
	ctx := context.Background()
	const counters, salesEach = 8, 6
	var wg sync.WaitGroup
	errs := make(chan error, counters*salesEach*2)
	for c := range counters {
		v := j.WithOrigin(Origin{Console: fmt.Sprintf("shop.counter-%d", c), Operator: fmt.Sprintf("op%d", c),
			Key: fmt.Sprintf("SHA256:key%d", c)})
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range salesEach {
				s := testSale(t, fmt.Sprintf("sale_c%d_%d", c, i), "acct_1", t0)
				if err := v.SaveSale(ctx, s, s.CreateKey()); err != nil {
					errs <- err
				}
				s = approve(s, t0)
				if err := v.SaveSale(ctx, s); err != nil {
					errs <- err
				}
				if err := v.AppendAudit(ctx, AuditEntry{Action: "sale.approved", Subject: s.ID}); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent write: %v", err)
	}
	recs, err := j.ListSales(ctx, SaleFilter{Limit: MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != counters*salesEach {
		t.Fatalf("%d sales in the journal, want %d", len(recs), counters*salesEach)
	}
	for _, r := range recs {
		var c, i int
		if _, err := fmt.Sscanf(r.Sale.ID, "sale_c%d_%d", &c, &i); err != nil {
			t.Fatal(err)
		}
		if r.ConsoleID != fmt.Sprintf("shop.counter-%d", c) || r.Operator != fmt.Sprintf("op%d", c) {
			t.Errorf("%s stamped %s/%s, want counter-%d/op%d", r.Sale.ID, r.ConsoleID, r.Operator, c, c)
		}
		if r.Sale.State != pos.SaleApproved {
			t.Errorf("%s is %s, want approved (a write was lost)", r.Sale.ID, r.Sale.State)
		}
	}
	audit, err := j.ListAudit(ctx, AuditFilter{Action: "sale.approved", Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if len(audit) != counters*salesEach {
		t.Fatalf("%d audit entries, want %d", len(audit), counters*salesEach)
	}
	for _, e := range audit {
		var c, i int
		if _, err := fmt.Sscanf(e.Subject, "sale_c%d_%d", &c, &i); err != nil {
			t.Fatal(err)
		}
		if e.Who != fmt.Sprintf("op%d", c) || e.Console != fmt.Sprintf("shop.counter-%d", c) || e.Key != fmt.Sprintf("SHA256:key%d", c) {
			t.Errorf("audit of %s names %s at %s with %q", e.Subject, e.Who, e.Console, e.Key)
		}
	}
	// The journal itself still stamps its own origin, with no key.
	if err := j.AppendAudit(ctx, AuditEntry{Action: "host"}); err != nil {
		t.Fatal(err)
	}
	host, _ := j.ListAudit(ctx, AuditFilter{Action: "host"})
	if len(host) != 1 || host[0].Who != "admin" || host[0].Console != "host" || host[0].Key != "" {
		t.Errorf("host audit = %+v", host)
	}
}

// Closing a view leaves the journal open for everyone else.
func TestClosingAViewClosesNothing(t *testing.T) {
	j, _ := openTemp(t)
	v := j.WithOrigin(Origin{Console: "c1", Operator: "a"})
	if err := v.Close(); err != nil {
		t.Fatal(err)
	}
	if err := j.AppendAudit(context.Background(), AuditEntry{Action: "still.open"}); err != nil {
		t.Fatalf("the journal was closed with its view: %v", err)
	}
}
