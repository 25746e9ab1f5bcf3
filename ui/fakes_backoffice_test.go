package ui

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"kasse/pos"
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

// authorize is the check shared by Check and the fake supervisor.
func (g *fakeGuard) authorize(operator, pin, need string) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.err != nil {
		return g.err
	}
	role, ok := g.roles[operator]
	switch {
	case !ok:
		return &PINError{Kind: PINUnknownOperator, Operator: operator, Msg: fmt.Sprintf("there is no operator named %q", operator)}
	case role != need:
		return &PINError{Kind: PINRoleRefused, Operator: operator, Role: role, Need: []string{need},
			Msg: operator + " is a " + role + "; this needs a " + need}
	}
	if until, ok := g.locked[operator]; ok && g.now().Before(until) {
		return &PINError{Kind: PINLocked, Operator: operator, LockedUntil: until,
			Msg: operator + " is locked out until " + until.Format("15:04")}
	}
	if g.pins[operator] != pin {
		g.tries[operator]++
		left := 3 - g.tries[operator]
		if left <= 0 {
			until := g.now().Add(15 * time.Minute)
			g.locked[operator] = until
			return &PINError{Kind: PINLocked, Operator: operator, LockedUntil: until,
				Msg: "wrong PIN; " + operator + " is locked out until " + until.Format("15:04")}
		}
		return &PINError{Kind: PINWrong, Operator: operator, TriesLeft: left, Msg: fmt.Sprintf("wrong PIN, %d tries left", left)}
	}
	g.tries[operator] = 0
	return nil
}

func (g *fakeGuard) Check(ctx context.Context, operator, pin, area string) error {
	g.mu.Lock()
	g.calls = append(g.calls, operator+" "+area+" pin="+fmt.Sprint(pin != ""))
	g.mu.Unlock()
	return g.authorize(operator, pin, areaRole(area))
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

func (f *fakeSupervisor) Refund(ctx context.Context, r RefundRequest) (RefundResult, error) {
	f.record(fmt.Sprintf("refund %s %s %d %s by %s", r.Seller, r.IntentID, r.Amount, r.Reason, r.Operator))
	if err := f.guard.authorize(r.Operator, r.PIN, RoleSupervisor); err != nil {
		return RefundResult{}, err
	}
	if f.err != nil {
		return RefundResult{}, f.err
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
	return RefundResult{ID: "rf-1", RefundID: rf.ID, State: "succeeded", Status: "succeeded", Amount: r.Amount,
		Currency: d.Intent.Currency, Remaining: d.Refundable}, nil
}

func (f *fakeSupervisor) settle(what string, r AuthorizationRequest, status string) (AuthorizationResult, error) {
	f.record(fmt.Sprintf("%s %s %s %d %s by %s", what, r.Seller, r.IntentID, r.Amount, r.Reason, r.Operator))
	if err := f.guard.authorize(r.Operator, r.PIN, RoleSupervisor); err != nil {
		return AuthorizationResult{}, err
	}
	d := f.reports.details[r.IntentID]
	d.Intent.Status = status
	f.reports.details[r.IntentID] = d
	amount := d.Intent.AmountCapturable
	if r.Amount > 0 {
		amount = r.Amount
	}
	return AuthorizationResult{Intent: d.Intent, Amount: amount, Currency: d.Intent.Currency}, nil
}

func (f *fakeSupervisor) Void(ctx context.Context, r AuthorizationRequest) (AuthorizationResult, error) {
	return f.settle("void", r, pos.IntentCanceled)
}

func (f *fakeSupervisor) Capture(ctx context.Context, r AuthorizationRequest) (AuthorizationResult, error) {
	return f.settle("capture", r, pos.IntentSucceeded)
}

type fakeReports struct {
	mu       sync.Mutex
	rows     []TxRow
	partial  []error
	details  map[string]TxDetail
	eod      EODReport
	queries  []TxQuery
	eodQs    []EODQuery
	searchEr error
}

func (f *fakeReports) Search(ctx context.Context, q TxQuery) (TxResults, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.queries = append(f.queries, q)
	if f.searchEr != nil {
		return TxResults{}, f.searchEr
	}
	var out []TxRow
	for _, r := range f.rows {
		if (q.Seller == "" || r.Seller == q.Seller) && (q.Status == "" || r.Status == q.Status) &&
			(q.Last4 == "" || r.Card.Last4 == q.Last4) && (q.Refund == "" || refundState(r) == q.Refund) && r.Amount >= q.MinAmount && (q.MaxAmount == 0 || r.Amount <= q.MaxAmount) &&
			!r.Created.Before(q.From) && r.Created.Before(q.To) {
			out = append(out, r)
		}
	}
	return TxResults{Rows: out, Partial: f.partial}, nil
}

func (f *fakeReports) Detail(ctx context.Context, seller pos.Account, id string) (TxDetail, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	d, ok := f.details[id]
	if !ok {
		return TxDetail{}, &pos.Error{Kind: pos.KindNotFound, Message: "No such payment_intent: '" + id + "'"}
	}
	return d, nil
}

func (f *fakeReports) EndOfDay(ctx context.Context, q EODQuery) (EODReport, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.eodQs = append(f.eodQs, q)
	r := f.eod
	r.From, r.To, r.Label = q.From, q.To, q.Label
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
	testResult  TestResult
	testErr     error
	calls       []string
	created     []pos.Location
}

func (f *fakeFleet) record(c string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, c)
}

func (f *fakeFleet) Inventory(ctx context.Context) ([]ReaderGroup, error) {
	f.record("Inventory")
	var out []ReaderGroup
	for _, owner := range []pos.Account{pos.Platform, "acct_1Taco"} {
		name := "platform"
		if owner != pos.Platform {
			name = "Taco Loco"
		}
		f.term.mu.Lock()
		locs := append([]pos.Location(nil), f.term.locations[owner]...)
		readers := append([]pos.Reader(nil), f.term.readers[owner]...)
		f.term.mu.Unlock()
		for _, l := range locs {
			g := ReaderGroup{Owner: owner, OwnerName: name, Location: l}
			for _, r := range readers {
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

func (f *fakeFleet) CreateLocation(ctx context.Context, owner pos.Account, name string, addr pos.Address) (pos.Location, error) {
	f.record(fmt.Sprintf("CreateLocation %s %q %s", owner, name, addr.Country))
	l := pos.Location{ID: "tml_new", Owner: owner, DisplayName: name, Address: addr}
	f.term.mu.Lock()
	f.term.locations[owner] = append(f.term.locations[owner], l)
	f.term.mu.Unlock()
	return l, nil
}

var fakeRequired = map[string][]string{"US": {"line1", "city", "state", "postal_code"}, "DE": {"line1", "city", "postal_code"}}

func (f *fakeFleet) RequiredAddressFields(country string) []string {
	return fakeRequired[strings.ToUpper(country)]
}

func (f *fakeFleet) ValidateAddress(a pos.Address) error {
	var missing []string
	vals := map[string]string{"line1": a.Line1, "city": a.City, "state": a.State, "postal_code": a.PostalCode}
	for _, k := range fakeRequired[a.Country] {
		if vals[k] == "" {
			missing = append(missing, "address."+k)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%s required in %s", strings.Join(missing, " and "), a.Country)
	}
	return nil
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

func (f *fakeFleet) DisplayTest(ctx context.Context, owner pos.Account, id, currency string) (DisplayResult, error) {
	f.record("DisplayTest " + id + " " + currency)
	return DisplayResult{Cart: pos.DisplayCart{Currency: currency, Lines: make([]pos.CartLine, 2), Total: 540},
		Reader: pos.Reader{ID: id, Owner: owner, Label: "Front counter", Status: "online",
			Action: &pos.ReaderAction{Type: pos.ActionSetReaderDisplay, Status: pos.ActionSucceeded}}}, nil
}

func (f *fakeFleet) Clear(ctx context.Context, owner pos.Account, id string) (ClearReport, error) {
	f.record("Clear " + id)
	return ClearReport{ReaderID: id, Held: &pos.ReaderAction{Type: pos.ActionProcessPaymentIntent, Status: pos.ActionInProgress,
		PaymentIntentID: "pi_other"}, Cleared: true, Reader: pos.Reader{ID: id, Owner: owner, Label: "Window", Status: "online"},
		Note: "cleared process_payment_intent in_progress (pi_other)"}, nil
}

func (f *fakeFleet) TestTransaction(ctx context.Context, p TestParams) (TestResult, error) {
	f.record(fmt.Sprintf("TestTransaction %s %s %d card=%s tip=%d", p.ReaderID, p.Seller, p.Amount, p.Card, p.Tip))
	if f.testErr != nil {
		return TestResult{}, f.testErr
	}
	r := f.testResult
	r.Amount, r.Tip = p.Amount, p.Tip
	return r, nil
}

func (f *fakeFleet) Diagnostics(ctx context.Context, owner pos.Account, id string) ([]byte, error) {
	f.record("Diagnostics " + id)
	return []byte(`{"reader":{"id":"` + id + `"}}`), nil
}

func (f *fakeFleet) Health(r pos.Reader, now time.Time) ReaderHealth {
	if !r.Online() {
		return ReaderHealth{Level: "fail", Summary: "offline", Checks: []HealthCheck{{Name: "status", Level: "fail", Detail: "no signal"}}}
	}
	return ReaderHealth{Level: "ok", Summary: "online, idle"}
}

func (f *fakeFleet) MoveExplanation() string {
	return "A reader cannot be moved: deregister it and register it again at the new location."
}
