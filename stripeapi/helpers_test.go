package stripeapi

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"kasse/pos"
)

const (
	testKey = "sk_test_123"
	seller  = pos.Account("acct_1SELLER")
)

// newClient builds a Client against base with retries off.
func newClient(t testing.TB, base string) *Client {
	t.Helper()
	c, err := New(Config{APIKey: testKey, BaseURL: base, MaxNetworkRetries: NoRetries})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

// testCtx is a context that bounds every test call.
func testCtx(t testing.TB) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// seen is one request as the fake Stripe received it.
type seen struct {
	Method, Path string
	Header       http.Header
	Form         url.Values // POST body, or GET/DELETE query
}

// fakeStripe records requests and answers them with respond.
type fakeStripe struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []seen
}

// responder writes the answer to one request.
type responder func(w http.ResponseWriter, r *http.Request)

func newFakeStripe(t testing.TB, respond responder) *fakeStripe {
	t.Helper()
	f := &fakeStripe{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		form := r.URL.Query()
		if r.Method == http.MethodPost {
			form, _ = url.ParseQuery(string(body))
		}
		f.mu.Lock()
		f.reqs = append(f.reqs, seen{Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone(), Form: form})
		f.mu.Unlock()
		respond(w, r)
	}))
	t.Cleanup(f.Close)
	return f
}

// requests returns what was received so far and forgets it.
func (f *fakeStripe) take() []seen {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := f.reqs
	f.reqs = nil
	return out
}

// jsonReply answers every request with status and body, and a Request-Id.
func jsonReply(status int, body string) responder {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Request-Id", "req_fake")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

// Canned objects for the fake Stripe.
const (
	readerJSON   = `{"id":"tmr_1","object":"terminal.reader","action":null,"device_type":"simulated_wisepos_e","label":"Till 1","livemode":false,"metadata":{},"serial_number":"SN1","status":"online","location":"tml_1","ip_address":"0.0.0.0","device_sw_version":"1.0"}`
	intentJSON   = `{"id":"pi_1","object":"payment_intent","amount":1250,"currency":"usd","status":"requires_payment_method","capture_method":"manual","amount_details":{"tip":{}},"metadata":{"order":"42"},"created":1700000000,"latest_charge":null}`
	refundJSON   = `{"id":"re_1","object":"refund","amount":500,"currency":"usd","charge":"ch_1","payment_intent":"pi_1","status":"succeeded","reason":"requested_by_customer","created":1700000000}`
	locationJSON = `{"id":"tml_1","object":"terminal.location","display_name":"Shop","address":{"line1":"1 Main St","city":"Springfield","state":"IL","postal_code":"62701","country":"US"},"metadata":{},"livemode":false}`
	transferJSON = `{"id":"tr_1","object":"transfer","amount":1220,"amount_reversed":388,"currency":"usd","destination":"acct_1SELLER","destination_payment":"py_1","source_transaction":"ch_1","transfer_group":"kasse-s1","reversed":false,"metadata":{"kasse_sale_id":"s1"},"created":1700000000,"reversals":{"object":"list","has_more":false,"url":"/v1/transfers/tr_1/reversals","data":[{"id":"trr_2","object":"transfer_reversal","amount":88,"currency":"usd","transfer":"tr_1","created":1700000200,"metadata":{"kasse_refund_id":"r2"}},{"id":"trr_1","object":"transfer_reversal","amount":300,"currency":"usd","transfer":"tr_1","source_refund":"re_1","created":1700000100,"metadata":{}}]}}`
	reversalJSON = `{"id":"trr_3","object":"transfer_reversal","amount":300,"currency":"usd","transfer":"tr_1","created":1700000300,"metadata":{"kasse_refund_id":"r3"}}`
	feeJSON      = `{"id":"fee_1","object":"application_fee","account":"acct_1SELLER","amount":30,"amount_refunded":12,"charge":"py_1","originating_transaction":"ch_1","currency":"usd","created":1700000000,"refunded":false,"refunds":{"object":"list","has_more":false,"url":"/v1/application_fees/fee_1/refunds","data":[{"id":"fr_1","object":"fee_refund","amount":12,"currency":"usd","fee":"fee_1","created":1700000100}]}}`
	accountJSON  = `{"id":"acct_1SELLER","object":"account","country":"de","default_currency":"EUR","charges_enabled":true,"capabilities":{"card_payments":"active"},"business_profile":{"name":"Bäckerei"},"settings":{"dashboard":{"display_name":"Bäckerei Nord"}}}`
	disputeJSON  = `{"id":"dp_1","object":"dispute","amount":1250,"currency":"usd","charge":"ch_1","payment_intent":"pi_1","reason":"fraudulent","status":"needs_response","is_charge_refundable":false,"evidence":{},"evidence_details":{"due_by":1700600000,"has_evidence":false,"past_due":false,"submission_count":0},"balance_transactions":[],"metadata":{},"created":1700000000,"livemode":false}`
	eventJSON    = `{"id":"evt_1","object":"event","type":"payment_intent.succeeded","created":1700000000,"account":"acct_1SELLER","api_version":"2023-10-16","data":{"object":{"id":"pi_1","object":"payment_intent"}}}`
)

func listJSON(path, item string) string {
	return `{"object":"list","url":"` + path + `","has_more":false,"data":[` + item + `]}`
}

// cannedStripe answers each endpoint Kasse uses with a plausible object.
func cannedStripe(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	if body, ok := cannedCustomers(r); ok { // customers_calls_test.go
		jsonReply(200, body)(w, r)
		return
	}
	var body string
	switch {
	case r.Method == http.MethodDelete && strings.HasPrefix(p, "/v1/terminal/readers/"):
		body = `{"id":"tmr_1","object":"terminal.reader","deleted":true}`
	case r.Method == http.MethodDelete:
		body = `{"id":"tml_1","object":"terminal.location","deleted":true}`
	case p == "/v1/accounts":
		body = listJSON(p, accountJSON)
	case strings.HasPrefix(p, "/v1/accounts/"):
		body = accountJSON
	case p == "/v1/payment_intents" && r.Method == http.MethodGet:
		body = listJSON(p, intentJSON)
	case strings.HasPrefix(p, "/v1/payment_intents"):
		body = intentJSON
	case p == "/v1/refunds" && r.Method == http.MethodGet:
		body = listJSON(p, refundJSON)
	case p == "/v1/refunds":
		body = refundJSON
	case p == "/v1/terminal/locations" && r.Method == http.MethodGet:
		body = listJSON(p, locationJSON)
	case strings.HasPrefix(p, "/v1/terminal/locations"):
		body = locationJSON
	case p == "/v1/terminal/readers" && r.Method == http.MethodGet:
		body = listJSON(p, readerJSON)
	case strings.HasPrefix(p, "/v1/terminal/readers"), strings.HasPrefix(p, "/v1/test_helpers/terminal/readers"):
		body = readerJSON
	case p == "/v1/disputes":
		body = listJSON(p, disputeJSON)
	case strings.HasPrefix(p, "/v1/disputes/"):
		body = disputeJSON
	case p == "/v1/events":
		body = listJSON(p, eventJSON)
	case p == "/v1/transfers" && r.Method == http.MethodGet:
		body = listJSON(p, transferJSON)
	case strings.HasSuffix(p, "/reversals"):
		body = reversalJSON
	case strings.HasPrefix(p, "/v1/transfers"):
		body = transferJSON
	case p == "/v1/application_fees":
		body = listJSON(p, feeJSON)
	case strings.HasPrefix(p, "/v1/application_fees/"):
		body = feeJSON
	default:
		jsonReply(404, `{"error":{"type":"invalid_request_error","message":"Unrecognized request URL"}}`)(w, r)
		return
	}
	jsonReply(200, body)(w, r)
}
