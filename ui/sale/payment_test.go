package ui

import (
	"strings"
	"testing"

	"kasse/pos"
)

// Reader answers for GetReader scripts.

func readerWith(id string, a *pos.ReaderAction) pos.Reader {
	return pos.Reader{ID: id, Label: "Front counter", Status: "online", Action: a, RequestID: "req_poll_" + id}
}

func waiting(intentID string) pos.Reader {
	return readerWith("tmr_front", &pos.ReaderAction{Type: pos.ActionProcessPaymentIntent, Status: pos.ActionInProgress,
		PaymentIntentID: intentID, Intent: &pos.Intent{ID: intentID, Status: pos.IntentRequiresPaymentMethod}})
}

func approved(intentID string, amount int64, tip *int64) pos.Reader {
	in := &pos.Intent{ID: intentID, Status: pos.IntentSucceeded, Amount: amount, Currency: "eur", Tip: tip,
		LatestCharge: &pos.Charge{ID: "ch_1", Amount: amount, Card: pos.Card{Brand: "visa", Last4: "4242"}}}
	return readerWith("tmr_front", &pos.ReaderAction{Type: pos.ActionProcessPaymentIntent, Status: pos.ActionSucceeded,
		PaymentIntentID: intentID, Intent: in})
}

func declined(intentID, code, declineCode string) pos.Reader {
	in := &pos.Intent{ID: intentID, Status: pos.IntentRequiresPaymentMethod,
		LastError: &pos.PaymentError{Type: "card_error", Code: code, DeclineCode: declineCode, Message: "Your card was declined."}}
	return readerWith("tmr_front", &pos.ReaderAction{Type: pos.ActionProcessPaymentIntent, Status: pos.ActionFailed,
		FailureCode: code, FailureMessage: "Your card was declined.", PaymentIntentID: intentID, Intent: in})
}

type payFixture struct {
	h     *harness
	term  *fakeTerminal
	pay   *fakePayments
	pres  *fakePresenter
	prefs *fakePrefs
}

// charging rings up a coffee and a croissant at Bäckerei Müller and
// presses enter.
func charging(t testing.TB, mutate func(*Deps)) payFixture {
	t.Helper()
	d, _ := registerDeps()
	f := payFixture{term: d.Terminal.(*fakeTerminal), pay: d.Payments.(*fakePayments), pres: &fakePresenter{},
		prefs: d.Prefs.(*fakePrefs)}
	d.Presenter = f.pres
	if mutate != nil {
		mutate(&d)
	}
	f.h = atRegister(t, d, "bäck")
	f.h.keys("c", "k", "enter")
	return f
}

func TestPaymentHappyPath(t *testing.T) {
	f := charging(t, nil)
	h := f.h
	if h.m.active != scrPayment || h.m.payment.sale.State != pos.SaleWaitingForCard {
		t.Fatalf("after enter: active=%d state=%v", h.m.active, h.m.payment.sale.State)
	}
	if got := strings.Join(f.pay.ops(), ","); got != "CreateIntent" {
		t.Errorf("payments calls = %s", got)
	}
	c := f.pay.calls[0]
	if c.Account != "acct_1Baeckerei" || c.Arg != "570 eur" || !strings.HasSuffix(c.IdemKey, "-create") {
		t.Errorf("create = %+v", c)
	}
	p := f.term.callsOf("ProcessIntent")
	if len(p) != 1 || p[0].Account != pos.Platform || p[0].ID != "tmr_front" || p[0].Arg != "pi_1" {
		t.Errorf("process = %+v", p)
	}
	if n := len(f.term.callsOf("SetDisplay")); n != 0 {
		t.Errorf("the charge must not also set the display (%d calls)", n)
	}
	h.golden("payment_waiting")

	f.term.getReader = []readerAnswer{{r: waiting("pi_1")}}
	h.fire(saleTickMsg{})
	if n := len(f.term.callsOf("GetReader")); n != 1 {
		t.Errorf("one tick made %d reader reads", n)
	}
	tip := int64(100)
	f.term.getReader = []readerAnswer{{r: approved("pi_1", 670, &tip)}}
	h.fire(saleTickMsg{})
	if h.m.active != scrReceipt {
		t.Fatalf("approved sale did not show the receipt (active=%d):\n%s", h.m.active, h.view())
	}
	h.golden("receipt")
	h.keys("enter")
	if h.m.active != scrRegister || len(h.m.register.cart.Lines) != 0 {
		t.Errorf("after the receipt: active=%d lines=%d", h.m.active, len(h.m.register.cart.Lines))
	}
	if h.hasPending(saleTickMsg{}) {
		h.fire(saleTickMsg{}) // a late tick of the finished sale is harmless
	}
	if n := len(f.term.callsOf("GetReader")); n != 2 {
		t.Errorf("polling went on after the sale ended: %d reads", n)
	}
}

func TestPaymentDeclineRetrySameIntent(t *testing.T) {
	f := charging(t, nil)
	h := f.h
	f.term.getReader = []readerAnswer{{r: declined("pi_1", "card_declined", "insufficient_funds")}}
	h.fire(saleTickMsg{})
	if st := h.m.payment.sale.State; st != pos.SaleDeclined {
		t.Fatalf("state = %s", st)
	}
	h.contains("✗ Declined", "The card has insufficient funds.", "(card_declined / insufficient_funds)",
		"r retries the same payment")
	h.golden("payment_declined")
	h.keys("r")
	p := f.term.callsOf("ProcessIntent")
	if len(p) != 2 || p[1].Arg != "pi_1" || p[0].IdemKey == p[1].IdemKey {
		t.Fatalf("retry must process the same intent under a new key: %+v", p)
	}
	if got := strings.Join(f.pay.ops(), ","); got != "CreateIntent" {
		t.Errorf("retry created another intent: %s", got)
	}
	f.term.getReader = []readerAnswer{{r: approved("pi_1", 570, nil)}}
	h.fire(saleTickMsg{})
	if h.m.active != scrReceipt {
		t.Fatalf("not approved after the retry: %s", h.m.payment.sale.State)
	}
}

func TestPaymentLostCardIsNotToldToCustomer(t *testing.T) {
	f := charging(t, nil)
	f.term.getReader = []readerAnswer{{r: declined("pi_1", "card_declined", "lost_card")}}
	f.h.fire(saleTickMsg{})
	f.h.contains("The card was declined.", "Do not retry this card.")
	f.h.lacks("lost card.")
}

func TestPaymentCancelNeedsConfirmation(t *testing.T) {
	f := charging(t, nil)
	h := f.h
	h.keys("esc")
	if !h.m.payment.confirm {
		t.Fatal("esc while waiting did not ask")
	}
	h.golden("payment_confirm_cancel")
	h.keys("n")
	if h.m.payment.confirm || h.m.payment.sale.State != pos.SaleWaitingForCard {
		t.Fatal("n did not keep waiting")
	}
	f.term.getReader = []readerAnswer{{r: waiting("pi_1")}, {r: readerWith("tmr_front", nil)}}
	h.keys("c", "y")
	if got := strings.Join(f.term.ops(), ","); !strings.HasSuffix(got, "ProcessIntent,GetReader,CancelAction") {
		t.Errorf("terminal calls = %s (compare before cancel)", got)
	}
	if got := strings.Join(f.pay.ops(), ","); got != "CreateIntent,CancelIntent" {
		t.Errorf("payments calls = %s", got)
	}
	if st := h.m.payment.sale.State; st != pos.SaleCanceled {
		t.Fatalf("state = %s", st)
	}
	h.contains("Canceled — nothing was charged.")
	h.keys("enter")
	if h.m.active != scrRegister || lines(h.m.register.cart) != "Coffee 1×350, Croissant 1×220" {
		t.Errorf("after a cancel the cart must come back: active=%d cart=%s", h.m.active, lines(h.m.register.cart))
	}
}

func TestPaymentReaderBusyOtherReader(t *testing.T) {
	f := charging(t, func(d *Deps) {
		term := d.Terminal.(*fakeTerminal)
		term.processErr = []error{&pos.Error{Kind: pos.KindReaderBusy, Code: "terminal_reader_busy", Message: "Reader is currently busy"}}
		term.getReader = []readerAnswer{{r: readerWith("tmr_front", &pos.ReaderAction{Type: pos.ActionProcessPaymentIntent,
			Status: pos.ActionInProgress, PaymentIntentID: "pi_other"})}}
	})
	h := f.h
	if st := h.m.payment.sale.State; st != pos.SaleReaderBusy {
		t.Fatalf("state = %s", st)
	}
	h.contains("Front counter is busy with another request.", "busy: another payment")
	h.golden("payment_reader_busy")
	h.keys("o")
	if h.m.active != scrReaders || !h.m.switching {
		t.Fatalf("o did not open the reader picker (active=%d)", h.m.active)
	}
	h.contains("Move the payment to another reader at Bäckerei Müller")
	h.keys("esc")
	if h.m.active != scrPayment {
		t.Fatal("esc from the switch picker should return to the payment")
	}
	h.keys("o", "down", "down", "enter") // Window
	if h.m.active != scrPayment || h.m.payment.sale.ReaderID != "tmr_busy" {
		t.Fatalf("after switching: active=%d reader=%s", h.m.active, h.m.payment.sale.ReaderID)
	}
	p := f.term.callsOf("ProcessIntent")
	if len(p) != 2 || p[1].ID != "tmr_busy" || p[1].Arg != "pi_1" {
		t.Errorf("process calls = %+v", p)
	}
	h.contains("Window")
}

func TestPaymentReaderOffline(t *testing.T) {
	f := charging(t, func(d *Deps) {
		d.Terminal.(*fakeTerminal).processErr = []error{&pos.Error{Kind: pos.KindReaderOffline, Code: "terminal_reader_offline",
			Message: "Reader is currently offline", RequestID: "req_off"}}
	})
	h := f.h
	if st := h.m.payment.sale.State; st != pos.SaleReaderOffline {
		t.Fatalf("state = %s", st)
	}
	h.contains("Front counter is offline.", "req_off")
	h.golden("payment_reader_offline")
	h.keys("r")
	if n := len(f.term.callsOf("ProcessIntent")); n != 2 {
		t.Errorf("retry sent %d process requests in all", n)
	}
}

func TestPaymentOutcomeUnknownResendsSameKey(t *testing.T) {
	f := charging(t, func(d *Deps) {
		d.Payments.(*fakePayments).createErr = []error{&pos.Error{Kind: pos.KindUnknown, Message: "connection reset"}}
	})
	h := f.h
	if st := h.m.payment.sale.State; st != pos.SaleUnknown {
		t.Fatalf("state = %s", st)
	}
	h.contains("Outcome unknown — checking whether the payment was created")
	h.golden("payment_unknown")
	h.fire(saleTickMsg{})
	calls := f.pay.calls
	if len(calls) != 2 || calls[0].IdemKey != calls[1].IdemKey {
		t.Fatalf("the create must be resent under the same key: %+v", calls)
	}
	if st := h.m.payment.sale.State; st != pos.SaleWaitingForCard {
		t.Errorf("state after the resend = %s", st)
	}
}

func TestPaymentTestCardPicker(t *testing.T) {
	f := charging(t, nil)
	h := f.h
	h.keys("t")
	if h.m.payment.cards == nil {
		t.Fatal("t did not open the test cards")
	}
	h.keys("down", "down", "text:150")
	h.golden("testcards")
	h.keys("enter")
	if h.m.payment.cards != nil {
		t.Error("the picker stayed open")
	}
	if len(f.pres.calls) != 1 {
		t.Fatalf("presenter calls = %+v", f.pres.calls)
	}
	c := f.pres.calls[0]
	if c.ID != "tmr_front" || c.Account != pos.Platform || c.Arg != "4000000000009995 tip=150" || !strings.HasPrefix(c.IdemKey, "till-1-present-") {
		t.Errorf("present = %+v", c)
	}
	h.contains("Presented Declined · insufficient_funds (…9995) with a 1.50 EUR tip", "req_present")
	h.keys("t", "esc")
	if h.m.payment.cards != nil || h.m.payment.confirm {
		t.Error("esc in the picker must only close it")
	}
}

// With tipping off the reader asks for no tip, so the picker offers none:
// digits do nothing and the card is presented without one.
func TestPaymentTestCardPickerWithoutTipping(t *testing.T) {
	f := charging(t, func(d *Deps) { d.Process.SkipTipping = true })
	h := f.h
	h.keys("t")
	if h.m.payment.cards == nil {
		t.Fatal("t did not open the test cards")
	}
	h.keys("text:150")
	h.contains("No tip: tipping is off")
	h.lacks("Tip  ", "(type digits)", "0-9 tip", "1.50")
	h.golden("testcards_no_tip")
	h.keys("enter")
	if len(f.pres.calls) != 1 || f.pres.calls[0].Arg != "4242424242424242 tip=0" {
		t.Fatalf("presenter calls = %+v", f.pres.calls)
	}
	h.contains("Presented Visa · approved (…4242)")
	h.lacks("with a")
}

func TestPaymentNoTestCardsInLiveMode(t *testing.T) {
	f := charging(t, func(d *Deps) { d.Mode = ModeLive; d.Presenter = nil })
	f.h.keys("t")
	if f.h.m.payment.cards != nil {
		t.Fatal("test cards opened in live mode")
	}
	f.h.contains("Test cards exist only in sandbox and test mode.", "LIVE")
}

func TestPaymentManualCapture(t *testing.T) {
	f := charging(t, func(d *Deps) { d.CaptureMethod = "manual" })
	h := f.h
	in := &pos.Intent{ID: "pi_1", Status: pos.IntentRequiresCapture, Amount: 570, AmountCapturable: 570, Currency: "eur",
		LatestCharge: &pos.Charge{ID: "ch_1", Card: pos.Card{Brand: "mastercard", Last4: "4444"}}}
	f.term.getReader = []readerAnswer{{r: readerWith("tmr_front", &pos.ReaderAction{Type: pos.ActionProcessPaymentIntent,
		Status: pos.ActionSucceeded, PaymentIntentID: "pi_1", Intent: in})}}
	h.fire(saleTickMsg{})
	if st := h.m.payment.sale.State; st != pos.SaleRequiresCapture {
		t.Fatalf("state = %s", st)
	}
	h.contains("Authorized 5.70 EUR — enter captures")
	h.keys("enter")
	if got := strings.Join(f.pay.ops(), ","); got != "CreateIntent,CaptureIntent,GetIntent" { // then brand/last4
		t.Errorf("payments calls = %s", got)
	}
	if h.m.active != scrReceipt {
		t.Errorf("captured sale did not show the receipt: %s", h.m.payment.sale.State)
	}
}

func TestPaymentTicksFollowPollInterval(t *testing.T) {
	f := charging(t, nil)
	h := f.h
	var d []string
	for _, p := range h.pending {
		if _, ok := p.msg.(saleTickMsg); ok {
			d = append(d, p.d.String())
		}
	}
	if strings.Join(d, ",") != "500ms" {
		t.Fatalf("while waiting, ticks = %v, want one fast tick", d)
	}
	f.term.getReader = []readerAnswer{{r: declined("pi_1", "card_declined", "generic_decline")}}
	h.fire(saleTickMsg{}) // the read that sees the decline
	h.fire(saleTickMsg{}) // the fast tick armed before it: a no-op that re-arms slowly
	if !h.hasPending(saleTickMsg{}) || h.pending[len(h.pending)-1].d != pos.SlowPoll {
		t.Errorf("decision state should poll slowly: %+v", h.pending)
	}
	gen := h.m.payment.tickGen
	h.keys("r") // back to a fast state: a fast tick replaces the slow one
	if h.m.payment.tickGen == gen {
		t.Error("retry did not re-arm a fast tick")
	}
	reads := len(f.term.callsOf("GetReader"))
	h.send(saleTickMsg{saleID: h.m.payment.sale.ID, gen: gen}) // the stale slow tick
	if len(f.term.callsOf("GetReader")) != reads {
		t.Error("a stale tick polled")
	}
}
