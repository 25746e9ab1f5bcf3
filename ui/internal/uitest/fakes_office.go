package ui

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"

	"kasse/pos"
	"kasse/readers"
	"kasse/reports"
	"kasse/supervisor"
)

// Fakes of the back office's services. Each records its calls (never a
// PIN in clear: only whether one was given).

// fakeGuard accepts pins[operator] for the areas in roles[operator]'s
// reach; wrong PINs count down tries and then lock.
type fakeGuard struct {
	mu     sync.Mutex
	pins   map[string]string
	roles  map[string]string
	tries  map[string]int
	locked map[string]time.Time
	now    func() time.Time
	err    error // a failure of the check itself
	calls  []string
}

func newFakeGuard(now func() time.Time) *fakeGuard {
	return &fakeGuard{pins: map[string]string{"bea": "2468", "tom": "1357", "anna": "1111"},
		roles: map[string]string{"bea": RoleSupervisor, "tom": RoleTech, "anna": RoleCashier},
		tries: map[string]int{}, locked: map[string]time.Time{}, now: now}
}

// authorize is the check shared by Authorize and the fake supervisor: the
// operator's role must be the first supervisor.Roles(action) has. Its
// refusals are supervisor's, with the Msg the real Guard would show (Role
// is left out: it is a config.Role, and the ui does not read it).
func (g *fakeGuard) authorize(operator string, pin supervisor.PIN, action supervisor.Action) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.err != nil {
		return g.err
	}
	need := areaRole(action)
	role, ok := g.roles[operator]
	switch {
	case !ok:
		return &supervisor.Refusal{Kind: supervisor.RefusedUnknownOperator, Operator: operator, Action: action,
			Msg: fmt.Sprintf("there is no operator named %q", operator)}
	case role != need:
		return &supervisor.Refusal{Kind: supervisor.RefusedRole, Operator: operator, Action: action, Need: supervisor.Roles(action),
			Msg: operator + " is a " + role + "; this needs a " + need}
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

func (g *fakeGuard) Authorize(ctx context.Context, a supervisor.Attempt) error {
	g.mu.Lock()
	g.calls = append(g.calls, a.Operator+" "+string(a.Action)+" pin="+fmt.Sprint(a.PIN != ""))
	g.mu.Unlock()
	return g.authorize(a.Operator, a.PIN, a.Action)
}

type fakeSupervisor struct {
	mu      sync.Mutex
	guard   *fakeGuard
	reports *fakeReports
	calls   []string
	err     error
}

func (f *fakeSupervisor) record(c string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, c)
}

func (f *fakeSupervisor) Refund(ctx context.Context, r supervisor.RefundRequest) (supervisor.RefundResult, error) {
	f.record(fmt.Sprintf("refund %s %s %d %s by %s", r.Seller, r.IntentID, r.Amount, r.Reason, r.Operator))
	if err := f.guard.authorize(r.Operator, r.PIN, supervisor.ActionRefund); err != nil {
		return supervisor.RefundResult{}, err
	}
	if f.err != nil {
		return supervisor.RefundResult{}, f.err
	}
	d := f.reports.details[r.IntentID]
	rf := pos.Refund{ID: fmt.Sprintf("re_%d", len(d.Refunds)+1), Amount: r.Amount, Currency: d.Intent.Currency,
		Status: "succeeded", Reason: string(r.Reason), Created: testNow}
	d.Refunds = append(d.Refunds, rf)
	d.Refundable -= r.Amount
	if d.Charge != nil {
		c := *d.Charge
		c.AmountRefunded += r.Amount
		d.Charge = &c
	}
	f.reports.details[r.IntentID] = d
	return supervisor.RefundResult{ID: "rf-1", RefundID: rf.ID, State: pos.RefundSucceeded, Status: "succeeded", Amount: r.Amount,
		Currency: d.Intent.Currency, Remaining: d.Refundable, IntentID: r.IntentID, Seller: r.Seller}, nil
}

func (f *fakeSupervisor) settle(what string, action supervisor.Action, r supervisor.AuthorizationRequest, status string) (supervisor.AuthorizationResult, error) {
	f.record(fmt.Sprintf("%s %s %s %d %s by %s", what, r.Seller, r.IntentID, r.Amount, r.Reason, r.Operator))
	if err := f.guard.authorize(r.Operator, r.PIN, action); err != nil {
		return supervisor.AuthorizationResult{}, err
	}
	d := f.reports.details[r.IntentID]
	d.Intent.Status = status
	f.reports.details[r.IntentID] = d
	amount := d.Intent.AmountCapturable
	if r.Amount > 0 {
		amount = r.Amount
	}
	return supervisor.AuthorizationResult{Intent: d.Intent, Amount: amount, Currency: d.Intent.Currency}, nil
}

func (f *fakeSupervisor) Void(ctx context.Context, r supervisor.AuthorizationRequest) (supervisor.AuthorizationResult, error) {
	return f.settle("void", supervisor.ActionVoid, r, pos.IntentCanceled)
}

func (f *fakeSupervisor) Capture(ctx context.Context, r supervisor.AuthorizationRequest) (supervisor.AuthorizationResult, error) {
	return f.settle("capture", supervisor.ActionCapture, r, pos.IntentSucceeded)
}

type fakeReports struct {
	mu       sync.Mutex
	rows     []reports.Row
	partial  []error
	details  map[string]reports.Detail
	eod      reports.Report
	queries  []reports.Query
	eodQs    []eodQuery
	searchEr error
}

func (f *fakeReports) Search(ctx context.Context, q reports.Query) (reports.Result, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.queries = append(f.queries, q)
	if f.searchEr != nil {
		return reports.Result{}, f.searchEr
	}
	var out []reports.Row
	for _, r := range f.rows {
		if (q.Seller == "" || r.Seller == q.Seller) && (q.Status == "" || r.Status == q.Status) &&
			(q.Last4 == "" || r.Card.Last4 == q.Last4) && (q.Refund == "" || r.RefundState() == q.Refund) && r.Amount >= q.MinAmount && (q.MaxAmount == 0 || r.Amount <= q.MaxAmount) &&
			!r.Created.Before(q.From) && r.Created.Before(q.To) {
			out = append(out, r)
		}
	}
	return reports.Result{Rows: out, Partial: f.partial, From: q.From, To: q.To}, nil
}

func (f *fakeReports) Detail(ctx context.Context, seller pos.Account, id string) (reports.Detail, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	d, ok := f.details[id]
	if !ok {
		return reports.Detail{}, &pos.Error{Kind: pos.KindNotFound, Message: "No such payment_intent: '" + id + "'"}
	}
	return d, nil
}

func (f *fakeReports) EndOfDay(ctx context.Context, p reports.Period, seller pos.Account) (reports.Report, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.eodQs = append(f.eodQs, eodQuery{Period: p, Seller: seller})
	r := f.eod
	r.Period = p
	return r, nil
}

// fakeSaver keeps what was saved under /exports/<name>.
type fakeSaver struct {
	mu    sync.Mutex
	dir   string
	files map[string][]byte
	err   error
}

func (f *fakeSaver) Save(name string, data []byte) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return "", f.err
	}
	if f.files == nil {
		f.files = map[string][]byte{}
	}
	f.files[name] = append([]byte(nil), data...)
	return f.dir + "/" + name, nil
}

func (f *fakeSaver) names() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for n := range f.files {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// fakeFleet serves the demo terminal's readers through the Fleet API.
type fakeFleet struct {
	mu          sync.Mutex
	term        *fakeTerminal
	invErr      error // with groups: partial
	registerErr error
	testResult  readers.TestResult
	testErr     error
	calls       []string
	created     []pos.Location
}

func (f *fakeFleet) record(c string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, c)
}

func (f *fakeFleet) Inventory(ctx context.Context) ([]readers.LocationGroup, error) {
	f.record("Inventory")
	var out []readers.LocationGroup
	for _, owner := range []pos.Account{pos.Platform, "acct_1Taco"} {
		name := "platform"
		if owner != pos.Platform {
			name = "Taco Loco"
		}
		f.term.mu.Lock()
		locs := append([]pos.Location(nil), f.term.locations[owner]...)
		rs := append([]pos.Reader(nil), f.term.readers[owner]...)
		f.term.mu.Unlock()
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
	return out, f.invErr
}

func (f *fakeFleet) Register(ctx context.Context, owner pos.Account, code, label, locationID string) (pos.Reader, error) {
	f.record(fmt.Sprintf("Register %s %s %q %s", owner, code, label, locationID))
	if f.registerErr != nil {
		return pos.Reader{}, f.registerErr
	}
	r := pos.Reader{ID: "tmr_new", Owner: owner, Label: label, DeviceType: "simulated_wisepos_e", Status: "online",
		SerialNumber: "WPE-SIM-NEW", LocationID: locationID}
	f.term.mu.Lock()
	f.term.readers[owner] = append(f.term.readers[owner], r)
	f.term.mu.Unlock()
	return r, nil
}

func (f *fakeFleet) CreateLocation(ctx context.Context, owner, seller pos.Account, name string, addr pos.Address) (pos.Location, error) {
	f.record(fmt.Sprintf("CreateLocation %s %q %s for %s", owner, name, addr.Country, seller))
	l := pos.Location{ID: "tml_new", Owner: owner, DisplayName: name, Address: addr, Metadata: pos.SellerMetadata(seller)}
	f.term.mu.Lock()
	f.term.locations[owner] = append(f.term.locations[owner], l)
	f.term.mu.Unlock()
	return l, nil
}

// change applies fn to the stored reader id and returns it.
func (f *fakeFleet) change(owner pos.Account, id string, fn func(r *pos.Reader)) (pos.Reader, error) {
	f.term.mu.Lock()
	defer f.term.mu.Unlock()
	for i, r := range f.term.readers[owner] {
		if r.ID == id {
			fn(&r)
			f.term.readers[owner][i] = r
			return r, nil
		}
	}
	return pos.Reader{}, &pos.Error{Kind: pos.KindNotFound, Message: "No such reader: " + id}
}

func (f *fakeFleet) Rename(ctx context.Context, owner pos.Account, id, label string) (pos.Reader, error) {
	f.record("Rename " + id + " " + label)
	return f.change(owner, id, func(r *pos.Reader) { r.Label = label })
}

func (f *fakeFleet) SetMetadata(ctx context.Context, owner pos.Account, id string, md map[string]string) (pos.Reader, error) {
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

func (f *fakeFleet) Deregister(ctx context.Context, owner pos.Account, id, confirm string) (pos.Reader, error) {
	f.record("Deregister " + id + " " + confirm)
	f.term.mu.Lock()
	defer f.term.mu.Unlock()
	rs := f.term.readers[owner]
	for i, r := range rs {
		if r.ID == id {
			f.term.readers[owner] = append(rs[:i:i], rs[i+1:]...)
			return r, nil
		}
	}
	return pos.Reader{}, &pos.Error{Kind: pos.KindNotFound, Message: "No such reader"}
}

func (f *fakeFleet) DisplayTest(ctx context.Context, owner pos.Account, id, currency string) (readers.DisplayResult, error) {
	f.record("DisplayTest " + id + " " + currency)
	return readers.DisplayResult{Cart: pos.DisplayCart{Currency: currency, Lines: make([]pos.CartLine, 2), Total: 540},
		Reader: pos.Reader{ID: id, Owner: owner, Label: "Front counter", Status: "online",
			Action: &pos.ReaderAction{Type: pos.ActionSetReaderDisplay, Status: pos.ActionSucceeded}}}, nil
}

func (f *fakeFleet) Clear(ctx context.Context, owner pos.Account, id string) (readers.ClearReport, error) {
	f.record("Clear " + id)
	return readers.ClearReport{ReaderID: id, Held: &pos.ReaderAction{Type: pos.ActionProcessPaymentIntent, Status: pos.ActionInProgress,
		PaymentIntentID: "pi_other"}, Cleared: true, Reader: pos.Reader{ID: id, Owner: owner, Label: "Window", Status: "online"},
		Note: "cleared process_payment_intent in_progress (pi_other)"}, nil
}

func (f *fakeFleet) TestTransaction(ctx context.Context, p readers.TestParams) (readers.TestResult, error) {
	f.record(fmt.Sprintf("TestTransaction %s %s %d card=%s tip=%d", p.ReaderID, p.Seller, p.Amount, p.Card, p.Tip))
	if f.testErr != nil {
		return readers.TestResult{}, f.testErr
	}
	r := f.testResult
	r.ReaderID, r.Owner, r.Seller, r.Amount, r.Tip = p.ReaderID, p.Owner, p.Seller, p.Amount, p.Tip
	return r, nil
}

func (f *fakeFleet) Diagnostics(ctx context.Context, owner pos.Account, id string, recent []readers.RequestRecord) ([]byte, error) {
	f.record(fmt.Sprintf("Diagnostics %s recent=%d", id, len(recent)))
	return []byte(`{"reader":{"id":"` + id + `"}}`), nil
}
