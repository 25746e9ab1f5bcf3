package sandbox

import (
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/webhook"
)

// TestEveryStateChangeIsDelivered walks every state change Kasse can cause
// or observe in the sandbox — a declined and an approved reader payment, a
// capture, a cancel, a refund, a disputed payment won with test evidence, a
// saved card (declined, then set up), a destination charge with its fee
// refunded and its transfer reversed, a customer's life with a card
// attached and detached, a card needing authentication, a canceled
// SetupIntent — with a platform endpoint and a
// Connect endpoint subscribed to "*", and holds what was delivered to the
// sandbox's table of emitted types: every type it emits is delivered by a
// real flow (account.updated, which only the event tests raise, aside),
// signed for its endpoint, conforming to the spec, on the right account.
func TestEveryStateChangeIsDelivered(t *testing.T) {
	e := newEnv(t, Options{DisputeDelay: disputeDelay})
	seller := e.tSeller("acct_1SellerCoverage01")
	platform, connect := newReceiver(t), newReceiver(t)
	pw := e.newWebhook("", platform.srv.URL, false, "*")
	cw := e.newWebhook("", connect.srv.URL, true, "*")
	r := e.tReader("") // a platform-owned reader: its events are the platform's

	// A declined card, then an approved one, on a manual-capture sale; captured; partly refunded.
	pi := e.tIntent(seller, 2000, stripe.PaymentIntentCaptureMethodManual)
	e.tMustProcess("", r.ID, pi.ID)
	e.tMustPresent("", r.ID, "4000000000000002")
	e.tMustProcess("", r.ID, pi.ID)
	e.tMustPresent("", r.ID, "")
	cp := &stripe.PaymentIntentCaptureParams{}
	cp.SetStripeAccount(seller)
	if _, err := e.sc.PaymentIntents.Capture(pi.ID, cp); err != nil {
		t.Fatal(err)
	}
	if _, err := e.pRefund(seller, pi.ID, 500); err != nil {
		t.Fatal(err)
	}
	// A sale cancelled before a card.
	gone := e.tIntent(seller, 900, stripe.PaymentIntentCaptureMethodAutomatic)
	cancel := &stripe.PaymentIntentCancelParams{}
	cancel.SetStripeAccount(seller)
	if _, err := e.sc.PaymentIntents.Cancel(gone.ID, cancel); err != nil {
		t.Fatal(err)
	}
	// A disputed payment, won with Stripe's winning test evidence.
	dpi := e.payWith(seller, "pm_card_createDispute", 3000, "automatic")
	d := e.waitDispute(seller, dpi.ID)
	if _, err := e.updateDispute(seller, d.ID, &stripe.DisputeParams{
		Evidence: &stripe.DisputeEvidenceParams{UncategorizedText: stripe.String(winningEvidence)}}); err != nil {
		t.Fatal(err)
	}
	e.waitStatus(seller, d.ID, stripe.DisputeStatusWon)
	// A card saved on the reader: declined, then set up.
	si, err := e.sc.SetupIntents.New(&stripe.SetupIntentParams{PaymentMethodTypes: stripe.StringSlice([]string{"card_present"})})
	if err != nil {
		t.Fatal(err)
	}
	sp := &stripe.TerminalReaderProcessSetupIntentParams{SetupIntent: stripe.String(si.ID), CustomerConsentCollected: stripe.Bool(true)}
	for _, card := range []string{"4000000000000002", ""} {
		if _, err := e.sc.TerminalReaders.ProcessSetupIntent(r.ID, sp); err != nil {
			t.Fatal(err)
		}
		e.tMustPresent("", r.ID, card)
	}

	// Connect: a destination charge with a fee, captured (transfer.created,
	// application_fee.created), refunded with its transfer reversed and its
	// fee refunded.
	dest, err := e.platformIntent(1000, "usd", destination(seller, 30))
	if err != nil {
		t.Fatal(err)
	}
	e.tMustProcess("", r.ID, dest.ID)
	e.tMustPresent("", r.ID, "")
	if _, err := e.sc.Refunds.New(&stripe.RefundParams{PaymentIntent: stripe.String(dest.ID),
		ReverseTransfer: stripe.Bool(true), RefundApplicationFee: stripe.Bool(true)}); err != nil {
		t.Fatal(err)
	}
	// Customers: created, updated, a test card attached and detached, deleted.
	cus := e.cCustomer(seller, "Mara Lindqvist", "mara@example.com")
	cu := &stripe.CustomerParams{Name: stripe.String("Mara L.")}
	cu.SetStripeAccount(seller)
	if _, err := e.sc.Customers.Update(cus.ID, cu); err != nil {
		t.Fatal(err)
	}
	ap := &stripe.PaymentMethodAttachParams{Customer: stripe.String(cus.ID)}
	ap.SetStripeAccount(seller)
	pm, err := e.sc.PaymentMethods.Attach("pm_card_visa", ap)
	if err != nil {
		t.Fatal(err)
	}
	dp := &stripe.PaymentMethodDetachParams{}
	dp.SetStripeAccount(seller)
	if _, err := e.sc.PaymentMethods.Detach(pm.ID, dp); err != nil {
		t.Fatal(err)
	}
	cd := &stripe.CustomerParams{}
	cd.SetStripeAccount(seller)
	if _, err := e.sc.Customers.Del(cus.ID, cd); err != nil {
		t.Fatal(err)
	}
	// A card that needs the cardholder's authentication, on session.
	if _, err := e.cConfirm(seller, "", "pm_card_authenticationRequired", 1000, "", false); err != nil {
		t.Fatal(err)
	}
	// A SetupIntent canceled.
	si2, err := e.sc.SetupIntents.New(&stripe.SetupIntentParams{PaymentMethodTypes: stripe.StringSlice([]string{"card_present"})})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.sc.SetupIntents.Cancel(si2.ID, nil); err != nil {
		t.Fatal(err)
	}

	// Everything emitted is owed to exactly one endpoint: wait for it all.
	var emitted int
	for _, acct := range []string{"", seller} {
		emitted += len(e.pEvents(acct))
	}
	deadline := time.Now().Add(10 * time.Second)
	for len(platform.deliveries())+len(connect.deliveries()) < emitted && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	delivered := map[string]bool{}
	check := func(rcv *receiver, secret, account string) {
		for _, dl := range rcv.deliveries() {
			ev, err := webhook.ConstructEvent(dl.body, dl.signature, secret)
			if err != nil {
				t.Errorf("a delivery does not verify with its endpoint's secret: %v", err)
				continue
			}
			if ev.Account != account {
				t.Errorf("%s delivered with account %q, want %q", ev.Type, ev.Account, account)
			}
			conformEvent(t, dl.body)
			delivered[string(ev.Type)] = true
		}
	}
	check(platform, pw.Secret, "")
	check(connect, cw.Secret, seller)
	if got := len(platform.deliveries()) + len(connect.deliveries()); got != emitted {
		t.Errorf("%d deliveries of %d events (each is owed to one endpoint exactly once)", got, emitted)
	}

	var missing, extra []string
	for typ := range eventTypes {
		if typ != "account.updated" && !delivered[typ] {
			missing = append(missing, typ)
		}
	}
	for typ := range delivered {
		if _, ok := eventTypes[typ]; !ok {
			extra = append(extra, typ)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	if len(missing) > 0 || len(extra) > 0 {
		t.Errorf("event types never delivered: %s; delivered but not in the table: %s",
			strings.Join(missing, ", "), strings.Join(extra, ", "))
	}
}
