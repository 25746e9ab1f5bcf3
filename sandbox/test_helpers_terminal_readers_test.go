package sandbox

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v76"
)

func TestAuthorizationDelayKeepsReaderBusy(t *testing.T) {
	e := newEnv(t, Options{AuthorizationDelay: 300 * time.Millisecond})
	r := e.tReader("")
	pi := e.tIntent("", 1000, stripe.PaymentIntentCaptureMethodAutomatic)
	other := e.tIntent("", 2000, stripe.PaymentIntentCaptureMethodAutomatic)
	e.tMustProcess("", r.ID, pi.ID)
	got := e.tMustPresent("", r.ID, "")
	if got.Action.Status != "in_progress" {
		t.Fatalf("authorizing: %+v", got.Action)
	}
	// While the card authorizes, every action is refused.
	_, err := e.tProcess("", r.ID, other.ID)
	termWantErr(t, err, 400, "terminal_reader_busy", "", "Reader is currently busy processing another request.")
	_, err = e.sc.TerminalReaders.CancelAction(r.ID, &stripe.TerminalReaderCancelActionParams{})
	termWantErr(t, err, 400, "terminal_reader_busy", "", "")
	_, err = e.sc.TerminalReaders.SetReaderDisplay(r.ID, &stripe.TerminalReaderSetReaderDisplayParams{Type: stripe.String("cart"),
		Cart: &stripe.TerminalReaderSetReaderDisplayCartParams{Currency: stripe.String("usd"), Total: stripe.Int64(1),
			LineItems: []*stripe.TerminalReaderSetReaderDisplayCartLineItemParams{{Amount: stripe.Int64(1), Description: stripe.String("x"), Quantity: stripe.Int64(1)}}}})
	termWantErr(t, err, 400, "terminal_reader_busy", "", "")
	_, err = e.tPresent("", r.ID, "")
	termWantErr(t, err, 400, "terminal_reader_busy", "", "")

	done := e.tWaitAction("", r.ID)
	if done.Action.Status != "succeeded" || done.Action.ProcessPaymentIntent.PaymentIntent.ID != pi.ID {
		t.Fatalf("settled: %+v", done.Action)
	}
	if st := e.tGetIntent("", pi.ID).Status; st != stripe.PaymentIntentStatusSucceeded {
		t.Fatalf("intent: %s", st)
	}
	if st := e.tGetIntent("", other.ID).Status; st != stripe.PaymentIntentStatusRequiresPaymentMethod {
		t.Fatalf("the refused intent: %s", st)
	}
	// Not busy any more.
	e.tMustProcess("", r.ID, other.ID)
}

func TestAutoPresent(t *testing.T) {
	e := newEnv(t, Options{AutoPresent: 50 * time.Millisecond})
	seller := e.tSeller("acct_1SellerAutoPre01")
	r := e.tReader("")
	pi := e.tIntent(seller, 1500, stripe.PaymentIntentCaptureMethodAutomatic)
	e.tMustProcess("", r.ID, pi.ID)
	done := e.tWaitAction("", r.ID)
	if done.Action.Status != "succeeded" {
		t.Fatalf("auto-present: %+v", done.Action)
	}
	if st := e.tGetIntent(seller, pi.ID).Status; st != stripe.PaymentIntentStatusSucceeded {
		t.Fatalf("intent: %s", st)
	}
	// A canceled action is not auto-presented.
	pi2 := e.tIntent(seller, 1500, stripe.PaymentIntentCaptureMethodAutomatic)
	e.tMustProcess("", r.ID, pi2.ID)
	if _, err := e.sc.TerminalReaders.CancelAction(r.ID, &stripe.TerminalReaderCancelActionParams{}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(150 * time.Millisecond)
	if g := e.tGetReader("", r.ID); g.Action != nil {
		t.Fatalf("canceled action came back: %+v", g.Action)
	}
	if st := e.tGetIntent(seller, pi2.ID).Status; st != stripe.PaymentIntentStatusRequiresPaymentMethod {
		t.Fatalf("intent of canceled action: %s", st)
	}
}

func TestPresentRules(t *testing.T) {
	e := newEnv(t, Options{})
	r := e.tReader("")
	_, err := e.tPresent("", r.ID, "")
	termWantErr(t, err, 400, "", "", "has no in-progress process_payment_intent or process_setup_intent action")

	// A display is not something to present a card to.
	if _, err := e.sc.TerminalReaders.SetReaderDisplay(r.ID, &stripe.TerminalReaderSetReaderDisplayParams{Type: stripe.String("cart"),
		Cart: &stripe.TerminalReaderSetReaderDisplayCartParams{Currency: stripe.String("usd"), Total: stripe.Int64(1),
			LineItems: []*stripe.TerminalReaderSetReaderDisplayCartLineItemParams{{Amount: stripe.Int64(1), Description: stripe.String("x"), Quantity: stripe.Int64(1)}}}}); err != nil {
		t.Fatal(err)
	}
	_, err = e.tPresent("", r.ID, "")
	termWantErr(t, err, 400, "", "", "no in-progress")

	// Tip: the PaymentIntent amount includes it and amount_details records it.
	pi := e.tIntent("", 1000, stripe.PaymentIntentCaptureMethodAutomatic)
	e.tMustProcess("", r.ID, pi.ID)
	p := &stripe.TestHelpersTerminalReaderPresentPaymentMethodParams{AmountTip: stripe.Int64(150)}
	got, err := e.sc.TestHelpersTerminalReaders.PresentPaymentMethod(r.ID, p)
	if err != nil || got.Action.Status != "succeeded" {
		t.Fatalf("present with tip: %v %+v", err, got)
	}
	x := e.tGetIntent("", pi.ID)
	if x.Amount != 1150 || x.AmountReceived != 1150 || x.AmountDetails == nil || x.AmountDetails.Tip == nil || x.AmountDetails.Tip.Amount != 150 {
		t.Fatalf("tipped intent: amount=%d received=%d details=%+v", x.Amount, x.AmountReceived, x.AmountDetails)
	}

	// No tip when the action skips tipping.
	pi = e.tIntent("", 1000, stripe.PaymentIntentCaptureMethodAutomatic)
	if _, err := e.sc.TerminalReaders.ProcessPaymentIntent(r.ID, &stripe.TerminalReaderProcessPaymentIntentParams{PaymentIntent: stripe.String(pi.ID),
		ProcessConfig: &stripe.TerminalReaderProcessPaymentIntentProcessConfigParams{SkipTipping: stripe.Bool(true)}}); err != nil {
		t.Fatal(err)
	}
	_, err = e.sc.TestHelpersTerminalReaders.PresentPaymentMethod(r.ID, &stripe.TestHelpersTerminalReaderPresentPaymentMethodParams{AmountTip: stripe.Int64(100)})
	termWantErr(t, err, 400, "parameter_invalid", "amount_tip", "skips tipping")
	// A test amount including the tip decides: 10.00 + 0.05 tip → generic decline.
	got, err = e.sc.TestHelpersTerminalReaders.PresentPaymentMethod(r.ID, &stripe.TestHelpersTerminalReaderPresentPaymentMethodParams{Type: stripe.String("interac_present")})
	termWantErr(t, err, 400, "parameter_invalid", "type", "does not accept interac_present")
	pi = e.tIntent("", 1000, stripe.PaymentIntentCaptureMethodAutomatic)
	e.tMustProcess("", r.ID, pi.ID)
	got, err = e.sc.TestHelpersTerminalReaders.PresentPaymentMethod(r.ID, &stripe.TestHelpersTerminalReaderPresentPaymentMethodParams{AmountTip: stripe.Int64(5)})
	if err != nil || got.Action.Status != "failed" || got.Action.FailureCode != "card_declined" || got.Action.FailureMessage == "" {
		t.Fatalf("declined by test amount: %v %+v", err, got.Action)
	}
}

func TestPresentInterac(t *testing.T) {
	e := newEnv(t, Options{})
	r := e.tReader("")
	pi, err := e.sc.PaymentIntents.New(&stripe.PaymentIntentParams{Amount: stripe.Int64(1000), Currency: stripe.String("cad"),
		PaymentMethodTypes: stripe.StringSlice([]string{"interac_present"})})
	if err != nil {
		t.Fatal(err)
	}
	e.tMustProcess("", r.ID, pi.ID)
	// type card_present is not accepted by an Interac-only intent.
	_, err = e.sc.TestHelpersTerminalReaders.PresentPaymentMethod(r.ID, &stripe.TestHelpersTerminalReaderPresentPaymentMethodParams{Type: stripe.String("card_present")})
	termWantErr(t, err, 400, "parameter_invalid", "type", "does not accept card_present")
	// With no parameters the default Interac card is presented.
	got := e.tMustPresent("", r.ID, "")
	if got.Action.Status != "succeeded" {
		t.Fatalf("interac: %+v", got.Action)
	}
	ch, err := e.sc.Charges.Get(e.tGetIntent("", pi.ID).LatestCharge.ID, nil)
	if err != nil || ch.PaymentMethodDetails == nil || ch.PaymentMethodDetails.InteracPresent == nil || ch.PaymentMethodDetails.InteracPresent.Last4 != "1933" {
		t.Fatalf("interac charge: %v %+v", err, ch.PaymentMethodDetails)
	}
}

// events lists the event types of acct ("" = platform), oldest first.
func termEventTypes(t *testing.T, e *env, acct string) []string {
	t.Helper()
	lp := &stripe.EventListParams{}
	if acct != "" {
		lp.SetStripeAccount(acct)
	}
	var out []string
	it := e.sc.Events.List(lp)
	for it.Next() {
		out = append([]string{string(it.Event().Type)}, out...)
	}
	if it.Err() != nil {
		t.Fatal(it.Err())
	}
	return out
}

func TestReaderActionEvents(t *testing.T) {
	e := newEnv(t, Options{})
	seller := e.tSeller("acct_1SellerEvents001")
	r := e.tReader("")
	pi := e.tIntent(seller, 2000, stripe.PaymentIntentCaptureMethodAutomatic)
	e.tMustProcess("", r.ID, pi.ID)
	e.tMustPresent("", r.ID, "4000000000000002")
	e.tMustProcess("", r.ID, pi.ID)
	e.tMustPresent("", r.ID, "")

	// Reader events belong to the reader's account (the platform here).
	var reader []string
	for _, typ := range termEventTypes(t, e, "") {
		if strings.HasPrefix(typ, "terminal.reader.") {
			reader = append(reader, typ)
		}
	}
	if strings.Join(reader, ",") != "terminal.reader.action_failed,terminal.reader.action_succeeded" {
		t.Fatalf("platform reader events: %v", reader)
	}
	for _, typ := range termEventTypes(t, e, seller) {
		if strings.HasPrefix(typ, "terminal.reader.") {
			t.Fatalf("reader event on the seller's account: %s", typ)
		}
	}
	lp := &stripe.EventListParams{Type: stripe.String("terminal.reader.action_failed")}
	it := e.sc.Events.List(lp)
	if !it.Next() {
		t.Fatal("no action_failed event")
	}
	var obj struct {
		ID     string `json:"id"`
		Action struct {
			Status      string `json:"status"`
			FailureCode string `json:"failure_code"`
		} `json:"action"`
	}
	if err := json.Unmarshal(it.Event().Data.Raw, &obj); err != nil {
		t.Fatal(err)
	}
	if obj.ID != r.ID || obj.Action.Status != "failed" || obj.Action.FailureCode != "card_declined" {
		t.Fatalf("event object: %+v", obj)
	}
}

func TestProcessSetupIntent(t *testing.T) {
	e := newEnv(t, Options{})
	r := e.tReader("")
	si, err := e.sc.SetupIntents.New(&stripe.SetupIntentParams{PaymentMethodTypes: stripe.StringSlice([]string{"card_present"})})
	if err != nil {
		t.Fatal(err)
	}
	if si.Status != stripe.SetupIntentStatusRequiresPaymentMethod || si.Usage != "off_session" || si.ClientSecret == "" || si.PaymentMethod != nil {
		t.Fatalf("created: %+v", si)
	}

	no := &stripe.TerminalReaderProcessSetupIntentParams{SetupIntent: stripe.String(si.ID), CustomerConsentCollected: stripe.Bool(false)}
	_, err = e.sc.TerminalReaders.ProcessSetupIntent(r.ID, no)
	termWantErr(t, err, 400, "parameter_invalid", "customer_consent_collected", "must be true")

	p := &stripe.TerminalReaderProcessSetupIntentParams{SetupIntent: stripe.String(si.ID), CustomerConsentCollected: stripe.Bool(true)}
	got, err := e.sc.TerminalReaders.ProcessSetupIntent(r.ID, p)
	if err != nil {
		t.Fatal(err)
	}
	if a := got.Action; a.Type != "process_setup_intent" || a.Status != "in_progress" || a.ProcessSetupIntent.SetupIntent.ID != si.ID || a.ProcessSetupIntent.GeneratedCard != "" {
		t.Fatalf("action: %+v", a)
	}
	// A declining card fails the action; the SetupIntent can be retried.
	got = e.tMustPresent("", r.ID, "4000000000000002")
	if got.Action.Status != "failed" || got.Action.FailureCode != "setup_intent_authentication_failure" {
		t.Fatalf("declined setup: %+v", got.Action)
	}
	back, err := e.sc.SetupIntents.Get(si.ID, nil)
	if err != nil || back.Status != stripe.SetupIntentStatusRequiresPaymentMethod || back.LastSetupError == nil {
		t.Fatalf("setup after decline: %v %+v", err, back)
	}

	if _, err = e.sc.TerminalReaders.ProcessSetupIntent(r.ID, p); err != nil {
		t.Fatal(err)
	}
	got = e.tMustPresent("", r.ID, "")
	a := got.Action
	if a.Status != "succeeded" || !strings.HasPrefix(a.ProcessSetupIntent.GeneratedCard, "pm_") {
		t.Fatalf("setup action: %+v %+v", a, a.ProcessSetupIntent)
	}
	back, err = e.sc.SetupIntents.Get(si.ID, nil)
	if err != nil || back.Status != stripe.SetupIntentStatusSucceeded || back.PaymentMethod == nil || back.LastSetupError != nil {
		t.Fatalf("setup intent: %v %+v", err, back)
	}
	_, err = e.sc.TerminalReaders.ProcessSetupIntent(r.ID, p)
	termWantErr(t, err, 400, "intent_invalid_state", "", "Setup intent must be in the requires_payment_method state")

	// Expanded setup_intent on the reader.
	exp := e.tGetReader("", r.ID, "action.process_setup_intent.setup_intent")
	if x := exp.Action.ProcessSetupIntent.SetupIntent; x.Status != stripe.SetupIntentStatusSucceeded || x.ID != si.ID {
		t.Fatalf("expanded setup intent: %+v", x)
	}
}

func TestSetupIntentScopingAndCustomer(t *testing.T) {
	e := newEnv(t, Options{})
	seller := e.tSeller("acct_1SellerSetupI001")
	sp := &stripe.SetupIntentParams{PaymentMethodTypes: stripe.StringSlice([]string{"card_present"})}
	sp.SetStripeAccount(seller)
	si, err := e.sc.SetupIntents.New(sp)
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.sc.SetupIntents.Get(si.ID, nil)
	termWantErr(t, err, 404, "resource_missing", "intent", "No such setupintent: '"+si.ID+"'")

	_, err = e.sc.SetupIntents.New(&stripe.SetupIntentParams{Customer: stripe.String("cus_nope"), PaymentMethodTypes: stripe.StringSlice([]string{"card_present"})})
	termWantErr(t, err, 404, "resource_missing", "customer", "No such customer: 'cus_nope'")

	auto, err := e.sc.SetupIntents.New(&stripe.SetupIntentParams{Usage: stripe.String("on_session")})
	if err != nil || auto.AutomaticPaymentMethods == nil || !auto.AutomaticPaymentMethods.Enabled || auto.Usage != "on_session" {
		t.Fatalf("automatic payment methods: %v %+v", err, auto)
	}
	// A card-only SetupIntent cannot go to a reader.
	r := e.tReader("")
	_, err = e.sc.TerminalReaders.ProcessSetupIntent(r.ID, &stripe.TerminalReaderProcessSetupIntentParams{SetupIntent: stripe.String(auto.ID), CustomerConsentCollected: stripe.Bool(true)})
	termWantErr(t, err, 400, "", "setup_intent", "do not include card_present")
	// The platform reader may process the seller's SetupIntent (platform-owned readers).
	if _, err := e.sc.TerminalReaders.ProcessSetupIntent(r.ID, &stripe.TerminalReaderProcessSetupIntentParams{SetupIntent: stripe.String(si.ID), CustomerConsentCollected: stripe.Bool(true)}); err != nil {
		t.Fatal(err)
	}
	if got := e.tMustPresent("", r.ID, ""); got.Action.Status != "succeeded" {
		t.Fatalf("platform reader, seller setup: %+v", got.Action)
	}
	gp := &stripe.SetupIntentParams{}
	gp.SetStripeAccount(seller)
	if back, err := e.sc.SetupIntents.Get(si.ID, gp); err != nil || back.Status != stripe.SetupIntentStatusSucceeded {
		t.Fatalf("seller's setup intent: %v %+v", err, back)
	}
}
