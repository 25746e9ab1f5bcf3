package sandbox

import (
	"testing"

	"github.com/stripe/stripe-go/v76"
)

// End to end through stripe-go and the terminal part: a PaymentIntent on a
// seller, processed by a platform-owned simulated reader (no
// Stripe-Account, the private-preview direct-charge setup), a presented
// test card, then capture and refund on the seller.

// pPlatformReader registers a simulated reader at a new platform location.
func (e *env) pPlatformReader() string {
	e.t.Helper()
	l, err := e.sc.TerminalLocations.New(&stripe.TerminalLocationParams{DisplayName: stripe.String("Front"),
		Address: &stripe.AddressParams{Line1: stripe.String("1 Market St"), City: stripe.String("San Francisco"),
			State: stripe.String("CA"), PostalCode: stripe.String("94105"), Country: stripe.String("US")}})
	if err != nil {
		e.t.Fatalf("location: %v", err)
	}
	r, err := e.sc.TerminalReaders.New(&stripe.TerminalReaderParams{RegistrationCode: stripe.String("simulated-wpe"),
		Location: stripe.String(l.ID), Label: stripe.String("Till 1")})
	if err != nil {
		e.t.Fatalf("reader: %v", err)
	}
	return r.ID
}

func (e *env) pProcess(readerID, piID string) {
	e.t.Helper()
	_, err := e.sc.TerminalReaders.ProcessPaymentIntent(readerID, &stripe.TerminalReaderProcessPaymentIntentParams{
		PaymentIntent: stripe.String(piID)})
	if err != nil {
		e.t.Fatalf("process_payment_intent: %v", err)
	}
}

func (e *env) pPresent(readerID, number string, tip int64) *stripe.TerminalReader {
	e.t.Helper()
	p := &stripe.TestHelpersTerminalReaderPresentPaymentMethodParams{}
	if number != "" {
		p.CardPresent = &stripe.TestHelpersTerminalReaderPresentPaymentMethodCardPresentParams{Number: stripe.String(number)}
	}
	if tip > 0 {
		p.AmountTip = stripe.Int64(tip)
	}
	r, err := e.sc.TestHelpersTerminalReaders.PresentPaymentMethod(readerID, p)
	if err != nil {
		e.t.Fatalf("present_payment_method: %v", err)
	}
	return r
}

func TestEndToEndSellerPaymentOnPlatformReader(t *testing.T) {
	e := newPayEnv(t)
	seller := addTestAccount(e.srv, "US", "usd")
	rd := e.pPlatformReader()
	pi := e.pIntent(seller, 4200, "usd", "manual")

	e.pProcess(rd, pi.ID)
	e.pPresent(rd, "5555555555554444", 800)

	rp := &stripe.TerminalReaderParams{}
	rp.AddExpand("action.process_payment_intent.payment_intent.latest_charge")
	r, err := e.sc.TerminalReaders.Get(rd, rp)
	if err != nil {
		t.Fatal(err)
	}
	if r.Action == nil || r.Action.Status != "succeeded" || r.Action.ProcessPaymentIntent.PaymentIntent.Status != "requires_capture" ||
		r.Action.ProcessPaymentIntent.PaymentIntent.LatestCharge.PaymentMethodDetails.CardPresent.Brand != "mastercard" {
		t.Fatalf("reader action %+v", r.Action)
	}
	got := e.pGet(seller, pi.ID, "latest_charge")
	if got.Status != "requires_capture" || got.Amount != 5000 || got.AmountCapturable != 5000 || got.AmountDetails.Tip.Amount != 800 ||
		got.LatestCharge.Amount != 5000 || got.LatestCharge.Captured || got.LatestCharge.PaymentMethodDetails.CardPresent.Last4 != "4444" {
		t.Fatalf("authorized intent: %s amount %d tip %d charge %+v", got.Status, got.Amount, got.AmountDetails.Tip.Amount, got.LatestCharge)
	}

	cp := &stripe.PaymentIntentCaptureParams{}
	cp.SetStripeAccount(seller)
	if c, err := e.sc.PaymentIntents.Capture(pi.ID, cp); err != nil || c.Status != "succeeded" || c.AmountReceived != 5000 {
		t.Fatalf("capture: %v %+v", err, c)
	}
	_, err = e.pRefund("", pi.ID, 0)
	wantErr(t, err, 404, "resource_missing", "payment_intent", "No such payment_intent: '"+pi.ID+"'")
	if rf, err := e.pRefund(seller, pi.ID, 1000); err != nil || rf.Amount != 1000 {
		t.Fatalf("seller refund: %v %+v", err, rf)
	}
	want := []string{"payment_intent.created", "charge.succeeded", "payment_intent.amount_capturable_updated",
		"charge.captured", "payment_intent.succeeded", "charge.refunded", "charge.refund.updated"}
	if ev := e.pEvents(seller, "payment_intent.", "charge."); !eqStrings(ev, want) {
		t.Errorf("seller events %v, want %v", ev, want)
	}
	if ev := e.pEvents("", "payment_intent.", "charge."); len(ev) != 0 {
		t.Errorf("payment events on the platform: %v", ev)
	}
}

func TestEndToEndDeclineThenRetrySameIntent(t *testing.T) {
	e := newPayEnv(t)
	seller := addTestAccount(e.srv, "US", "usd")
	rd := e.pPlatformReader()
	pi := e.pIntent(seller, 1000, "usd", "automatic")

	e.pProcess(rd, pi.ID)
	r := e.pPresent(rd, "4000000000009995", 0)
	if r.Action.Status != "failed" || r.Action.FailureCode != "card_declined" || r.Action.FailureMessage != "Your card has insufficient funds." {
		t.Fatalf("declined action %+v", r.Action)
	}
	got := e.pGet(seller, pi.ID, "latest_charge")
	if got.Status != "requires_payment_method" || got.LastPaymentError == nil || got.LastPaymentError.DeclineCode != "insufficient_funds" ||
		got.LatestCharge.Status != "failed" {
		t.Fatalf("declined intent %s %+v", got.Status, got.LastPaymentError)
	}

	e.pProcess(rd, pi.ID)
	r = e.pPresent(rd, "", 0)
	if r.Action.Status != "succeeded" {
		t.Fatalf("retry action %+v", r.Action)
	}
	got = e.pGet(seller, pi.ID)
	if got.Status != "succeeded" || got.LastPaymentError != nil || got.AmountReceived != 1000 {
		t.Fatalf("retried intent %s %+v", got.Status, got.LastPaymentError)
	}
	n := 0
	lp := &stripe.ChargeListParams{PaymentIntent: stripe.String(pi.ID)}
	lp.SetStripeAccount(seller)
	for it := e.sc.Charges.List(lp); it.Next(); {
		n++
	}
	if n != 2 {
		t.Errorf("charges of the intent: %d, want the failed and the succeeded one", n)
	}
}

func TestEndToEndTestAmountIncludesTip(t *testing.T) {
	e := newPayEnv(t)
	rd := e.pPlatformReader()
	pi := e.pIntent("", 1000, "usd", "automatic")
	e.pProcess(rd, pi.ID)
	r := e.pPresent(rd, "", 55) // 10.55: incorrect_pin
	if r.Action.Status != "failed" || r.Action.FailureCode != "card_declined" {
		t.Fatalf("action %+v", r.Action)
	}
	got := e.pGet("", pi.ID)
	if got.LastPaymentError == nil || got.LastPaymentError.DeclineCode != "incorrect_pin" || got.Amount != 1000 {
		t.Fatalf("intent %+v amount %d", got.LastPaymentError, got.Amount)
	}
}

func TestEndToEndCancelReleasesReader(t *testing.T) {
	e := newPayEnv(t)
	seller := addTestAccount(e.srv, "US", "usd")
	rd := e.pPlatformReader()
	pi := e.pIntent(seller, 1000, "usd", "automatic")
	e.pProcess(rd, pi.ID)
	cp := &stripe.PaymentIntentCancelParams{}
	cp.SetStripeAccount(seller)
	if _, err := e.sc.PaymentIntents.Cancel(pi.ID, cp); err != nil {
		t.Fatal(err)
	}
	r, err := e.sc.TerminalReaders.Get(rd, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Action != nil {
		t.Errorf("reader still has action %+v for the canceled intent", r.Action)
	}
}
