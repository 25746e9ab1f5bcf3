package readers

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"kasse/pos"
)

// fakePorts implements every port the Fleet uses. Data lives in the maps;
// hooks override single calls; every call is logged ("GetReader acct_1
// tmr_1").
type fakePorts struct {
	mu        sync.Mutex
	calls     []string
	sellers   []pos.Seller
	readers   map[pos.Account][]pos.Reader
	locations map[pos.Account][]pos.Location
	fail      map[string]error // "ListReaders acct_1" → error

	getReader    func(owner pos.Account, id string) (pos.Reader, error)
	cancelAction func(owner pos.Account, id string) (pos.Reader, error)
	processHook  func(owner pos.Account, readerID, intentID string) (pos.Reader, error)

	// concurrency probe for ListReaders
	inflight, maxInflight int
	listDelay             time.Duration
}

func newFake() *fakePorts {
	return &fakePorts{readers: map[pos.Account][]pos.Reader{}, locations: map[pos.Account][]pos.Location{}, fail: map[string]error{}}
}

func (f *fakePorts) record(call string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, call)
	for prefix, err := range f.fail {
		if call == prefix {
			return err
		}
	}
	return nil
}

func (f *fakePorts) log() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.calls)
}

func notFound(what string) error {
	return &pos.Error{Kind: pos.KindNotFound, Code: "resource_missing", Message: "No such " + what}
}

// Sellers.
func (f *fakePorts) ListSellers(ctx context.Context) ([]pos.Seller, error) {
	if err := f.record("ListSellers"); err != nil {
		return nil, err
	}
	return f.sellers, nil
}

func (f *fakePorts) GetSeller(ctx context.Context, id pos.Account) (pos.Seller, error) {
	if err := f.record("GetSeller " + string(id)); err != nil {
		return pos.Seller{}, err
	}
	for _, s := range f.sellers {
		if s.ID == id {
			return s, nil
		}
	}
	return pos.Seller{}, notFound("account")
}

// Terminal.
func (f *fakePorts) ListLocations(ctx context.Context, owner pos.Account) ([]pos.Location, error) {
	if err := f.record("ListLocations " + owner.String()); err != nil {
		return nil, err
	}
	return f.locations[owner], nil
}

func (f *fakePorts) CreateLocation(ctx context.Context, owner pos.Account, req pos.LocationRequest, key string) (pos.Location, error) {
	if err := f.record("CreateLocation " + owner.String() + " " + key); err != nil {
		return pos.Location{}, err
	}
	return pos.Location{ID: "tml_new", DisplayName: req.DisplayName, Address: req.Address}, nil
}

func (f *fakePorts) DeleteLocation(ctx context.Context, owner pos.Account, id string) error {
	return f.record("DeleteLocation " + owner.String() + " " + id)
}

func (f *fakePorts) ListReaders(ctx context.Context, owner pos.Account, _ pos.ReaderFilter) ([]pos.Reader, error) {
	f.mu.Lock()
	f.inflight++
	f.maxInflight = max(f.maxInflight, f.inflight)
	f.mu.Unlock()
	defer func() { f.mu.Lock(); f.inflight--; f.mu.Unlock() }()
	if f.listDelay > 0 {
		time.Sleep(f.listDelay)
	}
	if err := f.record("ListReaders " + owner.String()); err != nil {
		return nil, err
	}
	return f.readers[owner], nil
}

func (f *fakePorts) GetReader(ctx context.Context, owner pos.Account, id string) (pos.Reader, error) {
	if err := f.record("GetReader " + owner.String() + " " + id); err != nil {
		return pos.Reader{}, err
	}
	if f.getReader != nil {
		return f.getReader(owner, id)
	}
	for _, r := range f.readers[owner] {
		if r.ID == id {
			return r, nil
		}
	}
	return pos.Reader{}, notFound("terminal.reader")
}

func (f *fakePorts) RegisterReader(ctx context.Context, owner pos.Account, code, label, loc, key string) (pos.Reader, error) {
	if err := f.record(fmt.Sprintf("RegisterReader %s %s %s %s %s", owner, code, label, loc, key)); err != nil {
		return pos.Reader{}, err
	}
	return pos.Reader{ID: "tmr_new", Label: label, LocationID: loc}, nil
}

func (f *fakePorts) UpdateReader(ctx context.Context, owner pos.Account, id, label string, md map[string]string, key string) (pos.Reader, error) {
	if err := f.record("UpdateReader " + owner.String() + " " + id + " " + label); err != nil {
		return pos.Reader{}, err
	}
	return pos.Reader{ID: id, Label: label, Metadata: md}, nil
}

func (f *fakePorts) DeleteReader(ctx context.Context, owner pos.Account, id string) error {
	return f.record("DeleteReader " + owner.String() + " " + id)
}

func (f *fakePorts) ProcessIntent(ctx context.Context, owner pos.Account, readerID, intentID string, cfg pos.ProcessConfig, key string) (pos.Reader, error) {
	if err := f.record("ProcessIntent " + owner.String() + " " + readerID + " " + intentID); err != nil {
		return pos.Reader{}, err
	}
	if f.processHook != nil {
		return f.processHook(owner, readerID, intentID)
	}
	return pos.Reader{ID: readerID, Status: "online", Action: &pos.ReaderAction{Type: pos.ActionProcessPaymentIntent,
		Status: pos.ActionInProgress, PaymentIntentID: intentID}}, nil
}

func (f *fakePorts) CancelAction(ctx context.Context, owner pos.Account, readerID, key string) (pos.Reader, error) {
	if err := f.record("CancelAction " + owner.String() + " " + readerID); err != nil {
		return pos.Reader{}, err
	}
	if f.cancelAction != nil {
		return f.cancelAction(owner, readerID)
	}
	return pos.Reader{ID: readerID, Status: "online"}, nil
}

func (f *fakePorts) SetDisplay(ctx context.Context, owner pos.Account, readerID string, cart pos.DisplayCart, key string) (pos.Reader, error) {
	if err := f.record("SetDisplay " + owner.String() + " " + readerID); err != nil {
		return pos.Reader{}, err
	}
	return pos.Reader{ID: readerID, Action: &pos.ReaderAction{Type: pos.ActionSetReaderDisplay, Status: pos.ActionInProgress}}, nil
}

// Payments (only what TestTransaction uses does something).
func (f *fakePorts) CreateIntent(ctx context.Context, seller pos.Account, req pos.CreateIntentRequest, key string) (pos.Intent, error) {
	if err := f.record("CreateIntent " + string(seller) + " " + key); err != nil {
		return pos.Intent{}, err
	}
	return pos.Intent{ID: "pi_test", Account: seller, Status: pos.IntentRequiresPaymentMethod, Amount: req.Amount, Currency: req.Currency}, nil
}

func (f *fakePorts) GetIntent(ctx context.Context, seller pos.Account, id string) (pos.Intent, error) {
	if err := f.record("GetIntent " + string(seller) + " " + id); err != nil {
		return pos.Intent{}, err
	}
	return pos.Intent{ID: id, Status: pos.IntentRequiresPaymentMethod}, nil
}

func (f *fakePorts) CancelIntent(ctx context.Context, seller pos.Account, id, reason, key string) (pos.Intent, error) {
	if err := f.record("CancelIntent " + string(seller) + " " + id); err != nil {
		return pos.Intent{}, err
	}
	return pos.Intent{ID: id, Status: pos.IntentCanceled, CancellationReason: reason}, nil
}

func (f *fakePorts) CaptureIntent(context.Context, pos.Account, string, int64, string) (pos.Intent, error) {
	return pos.Intent{}, fmt.Errorf("not in the fake")
}

func (f *fakePorts) ListIntents(context.Context, pos.Account, pos.IntentFilter) ([]pos.Intent, error) {
	return nil, fmt.Errorf("not in the fake")
}

func (f *fakePorts) CreateRefund(context.Context, pos.Account, pos.RefundRequest, string) (pos.Refund, error) {
	return pos.Refund{}, fmt.Errorf("not in the fake")
}

func (f *fakePorts) ListRefunds(context.Context, pos.Account, string) ([]pos.Refund, error) {
	return nil, fmt.Errorf("not in the fake")
}

func (f *fakePorts) ListRefundsCreated(context.Context, pos.Account, pos.RefundFilter) ([]pos.Refund, error) {
	return nil, fmt.Errorf("not in the fake")
}

// Presenter: the card "never arrives" (the reader is returned unchanged).
func (f *fakePorts) PresentCard(ctx context.Context, owner pos.Account, readerID, card string, tip int64, key string) (pos.Reader, error) {
	if err := f.record("PresentCard " + owner.String() + " " + readerID); err != nil {
		return pos.Reader{}, err
	}
	return f.GetReader(ctx, owner, readerID)
}

// fakeClock is a clock that only moves when Sleep is called.
type fakeClock struct {
	mu    sync.Mutex
	now   time.Time
	slept []time.Duration
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	c.slept = append(c.slept, d)
	return ctx.Err()
}

func fakeFleet(f *fakePorts) (*Fleet, *fakeClock) {
	clk := &fakeClock{now: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	n := 0
	return &Fleet{Terminal: f, Sellers: f, Payments: f, Presenter: f, Mode: ModeTest, Now: clk.Now, Sleep: clk.Sleep,
		NewID: func() string { n++; return fmt.Sprintf("id%d", n) }}, clk
}
