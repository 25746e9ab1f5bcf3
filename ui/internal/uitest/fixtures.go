package uitest

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/lipgloss"

	"kasse/pos"
	"kasse/readers"
	"kasse/reports"
	"kasse/ui"
)

// DemoSellers are five sellers: two in Germany (one still pending), one
// each in Japan and the US, one in Britain without card payments.
func DemoSellers() []pos.Seller {
	return []pos.Seller{
		{ID: "acct_1Baeckerei", DisplayName: "Bäckerei Müller", Country: "DE", Currency: "eur", CardPayments: "active", ChargesEnabled: true},
		{ID: "acct_1Blumen", DisplayName: "Blumen Schmidt", Country: "DE", Currency: "eur", CardPayments: "pending"},
		{ID: "acct_1Ramen", DisplayName: "Ramen Ichiban", Country: "JP", Currency: "jpy", CardPayments: "active", ChargesEnabled: true},
		{ID: "acct_1Taco", DisplayName: "Taco Loco", Country: "US", Currency: "usd", CardPayments: "active", ChargesEnabled: true},
		{ID: "acct_1Vinyl", DisplayName: "Vinyl Corner", Country: "GB", Currency: "gbp", CardPayments: "inactive"},
	}
}

// DemoTerminal has a platform location per seller, one seller-owned
// location for Taco Loco and readers on both.
func DemoTerminal() *FakeTerminal {
	f := NewFakeTerminal()
	f.Locations[pos.Platform] = []pos.Location{
		{ID: "tml_baeckerei", DisplayName: "Bäckerei Müller", Address: pos.Address{Line1: "Hauptstr. 1", City: "Berlin", Country: "DE"}},
		{ID: "tml_baeckerei2", DisplayName: "Bäckerei Müller – Markt", Address: pos.Address{City: "Berlin", Country: "DE"}},
		{ID: "tml_baeckereiX", DisplayName: "Bäckerei Müllerstraße", Address: pos.Address{City: "Köln", Country: "DE"}},
		{ID: "tml_ramen", DisplayName: "Ramen Ichiban", Address: pos.Address{City: "Tokyo", Country: "JP"}},
		{ID: "tml_taco", DisplayName: "Taco Loco", Address: pos.Address{Line1: "1 Main St", City: "Austin", Country: "US"}},
		{ID: "tml_tagged", DisplayName: "Food court stand 7", Metadata: map[string]string{pos.LocationSellerKey: "acct_1Taco"},
			Address: pos.Address{City: "Austin", Country: "US"}},
	}
	f.Locations["acct_1Taco"] = []pos.Location{
		{ID: "tml_taco_own", Owner: "acct_1Taco", DisplayName: "Taco truck", Address: pos.Address{City: "Austin", Country: "US"}},
	}
	f.Readers[pos.Platform] = []pos.Reader{
		{ID: "tmr_front", Label: "Front counter", DeviceType: "simulated_wisepos_e", Status: "online", LocationID: "tml_baeckerei"},
		{ID: "tmr_back", Label: "Back counter", DeviceType: "simulated_wisepos_e", Status: "offline", LocationID: "tml_baeckerei"},
		{ID: "tmr_busy", Label: "Window", DeviceType: "bbpos_wisepos_e", Status: "online", LocationID: "tml_baeckerei",
			Action: &pos.ReaderAction{Type: pos.ActionProcessPaymentIntent, Status: pos.ActionInProgress, PaymentIntentID: "pi_other"}},
		{ID: "tmr_taco", Label: "Taco till", DeviceType: "simulated_wisepos_e", Status: "online", LocationID: "tml_taco"},
		{ID: "tmr_ramen", Label: "Ramen till", DeviceType: "simulated_wisepos_e", Status: "online", LocationID: "tml_ramen"},
	}
	f.Readers["acct_1Taco"] = []pos.Reader{
		{ID: "tmr_truck", Owner: "acct_1Taco", Label: "Truck", DeviceType: "stripe_s700", Status: "online", LocationID: "tml_taco_own"},
	}
	return f
}

// DemoDeps is a console on the demo sellers and terminal, remembering in
// memory.
func DemoDeps() (ui.Deps, *FakeSellers, *FakeTerminal, *FakePrefs) {
	s := &FakeSellers{Sellers: DemoSellers()}
	t := DemoTerminal()
	p := &FakePrefs{}
	return ui.Deps{Sellers: s, Terminal: t, Prefs: p}, s, t, p
}

// MemJournal is the console tests' journal: it keeps every saved sale.
type MemJournal struct {
	mu    sync.Mutex
	saved []pos.Sale
}

func (j *MemJournal) SaveSale(_ context.Context, s pos.Sale, _ ...string) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.saved = append(j.saved, s)
	return nil
}

// Last returns the newest saved copy of sale id.
func (j *MemJournal) Last(id string) (pos.Sale, bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	for i := len(j.saved) - 1; i >= 0; i-- {
		if j.saved[i].ID == id {
			return j.saved[i], true
		}
	}
	return pos.Sale{}, false
}

// The sale flow.

// RegisterDeps is DemoDeps with payments and three quick keys: Coffee
// (c), Croissant (k), Water (1, also in yen).
func RegisterDeps() (ui.Deps, *FakeTerminal) {
	d, _, term, _ := DemoDeps()
	d.Payments = &FakePayments{}
	d.QuickKeys = []ui.QuickKey{
		{Key: "c", Description: "Coffee", Prices: map[string]int64{"eur": 350, "usd": 350}},
		{Key: "k", Description: "Croissant", Prices: map[string]int64{"eur": 220, "usd": 220}},
		{Key: "1", Description: "Water", Prices: map[string]int64{"eur": 100, "usd": 100, "jpy": 150}},
	}
	return d, term
}

// AtRegister drives a console to the register: filter picks the seller,
// then the first location and the first reader.
func AtRegister(t testing.TB, d ui.Deps, filter string) *Harness {
	t.Helper()
	h := New(t, d)
	h.Keys("text:"+filter, "enter", "enter", "enter")
	h.MustBeOn("Register")
	return h
}

// Lines describes a cart: "Coffee 1×350, Item 2×990".
func Lines(c pos.Cart) string {
	var out []string
	for _, l := range c.Lines {
		out = append(out, l.Description+" "+strconv.FormatInt(l.Quantity, 10)+"×"+strconv.FormatInt(l.UnitPrice, 10))
	}
	return strings.Join(out, ", ")
}

// Reader answers for GetReader scripts.

// ReaderWith is the front counter doing a.
func ReaderWith(id string, a *pos.ReaderAction) pos.Reader {
	return pos.Reader{ID: id, Label: "Front counter", Status: "online", Action: a, RequestID: "req_poll_" + id}
}

// Waiting is the front counter waiting for a card on intentID.
func Waiting(intentID string) pos.Reader {
	return ReaderWith("tmr_front", &pos.ReaderAction{Type: pos.ActionProcessPaymentIntent, Status: pos.ActionInProgress,
		PaymentIntentID: intentID, Intent: &pos.Intent{ID: intentID, Status: pos.IntentRequiresPaymentMethod}})
}

// Approved is the front counter having taken amount (and tip) on intentID.
func Approved(intentID string, amount int64, tip *int64) pos.Reader {
	in := &pos.Intent{ID: intentID, Status: pos.IntentSucceeded, Amount: amount, Currency: "eur", Tip: tip,
		LatestCharge: &pos.Charge{ID: "ch_1", Amount: amount, Card: pos.Card{Brand: "visa", Last4: "4242"}}}
	return ReaderWith("tmr_front", &pos.ReaderAction{Type: pos.ActionProcessPaymentIntent, Status: pos.ActionSucceeded,
		PaymentIntentID: intentID, Intent: in})
}

// Declined is the front counter having been declined on intentID.
func Declined(intentID, code, declineCode string) pos.Reader {
	in := &pos.Intent{ID: intentID, Status: pos.IntentRequiresPaymentMethod,
		LastError: &pos.PaymentError{Type: "card_error", Code: code, DeclineCode: declineCode, Message: "Your card was declined."}}
	return ReaderWith("tmr_front", &pos.ReaderAction{Type: pos.ActionProcessPaymentIntent, Status: pos.ActionFailed,
		FailureCode: code, FailureMessage: "Your card was declined.", PaymentIntentID: intentID, Intent: in})
}

// PayFixture is a console in the live view of a sale, with its fakes.
type PayFixture struct {
	H     *Harness
	Term  *FakeTerminal
	Pay   *FakePayments
	Pres  *FakePresenter
	Prefs *FakePrefs
}

// Charging rings up a coffee and a croissant at Bäckerei Müller and
// presses enter; mutate changes the Deps first.
func Charging(t testing.TB, mutate func(*ui.Deps)) PayFixture {
	t.Helper()
	d, _ := RegisterDeps()
	f := PayFixture{Term: d.Terminal.(*FakeTerminal), Pay: d.Payments.(*FakePayments), Pres: &FakePresenter{},
		Prefs: d.Prefs.(*FakePrefs)}
	d.Presenter = f.Pres
	if mutate != nil {
		mutate(&d)
	}
	f.H = AtRegister(t, d, "bäck")
	f.H.Keys("c", "k", "enter")
	return f
}

// The back office.

// Office is a console with the whole back office faked.
type Office struct {
	D        ui.Deps
	Guard    *FakeGuard
	Sup      *FakeSupervisor
	Rep      *FakeReports
	Fleet    *FakeFleet
	Term     *FakeTerminal
	Exports  *FakeSaver
	Receipts *FakeSaver
	Disputes *FakeDisputes
}

// At is hh:mm on the tests' day.
func At(hh, mm int) time.Time { return time.Date(2026, 3, 14, hh, mm, 0, 0, time.UTC) }

// OfficeDeps is DemoDeps with the back office: four transactions (paid,
// authorized, part-refunded, yesterday's), a partial failure, two
// details, an end-of-day report, and the demo terminal's fleet.
func OfficeDeps() *Office {
	d, _, term, _ := DemoDeps()
	d.Payments = &FakePayments{}
	term.StoredReads = true
	o := &Office{Term: term, Exports: &FakeSaver{Dir: "/srv/kasse/exports"}, Receipts: &FakeSaver{Dir: "/srv/kasse/receipts"}}
	o.Guard = NewFakeGuard(func() time.Time { return Now })
	o.Rep = &FakeReports{Details: map[string]reports.Detail{}}
	o.Rep.Rows = []reports.Row{
		{SaleID: "till-1-20260314T140200-k1", Operator: "anna", Seller: "acct_1Baeckerei", SellerName: "Bäckerei Müller",
			IntentID: "pi_paid", Status: reports.StatusApproved, Amount: 1250, Currency: "eur", Card: pos.Card{Brand: "visa", Last4: "4242"},
			Created: At(14, 2), RefundedKnown: true},
		{Seller: "acct_1Taco", SellerName: "Taco Loco", IntentID: "pi_auth", Status: reports.StatusAuthorized, Amount: 2000, Currency: "usd",
			Card: pos.Card{Brand: "mastercard", Last4: "4444"}, Created: At(13, 30), RefundedKnown: true},
		{Seller: "acct_1Ramen", SellerName: "Ramen Ichiban", IntentID: "pi_ramen", Status: reports.StatusApproved, Amount: 1500, Currency: "jpy",
			Refunded: 500, RefundedKnown: true, Card: pos.Card{Brand: "jcb", Last4: "0005"}, Created: At(12, 15)},
		{Seller: "acct_1Taco", SellerName: "Taco Loco", IntentID: "pi_yesterday", Status: reports.StatusApproved, Amount: 900, Currency: "usd",
			Created: At(12, 0).AddDate(0, 0, -1)},
	}
	o.Rep.Partial = []error{errors.New("Blumen Schmidt (acct_1Blumen): list intents: account not connected")}
	charge := &pos.Charge{ID: "ch_paid", Amount: 1250, AmountCaptured: 1250, Captured: true, Status: "succeeded",
		Card: pos.Card{Brand: "visa", Last4: "4242"}}
	o.Rep.Details["pi_paid"] = reports.Detail{Charge: charge, Refundable: 1250,
		Intent: pos.Intent{ID: "pi_paid", Account: "acct_1Baeckerei", Status: pos.IntentSucceeded, Amount: 1250, AmountReceived: 1250,
			Currency: "eur", CaptureMethod: "automatic", Description: "Bäckerei Müller · till-1", Created: At(14, 2), LatestCharge: charge}}
	authorized := pos.Intent{ID: "pi_auth", Account: "acct_1Taco", Status: pos.IntentRequiresCapture, Amount: 2000, AmountCapturable: 2000,
		Currency: "usd", CaptureMethod: "manual", Created: At(13, 30)}
	_, refusal := pos.RefundableFromIntent(authorized)
	o.Rep.Details["pi_auth"] = reports.Detail{NotRefundable: reports.WhyNotRefundable(authorized, refusal), Intent: authorized}
	o.Rep.EOD = reports.Report{
		Sellers: []reports.SellerReport{
			{Seller: "acct_1Baeckerei", Name: "Bäckerei Müller", Currencies: []reports.Totals{{Currency: "eur", Sales: 12, Gross: 12345,
				Tips: 300, Refunds: 500, RefundCount: 1, Net: 11845, Declined: 2,
				Brands: []reports.BrandTotals{{Brand: "visa", Sales: 8, Gross: 8000}, {Brand: "mastercard", Sales: 4, Gross: 4345}}}}},
			{Seller: "acct_1Taco", Name: "Taco Loco", Currencies: []reports.Totals{{Currency: "usd", Sales: 3, Gross: 4200, Net: 4200,
				Authorized: 1, Brands: []reports.BrandTotals{{Brand: "mastercard", Sales: 3, Gross: 4200}}}}},
		},
		Totals: []reports.Totals{{Currency: "eur", Sales: 12, Gross: 12345, Tips: 300, Refunds: 500, Net: 11845},
			{Currency: "usd", Sales: 3, Gross: 4200, Net: 4200}},
	}
	o.Sup = &FakeSupervisor{Guard: o.Guard, Reports: o.Rep}
	o.Fleet = &FakeFleet{Term: term, TestResult: readers.TestResult{Passed: true, Outcome: readers.OutcomeApproved, IntentID: "pi_test",
		IntentStatus: pos.IntentCanceled, Currency: "usd", CardLast4: "4242", Simulated: true, Canceled: true,
		HandOff: Now, Elapsed: 1234 * time.Millisecond}}
	o.Disputes = DemoDisputes(o.Guard)
	d.Guard, d.Supervisor, d.Reports, d.Fleet, d.Disputes = o.Guard, o.Sup, o.Rep, o.Fleet, o.Disputes
	d.Exports, d.Receipts = o.Exports, o.Receipts
	o.D = d
	return o
}

// OpenArea opens an area with f-key fkey as operator/pin from the seller
// list.
func OpenArea(t testing.TB, o *Office, fkey, operator, pin string) *Harness {
	t.Helper()
	h := New(t, o.D)
	h.Keys(fkey)
	h.MustBeOn("… — PIN")
	h.Keys("ctrl+u", "text:"+operator, "tab", "text:"+pin, "enter")
	return h
}

// UsableAt80x24 checks the screen on top at 80×24: drawn (not "too
// small"), exactly 24 lines of at most 80 columns, holding want; and that
// one column or one line below its minimum it says so with both sizes. It
// restores 100×30.
func UsableAt80x24(t *testing.T, h *Harness, name string, want ...string) {
	t.Helper()
	defer h.Resize(100, 30)
	h.Resize(80, 24)
	v := h.View()
	minW, minH := h.Top().MinSize()
	if minW > 80 || minH > 24 || strings.Contains(v, "Terminal too small") {
		t.Errorf("%s: too small at 80×24 (needs %d×%d)", name, minW, minH)
		return
	}
	lines := strings.Split(v, "\n")
	if len(lines) != 24 {
		t.Errorf("%s: %d lines at 80×24", name, len(lines))
	}
	for i, l := range lines {
		if lipgloss.Width(l) > 80 {
			t.Errorf("%s: line %d is %d wide", name, i+1, lipgloss.Width(l))
		}
	}
	for _, s := range want {
		if !strings.Contains(v, s) {
			t.Errorf("%s at 80×24 lacks %q:\n%s", name, s, v)
		}
	}
	for _, sz := range [][2]int{{minW - 1, minH}, {minW, minH - 1}} {
		h.Resize(sz[0], sz[1])
		want := fmt.Sprintf("This screen needs at least %d×%d; the terminal is %d×%d.", minW, minH, sz[0], sz[1])
		if v := h.View(); !strings.Contains(strings.Join(strings.Fields(v), " "), want) {
			t.Errorf("%s at %d×%d does not say it is too small:\n%s", name, sz[0], sz[1], v)
		}
	}
}
