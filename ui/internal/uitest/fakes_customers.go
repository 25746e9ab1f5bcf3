package uitest

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"

	"kasse/customers"
	"kasse/journal"
	"kasse/pos"
)

// FakeCustomerPort is pos.Customers in memory: customers and saved cards
// by account, the calls made. The console's customers service
// (customers.Service, the real one) runs over it, so its checks of bad
// input are the real ones.
type FakeCustomerPort struct {
	mu        sync.Mutex
	Customers []pos.Customer
	Cards     []pos.SavedCard
	calls     []string
	n         int
}

// Calls are the calls made so far ("DetachCard pm_visa").
func (f *FakeCustomerPort) Calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.calls...)
}

func (f *FakeCustomerPort) call(s string) { f.calls = append(f.calls, s) }

func notFound(kind, id string) error {
	return &pos.Error{Kind: pos.KindNotFound, Code: "resource_missing", Message: fmt.Sprintf("No such %s: '%s'", kind, id), HTTPStatus: 404}
}

func (f *FakeCustomerPort) CreateCustomer(ctx context.Context, owner pos.Account, req pos.CustomerRequest, key string) (pos.Customer, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.call("CreateCustomer " + req.Name)
	f.n++
	c := pos.Customer{ID: fmt.Sprintf("cus_new%d", f.n), Account: owner, Name: req.Name, Email: req.Email, Phone: req.Phone,
		Metadata: req.Metadata, Created: Now}
	f.Customers = append(f.Customers, c)
	for i, k := range f.Cards { // created with the card: attached
		if req.PaymentMethod != "" && k.ID == req.PaymentMethod && k.Account == owner {
			f.Cards[i].Customer = c.ID
		}
	}
	return c, nil
}

func (f *FakeCustomerPort) GetCustomer(ctx context.Context, owner pos.Account, id string) (pos.Customer, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, c := range f.Customers {
		if c.ID == id && c.Account == owner {
			return c, nil
		}
	}
	return pos.Customer{}, notFound("customer", id)
}

func (f *FakeCustomerPort) SetCustomerMetadata(ctx context.Context, owner pos.Account, id string, md map[string]string, key string) (pos.Customer, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.call("SetCustomerMetadata " + id)
	for i, c := range f.Customers {
		if c.ID == id && c.Account == owner {
			m := map[string]string{}
			for k, v := range c.Metadata {
				m[k] = v
			}
			for k, v := range md {
				m[k] = v
			}
			f.Customers[i].Metadata = m
			return f.Customers[i], nil
		}
	}
	return pos.Customer{}, notFound("customer", id)
}

func (f *FakeCustomerPort) ListCustomers(ctx context.Context, owner pos.Account, flt pos.CustomerFilter) ([]pos.Customer, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []pos.Customer
	for i := len(f.Customers) - 1; i >= 0; i-- { // newest first
		c := f.Customers[i]
		if c.Account == owner && (flt.Email == "" || c.Email == flt.Email) {
			out = append(out, c)
		}
	}
	return out, nil
}

func (f *FakeCustomerPort) ListCards(ctx context.Context, owner pos.Account, customerID string) ([]pos.SavedCard, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []pos.SavedCard
	for _, k := range f.Cards {
		if k.Account == owner && k.Customer == customerID {
			out = append(out, k)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Created.After(out[j].Created) })
	return out, nil
}

func (f *FakeCustomerPort) GetCard(ctx context.Context, owner pos.Account, id string) (pos.SavedCard, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, k := range f.Cards {
		if k.ID == id && k.Account == owner {
			return k, nil
		}
	}
	return pos.SavedCard{}, notFound("PaymentMethod", id)
}

// SavedCardCharged is the card FakePayments reports for a saved card's charge.
func SavedCardCharged() pos.Card { return pos.Card{Brand: "visa", Last4: "4242"} }

func (f *FakeCustomerPort) ShareCard(ctx context.Context, seller pos.Account, walletCustomer, walletCard, key string) (pos.SavedCard, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.call("ShareCard " + walletCard)
	for _, k := range f.Cards {
		if k.ID == walletCard && k.Account.IsPlatform() && k.Customer == walletCustomer {
			k.ID, k.Account, k.Customer, k.SharedFrom = "pm_shared_"+walletCard, seller, "", walletCard
			f.Cards = append(f.Cards, k)
			return k, nil
		}
	}
	return pos.SavedCard{}, notFound("PaymentMethod", walletCard)
}

func (f *FakeCustomerPort) AttachCard(ctx context.Context, owner pos.Account, cardID, customerID, key string) (pos.SavedCard, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.call("AttachCard " + cardID)
	for i, k := range f.Cards {
		if k.ID == cardID && k.Account == owner {
			f.Cards[i].Customer = customerID
			return f.Cards[i], nil
		}
	}
	return pos.SavedCard{}, notFound("PaymentMethod", cardID)
}

func (f *FakeCustomerPort) DetachCard(ctx context.Context, owner pos.Account, cardID, key string) (pos.SavedCard, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.call("DetachCard " + cardID)
	for i, k := range f.Cards {
		if k.ID == cardID && k.Account == owner {
			f.Cards = append(f.Cards[:i], f.Cards[i+1:]...)
			k.Customer = ""
			return k, nil
		}
	}
	return pos.SavedCard{}, notFound("PaymentMethod", cardID)
}

func (f *FakeCustomerPort) CreateSetupIntent(ctx context.Context, owner pos.Account, req pos.SetupRequest, key string) (pos.SetupIntent, error) {
	return pos.SetupIntent{}, fmt.Errorf("not in the console tests")
}

func (f *FakeCustomerPort) GetSetupIntent(ctx context.Context, owner pos.Account, id string) (pos.SetupIntent, error) {
	return pos.SetupIntent{}, fmt.Errorf("not in the console tests")
}

func (f *FakeCustomerPort) CancelSetupIntent(ctx context.Context, owner pos.Account, id, key string) (pos.SetupIntent, error) {
	return pos.SetupIntent{}, fmt.Errorf("not in the console tests")
}

func (f *FakeCustomerPort) ProcessSetupIntent(ctx context.Context, readerOwner pos.Account, readerID, siID, key string) (pos.Reader, error) {
	return pos.Reader{}, fmt.Errorf("not in the console tests")
}

// MemCustomerOps is the customers service's journal in memory.
type MemCustomerOps struct {
	mu    sync.Mutex
	ops   []journal.CustomerOp
	Sales []pos.Sale
}

func (m *MemCustomerOps) RecordCustomerOp(ctx context.Context, op journal.CustomerOp) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	op.State = journal.OpRecorded
	m.ops = append(m.ops, op)
	return nil
}

func (m *MemCustomerOps) FinishCustomerOp(ctx context.Context, key, result, errText string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i := range m.ops {
		if m.ops[i].Key == key {
			m.ops[i].State, m.ops[i].Result = journal.OpDone, result
		}
	}
	return nil
}

func (m *MemCustomerOps) OpenCustomerOp(ctx context.Context, op, account, request string) (journal.CustomerOp, bool, error) {
	return journal.CustomerOp{}, false, nil
}

func (m *MemCustomerOps) CustomerSales(ctx context.Context, ids []string, limit int) ([]journal.SaleRecord, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []journal.SaleRecord
	for _, s := range m.Sales {
		if c := s.Customer; c != nil && (contains(ids, c.ID) || contains(ids, c.Wallet)) {
			out = append(out, journal.SaleRecord{Sale: s})
		}
	}
	return out, nil
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x != "" && x == s {
			return true
		}
	}
	return false
}

// DemoCustomers is the console tests' customers: Mara Lindqvist in the
// platform wallet (a Visa, and a Mastercard that expired in 2025), Jonas
// Weber at Bäckerei Müller (an Amex, no email), and one of Mara's sales.
func DemoCustomers() (*customers.Service, *FakeCustomerPort) {
	at := time.Date(2025, 11, 2, 10, 0, 0, 0, time.UTC)
	port := &FakeCustomerPort{
		Customers: []pos.Customer{
			{ID: "cus_mara", Account: pos.Platform, Name: "Mara Lindqvist", Email: "mara@example.com", Created: at},
			{ID: "cus_jonas", Account: "acct_1Baeckerei", Name: "Jonas Weber", Created: at.Add(time.Hour)},
		},
		Cards: []pos.SavedCard{
			{ID: "pm_visa", Account: pos.Platform, Customer: "cus_mara", Type: pos.CardTypeCard, Brand: "visa", Last4: "4242",
				ExpMonth: 12, ExpYear: 2029, Created: at.Add(2 * time.Hour)},
			{ID: "pm_old", Account: pos.Platform, Customer: "cus_mara", Type: pos.CardTypeCard, Brand: "mastercard", Last4: "4444",
				ExpMonth: 1, ExpYear: 2025, Created: at.Add(time.Hour)},
			{ID: "pm_amex", Account: "acct_1Baeckerei", Customer: "cus_jonas", Type: pos.CardTypeCard, Brand: "amex", Last4: "0005",
				ExpMonth: 6, ExpYear: 2030, Created: at},
		},
	}
	ops := &MemCustomerOps{Sales: []pos.Sale{{ID: "till-1-20260301T101500-k9", Seller: "acct_1Ramen", Amount: 1980, Currency: "jpy",
		State: pos.SaleApproved, CreatedAt: time.Date(2026, 3, 1, 10, 15, 0, 0, time.UTC), Customer: &pos.SaleCustomer{Wallet: "cus_mara", ID: "cus_copy"}}}}
	svc := &customers.Service{Customers: port, Journal: ops, ConsoleID: "till-1", NewKey: func() string { return "k" },
		Now: func() time.Time { return Now }}
	return svc, port
}

// Saved are the sales saved so far, in order.
func (j *MemJournal) Saved() []pos.Sale {
	j.mu.Lock()
	defer j.mu.Unlock()
	return append([]pos.Sale(nil), j.saved...)
}
