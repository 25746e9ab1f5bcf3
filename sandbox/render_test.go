package sandbox

import (
	"encoding/json"
	"net/http"
	"reflect"
	"testing"
)

// Spliced expansions write the expanded object exactly where the field
// is, even when metadata holds the same key with the same id (the key's
// first occurrence is the field's): the answer decodes to the object with
// that one field replaced.
func TestSplicedExpansions(t *testing.T) {
	e := newEnv(t, Options{Seed: "demo"})
	seller, rd, _ := demoIDs(e)
	pi := e.pIntent(seller, 1200, "usd", "automatic")
	e.pProcess(rd, pi.ID)
	e.pPresent(rd, "", 0)
	got := e.pGet(seller, pi.ID)
	chID := got.LatestCharge.ID
	// Metadata that names the fields, with the same ids.
	h := fwHeaders{"Stripe-Account": seller}
	e.raw(http.MethodPost, "/v1/payment_intents/"+pi.ID, "metadata[latest_charge]="+chID+"&metadata[on_behalf_of]=x", h)
	re := e.raw(http.MethodPost, "/v1/refunds", "payment_intent="+pi.ID+"&amount=100&metadata[charge]="+chID, h)
	e.raw(http.MethodPost, "/v1/terminal/readers/"+rd, "metadata[payment_intent]="+pi.ID+"&metadata[location]=tml_x", nil)
	pi2 := e.pIntent(seller, 1300, "usd", "automatic")
	e.pProcess(rd, pi2.ID) // the reader's action now holds pi2

	decode := func(b []byte) map[string]any {
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%v: %s", err, b)
		}
		return m
	}
	plain := func(path string, hdr fwHeaders) map[string]any { return e.raw("GET", path, "", hdr).json }
	for _, c := range []struct {
		name, path, query string
		hdr               fwHeaders
		want              func() map[string]any
	}{
		{"intent latest_charge", "/v1/payment_intents/" + pi.ID, "expand[]=latest_charge", h, func() map[string]any {
			m := plain("/v1/payment_intents/"+pi.ID, h)
			m["latest_charge"] = plain("/v1/charges/"+chID, h)
			return m
		}},
		{"refund charge", "/v1/refunds/" + re.json["id"].(string), "expand[]=charge", h, func() map[string]any {
			m := plain("/v1/refunds/"+re.json["id"].(string), h)
			m["charge"] = plain("/v1/charges/"+chID, h)
			return m
		}},
		{"reader action intent and location", "/v1/terminal/readers/" + rd,
			"expand[]=action.process_payment_intent.payment_intent&expand[]=location", nil, func() map[string]any {
				m := plain("/v1/terminal/readers/"+rd, nil)
				action := m["action"].(map[string]any)
				action["process_payment_intent"].(map[string]any)["payment_intent"] = plain("/v1/payment_intents/"+pi2.ID, h)
				m["location"] = plain("/v1/terminal/locations/"+m["location"].(string), nil)
				return m
			}},
	} {
		got := decode(e.raw("GET", c.path, c.query, c.hdr).body)
		if want := c.want(); !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got %v\nwant %v", c.name, got, want)
		}
	}
}
