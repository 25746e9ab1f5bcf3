package sandbox

import (
	"testing"

	"github.com/stripe/stripe-go/v76"
)

func TestCaptureFull(t *testing.T) {
	e := newPayEnv(t)
	seller := addTestAccount(e.srv, "US", "usd")
	pi := e.pPaid(seller, 1000, "manual")
	got := e.pGet(seller, pi.ID, "latest_charge")
	if got.Status != "requires_capture" || got.AmountCapturable != 1000 || got.AmountReceived != 0 ||
		got.LatestCharge == nil || got.LatestCharge.Captured || got.LatestCharge.Status != "succeeded" {
		t.Fatalf("authorized intent: %s capturable %d charge %+v", got.Status, got.AmountCapturable, got.LatestCharge)
	}
	p := &stripe.PaymentIntentCaptureParams{}
	p.SetStripeAccount(seller)
	p.AddExpand("latest_charge")
	c, err := e.sc.PaymentIntents.Capture(pi.ID, p)
	if err != nil {
		t.Fatal(err)
	}
	ch := c.LatestCharge
	if c.Status != "succeeded" || c.AmountReceived != 1000 || c.AmountCapturable != 0 ||
		!ch.Captured || ch.AmountCaptured != 1000 || ch.AmountRefunded != 0 || ch.Refunded {
		t.Fatalf("captured: %s received %d charge captured=%v amount_captured=%d refunded=%d",
			c.Status, c.AmountReceived, ch.Captured, ch.AmountCaptured, ch.AmountRefunded)
	}
	want := []string{"payment_intent.created", "charge.succeeded", "payment_intent.amount_capturable_updated",
		"charge.captured", "payment_intent.succeeded"}
	if ev := e.pEvents(seller); !eqStrings(ev, want) {
		t.Errorf("events %v, want %v", ev, want)
	}
}

func TestCapturePartialReleasesTheRest(t *testing.T) {
	e := newPayEnv(t)
	pi := e.pPaid("", 1000, "manual")
	p := &stripe.PaymentIntentCaptureParams{AmountToCapture: stripe.Int64(600)}
	p.AddExpand("latest_charge")
	c, err := e.sc.PaymentIntents.Capture(pi.ID, p)
	if err != nil {
		t.Fatal(err)
	}
	ch := c.LatestCharge
	if c.AmountReceived != 600 || c.Amount != 1000 || ch.AmountCaptured != 600 || ch.AmountRefunded != 400 || ch.Refunded || ch.Amount != 1000 {
		t.Fatalf("partial capture: received %d amount %d; charge captured %d refunded %d (%v)",
			c.AmountReceived, c.Amount, ch.AmountCaptured, ch.AmountRefunded, ch.Refunded)
	}
	// What is left to refund is what was captured.
	_, err = e.pRefund("", pi.ID, 700)
	wantErr(t, err, 400, "", "amount", "Refund amount ($7.00) is greater than unrefunded amount on charge ($6.00)")
	r, err := e.pRefund("", pi.ID, 0)
	if err != nil || r.Amount != 600 {
		t.Fatalf("refund the rest: %v %+v", err, r)
	}
	if ch := e.pCharge("", ch.ID); ch.AmountRefunded != 1000 || !ch.Refunded {
		t.Errorf("after refunding all: amount_refunded %d refunded %v", ch.AmountRefunded, ch.Refunded)
	}
}

func TestCaptureErrors(t *testing.T) {
	e := newPayEnv(t)
	open := e.pIntent("", 1000, "usd", "manual")
	_, err := e.sc.PaymentIntents.Capture(open.ID, nil)
	se := wantErr(t, err, 400, "payment_intent_unexpected_state", "",
		"This PaymentIntent could not be captured because it has a status of requires_payment_method. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.")
	if se.PaymentIntent == nil || se.PaymentIntent.ID != open.ID || se.PaymentIntent.Status != "requires_payment_method" {
		t.Errorf("error embeds %+v", se.PaymentIntent)
	}
	auth := e.pPaid("", 1000, "manual")
	_, err = e.sc.PaymentIntents.Capture(auth.ID, &stripe.PaymentIntentCaptureParams{AmountToCapture: stripe.Int64(1001)})
	wantErr(t, err, 400, "amount_too_large", "amount_to_capture", "")
	// Still capturable after the refused attempt; then captured twice fails.
	if _, err := e.sc.PaymentIntents.Capture(auth.ID, nil); err != nil {
		t.Fatal(err)
	}
	_, err = e.sc.PaymentIntents.Capture(auth.ID, nil)
	wantErr(t, err, 400, "payment_intent_unexpected_state", "", "This PaymentIntent could not be captured because it has a status of succeeded. …")
	_, err = e.sc.PaymentIntents.Capture("pi_missing", nil)
	wantErr(t, err, 404, "resource_missing", "intent", "No such payment_intent: 'pi_missing'")
}

func TestCancelFromRequiresPaymentMethod(t *testing.T) {
	e := newPayEnv(t)
	pi := e.pIntent("", 1000, "usd", "automatic")
	c, err := e.sc.PaymentIntents.Cancel(pi.ID, &stripe.PaymentIntentCancelParams{CancellationReason: stripe.String("abandoned")})
	if err != nil {
		t.Fatal(err)
	}
	if c.Status != "canceled" || c.CancellationReason != "abandoned" || c.CanceledAt == 0 {
		t.Fatalf("canceled: %s %s %d", c.Status, c.CancellationReason, c.CanceledAt)
	}
	_, err = e.sc.PaymentIntents.Cancel(pi.ID, nil)
	wantErr(t, err, 400, "payment_intent_unexpected_state", "", "You cannot cancel this PaymentIntent because it has a status of canceled. …")
	if got := e.pEvents(""); !eqStrings(got, []string{"payment_intent.created", "payment_intent.canceled"}) {
		t.Errorf("events %v", got)
	}
}

func TestCancelAuthorizedReleasesTheCharge(t *testing.T) {
	e := newPayEnv(t)
	pi := e.pPaid("", 1800, "manual")
	p := &stripe.PaymentIntentCancelParams{CancellationReason: stripe.String("requested_by_customer")}
	c, err := e.sc.PaymentIntents.Cancel(pi.ID, p)
	if err != nil {
		t.Fatal(err)
	}
	if c.Status != "canceled" || c.AmountCapturable != 0 || c.AmountReceived != 0 {
		t.Fatalf("canceled: %s capturable %d", c.Status, c.AmountCapturable)
	}
	ch := e.pCharge("", c.LatestCharge.ID)
	if ch.Captured || ch.AmountRefunded != 1800 || !ch.Refunded || ch.Status != "succeeded" {
		t.Errorf("released charge: captured %v amount_refunded %d refunded %v", ch.Captured, ch.AmountRefunded, ch.Refunded)
	}
	if ev := e.pEvents("", "charge.refunded", "payment_intent.canceled"); !eqStrings(ev, []string{"charge.refunded", "payment_intent.canceled"}) {
		t.Errorf("events %v", ev)
	}
	_, err = e.pRefund("", pi.ID, 0)
	wantErr(t, err, 400, "", "payment_intent", "This PaymentIntent ("+pi.ID+") does not have a successful charge to refund.")
}

func TestCancelSucceededRefused(t *testing.T) {
	e := newPayEnv(t)
	pi := e.pPaid("", 1000, "automatic")
	_, err := e.sc.PaymentIntents.Cancel(pi.ID, nil)
	se := wantErr(t, err, 400, "payment_intent_unexpected_state", "",
		"You cannot cancel this PaymentIntent because it has a status of succeeded. Only a PaymentIntent with one of the following statuses may be canceled: requires_payment_method, requires_capture, requires_confirmation, requires_action.")
	if se.PaymentIntent == nil || se.PaymentIntent.Status != "succeeded" || se.PaymentIntent.AmountReceived != 1000 {
		t.Errorf("error embeds %+v", se.PaymentIntent)
	}
	r := e.raw("POST", "/v1/payment_intents/"+pi.ID+"/cancel", "cancellation_reason=bored", nil)
	r.want(t, 400, "invalid_request_error", "parameter_invalid")
}

func TestCancelReleasesWaitingReader(t *testing.T) {
	e := newPayEnv(t)
	pi := e.pIntent("", 1000, "usd", "automatic")
	var rd *reader
	e.change(func(s *Server) {
		l := s.newLocation("", "Shop", address{line1: "1 Main St", city: "Boulder", state: "CO", postalCode: "80302", country: "US"})
		rd = s.newSimulatedReader("", "simulated-wpe", "Till", l.ID)
		rd.Action = &readerAction{Type: actionProcessPayment, Status: actionInProgress, ProcessPaymentIntent: &processIntentJSON{PaymentIntent: idRef(pi.ID)}}
	})
	if _, err := e.sc.PaymentIntents.Cancel(pi.ID, nil); err != nil {
		t.Fatal(err)
	}
	e.locked(func(s *Server) {
		if rd.Action != nil {
			t.Errorf("reader still holds the canceled intent: %+v", rd.Action)
		}
	})
}
