package stripeapi

import (
	"errors"
	"testing"

	"kasse/pos"
)

// A saved card declined at create is HTTP 402 card_error with the failed
// intent in the error: the adapter hands its id to the machine, which
// keeps the intent for the reader.
func TestCardErrorCarriesTheIntent(t *testing.T) {
	fake := newFakeStripe(t, jsonReply(402, `{"error":{"type":"card_error","code":"card_declined","decline_code":"insufficient_funds",`+
		`"message":"Your card has insufficient funds.","charge":"ch_1","payment_intent":`+intentJSON+`}}`))
	c := newClient(t, fake.URL)
	_, err := c.CreateIntent(testCtx(t), seller, pos.CreateIntentRequest{Amount: 1250, Currency: "usd", Customer: "cus_1", SavedCard: "pm_1"}, "k1")
	var pe *pos.Error
	if !errors.As(err, &pe) || pe.Kind != pos.KindDeclined || pe.IntentID != "pi_1" || pe.DeclineCode != "insufficient_funds" || pe.HTTPStatus != 402 {
		t.Fatalf("err = %#v", err)
	}
}

// The generated card of a charge and of a reader's setup action reach the
// domain.
func TestGeneratedCardsConvert(t *testing.T) {
	fake := newFakeStripe(t, jsonReply(200, `{"id":"tmr_1","object":"terminal.reader","status":"online","action":{"type":"process_setup_intent","status":"succeeded",`+
		`"process_setup_intent":{"setup_intent":"seti_1","generated_card":"pm_gen"}}}`))
	c := newClient(t, fake.URL)
	r, err := c.GetReader(testCtx(t), pos.Platform, "tmr_1")
	if err != nil || r.Action == nil || r.Action.SetupIntentID != "seti_1" || r.Action.GeneratedCard != "pm_gen" {
		t.Fatalf("reader %v %+v", err, r.Action)
	}
	fake2 := newFakeStripe(t, jsonReply(200, `{"id":"pi_1","object":"payment_intent","status":"succeeded","amount":1000,"currency":"usd",`+
		`"latest_charge":{"id":"ch_1","object":"charge","status":"succeeded","payment_method_details":{"type":"card_present",`+
		`"card_present":{"brand":"visa","last4":"4242","generated_card":"pm_gen"}}}}`))
	in, err := newClient(t, fake2.URL).GetIntent(testCtx(t), seller, "pi_1")
	if err != nil || in.LatestCharge == nil || in.LatestCharge.GeneratedCard != "pm_gen" {
		t.Fatalf("intent %v %+v", err, in.LatestCharge)
	}
}
