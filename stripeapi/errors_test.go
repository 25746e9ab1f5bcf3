package stripeapi

import (
	"context"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"kasse/pos"
)

// stripeError is a Stripe error body.
func stripeError(typ, code, extra string) string {
	b := `{"error":{"type":"` + typ + `","message":"msg for ` + code + `"`
	if code != "" {
		b += `,"code":"` + code + `"`
	}
	return b + extra + `}}`
}

// hangUp hijacks the connection and closes it without answering.
func hangUp(w http.ResponseWriter, r *http.Request) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		panic(err)
	}
	_ = conn.Close()
}

func TestErrorMapping(t *testing.T) {
	cases := []struct {
		name      string
		respond   responder
		kind      pos.ErrorKind
		code      string
		decline   string
		param     string
		status    int
		requestID string
	}{
		{"reader busy", jsonReply(400, stripeError("invalid_request_error", "terminal_reader_busy", "")),
			pos.KindReaderBusy, "terminal_reader_busy", "", "", 400, "req_fake"},
		{"reader offline", jsonReply(400, stripeError("invalid_request_error", "terminal_reader_offline", "")),
			pos.KindReaderOffline, "terminal_reader_offline", "", "", 400, "req_fake"},
		{"reader hardware fault", jsonReply(400, stripeError("invalid_request_error", "terminal_reader_hardware_fault", "")),
			pos.KindReaderOffline, "terminal_reader_hardware_fault", "", "", 400, "req_fake"},
		{"reader timeout", jsonReply(400, stripeError("invalid_request_error", "terminal_reader_timeout", "")),
			pos.KindReaderTimeout, "terminal_reader_timeout", "", "", 400, "req_fake"},
		{"intent invalid state", jsonReply(400, stripeError("invalid_request_error", "intent_invalid_state", "")),
			pos.KindInvalidState, "intent_invalid_state", "", "", 400, "req_fake"},
		{"payment intent unexpected state", jsonReply(400, stripeError("invalid_request_error", "payment_intent_unexpected_state",
			`,"payment_intent":{"id":"pi_1","object":"payment_intent","status":"succeeded"}`)),
			pos.KindInvalidState, "payment_intent_unexpected_state", "", "", 400, "req_fake"},
		{"resource missing 404", jsonReply(404, stripeError("invalid_request_error", "resource_missing", `,"param":"id"`)),
			pos.KindNotFound, "resource_missing", "", "id", 404, "req_fake"},
		{"resource missing in a param (400)", jsonReply(400, stripeError("invalid_request_error", "resource_missing", `,"param":"payment_intent"`)),
			pos.KindNotFound, "resource_missing", "", "payment_intent", 400, "req_fake"},
		{"404 without code", jsonReply(404, stripeError("invalid_request_error", "", "")),
			pos.KindNotFound, "", "", "", 404, "req_fake"},
		{"401 bad key", jsonReply(401, stripeError("invalid_request_error", "", "")),
			pos.KindAuth, "", "", "", 401, "req_fake"},
		{"403 restricted key", jsonReply(403, stripeError("invalid_request_error", "", "")),
			pos.KindAuth, "", "", "", 403, "req_fake"},
		{"account invalid", jsonReply(403, stripeError("invalid_request_error", "account_invalid", "")),
			pos.KindAuth, "account_invalid", "", "", 403, "req_fake"},
		{"account invalid as 400", jsonReply(400, stripeError("invalid_request_error", "account_invalid", "")),
			pos.KindAuth, "account_invalid", "", "", 400, "req_fake"},
		{"rate limit", jsonReply(429, stripeError("invalid_request_error", "rate_limit", "")),
			pos.KindRateLimited, "rate_limit", "", "", 429, "req_fake"},
		{"lock timeout", jsonReply(429, stripeError("invalid_request_error", "lock_timeout", "")),
			pos.KindRateLimited, "lock_timeout", "", "", 429, "req_fake"},
		{"idempotency key in use", jsonReply(409, stripeError("invalid_request_error", "idempotency_key_in_use", "")),
			pos.KindUnknown, "idempotency_key_in_use", "", "", 409, "req_fake"},
		{"idempotency error", jsonReply(400, stripeError("idempotency_error", "", "")),
			pos.KindIdempotency, "", "", "", 400, "req_fake"},
		{"card declined", jsonReply(402, stripeError("card_error", "card_declined", `,"decline_code":"insufficient_funds"`)),
			pos.KindDeclined, "card_declined", "insufficient_funds", "", 402, "req_fake"},
		{"card error without code", jsonReply(402, stripeError("card_error", "", "")),
			pos.KindDeclined, "", "", "", 402, "req_fake"},
		{"expired card", jsonReply(402, stripeError("card_error", "expired_card", "")),
			pos.KindDeclined, "expired_card", "", "", 402, "req_fake"},
		{"missing param", jsonReply(400, stripeError("invalid_request_error", "parameter_missing", `,"param":"amount"`)),
			pos.KindInvalidRequest, "parameter_missing", "", "amount", 400, "req_fake"},
		{"500", jsonReply(500, stripeError("api_error", "", "")),
			pos.KindUnknown, "", "", "", 500, "req_fake"},
		{"503 with a reader code", jsonReply(503, stripeError("api_error", "terminal_reader_busy", "")),
			pos.KindUnknown, "terminal_reader_busy", "", "", 503, "req_fake"},
		{"502 html from a proxy", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(502)
			_, _ = w.Write([]byte("<html>bad gateway</html>"))
		}, pos.KindUnknown, "", "", "", 0, ""},
		{"dropped connection", hangUp, pos.KindUnknown, "", "", "", 0, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fake := newFakeStripe(t, tc.respond)
			c := newClient(t, fake.URL)
			_, err := c.ProcessIntent(testCtx(t), pos.Platform, "tmr_1", "pi_1", pos.ProcessConfig{}, "k-"+tc.name)
			var pe *pos.Error
			if !errors.As(err, &pe) {
				t.Fatalf("err = %#v, want *pos.Error", err)
			}
			if pe.Kind != tc.kind || pe.Code != tc.code || pe.DeclineCode != tc.decline || pe.Param != tc.param ||
				pe.HTTPStatus != tc.status || pe.RequestID != tc.requestID {
				t.Errorf("got %+v\nwant kind=%v code=%q decline=%q param=%q status=%d request=%q",
					*pe, tc.kind, tc.code, tc.decline, tc.param, tc.status, tc.requestID)
			}
			if pe.Message == "" {
				t.Error("empty Message")
			}
			if n := len(fake.take()); n != 1 {
				t.Errorf("%d attempts with retries off, want 1", n)
			}
		})
	}
}

// TestContextDeadlineIsUnknown: a call that runs out of time may still have
// reached Stripe, so its outcome is unknown.
func TestContextDeadlineIsUnknown(t *testing.T) {
	release := make(chan struct{})
	fake := newFakeStripe(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	defer close(release)
	c := newClient(t, fake.URL)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := c.CreateIntent(ctx, seller, pos.CreateIntentRequest{Amount: 100, Currency: "usd"}, "k1")
	if !pos.IsKind(err, pos.KindUnknown) {
		t.Fatalf("err = %v, want KindUnknown", err)
	}
}

// TestRetryResendsCallersKey: stripe-go retries a 409 and every attempt
// carries the caller's key, so a retry can only replay the first request.
func TestRetryResendsCallersKey(t *testing.T) {
	var attempts atomic.Int32
	fake := newFakeStripe(t, func(w http.ResponseWriter, r *http.Request) {
		if attempts.Add(1) == 1 {
			jsonReply(409, stripeError("invalid_request_error", "idempotency_key_in_use", ""))(w, r)
			return
		}
		jsonReply(200, intentJSON)(w, r)
	})
	c, err := New(Config{APIKey: testKey, BaseURL: fake.URL, MaxNetworkRetries: 1})
	if err != nil {
		t.Fatal(err)
	}
	in, err := c.CreateIntent(testCtx(t), seller, pos.CreateIntentRequest{Amount: 1250, Currency: "usd"}, "sale-9-create")
	if err != nil || in.ID != "pi_1" {
		t.Fatalf("CreateIntent = %+v, %v; want pi_1 after one retry", in, err)
	}
	reqs := fake.take()
	if len(reqs) != 2 {
		t.Fatalf("%d attempts, want 2", len(reqs))
	}
	for i, r := range reqs {
		if got := r.Header.Get("Idempotency-Key"); got != "sale-9-create" {
			t.Errorf("attempt %d Idempotency-Key = %q, want the caller's key", i+1, got)
		}
	}
}

// TestUsageErrors: bad arguments are refused before any request.
func TestUsageErrors(t *testing.T) {
	fake := newFakeStripe(t, cannedStripe)
	c := newClient(t, fake.URL)
	ctx := testCtx(t)
	calls := map[string]func() error{
		"bad account": func() error { _, err := c.GetIntent(ctx, "seller-1", "pi_1"); return err },
		"empty id":    func() error { _, err := c.GetReader(ctx, pos.Platform, ""); return err },
		"path in id":  func() error { _, err := c.GetIntent(ctx, seller, "pi_1/capture"); return err },
		"platform as seller": func() error {
			_, err := c.GetSeller(ctx, pos.Platform)
			return err
		},
		"zero amount": func() error {
			_, err := c.CreateIntent(ctx, seller, pos.CreateIntentRequest{Currency: "usd"}, "k")
			return err
		},
		"empty cart": func() error {
			_, err := c.SetDisplay(ctx, pos.Platform, "tmr_1", pos.DisplayCart{Currency: "usd", Total: 100}, "k")
			return err
		},
		"location without country": func() error {
			_, err := c.CreateLocation(ctx, pos.Platform, pos.LocationRequest{DisplayName: "x"}, "k")
			return err
		},
	}
	for name, f := range calls {
		if err := f(); !pos.IsKind(err, pos.KindInvalidRequest) {
			t.Errorf("%s: err = %v, want KindInvalidRequest", name, err)
		}
	}
	if n := len(fake.take()); n != 0 {
		t.Errorf("%d requests sent for refused calls", n)
	}
}

// TestPresentCardRefusedInLiveMode: the test helper never reaches a live
// account.
func TestPresentCardRefusedInLiveMode(t *testing.T) {
	fake := newFakeStripe(t, cannedStripe)
	c, err := New(Config{APIKey: "rk_live_abc", BaseURL: fake.URL})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.PresentCard(testCtx(t), pos.Platform, "tmr_1", "", 0, "k")
	if !pos.IsKind(err, pos.KindInvalidRequest) {
		t.Fatalf("err = %v, want KindInvalidRequest", err)
	}
	if n := len(fake.take()); n != 0 {
		t.Fatalf("%d requests sent", n)
	}
}
