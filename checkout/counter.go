package checkout

import (
	"context"
	"maps"
	"sort"
	"sync"

	"kasse/pos"
)

// Counter counts port calls by method name ("CreateIntent", "GetReader",
// …). Wrap the ports with it to measure how many requests a flow makes:
// with the stripeapi adapter and retries off, one call is one HTTP request.
// It is safe for concurrent use.
type Counter struct {
	mu     sync.Mutex
	counts map[string]int
}

func (c *Counter) inc(method string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.counts == nil {
		c.counts = map[string]int{}
	}
	c.counts[method]++
}

// Count is the number of calls of method.
func (c *Counter) Count(method string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.counts[method]
}

// Total is the number of calls of all methods.
func (c *Counter) Total() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, v := range c.counts {
		n += v
	}
	return n
}

// Counts returns a copy of the counts.
func (c *Counter) Counts() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return maps.Clone(c.counts)
}

// Methods lists the methods called, sorted.
func (c *Counter) Methods() []string {
	m := c.Counts()
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Reset sets every count to zero.
func (c *Counter) Reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.counts = nil
}

// Sellers wraps s so that its calls are counted.
func (c *Counter) Sellers(s pos.Sellers) pos.Sellers { return countedSellers{s, c} }

// Payments wraps p so that its calls are counted.
func (c *Counter) Payments(p pos.Payments) pos.Payments { return countedPayments{p, c} }

// Terminal wraps t so that its calls are counted.
func (c *Counter) Terminal(t pos.Terminal) pos.Terminal { return countedTerminal{t, c} }

// Presenter wraps p so that its calls are counted.
func (c *Counter) Presenter(p pos.Presenter) pos.Presenter { return countedPresenter{p, c} }

type countedSellers struct {
	next pos.Sellers
	c    *Counter
}

func (w countedSellers) ListSellers(ctx context.Context) ([]pos.Seller, error) {
	w.c.inc("ListSellers")
	return w.next.ListSellers(ctx)
}

func (w countedSellers) GetSeller(ctx context.Context, id pos.Account) (pos.Seller, error) {
	w.c.inc("GetSeller")
	return w.next.GetSeller(ctx, id)
}

type countedPayments struct {
	next pos.Payments
	c    *Counter
}

func (w countedPayments) CreateIntent(ctx context.Context, seller pos.Account, req pos.CreateIntentRequest, key string) (pos.Intent, error) {
	w.c.inc("CreateIntent")
	return w.next.CreateIntent(ctx, seller, req, key)
}

func (w countedPayments) GetIntent(ctx context.Context, seller pos.Account, id string) (pos.Intent, error) {
	w.c.inc("GetIntent")
	return w.next.GetIntent(ctx, seller, id)
}

func (w countedPayments) CaptureIntent(ctx context.Context, seller pos.Account, id string, amount int64, key string) (pos.Intent, error) {
	w.c.inc("CaptureIntent")
	return w.next.CaptureIntent(ctx, seller, id, amount, key)
}

func (w countedPayments) CancelIntent(ctx context.Context, seller pos.Account, id, reason, key string) (pos.Intent, error) {
	w.c.inc("CancelIntent")
	return w.next.CancelIntent(ctx, seller, id, reason, key)
}

func (w countedPayments) ListIntents(ctx context.Context, seller pos.Account, f pos.IntentFilter) ([]pos.Intent, error) {
	w.c.inc("ListIntents")
	return w.next.ListIntents(ctx, seller, f)
}

func (w countedPayments) CreateRefund(ctx context.Context, seller pos.Account, req pos.RefundRequest, key string) (pos.Refund, error) {
	w.c.inc("CreateRefund")
	return w.next.CreateRefund(ctx, seller, req, key)
}

func (w countedPayments) ListRefunds(ctx context.Context, seller pos.Account, intentID string) ([]pos.Refund, error) {
	w.c.inc("ListRefunds")
	return w.next.ListRefunds(ctx, seller, intentID)
}

func (w countedPayments) ListRefundsCreated(ctx context.Context, seller pos.Account, f pos.RefundFilter) ([]pos.Refund, error) {
	w.c.inc("ListRefundsCreated")
	return w.next.ListRefundsCreated(ctx, seller, f)
}

type countedTerminal struct {
	next pos.Terminal
	c    *Counter
}

func (w countedTerminal) ListLocations(ctx context.Context, owner pos.Account) ([]pos.Location, error) {
	w.c.inc("ListLocations")
	return w.next.ListLocations(ctx, owner)
}

func (w countedTerminal) CreateLocation(ctx context.Context, owner pos.Account, req pos.LocationRequest, key string) (pos.Location, error) {
	w.c.inc("CreateLocation")
	return w.next.CreateLocation(ctx, owner, req, key)
}

func (w countedTerminal) DeleteLocation(ctx context.Context, owner pos.Account, id string) error {
	w.c.inc("DeleteLocation")
	return w.next.DeleteLocation(ctx, owner, id)
}

func (w countedTerminal) ListReaders(ctx context.Context, owner pos.Account, f pos.ReaderFilter) ([]pos.Reader, error) {
	w.c.inc("ListReaders")
	return w.next.ListReaders(ctx, owner, f)
}

func (w countedTerminal) GetReader(ctx context.Context, owner pos.Account, id string) (pos.Reader, error) {
	w.c.inc("GetReader")
	return w.next.GetReader(ctx, owner, id)
}

func (w countedTerminal) RegisterReader(ctx context.Context, owner pos.Account, code, label, locationID, key string) (pos.Reader, error) {
	w.c.inc("RegisterReader")
	return w.next.RegisterReader(ctx, owner, code, label, locationID, key)
}

func (w countedTerminal) UpdateReader(ctx context.Context, owner pos.Account, id, label string, md map[string]string, key string) (pos.Reader, error) {
	w.c.inc("UpdateReader")
	return w.next.UpdateReader(ctx, owner, id, label, md, key)
}

func (w countedTerminal) DeleteReader(ctx context.Context, owner pos.Account, id string) error {
	w.c.inc("DeleteReader")
	return w.next.DeleteReader(ctx, owner, id)
}

func (w countedTerminal) ProcessIntent(ctx context.Context, owner pos.Account, readerID, intentID string, cfg pos.ProcessConfig, key string) (pos.Reader, error) {
	w.c.inc("ProcessIntent")
	return w.next.ProcessIntent(ctx, owner, readerID, intentID, cfg, key)
}

func (w countedTerminal) CancelAction(ctx context.Context, owner pos.Account, readerID, key string) (pos.Reader, error) {
	w.c.inc("CancelAction")
	return w.next.CancelAction(ctx, owner, readerID, key)
}

func (w countedTerminal) SetDisplay(ctx context.Context, owner pos.Account, readerID string, cart pos.DisplayCart, key string) (pos.Reader, error) {
	w.c.inc("SetDisplay")
	return w.next.SetDisplay(ctx, owner, readerID, cart, key)
}

type countedPresenter struct {
	next pos.Presenter
	c    *Counter
}

func (w countedPresenter) PresentCard(ctx context.Context, owner pos.Account, readerID, card string, tip int64, key string) (pos.Reader, error) {
	w.c.inc("PresentCard")
	return w.next.PresentCard(ctx, owner, readerID, card, tip, key)
}

// Transfers wraps t so that its calls are counted.
func (c *Counter) Transfers(t pos.Transfers) pos.Transfers { return countedTransfers{t, c} }

type countedTransfers struct {
	next pos.Transfers
	c    *Counter
}

func (w countedTransfers) CreateTransfer(ctx context.Context, req pos.TransferRequest, key string) (pos.Transfer, error) {
	w.c.inc("CreateTransfer")
	return w.next.CreateTransfer(ctx, req, key)
}

func (w countedTransfers) GetTransfer(ctx context.Context, id string) (pos.Transfer, error) {
	w.c.inc("GetTransfer")
	return w.next.GetTransfer(ctx, id)
}

func (w countedTransfers) ListTransfers(ctx context.Context, f pos.TransferFilter) ([]pos.Transfer, error) {
	w.c.inc("ListTransfers")
	return w.next.ListTransfers(ctx, f)
}

func (w countedTransfers) ReverseTransfer(ctx context.Context, id string, req pos.ReversalRequest, key string) (pos.TransferReversal, error) {
	w.c.inc("ReverseTransfer")
	return w.next.ReverseTransfer(ctx, id, req, key)
}

func (w countedTransfers) GetApplicationFee(ctx context.Context, id string) (pos.ApplicationFee, error) {
	w.c.inc("GetApplicationFee")
	return w.next.GetApplicationFee(ctx, id)
}

func (w countedTransfers) ListApplicationFees(ctx context.Context, f pos.FeeFilter) ([]pos.ApplicationFee, error) {
	w.c.inc("ListApplicationFees")
	return w.next.ListApplicationFees(ctx, f)
}
