package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"kasse/checkout"
	"kasse/pos"
)

// Issue 10, finding 4: ctrl+c during a payment asks — cancel it, keep it,
// or stay — and a cancel clears the reader (compare before cancel), then
// the intent, and only then quits. On today's main a second ctrl+c quit
// with the intent open and the reader primed.
func TestQuitMidSaleAsksThenCancelsBeforeQuitting(t *testing.T) {
	f := charging(t, nil)
	h := f.h
	h.keys("ctrl+c")
	if h.quit {
		t.Fatal("ctrl+c quit during a payment without asking")
	}
	h.contains("Quit while a payment is under way?", "5.70 EUR at Bäckerei Müller is waiting for the customer's card",
		"cancel it (the reader first, if it still shows it), then quit", "keep it open and quit")
	h.golden("quit_ask")
	h.send(tea.WindowSizeMsg{Width: 80, Height: 24}) // the smallest size every screen keeps usable
	h.contains("Quit while a payment is under way?", "then quit", "keep it open and quit", "stay")
	h.send(tea.WindowSizeMsg{Width: 100, Height: 30})
	f.term.getReader = []readerAnswer{{r: waiting("pi_1")}}
	h.keys("c")
	if !h.quit {
		t.Fatalf("not quit after the cancel:\n%s", h.view())
	}
	ca := f.term.callsOf("CancelAction")
	if len(ca) != 1 || ca[0].ID != "tmr_front" {
		t.Fatalf("cancel_action calls = %+v", ca)
	}
	var cancels []call
	for _, c := range f.pay.calls {
		if c.Op == "CancelIntent" {
			cancels = append(cancels, c)
		}
	}
	if len(cancels) != 1 || cancels[0].ID != "pi_1" || cancels[0].Arg != "abandoned" {
		t.Fatalf("intent cancels = %+v", cancels)
	}
	if reads := f.term.callsOf("GetReader"); len(reads) == 0 {
		t.Fatal("the reader was not read before cancel_action")
	}
	if st := h.m.payment.sale.State; st != pos.SaleCanceled {
		t.Fatalf("sale %s when quitting", st)
	}
}

// Compare before cancel: a reader that serves another payment by now is
// left alone; the intent is still canceled before the console quits.
func TestQuitMidSaleLeavesAReaderServingAnotherPayment(t *testing.T) {
	f := charging(t, nil)
	f.term.getReader = []readerAnswer{{r: waiting("pi_other")}}
	f.h.keys("ctrl+c", "c")
	if !f.h.quit || len(f.term.callsOf("CancelAction")) != 0 {
		t.Fatalf("quit %v, cancel_action %d", f.h.quit, len(f.term.callsOf("CancelAction")))
	}
	if got := strings.Join(f.pay.ops(), ","); got != "CreateIntent,CancelIntent" {
		t.Fatalf("payments calls = %s", got)
	}
}

func TestQuitMidSaleCanKeepTheSaleOrStay(t *testing.T) {
	f := charging(t, nil)
	h := f.h
	h.keys("ctrl+c", "esc")
	if h.quit || h.m.dialog != nil || h.m.payment.sale.State != pos.SaleWaitingForCard {
		t.Fatalf("esc: quit %v dialog %v state %s", h.quit, h.m.dialog != nil, h.m.payment.sale.State)
	}
	h.keys("ctrl+c", "k")
	if !h.quit {
		t.Fatal("k did not quit")
	}
	if n := len(f.term.callsOf("CancelAction")); n != 0 || strings.Contains(strings.Join(f.pay.ops(), ","), "Cancel") {
		t.Fatalf("keeping the sale canceled something: %v %v", f.term.ops(), f.pay.ops())
	}
	// The journal holds it open, for the next start to offer.
	j := h.m.sh.deps.Runner.(*checkout.Runner).Journal.(*memJournal)
	if s, ok := j.last(h.m.payment.sale.ID); !ok || s.State != pos.SaleWaitingForCard {
		t.Fatalf("journal: %v %s", ok, s.State)
	}
}

// A cancel that cannot finish (Stripe unreachable) does not trap the
// cashier: ctrl+c again quits at once, the sale stays open.
func TestQuitWhileCancelingSecondCtrlCQuits(t *testing.T) {
	f := charging(t, nil)
	f.term.getReader = []readerAnswer{{err: &pos.Error{Kind: pos.KindUnknown, Message: "connection reset"}}}
	f.h.keys("ctrl+c", "c")
	if f.h.quit || !f.h.m.quitting {
		t.Fatalf("quit %v quitting %v", f.h.quit, f.h.m.quitting)
	}
	f.h.contains("Canceling the payment, then quitting")
	f.h.keys("ctrl+c")
	if !f.h.quit {
		t.Fatal("second ctrl+c did not quit")
	}
}

// Approved while the cancel ran: the sale is kept, the receipt shows, the
// console stays.
func TestQuitCancelLosesTheRaceToApproval(t *testing.T) {
	f := charging(t, nil)
	f.term.getReader = []readerAnswer{{r: approved("pi_1", 570, nil)}}
	f.h.keys("ctrl+c", "c")
	if f.h.quit {
		t.Fatal("quit after the payment was approved")
	}
	if f.h.m.active != scrReceipt {
		t.Fatalf("active %d:\n%s", f.h.m.active, f.h.view())
	}
	f.h.contains("approved before it could be canceled")
	if n := len(f.term.callsOf("CancelAction")); n != 0 {
		t.Fatalf("an approved payment's reader was canceled (%d)", n)
	}
}

// The cart stays on the reader's display after quitting (issue 10): quit
// takes it off — only while the reader still shows this cart.
func TestQuitClearsTheCartFromTheReader(t *testing.T) {
	d, term := registerDeps()
	h := atRegister(t, d, "bäck")
	h.keys("c", "k")
	h.fire(displayTickMsg{})
	shown := h.m.register.sale.Cart.DisplayCart()
	if len(term.callsOf("SetDisplay")) != 1 {
		t.Fatalf("display calls %v", term.ops())
	}
	term.getReader = []readerAnswer{{r: pos.Reader{ID: "tmr_front", Status: "online",
		Action: &pos.ReaderAction{Type: pos.ActionSetReaderDisplay, Status: pos.ActionInProgress, Display: &shown}}}}
	h.keys("ctrl+c")
	if !h.quit {
		t.Fatal("did not quit")
	}
	ca := term.callsOf("CancelAction")
	if len(ca) != 1 || ca[0].ID != "tmr_front" || !strings.Contains(ca[0].IdemKey, "clear-display") {
		t.Fatalf("cancel_action = %+v (calls %v)", ca, term.ops())
	}

	// Another cart replaced ours: quit leaves the reader alone.
	d2, term2 := registerDeps()
	h2 := atRegister(t, d2, "bäck")
	h2.keys("c")
	h2.fire(displayTickMsg{})
	other := pos.DisplayCart{Currency: "eur", Lines: []pos.CartLine{{Description: "Tea", Quantity: 1, Amount: 300}}, Total: 300}
	term2.getReader = []readerAnswer{{r: pos.Reader{ID: "tmr_front", Status: "online",
		Action: &pos.ReaderAction{Type: pos.ActionSetReaderDisplay, Status: pos.ActionInProgress, Display: &other}}}}
	h2.keys("ctrl+c")
	if !h2.quit || len(term2.callsOf("CancelAction")) != 0 {
		t.Fatalf("quit %v, cancel_action %v", h2.quit, term2.callsOf("CancelAction"))
	}

	// Nothing shown: quit at once, no request.
	d3, term3 := registerDeps()
	h3 := atRegister(t, d3, "bäck")
	before := len(term3.calls)
	h3.keys("ctrl+c")
	if !h3.quit || len(term3.calls) != before {
		t.Fatalf("quit %v, calls %v", h3.quit, term3.ops()[before:])
	}
}

// offeredSale is a sale of a console that stopped while the reader waited
// for the card, as reconciliation hands it over at start.
func offeredSale() pos.Sale {
	s, _ := pos.NewSale(pos.SaleConfig{ID: "till-1-20260314T140200-k9", Seller: "acct_1Baeckerei", ReaderOwner: pos.Platform,
		ReaderID: "tmr_front", LocationID: "tml_baeckerei", Currency: "eur", Origin: pos.OriginConsole}, testNow.Add(-time.Hour))
	s.Cart, _ = s.Cart.Add(pos.Line{Description: "Cake", Quantity: 1, UnitPrice: 1250})
	s.State, s.IntentID, s.IntentStatus, s.Amount, s.Attempt = pos.SaleWaitingForCard, "pi_open", pos.IntentRequiresPaymentMethod, 1250, 1
	s.ChargedAt = testNow.Add(-time.Hour)
	return s
}

// Issue 10, finding 4 (after a restart): an open sale found at start is
// offered before anything else; resume opens its live view, polling the
// reader, with its seller's register behind it.
func TestOpenSaleAtStartIsOfferedAndResumed(t *testing.T) {
	d, _ := registerDeps()
	pay := d.Payments.(*fakePayments)
	term := d.Terminal.(*fakeTerminal)
	d.Offers = []pos.Sale{offeredSale()}
	h := newHarness(t, d)
	h.contains("An unfinished sale was found", "12.50 EUR at Bäckerei Müller, rung up Mar 14 14:09", "waiting for the",
		"till-1-20260314T140200-k9", "pi_open", "resume it", "cancel it")
	h.golden("offer_at_start")
	h.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	h.contains("An unfinished sale was found", "resume it", "cancel it")
	h.send(tea.WindowSizeMsg{Width: 100, Height: 30})
	h.keys("text:xyz") // nothing but the answer gets through
	if h.m.dialog == nil || h.m.sellers.list.query != "" {
		t.Fatal("the offer let keys through")
	}
	term.getReader = []readerAnswer{{r: waiting("pi_open")}}
	h.keys("enter")
	if h.m.active != scrPayment || h.m.payment == nil || h.m.payment.sale.ID != "till-1-20260314T140200-k9" {
		t.Fatalf("active %d:\n%s", h.m.active, h.view())
	}
	if reads := term.callsOf("GetReader"); len(reads) < 2 { // the offer's reader lookup, then the live view's poll
		t.Fatalf("reader reads %d", len(reads))
	}
	h.contains("Payment · 12.50 EUR · Bäckerei Müller", "Waiting for the customer's card on Front counter", "pi_open")
	if h.m.dialog != nil || h.m.payment.sale.State != pos.SaleWaitingForCard {
		t.Fatalf("dialog %v state %s", h.m.dialog != nil, h.m.payment.sale.State)
	}
	// The customer pays; the receipt, then that seller's register.
	term.getReader = []readerAnswer{{r: approved("pi_open", 1250, nil)}}
	pay.intents = map[string]pos.Intent{"pi_open": {ID: "pi_open", Status: pos.IntentSucceeded, Amount: 1250, Currency: "eur"}}
	h.fire(saleTickMsg{})
	if h.m.active != scrReceipt {
		t.Fatalf("not approved:\n%s", h.view())
	}
	h.keys("enter")
	if h.m.active != scrRegister || h.m.register.seller.ID != "acct_1Baeckerei" {
		t.Fatalf("after the receipt: active %d", h.m.active)
	}
	if strings.Contains(strings.Join(pay.ops(), ","), "CreateIntent") {
		t.Fatal("resuming created a new intent")
	}
}

func TestOpenSaleAtStartCanBeCanceled(t *testing.T) {
	d, _ := registerDeps()
	pay := d.Payments.(*fakePayments)
	term := d.Terminal.(*fakeTerminal)
	two := offeredSale()
	two.ID, two.IntentID = "till-1-20260314T140500-k10", "pi_open2"
	d.Offers = []pos.Sale{offeredSale(), two}
	h := newHarness(t, d)
	h.contains("An unfinished sale was found (1 of 2)")
	term.getReader = []readerAnswer{{r: waiting("pi_open")}}
	h.keys("c")
	if ca := term.callsOf("CancelAction"); len(ca) != 1 {
		t.Fatalf("cancel_action %+v", ca)
	}
	if h.m.payment.sale.State != pos.SaleCanceled || pay.intents["pi_open"].Status != pos.IntentCanceled {
		t.Fatalf("sale %s intent %+v", h.m.payment.sale.State, pay.intents["pi_open"])
	}
	h.contains("Canceled — nothing was charged.")
	if h.m.dialog != nil {
		t.Fatal("the next offer covers the canceled sale's view")
	}
	h.keys("enter") // back to the register: the second sale is offered now
	h.contains("An unfinished sale was found", "pi_open2")
}

// Changing seller drops the cart: ask first (issue 10).
func TestChangingSellerAsksBeforeDroppingTheCart(t *testing.T) {
	d, term := registerDeps()
	h := atRegister(t, d, "bäck")
	h.keys("c", "k")
	h.fire(displayTickMsg{})
	h.keys("esc", "esc", "esc") // register → readers → locations → sellers
	if h.m.active != scrSellers {
		t.Fatalf("active %d", h.m.active)
	}
	h.keys("ctrl+u", "text:taco", "enter")
	h.contains("Drop the cart?", "Bäckerei Müller (2 lines, 5.70 EUR)", "starts with an empty register")
	h.keys("n")
	if h.m.active != scrSellers || len(h.m.register.cart.Lines) != 2 {
		t.Fatalf("n: active %d lines %d", h.m.active, len(h.m.register.cart.Lines))
	}
	shown := h.m.register.sale.Cart.DisplayCart()
	term.getReader = []readerAnswer{{r: pos.Reader{ID: "tmr_front", Status: "online",
		Action: &pos.ReaderAction{Type: pos.ActionSetReaderDisplay, Status: pos.ActionInProgress, Display: &shown}}}}
	h.keys("enter", "y")
	if h.m.active != scrLocations || h.m.register != nil {
		t.Fatalf("y: active %d register %v", h.m.active, h.m.register != nil)
	}
	if ca := term.callsOf("CancelAction"); len(ca) != 1 || ca[0].ID != "tmr_front" {
		t.Fatalf("the dropped cart stayed on the reader: %+v", ca)
	}
	h.keys("enter", "enter")
	if h.m.active != scrRegister || len(h.m.register.cart.Lines) != 0 || h.m.register.seller.ID != "acct_1Taco" {
		t.Fatalf("Taco's register: active %d", h.m.active)
	}

	// The same seller again keeps the cart without asking.
	h.keys("text:7", "+", "esc", "esc", "esc", "ctrl+u", "text:taco", "enter")
	if h.m.dialog != nil || h.m.active != scrLocations {
		t.Fatalf("asked for the same seller:\n%s", h.view())
	}
}

// A reader at another seller's location can be charged without warning
// (issue 10): choosing such a location warns and asks.
func TestLocationOfAnotherSellerWarns(t *testing.T) {
	d, _, term, _ := demoDeps()
	d.Payments = &fakePayments{}
	s := d.Sellers.(*fakeSellers)
	s.sellers = append(s.sellers, pos.Seller{ID: "acct_1TacoEx", DisplayName: "Taco Loco Express", Country: "US", Currency: "usd",
		CardPayments: "active", ChargesEnabled: true})
	term.locations[pos.Platform] = append(term.locations[pos.Platform],
		pos.Location{ID: "tml_tacoex", DisplayName: "Taco Loco Express – Airport", Address: pos.Address{City: "Austin", Country: "US"}})
	term.readers[pos.Platform] = append(term.readers[pos.Platform],
		pos.Reader{ID: "tmr_tacoex", Label: "Airport till", Status: "online", LocationID: "tml_tacoex"})
	h := newHarness(t, d)
	h.keys("text:taco loco", "down") // Taco Loco, not Express
	if sel, _ := h.m.sellers.list.selected(); sel.ID != "acct_1Taco" {
		h.keys("up")
	}
	h.keys("enter")
	h.keys("text:airport", "enter")
	h.contains("Another seller's location?", "Taco Loco Express – Airport looks like a location of Taco Loco Express", "not of Taco Loco")
	h.keys("n")
	if h.m.active != scrLocations {
		t.Fatalf("n: active %d", h.m.active)
	}
	h.keys("enter", "y")
	if h.m.active != scrReaders {
		t.Fatalf("y: active %d", h.m.active)
	}
	// Its own location: no question.
	h.keys("esc", "ctrl+u", "text:1 main", "enter")
	if h.m.dialog != nil || h.m.active != scrReaders {
		t.Fatalf("asked about the seller's own location:\n%s", h.view())
	}
}

type fakeLog struct {
	entries []LogEntry
	calls   int
}

func (f *fakeLog) ReconcileLog(_ context.Context, limit int) ([]LogEntry, error) {
	f.calls++
	return f.entries[:min(limit, len(f.entries))], nil
}

// The reconcile notice shows only what this start settled, at most a few
// lines; everything (this start's and earlier ones') is in the reconcile
// log, ctrl+l from the seller list.
func TestReconcileNoticeAndLog(t *testing.T) {
	d, _, _, _ := demoDeps()
	for i := range 6 {
		d.Reconciled = append(d.Reconciled, pos.Sale{ID: "till-1-s" + string(rune('a'+i)), State: pos.SaleCanceled,
			Amount: 100, Currency: "usd", IntentID: "pi_r" + string(rune('a'+i))})
	}
	d.Unsettled = []string{"till-1-sx: waiting_for_card: in use by another running Kasse, left alone"}
	log := &fakeLog{}
	for i := range 40 {
		log.entries = append(log.entries, LogEntry{At: testNow.Add(-time.Duration(i) * time.Hour), Who: "anna", Console: "till-1",
			Text: "sale till-1-old" + strings.Repeat("x", i%3) + ": waiting_for_card → canceled · 1.00 USD"})
	}
	d.ReconcileLog = log
	h := newHarness(t, d)
	h.contains("Reconciled 6 unfinished sales at start, 1 not settled:", "not settled: till-1-sx", "till-1-sa → canceled",
		"… and 3 more: ctrl+l shows them in the reconcile log")
	h.lacks("till-1-se →")
	h.golden("sellers_reconciled_more")
	h.keys("ctrl+l")
	if log.calls != 1 || len(h.m.stack) != 1 {
		t.Fatalf("log calls %d stack %d", log.calls, len(h.m.stack))
	}
	h.contains("Reconcile log", "40 lines", "till-1 · anna", "sale till-1-old: waiting_for_card → canceled")
	h.golden("reconcile_log")
	h.keys("pgdown")
	h.keys("esc")
	if len(h.m.stack) != 0 || h.m.active != scrSellers {
		t.Fatalf("esc: stack %d active %d", len(h.m.stack), h.m.active)
	}
	h.keys("esc") // dismiss the notice
	h.lacks("Reconciled")
	h.keys("?")
	h.contains("ctrl+l", "reconcile log")
}
