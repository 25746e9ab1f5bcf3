package journal

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"kasse/pos"
)

func openCustomers(t *testing.T) *Journal {
	t.Helper()
	j, err := Open(filepath.Join(t.TempDir(), "j.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	return j
}

// A customer request is recorded before it is sent; after a crash the
// same request finds its key again, and once answered it is closed.
func TestCustomerOpsRecordBeforeSend(t *testing.T) {
	ctx := context.Background()
	j := openCustomers(t)
	j.SetOrigin("till-1", "anna")
	req := `{"name":"Mara","email":"mara@example.com"}`
	if _, found, err := j.OpenCustomerOp(ctx, "create_customer", "", req); err != nil || found {
		t.Fatalf("nothing recorded yet: %v %v", found, err)
	}
	if err := j.RecordCustomerOp(ctx, CustomerOp{Key: "k1", Op: "create_customer", Request: req}); err != nil {
		t.Fatal(err)
	}
	if err := j.RecordCustomerOp(ctx, CustomerOp{Key: "k1", Op: "create_customer", Request: req}); err == nil {
		t.Fatal("a key recorded twice")
	}
	// Crash: the request is found again with its key.
	o, found, err := j.OpenCustomerOp(ctx, "create_customer", "", req)
	if err != nil || !found || o.Key != "k1" || o.ConsoleID != "till-1" || o.Operator != "anna" || o.State != OpRecorded {
		t.Fatalf("open op %+v %v %v", o, found, err)
	}
	if _, found, _ := j.OpenCustomerOp(ctx, "create_customer", "acct_1", req); found {
		t.Fatal("another account's op matched")
	}
	if err := j.FinishCustomerOp(ctx, "k1", "cus_1", ""); err != nil {
		t.Fatal(err)
	}
	if _, found, _ := j.OpenCustomerOp(ctx, "create_customer", "", req); found {
		t.Fatal("an answered op is still open")
	}
	if o, err := j.CustomerOpByKey(ctx, "k1"); err != nil || o.State != OpDone || o.Result != "cus_1" {
		t.Fatalf("done op %+v %v", o, err)
	}
	if err := j.FinishCustomerOp(ctx, "nope", "", "x"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("finish unknown: %v", err)
	}
	// A refusal keeps the message, redacted.
	j.RecordCustomerOp(ctx, CustomerOp{Key: "k2", Op: "detach_card", Account: "acct_1", Request: "pm_1"})
	j.FinishCustomerOp(ctx, "k2", "", "refused for 4242424242424242 with sk_test_abcdef123")
	if o, _ := j.CustomerOpByKey(ctx, "k2"); o.State != OpFailed || o.Error != "refused for [card …4242] with sk_test_[redacted]" {
		t.Fatalf("failed op %+v", o)
	}
}

// A customer's sales across sellers: by the wallet customer or by a
// seller's customer, newest first.
func TestCustomerSales(t *testing.T) {
	ctx := context.Background()
	j := openCustomers(t)
	at := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	save := func(id string, seller pos.Account, c *pos.SaleCustomer, min int) {
		s, err := pos.NewSale(pos.SaleConfig{ID: id, Seller: seller, Currency: "usd", Customer: c}, at.Add(time.Duration(min)*time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		s.State = pos.SaleApproved
		if err := j.SaveSale(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	save("a", "acct_A", &pos.SaleCustomer{ID: "cus_copyA", Wallet: "cus_wallet"}, 1)
	save("b", "acct_B", &pos.SaleCustomer{Wallet: "cus_wallet"}, 2)
	save("c", "acct_B", &pos.SaleCustomer{ID: "cus_own"}, 3)
	save("d", "acct_B", nil, 4)
	recs, err := j.CustomerSales(ctx, []string{"cus_wallet"}, 0)
	if err != nil || len(recs) != 2 || recs[0].Sale.ID != "b" || recs[1].Sale.ID != "a" {
		t.Fatalf("wallet customer's sales: %v %d", err, len(recs))
	}
	recs, _ = j.CustomerSales(ctx, []string{"cus_own", "cus_copyA"}, 0)
	if len(recs) != 2 || recs[0].Sale.ID != "c" || recs[1].Sale.ID != "a" {
		t.Fatalf("by seller customers: %d", len(recs))
	}
	if recs, _ := j.CustomerSales(ctx, []string{"cus_wallet"}, 1); len(recs) != 1 {
		t.Fatalf("limit: %d", len(recs))
	}
}
