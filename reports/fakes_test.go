package reports

import (
	"context"
	"errors"
	"path/filepath"
	"sort"
	"sync"
	"testing"
	"time"

	"kasse/journal"
	"kasse/pos"
)

// fakeSellers is a fixed seller list.
type fakeSellers struct {
	list []pos.Seller
	err  error
}

func (f fakeSellers) ListSellers(context.Context) ([]pos.Seller, error) { return f.list, f.err }

func (f fakeSellers) GetSeller(_ context.Context, id pos.Account) (pos.Seller, error) {
	for _, s := range f.list {
		if s.ID == id {
			return s, nil
		}
	}
	return pos.Seller{}, &pos.Error{Kind: pos.KindNotFound, Message: "no such seller"}
}

// fakePayments holds intents (charges expanded) and refunds per seller.
// ListIntents strips the charge, as the adapter does.
type fakePayments struct {
	mu       sync.Mutex
	intents  map[pos.Account][]pos.Intent
	refunds  map[string][]pos.Refund // by intent id
	listErr  map[pos.Account]error
	refErr   map[pos.Account]error // ListRefundsCreated
	getErr   map[string]error      // by intent id
	calls    map[string]int
	inFlight int
	maxSeen  int
	delay    time.Duration
	expand   bool // ListIntents returns the latest charge, as the adapter does
}

func newFakePayments() *fakePayments {
	return &fakePayments{intents: map[pos.Account][]pos.Intent{}, refunds: map[string][]pos.Refund{},
		listErr: map[pos.Account]error{}, refErr: map[pos.Account]error{}, getErr: map[string]error{}, calls: map[string]int{}}
}

func (f *fakePayments) add(seller pos.Account, in pos.Intent) {
	f.mu.Lock()
	defer f.mu.Unlock()
	in.Account = seller
	if in.LatestCharge != nil {
		in.LatestChargeID = in.LatestCharge.ID
	}
	f.intents[seller] = append(f.intents[seller], in)
}

func (f *fakePayments) enter(method string) func() {
	f.mu.Lock()
	f.calls[method]++
	f.inFlight++
	f.maxSeen = max(f.maxSeen, f.inFlight)
	f.mu.Unlock()
	if f.delay > 0 {
		time.Sleep(f.delay)
	}
	return func() { f.mu.Lock(); f.inFlight--; f.mu.Unlock() }
}

func (f *fakePayments) count(method string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[method]
}

func (f *fakePayments) ListIntents(_ context.Context, seller pos.Account, flt pos.IntentFilter) ([]pos.Intent, error) {
	defer f.enter("ListIntents")()
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.listErr[seller]; err != nil {
		return nil, err
	}
	var out []pos.Intent
	for _, in := range f.intents[seller] {
		c := in.Created.Unix()
		if flt.CreatedFrom != 0 && c < flt.CreatedFrom || flt.CreatedTo != 0 && c > flt.CreatedTo {
			continue
		}
		if !f.expand {
			in.LatestCharge = nil // not expanded in lists
		}
		out = append(out, in)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Created.After(out[j].Created) })
	limit := flt.Limit
	if limit <= 0 {
		limit = 50
	}
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

func (f *fakePayments) GetIntent(_ context.Context, seller pos.Account, id string) (pos.Intent, error) {
	defer f.enter("GetIntent")()
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.getErr[id]; err != nil {
		return pos.Intent{}, err
	}
	for _, in := range f.intents[seller] {
		if in.ID == id {
			return in, nil
		}
	}
	return pos.Intent{}, &pos.Error{Kind: pos.KindNotFound, Message: "no such intent " + id}
}

func (f *fakePayments) ListRefunds(_ context.Context, seller pos.Account, id string) ([]pos.Refund, error) {
	defer f.enter("ListRefunds")()
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.refunds[id], nil
}

// ListRefundsCreated lists the refunds of the seller's intents (f.refunds
// by intent id) created in the range, newest first.
func (f *fakePayments) ListRefundsCreated(_ context.Context, seller pos.Account, flt pos.RefundFilter) ([]pos.Refund, error) {
	defer f.enter("ListRefundsCreated")()
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.refErr[seller]; err != nil {
		return nil, err
	}
	var out []pos.Refund
	for _, in := range f.intents[seller] {
		for _, rf := range f.refunds[in.ID] {
			c := rf.Created.Unix()
			if flt.CreatedFrom != 0 && c < flt.CreatedFrom || flt.CreatedTo != 0 && c > flt.CreatedTo {
				continue
			}
			rf.IntentID, rf.Account = in.ID, seller
			out = append(out, rf)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Created.After(out[j].Created) })
	if flt.Limit > 0 && len(out) > flt.Limit {
		out = out[:flt.Limit]
	}
	return out, nil
}

var errNotFaked = errors.New("not faked")

func (f *fakePayments) CreateIntent(context.Context, pos.Account, pos.CreateIntentRequest, string) (pos.Intent, error) {
	return pos.Intent{}, errNotFaked
}

func (f *fakePayments) CaptureIntent(context.Context, pos.Account, string, int64, string) (pos.Intent, error) {
	return pos.Intent{}, errNotFaked
}

func (f *fakePayments) CancelIntent(context.Context, pos.Account, string, string, string) (pos.Intent, error) {
	return pos.Intent{}, errNotFaked
}

func (f *fakePayments) CreateRefund(context.Context, pos.Account, pos.RefundRequest, string) (pos.Refund, error) {
	return pos.Refund{}, errNotFaked
}

// Test fixtures.
const (
	acctA pos.Account = "acct_1AAAAAAAAAAAAAAA" // Lumen Coffee, usd
	acctB pos.Account = "acct_1BBBBBBBBBBBBBBB" // Sakura Ramen, jpy
)

var testSellers = []pos.Seller{
	{ID: acctA, DisplayName: "Lumen Coffee", Currency: "usd", CardPayments: pos.CapabilityActive, ChargesEnabled: true},
	{ID: acctB, DisplayName: "Sakura Ramen", Currency: "jpy", CardPayments: pos.CapabilityActive, ChargesEnabled: true},
}

// day0 is a fixed day in UTC; searches use Location UTC.
var day0 = time.Date(2025, 3, 14, 0, 0, 0, 0, time.UTC)

func at(h, m int) time.Time {
	return day0.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute)
}

func i64(n int64) *int64 { return &n }

// paid is a succeeded intent with its charge.
func paid(id string, amount int64, cur string, created time.Time, brand, last4 string, refunded int64) pos.Intent {
	return pos.Intent{ID: id, Status: pos.IntentSucceeded, Amount: amount, AmountReceived: amount, Currency: cur,
		Created: created, LatestCharge: &pos.Charge{ID: "ch_" + id[3:], Amount: amount, AmountCaptured: amount,
			AmountRefunded: refunded, Captured: true, Status: "succeeded", Card: pos.Card{Brand: brand, Last4: last4}}}
}

func openJournal(t testing.TB, console string) *journal.Journal {
	t.Helper()
	j, err := journal.Open(filepath.Join(t.TempDir(), "journal.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	j.SetOrigin(console, "ana")
	return j
}

// sale is a journal sale in state st.
func sale(id string, seller pos.Account, cur string, amount int64, st pos.SaleState, intent string, created time.Time, card pos.Card) pos.Sale {
	s := pos.Sale{ID: id, Seller: seller, Currency: cur, Amount: amount, State: st, IntentID: intent,
		Card: card, CreatedAt: created, UpdatedAt: created}
	if intent != "" && st == pos.SaleApproved {
		s.ChargeID = "ch_" + intent[3:]
	}
	return s
}

func saveSales(t testing.TB, j *journal.Journal, sales ...pos.Sale) {
	t.Helper()
	for _, s := range sales {
		if err := j.SaveSale(context.Background(), s); err != nil {
			t.Fatal(err)
		}
	}
}

func newSearcher(j Journal, p *fakePayments) *Searcher {
	return &Searcher{Journal: j, Sellers: fakeSellers{list: testSellers}, Payments: p, ConsoleID: "till-1",
		Now: func() time.Time { return at(15, 0) }, Location: time.UTC}
}
