package conformance

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	stripe "github.com/stripe/stripe-go/v76"
	"kasse/sandbox"
)

var fixedPI = []byte(`{"id":"pi_123","object":"payment_intent","amount":1250,"currency":"usd","status":"requires_payment_method","metadata":{},"payment_method_types":["card_present"]}`)

func fixedHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.Write(fixedPI)
	})
}

func BenchmarkScratchFloorStripeGo(b *testing.B) {
	ts := httptest.NewServer(fixedHandler())
	defer ts.Close()
	sc := newStripeClient(ts.URL, testKey, http.DefaultTransport)
	for b.Loop() {
		if _, err := sc.PaymentIntents.Get("pi_123", &stripe.PaymentIntentParams{Params: stripe.Params{StripeAccount: stripe.String("acct_1")}}); err != nil {
			b.Fatal(err)
		}
	}
}

func rawDo(b *testing.B, c *http.Client, method, url, body string) {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, _ := http.NewRequest(method, url, rd)
	req.Header.Set("Authorization", "Bearer sk_test_123")
	req.Header.Set("Stripe-Version", "2023-10-16")
	if method == "POST" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := c.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	msg, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		b.Fatalf("%s %s: %d %s", method, url, resp.StatusCode, msg)
	}
}

func BenchmarkScratchFloorRaw(b *testing.B) {
	ts := httptest.NewServer(fixedHandler())
	defer ts.Close()
	c := &http.Client{}
	for b.Loop() {
		rawDo(b, c, "GET", ts.URL+"/v1/payment_intents/pi_123", "")
	}
}

func BenchmarkScratchMockRawSale(b *testing.B) {
	devnull, _ := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	stdout := os.Stdout
	os.Stdout = devnull
	defer func() { os.Stdout = stdout }()
	h, _ := NewStripeMockHandler()
	ts := httptest.NewServer(h)
	defer ts.Close()
	c := &http.Client{}
	for b.Loop() {
		rawDo(b, c, "POST", ts.URL+"/v1/payment_intents", "amount=1250&currency=usd&payment_method_types[0]=card_present")
		rawDo(b, c, "GET", ts.URL+"/v1/payment_intents/pi_123", "")
		rawDo(b, c, "GET", ts.URL+"/v1/terminal/readers", "")
		rawDo(b, c, "POST", ts.URL+"/v1/terminal/readers/tmr_1/process_payment_intent", "payment_intent=pi_123")
		rawDo(b, c, "POST", ts.URL+"/v1/terminal/readers/tmr_1/cancel_action", "")
	}
}

func BenchmarkScratchMockHandlerSale(b *testing.B) {
	devnull, _ := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	stdout := os.Stdout
	os.Stdout = devnull
	defer func() { os.Stdout = stdout }()
	h, _ := NewStripeMockHandler()
	do := func(method, path, body string) {
		var rd io.Reader
		if body != "" {
			rd = strings.NewReader(body)
		}
		req := httptest.NewRequest(method, path, rd)
		req.Header.Set("Authorization", "Bearer sk_test_123")
		req.Header.Set("Stripe-Version", "2023-10-16")
		if method == "POST" {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != 200 {
			b.Fatalf("%d %s", w.Code, w.Body)
		}
	}
	for b.Loop() {
		do("POST", "/v1/payment_intents", "amount=1250&currency=usd&payment_method_types[0]=card_present")
		do("GET", "/v1/payment_intents/pi_123", "")
		do("GET", "/v1/terminal/readers", "")
		do("POST", "/v1/terminal/readers/tmr_1/process_payment_intent", "payment_intent=pi_123")
		do("POST", "/v1/terminal/readers/tmr_1/cancel_action", "")
	}
}

func BenchmarkScratchSandboxHandlerSale(b *testing.B) {
	srv, err := sandbox.New(sandbox.Options{Seed: "demo"})
	if err != nil {
		b.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	sc := newStripeClient(ts.URL, testKey, http.DefaultTransport)
	seller, reader := demoLumen(b, sc)
	ts.Close()
	var last []byte
	do := func(method, path, body, acct string) {
		var rd io.Reader
		if body != "" {
			rd = strings.NewReader(body)
		}
		req := httptest.NewRequest(method, path, rd)
		req.Header.Set("Authorization", "Bearer sk_test_123")
		req.Header.Set("Stripe-Version", "2023-10-16")
		if acct != "" {
			req.Header.Set("Stripe-Account", acct)
		}
		if method == "POST" {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, req)
		if w.Code != 200 {
			b.Fatalf("%d %s", w.Code, w.Body)
		}
		last = w.Body.Bytes()
	}
	for b.Loop() {
		do("POST", "/v1/payment_intents", "amount=1250&currency=usd&payment_method_types[0]=card_present", seller)
		id := string(last[strings.Index(string(last), `"pi_`)+1:][:27])
		do("GET", "/v1/payment_intents/"+id, "", seller)
		do("GET", "/v1/terminal/readers", "", "")
		do("POST", "/v1/terminal/readers/"+reader+"/process_payment_intent", "payment_intent="+id, "")
		do("POST", "/v1/terminal/readers/"+reader+"/cancel_action", "", "")
	}
}
