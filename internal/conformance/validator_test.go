package conformance

import (
	"errors"
	"strings"
	"testing"
)

func TestRoute(t *testing.T) {
	v := sharedValidator(t)
	cases := []struct{ method, path, want string }{
		{"GET", "/v1/terminal/readers/tmr_1", "/v1/terminal/readers/{reader}"},
		{"delete", "/v1/terminal/readers/tmr_1", "/v1/terminal/readers/{reader}"},
		{"POST", "/v1/terminal/readers/tmr_1/process_payment_intent", "/v1/terminal/readers/{reader}/process_payment_intent"},
		{"POST", "/v1/test_helpers/terminal/readers/tmr_1/present_payment_method", "/v1/test_helpers/terminal/readers/{reader}/present_payment_method"},
		{"GET", "/v1/payment_intents/search", "/v1/payment_intents/search"},
		{"GET", "/v1/payment_intents/pi_1", "/v1/payment_intents/{intent}"},
		{"POST", "/v1/payment_intents/pi_1/capture", "/v1/payment_intents/{intent}/capture"},
	}
	for _, c := range cases {
		if got, ok := v.Route(c.method, c.path); !ok || got != c.want {
			t.Errorf("Route(%s %s) = %q, %v; want %q", c.method, c.path, got, ok, c.want)
		}
	}
	for _, bad := range [][2]string{
		{"POST", "/v1/terminal/readers/tmr_1/process_payment"}, // wrong action
		{"GET", "/v1/terminal/readers/"},                       // empty id
		{"PUT", "/v1/terminal/readers/tmr_1"},                  // no such method
		{"DELETE", "/v1/payment_intents/pi_1"},                 // not deletable
	} {
		if got, ok := v.Route(bad[0], bad[1]); ok {
			t.Errorf("Route(%s %s) = %q, want no route", bad[0], bad[1], got)
		}
		err := v.ValidateResponse(bad[0], bad[1], 200, []byte(`{}`))
		if !errors.Is(err, ErrNoRoute) {
			t.Errorf("ValidateResponse(%s %s) = %v, want ErrNoRoute", bad[0], bad[1], err)
		}
	}
	if got := v.APIVersion(); got != "2023-10-16" {
		t.Errorf("APIVersion = %q, want 2023-10-16 (stripe-go v76)", got)
	}
}

// (a) stripe-mock's own answers to the console's calls, made through
// stripe-go v76, validate in strict mode and have fixture key parity.
func TestValidatorAcceptsStripeMockResponses(t *testing.T) {
	v := sharedValidator(t)
	if !v.Strict() {
		t.Fatal("SharedValidator must be strict")
	}
	for name, ex := range stripeMockSamples(t) {
		if err := v.ValidateResponse(ex.method, ex.path, ex.status, ex.body); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if miss := MissingFixtureKeys(decode(t, ex.body)); len(miss) > 0 {
			t.Errorf("%s: missing fixture keys %v", name, miss)
		}
	}
}

// (b) each mutation of a valid body is detected, by the schema or, for the
// dropped nullable key, by fixture key parity.
func TestStrictnessDetectsMutations(t *testing.T) {
	v := sharedValidator(t)
	s := stripeMockSamples(t)
	reader, pi := s["terminal.readers.get"], s["payment_intents.get+latest_charge"]

	t.Run("extra field", func(t *testing.T) {
		m := decode(t, reader.body)
		m["registration_code"] = "simulated-wpe"
		err := v.ValidateResponse("GET", reader.path, 200, encode(t, m))
		if err == nil || !strings.Contains(err.Error(), "registration_code") {
			t.Errorf("extra registration_code: err = %v, want one naming it", err)
		}
	})
	t.Run("wrong enum", func(t *testing.T) {
		m := decode(t, pi.body)
		m["status"] = "authorized"
		err := v.ValidateResponse("GET", pi.path, 200, encode(t, m))
		if err == nil || !strings.Contains(err.Error(), "at '/status'") {
			t.Errorf("status authorized: err = %v, want an error at /status", err)
		}
	})
	t.Run("dropped nullable key", func(t *testing.T) {
		m := decode(t, reader.body)
		if _, ok := m["action"]; !ok {
			t.Fatal("sample reader has no action key")
		}
		delete(m, "action")
		// The spec alone cannot see it: action is nullable, so not required.
		if err := v.ValidateResponse("GET", reader.path, 200, encode(t, m)); err != nil {
			t.Errorf("schema rejected a reader without action (spec changed?): %v", err)
		}
		if miss := MissingFixtureKeys(m); len(miss) != 1 || miss[0] != "action" {
			t.Errorf("MissingFixtureKeys = %v, want [action]", miss)
		}
	})
	t.Run("partial expansion", func(t *testing.T) {
		m := decode(t, pi.body)
		lc := child(t, m, "latest_charge")
		m["latest_charge"] = map[string]any{"id": lc["id"], "object": "charge"}
		err := v.ValidateResponse("GET", pi.path, 200, encode(t, m))
		if err == nil || !strings.Contains(err.Error(), "at '/latest_charge'") {
			t.Errorf("partial latest_charge: err = %v, want an error at /latest_charge", err)
		}
		if miss := MissingFixtureKeys(m); len(miss) == 0 || !strings.HasPrefix(miss[0], "latest_charge.") {
			t.Errorf("MissingFixtureKeys = %v, want latest_charge.* keys", miss)
		}
	})
	t.Run("nested wrong enum in expanded object", func(t *testing.T) {
		m := decode(t, pi.body)
		child(t, m, "latest_charge")["status"] = "authorized"
		if err := v.ValidateResponse("GET", pi.path, 200, encode(t, m)); err == nil {
			t.Error("charge status authorized inside latest_charge passed")
		}
	})
}

// Without strict mode the spec's open objects let an extra field through:
// strictness is what catches it.
func TestLaxValidatorIsOpen(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a second validator")
	}
	lax, err := NewValidator(false)
	if err != nil {
		t.Fatal(err)
	}
	reader := stripeMockSamples(t)["terminal.readers.get"]
	m := decode(t, reader.body)
	m["registration_code"] = "simulated-wpe"
	if err := lax.ValidateResponse("GET", reader.path, 200, encode(t, m)); err != nil {
		t.Errorf("lax validator rejected an extra field: %v", err)
	}
	m["label"] = 7
	if err := lax.ValidateResponse("GET", reader.path, 200, encode(t, m)); err == nil {
		t.Error("lax validator accepted label: 7")
	}
}

// (c) error bodies validate against the "default" response.
func TestErrorBodies(t *testing.T) {
	v := sharedValidator(t)
	const path = "/v1/payment_intents/pi_1/capture"
	good := `{"error":{"type":"card_error","code":"card_declined","decline_code":"generic_decline",` +
		`"message":"Your card was declined.","doc_url":"https://stripe.com/docs/error-codes/card-declined"}}`
	if err := v.ValidateResponse("POST", path, 402, []byte(good)); err != nil {
		t.Errorf("card_error body rejected: %v", err)
	}
	for name, body := range map[string]string{
		"bogus type":    `{"error":{"type":"bogus","message":"x"}}`,
		"missing type":  `{"error":{"message":"x"}}`,
		"extra field":   `{"error":{"type":"invalid_request_error","message":"x","hint":"y"}}`,
		"no envelope":   `{"type":"invalid_request_error","message":"x"}`,
		"not JSON":      `Internal Server Error`,
		"200 as error":  good, // judged by the 200 schema below
		"5xx bad shape": `{"error":"boom"}`,
	} {
		status := 400
		switch name {
		case "200 as error":
			status = 200
		case "5xx bad shape":
			status = 500
		}
		if err := v.ValidateResponse("POST", path, status, []byte(body)); err == nil {
			t.Errorf("%s: %d %s validated", name, status, body)
		}
	}
	if err := v.ValidateResponse("POST", path, 201, []byte(`{}`)); err == nil {
		t.Error("status 201 accepted; Stripe answers 200")
	}
}

func TestValidateComponent(t *testing.T) {
	v := sharedValidator(t)
	ev := decode(t, stripeMockSamples(t)["events.list"].body)
	data := ev["data"].([]any)
	if len(data) == 0 {
		t.Fatal("events.list sample has no data")
	}
	if err := v.ValidateComponent("event", encode(t, data[0])); err != nil {
		t.Errorf("event from stripe-mock: %v", err)
	}
	if err := v.ValidateComponent("terminal.reader", encode(t, data[0])); err == nil {
		t.Error("an event validated as terminal.reader")
	}
	if err := v.ValidateComponent("no.such_thing", []byte(`{}`)); err == nil {
		t.Error("unknown component accepted")
	}
}

// BenchmarkValidateResponse measures one validation (JSON decode included) of
// a PaymentIntent with an expanded latest_charge, schemas already compiled.
func BenchmarkValidateResponse(b *testing.B) {
	v := sharedValidator(b)
	pi := stripeMockSamples(b)["payment_intents.get+latest_charge"]
	if err := v.ValidateResponse("GET", pi.path, 200, pi.body); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if err := v.ValidateResponse("GET", pi.path, 200, pi.body); err != nil {
			b.Fatal(err)
		}
	}
}

// An event's data.object is free-form in the spec; it is held to the schema
// its "object" field names.
func TestEventPayloadsValidated(t *testing.T) {
	v := sharedValidator(t)
	s := stripeMockSamples(t)
	reader := decode(t, s["terminal.readers.get"].body)
	list := decode(t, s["events.list"].body)
	ev := list["data"].([]any)[0].(map[string]any)
	ev["type"] = "terminal.reader.action_failed"
	child(t, ev, "data")["object"] = reader
	if err := v.ValidateResponse("GET", "/v1/events", 200, encode(t, list)); err != nil {
		t.Errorf("event carrying a valid reader: %v", err)
	}
	reader["status"] = "busy"
	err := v.ValidateResponse("GET", "/v1/events", 200, encode(t, list))
	if err == nil || !strings.Contains(err.Error(), "'/data/0/data/object' (terminal.reader)") ||
		!strings.Contains(err.Error(), "at '/status'") {
		t.Errorf("event carrying a reader with status busy: err = %v", err)
	}
	if err := v.ValidateResponse("GET", "/v1/events/evt_1", 200, encode(t, ev)); err == nil {
		t.Error("single event with a bad payload validated")
	}
}
