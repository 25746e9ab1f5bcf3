package ui

import (
	"errors"
	"strings"
	"testing"
	"time"

	"kasse/pos"
	"kasse/readers"
	"kasse/reports"
)

// office is a console with the whole back office faked.
type office struct {
	d        Deps
	guard    *fakeGuard
	sup      *fakeSupervisor
	rep      *fakeReports
	fleet    *fakeFleet
	term     *fakeTerminal
	exports  *fakeSaver
	receipts *fakeSaver
}

func at(hh, mm int) time.Time { return time.Date(2026, 3, 14, hh, mm, 0, 0, time.UTC) }

func officeDeps() *office {
	d, _, term, _ := demoDeps()
	d.Payments = &fakePayments{}
	term.storedReads = true
	o := &office{term: term, exports: &fakeSaver{dir: "/srv/kasse/exports"}, receipts: &fakeSaver{dir: "/srv/kasse/receipts"}}
	o.guard = newFakeGuard(func() time.Time { return testNow })
	o.rep = &fakeReports{details: map[string]reports.Detail{}}
	o.rep.rows = []reports.Row{
		{SaleID: "till-1-20260314T140200-k1", Operator: "anna", Seller: "acct_1Baeckerei", SellerName: "Bäckerei Müller",
			IntentID: "pi_paid", Status: reports.StatusApproved, Amount: 1250, Currency: "eur", Card: pos.Card{Brand: "visa", Last4: "4242"},
			Created: at(14, 2), RefundedKnown: true},
		{Seller: "acct_1Taco", SellerName: "Taco Loco", IntentID: "pi_auth", Status: reports.StatusAuthorized, Amount: 2000, Currency: "usd",
			Card: pos.Card{Brand: "mastercard", Last4: "4444"}, Created: at(13, 30), RefundedKnown: true},
		{Seller: "acct_1Ramen", SellerName: "Ramen Ichiban", IntentID: "pi_ramen", Status: reports.StatusApproved, Amount: 1500, Currency: "jpy",
			Refunded: 500, RefundedKnown: true, Card: pos.Card{Brand: "jcb", Last4: "0005"}, Created: at(12, 15)},
		{Seller: "acct_1Taco", SellerName: "Taco Loco", IntentID: "pi_yesterday", Status: reports.StatusApproved, Amount: 900, Currency: "usd",
			Created: at(12, 0).AddDate(0, 0, -1)},
	}
	o.rep.partial = []error{errors.New("Blumen Schmidt (acct_1Blumen): list intents: account not connected")}
	charge := &pos.Charge{ID: "ch_paid", Amount: 1250, AmountCaptured: 1250, Captured: true, Status: "succeeded",
		Card: pos.Card{Brand: "visa", Last4: "4242"}}
	o.rep.details["pi_paid"] = reports.Detail{Charge: charge, Refundable: 1250,
		Intent: pos.Intent{ID: "pi_paid", Account: "acct_1Baeckerei", Status: pos.IntentSucceeded, Amount: 1250, AmountReceived: 1250,
			Currency: "eur", CaptureMethod: "automatic", Description: "Bäckerei Müller · till-1", Created: at(14, 2), LatestCharge: charge}}
	o.rep.details["pi_auth"] = reports.Detail{NotRefundable: "payment pi_auth is authorized but not captured",
		Intent: pos.Intent{ID: "pi_auth", Account: "acct_1Taco", Status: pos.IntentRequiresCapture, Amount: 2000, AmountCapturable: 2000,
			Currency: "usd", CaptureMethod: "manual", Created: at(13, 30)}}
	o.rep.eod = reports.Report{
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
	o.sup = &fakeSupervisor{guard: o.guard, reports: o.rep}
	o.fleet = &fakeFleet{term: term, testResult: readers.TestResult{Passed: true, Outcome: readers.OutcomeApproved, IntentID: "pi_test",
		IntentStatus: pos.IntentCanceled, Currency: "usd", CardLast4: "4242", Simulated: true, Canceled: true,
		HandOff: testNow, Elapsed: 1234 * time.Millisecond}}
	d.Guard, d.Supervisor, d.Reports, d.Fleet = o.guard, o.sup, o.rep, o.fleet
	d.Exports, d.Receipts = o.exports, o.receipts
	o.d = d
	return o
}

// openArea opens area with f-key fkey as operator/pin from the seller list.
func openArea(t *testing.T, o *office, fkey, operator, pin string) *harness {
	t.Helper()
	h := newHarness(t, o.d)
	h.keys(fkey)
	if _, ok := h.m.current().(*pinScreen); !ok {
		t.Fatalf("%s did not open a PIN prompt:\n%s", fkey, h.view())
	}
	h.keys("ctrl+u", "text:"+operator, "tab", "text:"+pin, "enter")
	return h
}

func TestMenuListsAreasAndOpensThePINPrompt(t *testing.T) {
	o := officeDeps()
	h := newHarness(t, o.d)
	h.keys("f9")
	h.contains("Back office", "Signed in: anna (cashier) @ till-1", "Transactions", "supervisor PIN", "technician PIN")
	h.golden("menu")
	h.keys("down", "down", "enter")
	p, ok := h.m.current().(*pinScreen)
	if !ok || p.area != AreaReaders {
		t.Fatalf("enter on Readers did not ask for a PIN:\n%s", h.view())
	}
	// A cashier is signed in: the technician types their own name.
	if p.op.value != "" || p.form.current() != p.op {
		t.Errorf("operator field = %q, focus on operator %v", p.op.value, p.form.current() == p.op)
	}
	h.keys("text:tom", "tab", "text:1357", "enter")
	if _, ok := h.m.current().(*fleetScreen); !ok {
		t.Fatalf("the right PIN did not open Readers:\n%s", h.view())
	}
	h.contains("Readers · opened by tom")
	h.keys("esc") // back to the menu
	if _, ok := h.m.current().(*menuScreen); !ok {
		t.Fatalf("esc did not return to the menu")
	}
	h.keys("esc")
	if len(h.m.stack) != 0 || h.m.sh.approver != "" {
		t.Fatalf("esc did not leave the back office (stack %d, approver %q)", len(h.m.stack), h.m.sh.approver)
	}
	h.contains("Choose a seller", "no seller")
}

func TestPINPromptPrefillsASupervisorSignedIn(t *testing.T) {
	o := officeDeps()
	o.d.Operator, o.d.Role = "bea", RoleSupervisor
	h := newHarness(t, o.d)
	h.keys("f2")
	p := h.m.current().(*pinScreen)
	if p.op.value != "bea" || p.form.current() != p.pin {
		t.Fatalf("operator %q, focus on PIN %v", p.op.value, p.form.current() == p.pin)
	}
	h.golden("pin_prompt")
	h.keys("text:2468", "enter")
	if _, ok := h.m.current().(*txScreen); !ok {
		t.Fatalf("not in Transactions:\n%s", h.view())
	}
}

func TestWrongPINCountsDownThenLocks(t *testing.T) {
	o := officeDeps()
	h := newHarness(t, o.d)
	h.keys("f2", "text:bea", "tab", "text:9999", "enter")
	p := h.m.current().(*pinScreen)
	h.contains("wrong PIN, 2 tries left")
	if p.pin.value != "" {
		t.Fatalf("the PIN stayed in the model after the check: %q", p.pin.value)
	}
	h.lacks("9999")
	h.keys("text:8888", "enter")
	h.contains("wrong PIN, 1 tries left")
	h.keys("text:7777", "enter")
	h.contains("locked out until 15:24")
	h.golden("pin_locked")
	// Even the right PIN is refused while locked.
	h.keys("text:2468", "enter")
	h.contains("locked out until 15:24")
	if _, ok := h.m.current().(*pinScreen); !ok {
		t.Fatal("a locked operator got in")
	}
	if got := len(o.guard.calls); got != 4 {
		t.Errorf("guard checked %d times, want 4: %v", got, o.guard.calls)
	}
}

func TestPINPromptRefusesTheWrongRoleAndEmptyFields(t *testing.T) {
	o := officeDeps()
	h := newHarness(t, o.d)
	h.keys("f2", "enter")
	h.contains("Type the operator's name first.")
	h.keys("text:tom", "enter")
	h.contains("Type the PIN.")
	h.keys("text:1357", "enter")
	h.contains("tom is a tech; this needs a supervisor")
	if len(o.guard.calls) != 1 {
		t.Errorf("guard calls = %v, want one (empty fields are refused locally)", o.guard.calls)
	}
}

func TestPINCheckFailureIsNotAPINError(t *testing.T) {
	o := officeDeps()
	o.guard.err = errors.New("journal: database is locked")
	h := openArea(t, o, "f2", "bea", "2468")
	h.contains("The PIN could not be checked: journal: database is locked")
}

func TestBackOfficeOpensFromTheSellerListOnly(t *testing.T) {
	o := officeDeps()
	h := atRegister(t, o.d, "bäck")
	h.keys("f2")
	if len(h.m.stack) != 0 {
		t.Fatal("f2 opened the back office over the register")
	}
	h.contains("The back office opens from the seller list")
}

func TestMissingServicesAreRefused(t *testing.T) {
	o := officeDeps()
	o.d.Fleet = nil
	h := newHarness(t, o.d)
	h.keys("f4")
	if len(h.m.stack) != 0 {
		t.Fatal("Readers opened without a Fleet")
	}
	h.contains("Reader management is not set up on this console.")
	if err := (Deps{Sellers: o.d.Sellers, Terminal: o.d.Terminal, Payments: o.d.Payments, Runner: &recordingRunner{},
		Mode: ModeSandbox, Reports: o.rep}).Validate(); err == nil || !strings.Contains(err.Error(), "needs a Guard") {
		t.Errorf("Validate without a Guard = %v", err)
	}
}

func TestHeaderShowsTheRole(t *testing.T) {
	o := officeDeps()
	o.d.Role = RoleCashier
	h := newHarness(t, o.d)
	h.contains("anna (cashier) @ till-1")
	if err := (Deps{Role: "boss"}).Validate(); err == nil || !strings.Contains(err.Error(), `role "boss"`) {
		t.Errorf("Validate(role boss) = %v", err)
	}
}

// TestBackOfficeScreensHaveHelp walks every back-office screen: each has
// a short help line, and `?` shows all keys where it is not typed text.
func TestBackOfficeScreensHaveHelp(t *testing.T) {
	o := officeDeps()
	h := inTransactions(t, o)
	lastLine := func() string {
		ls := strings.Split(h.view(), "\n")
		return ls[len(ls)-1]
	}
	check := func(stage string, fullHelp ...string) {
		t.Helper()
		if l := strings.TrimSpace(lastLine()); l == "" || !strings.Contains(l, "esc") && !strings.Contains(l, "?") {
			t.Errorf("%s: help line %q", stage, l)
		}
		if len(fullHelp) > 0 {
			h.keys("?")
			h.contains(fullHelp...)
			h.keys("esc")
		}
	}
	check("transactions", "Keys — Transactions", "filters", "transactions", "readers")
	openTx(t, h, "pi_paid")
	check("detail", "Keys — Payment pi_paid", "refund", "void", "capture")
	h.keys("r")
	check("refund form")
	h.keys("esc", "esc", "esc")
	h.keys("f3", "text:bea", "tab", "text:2468", "enter")
	check("end of day", "Keys — End of day", "export CSV", "export text")
	h.keys("f4", "text:tom", "tab", "text:1357", "enter")
	check("readers", "Keys — Readers", "pair reader")
	h.keys("enter")
	check("reader", "test payment", "display test", "diagnostics", "metadata", "move?")
	for _, k := range []string{"n", "m", "d", "t"} {
		h.keys(k)
		check("reader form " + k)
		h.keys("esc")
	}
	h.keys("esc", "p")
	check("pair")
}
