package sandbox

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/stripe/stripe-go/v76"
)

// Helpers of the payments part's tests (payment_intents_*, testcards_*,
// refunds_*, payments_*).

// newPayEnv is newEnv whose stripe-go client runs every exchange through
// the conformance transport: stripe-mock must accept each request and each
// answer must validate strictly against the 2023-10-16 spec and carry the
// keys of stripe-mock's fixtures.
func newPayEnv(t *testing.T) *env {
	t.Helper()
	return newPayEnvOpts(t, Options{Seed: "none"})
}

func newPayEnvOpts(t *testing.T, opts Options) *env {
	t.Helper()
	return newEnv(t, opts) // newEnv's client already runs through the conformance transport
}

// addTestAccount stores an active connected account directly in the state
// and returns its id.
func addTestAccount(s *Server, country, currency string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var id string
	s.change(func() {
		id = testAccount(s, "acct_1"+randomString(15), "Shop "+country, country, currency, "shop@example.com").ID
	})
	return id
}

// payParams sets the Stripe-Account of a call ("" = platform).
func payParams(p *stripe.Params, acct string) {
	if acct != "" {
		p.SetStripeAccount(acct)
	}
}

// pIntent creates a card_present intent on acct.
func (e *env) pIntent(acct string, amount int64, currency, capture string) *stripe.PaymentIntent {
	e.t.Helper()
	p := &stripe.PaymentIntentParams{Amount: stripe.Int64(amount), Currency: stripe.String(currency),
		PaymentMethodTypes: stripe.StringSlice([]string{"card_present"}), CaptureMethod: stripe.String(capture)}
	payParams(&p.Params, acct)
	pi, err := e.sc.PaymentIntents.New(p)
	if err != nil {
		e.t.Fatalf("create intent: %v", err)
	}
	return pi
}

// pCollect presents card (with tip) for intent id directly in-package, as
// the terminal part's present_payment_method does.
func (e *env) pCollect(id, card string, tip int64) (code, msg string) {
	e.t.Helper()
	s := e.srv
	s.mu.Lock()
	defer s.mu.Unlock()
	pi, _ := s.st.intents.Get(id)
	if pi == nil {
		e.t.Fatalf("no intent %s", id)
	}
	a := &readerAction{}
	for r := range s.st.readers.All() { // the action collecting for it, if a test set one up
		if r.Action != nil && r.Action.paymentIntentID() == id {
			a = r.Action
		}
	}
	rq := &request{Method: http.MethodPost, Now: s.opts.Now(), RequestID: newRequestID()}
	s.change(func() { code, msg = s.collectCardPresent(rq, pi, a, card, tip) })
	return code, msg
}

// pGet reads an intent on acct with expansions.
func (e *env) pGet(acct, id string, expand ...string) *stripe.PaymentIntent {
	e.t.Helper()
	p := &stripe.PaymentIntentParams{}
	payParams(&p.Params, acct)
	for _, x := range expand {
		p.AddExpand(x)
	}
	pi, err := e.sc.PaymentIntents.Get(id, p)
	if err != nil {
		e.t.Fatalf("get intent %s: %v", id, err)
	}
	return pi
}

// pCharge reads a charge on acct.
func (e *env) pCharge(acct, id string, expand ...string) *stripe.Charge {
	e.t.Helper()
	p := &stripe.ChargeParams{}
	payParams(&p.Params, acct)
	for _, x := range expand {
		p.AddExpand(x)
	}
	ch, err := e.sc.Charges.Get(id, p)
	if err != nil {
		e.t.Fatalf("get charge %s: %v", id, err)
	}
	return ch
}

// pRefund creates a refund of intent piID on acct (amount 0 = remainder).
func (e *env) pRefund(acct, piID string, amount int64) (*stripe.Refund, error) {
	p := &stripe.RefundParams{PaymentIntent: stripe.String(piID)}
	if amount > 0 {
		p.Amount = stripe.Int64(amount)
	}
	payParams(&p.Params, acct)
	return e.sc.Refunds.New(p)
}

// pPaid creates an intent on acct and approves the default card on it.
func (e *env) pPaid(acct string, amount int64, capture string) *stripe.PaymentIntent {
	e.t.Helper()
	pi := e.pIntent(acct, amount, "usd", capture)
	if code, msg := e.pCollect(pi.ID, "", 0); code != "" {
		e.t.Fatalf("collect: %s %s", code, msg)
	}
	return pi
}

// pEvents returns the types of acct's events in order, optionally only
// those with one of the prefixes.
func (e *env) pEvents(acct string, prefixes ...string) []string {
	s := e.srv
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for ev := range s.st.events.Newest(acct) {
		keep := len(prefixes) == 0
		for _, p := range prefixes {
			keep = keep || strings.HasPrefix(ev.Type, p)
		}
		if keep {
			out = append(out, ev.Type)
		}
	}
	slices.Reverse(out) // oldest first
	return out
}

// pLastEventObject returns data.object of acct's last event of typ.
func (e *env) pLastEventObject(acct, typ string) map[string]any {
	e.t.Helper()
	s := e.srv
	s.mu.Lock()
	defer s.mu.Unlock()
	for ev := range s.st.events.Newest(acct) {
		if ev.Type == typ {
			var m map[string]any
			if err := json.Unmarshal(ev.Data.Object, &m); err != nil {
				e.t.Fatal(err)
			}
			return m
		}
	}
	e.t.Fatalf("no %s event on %q", typ, acct)
	return nil
}

// wantErr asserts a *stripe.Error's status, code, param and message
// (msg "" skips the message; a msg ending in "…" is a prefix).
func wantErr(t *testing.T, err error, status int, code, param, msg string) *stripe.Error {
	t.Helper()
	if err == nil {
		t.Fatalf("want error %d %s, got success", status, code)
	}
	se := stripeErr(t, err)
	if se.HTTPStatusCode != status || string(se.Code) != code || se.Param != param {
		t.Fatalf("got %d code=%q param=%q (%s), want %d code=%q param=%q", se.HTTPStatusCode, se.Code, se.Param, se.Msg, status, code, param)
	}
	if p, ok := strings.CutSuffix(msg, "…"); ok {
		if !strings.HasPrefix(se.Msg, p) {
			t.Fatalf("message %q, want prefix %q", se.Msg, p)
		}
	} else if msg != "" && se.Msg != msg {
		t.Fatalf("message %q,\nwant    %q", se.Msg, msg)
	}
	return se
}

func eqStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
