package stripeapi

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"kasse/internal/testkit"
	"kasse/pos"
)

const (
	secretKey  = "sk_test_SECRET123DoNotLeak456"
	secretPart = "SECRET123"
)

// TestKeyNeverLeaks drives the client through successes, Stripe errors that
// echo the key, undecodable bodies, dropped connections and retries, with a
// debug-level logger, and checks that the key appears in no error, no log
// line and no request record.
func TestKeyNeverLeaks(t *testing.T) {
	echo := "Invalid API Key provided: " + secretKey
	var mu sync.Mutex
	step := 0
	fake := newFakeStripe(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+secretKey {
			t.Errorf("request without the configured key")
		}
		mu.Lock()
		step++
		s := step
		mu.Unlock()
		switch s % 6 {
		case 0:
			cannedStripe(w, r)
		case 1:
			jsonReply(401, stripeError("invalid_request_error", "api_key_invalid", `,"message":"`+echo+`"`))(w, r)
		case 2:
			w.WriteHeader(502)
			_, _ = w.Write([]byte("upstream said " + secretKey))
		case 3:
			hangUp(w, r)
		case 4:
			jsonReply(503, stripeError("api_error", "", ""))(w, r)
		case 5:
			jsonReply(400, stripeError("invalid_request_error", "terminal_reader_busy", `,"message":"`+echo+`"`))(w, r)
		}
	})

	logs := &testkit.SyncBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, err := New(Config{APIKey: secretKey, BaseURL: fake.URL, Logger: logger, MaxNetworkRetries: NoRetries})
	if err != nil {
		t.Fatal(err)
	}

	var errs []string
	collect := func(err error) {
		if err == nil {
			return
		}
		var pe *pos.Error
		if !errors.As(err, &pe) {
			t.Errorf("error is %T, not *pos.Error: %v", err, err)
			return
		}
		errs = append(errs, err.Error(), fmt.Sprintf("%+v", *pe))
	}
	for i := 0; i < 6; i++ {
		for _, tc := range allCalls {
			collect(tc.do(testCtx(t), c, "k-"+tc.name))
		}
	}
	// One call with a retry, so that stripe-go's retry warning is logged too.
	retrying, err := New(Config{APIKey: secretKey, BaseURL: fake.URL, Logger: logger, MaxNetworkRetries: 1})
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	step = 3 // next answer: 503, retried, then the busy error
	mu.Unlock()
	_, err = retrying.GetReader(testCtx(t), pos.Platform, "tmr_1")
	collect(err)
	// Construction errors must not leak either.
	for _, cfg := range []Config{
		{APIKey: "pk_test_" + secretPart},
		{APIKey: secretPart + "_sk_test_x"},
		{APIKey: secretKey, BaseURL: "https://evil.example/" + secretKey},
		{APIKey: secretKey, BaseURL: "https://" + secretKey + ":" + secretKey + "@127.0.0.1"},
	} {
		if _, err := New(cfg); err == nil {
			t.Fatalf("New(%d-char key) accepted a bad config", len(cfg.APIKey))
		} else {
			errs = append(errs, err.Error())
		}
	}

	if len(errs) < 20 {
		t.Fatalf("only %d errors collected; the fake did not exercise the error paths", len(errs))
	}
	for _, e := range errs {
		if strings.Contains(e, secretPart) {
			t.Errorf("error leaks the key: %s", e)
		}
	}
	records := fmt.Sprintf("%+v", c.RecentRequests())
	if strings.Contains(records, secretPart) {
		t.Errorf("request log leaks the key: %s", records)
	}
	out := logs.String()
	for _, want := range []string{"sk_test_…(redacted)", "stripe request", "Initiating retry", "Request error from Stripe"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q, so the test proves less than it claims", want)
		}
	}
	if t.Failed() {
		t.Logf("log:\n%s", out)
	}
	if strings.Contains(out, secretPart) {
		t.Errorf("log leaks the key:\n%s", out)
	}
}
