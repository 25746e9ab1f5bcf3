package sandbox

import (
	"strings"
	"testing"

	"github.com/stripe/stripe-go/v76"
)

func TestCustomerCancelOnTheReader(t *testing.T) {
	e := newEnv(t, Options{Seed: "none"})
	seller := e.tSeller("acct_1CustomerCancel")
	rd := e.tReader("") // a platform reader, as Kasse's counters use

	process := func(enable bool) *stripe.PaymentIntent {
		pi := e.tIntent(seller, 1500, stripe.PaymentIntentCaptureMethodAutomatic)
		p := &stripe.TerminalReaderProcessPaymentIntentParams{PaymentIntent: stripe.String(pi.ID),
			ProcessConfig: &stripe.TerminalReaderProcessPaymentIntentProcessConfigParams{EnableCustomerCancellation: stripe.Bool(enable)}}
		if _, err := e.sc.TerminalReaders.ProcessPaymentIntent(rd.ID, p); err != nil {
			t.Fatalf("process: %v", err)
		}
		return pi
	}

	// Without the cancel button the customer cannot cancel.
	process(false)
	if err := e.srv.CustomerCancel(rd.ID); err == nil || !strings.Contains(err.Error(), "enable_customer_cancellation") {
		t.Fatalf("cancel without the button: %v", err)
	}

	pi := process(true) // replaces the payment nobody tapped for
	if err := e.srv.CustomerCancel(rd.ID); err != nil {
		t.Fatalf("customer cancel: %v", err)
	}
	got := e.tGetReader("", rd.ID)
	if got.Action == nil || got.Action.Status != stripe.TerminalReaderActionStatusFailed ||
		got.Action.FailureCode != "customer_canceled" || got.Action.FailureMessage != customerCanceledMessage {
		t.Fatalf("reader action after customer cancel: %+v", got.Action)
	}
	if in := e.tGetIntent(seller, pi.ID); in.Status != stripe.PaymentIntentStatusRequiresPaymentMethod {
		t.Fatalf("intent after customer cancel: %s, want requires_payment_method (processable again)", in.Status)
	}
	if err := e.srv.CustomerCancel(rd.ID); err == nil {
		t.Fatal("a second cancel on a finished action was accepted")
	}
	ev := e.sc.Events.List(&stripe.EventListParams{Type: stripe.String("terminal.reader.action_failed")})
	if !ev.Next() || ev.Event().Data.Object["id"] != rd.ID {
		t.Fatalf("no terminal.reader.action_failed event for the reader (%v)", ev.Err())
	}
	// The same intent can be processed again and paid.
	e.tMustProcess("", rd.ID, pi.ID)
	e.tMustPresent("", rd.ID, "")
	if in := e.tGetIntent(seller, pi.ID); in.Status != stripe.PaymentIntentStatusSucceeded {
		t.Fatalf("intent after a second attempt: %s", in.Status)
	}
}
