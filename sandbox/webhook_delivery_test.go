package sandbox

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/webhook"
)

// getEvent reads event id on acct through stripe-go (conformance-checked).
func (e *env) getEvent(acct, id string) *stripe.Event {
	e.t.Helper()
	p := &stripe.EventParams{}
	payParams(&p.Params, acct)
	ev, err := e.sc.Events.Get(id, p)
	if err != nil {
		e.t.Fatalf("get event %s: %v", id, err)
	}
	return ev
}

// waitPending waits until event id on acct shows pending_webhooks n.
func (e *env) waitPending(acct, id string, n int64) {
	e.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ev := e.getEvent(acct, id)
		if ev.PendingWebhooks == n {
			return
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("event %s: pending_webhooks %d, want %d", id, ev.PendingWebhooks, n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestWebhookDeliverySigned(t *testing.T) {
	e := newEnv(t, Options{})
	rcv := newReceiver(t)
	w := e.newWebhook("", rcv.srv.URL, false, "payment_intent.created")
	other := newReceiver(t)
	e.newWebhook("", other.srv.URL, false, "charge.refunded") // not subscribed to what follows
	pi := e.pIntent("", 1250, "usd", "automatic")

	d := rcv.waitFor(1)[0]
	ev, err := webhook.ConstructEvent(d.body, d.signature, w.Secret)
	if err != nil {
		t.Fatalf("stripe-go's ConstructEvent refuses the delivery: %v", err)
	}
	if ev.Type != "payment_intent.created" || ev.Data.Object["id"] != pi.ID || ev.Account != "" {
		t.Errorf("delivered %s for %v (account %q)", ev.Type, ev.Data.Object["id"], ev.Account)
	}
	if ct := d.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type %q", ct)
	}
	if ua := d.header.Get("User-Agent"); !strings.HasPrefix(ua, "Stripe/1.0") {
		t.Errorf("User-Agent %q", ua)
	}
	conformEvent(t, d.body)
	if _, err := webhook.ConstructEvent(d.body, d.signature, "whsec_other"); !errors.Is(err, webhook.ErrNoValidSignature) {
		t.Errorf("another secret verifies: %v", err)
	}
	tampered := []byte(strings.Replace(string(d.body), `"amount":1250`, `"amount":1`, 1))
	if _, err := webhook.ConstructEvent(tampered, d.signature, w.Secret); !errors.Is(err, webhook.ErrNoValidSignature) {
		t.Errorf("a tampered body verifies: %v", err)
	}
	e.waitPending("", ev.ID, 0)
	// delivery_success: delivered events are listed with true, not false.
	list := func(q string) []string { return listIDs(t, e.raw("GET", "/v1/events", q, nil)) }
	if got := list("delivery_success=true&type=payment_intent.created"); len(got) != 1 || got[0] != ev.ID {
		t.Errorf("delivery_success=true: %v", got)
	}
	if got := list("delivery_success=false"); len(got) != 0 {
		t.Errorf("delivery_success=false: %v", got)
	}
	time.Sleep(50 * time.Millisecond) // room for a wrong delivery to arrive
	if n := len(other.deliveries()); n != 0 {
		t.Errorf("an endpoint not subscribed to payment_intent.created got %d deliveries", n)
	}
}

func TestWebhookConnectEndpoints(t *testing.T) {
	e := newEnv(t, Options{})
	seller := e.addSeller("Lumen", "US", "usd")
	own, conn := newReceiver(t), newReceiver(t)
	wOwn := e.newWebhook("", own.srv.URL, false, "*")
	wConn := e.newWebhook("", conn.srv.URL, true, "*")

	pi := e.pIntent(seller, 900, "usd", "automatic") // the seller's event
	d := conn.waitFor(1)[0]
	ev, err := webhook.ConstructEvent(d.body, d.signature, wConn.Secret)
	if err != nil {
		t.Fatal(err)
	}
	if ev.Account != seller || ev.Data.Object["id"] != pi.ID {
		t.Errorf("connect endpoint got account %q object %v, want %s %s", ev.Account, ev.Data.Object["id"], seller, pi.ID)
	}
	conformEvent(t, d.body)

	platformPI := e.pIntent("", 700, "usd", "automatic") // the platform's event
	d = own.waitFor(1)[0]
	ev, err = webhook.ConstructEvent(d.body, d.signature, wOwn.Secret)
	if err != nil {
		t.Fatal(err)
	}
	if ev.Account != "" || ev.Data.Object["id"] != platformPI.ID || strings.Contains(string(d.body), `"account"`) {
		t.Errorf("account endpoint got %s (account %q)", ev.Data.Object["id"], ev.Account)
	}
	time.Sleep(50 * time.Millisecond)
	if n := len(own.deliveries()); n != 1 {
		t.Errorf("the platform's own endpoint got %d deliveries, want only the platform's event", n)
	}
	if n := len(conn.deliveries()); n != 1 {
		t.Errorf("the connect endpoint got %d deliveries, want only the seller's event", n)
	}
}

func TestWebhookRetriesThenDelivers(t *testing.T) {
	e := newEnv(t, Options{WebhookRetries: []time.Duration{20 * time.Millisecond, 40 * time.Millisecond, 60 * time.Millisecond}})
	rcv := newReceiver(t)
	rcv.setAnswer(func(n int, _ delivered) int {
		if n <= 2 {
			return http.StatusInternalServerError
		}
		return http.StatusOK
	})
	w := e.newWebhook("", rcv.srv.URL, false, "payment_intent.created")
	e.pIntent("", 500, "usd", "automatic")
	got := rcv.waitFor(3)
	ev, err := webhook.ConstructEvent(got[2].body, got[2].signature, w.Secret)
	if err != nil {
		t.Fatal(err)
	}
	for i, d := range got {
		if _, err := webhook.ConstructEvent(d.body, d.signature, w.Secret); err != nil {
			t.Errorf("attempt %d does not verify: %v", i+1, err)
		}
		if i > 0 && d.at.Sub(got[i-1].at) < 20*time.Millisecond {
			t.Errorf("attempt %d came %s after the one before, sooner than the retry schedule", i+1, d.at.Sub(got[i-1].at))
		}
	}
	e.waitPending("", ev.ID, 0)
	time.Sleep(100 * time.Millisecond)
	if n := len(rcv.deliveries()); n != 3 {
		t.Errorf("%d attempts after a success, want 3", n)
	}
}

func TestWebhookGivesUpAndStaysPending(t *testing.T) {
	e := newEnv(t, Options{WebhookRetries: []time.Duration{10 * time.Millisecond, 10 * time.Millisecond}})
	rcv := newReceiver(t)
	rcv.setAnswer(func(int, delivered) int { return http.StatusFound }) // a redirect is no delivery
	ok := newReceiver(t)
	e.newWebhook("", rcv.srv.URL, false, "payment_intent.created")
	e.newWebhook("", ok.srv.URL, false, "payment_intent.created")
	e.pIntent("", 500, "usd", "automatic")
	rcv.waitFor(3)
	ev := eventOf(t, ok.waitFor(1)[0])
	id := ev["id"].(string)
	if ev["pending_webhooks"].(float64) < 1 {
		t.Errorf("pending_webhooks in the payload %v, want the endpoints still owed", ev["pending_webhooks"])
	}
	e.waitPending("", id, 1) // delivered to one, given up on the other
	time.Sleep(60 * time.Millisecond)
	if n := len(rcv.deliveries()); n != 3 {
		t.Errorf("%d attempts, want 1 + 2 retries", n)
	}
	if got := listIDs(t, e.raw("GET", "/v1/events", "delivery_success=false", nil)); len(got) != 1 || got[0] != id {
		t.Errorf("delivery_success=false lists %v, want the event given up on", got)
	}
}

func TestWebhookTimeoutIsAFailure(t *testing.T) {
	e := newEnv(t, Options{WebhookTimeout: 50 * time.Millisecond, WebhookRetries: []time.Duration{10 * time.Millisecond}})
	rcv := newReceiver(t)
	release := make(chan struct{})
	defer close(release)
	rcv.setAnswer(func(n int, _ delivered) int {
		if n == 1 {
			<-release // never answers in time
		}
		return http.StatusOK
	})
	w := e.newWebhook("", rcv.srv.URL, false, "payment_intent.created")
	e.pIntent("", 500, "usd", "automatic")
	got := rcv.waitFor(2)
	ev, err := webhook.ConstructEvent(got[1].body, got[1].signature, w.Secret)
	if err != nil {
		t.Fatal(err)
	}
	e.waitPending("", ev.ID, 0)
}

// TestWebhookDeliveryNeverBlocksTheAPI: an endpoint that does not answer
// holds no API call up: the calls complete while it still hangs.
func TestWebhookDeliveryNeverBlocksTheAPI(t *testing.T) {
	e := newEnv(t, Options{})
	rcv := newReceiver(t)
	release := make(chan struct{})
	rcv.setAnswer(func(int, delivered) int { <-release; return http.StatusOK })
	e.newWebhook("", rcv.srv.URL, false, "*")
	for range 3 {
		e.pPaid("", 1000, "automatic") // create + collect: several events each
	}
	if n := len(rcv.deliveries()); n == 0 {
		rcv.waitFor(1) // deliveries are under way and hanging…
	}
	select {
	case <-release:
		t.Fatal("released early")
	default: // …and every API call above has already returned
	}
	close(release)
}

func TestWebhookRolledSecretSignsTwice(t *testing.T) {
	e := newEnv(t, Options{})
	rcv := newReceiver(t)
	w := e.newWebhook("", rcv.srv.URL, false, "payment_intent.created")
	fresh, err := e.srv.RollWebhookSecret(w.ID, time.Hour)
	if err != nil || fresh == w.Secret || !strings.HasPrefix(fresh, "whsec_") {
		t.Fatalf("roll: %q %v", fresh, err)
	}
	e.pIntent("", 500, "usd", "automatic")
	d := rcv.waitFor(1)[0]
	if n := strings.Count(d.signature, "v1="); n != 2 {
		t.Errorf("signature %q has %d v1 values, want 2 while the old secret winds down", d.signature, n)
	}
	for _, sec := range []string{w.Secret, fresh} {
		if _, err := webhook.ConstructEvent(d.body, d.signature, sec); err != nil {
			t.Errorf("does not verify with %s secret: %v", map[bool]string{true: "the old", false: "the new"}[sec == w.Secret], err)
		}
	}
	// Rolled again with no overlap: the second secret stops at once, the
	// first still has its hour.
	third, err := e.srv.RollWebhookSecret(w.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	e.pIntent("", 600, "usd", "automatic")
	d = rcv.waitFor(2)[1]
	if n := strings.Count(d.signature, "v1="); n != 2 {
		t.Errorf("after a roll with no overlap: %d v1 values, want the new and the first", n)
	}
	if _, err := webhook.ConstructEvent(d.body, d.signature, fresh); err == nil {
		t.Error("the secret rolled with no overlap still verifies")
	}
	for _, sec := range []string{w.Secret, third} {
		if _, err := webhook.ConstructEvent(d.body, d.signature, sec); err != nil {
			t.Errorf("an active secret does not verify: %v", err)
		}
	}
}

func TestWebhookDisabledAndDeletedEndpointsGetNothing(t *testing.T) {
	e := newEnv(t, Options{})
	rcv := newReceiver(t)
	w := e.newWebhook("", rcv.srv.URL, false, "*")
	if _, err := e.sc.WebhookEndpoints.Update(w.ID, &stripe.WebhookEndpointParams{Disabled: stripe.Bool(true)}); err != nil {
		t.Fatal(err)
	}
	e.pIntent("", 500, "usd", "automatic")
	w2 := e.newWebhook("", rcv.srv.URL, false, "*")
	if _, err := e.sc.WebhookEndpoints.Del(w2.ID, nil); err != nil {
		t.Fatal(err)
	}
	pi := e.pIntent("", 600, "usd", "automatic")
	time.Sleep(80 * time.Millisecond)
	if n := len(rcv.deliveries()); n != 0 {
		t.Errorf("disabled or deleted endpoints got %d deliveries", n)
	}
	p := &stripe.EventListParams{Type: stripe.String("payment_intent.created")}
	it := e.sc.Events.List(p)
	for it.Next() {
		if it.Event().PendingWebhooks != 0 {
			t.Errorf("%s (intent %v) pending %d with no enabled endpoint", it.Event().ID, pi.ID, it.Event().PendingWebhooks)
		}
	}
}

// TestWebhookOwedDeliveriesSurviveRestart: a delivery that failed is sent
// again by the next sandbox on the same state file.
func TestWebhookOwedDeliveriesSurviveRestart(t *testing.T) {
	path := t.TempDir() + "/state.json"
	rcv := newReceiver(t)
	rcv.setAnswer(func(n int, _ delivered) int {
		if n == 1 {
			return http.StatusServiceUnavailable
		}
		return http.StatusOK
	})
	e := newEnv(t, Options{StateFile: path, Seed: "none", WebhookRetries: []time.Duration{time.Hour}})
	w := e.newWebhook("", rcv.srv.URL, false, "payment_intent.created")
	e.pIntent("", 500, "usd", "automatic")
	first := eventOf(t, rcv.waitFor(1)[0])
	if err := e.srv.Close(); err != nil {
		t.Fatal(err)
	}
	e2 := newEnv(t, Options{StateFile: path})
	d := rcv.waitFor(2)[1]
	ev, err := webhook.ConstructEvent(d.body, d.signature, w.Secret)
	if err != nil || ev.ID != first["id"] {
		t.Fatalf("after restart: %v %v, want %v", ev.ID, err, first["id"])
	}
	e2.waitPending("", ev.ID, 0)
}
