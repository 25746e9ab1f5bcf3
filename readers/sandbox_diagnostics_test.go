package readers

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"kasse/pos"
	"kasse/sandbox"
)

// secrets are strings that must never leave a bundle.
var secrets = []string{"sk_test_readers", "sk_live_", "rk_live_", "whsec_", "07139", "4321", "4242424242424242"}

func TestSandboxDiagnosticsRedacts(t *testing.T) {
	w := newWorld(t, sandbox.Options{})
	s, r := w.platformReader("Lumen")
	_, other := w.platformReader("Sonnenkorn")
	if _, err := w.fleet.Rename(w.ctx, pos.Platform, r.ID, "Till sk_live_"+"51Habcdef0123456789"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.fleet.SetMetadata(w.ctx, pos.Platform, r.ID, map[string]string{"admin_pin": "07139", "note": "pin=4321", "till": "3"}); err != nil {
		t.Fatal(err)
	}
	// Leave a payment on the reader so the bundle has an action and intent.
	in, err := w.client.CreateIntent(w.ctx, s.ID, pos.CreateIntentRequest{Amount: 1200, Currency: "usd", CaptureMethod: "automatic"}, "diag-create")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.client.ProcessIntent(w.ctx, pos.Platform, r.ID, in.ID, pos.ProcessConfig{SkipTipping: true}, "diag-process"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.client.GetReader(w.ctx, pos.Platform, other.ID); err != nil {
		t.Fatal(err)
	}
	recent := append(w.recent(),
		RequestRecord{Time: time.Now(), Method: "POST", Path: "/v1/terminal/readers/" + r.ID + "/cancel_action",
			Error: "dial tcp: Authorization: Bearer sk_test_readers refused", Duration: 1500 * time.Millisecond},
		RequestRecord{Time: time.Now(), Method: "GET", Path: "/v1/terminal/readers/" + r.ID, ErrorCode: "whsec_abcdef", Status: 500,
			RequestID: "req_rk_live_" + "0123456789abcdef"},
		RequestRecord{Time: time.Now(), Method: "POST", Path: "/v1/payment_intents/" + in.ID + "/cancel", Error: "card 4242424242424242"},
	)

	out, err := w.fleet.Diagnostics(w.ctx, pos.Platform, r.ID, recent)
	if err != nil {
		t.Fatal(err)
	}
	for _, sec := range secrets {
		if strings.Contains(string(out), sec) {
			t.Errorf("bundle contains %q:\n%s", sec, out)
		}
	}
	var b Bundle
	if err := json.Unmarshal(out, &b); err != nil {
		t.Fatalf("bundle is not JSON: %v\n%s", err, out)
	}
	if b.Reader.ID != r.ID || b.Reader.Label != "Till [redacted]" || b.Reader.Metadata["admin_pin"] != Redacted ||
		b.Reader.Metadata["note"] != "pin=[redacted]" || b.Reader.Metadata["till"] != "3" || b.Mode != "test" || b.Owner != "platform" {
		t.Errorf("reader facts %+v", b.Reader)
	}
	if a := b.Reader.Action; a == nil || a.Type != pos.ActionProcessPaymentIntent || a.Status != pos.ActionInProgress || a.PaymentIntentID != in.ID {
		t.Errorf("action %+v", b.Reader.Action)
	}
	if b.Health == nil || !b.Health.Busy {
		t.Errorf("health %+v", b.Health)
	}
	var paths []string
	sawProcess := false
	for _, q := range b.Requests {
		paths = append(paths, q.Method+" "+q.Path)
		if strings.Contains(q.Path, other.ID) {
			t.Errorf("a request about another reader is in the bundle: %s", q.Path)
		}
		if q.Path == "/v1/terminal/readers/"+r.ID+"/process_payment_intent" && strings.HasPrefix(q.RequestID, "req_") && q.Status == 200 {
			sawProcess = true
		}
	}
	if !sawProcess || len(b.Requests) < 5 {
		t.Errorf("requests %v; want the reader's requests with request ids", paths)
	}
	if last := b.Requests[len(b.Requests)-1]; !strings.Contains(last.Path, in.ID) || last.Error != "card [card …4242]" {
		t.Errorf("requests about the action's intent belong in the bundle: %+v", last)
	}
	if q := b.Requests[len(b.Requests)-3]; q.DurationMS != 1500 || q.Error != "dial tcp: Authorization: Bearer [redacted] refused" {
		t.Errorf("injected record %+v", q)
	}

	text := func() string {
		b, _ := w.fleet.BuildDiagnostics(w.ctx, pos.Platform, r.ID, recent)
		return b.Text()
	}()
	for _, sec := range secrets {
		if strings.Contains(text, sec) {
			t.Errorf("text bundle contains %q:\n%s", sec, text)
		}
	}
	if !strings.Contains(text, "reader      "+r.ID) || !strings.Contains(text, "metadata    admin_pin=[redacted]") {
		t.Errorf("text bundle:\n%s", text)
	}
}

func TestSandboxDiagnosticsOfAnUnreadableReader(t *testing.T) {
	w := newWorld(t, sandbox.Options{})
	recent := []RequestRecord{{Method: "GET", Path: "/v1/terminal/readers/tmr_gone", Status: 404, ErrorCode: "resource_missing"}}
	out, err := w.fleet.Diagnostics(w.ctx, pos.Platform, "tmr_gone", recent)
	if !pos.IsKind(err, pos.KindNotFound) || out == nil {
		t.Fatalf("out %d bytes, err %v", len(out), err)
	}
	var b Bundle
	if json.Unmarshal(out, &b) != nil || !strings.Contains(b.ReadError, "not found") || len(b.Requests) != 1 || b.Health != nil {
		t.Errorf("bundle %+v", b)
	}
	if _, err := w.fleet.Diagnostics(w.ctx, pos.Platform, "Counter 1", nil); err == nil {
		t.Error("a bad id must be refused")
	}
}
