package sale_test

import (
	"strings"
	"testing"

	"kasse/config"
	"kasse/pos"
	"kasse/ui"
	"kasse/ui/internal/uitest"
	"kasse/ui/sale"
)

func TestPaymentHappyPath(t *testing.T) {
	f := uitest.Charging(t, nil)
	h := f.H
	if !h.On("Payment") || payment(h).Sale().State != pos.SaleWaitingForCard {
		t.Fatalf("after enter: on %q state=%v", h.Top().Title(), payment(h).Sale().State)
	}
	if got := strings.Join(f.Pay.Ops(), ","); got != "CreateIntent" {
		t.Errorf("payments calls = %s", got)
	}
	c := f.Pay.Calls()[0]
	if c.Account != "acct_1Baeckerei" || c.Arg != "570 eur" || !strings.HasSuffix(c.IdemKey, "-create") {
		t.Errorf("create = %+v", c)
	}
	p := f.Term.CallsOf("ProcessIntent")
	if len(p) != 1 || p[0].Account != pos.Platform || p[0].ID != "tmr_front" || p[0].Arg != "pi_1" {
		t.Errorf("process = %+v", p)
	}
	if n := len(f.Term.CallsOf("SetDisplay")); n != 0 {
		t.Errorf("the charge must not also set the display (%d calls)", n)
	}
	h.Golden("payment_waiting")

	f.Term.Reads = []uitest.ReaderAnswer{{R: uitest.Waiting("pi_1")}}
	h.Fire(sale.SaleTick{})
	if n := len(f.Term.CallsOf("GetReader")); n != 1 {
		t.Errorf("one tick made %d reader reads", n)
	}
	tip := int64(100)
	f.Term.Reads = []uitest.ReaderAnswer{{R: uitest.Approved("pi_1", 670, &tip)}}
	h.Fire(sale.SaleTick{})
	if !h.On("Receipt") {
		t.Fatalf("approved sale did not show the receipt (on %q):\n%s", h.Top().Title(), h.View())
	}
	h.Golden("receipt")
	h.Keys("enter")
	if !h.On("Register") || len(reg(h).Cart().Lines) != 0 {
		t.Errorf("after the receipt: on %q lines=%d", h.Top().Title(), len(reg(h).Cart().Lines))
	}
	if h.HasPending(sale.SaleTick{}) {
		h.Fire(sale.SaleTick{}) // a late tick of the finished sale is harmless
	}
	if n := len(f.Term.CallsOf("GetReader")); n != 2 {
		t.Errorf("polling went on after the sale ended: %d reads", n)
	}
}

func TestPaymentDeclineRetrySameIntent(t *testing.T) {
	f := uitest.Charging(t, nil)
	h := f.H
	f.Term.Reads = []uitest.ReaderAnswer{{R: uitest.Declined("pi_1", "card_declined", "insufficient_funds")}}
	h.Fire(sale.SaleTick{})
	if st := payment(h).Sale().State; st != pos.SaleDeclined {
		t.Fatalf("state = %s", st)
	}
	h.Contains("✗ Declined", "The card has insufficient funds.", "(card_declined / insufficient_funds)",
		"r retries the same payment")
	h.Golden("payment_declined")
	h.Keys("r")
	p := f.Term.CallsOf("ProcessIntent")
	if len(p) != 2 || p[1].Arg != "pi_1" || p[0].IdemKey == p[1].IdemKey {
		t.Fatalf("retry must process the same intent under a new key: %+v", p)
	}
	if got := strings.Join(f.Pay.Ops(), ","); got != "CreateIntent" {
		t.Errorf("retry created another intent: %s", got)
	}
	f.Term.Reads = []uitest.ReaderAnswer{{R: uitest.Approved("pi_1", 570, nil)}}
	h.Fire(sale.SaleTick{})
	if !h.On("Receipt") {
		t.Fatalf("not approved after the retry: %s", payment(h).Sale().State)
	}
}

func TestPaymentLostCardIsNotToldToCustomer(t *testing.T) {
	f := uitest.Charging(t, nil)
	f.Term.Reads = []uitest.ReaderAnswer{{R: uitest.Declined("pi_1", "card_declined", "lost_card")}}
	f.H.Fire(sale.SaleTick{})
	f.H.Contains("The card was declined.", "Do not retry this card.")
	f.H.Lacks("lost card.")
}

func TestPaymentCancelNeedsConfirmation(t *testing.T) {
	f := uitest.Charging(t, nil)
	h := f.H
	h.Keys("esc")
	if !payment(h).Confirming() {
		t.Fatal("esc while waiting did not ask")
	}
	h.Golden("payment_confirm_cancel")
	h.Keys("n")
	if payment(h).Confirming() || payment(h).Sale().State != pos.SaleWaitingForCard {
		t.Fatal("n did not keep waiting")
	}
	f.Term.Reads = []uitest.ReaderAnswer{{R: uitest.Waiting("pi_1")}, {R: uitest.ReaderWith("tmr_front", nil)}}
	h.Keys("c", "y")
	if got := strings.Join(f.Term.Ops(), ","); !strings.HasSuffix(got, "ProcessIntent,GetReader,CancelAction") {
		t.Errorf("terminal calls = %s (compare before cancel)", got)
	}
	if got := strings.Join(f.Pay.Ops(), ","); got != "CreateIntent,CancelIntent" {
		t.Errorf("payments calls = %s", got)
	}
	if st := payment(h).Sale().State; st != pos.SaleCanceled {
		t.Fatalf("state = %s", st)
	}
	h.Contains("Canceled — nothing was charged.")
	h.Keys("enter")
	if !h.On("Register") || uitest.Lines(reg(h).Cart()) != "Coffee 1×350, Croissant 1×220" {
		t.Errorf("after a cancel the cart must come back: on %q cart=%s", h.Top().Title(), uitest.Lines(reg(h).Cart()))
	}
}

func TestPaymentReaderBusyOtherReader(t *testing.T) {
	f := uitest.Charging(t, func(d *ui.Deps) {
		term := d.Terminal.(*uitest.FakeTerminal)
		term.ProcessErr = []error{&pos.Error{Kind: pos.KindReaderBusy, Code: "terminal_reader_busy", Message: "Reader is currently busy"}}
		term.Reads = []uitest.ReaderAnswer{{R: uitest.ReaderWith("tmr_front", &pos.ReaderAction{Type: pos.ActionProcessPaymentIntent,
			Status: pos.ActionInProgress, PaymentIntentID: "pi_other"})}}
	})
	h := f.H
	if st := payment(h).Sale().State; st != pos.SaleReaderBusy {
		t.Fatalf("state = %s", st)
	}
	h.Contains("Front counter is busy with another request.", "busy: another payment")
	h.Golden("payment_reader_busy")
	h.Keys("o")
	if !h.On("Move the payment to another reader at …") {
		t.Fatalf("o did not open the reader picker (on %q)", h.Top().Title())
	}
	h.Contains("Move the payment to another reader at Bäckerei Müller")
	h.Keys("esc")
	if !h.On("Payment") {
		t.Fatal("esc from the switch picker should return to the payment")
	}
	h.Keys("o", "down", "down", "enter") // Window
	if !h.On("Payment") || payment(h).Sale().ReaderID != "tmr_busy" {
		t.Fatalf("after switching: on %q reader=%s", h.Top().Title(), payment(h).Sale().ReaderID)
	}
	p := f.Term.CallsOf("ProcessIntent")
	if len(p) != 2 || p[1].ID != "tmr_busy" || p[1].Arg != "pi_1" {
		t.Errorf("process calls = %+v", p)
	}
	h.Contains("Window")
}

func TestPaymentReaderOffline(t *testing.T) {
	f := uitest.Charging(t, func(d *ui.Deps) {
		d.Terminal.(*uitest.FakeTerminal).ProcessErr = []error{&pos.Error{Kind: pos.KindReaderOffline, Code: "terminal_reader_offline",
			Message: "Reader is currently offline", RequestID: "req_off"}}
	})
	h := f.H
	if st := payment(h).Sale().State; st != pos.SaleReaderOffline {
		t.Fatalf("state = %s", st)
	}
	h.Contains("Front counter is offline.", "req_off")
	h.Golden("payment_reader_offline")
	h.Keys("r")
	if n := len(f.Term.CallsOf("ProcessIntent")); n != 2 {
		t.Errorf("retry sent %d process requests in all", n)
	}
}

func TestPaymentOutcomeUnknownResendsSameKey(t *testing.T) {
	f := uitest.Charging(t, func(d *ui.Deps) {
		d.Payments.(*uitest.FakePayments).CreateErr = []error{&pos.Error{Kind: pos.KindUnknown, Message: "connection reset"}}
	})
	h := f.H
	if st := payment(h).Sale().State; st != pos.SaleUnknown {
		t.Fatalf("state = %s", st)
	}
	h.Contains("Outcome unknown — checking whether the payment was created")
	h.Golden("payment_unknown")
	h.Fire(sale.SaleTick{})
	calls := f.Pay.Calls()
	if len(calls) != 2 || calls[0].IdemKey != calls[1].IdemKey {
		t.Fatalf("the create must be resent under the same key: %+v", calls)
	}
	if st := payment(h).Sale().State; st != pos.SaleWaitingForCard {
		t.Errorf("state after the resend = %s", st)
	}
}

func TestPaymentTestCardPicker(t *testing.T) {
	f := uitest.Charging(t, nil)
	h := f.H
	h.Keys("t")
	if !payment(h).CardsOpen() {
		t.Fatal("t did not open the test cards")
	}
	h.Keys("down", "down", "text:150")
	h.Golden("testcards")
	f.Term.Reads = []uitest.ReaderAnswer{{R: uitest.Waiting("pi_1")}} // the reader reads the card
	reads := len(f.Term.CallsOf("GetReader"))
	h.Keys("enter")
	if n := len(f.Term.CallsOf("GetReader")); n != reads+1 {
		t.Errorf("reader reads after the card was presented: %d, want one at once", n-reads)
	}
	if payment(h).CardsOpen() {
		t.Error("the picker stayed open")
	}
	if len(f.Pres.Calls()) != 1 {
		t.Fatalf("presenter calls = %+v", f.Pres.Calls())
	}
	c := f.Pres.Calls()[0]
	if c.ID != "tmr_front" || c.Account != pos.Platform || c.Arg != "4000000000009995 tip=150" || !strings.HasPrefix(c.IdemKey, "till-1-present-") {
		t.Errorf("present = %+v", c)
	}
	h.Contains("Presented Declined · insufficient_funds (…9995) with a €1.50 tip", "req_poll_tmr_front") // the read right after it
	h.Keys("t", "esc")
	if payment(h).CardsOpen() || payment(h).Confirming() {
		t.Error("esc in the picker must only close it")
	}
}

// The tip follows the register's entry rules: a typed separator is honoured
// (1.5 is €1.50, not €0.15), and a refused key is shown and blocks the
// card until it is taken back — never presented as another tip.
func TestPaymentTestCardTipEntryRules(t *testing.T) {
	f := uitest.Charging(t, nil)
	h := f.H
	h.Keys("t", "text:1.5")
	h.Contains("€1.50")
	h.Keys("text:55") // a third decimal for EUR: refused, held on screen
	h.Contains("✗ 5")
	h.Keys("enter")
	if n := len(f.Pres.Calls()); n != 0 || !payment(h).CardsOpen() {
		t.Fatalf("a tip with a refused key was presented (%d calls, open %v)", n, payment(h).CardsOpen())
	}
	h.Keys("backspace", "enter")
	if len(f.Pres.Calls()) != 1 || f.Pres.Calls()[0].Arg != "4242424242424242 tip=155" {
		t.Fatalf("presenter calls = %+v", f.Pres.Calls())
	}
}

// With tipping off the reader asks for no tip, so the picker offers none:
// digits do nothing and the card is presented without one.
func TestPaymentTestCardPickerWithoutTipping(t *testing.T) {
	f := uitest.Charging(t, func(d *ui.Deps) { d.Process.SkipTipping = true })
	h := f.H
	h.Keys("t")
	if !payment(h).CardsOpen() {
		t.Fatal("t did not open the test cards")
	}
	h.Keys("text:150")
	h.Contains("No tip: tipping is off")
	h.Lacks("Tip  ", "(type digits)", "0-9 tip", "1.50")
	h.Golden("testcards_no_tip")
	h.Keys("enter")
	if len(f.Pres.Calls()) != 1 || f.Pres.Calls()[0].Arg != "4242424242424242 tip=0" {
		t.Fatalf("presenter calls = %+v", f.Pres.Calls())
	}
	h.Contains("Presented Visa · approved (…4242)")
	h.Lacks("with a")
}

func TestPaymentNoTestCardsInLiveMode(t *testing.T) {
	f := uitest.Charging(t, func(d *ui.Deps) { d.Mode = config.ModeLive; d.Presenter = nil })
	f.H.Keys("t")
	if payment(f.H).CardsOpen() {
		t.Fatal("test cards opened in live mode")
	}
	f.H.Contains("Test cards exist only in sandbox and test mode.", "LIVE")
}

func TestPaymentManualCapture(t *testing.T) {
	f := uitest.Charging(t, func(d *ui.Deps) { d.CaptureMethod = "manual" })
	h := f.H
	in := &pos.Intent{ID: "pi_1", Status: pos.IntentRequiresCapture, Amount: 570, AmountCapturable: 570, Currency: "eur",
		LatestCharge: &pos.Charge{ID: "ch_1", Card: pos.Card{Brand: "mastercard", Last4: "4444"}}}
	f.Term.Reads = []uitest.ReaderAnswer{{R: uitest.ReaderWith("tmr_front", &pos.ReaderAction{Type: pos.ActionProcessPaymentIntent,
		Status: pos.ActionSucceeded, PaymentIntentID: "pi_1", Intent: in})}}
	h.Fire(sale.SaleTick{})
	if st := payment(h).Sale().State; st != pos.SaleRequiresCapture {
		t.Fatalf("state = %s", st)
	}
	h.Contains("Authorized €5.70 — enter captures")
	h.Keys("enter")
	if got := strings.Join(f.Pay.Ops(), ","); got != "CreateIntent,CaptureIntent,GetIntent" { // then brand/last4
		t.Errorf("payments calls = %s", got)
	}
	if !h.On("Receipt") {
		t.Errorf("captured sale did not show the receipt: %s", payment(h).Sale().State)
	}
}

func TestPaymentTicksFollowPollInterval(t *testing.T) {
	f := uitest.Charging(t, nil)
	h := f.H
	var d []string
	for _, p := range h.Pending {
		if _, ok := p.Msg.(sale.SaleTick); ok {
			d = append(d, p.D.String())
		}
	}
	if strings.Join(d, ",") != "500ms" {
		t.Fatalf("while waiting, ticks = %v, want one fast tick", d)
	}
	f.Term.Reads = []uitest.ReaderAnswer{{R: uitest.Declined("pi_1", "card_declined", "generic_decline")}}
	h.Fire(sale.SaleTick{}) // the read that sees the decline
	h.Fire(sale.SaleTick{}) // the fast tick armed before it: a no-op that re-arms slowly
	if !h.HasPending(sale.SaleTick{}) || h.Pending[len(h.Pending)-1].D != pos.SlowPoll {
		t.Errorf("decision state should poll slowly: %+v", h.Pending)
	}
	gen := payment(h).TickGen()
	h.Keys("r") // back to a fast state: a fast tick replaces the slow one
	if payment(h).TickGen() == gen {
		t.Error("retry did not re-arm a fast tick")
	}
	reads := len(f.Term.CallsOf("GetReader"))
	h.Send(sale.StaleSaleTick(payment(h).Sale().ID, gen)) // the stale slow tick
	if len(f.Term.CallsOf("GetReader")) != reads {
		t.Error("a stale tick polled")
	}
}
