package uitest

import (
	"context"
	"fmt"
	"sync"

	"kasse/pos"
	"kasse/ui/app"
)

// Fakes of the ports, in memory and synchronous, safe for concurrent use.
// Each records its calls.

// FakeSellers lists Sellers (or fails with Err), counting Calls.
type FakeSellers struct {
	mu      sync.Mutex
	Sellers []pos.Seller
	Err     error
	Calls   int
}

func (f *FakeSellers) ListSellers(ctx context.Context) ([]pos.Seller, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.Calls++
	if f.Err != nil {
		return nil, f.Err
	}
	return append([]pos.Seller(nil), f.Sellers...), nil
}

func (f *FakeSellers) GetSeller(ctx context.Context, id pos.Account) (pos.Seller, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, s := range f.Sellers {
		if s.ID == id {
			return s, nil
		}
	}
	return pos.Seller{}, &pos.Error{Kind: pos.KindNotFound, Message: "no such account"}
}

// Call is one recorded port call.
type Call struct {
	Op      string
	Account pos.Account
	ID      string // reader or intent id
	Arg     string // intent id, card number, cart summary…
	IdemKey string
	Email   string // CreateIntent: receipt_email
}

// FakeTerminal serves Locations and Readers per account and scripts the
// answers of the reader requests. Set its fields before the console runs
// (or between the harness's messages).
type FakeTerminal struct {
	mu        sync.Mutex
	Locations map[pos.Account][]pos.Location
	Readers   map[pos.Account][]pos.Reader
	LocErr    map[pos.Account]error
	ReaderErr error

	// Reads scripts GetReader answers in order; the last repeats.
	Reads []ReaderAnswer
	// StoredReads: unscripted GetReader answers the reader in Readers.
	StoredReads bool
	// ProcessErr, CancelErr and DisplayErr script the first answers (then
	// success).
	ProcessErr []error
	CancelErr  []error
	DisplayErr error

	calls []Call
}

// ReaderAnswer is one scripted GetReader answer.
type ReaderAnswer struct {
	R   pos.Reader
	Err error
}

// NewFakeTerminal is a terminal without locations or readers.
func NewFakeTerminal() *FakeTerminal {
	return &FakeTerminal{Locations: map[pos.Account][]pos.Location{}, Readers: map[pos.Account][]pos.Reader{},
		LocErr: map[pos.Account]error{}}
}

func (f *FakeTerminal) record(c Call) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, c)
}

// Calls are the calls recorded so far.
func (f *FakeTerminal) Calls() []Call {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Call(nil), f.calls...)
}

// Ops are the recorded calls' operations, in order.
func (f *FakeTerminal) Ops() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, c := range f.calls {
		out = append(out, c.Op)
	}
	return out
}

// CallsOf are the recorded calls of op.
func (f *FakeTerminal) CallsOf(op string) []Call {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []Call
	for _, c := range f.calls {
		if c.Op == op {
			out = append(out, c)
		}
	}
	return out
}

func (f *FakeTerminal) ListLocations(ctx context.Context, owner pos.Account) ([]pos.Location, error) {
	f.record(Call{Op: "ListLocations", Account: owner})
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.LocErr[owner]; err != nil {
		return nil, err
	}
	return append([]pos.Location(nil), f.Locations[owner]...), nil
}

func (f *FakeTerminal) CreateLocation(ctx context.Context, owner pos.Account, req pos.LocationRequest, idemKey string) (pos.Location, error) {
	return pos.Location{}, fmt.Errorf("not used")
}

func (f *FakeTerminal) DeleteLocation(ctx context.Context, owner pos.Account, id string) error {
	return fmt.Errorf("not used")
}

func (f *FakeTerminal) ListReaders(ctx context.Context, owner pos.Account, flt pos.ReaderFilter) ([]pos.Reader, error) {
	f.record(Call{Op: "ListReaders", Account: owner, Arg: flt.LocationID})
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.ReaderErr != nil {
		return nil, f.ReaderErr
	}
	var out []pos.Reader
	for _, r := range f.Readers[owner] {
		if flt.LocationID == "" || r.LocationID == flt.LocationID {
			out = append(out, r)
		}
	}
	return out, nil
}

func (f *FakeTerminal) GetReader(ctx context.Context, owner pos.Account, id string) (pos.Reader, error) {
	f.record(Call{Op: "GetReader", Account: owner, ID: id})
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.Reads) == 0 {
		if f.StoredReads {
			for _, r := range f.Readers[owner] {
				if r.ID == id {
					return r, nil
				}
			}
		}
		return pos.Reader{ID: id, Owner: owner, Status: "online"}, nil
	}
	a := f.Reads[0]
	if len(f.Reads) > 1 {
		f.Reads = f.Reads[1:]
	}
	return a.R, a.Err
}

func (f *FakeTerminal) RegisterReader(ctx context.Context, owner pos.Account, code, label, locationID string, idemKey string) (pos.Reader, error) {
	return pos.Reader{}, fmt.Errorf("not used")
}

func (f *FakeTerminal) UpdateReader(ctx context.Context, owner pos.Account, id, label string, md map[string]string, idemKey string) (pos.Reader, error) {
	return pos.Reader{}, fmt.Errorf("not used")
}

func (f *FakeTerminal) DeleteReader(ctx context.Context, owner pos.Account, id string) error {
	return fmt.Errorf("not used")
}

func popErr(errs *[]error) error {
	if len(*errs) == 0 {
		return nil
	}
	e := (*errs)[0]
	*errs = (*errs)[1:]
	return e
}

func (f *FakeTerminal) ProcessIntent(ctx context.Context, owner pos.Account, readerID, intentID string, cfg pos.ProcessConfig, idemKey string) (pos.Reader, error) {
	f.record(Call{Op: "ProcessIntent", Account: owner, ID: readerID, Arg: intentID, IdemKey: idemKey})
	f.mu.Lock()
	err := popErr(&f.ProcessErr)
	f.mu.Unlock()
	if err != nil {
		return pos.Reader{}, err
	}
	return pos.Reader{ID: readerID, Owner: owner, Status: "online", RequestID: "req_process",
		Action: &pos.ReaderAction{Type: pos.ActionProcessPaymentIntent, Status: pos.ActionInProgress, PaymentIntentID: intentID}}, nil
}

func (f *FakeTerminal) CancelAction(ctx context.Context, owner pos.Account, readerID, idemKey string) (pos.Reader, error) {
	f.record(Call{Op: "CancelAction", Account: owner, ID: readerID, IdemKey: idemKey})
	f.mu.Lock()
	err := popErr(&f.CancelErr)
	f.mu.Unlock()
	if err != nil {
		return pos.Reader{}, err
	}
	return pos.Reader{ID: readerID, Owner: owner, Status: "online", RequestID: "req_cancel"}, nil
}

func (f *FakeTerminal) SetDisplay(ctx context.Context, owner pos.Account, readerID string, cart pos.DisplayCart, idemKey string) (pos.Reader, error) {
	f.record(Call{Op: "SetDisplay", Account: owner, ID: readerID,
		Arg: fmt.Sprintf("%d lines, total %d %s", len(cart.Lines), cart.Total, cart.Currency), IdemKey: idemKey})
	f.mu.Lock()
	err := f.DisplayErr
	f.mu.Unlock()
	if err != nil {
		return pos.Reader{}, err
	}
	return pos.Reader{ID: readerID, Owner: owner, Status: "online", RequestID: "req_display",
		Action: &pos.ReaderAction{Type: pos.ActionSetReaderDisplay, Status: pos.ActionSucceeded}}, nil
}

// FakePrefs keeps the remembered choices in memory.
type FakePrefs struct {
	mu      sync.Mutex
	Stored  app.Remembered
	LoadErr error
	SaveErr error
	Saves   int
}

func (f *FakePrefs) Load() (app.Remembered, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.Stored.Clone(), f.LoadErr
}

func (f *FakePrefs) Save(r app.Remembered) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.Saves++
	if f.SaveErr != nil {
		return f.SaveErr
	}
	f.Stored = r.Clone()
	return nil
}

// FakePayments keeps the intents it created (pi_1, pi_2, …) in Intents.
type FakePayments struct {
	mu sync.Mutex
	// CreateErr fails the first CreateIntent calls.
	CreateErr []error
	Intents   map[string]pos.Intent
	// Reads scripts GetIntent answers in order; the last repeats. Empty:
	// the stored intent.
	Reads     []IntentAnswer
	CancelErr []error
	calls     []Call
	n         int
}

// IntentAnswer is one scripted GetIntent answer.
type IntentAnswer struct {
	In  pos.Intent
	Err error
}

func (f *FakePayments) record(c Call) {
	f.calls = append(f.calls, c)
}

// Calls are the calls recorded so far.
func (f *FakePayments) Calls() []Call {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Call(nil), f.calls...)
}

// Ops are the recorded calls' operations, in order.
func (f *FakePayments) Ops() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, c := range f.calls {
		out = append(out, c.Op)
	}
	return out
}

// Intent is the stored intent id.
func (f *FakePayments) Intent(id string) pos.Intent {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.Intents[id]
}

func (f *FakePayments) CreateIntent(ctx context.Context, seller pos.Account, req pos.CreateIntentRequest, idemKey string) (pos.Intent, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.record(Call{Op: "CreateIntent", Account: seller, Arg: fmt.Sprintf("%d %s", req.Amount, req.Currency), IdemKey: idemKey,
		Email: req.ReceiptEmail})
	if err := popErr(&f.CreateErr); err != nil {
		return pos.Intent{}, err
	}
	f.n++
	in := pos.Intent{ID: "pi_" + fmt.Sprint(f.n), Account: seller, Status: pos.IntentRequiresPaymentMethod,
		Amount: req.Amount, Currency: req.Currency, CaptureMethod: req.CaptureMethod, Description: req.Description,
		Metadata: req.Metadata, Created: Now, RequestID: "req_create"}
	if req.SavedCard != "" { // a saved card is confirmed at once (fakes_customers.go)
		in.Status, in.AmountReceived = pos.IntentSucceeded, req.Amount
		in.LatestCharge = &pos.Charge{ID: "ch_saved", Amount: req.Amount, Status: "succeeded", Card: SavedCardCharged()}
	}
	if f.Intents == nil {
		f.Intents = map[string]pos.Intent{}
	}
	f.Intents[in.ID] = in
	return in, nil
}

func (f *FakePayments) GetIntent(ctx context.Context, seller pos.Account, id string) (pos.Intent, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.record(Call{Op: "GetIntent", Account: seller, ID: id})
	if len(f.Reads) > 0 {
		a := f.Reads[0]
		if len(f.Reads) > 1 {
			f.Reads = f.Reads[1:]
		}
		return a.In, a.Err
	}
	in, ok := f.Intents[id]
	if !ok {
		return pos.Intent{}, &pos.Error{Kind: pos.KindNotFound, Code: "resource_missing", Message: "No such payment_intent: '" + id + "'"}
	}
	return in, nil
}

func (f *FakePayments) CaptureIntent(ctx context.Context, seller pos.Account, id string, amount int64, idemKey string) (pos.Intent, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.record(Call{Op: "CaptureIntent", Account: seller, ID: id, IdemKey: idemKey})
	in := f.Intents[id]
	in.Status = pos.IntentSucceeded
	in.AmountReceived = in.Amount
	f.Intents[id] = in
	return in, nil
}

func (f *FakePayments) CancelIntent(ctx context.Context, seller pos.Account, id, reason, idemKey string) (pos.Intent, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.record(Call{Op: "CancelIntent", Account: seller, ID: id, Arg: reason, IdemKey: idemKey})
	if err := popErr(&f.CancelErr); err != nil {
		return pos.Intent{}, err
	}
	in := f.Intents[id]
	in.Status = pos.IntentCanceled
	in.CancellationReason = reason
	if f.Intents == nil {
		f.Intents = map[string]pos.Intent{}
	}
	f.Intents[id] = in
	return in, nil
}

func (f *FakePayments) ListIntents(ctx context.Context, seller pos.Account, flt pos.IntentFilter) ([]pos.Intent, error) {
	return nil, fmt.Errorf("not used")
}

func (f *FakePayments) CreateRefund(ctx context.Context, seller pos.Account, req pos.RefundRequest, idemKey string) (pos.Refund, error) {
	return pos.Refund{}, fmt.Errorf("not used")
}

func (f *FakePayments) ListRefunds(ctx context.Context, seller pos.Account, intentID string) ([]pos.Refund, error) {
	return nil, fmt.Errorf("not used")
}

func (f *FakePayments) ListRefundsCreated(ctx context.Context, seller pos.Account, flt pos.RefundFilter) ([]pos.Refund, error) {
	return nil, fmt.Errorf("not used")
}

// FakePresenter records the cards presented (or fails with Err).
type FakePresenter struct {
	mu    sync.Mutex
	calls []Call
	Err   error
}

// Calls are the cards presented so far.
func (f *FakePresenter) Calls() []Call {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Call(nil), f.calls...)
}

func (f *FakePresenter) PresentCard(ctx context.Context, owner pos.Account, readerID, cardNumber string, tip int64, idemKey string) (pos.Reader, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, Call{Op: "PresentCard", Account: owner, ID: readerID, Arg: fmt.Sprintf("%s tip=%d", cardNumber, tip), IdemKey: idemKey})
	if f.Err != nil {
		return pos.Reader{}, f.Err
	}
	return pos.Reader{ID: readerID, Owner: owner, Status: "online", RequestID: "req_present"}, nil
}
