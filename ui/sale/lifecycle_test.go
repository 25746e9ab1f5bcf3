package sale_test

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"kasse/checkout"
	"kasse/i18n"
	"kasse/pos"
	"kasse/ui"
	"kasse/ui/internal/uitest"
	"kasse/ui/sale"
)

// Issue 10, finding 4: ctrl+c during a payment asks — cancel it, keep it,
// or stay — and a cancel clears the reader (compare before cancel), then
// the intent, and only then quits. On today's main a second ctrl+c quit
// with the intent open and the reader primed.
func TestQuitMidSaleAsksThenCancelsBeforeQuitting(t *testing.T) {
	f := uitest.Charging(t, nil)
	h := f.H
	h.Keys("ctrl+c")
	if h.Quit {
		t.Fatal("ctrl+c quit during a payment without asking")
	}
	h.Contains("Quit while a payment is under way?", "€5.70 at Bäckerei Müller is waiting for the customer's card",
		"cancel it (the reader first, if it still shows it), then quit", "keep it open and quit")
	h.Golden("quit_ask")
	h.Send(tea.WindowSizeMsg{Width: 80, Height: 24}) // the smallest size every screen keeps usable
	h.Contains("Quit while a payment is under way?", "then quit", "keep it open and quit", "stay")
	h.Send(tea.WindowSizeMsg{Width: 100, Height: 30})
	f.Term.Reads = []uitest.ReaderAnswer{{R: uitest.Waiting("pi_1")}}
	h.Keys("c")
	if !h.Quit {
		t.Fatalf("not quit after the cancel:\n%s", h.View())
	}
	ca := f.Term.CallsOf("CancelAction")
	if len(ca) != 1 || ca[0].ID != "tmr_front" {
		t.Fatalf("cancel_action calls = %+v", ca)
	}
	var cancels []uitest.Call
	for _, c := range f.Pay.Calls() {
		if c.Op == "CancelIntent" {
			cancels = append(cancels, c)
		}
	}
	if len(cancels) != 1 || cancels[0].ID != "pi_1" || cancels[0].Arg != "abandoned" {
		t.Fatalf("intent cancels = %+v", cancels)
	}
	if reads := f.Term.CallsOf("GetReader"); len(reads) == 0 {
		t.Fatal("the reader was not read before cancel_action")
	}
	if st := payment(h).Sale().State; st != pos.SaleCanceled {
		t.Fatalf("sale %s when quitting", st)
	}
}

// Compare before cancel: a reader that serves another payment by now is
// left alone; the intent is still canceled before the console quits.
func TestQuitMidSaleLeavesAReaderServingAnotherPayment(t *testing.T) {
	f := uitest.Charging(t, nil)
	f.Term.Reads = []uitest.ReaderAnswer{{R: uitest.Waiting("pi_other")}}
	f.H.Keys("ctrl+c", "c")
	if !f.H.Quit || len(f.Term.CallsOf("CancelAction")) != 0 {
		t.Fatalf("quit %v, cancel_action %d", f.H.Quit, len(f.Term.CallsOf("CancelAction")))
	}
	if got := strings.Join(f.Pay.Ops(), ","); got != "CreateIntent,CancelIntent" {
		t.Fatalf("payments calls = %s", got)
	}
}

func TestQuitMidSaleCanKeepTheSaleOrStay(t *testing.T) {
	j := &uitest.MemJournal{}
	f := uitest.Charging(t, func(d *ui.Deps) {
		d.Runner = &checkout.Runner{Terminal: d.Terminal, Payments: d.Payments, Presenter: d.Presenter, Journal: j}
	})
	h := f.H
	h.Keys("ctrl+c", "esc")
	if h.Quit || h.M.Asking() != "" || payment(h).Sale().State != pos.SaleWaitingForCard {
		t.Fatalf("esc: quit %v dialog %v state %s", h.Quit, h.M.Asking() != "", payment(h).Sale().State)
	}
	h.Keys("ctrl+c", "k")
	if !h.Quit {
		t.Fatal("k did not quit")
	}
	if n := len(f.Term.CallsOf("CancelAction")); n != 0 || strings.Contains(strings.Join(f.Pay.Ops(), ","), "Cancel") {
		t.Fatalf("keeping the sale canceled something: %v %v", f.Term.Ops(), f.Pay.Ops())
	}
	// The journal holds it open, for the next start to offer.
	if s, ok := j.Last(payment(h).Sale().ID); !ok || s.State != pos.SaleWaitingForCard {
		t.Fatalf("journal: %v %s", ok, s.State)
	}
}

// A cancel that cannot finish (Stripe unreachable) does not trap the
// cashier: ctrl+c again quits at once, the sale stays open.
func TestQuitWhileCancelingSecondCtrlCQuits(t *testing.T) {
	f := uitest.Charging(t, nil)
	f.Term.Reads = []uitest.ReaderAnswer{{Err: &pos.Error{Kind: pos.KindUnknown, Message: "connection reset"}}}
	f.H.Keys("ctrl+c", "c")
	if f.H.Quit || !flowOf(f.H).Quitting() {
		t.Fatalf("quit %v quitting %v", f.H.Quit, flowOf(f.H).Quitting())
	}
	f.H.Contains("Canceling the payment, then quitting")
	f.H.Keys("ctrl+c")
	if !f.H.Quit {
		t.Fatal("second ctrl+c did not quit")
	}
}

// Approved while the cancel ran: the sale is kept, the receipt shows, the
// console stays.
func TestQuitCancelLosesTheRaceToApproval(t *testing.T) {
	f := uitest.Charging(t, nil)
	f.Term.Reads = []uitest.ReaderAnswer{{R: uitest.Approved("pi_1", 570, nil)}}
	f.H.Keys("ctrl+c", "c")
	if f.H.Quit {
		t.Fatal("quit after the payment was approved")
	}
	if !f.H.On("Receipt") {
		t.Fatalf("on %q:\n%s", f.H.Top().Title(), f.H.View())
	}
	f.H.Contains("approved before it could be canceled")
	if n := len(f.Term.CallsOf("CancelAction")); n != 0 {
		t.Fatalf("an approved payment's reader was canceled (%d)", n)
	}
}

// The cart stays on the reader's display after quitting (issue 10): quit
// takes it off — only while the reader still shows this cart.
func TestQuitClearsTheCartFromTheReader(t *testing.T) {
	d, term := uitest.RegisterDeps()
	h := uitest.AtRegister(t, d, "bäck")
	h.Keys("c", "k")
	h.Fire(sale.DisplayTick{})
	shown := reg(h).Sale().Cart.DisplayCart()
	if len(term.CallsOf("SetDisplay")) != 1 {
		t.Fatalf("display calls %v", term.Ops())
	}
	term.Reads = []uitest.ReaderAnswer{{R: pos.Reader{ID: "tmr_front", Status: "online",
		Action: &pos.ReaderAction{Type: pos.ActionSetReaderDisplay, Status: pos.ActionInProgress, Display: &shown}}}}
	h.Keys("ctrl+c")
	if !h.Quit {
		t.Fatal("did not quit")
	}
	ca := term.CallsOf("CancelAction")
	if len(ca) != 1 || ca[0].ID != "tmr_front" || !strings.Contains(ca[0].IdemKey, "clear-display") {
		t.Fatalf("cancel_action = %+v (calls %v)", ca, term.Ops())
	}

	// Another cart replaced ours: quit leaves the reader alone.
	d2, term2 := uitest.RegisterDeps()
	h2 := uitest.AtRegister(t, d2, "bäck")
	h2.Keys("c")
	h2.Fire(sale.DisplayTick{})
	other := pos.DisplayCart{Currency: "eur", Lines: []pos.CartLine{{Description: "Tea", Quantity: 1, Amount: 300}}, Total: 300}
	term2.Reads = []uitest.ReaderAnswer{{R: pos.Reader{ID: "tmr_front", Status: "online",
		Action: &pos.ReaderAction{Type: pos.ActionSetReaderDisplay, Status: pos.ActionInProgress, Display: &other}}}}
	h2.Keys("ctrl+c")
	if !h2.Quit || len(term2.CallsOf("CancelAction")) != 0 {
		t.Fatalf("quit %v, cancel_action %v", h2.Quit, term2.CallsOf("CancelAction"))
	}

	// Nothing shown: quit at once, no request.
	d3, term3 := uitest.RegisterDeps()
	h3 := uitest.AtRegister(t, d3, "bäck")
	before := len(term3.Calls())
	h3.Keys("ctrl+c")
	if !h3.Quit || len(term3.Calls()) != before {
		t.Fatalf("quit %v, calls %v", h3.Quit, term3.Ops()[before:])
	}
}

// offeredSale is a sale of a console that stopped while the reader waited
// for the card, as reconciliation hands it over at start.
func offeredSale() pos.Sale {
	s, _ := pos.NewSale(pos.SaleConfig{ID: "till-1-20260314T140200-k9", Seller: "acct_1Baeckerei", ReaderOwner: pos.Platform,
		ReaderID: "tmr_front", LocationID: "tml_baeckerei", Currency: "eur", Origin: pos.OriginConsole}, uitest.Now.Add(-time.Hour))
	s.Cart, _ = s.Cart.Add(pos.Line{Description: "Cake", Quantity: 1, UnitPrice: 1250})
	s.State, s.IntentID, s.IntentStatus, s.Amount, s.Attempt = pos.SaleWaitingForCard, "pi_open", pos.IntentRequiresPaymentMethod, 1250, 1
	s.ChargedAt = uitest.Now.Add(-time.Hour)
	return s
}

// Issue 10, finding 4 (after a restart): an open sale found at start is
// offered before anything else; resume opens its live view, polling the
// reader, with its seller's register behind it.
func TestOpenSaleAtStartIsOfferedAndResumed(t *testing.T) {
	d, _ := uitest.RegisterDeps()
	pay := d.Payments.(*uitest.FakePayments)
	term := d.Terminal.(*uitest.FakeTerminal)
	d.Offers = []pos.Sale{offeredSale()}
	h := uitest.New(t, d)
	h.Contains("An unfinished sale was found", "€12.50 at Bäckerei Müller is waiting", "rung up Mar 14 14:09", "waiting for the",
		"till-1-20260314T140200-k9", "pi_open", "resume it", "cancel it")
	h.Golden("offer_at_start")
	h.Send(tea.WindowSizeMsg{Width: 80, Height: 24})
	h.Contains("An unfinished sale was found", "resume it", "cancel it")
	h.Send(tea.WindowSizeMsg{Width: 100, Height: 30})
	h.Keys("text:xyz") // nothing but the answer gets through
	if h.M.Asking() == "" || sellersOf(h).List().Query() != "" {
		t.Fatal("the offer let keys through")
	}
	term.Reads = []uitest.ReaderAnswer{{R: uitest.Waiting("pi_open")}}
	h.Keys("enter")
	if !h.On("Payment") || payment(h) == nil || payment(h).Sale().ID != "till-1-20260314T140200-k9" {
		t.Fatalf("on %q:\n%s", h.Top().Title(), h.View())
	}
	if reads := term.CallsOf("GetReader"); len(reads) < 2 { // the offer's reader lookup, then the live view's poll
		t.Fatalf("reader reads %d", len(reads))
	}
	h.Contains("Payment · €12.50 · Bäckerei Müller", "Waiting for the customer's card on Front counter", "pi_open")
	if h.M.Asking() != "" || payment(h).Sale().State != pos.SaleWaitingForCard {
		t.Fatalf("dialog %v state %s", h.M.Asking() != "", payment(h).Sale().State)
	}
	// The customer pays; the receipt, then that seller's register.
	term.Reads = []uitest.ReaderAnswer{{R: uitest.Approved("pi_open", 1250, nil)}}
	pay.Intents = map[string]pos.Intent{"pi_open": {ID: "pi_open", Status: pos.IntentSucceeded, Amount: 1250, Currency: "eur"}}
	h.Fire(sale.SaleTick{})
	if !h.On("Receipt") {
		t.Fatalf("not approved:\n%s", h.View())
	}
	h.Keys("enter")
	if !h.On("Register") || reg(h).Seller().ID != "acct_1Baeckerei" {
		t.Fatalf("after the receipt: on %q", h.Top().Title())
	}
	if strings.Contains(strings.Join(pay.Ops(), ","), "CreateIntent") {
		t.Fatal("resuming created a new intent")
	}
}

func TestOpenSaleAtStartCanBeCanceled(t *testing.T) {
	d, _ := uitest.RegisterDeps()
	pay := d.Payments.(*uitest.FakePayments)
	term := d.Terminal.(*uitest.FakeTerminal)
	two := offeredSale()
	two.ID, two.IntentID = "till-1-20260314T140500-k10", "pi_open2"
	d.Offers = []pos.Sale{offeredSale(), two}
	h := uitest.New(t, d)
	h.Contains("An unfinished sale was found (1 of 2)")
	term.Reads = []uitest.ReaderAnswer{{R: uitest.Waiting("pi_open")}}
	h.Keys("c")
	if ca := term.CallsOf("CancelAction"); len(ca) != 1 {
		t.Fatalf("cancel_action %+v", ca)
	}
	if payment(h).Sale().State != pos.SaleCanceled || pay.Intent("pi_open").Status != pos.IntentCanceled {
		t.Fatalf("sale %s intent %+v", payment(h).Sale().State, pay.Intents["pi_open"])
	}
	h.Contains("Canceled — nothing was charged.")
	if h.M.Asking() != "" {
		t.Fatal("the next offer covers the canceled sale's view")
	}
	h.Keys("enter") // back to the register: the second sale is offered now
	h.Contains("An unfinished sale was found", "pi_open2")
}

// Changing seller drops the cart: ask first (issue 10).
func TestChangingSellerAsksBeforeDroppingTheCart(t *testing.T) {
	d, term := uitest.RegisterDeps()
	h := uitest.AtRegister(t, d, "bäck")
	h.Keys("c", "k")
	h.Fire(sale.DisplayTick{})
	h.Keys("esc", "esc", "esc") // register → readers → locations → sellers
	if !h.On("Choose a seller") {
		t.Fatalf("on %q", h.Top().Title())
	}
	h.Keys("ctrl+u", "text:taco", "enter")
	h.Contains("Drop the cart?", "Bäckerei Müller (2 lines, €5.70)", "starts with an empty register")
	h.Keys("n")
	if !h.On("Choose a seller") || len(reg(h).Cart().Lines) != 2 {
		t.Fatalf("n: on %q lines %d", h.Top().Title(), len(reg(h).Cart().Lines))
	}
	shown := reg(h).Sale().Cart.DisplayCart()
	term.Reads = []uitest.ReaderAnswer{{R: pos.Reader{ID: "tmr_front", Status: "online",
		Action: &pos.ReaderAction{Type: pos.ActionSetReaderDisplay, Status: pos.ActionInProgress, Display: &shown}}}}
	h.Keys("enter", "y")
	if !h.On("Choose a location…") || reg(h) != nil {
		t.Fatalf("y: on %q register %v", h.Top().Title(), reg(h) != nil)
	}
	if ca := term.CallsOf("CancelAction"); len(ca) != 1 || ca[0].ID != "tmr_front" {
		t.Fatalf("the dropped cart stayed on the reader: %+v", ca)
	}
	h.Keys("enter", "enter")
	if !h.On("Register") || len(reg(h).Cart().Lines) != 0 || reg(h).Seller().ID != "acct_1Taco" {
		t.Fatalf("Taco's register: on %q", h.Top().Title())
	}

	// The same seller again keeps the cart without asking.
	h.Keys("text:7", "+", "esc", "esc", "esc", "ctrl+u", "text:taco", "enter")
	if h.M.Asking() != "" || !h.On("Choose a location…") {
		t.Fatalf("asked for the same seller:\n%s", h.View())
	}
}

// A reader at another seller's location can be charged without warning
// (issue 10): choosing such a location warns and asks.
func TestLocationOfAnotherSellerWarns(t *testing.T) {
	d, _, term, _ := uitest.DemoDeps()
	d.Payments = &uitest.FakePayments{}
	s := d.Sellers.(*uitest.FakeSellers)
	s.Sellers = append(s.Sellers, pos.Seller{ID: "acct_1TacoEx", DisplayName: "Taco Loco Express", Country: "US", Currency: "usd",
		CardPayments: "active", ChargesEnabled: true})
	term.Locations[pos.Platform] = append(term.Locations[pos.Platform],
		pos.Location{ID: "tml_tacoex", DisplayName: "Taco Loco Express – Airport", Address: pos.Address{City: "Austin", Country: "US"}})
	term.Readers[pos.Platform] = append(term.Readers[pos.Platform],
		pos.Reader{ID: "tmr_tacoex", Label: "Airport till", Status: "online", LocationID: "tml_tacoex"})
	h := uitest.New(t, d)
	h.Keys("text:taco loco", "down") // Taco Loco, not Express
	if sel, _ := sellersOf(h).List().Selected(); sel.ID != "acct_1Taco" {
		h.Keys("up")
	}
	h.Keys("enter")
	h.Keys("text:airport", "enter")
	h.Contains("Another seller's location?", "Taco Loco Express – Airport looks like a location of Taco Loco Express", "not of Taco Loco")
	h.Keys("n")
	if !h.On("Choose a location…") {
		t.Fatalf("n: on %q", h.Top().Title())
	}
	h.Keys("enter", "y")
	if !h.On("Choose a reader…") {
		t.Fatalf("y: on %q", h.Top().Title())
	}
	// Its own location: no question.
	h.Keys("esc", "ctrl+u", "text:1 main", "enter")
	if h.M.Asking() != "" || !h.On("Choose a reader…") {
		t.Fatalf("asked about the seller's own location:\n%s", h.View())
	}
}

type fakeLog struct {
	entries []ui.LogEntry
	calls   int
}

func (f *fakeLog) ReconcileLog(_ context.Context, limit int) ([]ui.LogEntry, error) {
	f.calls++
	return f.entries[:min(limit, len(f.entries))], nil
}

// The reconcile notice shows only what this start settled, at most a few
// lines; everything (this start's and earlier ones') is in the reconcile
// log, ctrl+l from the seller list.
func TestReconcileNoticeAndLog(t *testing.T) {
	d, _, _, _ := uitest.DemoDeps()
	for i := range 6 {
		d.Reconciled = append(d.Reconciled, pos.Sale{ID: "till-1-s" + string(rune('a'+i)), State: pos.SaleCanceled,
			Amount: 100, Currency: "usd", IntentID: "pi_r" + string(rune('a'+i))})
	}
	d.Unsettled = []i18n.Message{checkout.Reconciled{Sale: pos.Sale{ID: "till-1-sx", State: pos.SaleWaitingForCard, Currency: "usd"},
		Was: pos.SaleWaitingForCard, InUse: true}.LineMessage()}
	log := &fakeLog{}
	for i := range 40 {
		log.entries = append(log.entries, ui.LogEntry{At: uitest.Now.Add(-time.Duration(i) * time.Hour), Who: "anna", Console: "till-1",
			Text: "sale till-1-old" + strings.Repeat("x", i%3) + ": waiting_for_card → canceled · 1.00 USD"})
	}
	d.ReconcileLog = log
	h := uitest.New(t, d)
	h.Contains("Reconciled 6 unfinished sales at start, 1 not settled:", "not settled: till-1-sx", "till-1-sa → canceled",
		"… and 3 more: ctrl+l shows them in the reconcile log")
	h.Lacks("till-1-se →")
	h.Golden("sellers_reconciled_more")
	h.Keys("ctrl+l")
	if log.calls != 1 || len(h.M.Screens()) != 2 {
		t.Fatalf("log calls %d screens %d", log.calls, len(h.M.Screens()))
	}
	h.Contains("Reconcile log", "40 lines", "till-1 · anna", "sale till-1-old: waiting_for_card → canceled")
	h.Golden("reconcile_log")
	h.Keys("pgdown")
	h.Keys("esc")
	if len(h.M.Screens()) != 1 || !h.On("Choose a seller") {
		t.Fatalf("esc: screens %d, on %q", len(h.M.Screens()), h.Top().Title())
	}
	h.Keys("esc") // dismiss the notice
	h.Lacks("Reconciled")
	h.Keys("?")
	h.Contains("ctrl+l", "reconcile log")
}

// Clearing the register (ctrl+x, confirmed) or removing its last line takes
// the cart off the reader, when the reader still shows it: the next
// customer never sees the last one's cart.
func TestClearedCartLeavesTheReader(t *testing.T) {
	for _, c := range []struct {
		name string
		keys []string
	}{
		{"ctrl+x", []string{"ctrl+x", "ctrl+x"}},
		{"last line removed", []string{"up", "delete"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			d, term := uitest.RegisterDeps()
			h := uitest.AtRegister(t, d, "bäck")
			h.Keys("c")
			h.Fire(sale.DisplayTick{})
			shown := reg(h).Sale().Cart.DisplayCart()
			if len(term.CallsOf("SetDisplay")) != 1 {
				t.Fatalf("display calls %v", term.Ops())
			}
			term.Reads = []uitest.ReaderAnswer{{R: pos.Reader{ID: "tmr_front", Status: "online",
				Action: &pos.ReaderAction{Type: pos.ActionSetReaderDisplay, Status: pos.ActionInProgress, Display: &shown}}}}
			h.Keys(c.keys...)
			if n := len(reg(h).Cart().Lines); n != 0 {
				t.Fatalf("%d lines left", n)
			}
			ca := term.CallsOf("CancelAction")
			if len(ca) != 1 || ca[0].ID != "tmr_front" || !strings.Contains(ca[0].IdemKey, "clear-display") {
				t.Fatalf("cancel_action = %+v (calls %v)", ca, term.Ops())
			}
		})
	}
}
