package sandbox

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stripe/stripe-go/v76"
)

func TestRefundPartialsAddUp(t *testing.T) {
	e := newPayEnv(t)
	pi := e.pPaid("", 1000, "automatic")
	p := &stripe.RefundParams{PaymentIntent: stripe.String(pi.ID), Amount: stripe.Int64(300), Reason: stripe.String("requested_by_customer")}
	p.AddMetadata("line", "2")
	r1, err := e.sc.Refunds.New(p)
	if err != nil {
		t.Fatal(err)
	}
	chID := e.pGet("", pi.ID).LatestCharge.ID
	if !strings.HasPrefix(r1.ID, "re_") || r1.Amount != 300 || r1.Status != "succeeded" || r1.Reason != "requested_by_customer" ||
		r1.Charge.ID != chID || r1.PaymentIntent.ID != pi.ID || r1.Currency != "usd" || r1.Metadata["line"] != "2" {
		t.Fatalf("refund %+v", r1)
	}
	if r1.DestinationDetails == nil || r1.DestinationDetails.Type != "card" || r1.DestinationDetails.Card.Type != "reversal" {
		t.Errorf("destination_details %+v", r1.DestinationDetails)
	}
	if ch := e.pCharge("", chID); ch.AmountRefunded != 300 || ch.Refunded {
		t.Fatalf("after 300: amount_refunded %d refunded %v", ch.AmountRefunded, ch.Refunded)
	}
	r2, err := e.pRefund("", pi.ID, 0) // the remainder
	if err != nil || r2.Amount != 700 {
		t.Fatalf("remainder: %v %+v", err, r2)
	}
	if ch := e.pCharge("", chID); ch.AmountRefunded != 1000 || !ch.Refunded || ch.Status != "succeeded" {
		t.Fatalf("after all: amount_refunded %d refunded %v", ch.AmountRefunded, ch.Refunded)
	}
	_, err = e.pRefund("", pi.ID, 100)
	wantErr(t, err, 400, "charge_already_refunded", "charge", "Charge "+chID+" has already been refunded.")
	want := []string{"charge.refunded", "charge.refund.updated", "charge.refunded", "charge.refund.updated"}
	if ev := e.pEvents("", "charge.refund", "refund."); !eqStrings(ev, want) {
		t.Errorf("refund events %v, want %v (no refund.created on 2023-10-16)", ev, want)
	}
	if obj := e.pLastEventObject("", "charge.refunded"); obj["amount_refunded"].(float64) != 1000 || obj["refunded"] != true {
		t.Errorf("charge.refunded object %v", obj)
	}
}

func TestRefundOverRefundMessages(t *testing.T) {
	e := newPayEnv(t)
	cases := []struct {
		currency       string
		amount, refund int64
		want           string
	}{
		{"usd", 1000, 2500, "Refund amount ($25.00) is greater than unrefunded amount on charge ($10.00)"},
		{"eur", 1000, 2500, "Refund amount (€25.00) is greater than unrefunded amount on charge (€10.00)"},
		{"usd", 150000, 150001, "Refund amount ($1,500.01) is greater than unrefunded amount on charge ($1,500.00)"},
		{"jpy", 5000, 6000, "Refund amount (¥6,000) is greater than unrefunded amount on charge (¥5,000)"},
	}
	for _, c := range cases {
		pi := e.pIntent("", c.amount, c.currency, "automatic")
		if code, _ := e.pCollect(pi.ID, "", 0); code != "" {
			t.Fatal(code)
		}
		_, err := e.pRefund("", pi.ID, c.refund)
		se := wantErr(t, err, 400, "", "amount", c.want)
		if se.Type != "invalid_request_error" {
			t.Errorf("type %s", se.Type)
		}
	}
}

func TestRefundErrors(t *testing.T) {
	e := newPayEnv(t)
	open := e.pIntent("", 1000, "usd", "automatic")
	auth := e.pPaid("", 1000, "manual")
	paid := e.pPaid("", 1000, "automatic")
	declined := e.pIntent("", 1000, "usd", "automatic")
	e.pCollect(declined.ID, "4000000000000002", 0)
	failedCharge := e.pGet("", declined.ID).LatestCharge.ID
	other := e.pPaid("", 1000, "automatic")
	otherCharge := e.pGet("", other.ID).LatestCharge.ID

	_, err := e.sc.Refunds.New(&stripe.RefundParams{})
	wantErr(t, err, 400, "parameter_missing", "charge", "Missing required param: charge.")
	_, err = e.pRefund("", "pi_nope", 0)
	wantErr(t, err, 404, "resource_missing", "payment_intent", "No such payment_intent: 'pi_nope'")
	_, err = e.sc.Refunds.New(&stripe.RefundParams{Charge: stripe.String("ch_nope")})
	wantErr(t, err, 404, "resource_missing", "charge", "No such charge: 'ch_nope'")
	_, err = e.pRefund("", open.ID, 0)
	wantErr(t, err, 400, "", "payment_intent", "This PaymentIntent ("+open.ID+") does not have a successful charge to refund.")
	_, err = e.pRefund("", auth.ID, 0)
	wantErr(t, err, 400, "", "payment_intent", "This PaymentIntent ("+auth.ID+") has not been captured, so it cannot be refunded. Cancel the PaymentIntent to release the authorization.")
	_, err = e.sc.Refunds.New(&stripe.RefundParams{Charge: stripe.String(failedCharge)})
	wantErr(t, err, 400, "", "payment_intent", "This PaymentIntent ("+declined.ID+") does not have a successful charge to refund.")
	_, err = e.sc.Refunds.New(&stripe.RefundParams{PaymentIntent: stripe.String(paid.ID), Charge: stripe.String(otherCharge)})
	wantErr(t, err, 400, "parameter_invalid", "charge", "Charge "+otherCharge+" does not belong to PaymentIntent "+paid.ID+".")
	_, err = e.sc.Refunds.New(&stripe.RefundParams{PaymentIntent: stripe.String(paid.ID), RefundApplicationFee: stripe.Bool(true)})
	wantErr(t, err, 400, "parameter_invalid", "refund_application_fee", "")
	_, err = e.sc.Refunds.New(&stripe.RefundParams{PaymentIntent: stripe.String(paid.ID), ReverseTransfer: stripe.Bool(true)})
	wantErr(t, err, 400, "parameter_invalid", "reverse_transfer", "")

	for form, code := range map[string]string{
		"payment_intent=" + paid.ID + "&amount=0":       "parameter_invalid_integer",
		"payment_intent=" + paid.ID + "&amount=ten":     "parameter_invalid_integer",
		"payment_intent=" + paid.ID + "&reason=changed": "parameter_invalid",
	} {
		r := e.raw(http.MethodPost, "/v1/refunds", form, nil)
		r.want(t, 400, "invalid_request_error", code)
	}
	// Nothing was refunded by the failed attempts.
	if ch := e.pCharge("", e.pGet("", paid.ID).LatestCharge.ID); ch.AmountRefunded != 0 {
		t.Errorf("failed refunds changed amount_refunded to %d", ch.AmountRefunded)
	}
}

func TestRefundByChargeAndConnect(t *testing.T) {
	e := newPayEnv(t)
	seller := addTestAccount(e.srv, "US", "usd")
	p := &stripe.PaymentIntentParams{Amount: stripe.Int64(4000), Currency: stripe.String("usd"),
		PaymentMethodTypes: stripe.StringSlice([]string{"card_present"}), ApplicationFeeAmount: stripe.Int64(400)}
	p.SetStripeAccount(seller)
	pi, err := e.sc.PaymentIntents.New(p)
	if err != nil {
		t.Fatal(err)
	}
	e.pCollect(pi.ID, "5555555555554444", 0)
	chID := e.pGet(seller, pi.ID).LatestCharge.ID
	rp := &stripe.RefundParams{Charge: stripe.String(chID), Amount: stripe.Int64(1000), RefundApplicationFee: stripe.Bool(true)}
	rp.SetStripeAccount(seller)
	r, err := e.sc.Refunds.New(rp)
	if err != nil {
		t.Fatal(err)
	}
	if r.PaymentIntent.ID != pi.ID || r.Charge.ID != chID || r.Amount != 1000 {
		t.Errorf("refund %+v", r)
	}
	if ev := e.pEvents(seller, "charge.refund"); len(ev) != 2 {
		t.Errorf("seller refund events %v", ev)
	}
}

func TestRefundAccountScoping(t *testing.T) {
	e := newPayEnv(t)
	seller := addTestAccount(e.srv, "US", "usd")
	pi := e.pPaid(seller, 1000, "automatic")
	chID := e.pGet(seller, pi.ID).LatestCharge.ID
	_, err := e.pRefund("", pi.ID, 0)
	wantErr(t, err, 404, "resource_missing", "payment_intent", "No such payment_intent: '"+pi.ID+"'")
	_, err = e.sc.Refunds.New(&stripe.RefundParams{Charge: stripe.String(chID)})
	wantErr(t, err, 404, "resource_missing", "charge", "No such charge: '"+chID+"'")
	_, err = e.sc.Charges.Get(chID, nil)
	wantErr(t, err, 404, "resource_missing", "id", "No such charge: '"+chID+"'")

	r, err := e.pRefund(seller, pi.ID, 400)
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.sc.Refunds.Get(r.ID, nil)
	wantErr(t, err, 404, "resource_missing", "id", "No such refund: '"+r.ID+"'")
	gp := &stripe.RefundParams{}
	gp.SetStripeAccount(seller)
	if got, err := e.sc.Refunds.Get(r.ID, gp); err != nil || got.Amount != 400 {
		t.Fatalf("seller reads its refund: %v %+v", err, got)
	}
	if it := e.sc.Refunds.List(&stripe.RefundListParams{}); it.Next() {
		t.Errorf("platform lists the seller's refund %s", it.Refund().ID)
	}
	if ch := e.pCharge(seller, chID); ch.AmountRefunded != 400 {
		t.Errorf("amount_refunded %d", ch.AmountRefunded)
	}
}

func TestRefundListFilters(t *testing.T) {
	e := newPayEnv(t)
	a := e.pPaid("", 3000, "automatic")
	b := e.pPaid("", 3000, "automatic")
	var ids []string
	for _, pi := range []*stripe.PaymentIntent{a, a, b} {
		r, err := e.pRefund("", pi.ID, 500)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
	}
	list := func(p *stripe.RefundListParams) []string {
		var out []string
		it := e.sc.Refunds.List(p)
		for it.Next() {
			out = append(out, it.Refund().ID)
		}
		if err := it.Err(); err != nil {
			t.Fatal(err)
		}
		return out
	}
	if got := list(&stripe.RefundListParams{PaymentIntent: stripe.String(a.ID)}); !eqStrings(got, []string{ids[1], ids[0]}) {
		t.Errorf("by payment_intent: %v", got)
	}
	bCharge := e.pGet("", b.ID).LatestCharge.ID
	if got := list(&stripe.RefundListParams{Charge: stripe.String(bCharge)}); !eqStrings(got, []string{ids[2]}) {
		t.Errorf("by charge: %v", got)
	}
	if got := list(&stripe.RefundListParams{}); !eqStrings(got, []string{ids[2], ids[1], ids[0]}) {
		t.Errorf("all: %v", got)
	}
	p := &stripe.RefundListParams{}
	p.Limit = stripe.Int64(1)
	p.Single = true
	it := e.sc.Refunds.List(p)
	if !it.Next() || it.Refund().ID != ids[2] || it.Next() || !it.RefundList().HasMore {
		t.Errorf("limit 1: first page wrong")
	}
}

func TestChargeRefundsOnlyWhenExpanded(t *testing.T) {
	e := newPayEnv(t)
	pi := e.pPaid("", 2000, "automatic")
	chID := e.pGet("", pi.ID).LatestCharge.ID
	r1, _ := e.pRefund("", pi.ID, 500)
	r2, _ := e.pRefund("", pi.ID, 600)
	raw := e.raw(http.MethodGet, "/v1/charges/"+chID, "", nil)
	if v, has := raw.json["refunds"]; !has || v != nil {
		t.Errorf("unexpanded refunds: %v (present %v)", v, has)
	}
	ch := e.pCharge("", chID, "refunds")
	if ch.Refunds == nil || len(ch.Refunds.Data) != 2 || ch.Refunds.Data[0].ID != r2.ID || ch.Refunds.Data[1].ID != r1.ID ||
		ch.Refunds.URL != "/v1/charges/"+chID+"/refunds" {
		t.Fatalf("expanded refunds %+v", ch.Refunds)
	}
	// Expanding through the intent reaches the charge and its refunds.
	got := e.pGet("", pi.ID, "latest_charge.refunds")
	if got.LatestCharge.Refunds == nil || len(got.LatestCharge.Refunds.Data) != 2 || got.LatestCharge.AmountRefunded != 1100 {
		t.Errorf("latest_charge.refunds %+v", got.LatestCharge.Refunds)
	}
	bad := e.raw(http.MethodGet, "/v1/charges/"+chID, "expand[0]=outcome", nil)
	bad.want(t, 400, "invalid_request_error", "parameter_invalid")
}

func TestChargesList(t *testing.T) {
	e := newPayEnv(t)
	pi := e.pIntent("", 1000, "usd", "automatic")
	e.pCollect(pi.ID, "4000000000009995", 0)
	e.pCollect(pi.ID, "", 0)
	e.pPaid("", 1000, "automatic")
	var statuses []string
	it := e.sc.Charges.List(&stripe.ChargeListParams{PaymentIntent: stripe.String(pi.ID)})
	for it.Next() {
		ch := it.Charge()
		if ch.PaymentIntent.ID != pi.ID {
			t.Errorf("charge of %s in the list of %s", ch.PaymentIntent.ID, pi.ID)
		}
		statuses = append(statuses, string(ch.Status))
	}
	if err := it.Err(); err != nil {
		t.Fatal(err)
	}
	if !eqStrings(statuses, []string{"succeeded", "failed"}) {
		t.Errorf("charges of the intent, newest first: %v", statuses)
	}
	n := 0
	for it := e.sc.Charges.List(&stripe.ChargeListParams{}); it.Next(); {
		n++
	}
	if n != 3 {
		t.Errorf("all charges: %d", n)
	}
}
