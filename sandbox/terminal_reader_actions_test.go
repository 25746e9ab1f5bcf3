package sandbox

import (
	"testing"

	"github.com/stripe/stripe-go/v76"
)

// Topology 1: platform location + platform reader (no Stripe-Account)
// process a PaymentIntent created on a connected account (direct charge,
// platform-owned readers).
func TestPlatformReaderProcessesConnectedIntent(t *testing.T) {
	e := newEnv(t, Options{})
	seller := e.tSeller("acct_1SellerTopoOne01")
	r := e.tReader("")
	pi := e.tIntent(seller, 2500, stripe.PaymentIntentCaptureMethodManual)

	p := &stripe.TerminalReaderProcessPaymentIntentParams{PaymentIntent: stripe.String(pi.ID),
		ProcessConfig: &stripe.TerminalReaderProcessPaymentIntentProcessConfigParams{
			SkipTipping: stripe.Bool(false), EnableCustomerCancellation: stripe.Bool(true),
			Tipping: &stripe.TerminalReaderProcessPaymentIntentProcessConfigTippingParams{AmountEligible: stripe.Int64(2000)}}}
	got, err := e.sc.TerminalReaders.ProcessPaymentIntent(r.ID, p)
	if err != nil {
		t.Fatal(err)
	}
	a := got.Action
	if a == nil || a.Type != "process_payment_intent" || a.Status != "in_progress" || a.FailureCode != "" ||
		a.ProcessPaymentIntent.PaymentIntent.ID != pi.ID {
		t.Fatalf("action: %+v", a)
	}
	pc := a.ProcessPaymentIntent.ProcessConfig
	if pc == nil || pc.SkipTipping || !pc.EnableCustomerCancellation || pc.Tipping == nil || pc.Tipping.AmountEligible != 2000 {
		t.Fatalf("process_config: %+v", pc)
	}
	// The PaymentIntent is still waiting for a card.
	if st := e.tGetIntent(seller, pi.ID).Status; st != stripe.PaymentIntentStatusRequiresPaymentMethod {
		t.Fatalf("intent before present: %s", st)
	}

	got = e.tMustPresent("", r.ID, "")
	if got.Action.Status != "succeeded" || got.Action.ProcessPaymentIntent.PaymentIntent.ID != pi.ID {
		t.Fatalf("after present: %+v", got.Action)
	}
	if st := e.tGetIntent(seller, pi.ID).Status; st != stripe.PaymentIntentStatusRequiresCapture {
		t.Fatalf("intent after present: %s", st)
	}
	// The PI is on the connected account: invisible without the header.
	_, err = e.sc.PaymentIntents.Get(pi.ID, nil)
	termWantErr(t, err, 404, "resource_missing", "intent", "No such payment_intent")
}

// Topology 2: a seller owns its location and reader and does everything
// under its own Stripe-Account.
func TestSellerOwnedReaderTopology(t *testing.T) {
	e := newEnv(t, Options{})
	seller := e.tSeller("acct_1SellerTopoTwo01")
	other := e.tSeller("acct_1SellerTopoTwo02")
	r := e.tReader(seller)
	pi := e.tIntent(seller, 1200, stripe.PaymentIntentCaptureMethodAutomatic)

	// The seller's reader does not exist for the platform.
	_, err := e.tProcess("", r.ID, pi.ID)
	termWantErr(t, err, 404, "resource_missing", "reader", "No such terminal.reader: '"+r.ID+"'")
	// A seller's reader processes only the seller's PaymentIntents.
	platformPI := e.tIntent("", 1200, stripe.PaymentIntentCaptureMethodAutomatic)
	_, err = e.tProcess(seller, r.ID, platformPI.ID)
	termWantErr(t, err, 404, "resource_missing", "payment_intent", "No such payment_intent: '"+platformPI.ID+"'")
	otherPI := e.tIntent(other, 1200, stripe.PaymentIntentCaptureMethodAutomatic)
	_, err = e.tProcess(seller, r.ID, otherPI.ID)
	termWantErr(t, err, 404, "resource_missing", "payment_intent", "No such payment_intent")

	e.tMustProcess(seller, r.ID, pi.ID)
	got := e.tMustPresent(seller, r.ID, "5555555555554444")
	if got.Action.Status != "succeeded" {
		t.Fatalf("action: %+v", got.Action)
	}
	if st := e.tGetIntent(seller, pi.ID).Status; st != stripe.PaymentIntentStatusSucceeded {
		t.Fatalf("intent: %s", st)
	}
	// After success the same PaymentIntent cannot be processed again.
	_, err = e.tProcess(seller, r.ID, pi.ID)
	termWantErr(t, err, 400, "intent_invalid_state", "", "Payment intent must be in the requires_payment_method state to be processed by a reader.")
}

func TestDeclineThenReprocessSameIntent(t *testing.T) {
	e := newEnv(t, Options{})
	r := e.tReader("")
	pi := e.tIntent("", 3000, stripe.PaymentIntentCaptureMethodAutomatic)

	e.tMustProcess("", r.ID, pi.ID)
	got := e.tMustPresent("", r.ID, "4000000000009995")
	a := got.Action
	if a.Status != "failed" || a.FailureCode != "card_declined" || a.FailureMessage != "Your card has insufficient funds." {
		t.Fatalf("declined action: %+v", a)
	}
	// The action stays failed until the next action.
	if g := e.tGetReader("", r.ID); g.Action == nil || g.Action.Status != "failed" {
		t.Fatalf("reader after decline: %+v", g.Action)
	}
	if st := e.tGetIntent("", pi.ID); st.Status != stripe.PaymentIntentStatusRequiresPaymentMethod || st.LastPaymentError == nil {
		t.Fatalf("intent after decline: %s %+v", st.Status, st.LastPaymentError)
	}

	got = e.tMustProcess("", r.ID, pi.ID)
	if got.Action.Status != "in_progress" || got.Action.FailureCode != "" {
		t.Fatalf("re-process: %+v", got.Action)
	}
	if got = e.tMustPresent("", r.ID, ""); got.Action.Status != "succeeded" {
		t.Fatalf("second attempt: %+v", got.Action)
	}
	if st := e.tGetIntent("", pi.ID).Status; st != stripe.PaymentIntentStatusSucceeded {
		t.Fatalf("intent: %s", st)
	}
}

func TestReplaceNotYetPresentedPayment(t *testing.T) {
	e := newEnv(t, Options{})
	r := e.tReader("")
	first := e.tIntent("", 1000, stripe.PaymentIntentCaptureMethodAutomatic)
	second := e.tIntent("", 2000, stripe.PaymentIntentCaptureMethodAutomatic)
	e.tMustProcess("", r.ID, first.ID)
	got := e.tMustProcess("", r.ID, second.ID)
	if got.Action.ProcessPaymentIntent.PaymentIntent.ID != second.ID || got.Action.Status != "in_progress" {
		t.Fatalf("replaced action: %+v", got.Action)
	}
	e.tMustPresent("", r.ID, "")
	if st := e.tGetIntent("", second.ID).Status; st != stripe.PaymentIntentStatusSucceeded {
		t.Fatalf("second: %s", st)
	}
	if st := e.tGetIntent("", first.ID).Status; st != stripe.PaymentIntentStatusRequiresPaymentMethod {
		t.Fatalf("first must be untouched: %s", st)
	}
}

func TestReaderOffline(t *testing.T) {
	e := newEnv(t, Options{})
	r := e.tReader("")
	pi := e.tIntent("", 1000, stripe.PaymentIntentCaptureMethodAutomatic)
	e.tMustProcess("", r.ID, pi.ID)
	if err := e.srv.SetReaderOnline(r.ID, false); err != nil {
		t.Fatal(err)
	}
	if g := e.tGetReader("", r.ID); g.Status != "offline" || g.Action == nil || g.Action.Status != "in_progress" {
		t.Fatalf("offline reader keeps its action: %+v %+v", g, g.Action)
	}
	_, err := e.tProcess("", r.ID, pi.ID)
	termWantErr(t, err, 400, "terminal_reader_offline", "", "Reader is currently offline")
	_, err = e.sc.TerminalReaders.CancelAction(r.ID, &stripe.TerminalReaderCancelActionParams{})
	termWantErr(t, err, 400, "terminal_reader_offline", "", "")
	_, err = e.tPresent("", r.ID, "")
	termWantErr(t, err, 400, "terminal_reader_offline", "", "")

	if err := e.srv.SetReaderOnline(r.ID, true); err != nil {
		t.Fatal(err)
	}
	if got := e.tMustPresent("", r.ID, ""); got.Action.Status != "succeeded" || got.Status != "online" {
		t.Fatalf("back online: %+v", got.Action)
	}
}

func TestCancelAction(t *testing.T) {
	e := newEnv(t, Options{})
	r := e.tReader("")
	pi := e.tIntent("", 1000, stripe.PaymentIntentCaptureMethodAutomatic)
	e.tMustProcess("", r.ID, pi.ID)
	got, err := e.sc.TerminalReaders.CancelAction(r.ID, &stripe.TerminalReaderCancelActionParams{})
	if err != nil || got.Action != nil {
		t.Fatalf("cancel_action: %v %+v", err, got)
	}
	// The intent is not canceled: it can be processed again.
	if st := e.tGetIntent("", pi.ID).Status; st != stripe.PaymentIntentStatusRequiresPaymentMethod {
		t.Fatalf("intent after cancel_action: %s", st)
	}
	_, err = e.tPresent("", r.ID, "")
	termWantErr(t, err, 400, "", "", "no in-progress process_payment_intent")
	// Cancelling an idle reader is a no-op reset.
	if got, err = e.sc.TerminalReaders.CancelAction(r.ID, &stripe.TerminalReaderCancelActionParams{}); err != nil || got.Action != nil {
		t.Fatalf("cancel on idle reader: %v %+v", err, got)
	}
	e.tMustProcess("", r.ID, pi.ID)
	if got := e.tMustPresent("", r.ID, ""); got.Action.Status != "succeeded" {
		t.Fatalf("after re-process: %+v", got.Action)
	}
}

func TestCancelIntentReleasesReader(t *testing.T) {
	e := newEnv(t, Options{})
	seller := e.tSeller("acct_1SellerRelease01")
	r := e.tReader("")
	pi := e.tIntent(seller, 1000, stripe.PaymentIntentCaptureMethodAutomatic)
	e.tMustProcess("", r.ID, pi.ID)
	cp := &stripe.PaymentIntentCancelParams{}
	cp.SetStripeAccount(seller)
	if _, err := e.sc.PaymentIntents.Cancel(pi.ID, cp); err != nil {
		t.Fatal(err)
	}
	if g := e.tGetReader("", r.ID); g.Action != nil {
		t.Fatalf("reader still holds the canceled intent: %+v", g.Action)
	}
	_, err := e.tProcess("", r.ID, pi.ID)
	termWantErr(t, err, 400, "intent_invalid_state", "", "requires_payment_method")
}

func TestProcessIntentWithoutCardPresent(t *testing.T) {
	e := newEnv(t, Options{})
	r := e.tReader("")
	pi, err := e.sc.PaymentIntents.New(&stripe.PaymentIntentParams{Amount: stripe.Int64(1000), Currency: stripe.String("usd"),
		PaymentMethodTypes: stripe.StringSlice([]string{"card"})})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.tProcess("", r.ID, pi.ID)
	termWantErr(t, err, 400, "", "payment_intent", "include neither card_present nor interac_present")
	_, err = e.tProcess("", r.ID, "pi_doesNotExist")
	termWantErr(t, err, 404, "resource_missing", "payment_intent", "No such payment_intent: 'pi_doesNotExist'")
	p := &stripe.TerminalReaderProcessPaymentIntentParams{}
	termSkipMock(&p.Params)
	_, err = e.sc.TerminalReaders.ProcessPaymentIntent(r.ID, p)
	termWantErr(t, err, 400, "parameter_missing", "payment_intent", "")
}

func TestSetReaderDisplay(t *testing.T) {
	e := newEnv(t, Options{})
	r := e.tReader("")
	cart := &stripe.TerminalReaderSetReaderDisplayCartParams{Currency: stripe.String("usd"), Tax: stripe.Int64(80), Total: stripe.Int64(1080),
		LineItems: []*stripe.TerminalReaderSetReaderDisplayCartLineItemParams{
			{Amount: stripe.Int64(500), Description: stripe.String("Coffee"), Quantity: stripe.Int64(2)}}}
	got, err := e.sc.TerminalReaders.SetReaderDisplay(r.ID, &stripe.TerminalReaderSetReaderDisplayParams{Type: stripe.String("cart"), Cart: cart})
	if err != nil {
		t.Fatal(err)
	}
	d := got.Action
	if d.Type != "set_reader_display" || d.Status != "in_progress" || d.SetReaderDisplay.Type != "cart" ||
		d.SetReaderDisplay.Cart.Total != 1080 || d.SetReaderDisplay.Cart.Tax != 80 ||
		len(d.SetReaderDisplay.Cart.LineItems) != 1 || d.SetReaderDisplay.Cart.LineItems[0].Description != "Coffee" {
		t.Fatalf("display action: %+v %+v", d, d.SetReaderDisplay)
	}

	bad := &stripe.TerminalReaderSetReaderDisplayParams{Type: stripe.String("cart"),
		Cart: &stripe.TerminalReaderSetReaderDisplayCartParams{Currency: stripe.String("usd"), Total: stripe.Int64(100)}}
	termSkipMock(&bad.Params)
	_, err = e.sc.TerminalReaders.SetReaderDisplay(r.ID, bad)
	termWantErr(t, err, 400, "parameter_missing", "cart[line_items]", "Missing required param: cart[line_items].")
	bad = &stripe.TerminalReaderSetReaderDisplayParams{Type: stripe.String("cart"),
		Cart: &stripe.TerminalReaderSetReaderDisplayCartParams{Currency: stripe.String("usd"), Total: stripe.Int64(100),
			LineItems: []*stripe.TerminalReaderSetReaderDisplayCartLineItemParams{{Amount: stripe.Int64(100), Quantity: stripe.Int64(1)}}}}
	termSkipMock(&bad.Params)
	_, err = e.sc.TerminalReaders.SetReaderDisplay(r.ID, bad)
	termWantErr(t, err, 400, "parameter_missing", "cart[line_items][0][description]", "")

	// A payment replaces the display; a display during a payment is busy.
	pi := e.tIntent("", 1080, stripe.PaymentIntentCaptureMethodAutomatic)
	if got := e.tMustProcess("", r.ID, pi.ID); got.Action.Type != "process_payment_intent" {
		t.Fatalf("payment should replace the display: %+v", got.Action)
	}
	_, err = e.sc.TerminalReaders.SetReaderDisplay(r.ID, &stripe.TerminalReaderSetReaderDisplayParams{Type: stripe.String("cart"), Cart: cart})
	termWantErr(t, err, 400, "terminal_reader_busy", "", "Reader is currently busy")
	// Once the payment completed, the display may replace the finished action.
	e.tMustPresent("", r.ID, "")
	if got, err = e.sc.TerminalReaders.SetReaderDisplay(r.ID, &stripe.TerminalReaderSetReaderDisplayParams{Type: stripe.String("cart"), Cart: cart}); err != nil ||
		got.Action.Type != "set_reader_display" {
		t.Fatalf("display after payment: %v %+v", err, got)
	}
	// cancel_action clears the display.
	if got, err = e.sc.TerminalReaders.CancelAction(r.ID, &stripe.TerminalReaderCancelActionParams{}); err != nil || got.Action != nil {
		t.Fatalf("cancel display: %v %+v", err, got)
	}
}

func TestExpandActionPaymentIntent(t *testing.T) {
	e := newEnv(t, Options{})
	seller := e.tSeller("acct_1SellerExpand001")
	r := e.tReader("")
	pi := e.tIntent(seller, 4200, stripe.PaymentIntentCaptureMethodManual)

	p := &stripe.TerminalReaderProcessPaymentIntentParams{PaymentIntent: stripe.String(pi.ID)}
	p.AddExpand("action.process_payment_intent.payment_intent")
	got, err := e.sc.TerminalReaders.ProcessPaymentIntent(r.ID, p)
	if err != nil {
		t.Fatal(err)
	}
	x := got.Action.ProcessPaymentIntent.PaymentIntent
	if x.ID != pi.ID || x.Amount != 4200 || x.Status != stripe.PaymentIntentStatusRequiresPaymentMethod || x.Currency != "usd" {
		t.Fatalf("expanded intent: %+v", x)
	}
	e.tMustPresent("", r.ID, "")
	g := e.tGetReader("", r.ID, "action.process_payment_intent.payment_intent", "action.process_payment_intent.payment_intent.latest_charge")
	x = g.Action.ProcessPaymentIntent.PaymentIntent
	if x.Status != stripe.PaymentIntentStatusRequiresCapture || x.AmountCapturable != 4200 || x.LatestCharge == nil ||
		x.LatestCharge.Amount != 4200 || x.LatestCharge.PaymentIntent == nil || x.LatestCharge.PaymentIntent.ID != pi.ID {
		t.Fatalf("expanded intent and charge: %+v %+v", x, x.LatestCharge)
	}
	// Unexpanded, the intent is an id.
	if g := e.tGetReader("", r.ID); g.Action.ProcessPaymentIntent.PaymentIntent.ID != pi.ID || g.Action.ProcessPaymentIntent.PaymentIntent.Amount != 0 {
		t.Fatalf("unexpanded: %+v", g.Action.ProcessPaymentIntent.PaymentIntent)
	}
	// Five levels is too deep.
	lp := &stripe.TerminalReaderListParams{}
	lp.AddExpand("data.action.process_payment_intent.payment_intent.latest_charge")
	it := e.sc.TerminalReaders.List(lp)
	it.Next()
	termWantErr(t, it.Err(), 400, "parameter_invalid", "expand", "more than 4 levels")
}
