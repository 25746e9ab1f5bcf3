package sandbox

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/webhook"

	"kasse/internal/conformance"
)

// receiver is a webhook endpoint's server in a test: it records every
// delivery and answers with what answer says (200 when nil).
type receiver struct {
	t   testing.TB
	srv *httptest.Server

	mu     sync.Mutex
	got    []delivered
	answer func(n int, d delivered) int // n: deliveries so far, this one included
	notify chan struct{}
}

type delivered struct {
	body      []byte
	signature string
	header    http.Header
	at        time.Time
}

func newReceiver(t testing.TB) *receiver {
	r := &receiver{t: t, notify: make(chan struct{}, 1000)}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		b, _ := io.ReadAll(req.Body)
		d := delivered{body: b, signature: req.Header.Get("Stripe-Signature"), header: req.Header.Clone(), at: time.Now()}
		r.mu.Lock()
		r.got = append(r.got, d)
		n, answer := len(r.got), r.answer
		r.mu.Unlock()
		status := http.StatusOK
		if answer != nil {
			status = answer(n, d)
		}
		w.WriteHeader(status)
		r.notify <- struct{}{}
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) setAnswer(f func(n int, d delivered) int) {
	r.mu.Lock()
	r.answer = f
	r.mu.Unlock()
}

// deliveries returns what was received so far.
func (r *receiver) deliveries() []delivered {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]delivered(nil), r.got...)
}

// waitFor waits until n deliveries arrived (10 s at most) and returns them.
func (r *receiver) waitFor(n int) []delivered {
	r.t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		if got := r.deliveries(); len(got) >= n {
			return got
		}
		select {
		case <-r.notify:
		case <-deadline:
			r.t.Fatalf("waited for %d webhook deliveries, got %d", n, len(r.deliveries()))
		}
	}
}

// eventOf decodes a delivered body.
func eventOf(t testing.TB, d delivered) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(d.body, &m); err != nil {
		t.Fatalf("delivered body is not JSON: %v", err)
	}
	return m
}

// conformEvent holds a delivered body to the spec's event schema, and its
// data.object to its own object's schema.
func conformEvent(t testing.TB, body []byte) {
	t.Helper()
	v, err := conformance.SharedValidator()
	if err != nil {
		t.Fatal(err)
	}
	if err := v.ValidateComponent("event", body); err != nil {
		t.Errorf("delivered event does not conform: %v", err)
	}
	var m map[string]any
	_ = json.Unmarshal(body, &m)
	obj, _ := m["data"].(map[string]any)["object"].(map[string]any)
	typ, _ := obj["object"].(string)
	b, _ := json.Marshal(obj)
	if err := v.ValidateComponent(typ, b); err != nil {
		t.Errorf("delivered event's data.object does not conform: %v", err)
	}
}

// newWebhook creates an endpoint on acct ("" = platform) for events.
func (e *env) newWebhook(acct, url string, connect bool, events ...string) *stripe.WebhookEndpoint {
	e.t.Helper()
	p := &stripe.WebhookEndpointParams{URL: stripe.String(url), EnabledEvents: stripe.StringSlice(events)}
	if connect {
		p.Connect = stripe.Bool(true)
	}
	payParams(&p.Params, acct)
	w, err := e.sc.WebhookEndpoints.New(p)
	if err != nil {
		e.t.Fatalf("create webhook endpoint: %v", err)
	}
	return w
}

func TestWebhookEndpointsCRUD(t *testing.T) {
	e := newEnv(t, Options{})
	w := e.newWebhook("", "https://example.com/hooks", false, "charge.refunded", "payment_intent.succeeded")
	if !strings.HasPrefix(w.Secret, "whsec_") || len(w.Secret) < 30 {
		t.Fatalf("create: secret %q, want a whsec_ secret", w.Secret)
	}
	if w.Status != "enabled" || w.URL != "https://example.com/hooks" || len(w.EnabledEvents) != 2 || w.APIVersion != "" {
		t.Errorf("create: %+v", w)
	}
	got, err := e.sc.WebhookEndpoints.Get(w.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got.Secret != "" {
		t.Error("the secret is shown after the create call")
	}
	raw := e.raw("GET", "/v1/webhook_endpoints/"+w.ID, "", nil)
	if strings.Contains(string(raw.body), w.Secret) || strings.Contains(string(raw.body), `"secret"`) {
		t.Errorf("GET shows the secret: %s", raw.body)
	}
	up, err := e.sc.WebhookEndpoints.Update(w.ID, &stripe.WebhookEndpointParams{Disabled: stripe.Bool(true),
		EnabledEvents: stripe.StringSlice([]string{"*"}), Description: stripe.String("till hooks")})
	if err != nil {
		t.Fatal(err)
	}
	if up.Status != "disabled" || len(up.EnabledEvents) != 1 || up.EnabledEvents[0] != "*" || up.Description != "till hooks" || up.Secret != "" {
		t.Errorf("update: %+v", up)
	}
	if up, err = e.sc.WebhookEndpoints.Update(w.ID, &stripe.WebhookEndpointParams{Disabled: stripe.Bool(false)}); err != nil || up.Status != "enabled" {
		t.Errorf("enable again: %+v %v", up, err)
	}
	w2 := e.newWebhook("", "http://127.0.0.1:9/x", true, "*")
	it := e.sc.WebhookEndpoints.List(&stripe.WebhookEndpointListParams{})
	var ids []string
	for it.Next() {
		ids = append(ids, it.WebhookEndpoint().ID)
	}
	if it.Err() != nil || len(ids) != 2 || ids[0] != w2.ID || ids[1] != w.ID {
		t.Errorf("list (newest first): %v %v", ids, it.Err())
	}
	del, err := e.sc.WebhookEndpoints.Del(w.ID, nil)
	if err != nil || !del.Deleted || del.ID != w.ID {
		t.Errorf("delete: %+v %v", del, err)
	}
	_, err = e.sc.WebhookEndpoints.Get(w.ID, nil)
	wantErr(t, err, 404, "resource_missing", "id", "No such webhook_endpoint: '"+w.ID+"'")
	// Another account's endpoint is not there.
	seller := e.addSeller("Lumen", "US", "usd")
	p := &stripe.WebhookEndpointParams{}
	p.SetStripeAccount(seller)
	_, err = e.sc.WebhookEndpoints.Get(w2.ID, p)
	wantErr(t, err, 404, "resource_missing", "id", "")
}

func TestWebhookEndpointsBadInput(t *testing.T) {
	e := newEnv(t, Options{})
	seller := e.addSeller("Lumen", "US", "usd")
	cases := []struct {
		name, form, account, code, param string
	}{
		{"no url", "enabled_events[0]=charge.refunded", "", "parameter_missing", "url"},
		{"no events", "url=https://example.com/x", "", "parameter_missing", "enabled_events"},
		{"relative url", "url=/hooks&enabled_events[0]=charge.refunded", "", "parameter_invalid", "url"},
		{"ftp url", "url=ftp://example.com/x&enabled_events[0]=charge.refunded", "", "parameter_invalid", "url"},
		{"unknown event", "url=https://example.com/x&enabled_events[0]=charge.refunded&enabled_events[1]=charge.exploded", "", "parameter_invalid", "enabled_events[1]"},
		{"star and more", "url=https://example.com/x&enabled_events[0]=*&enabled_events[1]=charge.refunded", "", "parameter_invalid", "enabled_events"},
		{"other version", "url=https://example.com/x&enabled_events[0]=*&api_version=2020-08-27", "", "parameter_invalid", "api_version"},
		{"connect on a seller", "url=https://example.com/x&enabled_events[0]=*&connect=true", seller, "parameter_invalid", "connect"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := fwHeaders{"X-Kasse-Conformance": "skip-request"}
			if c.account != "" {
				h["Stripe-Account"] = c.account
			}
			r := e.raw("POST", "/v1/webhook_endpoints", c.form, h)
			r.want(t, 400, "invalid_request_error", c.code)
			if got := r.errField("param"); got != c.param {
				t.Errorf("param %q, want %q (%s)", got, c.param, r.body)
			}
		})
	}
	w := e.newWebhook("", "https://example.com/x", false, "*")
	r := e.raw("POST", "/v1/webhook_endpoints/"+w.ID, "url=", fwHeaders{"X-Kasse-Conformance": "skip-request"})
	r.want(t, 400, "invalid_request_error", "parameter_invalid_empty")
	if got := e.pEvents(""); len(got) != 0 {
		t.Errorf("endpoint changes raised events: %v", got)
	}
}

// TestWebhookEventTypesAreTheSpecs: enabled_events accepts exactly the
// 2023-10-16 spec's list, and every event the sandbox emits is on it.
func TestWebhookEventTypesAreTheSpecs(t *testing.T) {
	spec := conformance.EnabledEventTypes()
	if len(spec) == 0 {
		t.Fatal("the spec lists no enabled_events")
	}
	for _, typ := range spec {
		if !knownEventTypes[typ] {
			t.Errorf("the spec's %q is refused", typ)
		}
	}
	if len(knownEventTypes) != len(spec) {
		t.Errorf("knownEventTypes has %d types, the spec %d", len(knownEventTypes), len(spec))
	}
	for typ := range eventTypes {
		if !knownEventTypes[typ] {
			t.Errorf("the sandbox emits %q, which 2023-10-16 does not know", typ)
		}
	}
}

func TestWebhookSecretSurvivesRestart(t *testing.T) {
	path := t.TempDir() + "/state.json"
	rcv := newReceiver(t)
	e := newEnv(t, Options{StateFile: path, Seed: "none"})
	w := e.newWebhook("", rcv.srv.URL, false, "payment_intent.created")
	if err := e.srv.Close(); err != nil {
		t.Fatal(err)
	}
	e2 := newEnv(t, Options{StateFile: path})
	e2.pIntent("", 500, "usd", "automatic")
	d := rcv.waitFor(1)[0]
	if _, err := webhook.ConstructEvent(d.body, d.signature, w.Secret); err != nil {
		t.Errorf("after a restart the delivery does not verify with the secret shown at create: %v", err)
	}
	if got, err := e2.sc.WebhookEndpoints.Get(w.ID, nil); err != nil || got.URL != rcv.srv.URL {
		t.Errorf("endpoint after restart: %+v %v", got, err)
	}
}
