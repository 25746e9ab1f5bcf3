package conformance

import (
	"fmt"
	"net/http"
	"sync"
	"testing"

	stripe "github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/client"
)

const testAccount = "acct_1Kasse"

// sampleCall is one console call made with stripe-go against stripe-mock.
type sampleCall struct {
	name   string
	method string
	route  string // spec template the request must match
	call   func(sc *client.API) error
}

func params(idem string) stripe.Params {
	return stripe.Params{StripeAccount: stripe.String(testAccount), IdempotencyKey: stripe.String(idem)}
}

var sampleCalls = []sampleCall{
	{"accounts.list", "GET", "/v1/accounts", func(sc *client.API) error {
		p := &stripe.AccountListParams{}
		p.Limit = stripe.Int64(10)
		it := sc.Accounts.List(p)
		it.Next()
		return it.Err()
	}},
	{"payment_intents.create", "POST", "/v1/payment_intents", func(sc *client.API) error {
		_, err := sc.PaymentIntents.New(&stripe.PaymentIntentParams{
			Params:             params("pi-1"),
			Amount:             stripe.Int64(1250),
			Currency:           stripe.String("usd"),
			PaymentMethodTypes: stripe.StringSlice([]string{"card_present"}),
			CaptureMethod:      stripe.String("manual"),
			Description:        stripe.String("Kasse sale"),
			Metadata:           map[string]string{"order": "42"},
		})
		return err
	}},
	{"payment_intents.get+latest_charge", "GET", "/v1/payment_intents/{intent}", func(sc *client.API) error {
		p := &stripe.PaymentIntentParams{}
		p.SetStripeAccount(testAccount)
		p.AddExpand("latest_charge")
		_, err := sc.PaymentIntents.Get("pi_123", p)
		return err
	}},
	{"terminal.readers.get", "GET", "/v1/terminal/readers/{reader}", func(sc *client.API) error {
		p := &stripe.TerminalReaderParams{}
		p.SetStripeAccount(testAccount)
		p.AddExpand("action.process_payment_intent.payment_intent")
		_, err := sc.TerminalReaders.Get("tmr_123", p)
		return err
	}},
	{"terminal.readers.list", "GET", "/v1/terminal/readers", func(sc *client.API) error {
		p := &stripe.TerminalReaderListParams{Status: stripe.String("online")}
		p.SetStripeAccount(testAccount)
		p.AddExpand("data.action.process_payment_intent.payment_intent")
		it := sc.TerminalReaders.List(p)
		it.Next()
		return it.Err()
	}},
	{"terminal.readers.process_payment_intent", "POST", "/v1/terminal/readers/{reader}/process_payment_intent", func(sc *client.API) error {
		_, err := sc.TerminalReaders.ProcessPaymentIntent("tmr_123", &stripe.TerminalReaderProcessPaymentIntentParams{
			Params:        params("ppi-1"),
			PaymentIntent: stripe.String("pi_123"),
			ProcessConfig: &stripe.TerminalReaderProcessPaymentIntentProcessConfigParams{
				SkipTipping:                stripe.Bool(true),
				EnableCustomerCancellation: stripe.Bool(true),
			},
		})
		return err
	}},
	{"refunds.create", "POST", "/v1/refunds", func(sc *client.API) error {
		_, err := sc.Refunds.New(&stripe.RefundParams{
			Params:        params("re-1"),
			PaymentIntent: stripe.String("pi_123"),
			Amount:        stripe.Int64(500),
			Reason:        stripe.String("requested_by_customer"),
		})
		return err
	}},
	{"events.list", "GET", "/v1/events", func(sc *client.API) error {
		p := &stripe.EventListParams{}
		p.SetStripeAccount(testAccount)
		it := sc.Events.List(p)
		it.Next()
		return it.Err()
	}},
	{"terminal.locations.create", "POST", "/v1/terminal/locations", func(sc *client.API) error {
		_, err := sc.TerminalLocations.New(&stripe.TerminalLocationParams{
			Params:      params("loc-1"),
			DisplayName: stripe.String("Front desk"),
			Address: &stripe.AddressParams{
				Line1: stripe.String("1 Main St"), City: stripe.String("Springfield"),
				PostalCode: stripe.String("12345"), State: stripe.String("IL"), Country: stripe.String("US"),
			},
		})
		return err
	}},
	{"transfers.create", "POST", "/v1/transfers", func(sc *client.API) error {
		_, err := sc.Transfers.New(&stripe.TransferParams{
			Params: stripe.Params{IdempotencyKey: stripe.String("tr-1")},
			Amount: stripe.Int64(1200), Currency: stripe.String("usd"), Destination: stripe.String(testAccount),
			TransferGroup: stripe.String("kasse-s1"), SourceTransaction: stripe.String("ch_123"),
		})
		return err
	}},
	{"transfers.list", "GET", "/v1/transfers", func(sc *client.API) error {
		it := sc.Transfers.List(&stripe.TransferListParams{TransferGroup: stripe.String("kasse-s1")})
		it.Next()
		return it.Err()
	}},
	{"transfer_reversals.create", "POST", "/v1/transfers/{id}/reversals", func(sc *client.API) error {
		_, err := sc.TransferReversals.New(&stripe.TransferReversalParams{
			Params: stripe.Params{IdempotencyKey: stripe.String("trr-1")}, ID: stripe.String("tr_123"), Amount: stripe.Int64(300),
		})
		return err
	}},
	{"application_fees.list", "GET", "/v1/application_fees", func(sc *client.API) error {
		it := sc.ApplicationFees.List(&stripe.ApplicationFeeListParams{})
		it.Next()
		return it.Err()
	}},
	{"terminal.readers.delete", "DELETE", "/v1/terminal/readers/{reader}", func(sc *client.API) error {
		p := &stripe.TerminalReaderParams{}
		p.SetStripeAccount(testAccount)
		_, err := sc.TerminalReaders.Del("tmr_123", p)
		return err
	}},
}

var samples struct {
	once   sync.Once
	byName map[string]recorded
	err    error
}

// stripeMockSamples makes every sampleCall once per process through stripe-go
// against the shared stripe-mock and returns each call's single exchange.
func stripeMockSamples(t testing.TB) map[string]recorded {
	t.Helper()
	samples.once.Do(func() { samples.byName, samples.err = fetchSamples() })
	if samples.err != nil {
		t.Fatal(samples.err)
	}
	return samples.byName
}

func fetchSamples() (map[string]recorded, error) {
	base, err := SharedStripeMock()
	if err != nil {
		return nil, err
	}
	v, err := SharedValidator()
	if err != nil {
		return nil, err
	}
	capt := &capture{next: http.DefaultTransport}
	sc := newStripeClient(base.String(), testKey, capt)
	out := map[string]recorded{}
	for _, c := range sampleCalls {
		if err := c.call(sc); err != nil {
			return nil, fmt.Errorf("%s: %v", c.name, err)
		}
		log := capt.take()
		if len(log) != 1 {
			return nil, fmt.Errorf("%s: %d exchanges, want 1", c.name, len(log))
		}
		ex := log[0]
		if tmpl, _ := v.Route(ex.method, ex.path); ex.method != c.method || tmpl != c.route {
			return nil, fmt.Errorf("%s: sent %s %s (route %q), want %s %s", c.name, ex.method, ex.path, tmpl, c.method, c.route)
		}
		if ex.status != http.StatusOK {
			return nil, fmt.Errorf("%s: stripe-mock answered %d: %s", c.name, ex.status, ex.body)
		}
		out[c.name] = ex
	}
	return out, nil
}
