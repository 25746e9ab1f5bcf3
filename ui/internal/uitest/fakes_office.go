package uitest

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"kasse/config"
	"kasse/i18n"
	"kasse/pos"
	"kasse/readers"
	"kasse/reports"
	"kasse/supervisor"
	"kasse/ui/app"
)

// Fakes of the back office's services. Each records its calls (never a
// PIN in clear: only whether one was given).

// FakeGuard accepts pins[operator] for the areas in roles[operator]'s
// reach; wrong PINs count down tries and then lock.
type FakeGuard struct {
	mu     sync.Mutex
	pins   map[string]string
	roles  map[string]config.Role
	tries  map[string]int
	locked map[string]time.Time
	now    func() time.Time
	Err    error // a failure of the check itself
	calls  []string
}

// NewFakeGuard knows bea (supervisor, 2468), tom (tech, 1357) and anna
// (cashier, 1111).
func NewFakeGuard(now func() time.Time) *FakeGuard {
	return &FakeGuard{pins: map[string]string{"bea": "2468", "tom": "1357", "anna": "1111"},
		roles: map[string]config.Role{"bea": config.RoleSupervisor, "tom": config.RoleTech, "anna": config.RoleCashier},
		tries: map[string]int{}, locked: map[string]time.Time{}, now: now}
}

// Calls are the checks made so far ("bea transactions pin=true").
func (g *FakeGuard) Calls() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]string(nil), g.calls...)
}

// authorize is the check shared by Authorize and the fake supervisor: the
// operator's role must be the first supervisor.Roles(action) has. Its
// refusals are supervisor's, with the Msg the real Guard would show (Role
// is left out: it is a config.Role, and the ui does not read it).
func (g *FakeGuard) authorize(operator string, pin supervisor.PIN, action supervisor.Action) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.Err != nil {
		return g.Err
	}
	need := app.AreaRole(action)
	role, ok := g.roles[operator]
	switch {
	case !ok:
		return &supervisor.Refusal{Kind: supervisor.RefusedUnknownOperator, Operator: operator, Action: action,
			Msg: fmt.Sprintf("there is no operator named %q", operator)}
	case role != need:
		return &supervisor.Refusal{Kind: supervisor.RefusedRole, Operator: operator, Action: action, Role: role, Need: supervisor.Roles(action),
			Msg: operator + " is a " + string(role) + "; this needs a " + string(need)}
	}
	if until, ok := g.locked[operator]; ok && g.now().Before(until) {
		return &supervisor.Refusal{Kind: supervisor.RefusedLocked, Operator: operator, Action: action, LockedUntil: until,
			Msg: operator + " is locked out until " + until.Format("15:04")}
	}
	if g.pins[operator] != pin.Reveal() {
		g.tries[operator]++
		left := 3 - g.tries[operator]
		if left <= 0 {
			until := g.now().Add(15 * time.Minute)
			g.locked[operator] = until
			return &supervisor.Refusal{Kind: supervisor.RefusedLocked, Operator: operator, Action: action, LockedUntil: until,
				Msg: "wrong PIN; " + operator + " is locked out until " + until.Format("15:04")}
		}
		return &supervisor.Refusal{Kind: supervisor.RefusedWrongPIN, Operator: operator, Action: action, TriesLeft: left,
			Msg: fmt.Sprintf("wrong PIN, %d tries left", left)}
	}
	g.tries[operator] = 0
	return nil
}

func (g *FakeGuard) Authorize(ctx context.Context, a supervisor.Attempt) error {
	g.mu.Lock()
	g.calls = append(g.calls, a.Operator+" "+string(a.Action)+" pin="+fmt.Sprint(a.PIN != ""))
	g.mu.Unlock()
	return g.authorize(a.Operator, a.PIN, a.Action)
}

// FakeSupervisor refunds, voids and captures the Reports' details, after
// the Guard's check.
type FakeSupervisor struct {
	mu      sync.Mutex
	Guard   *FakeGuard
	Reports *FakeReports
	calls   []string
	Err     error
	// Payments are what Lookup answers for an intent id (its Facts and
	// Setup: a destination or separate charge, a fee policy).
	Payments map[string]supervisor.Payment
}

func (f *FakeSupervisor) record(c string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, c)
}

// Calls are the requests made so far ("refund acct_… pi_… 500 … by bea").
func (f *FakeSupervisor) Calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.calls...)
}

func (f *FakeSupervisor) Refund(ctx context.Context, r supervisor.RefundRequest) (supervisor.RefundResult, error) {
	f.record(fmt.Sprintf("refund %s %s %d %s by %s", r.Seller, r.IntentID, r.Amount, r.Reason, r.Operator))
	if err := f.Guard.authorize(r.Operator, r.PIN, supervisor.ActionRefund); err != nil {
		return supervisor.RefundResult{}, err
	}
	if f.Err != nil {
		return supervisor.RefundResult{}, f.Err
	}
	f.Reports.mu.Lock()
	defer f.Reports.mu.Unlock()
	d := f.Reports.Details[r.IntentID]
	rf := pos.Refund{ID: fmt.Sprintf("re_%d", len(d.Refunds)+1), Amount: r.Amount, Currency: d.Intent.Currency,
		Status: "succeeded", Reason: string(r.Reason), Created: Now}
	d.Refunds = append(d.Refunds, rf)
	d.Refundable -= r.Amount
	if d.Charge != nil {
		c := *d.Charge
		c.AmountRefunded += r.Amount
		d.Charge = &c
	}
	f.Reports.Details[r.IntentID] = d
	return supervisor.RefundResult{ID: "rf-1", RefundID: rf.ID, State: pos.RefundSucceeded, Status: "succeeded", Amount: r.Amount,
		Currency: d.Intent.Currency, Remaining: d.Refundable, IntentID: r.IntentID, Seller: r.Seller}, nil
}

// Lookup answers from the Reports' details: a payment with Payments[id]
// when the test set one, else a direct charge whose fee is the intent's,
// given back on refunds.
func (f *FakeSupervisor) Lookup(ctx context.Context, seller pos.Account, id string) (supervisor.Payment, error) {
	f.mu.Lock()
	p, ok := f.Payments[id]
	f.mu.Unlock()
	if ok {
		return p, nil
	}
	f.Reports.mu.Lock()
	defer f.Reports.mu.Unlock()
	d := f.Reports.Details[id]
	facts := pos.ChargeFacts{Type: pos.ChargeDirect, Refundable: d.Refundable, Fee: d.Intent.ApplicationFeeAmount}
	if d.Charge != nil {
		facts.Captured = d.Charge.Amount
	}
	return supervisor.Payment{Intent: d.Intent, Seller: seller, Account: seller, Refundable: d.Refundable,
		Facts: facts, Setup: pos.ChargeSetup{RefundFee: true}}, nil
}

func (f *FakeSupervisor) settle(what string, action supervisor.Action, r supervisor.AuthorizationRequest, status string) (supervisor.AuthorizationResult, error) {
	f.record(fmt.Sprintf("%s %s %s %d %s by %s", what, r.Seller, r.IntentID, r.Amount, r.Reason, r.Operator))
	if err := f.Guard.authorize(r.Operator, r.PIN, action); err != nil {
		return supervisor.AuthorizationResult{}, err
	}
	f.Reports.mu.Lock()
	defer f.Reports.mu.Unlock()
	d := f.Reports.Details[r.IntentID]
	d.Intent.Status = status
	f.Reports.Details[r.IntentID] = d
	amount := d.Intent.AmountCapturable
	if r.Amount > 0 {
		amount = r.Amount
	}
	return supervisor.AuthorizationResult{Intent: d.Intent, Amount: amount, Currency: d.Intent.Currency}, nil
}

func (f *FakeSupervisor) Void(ctx context.Context, r supervisor.AuthorizationRequest) (supervisor.AuthorizationResult, error) {
	return f.settle("void", supervisor.ActionVoid, r, pos.IntentCanceled)
}

func (f *FakeSupervisor) Capture(ctx context.Context, r supervisor.AuthorizationRequest) (supervisor.AuthorizationResult, error) {
	return f.settle("capture", supervisor.ActionCapture, r, pos.IntentSucceeded)
}

// FakeReports searches Rows, reads Details and answers EOD, recording
// what it was asked (Queries, EODQueries).
type FakeReports struct {
	mu         sync.Mutex
	Rows       []reports.Row
	Partial    []error
	Details    map[string]reports.Detail
	EOD        reports.Report
	Queries    []reports.Query
	EODQueries []EODQuery
	SearchErr  error
}

// EODQuery is what EndOfDay was asked.
type EODQuery struct {
	reports.Period
	Seller pos.Account
}

func (f *FakeReports) Search(ctx context.Context, q reports.Query) (reports.Result, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.Queries = append(f.Queries, q)
	if f.SearchErr != nil {
		return reports.Result{}, f.SearchErr
	}
	var out []reports.Row
	for _, r := range f.Rows {
		if (q.Seller == "" || r.Seller == q.Seller) && (q.Status == "" || r.Status == q.Status) &&
			(q.Last4 == "" || r.Card.Last4 == q.Last4) && (q.Refund == "" || r.RefundState() == q.Refund) && r.Amount >= q.MinAmount && (q.MaxAmount == 0 || r.Amount <= q.MaxAmount) &&
			!r.Created.Before(q.From) && r.Created.Before(q.To) {
			out = append(out, r)
		}
	}
	return reports.Result{Rows: out, Partial: f.Partial, From: q.From, To: q.To}, nil
}

func (f *FakeReports) Detail(ctx context.Context, seller pos.Account, id string) (reports.Detail, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	d, ok := f.Details[id]
	if !ok {
		return reports.Detail{}, &pos.Error{Kind: pos.KindNotFound, Message: "No such payment_intent: '" + id + "'"}
	}
	return d, nil
}

func (f *FakeReports) EndOfDay(ctx context.Context, p reports.Period, seller pos.Account) (reports.Report, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.EODQueries = append(f.EODQueries, EODQuery{Period: p, Seller: seller})
	r := f.EOD
	r.Period = p
	return r, nil
}

// FakeSaver keeps what was saved (Files by name), as if under Dir.
type FakeSaver struct {
	mu    sync.Mutex
	Dir   string
	Files map[string][]byte
	Err   error
}

func (f *FakeSaver) Save(name string, data []byte) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.Err != nil {
		return "", f.Err
	}
	if f.Files == nil {
		f.Files = map[string][]byte{}
	}
	f.Files[name] = append([]byte(nil), data...)
	return f.Dir + "/" + name, nil
}

// File is what was saved as name.
func (f *FakeSaver) File(name string) []byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.Files[name]
}

// Names are the names saved, sorted.
func (f *FakeSaver) Names() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for n := range f.Files {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// FakeFleet serves the demo terminal's readers through the Fleet API.
type FakeFleet struct {
	mu          sync.Mutex
	Term        *FakeTerminal
	InvErr      error // with groups: partial
	RegisterErr error
	TestResult  readers.TestResult
	TestErr     error
	calls       []string
}

func (f *FakeFleet) record(c string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, c)
}

// Calls are the calls made so far ("Rename tmr_front Counter 1").
func (f *FakeFleet) Calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.calls...)
}

// Count is how many calls start with prefix.
func (f *FakeFleet) Count(prefix string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.calls {
		if strings.HasPrefix(c, prefix) {
			n++
		}
	}
	return n
}

func (f *FakeFleet) Inventory(ctx context.Context) ([]readers.LocationGroup, error) {
	f.record("Inventory")
	var out []readers.LocationGroup
	for _, owner := range []pos.Account{pos.Platform, "acct_1Taco"} {
		name := "platform"
		if owner != pos.Platform {
			name = "Taco Loco"
		}
		f.Term.mu.Lock()
		locs := append([]pos.Location(nil), f.Term.Locations[owner]...)
		rs := append([]pos.Reader(nil), f.Term.Readers[owner]...)
		f.Term.mu.Unlock()
		for _, l := range locs {
			g := readers.LocationGroup{Owner: owner, OwnerName: name, Location: l}
			for _, r := range rs {
				if r.LocationID == l.ID {
					g.Readers = append(g.Readers, r)
				}
			}
			out = append(out, g)
		}
	}
	return out, f.InvErr
}

func (f *FakeFleet) Register(ctx context.Context, owner pos.Account, code, label, locationID string) (pos.Reader, error) {
	f.record(fmt.Sprintf("Register %s %s %q %s", owner, code, label, locationID))
	if f.RegisterErr != nil {
		return pos.Reader{}, f.RegisterErr
	}
	r := pos.Reader{ID: "tmr_new", Owner: owner, Label: label, DeviceType: "simulated_wisepos_e", Status: "online",
		SerialNumber: "WPE-SIM-NEW", LocationID: locationID}
	f.Term.mu.Lock()
	f.Term.Readers[owner] = append(f.Term.Readers[owner], r)
	f.Term.mu.Unlock()
	return r, nil
}

func (f *FakeFleet) CreateLocation(ctx context.Context, owner, seller pos.Account, name string, addr pos.Address) (pos.Location, error) {
	f.record(fmt.Sprintf("CreateLocation %s %q %s for %s", owner, name, addr.Country, seller))
	l := pos.Location{ID: "tml_new", Owner: owner, DisplayName: name, Address: addr, Metadata: pos.SellerMetadata(seller)}
	f.Term.mu.Lock()
	f.Term.Locations[owner] = append(f.Term.Locations[owner], l)
	f.Term.mu.Unlock()
	return l, nil
}

// change applies fn to the stored reader id and returns it.
func (f *FakeFleet) change(owner pos.Account, id string, fn func(r *pos.Reader)) (pos.Reader, error) {
	f.Term.mu.Lock()
	defer f.Term.mu.Unlock()
	for i, r := range f.Term.Readers[owner] {
		if r.ID == id {
			fn(&r)
			f.Term.Readers[owner][i] = r
			return r, nil
		}
	}
	return pos.Reader{}, &pos.Error{Kind: pos.KindNotFound, Message: "No such reader: " + id}
}

func (f *FakeFleet) Rename(ctx context.Context, owner pos.Account, id, label string) (pos.Reader, error) {
	f.record("Rename " + id + " " + label)
	return f.change(owner, id, func(r *pos.Reader) { r.Label = label })
}

func (f *FakeFleet) SetMetadata(ctx context.Context, owner pos.Account, id string, md map[string]string) (pos.Reader, error) {
	f.record(fmt.Sprintf("SetMetadata %s %v", id, md))
	return f.change(owner, id, func(r *pos.Reader) {
		m := map[string]string{}
		for k, v := range r.Metadata {
			m[k] = v
		}
		for k, v := range md {
			if v == "" {
				delete(m, k)
			} else {
				m[k] = v
			}
		}
		r.Metadata = m
	})
}

func (f *FakeFleet) Deregister(ctx context.Context, owner pos.Account, id, confirm string) (pos.Reader, error) {
	f.record("Deregister " + id + " " + confirm)
	f.Term.mu.Lock()
	defer f.Term.mu.Unlock()
	rs := f.Term.Readers[owner]
	for i, r := range rs {
		if r.ID == id {
			f.Term.Readers[owner] = append(rs[:i:i], rs[i+1:]...)
			return r, nil
		}
	}
	return pos.Reader{}, &pos.Error{Kind: pos.KindNotFound, Message: "No such reader"}
}

func (f *FakeFleet) DisplayTest(ctx context.Context, owner pos.Account, id, currency string) (readers.DisplayResult, error) {
	f.record("DisplayTest " + id + " " + currency)
	return readers.DisplayResult{Cart: pos.DisplayCart{Currency: currency, Lines: make([]pos.CartLine, 2), Total: 540},
		Reader: pos.Reader{ID: id, Owner: owner, Label: "Front counter", Status: "online",
			Action: &pos.ReaderAction{Type: pos.ActionSetReaderDisplay, Status: pos.ActionSucceeded}}}, nil
}

func (f *FakeFleet) Clear(ctx context.Context, owner pos.Account, id string) (readers.ClearReport, error) {
	f.record("Clear " + id)
	held := &pos.ReaderAction{Type: pos.ActionProcessPaymentIntent, Status: pos.ActionInProgress, PaymentIntentID: "pi_other"}
	note := i18n.M("cli.readers.cleared", i18n.Args{"Action": readers.ActionMessage(held)})
	return readers.ClearReport{ReaderID: id, Held: held, Cleared: true, Reader: pos.Reader{ID: id, Owner: owner, Label: "Window", Status: "online"},
		Note: i18n.Neutral().Render(note), NoteMsg: note}, nil
}

func (f *FakeFleet) TestTransaction(ctx context.Context, p readers.TestParams) (readers.TestResult, error) {
	f.record(fmt.Sprintf("TestTransaction %s %s %d card=%s tip=%d", p.ReaderID, p.Seller, p.Amount, p.Card, p.Tip))
	if f.TestErr != nil {
		return readers.TestResult{}, f.TestErr
	}
	r := f.TestResult
	r.ReaderID, r.Owner, r.Seller, r.Amount, r.Tip = p.ReaderID, p.Owner, p.Seller, p.Amount, p.Tip
	return r, nil
}

func (f *FakeFleet) Diagnostics(ctx context.Context, owner pos.Account, id string, recent []readers.RequestRecord) ([]byte, error) {
	f.record(fmt.Sprintf("Diagnostics %s recent=%d", id, len(recent)))
	return []byte(`{"reader":{"id":"` + id + `"}}`), nil
}
