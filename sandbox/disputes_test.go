package sandbox

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/webhook"
)

// disputeDelay is the tests' Options.DisputeDelay.
const disputeDelay = 10 * time.Millisecond

// payWith creates and confirms a card intent on acct with a test
// PaymentMethod.
func (e *env) payWith(acct, pm string, amount int64, capture string) *stripe.PaymentIntent {
	e.t.Helper()
	p := &stripe.PaymentIntentParams{Amount: stripe.Int64(amount), Currency: stripe.String("usd"),
		PaymentMethodTypes: stripe.StringSlice([]string{"card"}), PaymentMethod: stripe.String(pm),
		Confirm: stripe.Bool(true), CaptureMethod: stripe.String(capture)}
	payParams(&p.Params, acct)
	pi, err := e.sc.PaymentIntents.New(p)
	if err != nil {
		e.t.Fatalf("confirm with %s: %v", pm, err)
	}
	return pi
}

// disputesOf lists acct's disputes with f applied.
func (e *env) disputesOf(acct string, f func(*stripe.DisputeListParams)) []*stripe.Dispute {
	e.t.Helper()
	p := &stripe.DisputeListParams{}
	if acct != "" {
		p.SetStripeAccount(acct)
	}
	if f != nil {
		f(p)
	}
	it := e.sc.Disputes.List(p)
	var out []*stripe.Dispute
	for it.Next() {
		out = append(out, it.Dispute())
	}
	if err := it.Err(); err != nil {
		e.t.Fatalf("list disputes: %v", err)
	}
	return out
}

// waitDispute waits for the dispute of intent piID on acct.
func (e *env) waitDispute(acct, piID string) *stripe.Dispute {
	e.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if ds := e.disputesOf(acct, func(p *stripe.DisputeListParams) { p.PaymentIntent = stripe.String(piID) }); len(ds) > 0 {
			return ds[0]
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("no dispute for %s", piID)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// waitStatus waits until dispute id reaches status.
func (e *env) waitStatus(acct, id string, status stripe.DisputeStatus) *stripe.Dispute {
	e.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		p := &stripe.DisputeParams{}
		payParams(&p.Params, acct)
		d, err := e.sc.Disputes.Get(id, p)
		if err != nil {
			e.t.Fatal(err)
		}
		if d.Status == status {
			return d
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("dispute %s is %s, want %s", id, d.Status, status)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (e *env) updateDispute(acct, id string, p *stripe.DisputeParams) (*stripe.Dispute, error) {
	payParams(&p.Params, acct)
	return e.sc.Disputes.Update(id, p)
}

func TestDisputeOpensOnTheSellerAndRefusesRefunds(t *testing.T) {
	e := newEnv(t, Options{DisputeDelay: disputeDelay})
	seller := e.addSeller("Lumen", "US", "usd")
	rcv := newReceiver(t)
	w := e.newWebhook("", rcv.srv.URL, true, "charge.dispute.created", "charge.dispute.funds_withdrawn")
	pi := e.payWith(seller, "pm_card_createDispute", 4200, "automatic")
	if pi.Status != stripe.PaymentIntentStatusSucceeded || pi.LatestCharge == nil {
		t.Fatalf("payment %s", pi.Status)
	}
	d := e.waitDispute(seller, pi.ID)
	if d.Status != stripe.DisputeStatusNeedsResponse || d.Reason != "fraudulent" || d.Amount != 4200 ||
		d.Charge.ID != pi.LatestCharge.ID || d.IsChargeRefundable || d.EvidenceDetails.DueBy <= time.Now().Unix() ||
		d.EvidenceDetails.HasEvidence || len(d.BalanceTransactions) != 1 || d.BalanceTransactions[0].Amount != -4200 {
		t.Errorf("dispute: %+v", d)
	}
	if ch := e.pCharge(seller, pi.LatestCharge.ID); !ch.Disputed {
		t.Error("charge.disputed is false")
	}
	_, err := e.pRefund(seller, pi.ID, 0)
	wantErr(t, err, 400, "charge_disputed", "charge", "Charge "+pi.LatestCharge.ID+" has been charged back; cannot issue a refund.")
	if got := e.pEvents(seller, "charge.dispute."); !eqStrings(got, []string{"charge.dispute.created", "charge.dispute.funds_withdrawn"}) {
		t.Errorf("events %v", got)
	}
	for _, dl := range rcv.waitFor(2) {
		ev, err := webhook.ConstructEvent(dl.body, dl.signature, w.Secret)
		if err != nil || ev.Account != seller || !strings.HasPrefix(string(ev.Type), "charge.dispute.") {
			t.Errorf("delivery %s %v (account %q)", ev.Type, err, ev.Account)
		}
		conformEvent(t, dl.body)
	}
	// Only the owning account sees it.
	if ds := e.disputesOf("", nil); len(ds) != 0 {
		t.Errorf("the platform lists the seller's dispute")
	}
	_, err = e.sc.Disputes.Get(d.ID, nil)
	wantErr(t, err, 404, "resource_missing", "dispute", "No such dispute: '"+d.ID+"'")
	// Filters.
	other := e.payWith(seller, "pm_card_createDispute", 100, "automatic")
	e.waitDispute(seller, other.ID)
	if ds := e.disputesOf(seller, func(p *stripe.DisputeListParams) { p.Charge = stripe.String(pi.LatestCharge.ID) }); len(ds) != 1 || ds[0].ID != d.ID {
		t.Errorf("charge filter: %d", len(ds))
	}
	if ds := e.disputesOf(seller, nil); len(ds) != 2 || ds[1].ID != d.ID {
		t.Errorf("all, newest first: %d", len(ds))
	}
	if ds := e.disputesOf(seller, func(p *stripe.DisputeListParams) {
		p.CreatedRange = &stripe.RangeQueryParams{GreaterThan: time.Now().Unix() + 60}
	}); len(ds) != 0 {
		t.Errorf("created filter: %d", len(ds))
	}
	// Expand.
	p := &stripe.DisputeParams{}
	p.SetStripeAccount(seller)
	p.AddExpand("charge")
	p.AddExpand("payment_intent")
	got, err := e.sc.Disputes.Get(d.ID, p)
	if err != nil || got.Charge.Amount != 4200 || got.PaymentIntent.ID != pi.ID {
		t.Errorf("expanded: %+v %v", got, err)
	}
}

func TestDisputeEvidenceStagedThenWon(t *testing.T) {
	e := newEnv(t, Options{DisputeDelay: disputeDelay})
	seller := e.addSeller("Lumen", "US", "usd")
	pi := e.payWith(seller, "pm_card_createDispute", 3000, "automatic")
	d := e.waitDispute(seller, pi.ID)

	staged, err := e.updateDispute(seller, d.ID, &stripe.DisputeParams{Submit: stripe.Bool(false),
		Evidence: &stripe.DisputeEvidenceParams{ProductDescription: stripe.String("2 × flat white"), UncategorizedText: stripe.String(winningEvidence)}})
	if err != nil {
		t.Fatal(err)
	}
	if staged.Status != stripe.DisputeStatusNeedsResponse || !staged.EvidenceDetails.HasEvidence ||
		staged.EvidenceDetails.SubmissionCount != 0 || staged.Evidence.ProductDescription != "2 × flat white" {
		t.Errorf("staged: %+v", staged)
	}
	time.Sleep(3 * disputeDelay)
	if got := e.waitStatus(seller, d.ID, stripe.DisputeStatusNeedsResponse); got.Status != stripe.DisputeStatusNeedsResponse {
		t.Error("staged test evidence decided the dispute")
	}
	sub, err := e.updateDispute(seller, d.ID, &stripe.DisputeParams{}) // submit defaults to true… but with nothing: no change
	if err != nil || sub.Status != stripe.DisputeStatusNeedsResponse {
		t.Errorf("an empty update submitted: %v %v", sub.Status, err)
	}
	sub, err = e.updateDispute(seller, d.ID, &stripe.DisputeParams{Submit: stripe.Bool(true)})
	if err != nil || sub.Status != stripe.DisputeStatusUnderReview || sub.EvidenceDetails.SubmissionCount != 1 ||
		sub.Evidence.ProductDescription != "2 × flat white" {
		t.Fatalf("submitted: %+v %v", sub, err)
	}
	won := e.waitStatus(seller, d.ID, stripe.DisputeStatusWon)
	if len(won.BalanceTransactions) != 2 || won.BalanceTransactions[1].Amount != 3000 {
		t.Errorf("won: balance transactions %+v", won.BalanceTransactions)
	}
	want := []string{"charge.dispute.created", "charge.dispute.funds_withdrawn", "charge.dispute.updated",
		"charge.dispute.updated", "charge.dispute.closed", "charge.dispute.funds_reinstated"}
	if got := e.pEvents(seller, "charge.dispute."); !eqStrings(got, want) {
		t.Errorf("events %v\nwant %v", got, want)
	}
	if prev := e.pLastEventObject(seller, "charge.dispute.closed"); prev["status"] != "won" {
		t.Errorf("closed event object status %v", prev["status"])
	}
	// Submitted and closed: evidence is final.
	_, err = e.updateDispute(seller, d.ID, &stripe.DisputeParams{Evidence: &stripe.DisputeEvidenceParams{CustomerName: stripe.String("x")}})
	wantErr(t, err, 400, "", "evidence", "")
	// Metadata may still change.
	md := &stripe.DisputeParams{}
	md.AddMetadata("kasse_note", "won")
	if got, err := e.updateDispute(seller, d.ID, md); err != nil || got.Metadata["kasse_note"] != "won" {
		t.Errorf("metadata: %v %v", got, err)
	}
	// A won chargeback can be refunded again.
	if _, err := e.pRefund(seller, pi.ID, 500); err != nil {
		t.Errorf("refund after a won dispute: %v", err)
	}
}

func TestDisputeLosingEvidenceAndClose(t *testing.T) {
	e := newEnv(t, Options{DisputeDelay: disputeDelay})
	seller := e.addSeller("Lumen", "US", "usd")
	pi := e.payWith(seller, "pm_card_createDispute", 3000, "automatic")
	d := e.waitDispute(seller, pi.ID)
	if _, err := e.updateDispute(seller, d.ID, &stripe.DisputeParams{
		Evidence: &stripe.DisputeEvidenceParams{UncategorizedText: stripe.String(losingEvidence)}}); err != nil {
		t.Fatal(err)
	}
	e.waitStatus(seller, d.ID, stripe.DisputeStatusLost)
	_, err := e.pRefund(seller, pi.ID, 0)
	wantErr(t, err, 400, "charge_disputed", "charge", "")

	// Other evidence stays under review.
	pi2 := e.payWith(seller, "pm_card_createDispute", 1000, "automatic")
	d2 := e.waitDispute(seller, pi2.ID)
	if _, err := e.updateDispute(seller, d2.ID, &stripe.DisputeParams{
		Evidence: &stripe.DisputeEvidenceParams{UncategorizedText: stripe.String("the customer signed")}}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(5 * disputeDelay)
	e.waitStatus(seller, d2.ID, stripe.DisputeStatusUnderReview)
	p := &stripe.DisputeParams{}
	p.SetStripeAccount(seller)
	_, err = e.sc.Disputes.Close(d2.ID, p)
	wantErr(t, err, 400, "", "", "")

	// Accepting (close) a chargeback loses it at once.
	pi3 := e.payWith(seller, "pm_card_createDispute", 1000, "automatic")
	d3 := e.waitDispute(seller, pi3.ID)
	closed, err := e.sc.Disputes.Close(d3.ID, p)
	if err != nil || closed.Status != stripe.DisputeStatusLost {
		t.Fatalf("close: %v %v", closed, err)
	}
	_, err = e.sc.Disputes.Close(d3.ID, p)
	wantErr(t, err, 400, "", "", "")
}

func TestDisputeInquiryStaysRefundable(t *testing.T) {
	e := newEnv(t, Options{DisputeDelay: disputeDelay})
	seller := e.addSeller("Lumen", "US", "usd")
	pi := e.payWith(seller, "pm_card_createDisputeInquiry", 2000, "automatic")
	d := e.waitDispute(seller, pi.ID)
	if d.Status != stripe.DisputeStatusWarningNeedsResponse || !d.IsChargeRefundable || len(d.BalanceTransactions) != 0 {
		t.Errorf("inquiry: %+v", d)
	}
	if _, err := e.pRefund(seller, pi.ID, 500); err != nil {
		t.Errorf("refund during an inquiry: %v", err)
	}
	p := &stripe.DisputeParams{}
	p.SetStripeAccount(seller)
	if c, err := e.sc.Disputes.Close(d.ID, p); err != nil || c.Status != stripe.DisputeStatusWarningClosed {
		t.Errorf("close an inquiry: %v %v", c, err)
	}
	pi2 := e.payWith(seller, "pm_card_createDisputeProductNotReceived", 2000, "automatic")
	if d := e.waitDispute(seller, pi2.ID); d.Reason != "product_not_received" || d.Status != stripe.DisputeStatusNeedsResponse {
		t.Errorf("product_not_received card: %s %s", d.Reason, d.Status)
	}
}

// TestDisputeCardPresentedOnAReader: the dispute card presented on a
// simulated reader is disputed too (the sandbox's decision), and a manual
// capture is disputed only once captured.
func TestDisputeCardPresentedOnAReader(t *testing.T) {
	e := newEnv(t, Options{DisputeDelay: disputeDelay})
	seller := e.addSeller("Lumen", "US", "usd")
	pi := e.pIntent(seller, 1500, "usd", "manual")
	if code, msg := e.pCollect(pi.ID, disputeCardFraudulent, 0); code != "" {
		t.Fatalf("the dispute card declined: %s %s", code, msg)
	}
	time.Sleep(5 * disputeDelay)
	if ds := e.disputesOf(seller, nil); len(ds) != 0 {
		t.Fatal("an authorization was disputed before capture")
	}
	cp := &stripe.PaymentIntentCaptureParams{}
	cp.SetStripeAccount(seller)
	if _, err := e.sc.PaymentIntents.Capture(pi.ID, cp); err != nil {
		t.Fatal(err)
	}
	d := e.waitDispute(seller, pi.ID)
	if d.Status != stripe.DisputeStatusNeedsResponse || d.PaymentMethodDetails.Card.Brand != "visa" {
		t.Errorf("dispute %+v", d)
	}
	// An ordinary card is never disputed.
	plain := e.pPaid(seller, 700, "automatic")
	time.Sleep(5 * disputeDelay)
	if ds := e.disputesOf(seller, func(p *stripe.DisputeListParams) { p.PaymentIntent = stripe.String(plain.ID) }); len(ds) != 0 {
		t.Error("an ordinary card was disputed")
	}
}

func TestDisputeBadInput(t *testing.T) {
	e := newEnv(t, Options{DisputeDelay: disputeDelay})
	seller := e.addSeller("Lumen", "US", "usd")
	pi := e.payWith(seller, "pm_card_createDispute", 3000, "automatic")
	d := e.waitDispute(seller, pi.ID)
	h := fwHeaders{"Stripe-Account": seller, "X-Kasse-Conformance": "skip-request"}
	r := e.raw("POST", "/v1/disputes/"+d.ID, "evidence[receipt]=file_123", fwHeaders{"Stripe-Account": seller})
	r.want(t, 404, "invalid_request_error", "resource_missing")
	if r.errField("param") != "evidence[receipt]" {
		t.Errorf("param %q", r.errField("param"))
	}
	e.raw("POST", "/v1/disputes/"+d.ID, "evidence[favourite_colour]=blue", h).want(t, 400, "invalid_request_error", "parameter_unknown")
	e.raw("POST", "/v1/disputes/"+d.ID, "evidence[uncategorized_text]="+strings.Repeat("x", 20001), h).want(t, 400, "invalid_request_error", "parameter_invalid")
	e.raw("POST", "/v1/disputes/"+d.ID, "submit=maybe", h).want(t, 400, "invalid_request_error", "parameter_invalid_boolean")
	e.raw("GET", "/v1/disputes/dp_nope", "", fwHeaders{"Stripe-Account": seller}).want(t, 404, "invalid_request_error", "resource_missing")
	// Nothing above changed the dispute.
	if got := e.waitStatus(seller, d.ID, stripe.DisputeStatusNeedsResponse); got.EvidenceDetails.HasEvidence {
		t.Error("a refused update staged evidence")
	}
	// Test payment methods: unknown, wrong type, confirm without one.
	for _, c := range []struct{ form, code, param string }{
		{"amount=100&currency=usd&payment_method_types[0]=card&payment_method=pm_card_nope&confirm=true", "resource_missing", "payment_method"},
		{"amount=100&currency=usd&payment_method_types[0]=card_present&payment_method=pm_card_visa&confirm=true", "payment_intent_incompatible_payment_method", "payment_method"},
		{"amount=100&currency=usd&payment_method_types[0]=card&confirm=true", "parameter_invalid", "payment_method"},
		{"amount=100&currency=usd&payment_method=pm_card_visa&confirm=true", "parameter_invalid", "return_url"},
	} {
		r := e.raw("POST", "/v1/payment_intents", c.form, fwHeaders{"X-Kasse-Conformance": "skip-request"})
		if r.status == http.StatusOK || r.errField("code") != c.code || r.errField("param") != c.param {
			t.Errorf("%s: %d %s", c.form, r.status, r.body)
		}
	}
	if got := e.pEvents("", "payment_intent.created"); len(got) != 0 {
		t.Errorf("refused confirms created intents: %v", got)
	}
	// payment_method without confirm waits for confirmation.
	p := &stripe.PaymentIntentParams{Amount: stripe.Int64(100), Currency: stripe.String("usd"),
		PaymentMethodTypes: stripe.StringSlice([]string{"card"}), PaymentMethod: stripe.String("pm_card_visa")}
	if pi, err := e.sc.PaymentIntents.New(p); err != nil || pi.Status != stripe.PaymentIntentStatusRequiresConfirmation {
		t.Errorf("payment_method without confirm: %v %v", pi, err)
	}
}

// TestDisputeChargeControl: the Go-level control disputes any captured
// charge, once.
func TestDisputeChargeControl(t *testing.T) {
	e := newEnv(t, Options{})
	seller := e.addSeller("Lumen", "US", "usd")
	pi := e.pPaid(seller, 800, "automatic")
	ch := e.pGet(seller, pi.ID).LatestCharge.ID
	id, err := e.srv.DisputeCharge(ch, "duplicate", false)
	if err != nil || !strings.HasPrefix(id, "dp_") {
		t.Fatalf("dispute: %q %v", id, err)
	}
	if _, err := e.srv.DisputeCharge(ch, "", false); err == nil {
		t.Error("disputed twice")
	}
	d := e.waitDispute(seller, pi.ID)
	if d.ID != id || d.Reason != "duplicate" {
		t.Errorf("dispute %s %s", d.ID, d.Reason)
	}
}
