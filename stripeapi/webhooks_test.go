package stripeapi

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v76/webhook"

	"kasse/pos"
)

const testEvent = `{"id":"evt_1","object":"event","account":"acct_1SELLER","api_version":"2023-10-16","created":1700000000,
"data":{"object":{"id":"re_1","object":"refund","amount":500,"charge":"ch_1","created":1700000000,"currency":"usd",
"metadata":{},"payment_intent":"pi_1","reason":null,"status":"succeeded"}},"livemode":false,"pending_webhooks":1,
"request":{"id":null,"idempotency_key":null},"type":"charge.refund.updated"}`

func signed(payload, secret string, at time.Time) string {
	return webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: []byte(payload), Secret: secret, Timestamp: at}).Header
}

func TestWebhookVerifier(t *testing.T) {
	const old, fresh = "whsec_old_secret_value", "whsec_new_secret_value"
	v, err := NewWebhookVerifier([]string{" " + fresh + " ", old}, 0)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	for _, sec := range []string{old, fresh} {
		ev, err := v.Verify([]byte(testEvent), signed(testEvent, sec, now))
		if err != nil {
			t.Fatalf("signed with a configured secret: %v", err)
		}
		if ev.ID != "evt_1" || ev.Account != seller || ev.Refund == nil || ev.Refund.Amount != 500 || ev.Refund.IntentID != "pi_1" ||
			ev.ObjectType != "refund" || string(ev.Payload) != testEvent {
			t.Errorf("event %+v", ev)
		}
	}
	// Both v1 values of a rotation in one header.
	two := signed(testEvent, "whsec_unknown", now) + ",v1=" + strings.SplitN(signed(testEvent, old, now), "v1=", 2)[1]
	if _, err := v.Verify([]byte(testEvent), two); err != nil {
		t.Errorf("two v1 values, one good: %v", err)
	}
	tampered := strings.Replace(testEvent, `"amount":500`, `"amount":5`, 1)
	cases := []struct {
		name, payload, header string
		want                  error
	}{
		{"unsigned", testEvent, "", pos.ErrWebhookUnsigned},
		{"malformed", testEvent, "t=abc,v1=00", pos.ErrWebhookUnsigned},
		{"other secret", testEvent, signed(testEvent, "whsec_someone_else", now), pos.ErrWebhookSignature},
		{"tampered", tampered, signed(testEvent, old, now), pos.ErrWebhookSignature},
		{"stale", testEvent, signed(testEvent, old, now.Add(-10*time.Minute)), pos.ErrWebhookStale},
		{"not an event", "[1,2]", signed("[1,2]", old, now), pos.ErrWebhookPayload},
		{"other version", strings.Replace(testEvent, "2023-10-16", "2024-06-20", 1),
			signed(strings.Replace(testEvent, "2023-10-16", "2024-06-20", 1), old, now), pos.ErrWebhookAPIVersion},
	}
	for _, c := range cases {
		_, err := v.Verify([]byte(c.payload), c.header)
		if !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
		if err != nil && (strings.Contains(err.Error(), old) || strings.Contains(err.Error(), fresh)) {
			t.Errorf("%s: the error names a secret", c.name)
		}
	}
	if _, err := NewWebhookVerifier([]string{"", " "}, 0); err == nil {
		t.Error("a verifier without secrets")
	}
	short, _ := NewWebhookVerifier([]string{old}, time.Minute)
	if _, err := short.Verify([]byte(testEvent), signed(testEvent, old, now.Add(-2*time.Minute))); !errors.Is(err, pos.ErrWebhookStale) {
		t.Errorf("tolerance 1m, 2m old: %v", err)
	}
}
