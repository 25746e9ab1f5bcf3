package uitest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"kasse/pos"
	"kasse/supervisor"
)

// FakeDisputes is the disputes desk over rows in memory: evidence stages
// and submits, accept closes as lost, each behind the fake Guard.
type FakeDisputes struct {
	mu    sync.Mutex
	Guard *FakeGuard
	Rows  []supervisor.DisputeRow
	calls []string
}

// Calls are the requests made so far ("evidence dp_… submit=false by bea").
func (f *FakeDisputes) Calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.calls...)
}

func (f *FakeDisputes) Disputes(_ context.Context, q supervisor.DisputeQuery) (supervisor.DisputeList, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out supervisor.DisputeList
	for _, r := range f.Rows {
		if !q.OpenOnly || r.Dispute.Open() {
			out.Rows = append(out.Rows, r)
		}
	}
	return out, nil
}

func (f *FakeDisputes) find(id string) (int, error) {
	for i, r := range f.Rows {
		if r.Dispute.ID == id {
			return i, nil
		}
	}
	return -1, errors.New("no such dispute: " + id)
}

func (f *FakeDisputes) Dispute(_ context.Context, _ pos.Account, id string) (supervisor.DisputeRow, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	i, err := f.find(id)
	if err != nil {
		return supervisor.DisputeRow{}, err
	}
	return f.Rows[i], nil
}

func (f *FakeDisputes) Evidence(_ context.Context, r supervisor.EvidenceRequest) (pos.Dispute, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, fmt.Sprintf("evidence %s submit=%v fields=%d by %s", r.ID, r.Submit, len(r.Evidence), r.Operator))
	if err := f.Guard.authorize(r.Operator, r.PIN, supervisor.ActionDisputes); err != nil {
		return pos.Dispute{}, err
	}
	i, err := f.find(r.ID)
	if err != nil {
		return pos.Dispute{}, err
	}
	d := &f.Rows[i].Dispute
	if err := pos.CheckAnswerable(*d); err != nil {
		return *d, err
	}
	if len(r.Evidence) > 0 {
		d.Evidence, d.HasEvidence = r.Evidence, true
	}
	if r.Submit {
		d.SubmissionCount++
		d.Status = pos.DisputeUnderReview
	}
	return *d, nil
}

func (f *FakeDisputes) Accept(_ context.Context, r supervisor.AcceptRequest) (pos.Dispute, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, fmt.Sprintf("accept %s by %s", r.ID, r.Operator))
	if err := f.Guard.authorize(r.Operator, r.PIN, supervisor.ActionDisputes); err != nil {
		return pos.Dispute{}, err
	}
	i, err := f.find(r.ID)
	if err != nil {
		return pos.Dispute{}, err
	}
	d := &f.Rows[i].Dispute
	if err := pos.CheckAnswerable(*d); err != nil {
		return *d, err
	}
	d.Status = pos.DisputeLost
	return *d, nil
}

// FakeNotices is the journal's notices in memory.
type FakeNotices struct {
	mu      sync.Mutex
	notices []pos.Notice
}

// Add appends notices (numbered on).
func (f *FakeNotices) Add(ns ...pos.Notice) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, n := range ns {
		n.Seq = int64(len(f.notices) + 1)
		f.notices = append(f.notices, n)
	}
}

func (f *FakeNotices) LastNotice(context.Context) (int64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return int64(len(f.notices)), nil
}

func (f *FakeNotices) Notices(_ context.Context, after int64, limit int) ([]pos.Notice, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []pos.Notice
	for _, n := range f.notices {
		if n.Seq > after && len(out) < limit {
			out = append(out, n)
		}
	}
	return out, nil
}

// DemoDisputes are the desk's rows of the office fixture: a chargeback of
// a sale of this console (evidence due in 6 days), an inquiry of another
// console's payment, and a lost one.
func DemoDisputes(g *FakeGuard) *FakeDisputes {
	tip := int64(150)
	sale := pos.Sale{ID: "till-1-20260314T140200-k1", Seller: "acct_1Baeckerei", Currency: "eur", Amount: 1250, Tip: &tip,
		IntentID: "pi_paid", ChargeID: "ch_paid", ReaderID: "tmr_counter1", ConsoleID: "till-1", Operator: "anna",
		Card: pos.Card{Brand: "visa", Last4: "0259"}, State: pos.SaleApproved, CreatedAt: At(14, 2), DoneAt: At(14, 2)}
	var err error
	if sale.Cart, err = pos.NewCart("eur"); err == nil {
		sale.Cart, _ = sale.Cart.Add(pos.Line{Description: "Sourdough loaf", Quantity: 2, UnitPrice: 550})
	}
	due := Now.Add(6*24*time.Hour + 3*time.Hour)
	return &FakeDisputes{Guard: g, Rows: []supervisor.DisputeRow{
		{SellerName: "Bäckerei Müller", Sale: &sale, Dispute: pos.Dispute{ID: "dp_fraud1", Account: "acct_1Baeckerei",
			ChargeID: "ch_paid", IntentID: "pi_paid", Amount: 1250, Currency: "eur", Reason: "fraudulent",
			Status: pos.DisputeNeedsResponse, DueBy: due, Brand: "visa", Created: At(15, 0)}},
		{SellerName: "Taco Loco", Dispute: pos.Dispute{ID: "dp_inquiry2", Account: "acct_1Taco", ChargeID: "ch_other",
			IntentID: "pi_other", Amount: 900, Currency: "usd", Reason: "product_not_received", Status: pos.DisputeWarningNeedsResponse,
			ChargeRefundable: true, DueBy: due.Add(48 * time.Hour), Created: At(11, 0)}},
		{SellerName: "Ramen Ichiban", Dispute: pos.Dispute{ID: "dp_lost3", Account: "acct_1Ramen", ChargeID: "ch_ramen",
			IntentID: "pi_ramen", Amount: 1500, Currency: "jpy", Reason: "duplicate", Status: pos.DisputeLost, Created: At(9, 0)}},
	}}
}
