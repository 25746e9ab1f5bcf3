package stripeapi

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"kasse/pos"
)

const chargeJSON = `{"id":"ch_1","object":"charge","amount":1400,"amount_captured":0,"amount_refunded":0,"captured":false,"refunded":false,"status":"succeeded","payment_method_details":{"type":"card_present","card_present":{"brand":"visa","last4":"4242"}}}`

// A reader whose process_payment_intent action succeeded, with the intent
// and its latest charge expanded, and a 150 tip.
const readerWithActionJSON = `{"id":"tmr_1","object":"terminal.reader","device_type":"simulated_wisepos_e","label":"Till 1","livemode":false,"metadata":{"till":"1"},"serial_number":"SN1","status":"online","location":"tml_1","ip_address":"0.0.0.0","device_sw_version":"2.0",
"action":{"type":"process_payment_intent","status":"succeeded","failure_code":null,"failure_message":null,
 "process_payment_intent":{"payment_intent":{"id":"pi_1","object":"payment_intent","amount":1400,"amount_capturable":1400,"amount_received":0,"currency":"usd","status":"requires_capture","capture_method":"manual","amount_details":{"tip":{"amount":150}},"metadata":{},"created":1700000000,"latest_charge":` + chargeJSON + `},"process_config":{"skip_tipping":false}}}}`

func TestGetReaderMapsExpandedAction(t *testing.T) {
	fake := newFakeStripe(t, jsonReply(200, readerWithActionJSON))
	c := newClient(t, fake.URL)
	r, err := c.GetReader(testCtx(t), pos.Platform, "tmr_1")
	if err != nil {
		t.Fatal(err)
	}
	if r.ID != "tmr_1" || r.Owner != pos.Platform || r.Label != "Till 1" || r.DeviceType != "simulated_wisepos_e" ||
		!r.Online() || r.LocationID != "tml_1" || r.SoftwareVersion != "2.0" || r.IPAddress != "0.0.0.0" ||
		r.SerialNumber != "SN1" || r.Metadata["till"] != "1" || r.RequestID != "req_fake" {
		t.Errorf("reader = %+v", r)
	}
	a := r.Action
	if a == nil || a.Type != pos.ActionProcessPaymentIntent || a.Status != pos.ActionSucceeded || a.PaymentIntentID != "pi_1" || r.Busy() {
		t.Fatalf("action = %+v", a)
	}
	in := a.Intent
	if in == nil || in.ID != "pi_1" || in.Status != pos.IntentRequiresCapture || in.Amount != 1400 || in.AmountCapturable != 1400 ||
		in.Tip == nil || *in.Tip != 150 || in.RequestID != "req_fake" || in.Created != time.Unix(1700000000, 0).UTC() {
		t.Fatalf("action intent = %+v", in)
	}
	ch := in.LatestCharge
	if ch == nil || in.LatestChargeID != "ch_1" || ch.Card != (pos.Card{Brand: "visa", Last4: "4242"}) || ch.Amount != 1400 || ch.Status != "succeeded" {
		t.Errorf("latest charge = %+v (id %q)", ch, in.LatestChargeID)
	}
}

func TestGetReaderFailedActionWithUnexpandedIntent(t *testing.T) {
	body := strings.Replace(readerJSON, `"action":null`,
		`"action":{"type":"process_payment_intent","status":"failed","failure_code":"card_declined","failure_message":"Your card has insufficient funds.","process_payment_intent":{"payment_intent":"pi_9"}}`, 1)
	fake := newFakeStripe(t, jsonReply(200, body))
	c := newClient(t, fake.URL)
	r, err := c.GetReader(testCtx(t), seller, "tmr_1")
	if err != nil {
		t.Fatal(err)
	}
	a := r.Action
	if r.Owner != seller || a == nil || a.Status != pos.ActionFailed || a.FailureCode != "card_declined" ||
		a.FailureMessage != "Your card has insufficient funds." || a.PaymentIntentID != "pi_9" || a.Intent != nil {
		t.Errorf("reader %+v action %+v", r, a)
	}
}

// The cart a set_reader_display action shows comes back, so a console can
// check that a reader still shows its cart before clearing it.
func TestGetReaderMapsDisplayedCart(t *testing.T) {
	body := strings.Replace(readerJSON, `"action":null`,
		`"action":{"type":"set_reader_display","status":"in_progress","failure_code":null,"failure_message":null,"set_reader_display":{"type":"cart","cart":{"currency":"eur","line_items":[{"amount":700,"description":"Coffee","quantity":2}],"tax":56,"total":756}}}`, 1)
	fake := newFakeStripe(t, jsonReply(200, body))
	c := newClient(t, fake.URL)
	r, err := c.GetReader(testCtx(t), pos.Platform, "tmr_1")
	if err != nil {
		t.Fatal(err)
	}
	want := pos.DisplayCart{Currency: "eur", Lines: []pos.CartLine{{Description: "Coffee", Quantity: 2, Amount: 700}}, Tax: 56, Total: 756}
	if r.Action == nil || !pos.ShowsCart(r, want) {
		t.Fatalf("action = %+v", r.Action)
	}
}

func TestGetReaderDeletedIsNotFound(t *testing.T) {
	fake := newFakeStripe(t, jsonReply(200, `{"id":"tmr_1","object":"terminal.reader","deleted":true}`))
	c := newClient(t, fake.URL)
	_, err := c.GetReader(testCtx(t), pos.Platform, "tmr_1")
	if !pos.IsKind(err, pos.KindNotFound) {
		t.Fatalf("err = %v, want KindNotFound", err)
	}
}

func TestIntentTipAndDecline(t *testing.T) {
	cases := map[string]struct {
		amountDetails string
		tip           *int64
	}{
		"tipping off":   {`{"tip":{}}`, nil},
		"no tip chosen": {`{"tip":{"amount":0}}`, ptr(0)},
		"tip":           {`{"tip":{"amount":275}}`, ptr(275)},
		"no details":    {`null`, nil},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			body := `{"id":"pi_1","object":"payment_intent","amount":1250,"currency":"usd","status":"requires_payment_method",` +
				`"amount_details":` + tc.amountDetails + `,"latest_charge":"ch_failed",` +
				`"last_payment_error":{"type":"card_error","code":"card_declined","decline_code":"insufficient_funds","message":"Your card has insufficient funds."}}`
			fake := newFakeStripe(t, jsonReply(200, body))
			c := newClient(t, fake.URL)
			in, err := c.GetIntent(testCtx(t), seller, "pi_1")
			if err != nil {
				t.Fatal(err)
			}
			if (in.Tip == nil) != (tc.tip == nil) || in.Tip != nil && *in.Tip != *tc.tip {
				t.Errorf("Tip = %v, want %v", deref(in.Tip), deref(tc.tip))
			}
			want := pos.PaymentError{Type: "card_error", Code: "card_declined", DeclineCode: "insufficient_funds", Message: "Your card has insufficient funds."}
			if in.LastError == nil || *in.LastError != want {
				t.Errorf("LastError = %+v", in.LastError)
			}
			if in.Account != seller || in.LatestChargeID != "ch_failed" || in.LatestCharge != nil {
				t.Errorf("intent = %+v", in)
			}
		})
	}
}

func TestListIntentsTipsPerItem(t *testing.T) {
	items := `{"id":"pi_a","object":"payment_intent","amount":100,"currency":"usd","status":"succeeded","amount_details":{"tip":{"amount":20}}},` +
		`{"id":"pi_b","object":"payment_intent","amount":100,"currency":"usd","status":"succeeded","amount_details":{"tip":{}}}`
	fake := newFakeStripe(t, jsonReply(200, listJSON("/v1/payment_intents", items)))
	c := newClient(t, fake.URL)
	got, err := c.ListIntents(testCtx(t), seller, pos.IntentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Tip == nil || *got[0].Tip != 20 || got[1].Tip != nil || got[0].RequestID != "req_fake" {
		t.Fatalf("intents = %+v", got)
	}
	if f := fake.take()[0].Form; f.Get("limit") != "50" {
		t.Errorf("default page limit = %q, want 50", f.Get("limit"))
	}
}

func TestSellerRefundLocationEventMapping(t *testing.T) {
	fake := newFakeStripe(t, cannedStripe)
	c := newClient(t, fake.URL)
	ctx := testCtx(t)

	s, err := c.GetSeller(ctx, seller)
	want := pos.Seller{ID: seller, DisplayName: "Bäckerei Nord", Country: "DE", Currency: "eur", CardPayments: pos.CapabilityActive, ChargesEnabled: true}
	if err != nil || !reflect.DeepEqual(s, want) {
		t.Errorf("seller = %+v, %v; want %+v", s, err, want)
	}

	r, err := c.CreateRefund(ctx, seller, pos.RefundRequest{IntentID: "pi_1"}, "k")
	if err != nil || r.ID != "re_1" || r.Account != seller || r.ChargeID != "ch_1" || r.IntentID != "pi_1" ||
		r.Amount != 500 || r.Status != "succeeded" || r.Reason != "requested_by_customer" || r.RequestID != "req_fake" {
		t.Errorf("refund = %+v, %v", r, err)
	}

	locs, err := c.ListLocations(ctx, pos.Platform)
	if err != nil || len(locs) != 1 || locs[0].Owner != pos.Platform || locs[0].DisplayName != "Shop" ||
		locs[0].Address != (pos.Address{Line1: "1 Main St", City: "Springfield", State: "IL", PostalCode: "62701", Country: "US"}) {
		t.Errorf("locations = %+v, %v", locs, err)
	}

	evs, err := c.ListEvents(ctx, pos.Platform, "", 0)
	if err != nil || len(evs) != 1 || evs[0].ID != "evt_1" || evs[0].Type != "payment_intent.succeeded" || evs[0].Account != seller ||
		!evs[0].Created.Equal(time.Unix(1700000000, 0)) || evs[0].ObjectID != "pi_1" || len(evs[0].Payload) == 0 {
		t.Errorf("events = %+v, %v", evs, err)
	}
}

func ptr(n int64) *int64 { return &n }

func deref(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}
