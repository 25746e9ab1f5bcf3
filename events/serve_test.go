package events

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v76"

	"kasse/i18n"
	"kasse/internal/cli"
	"kasse/internal/testkit"
	"kasse/journal"
	"kasse/pos"
	"kasse/sandbox"
	"kasse/stripeapi"
)

// serving is `kasse webhooks serve` running in the test (RunServe, the
// command's own function) with secrets.
type serving struct {
	url    string
	out    *testkit.SyncBuffer
	cancel context.CancelFunc
	done   chan int
}

func (w *world) serve(secrets []string, args ...string) *serving {
	w.t.Helper()
	return w.serveArgs(secrets, append([]string{"--addr", "127.0.0.1:0"}, args...))
}

// serveArgs starts `webhooks serve` with secrets and args, waits until it
// listens and, at the end of the test, stops it and wants exit 0.
func (w *world) serveArgs(secrets, args []string) *serving {
	w.t.Helper()
	v, err := stripeapi.NewWebhookVerifier(secrets, 0)
	if err != nil {
		w.t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	s := &serving{out: &testkit.SyncBuffer{}, cancel: cancel, done: make(chan int, 1)}
	d := ServeDeps{Verify: v.Verify, Secrets: len(secrets), Handler: w.h, Log: w.h.Log, Ready: func(u string) { ready <- u }}
	go func() {
		s.done <- RunServe(ctx, d, args, cli.IO{Out: s.out, Err: s.out})
	}()
	select {
	case s.url = <-ready:
	case code := <-s.done:
		w.t.Fatalf("webhooks serve exited %d: %s", code, s.out)
	case <-time.After(10 * time.Second):
		w.t.Fatal("webhooks serve did not start")
	}
	w.t.Cleanup(func() {
		cancel()
		if code := <-s.done; code != 0 {
			w.t.Errorf("webhooks serve exited %d: %s", code, s.out)
		}
	})
	return s
}

// TestServeSeesADashboardRefund: a refund made straight on the sandbox
// reaches `webhooks serve` signed, lands in the journal once (a second
// delivery of the same event changes nothing) and leaves a notice.
func TestServeSeesADashboardRefund(t *testing.T) {
	w := newWorld(t, sandbox.Options{})
	ctx := context.Background()
	s := w.sell("till-1-s1", 1250, "4242424242424242", "automatic")
	addr := freeAddr(t)
	_, secret2 := w.endpoint("http://" + addr + "/")
	w.endpoint("http://" + freeAddr(t) + "/") // another endpoint: its own secret, its own URL
	srv := w.serveAt(addr, "whsec_rotatedOutAlready", secret2)
	last, _ := w.j.LastNotice(ctx)
	re := w.dashboardRefund(s.IntentID, 400)
	eventually(t, "the refund in the journal", func() bool { sum, _ := w.refunded(s.ID); return sum == 400 })
	rf, ok, err := w.j.RefundByStripeID(ctx, re)
	if !ok || err != nil || rf.ID != ExternalRefundID(re) || rf.SaleID != s.ID || rf.Amount != 400 || rf.State != pos.RefundSucceeded {
		t.Fatalf("journal refund %+v %v %v", rf, ok, err)
	}
	eventually(t, "the notice", func() bool {
		ns, _ := w.j.Notices(ctx, last, 0)
		return len(ns) == 1 && ns[0].Kind == pos.NoticeRefundElsewhere && ns[0].SaleID == s.ID && ns[0].Amount == 400
	})
	if strings.Contains(srv.out.String(), secret2) || strings.Contains(w.logs.String(), secret2) {
		t.Error("the secret is in the output or the log")
	}
	if !strings.Contains(srv.out.String(), "(2 signing secrets; catch-up ") {
		t.Errorf("start line: %s", srv.out)
	}
}

// freeAddr is a loopback address with a port free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// serveAt starts serve on addr (host:port) with secrets.
func (w *world) serveAt(addr string, secrets ...string) *serving {
	w.t.Helper()
	return w.serveArgs(secrets, []string{"--addr", addr})
}

// TestServeRefusesWhatIsNotStripes: unsigned, stale (a replay of an old
// delivery), another secret, a tampered body: 400, a log line naming the
// reason and no secret, nothing recorded. A fresh redelivery of an event
// already recorded is 200 and changes nothing.
func TestServeRefusesWhatIsNotStripes(t *testing.T) {
	w := newWorld(t, sandbox.Options{})
	const secret = "whsec_theRealOneForThisTest00000000"
	srv := w.serve([]string{secret})
	body := []byte(`{"id":"evt_T1","object":"event","api_version":"2023-10-16","created":1800000000,"data":{"object":{"id":"pi_x","object":"payment_intent","metadata":{}}},"livemode":false,"pending_webhooks":1,"request":{"id":null,"idempotency_key":null},"type":"payment_intent.succeeded"}`)
	post := func(b []byte, sig string) (int, string) {
		req, _ := http.NewRequest(http.MethodPost, srv.url, bytes.NewReader(b))
		if sig != "" {
			req.Header.Set("Stripe-Signature", sig)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		out, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(out)
	}
	now := time.Now()
	cases := []struct {
		name   string
		body   []byte
		sig    string
		reason string
	}{
		{"unsigned", body, "", "unsigned"},
		{"stale replay", body, sandbox.SignatureHeader(body, now.Add(-10*time.Minute), secret), "stale"},
		{"another secret", body, sandbox.SignatureHeader(body, now, "whsec_someoneElse"), "bad_signature"},
		{"tampered", bytes.Replace(body, []byte("pi_x"), []byte("pi_y"), 1), sandbox.SignatureHeader(body, now, secret), "bad_signature"},
	}
	for _, c := range cases {
		code, text := post(c.body, c.sig)
		if code != http.StatusBadRequest || !strings.Contains(text, c.reason) {
			t.Errorf("%s: %d %q", c.name, code, text)
		}
		if !strings.Contains(w.logs.String(), "reason="+c.reason) {
			t.Errorf("%s: no log line with reason=%s", c.name, c.reason)
		}
	}
	if _, err := w.j.EventRecordByID(context.Background(), "evt_T1"); !errors.Is(err, journal.ErrNotFound) {
		t.Errorf("a refused delivery was recorded: %v", err)
	}
	if strings.Contains(w.logs.String(), secret) || strings.Contains(srv.out.String(), secret) {
		t.Error("a log line names the secret")
	}
	for i := 0; i < 2; i++ {
		if code, _ := post(body, sandbox.SignatureHeader(body, time.Now(), secret)); code != http.StatusOK {
			t.Fatalf("a good delivery #%d: %d", i+1, code)
		}
	}
	evs, _ := w.j.Events(context.Background(), journal.EventFilter{})
	if len(evs) != 1 {
		t.Errorf("%d events recorded from two deliveries of one", len(evs))
	}
	if code, _ := post(body, ""); code != http.StatusBadRequest {
		t.Error("unsigned accepted after good ones")
	}
	req, _ := http.NewRequest(http.MethodGet, srv.url, nil)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET: %v %v", resp.StatusCode, err)
	}
}

func TestServePathAndUsage(t *testing.T) {
	w := newWorld(t, sandbox.Options{})
	srv := w.serve([]string{"whsec_x"}, "--path", "/stripe/hooks")
	if !strings.HasSuffix(srv.url, "/stripe/hooks") {
		t.Fatalf("url %s", srv.url)
	}
	root := strings.TrimSuffix(srv.url, "stripe/hooks")
	resp, err := http.Post(root, "application/json", strings.NewReader("{}"))
	if err != nil || resp.StatusCode != http.StatusNotFound {
		t.Errorf("POST / with --path /stripe/hooks: %v %v", resp.StatusCode, err)
	}
	for _, args := range [][]string{{}, {"--addr", "127.0.0.1:0", "--path", "hooks"}, {"--addr", "nope"}, {"--addr", "127.0.0.1:0", "extra"}} {
		var out bytes.Buffer
		if code := RunServe(context.Background(), ServeDeps{}, args, cli.IO{Out: &out, Err: &out}); code != ExitUsage {
			t.Errorf("%v: exit %d (%s)", args, code, out.String())
		}
	}
	var out bytes.Buffer
	code := RunServe(context.Background(), ServeDeps{Missing: i18n.M("cli.events.no_secret")},
		[]string{"--addr", "127.0.0.1:0"}, cli.IO{Out: &out, Err: &out})
	if code != ExitError || !strings.Contains(out.String(), "KASSE_WEBHOOK_SECRET") {
		t.Errorf("no secret: %d %s", code, out.String())
	}
}

// A signing secret given as a flag is refused with where secrets go, before
// anything listens, and the value is never echoed (it would sit in the
// process list and the shell history).
func TestServeRefusesASecretFlag(t *testing.T) {
	const value = "whsec_onTheCommandLine"
	verify := func([]byte, string) (pos.Event, error) { return pos.Event{}, nil }
	for i, args := range [][]string{
		{"--addr", "127.0.0.1:0", "--secret=" + value},
		{"--addr", "127.0.0.1:0", "-secret", value},
		{"--webhook-secret", value, "--addr", "127.0.0.1:0"},
		{"--addr", "127.0.0.1:0", "--SECRETS=" + value},
	} {
		var out bytes.Buffer
		code := RunServe(context.Background(), ServeDeps{Verify: verify}, args, cli.IO{Out: &out, Err: &out})
		msg := out.String()
		if code != ExitUsage {
			t.Errorf("form #%d: exit %d, want %d", i, code, ExitUsage)
		}
		if strings.Contains(msg, value) || strings.Contains(msg, "whsec_") {
			t.Errorf("form #%d: the output echoes the secret", i)
		}
		if !strings.Contains(msg, "webhooks.secrets") || !strings.Contains(msg, "KASSE_WEBHOOK_SECRET") {
			t.Errorf("form #%d: the message does not say where secrets go: %q", i, strings.ReplaceAll(msg, value, "…"))
		}
	}
	// After --, words are arguments, not flags: the usual usage error.
	var out bytes.Buffer
	if code := RunServe(context.Background(), ServeDeps{Verify: verify}, []string{"--addr", "127.0.0.1:0", "--", "--secret"}, cli.IO{Out: &out, Err: &out}); code != ExitUsage || strings.Contains(out.String(), "no secret flag") {
		t.Errorf("after --: exit %d (%s)", code, out.String())
	}
}

// TestServeAnswersBeforeApplying: a delivery is answered 200 as soon as its
// event is recorded — nothing of the sale changes until the background
// applier (Server.Run) takes it — so Stripe never waits for Kasse's work;
// a body larger than any event is refused with 413 and nothing recorded.
func TestServeAnswersBeforeApplying(t *testing.T) {
	w := newWorld(t, sandbox.Options{})
	ctx := context.Background()
	const secret = "whsec_answerFirstApplyAfter0000000"
	s := w.sell("till-1-fast", 1250, "4242424242424242", "automatic")
	w.dashboardRefund(s.IntentID, 300)
	evs, err := w.c.ListEvents(ctx, w.lumen.ID, "charge.refund.updated", 1) // the event that names the refund
	if err != nil || len(evs) != 1 {
		t.Fatalf("the refund's event: %d %v", len(evs), err)
	}
	p := &stripe.EventParams{}
	p.SetStripeAccount(string(w.lumen.ID))
	got, err := w.sc.Events.Get(evs[0].ID, p)
	if err != nil {
		t.Fatal(err)
	}
	body := got.LastResponse.RawJSON // the event exactly as Stripe would deliver it
	v, err := stripeapi.NewWebhookVerifier([]string{secret}, 0)
	if err != nil {
		t.Fatal(err)
	}
	srv := &Server{Verify: v.Verify, Handler: w.h, Log: w.h.Log} // Run not started: nothing applies
	deliver := func(b []byte) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(b))
		req.Header.Set("Stripe-Signature", sandbox.SignatureHeader(b, time.Now(), secret))
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		return rec
	}
	if rec := deliver(body); rec.Code != http.StatusOK {
		t.Fatalf("delivery: %d %s", rec.Code, rec.Body)
	}
	if r, err := w.j.EventRecordByID(ctx, got.ID); err != nil || r.State != journal.EventReceived {
		t.Fatalf("answered with the event %v (%v), want it recorded and not yet applied", r.State, err)
	}
	if sum, n := w.refunded(s.ID); sum != 0 || n != 0 {
		t.Fatalf("the answer waited for the work: refunded %d in %d", sum, n)
	}
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	go srv.Run(runCtx, time.Hour)
	eventually(t, "the refund applied in the background", func() bool {
		sum, _ := w.refunded(s.ID)
		r, _ := w.j.EventRecordByID(ctx, got.ID)
		return sum == 300 && r.State == journal.EventApplied
	})

	huge := append([]byte(`{"id":"evt_huge","object":"event","pad":"`), bytes.Repeat([]byte("x"), maxBody)...)
	huge = append(huge, `"}`...)
	if rec := deliver(huge); rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("a body over %d bytes: %d", maxBody, rec.Code)
	}
	if _, err := w.j.EventRecordByID(ctx, "evt_huge"); !errors.Is(err, journal.ErrNotFound) {
		t.Errorf("an oversized body was recorded: %v", err)
	}
	if !strings.Contains(w.logs.String(), "reason=too_large") {
		t.Error("no log line says the body was too large")
	}
}
