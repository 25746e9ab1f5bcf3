package sandbox

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v76"

	"kasse/internal/conformance"
)

// Helpers of the terminal part's tests (locations, readers, actions,
// present, SetupIntents).

// termSkipMock marks a request that is malformed on purpose: stripe-mock
// would reject it, so the conformance transport does not shadow it (the
// sandbox's answer is still validated).
func termSkipMock(p *stripe.Params) {
	if p.Headers == nil {
		p.Headers = http.Header{}
	}
	p.Headers.Set(conformance.ControlHeader, conformance.SkipRequest)
}

// tSeller creates a connected account directly in the state.
func (e *env) tSeller(id string) string {
	s := e.srv
	s.mu.Lock()
	defer s.mu.Unlock()
	s.change(func() { testAccount(s, id, "Seller "+id, "US", "usd", "seller@example.com") })
	return id
}

func termUSAddress() *stripe.AddressParams {
	return &stripe.AddressParams{Line1: stripe.String("1 Market St"), City: stripe.String("San Francisco"),
		State: stripe.String("CA"), PostalCode: stripe.String("94105"), Country: stripe.String("US")}
}

// tLocation creates a US location on acct ("" = platform).
func (e *env) tLocation(acct, name string) *stripe.TerminalLocation {
	e.t.Helper()
	p := &stripe.TerminalLocationParams{DisplayName: stripe.String(name), Address: termUSAddress()}
	if acct != "" {
		p.SetStripeAccount(acct)
	}
	l, err := e.sc.TerminalLocations.New(p)
	if err != nil {
		e.t.Fatalf("create location: %v", err)
	}
	return l
}

// tReader registers a simulated-wpe reader at a new location of acct.
func (e *env) tReader(acct string) *stripe.TerminalReader {
	e.t.Helper()
	l := e.tLocation(acct, "Store")
	p := &stripe.TerminalReaderParams{RegistrationCode: stripe.String("simulated-wpe"), Location: stripe.String(l.ID)}
	if acct != "" {
		p.SetStripeAccount(acct)
	}
	r, err := e.sc.TerminalReaders.New(p)
	if err != nil {
		e.t.Fatalf("register reader: %v", err)
	}
	return r
}

// tIntent creates a card_present PaymentIntent on acct.
func (e *env) tIntent(acct string, amount int64, capture stripe.PaymentIntentCaptureMethod) *stripe.PaymentIntent {
	e.t.Helper()
	p := &stripe.PaymentIntentParams{Amount: stripe.Int64(amount), Currency: stripe.String("usd"),
		PaymentMethodTypes: stripe.StringSlice([]string{"card_present"}), CaptureMethod: stripe.String(string(capture))}
	if acct != "" {
		p.SetStripeAccount(acct)
	}
	pi, err := e.sc.PaymentIntents.New(p)
	if err != nil {
		e.t.Fatalf("create payment intent: %v", err)
	}
	return pi
}

func (e *env) tGetIntent(acct, id string) *stripe.PaymentIntent {
	e.t.Helper()
	p := &stripe.PaymentIntentParams{}
	if acct != "" {
		p.SetStripeAccount(acct)
	}
	pi, err := e.sc.PaymentIntents.Get(id, p)
	if err != nil {
		e.t.Fatalf("get payment intent: %v", err)
	}
	return pi
}

func (e *env) tProcess(acct, readerID, piID string) (*stripe.TerminalReader, error) {
	p := &stripe.TerminalReaderProcessPaymentIntentParams{PaymentIntent: stripe.String(piID)}
	if acct != "" {
		p.SetStripeAccount(acct)
	}
	return e.sc.TerminalReaders.ProcessPaymentIntent(readerID, p)
}

func (e *env) tMustProcess(acct, readerID, piID string) *stripe.TerminalReader {
	e.t.Helper()
	r, err := e.tProcess(acct, readerID, piID)
	if err != nil {
		e.t.Fatalf("process_payment_intent: %v", err)
	}
	return r
}

func (e *env) tPresent(acct, readerID, number string) (*stripe.TerminalReader, error) {
	p := &stripe.TestHelpersTerminalReaderPresentPaymentMethodParams{}
	if number != "" {
		p.Type = stripe.String("card_present")
		p.CardPresent = &stripe.TestHelpersTerminalReaderPresentPaymentMethodCardPresentParams{Number: stripe.String(number)}
	}
	if acct != "" {
		p.SetStripeAccount(acct)
	}
	return e.sc.TestHelpersTerminalReaders.PresentPaymentMethod(readerID, p)
}

func (e *env) tMustPresent(acct, readerID, number string) *stripe.TerminalReader {
	e.t.Helper()
	r, err := e.tPresent(acct, readerID, number)
	if err != nil {
		e.t.Fatalf("present_payment_method: %v", err)
	}
	return r
}

func (e *env) tGetReader(acct, id string, expand ...string) *stripe.TerminalReader {
	e.t.Helper()
	p := &stripe.TerminalReaderParams{}
	for _, x := range expand {
		p.AddExpand(x)
	}
	if acct != "" {
		p.SetStripeAccount(acct)
	}
	r, err := e.sc.TerminalReaders.Get(id, p)
	if err != nil {
		e.t.Fatalf("get reader: %v", err)
	}
	return r
}

// termWantErr asserts a Stripe error's status, code and (substring of) message.
func termWantErr(t *testing.T, err error, status int, code, param, msgPart string) *stripe.Error {
	t.Helper()
	if err == nil {
		t.Fatalf("want error %d %s, got success", status, code)
	}
	se := stripeErr(t, err)
	if se.HTTPStatusCode != status || string(se.Code) != code || se.Param != param ||
		se.Type != stripe.ErrorTypeInvalidRequest || !strings.Contains(se.Msg, msgPart) {
		t.Fatalf("want %d invalid_request_error code=%q param=%q msg~%q; got %d %s code=%q param=%q msg=%q",
			status, code, param, msgPart, se.HTTPStatusCode, se.Type, se.Code, se.Param, se.Msg)
	}
	return se
}

// tWaitAction polls the reader until its action leaves in_progress.
func (e *env) tWaitAction(acct, id string) *stripe.TerminalReader {
	e.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		r := e.tGetReader(acct, id)
		if r.Action != nil && r.Action.Status != stripe.TerminalReaderActionStatusInProgress {
			return r
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("reader %s: action still %+v after 5s", id, r.Action)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
