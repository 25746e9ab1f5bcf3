package ui

import (
	"context"
	"fmt"
	"sync"

	"kasse/pos"
)

// Fakes of the ports, in memory and synchronous. Each records its calls.

type fakeSellers struct {
	sellers []pos.Seller
	err     error
	calls   int
}

func (f *fakeSellers) ListSellers(ctx context.Context) ([]pos.Seller, error) {
	f.calls++
	if f.err != nil {
		return nil, f.err
	}
	return append([]pos.Seller(nil), f.sellers...), nil
}

func (f *fakeSellers) GetSeller(ctx context.Context, id pos.Account) (pos.Seller, error) {
	for _, s := range f.sellers {
		if s.ID == id {
			return s, nil
		}
	}
	return pos.Seller{}, &pos.Error{Kind: pos.KindNotFound, Message: "no such account"}
}

// call is one recorded port call.
type call struct {
	Op      string
	Account pos.Account
	ID      string // reader or intent id
	Arg     string // intent id, card number, cart summary…
	IdemKey string
	Email   string // CreateIntent: receipt_email
}

type fakeTerminal struct {
	mu        sync.Mutex
	locations map[pos.Account][]pos.Location
	readers   map[pos.Account][]pos.Reader
	locErr    map[pos.Account]error
	readerErr error

	// getReader scripts GetReader answers in order; the last repeats.
	getReader []readerAnswer
	// storedReads: unscripted GetReader answers the reader in readers.
	storedReads bool
	// process, cancel and display script the first answers (then success).
	processErr []error
	cancelErr  []error
	displayErr error

	calls []call
}

type readerAnswer struct {
	r   pos.Reader
	err error
}

func newFakeTerminal() *fakeTerminal {
	return &fakeTerminal{locations: map[pos.Account][]pos.Location{}, readers: map[pos.Account][]pos.Reader{},
		locErr: map[pos.Account]error{}}
}

func (f *fakeTerminal) record(c call) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, c)
}

func (f *fakeTerminal) ops() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, c := range f.calls {
		out = append(out, c.Op)
	}
	return out
}

func (f *fakeTerminal) callsOf(op string) []call {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []call
	for _, c := range f.calls {
		if c.Op == op {
			out = append(out, c)
		}
	}
	return out
}

func (f *fakeTerminal) ListLocations(ctx context.Context, owner pos.Account) ([]pos.Location, error) {
	f.record(call{Op: "ListLocations", Account: owner})
	if err := f.locErr[owner]; err != nil {
		return nil, err
	}
	return append([]pos.Location(nil), f.locations[owner]...), nil
}

func (f *fakeTerminal) CreateLocation(ctx context.Context, owner pos.Account, req pos.LocationRequest, idemKey string) (pos.Location, error) {
	return pos.Location{}, fmt.Errorf("not used")
}

func (f *fakeTerminal) DeleteLocation(ctx context.Context, owner pos.Account, id string) error {
	return fmt.Errorf("not used")
}

func (f *fakeTerminal) ListReaders(ctx context.Context, owner pos.Account, flt pos.ReaderFilter) ([]pos.Reader, error) {
	f.record(call{Op: "ListReaders", Account: owner, Arg: flt.LocationID})
	if f.readerErr != nil {
		return nil, f.readerErr
	}
	var out []pos.Reader
	for _, r := range f.readers[owner] {
		if flt.LocationID == "" || r.LocationID == flt.LocationID {
			out = append(out, r)
		}
	}
	return out, nil
}

func (f *fakeTerminal) GetReader(ctx context.Context, owner pos.Account, id string) (pos.Reader, error) {
	f.record(call{Op: "GetReader", Account: owner, ID: id})
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.getReader) == 0 {
		if f.storedReads {
			for _, r := range f.readers[owner] {
				if r.ID == id {
					return r, nil
				}
			}
		}
		return pos.Reader{ID: id, Owner: owner, Status: "online"}, nil
	}
	a := f.getReader[0]
	if len(f.getReader) > 1 {
		f.getReader = f.getReader[1:]
	}
	return a.r, a.err
}

func (f *fakeTerminal) RegisterReader(ctx context.Context, owner pos.Account, code, label, locationID string, idemKey string) (pos.Reader, error) {
	return pos.Reader{}, fmt.Errorf("not used")
}

func (f *fakeTerminal) UpdateReader(ctx context.Context, owner pos.Account, id, label string, md map[string]string, idemKey string) (pos.Reader, error) {
	return pos.Reader{}, fmt.Errorf("not used")
}

func (f *fakeTerminal) DeleteReader(ctx context.Context, owner pos.Account, id string) error {
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

func (f *fakeTerminal) ProcessIntent(ctx context.Context, owner pos.Account, readerID, intentID string, cfg pos.ProcessConfig, idemKey string) (pos.Reader, error) {
	f.record(call{Op: "ProcessIntent", Account: owner, ID: readerID, Arg: intentID, IdemKey: idemKey})
	f.mu.Lock()
	err := popErr(&f.processErr)
	f.mu.Unlock()
	if err != nil {
		return pos.Reader{}, err
	}
	return pos.Reader{ID: readerID, Owner: owner, Status: "online", RequestID: "req_process",
		Action: &pos.ReaderAction{Type: pos.ActionProcessPaymentIntent, Status: pos.ActionInProgress, PaymentIntentID: intentID}}, nil
}

func (f *fakeTerminal) CancelAction(ctx context.Context, owner pos.Account, readerID, idemKey string) (pos.Reader, error) {
	f.record(call{Op: "CancelAction", Account: owner, ID: readerID, IdemKey: idemKey})
	f.mu.Lock()
	err := popErr(&f.cancelErr)
	f.mu.Unlock()
	if err != nil {
		return pos.Reader{}, err
	}
	return pos.Reader{ID: readerID, Owner: owner, Status: "online", RequestID: "req_cancel"}, nil
}

func (f *fakeTerminal) SetDisplay(ctx context.Context, owner pos.Account, readerID string, cart pos.DisplayCart, idemKey string) (pos.Reader, error) {
	f.record(call{Op: "SetDisplay", Account: owner, ID: readerID,
		Arg: fmt.Sprintf("%d lines, total %d %s", len(cart.Lines), cart.Total, cart.Currency), IdemKey: idemKey})
	if f.displayErr != nil {
		return pos.Reader{}, f.displayErr
	}
	return pos.Reader{ID: readerID, Owner: owner, Status: "online", RequestID: "req_display",
		Action: &pos.ReaderAction{Type: pos.ActionSetReaderDisplay, Status: pos.ActionSucceeded}}, nil
}

type fakePrefs struct {
	mu      sync.Mutex
	stored  Remembered
	loadErr error
	saveErr error
	saves   int
}

func (f *fakePrefs) Load() (Remembered, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.stored.clone(), f.loadErr
}

func (f *fakePrefs) Save(r Remembered) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.saves++
	if f.saveErr != nil {
		return f.saveErr
	}
	f.stored = r.clone()
	return nil
}

type fakePayments struct {
	mu sync.Mutex
	// created is what CreateIntent returns (ID defaulted); createErr fails it.
	createErr []error
	intents   map[string]pos.Intent
	// getIntent scripts GetIntent answers in order; the last repeats. Empty:
	// the stored intent.
	getIntent []intentAnswer
	cancelErr []error
	calls     []call
	n         int
}

type intentAnswer struct {
	in  pos.Intent
	err error
}

func (f *fakePayments) record(c call) {
	f.calls = append(f.calls, c)
}

func (f *fakePayments) ops() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, c := range f.calls {
		out = append(out, c.Op)
	}
	return out
}

func (f *fakePayments) CreateIntent(ctx context.Context, seller pos.Account, req pos.CreateIntentRequest, idemKey string) (pos.Intent, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.record(call{Op: "CreateIntent", Account: seller, Arg: fmt.Sprintf("%d %s", req.Amount, req.Currency), IdemKey: idemKey,
		Email: req.ReceiptEmail})
	if err := popErr(&f.createErr); err != nil {
		return pos.Intent{}, err
	}
	f.n++
	in := pos.Intent{ID: "pi_" + fmt.Sprint(f.n), Account: seller, Status: pos.IntentRequiresPaymentMethod,
		Amount: req.Amount, Currency: req.Currency, CaptureMethod: req.CaptureMethod, Description: req.Description,
		Metadata: req.Metadata, Created: testNow, RequestID: "req_create"}
	if f.intents == nil {
		f.intents = map[string]pos.Intent{}
	}
	f.intents[in.ID] = in
	return in, nil
}

func (f *fakePayments) GetIntent(ctx context.Context, seller pos.Account, id string) (pos.Intent, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.record(call{Op: "GetIntent", Account: seller, ID: id})
	if len(f.getIntent) > 0 {
		a := f.getIntent[0]
		if len(f.getIntent) > 1 {
			f.getIntent = f.getIntent[1:]
		}
		return a.in, a.err
	}
	in, ok := f.intents[id]
	if !ok {
		return pos.Intent{}, &pos.Error{Kind: pos.KindNotFound, Code: "resource_missing", Message: "No such payment_intent: '" + id + "'"}
	}
	return in, nil
}

func (f *fakePayments) CaptureIntent(ctx context.Context, seller pos.Account, id string, amount int64, idemKey string) (pos.Intent, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.record(call{Op: "CaptureIntent", Account: seller, ID: id, IdemKey: idemKey})
	in := f.intents[id]
	in.Status = pos.IntentSucceeded
	in.AmountReceived = in.Amount
	f.intents[id] = in
	return in, nil
}

func (f *fakePayments) CancelIntent(ctx context.Context, seller pos.Account, id, reason, idemKey string) (pos.Intent, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.record(call{Op: "CancelIntent", Account: seller, ID: id, Arg: reason, IdemKey: idemKey})
	if err := popErr(&f.cancelErr); err != nil {
		return pos.Intent{}, err
	}
	in := f.intents[id]
	in.Status = pos.IntentCanceled
	in.CancellationReason = reason
	if f.intents == nil {
		f.intents = map[string]pos.Intent{}
	}
	f.intents[id] = in
	return in, nil
}

func (f *fakePayments) ListIntents(ctx context.Context, seller pos.Account, flt pos.IntentFilter) ([]pos.Intent, error) {
	return nil, fmt.Errorf("not used")
}

func (f *fakePayments) CreateRefund(ctx context.Context, seller pos.Account, req pos.RefundRequest, idemKey string) (pos.Refund, error) {
	return pos.Refund{}, fmt.Errorf("not used")
}

func (f *fakePayments) ListRefunds(ctx context.Context, seller pos.Account, intentID string) ([]pos.Refund, error) {
	return nil, fmt.Errorf("not used")
}

func (f *fakePayments) ListRefundsCreated(ctx context.Context, seller pos.Account, flt pos.RefundFilter) ([]pos.Refund, error) {
	return nil, fmt.Errorf("not used")
}

type fakePresenter struct {
	mu    sync.Mutex
	calls []call
	err   error
}

func (f *fakePresenter) PresentCard(ctx context.Context, owner pos.Account, readerID, cardNumber string, tip int64, idemKey string) (pos.Reader, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, call{Op: "PresentCard", Account: owner, ID: readerID, Arg: fmt.Sprintf("%s tip=%d", cardNumber, tip), IdemKey: idemKey})
	if f.err != nil {
		return pos.Reader{}, f.err
	}
	return pos.Reader{ID: readerID, Owner: owner, Status: "online", RequestID: "req_present"}, nil
}
