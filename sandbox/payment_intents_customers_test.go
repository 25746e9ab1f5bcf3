package sandbox

import (
	"strings"
	"testing"

	"github.com/stripe/stripe-go/v76"
)

// cConfirm creates and confirms a card PaymentIntent on acct in one call
// (customer "" = none), as Stripe's samples do with pm_card_visa.
func (e *env) cConfirm(acct, cus, pm string, amount int64, capture string, offSession bool) (*stripe.PaymentIntent, error) {
	p := &stripe.PaymentIntentParams{Amount: stripe.Int64(amount), Currency: stripe.String("usd"),
		PaymentMethodTypes: stripe.StringSlice([]string{"card", "card_present"}), PaymentMethod: stripe.String(pm),
		Confirm: stripe.Bool(true)}
	if capture != "" {
		p.CaptureMethod = stripe.String(capture)
	}
	if cus != "" {
		p.Customer = stripe.String(cus)
	}
	if offSession {
		p.OffSession = stripe.Bool(true)
	}
	payParams(&p.Params, acct)
	return e.sc.PaymentIntents.New(p)
}

// Stripe's own samples create and confirm a card PaymentIntent with a test
// PaymentMethod in one call, capture_method=manual too.
func TestIntentCreateAndConfirmWithTestPaymentMethod(t *testing.T) {
	e := newPayEnv(t)
	for _, capture := range []string{"automatic", "manual"} {
		p := &stripe.PaymentIntentParams{Amount: stripe.Int64(2000), Currency: stripe.String("usd"),
			PaymentMethodTypes: stripe.StringSlice([]string{"card"}), PaymentMethod: stripe.String("pm_card_visa"),
			Confirm: stripe.Bool(true), CaptureMethod: stripe.String(capture)}
		p.AddExpand("latest_charge")
		pi, err := e.sc.PaymentIntents.New(p)
		if err != nil {
			t.Fatalf("%s: %v", capture, err)
		}
		want, received := stripe.PaymentIntentStatusSucceeded, int64(2000)
		if capture == "manual" {
			want, received = stripe.PaymentIntentStatusRequiresCapture, 0
		}
		if pi.Status != want || pi.AmountReceived != received || pi.PaymentMethod == nil || !strings.HasPrefix(pi.PaymentMethod.ID, "pm_") ||
			pi.PaymentMethod.ID == "pm_card_visa" || pi.LatestCharge == nil {
			t.Fatalf("%s: intent %s received %d pm %v", capture, pi.Status, pi.AmountReceived, pi.PaymentMethod)
		}
		ch := pi.LatestCharge
		if ch.PaymentMethodDetails == nil || ch.PaymentMethodDetails.Type != "card" || ch.PaymentMethodDetails.Card.Last4 != "4242" ||
			ch.PaymentMethodDetails.Card.Brand != "visa" || ch.Captured != (capture == "automatic") || ch.Status != "succeeded" {
			t.Fatalf("%s: charge %+v", capture, ch.PaymentMethodDetails)
		}
		if capture == "manual" {
			cp := &stripe.PaymentIntentCaptureParams{}
			if got, err := e.sc.PaymentIntents.Capture(pi.ID, cp); err != nil || got.Status != "succeeded" || got.AmountReceived != 2000 {
				t.Fatalf("capture: %v %+v", err, got)
			}
		}
	}
}

func TestIntentConfirmSavedCardOfTheCustomer(t *testing.T) {
	e := newPayEnv(t)
	seller := e.addSeller("Shop", "US", "usd")
	c := e.cCustomer(seller, "Ava", "ava@example.com")
	card, _ := e.cAttach(seller, "pm_card_amex", c.ID)
	pi, err := e.cConfirm(seller, c.ID, card.ID, 1850, "", true)
	if err != nil {
		t.Fatal(err)
	}
	if pi.Status != "succeeded" || pi.Customer == nil || pi.Customer.ID != c.ID || pi.PaymentMethod.ID != card.ID {
		t.Fatalf("intent %+v", pi)
	}
	ch := e.pCharge(seller, pi.LatestCharge.ID)
	if ch.Customer == nil || ch.Customer.ID != c.ID || ch.PaymentMethod != card.ID {
		t.Fatalf("charge customer %v pm %s", ch.Customer, ch.PaymentMethod)
	}
	// The saved card stays the customer's and can pay again.
	if _, err := e.cConfirm(seller, c.ID, card.ID, 700, "", true); err != nil {
		t.Fatalf("second payment: %v", err)
	}
	// The customer's payments, listed by customer.
	lp := &stripe.PaymentIntentListParams{Customer: stripe.String(c.ID)}
	lp.SetStripeAccount(seller)
	it := e.sc.PaymentIntents.List(lp)
	n := 0
	for it.Next() {
		n++
	}
	if it.Err() != nil || n != 2 {
		t.Fatalf("intents of the customer: %d %v", n, it.Err())
	}
	if evs := e.pEvents(seller, "payment_intent.", "charge."); !eqStrings(evs, []string{"payment_intent.created", "charge.succeeded",
		"payment_intent.succeeded", "payment_intent.created", "charge.succeeded", "payment_intent.succeeded"}) {
		t.Errorf("events %v", evs)
	}
}

// A decline is HTTP 402 card_error with the failed intent in the error;
// the intent is back in requires_payment_method and a reader can take it.
func TestIntentConfirmDeclineIs402WithTheIntent(t *testing.T) {
	e := newPayEnv(t)
	c := e.cCustomer("", "Fail", "")
	card, err := e.cAttach("", "pm_card_chargeCustomerFail", c.ID) // attaching succeeds
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.cConfirm("", c.ID, card.ID, 1000, "", true)
	se := cWantErr(t, err, 402, stripe.ErrorTypeCard, "card_declined", "", "Your card was declined.")
	if se.DeclineCode != "generic_decline" || se.PaymentIntent == nil || se.PaymentIntent.Status != "requires_payment_method" ||
		se.PaymentMethod == nil || se.PaymentMethod.ID != card.ID || se.ChargeID == "" {
		t.Fatalf("error %+v pi %+v pm %+v", se, se.PaymentIntent, se.PaymentMethod)
	}
	pi := e.pGet("", se.PaymentIntent.ID)
	if pi.Status != "requires_payment_method" || pi.LastPaymentError == nil || pi.LastPaymentError.Code != "card_declined" ||
		pi.LatestCharge == nil || pi.LatestCharge.ID != se.ChargeID || pi.PaymentMethod != nil {
		t.Fatalf("intent after decline %+v", pi)
	}
	// The same intent goes to a reader.
	r := e.tReader("")
	e.tMustProcess("", r.ID, pi.ID)
	e.tMustPresent("", r.ID, "4242424242424242")
	if got := e.pGet("", pi.ID); got.Status != "succeeded" {
		t.Fatalf("after the reader: %s", got.Status)
	}
}

func TestIntentConfirmDeclineCodes(t *testing.T) {
	e := newPayEnv(t)
	cases := []struct {
		pm, code, decline, msg string
	}{
		{"pm_card_visa_chargeDeclinedInsufficientFunds", "card_declined", "insufficient_funds", "Your card has insufficient funds."},
		{"pm_card_chargeDeclinedExpiredCard", "expired_card", "expired_card", "Your card has expired."},
		{"pm_card_chargeDeclinedIncorrectCvc", "incorrect_cvc", "incorrect_cvc", "Your card's security code is incorrect."},
		{"pm_card_authenticationRequired", "authentication_required", "authentication_required", "This transaction requires authentication."},
	}
	for _, tc := range cases {
		_, err := e.cConfirm("", "", tc.pm, 1000, "", true)
		se := cWantErr(t, err, 402, stripe.ErrorTypeCard, tc.code, "", tc.msg)
		if string(se.DeclineCode) != tc.decline {
			t.Errorf("%s: decline_code %q", tc.pm, se.DeclineCode)
		}
	}
	// On session, a card that needs 3D Secure waits for it.
	pi, err := e.cConfirm("", "", "pm_card_authenticationRequired", 1000, "", false)
	if err != nil || pi.Status != "requires_action" || pi.NextAction == nil || pi.NextAction.Type != "use_stripe_sdk" {
		t.Fatalf("on session: %v %+v", err, pi)
	}
}

func TestIntentPaymentMethodRefusals(t *testing.T) {
	e := newPayEnv(t)
	a, b := e.cCustomer("", "A", ""), e.cCustomer("", "B", "")
	cardA, _ := e.cAttach("", "pm_card_visa", a.ID)
	// A card of another customer.
	_, err := e.cConfirm("", b.ID, cardA.ID, 1000, "", true)
	cWantErr(t, err, 400, stripe.ErrorTypeInvalidRequest, "", "payment_method",
		"The customer does not have a payment method with the ID "+cardA.ID+". The payment method must be attached to the customer.")
	// An attached card without its customer.
	_, err = e.cConfirm("", "", cardA.ID, 1000, "", true)
	cWantErr(t, err, 400, stripe.ErrorTypeInvalidRequest, "parameter_invalid", "payment_method", "is attached to a customer")
	// A card of another account.
	seller := e.addSeller("Shop", "US", "usd")
	_, err = e.cConfirm(seller, "", cardA.ID, 1000, "", true)
	cWantErr(t, err, 404, stripe.ErrorTypeInvalidRequest, "resource_missing", "payment_method", "No such PaymentMethod: '"+cardA.ID+"'")
	// A card used once without a customer is consumed.
	clone := e.cloneTo(t, seller, a.ID, cardA.ID)
	if _, err := e.cConfirm(seller, "", clone, 1000, "", true); err != nil {
		t.Fatal(err)
	}
	_, err = e.cConfirm(seller, "", clone, 1000, "", true)
	cWantErr(t, err, 400, stripe.ErrorTypeInvalidRequest, "", "payment_method", "It may not be used again.")
	// A card_present method where a card is needed.
	r := e.tReader("")
	pi := e.tIntent("", 1000, "automatic")
	e.tMustProcess("", r.ID, pi.ID)
	e.tMustPresent("", r.ID, "")
	cp := e.pCharge("", e.pGet("", pi.ID).LatestCharge.ID).PaymentMethod
	_, err = e.cConfirm("", "", cp, 1000, "", true)
	cWantErr(t, err, 400, stripe.ErrorTypeInvalidRequest, "", "payment_method", "is of type card_present")
	// confirm without a payment method; off_session without confirm.
	p := &stripe.PaymentIntentParams{Amount: stripe.Int64(1000), Currency: stripe.String("usd"), Confirm: stripe.Bool(true)}
	_, err = e.sc.PaymentIntents.New(p)
	cWantErr(t, err, 400, stripe.ErrorTypeInvalidRequest, "parameter_invalid", "payment_method", "missing a payment method")
	p = &stripe.PaymentIntentParams{Amount: stripe.Int64(1000), Currency: stripe.String("usd"), OffSession: stripe.Bool(true)}
	_, err = e.sc.PaymentIntents.New(p)
	cWantErr(t, err, 400, stripe.ErrorTypeInvalidRequest, "parameter_invalid", "off_session", "confirm=true")
	// A card on an intent that takes only card_present.
	p = &stripe.PaymentIntentParams{Amount: stripe.Int64(1000), Currency: stripe.String("usd"),
		PaymentMethodTypes: stripe.StringSlice([]string{"card_present"}), PaymentMethod: stripe.String("pm_card_visa"), Confirm: stripe.Bool(true)}
	_, err = e.sc.PaymentIntents.New(p)
	cWantErr(t, err, 400, stripe.ErrorTypeInvalidRequest, "payment_intent_incompatible_payment_method", "payment_method", "is not allowed for this PaymentIntent")
}

func TestIntentWithPaymentMethodUnconfirmed(t *testing.T) {
	e := newPayEnv(t)
	p := &stripe.PaymentIntentParams{Amount: stripe.Int64(1000), Currency: stripe.String("usd"),
		PaymentMethodTypes: stripe.StringSlice([]string{"card"}), PaymentMethod: stripe.String("pm_card_visa")}
	pi, err := e.sc.PaymentIntents.New(p)
	if err != nil || pi.Status != "requires_confirmation" || pi.PaymentMethod == nil {
		t.Fatalf("%v %+v", err, pi)
	}
	if _, err := e.sc.PaymentMethods.Get(pi.PaymentMethod.ID, nil); err != nil {
		t.Fatalf("the intent's payment method is stored: %v", err)
	}
}

// cloneTo shares the platform customer cus's card pm with seller.
func (e *env) cloneTo(t *testing.T, seller, cus, pm string) string {
	t.Helper()
	p := &stripe.PaymentMethodParams{Customer: stripe.String(cus), PaymentMethod: stripe.String(pm)}
	p.SetStripeAccount(seller)
	clone, err := e.sc.PaymentMethods.New(p)
	if err != nil {
		t.Fatalf("clone: %v", err)
	}
	return clone.ID
}

// The platform wallet at a seller: clone, attach the clone to the
// seller's copy of the customer, charge it there as a direct charge —
// and again, without a second clone.
func TestWalletCardPaysAtASeller(t *testing.T) {
	e := newPayEnv(t)
	seller := e.addSeller("Shop", "DE", "eur")
	wallet := e.cCustomer("", "Mara", "mara@example.com")
	card, _ := e.cAttach("", "pm_card_visa", wallet.ID)
	clone := e.cloneTo(t, seller, wallet.ID, card.ID)
	cp := &stripe.CustomerParams{Name: stripe.String("Mara"), PaymentMethod: stripe.String(clone)}
	cp.AddMetadata("kasse_platform_customer", wallet.ID)
	cp.SetStripeAccount(seller)
	copyCus, err := e.sc.Customers.New(cp)
	if err != nil {
		t.Fatal(err)
	}
	if cards := e.cCards(seller, copyCus.ID); len(cards) != 1 || cards[0].ID != clone {
		t.Fatalf("the copy's cards %v", cards)
	}
	for i := 0; i < 2; i++ {
		p := &stripe.PaymentIntentParams{Amount: stripe.Int64(1250), Currency: stripe.String("eur"),
			PaymentMethodTypes: stripe.StringSlice([]string{"card", "card_present"}), PaymentMethod: stripe.String(clone),
			Customer: stripe.String(copyCus.ID), Confirm: stripe.Bool(true), OffSession: stripe.Bool(true)}
		p.SetStripeAccount(seller)
		pi, err := e.sc.PaymentIntents.New(p)
		if err != nil || pi.Status != "succeeded" {
			t.Fatalf("payment %d: %v %+v", i, err, pi)
		}
	}
	if orig, _ := e.sc.PaymentMethods.Get(card.ID, nil); orig.Customer == nil || orig.Customer.ID != wallet.ID {
		t.Fatalf("the platform's card: %+v", orig)
	}
}

// Save after payment: a card_present payment with a customer and
// setup_future_usage gives a reusable card in the charge's
// generated_card, attached to the customer (§12).
func TestSaveAfterPaymentGeneratesCard(t *testing.T) {
	e := newPayEnv(t)
	seller := e.addSeller("Shop", "US", "usd")
	c := e.cCustomer(seller, "Sam", "sam@example.com")
	r := e.tReader("")
	cases := []struct {
		number string
		saved  bool
	}{
		{"4242424242424242", true}, {"378282246310005", true},
		{"4242420000000000", false}, // Apple Pay on a phone
		{"6280000360000978", false}, // single-brand eftpos
	}
	for _, tc := range cases {
		p := &stripe.PaymentIntentParams{Amount: stripe.Int64(1500), Currency: stripe.String("usd"),
			PaymentMethodTypes: stripe.StringSlice([]string{"card_present"}), Customer: stripe.String(c.ID),
			SetupFutureUsage: stripe.String("off_session")}
		p.AddMetadata("kasse_save_consent", "anna")
		p.SetStripeAccount(seller)
		pi, err := e.sc.PaymentIntents.New(p)
		if err != nil {
			t.Fatal(err)
		}
		e.tMustProcess("", r.ID, pi.ID)
		e.tMustPresent("", r.ID, tc.number)
		got := e.pGet(seller, pi.ID, "latest_charge")
		if got.Status != "succeeded" {
			t.Fatalf("%s: %s", tc.number, got.Status)
		}
		gen := got.LatestCharge.PaymentMethodDetails.CardPresent.GeneratedCard
		if (gen != "") != tc.saved {
			t.Fatalf("%s: generated_card %q, want saved=%v", tc.number, gen, tc.saved)
		}
		if !tc.saved {
			continue
		}
		gp := &stripe.PaymentMethodParams{}
		gp.SetStripeAccount(seller)
		pm, err := e.sc.PaymentMethods.Get(gen, gp)
		// stripe-go v76 has no generated_from: read the body.
		if err != nil || pm.Type != "card" || pm.Customer == nil || pm.Customer.ID != c.ID || pm.Card.Last4 != tc.number[len(tc.number)-4:] ||
			!strings.Contains(string(pm.LastResponse.RawJSON), `"generated_from":{"charge":"`+got.LatestCharge.ID+`"`) {
			t.Fatalf("%s: generated card %v %+v", tc.number, err, pm)
		}
	}
	if cards := e.cCards(seller, c.ID); len(cards) != 2 {
		t.Fatalf("saved cards %d", len(cards))
	}
	// Without setup_future_usage nothing is saved.
	pi := e.tIntent("", 1000, "automatic")
	e.tMustProcess("", r.ID, pi.ID)
	e.tMustPresent("", r.ID, "")
	if g := e.pGet("", pi.ID, "latest_charge").LatestCharge.PaymentMethodDetails.CardPresent.GeneratedCard; g != "" {
		t.Fatalf("generated_card without setup_future_usage: %s", g)
	}
}

// Save without paying: a SetupIntent with a customer processed on a
// reader gives the generated card on the reader's action and the setup
// attempt, attached to the customer.
func TestSetupIntentSavesCardForCustomer(t *testing.T) {
	e := newPayEnv(t)
	c := e.cCustomer("", "Mara", "mara@example.com")
	r := e.tReader("")
	sp := &stripe.SetupIntentParams{Customer: stripe.String(c.ID), PaymentMethodTypes: stripe.StringSlice([]string{"card_present"})}
	sp.AddMetadata("kasse_save_consent", "anna")
	si, err := e.sc.SetupIntents.New(sp)
	if err != nil || si.Customer == nil || si.Customer.ID != c.ID {
		t.Fatalf("create: %v %+v", err, si)
	}
	pp := &stripe.TerminalReaderProcessSetupIntentParams{SetupIntent: stripe.String(si.ID), CustomerConsentCollected: stripe.Bool(true)}
	if _, err := e.sc.TerminalReaders.ProcessSetupIntent(r.ID, pp); err != nil {
		t.Fatal(err)
	}
	rd := e.tMustPresent("", r.ID, "5555555555554444")
	gen := rd.Action.ProcessSetupIntent.GeneratedCard
	if rd.Action.Status != "succeeded" || !strings.HasPrefix(gen, "pm_") {
		t.Fatalf("action %+v", rd.Action)
	}
	gp := &stripe.SetupIntentParams{}
	gp.AddExpand("latest_attempt")
	got, err := e.sc.SetupIntents.Get(si.ID, gp)
	if err != nil || got.Status != "succeeded" || got.PaymentMethod == nil || got.LatestAttempt == nil ||
		got.LatestAttempt.PaymentMethodDetails.CardPresent.GeneratedCard == nil || got.LatestAttempt.PaymentMethodDetails.CardPresent.GeneratedCard.ID != gen {
		t.Fatalf("setup intent %v %+v", err, got)
	}
	it := e.sc.SetupAttempts.List(&stripe.SetupAttemptListParams{SetupIntent: stripe.String(si.ID)})
	n := 0
	for it.Next() {
		at := it.SetupAttempt()
		if at.Status != "succeeded" || at.PaymentMethodDetails.CardPresent.GeneratedCard.ID != gen {
			t.Errorf("attempt %+v", at)
		}
		n++
	}
	if it.Err() != nil || n != 1 {
		t.Fatalf("attempts %d %v", n, it.Err())
	}
	cards := e.cCards("", c.ID)
	if len(cards) != 1 || cards[0].ID != gen || cards[0].Card.Last4 != "4444" {
		t.Fatalf("saved cards %+v", cards)
	}
	// The SetupIntent's own payment_method is the card_present read.
	if pm, err := e.sc.PaymentMethods.Get(got.PaymentMethod.ID, nil); err != nil || pm.Type != "card_present" {
		t.Fatalf("card_present read %v %+v", err, pm)
	}
	// A wallet cannot be saved.
	si2, _ := e.sc.SetupIntents.New(&stripe.SetupIntentParams{Customer: stripe.String(c.ID), PaymentMethodTypes: stripe.StringSlice([]string{"card_present"})})
	pp.SetupIntent = stripe.String(si2.ID)
	if _, err := e.sc.TerminalReaders.ProcessSetupIntent(r.ID, pp); err != nil {
		t.Fatal(err)
	}
	rd = e.tMustPresent("", r.ID, "5555550000000002")
	if rd.Action.Status != "failed" || rd.Action.FailureCode != "card_not_supported" || rd.Action.ProcessSetupIntent.GeneratedCard != "" {
		t.Fatalf("wallet action %+v", rd.Action)
	}
}

func TestSetupIntentCancelAndUnknownCustomer(t *testing.T) {
	e := newPayEnv(t)
	_, err := e.sc.SetupIntents.New(&stripe.SetupIntentParams{Customer: stripe.String("cus_nope")})
	cWantErr(t, err, 404, stripe.ErrorTypeInvalidRequest, "resource_missing", "customer", "No such customer: 'cus_nope'")
	c := e.cCustomer("", "C", "")
	r := e.tReader("")
	si, _ := e.sc.SetupIntents.New(&stripe.SetupIntentParams{Customer: stripe.String(c.ID), PaymentMethodTypes: stripe.StringSlice([]string{"card_present"})})
	pp := &stripe.TerminalReaderProcessSetupIntentParams{SetupIntent: stripe.String(si.ID), CustomerConsentCollected: stripe.Bool(true)}
	if _, err := e.sc.TerminalReaders.ProcessSetupIntent(r.ID, pp); err != nil {
		t.Fatal(err)
	}
	cp := &stripe.SetupIntentCancelParams{CancellationReason: stripe.String("abandoned")}
	got, err := e.sc.SetupIntents.Cancel(si.ID, cp)
	if err != nil || got.Status != "canceled" || got.CancellationReason != "abandoned" {
		t.Fatalf("cancel %v %+v", err, got)
	}
	if rd := e.tGetReader("", r.ID); rd.Action != nil {
		t.Fatalf("the reader still waits for the canceled SetupIntent: %+v", rd.Action)
	}
	_, err = e.sc.SetupIntents.Cancel(si.ID, cp)
	se := cWantErr(t, err, 400, stripe.ErrorTypeInvalidRequest, "setup_intent_unexpected_state", "", "because it has a status of canceled")
	if se.SetupIntent == nil || se.SetupIntent.ID != si.ID {
		t.Errorf("the error embeds the SetupIntent: %+v", se.SetupIntent)
	}
}
