package sandbox

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v76"
)

func TestIntentCreateRendersStripeShape(t *testing.T) {
	e := newPayEnv(t)
	p := &stripe.PaymentIntentParams{Amount: stripe.Int64(1250), Currency: stripe.String("USD"),
		PaymentMethodTypes: stripe.StringSlice([]string{"card_present"}), CaptureMethod: stripe.String("manual"),
		Description: stripe.String("Table 4"), ReceiptEmail: stripe.String("guest@example.com"),
		StatementDescriptorSuffix: stripe.String("TABLE 4")}
	p.AddMetadata("order", "A-17")
	pi, err := e.sc.PaymentIntents.New(p)
	if err != nil {
		t.Fatal(err)
	}
	if pi.Status != "requires_payment_method" || pi.Amount != 1250 || pi.Currency != "usd" || pi.CaptureMethod != "manual" ||
		pi.Description != "Table 4" || pi.ReceiptEmail != "guest@example.com" || pi.Metadata["order"] != "A-17" ||
		pi.StatementDescriptorSuffix != "TABLE 4" || pi.ConfirmationMethod != "automatic" {
		t.Fatalf("intent fields: %+v", pi)
	}
	if !strings.HasPrefix(pi.ID, "pi_") || !strings.HasPrefix(pi.ClientSecret, pi.ID+"_secret_") {
		t.Errorf("id %q client_secret %q", pi.ID, pi.ClientSecret)
	}
	if pi.LatestCharge != nil || pi.LastPaymentError != nil || pi.AmountCapturable != 0 || pi.AmountReceived != 0 {
		t.Errorf("a new intent has no charge, error or money: %+v", pi)
	}
	if !eqStrings(pi.PaymentMethodTypes, []string{"card_present"}) || pi.AutomaticPaymentMethods != nil {
		t.Errorf("payment_method_types %v automatic %v", pi.PaymentMethodTypes, pi.AutomaticPaymentMethods)
	}
	raw := string(pi.LastResponse.RawJSON)
	for _, want := range []string{`"tip":{}`, `"request_extended_authorization":null`, `"on_behalf_of":null`} {
		if !strings.Contains(raw, want) {
			t.Errorf("body lacks %s:\n%s", want, raw)
		}
	}
	if got := e.pEvents(""); !eqStrings(got, []string{"payment_intent.created"}) {
		t.Errorf("events %v", got)
	}
}

func TestIntentCreateWithoutTypesUsesAutomaticPaymentMethods(t *testing.T) {
	e := newPayEnv(t)
	pi, err := e.sc.PaymentIntents.New(&stripe.PaymentIntentParams{Amount: stripe.Int64(500), Currency: stripe.String("eur")})
	if err != nil {
		t.Fatal(err)
	}
	if pi.CaptureMethod != "automatic" || !eqStrings(pi.PaymentMethodTypes, []string{"card"}) ||
		pi.AutomaticPaymentMethods == nil || !pi.AutomaticPaymentMethods.Enabled {
		t.Fatalf("defaults: capture %s types %v automatic %+v", pi.CaptureMethod, pi.PaymentMethodTypes, pi.AutomaticPaymentMethods)
	}
}

func TestIntentCreateValidation(t *testing.T) {
	e := newPayEnv(t)
	seller := addTestAccount(e.srv, "US", "usd")
	long := strings.Repeat("k", 41)
	many := url.Values{"amount": {"1000"}, "currency": {"usd"}}
	for i := 0; i < 51; i++ {
		many.Set("metadata[k"+strings.Repeat("x", i%5)+string(rune('a'+i%26))+string(rune('a'+i/26))+"]", "v")
	}
	cases := []struct {
		name, form, acct string
		status           int
		code, param, msg string
	}{
		{"missing amount", "currency=usd", "", 400, "parameter_missing", "amount", "Missing required param: amount."},
		{"missing currency", "amount=1000", "", 400, "parameter_missing", "currency", "Missing required param: currency."},
		{"non-integer amount", "amount=12.50&currency=usd", "", 400, "parameter_invalid_integer", "amount", "Invalid integer: 12.50"},
		{"negative amount", "amount=-5&currency=usd", "", 400, "parameter_invalid_integer", "amount", ""},
		{"usd minimum", "amount=49&currency=usd", "", 400, "amount_too_small", "amount", "Amount must be at least $0.50 usd"},
		{"eur minimum", "amount=10&currency=eur", "", 400, "amount_too_small", "amount", "Amount must be at least €0.50 eur"},
		{"gbp minimum", "amount=29&currency=gbp", "", 400, "amount_too_small", "amount", "Amount must be at least £0.30 gbp"},
		{"jpy minimum", "amount=49&currency=jpy", "", 400, "amount_too_small", "amount", "Amount must be at least ¥50 jpy"},
		{"eight digits", "amount=100000000&currency=usd", "", 400, "amount_too_large", "amount", "Amount must be no more than $999,999.99"},
		{"unknown currency", "amount=1000&currency=xyz", "", 400, "parameter_invalid", "currency", "Invalid currency: xyz. …"},
		{"capture method", "amount=1000&currency=usd&capture_method=later", "", 400, "parameter_invalid", "capture_method",
			"Invalid capture_method: must be one of automatic, automatic_async, or manual"},
		{"payment method type", "amount=1000&currency=usd&payment_method_types[0]=ideal", "", 400, "parameter_invalid", "payment_method_types", "The payment method type \"ideal\" is invalid. …"},
		{"interac needs cad", "amount=1000&currency=usd&payment_method_types[0]=interac_present", "", 400, "parameter_invalid", "payment_method_types", ""},
		{"metadata key", "amount=1000&currency=usd&metadata[" + long + "]=v", "", 400, "parameter_invalid", "metadata[" + long + "]",
			"Metadata keys can have up to 40 characters, but you passed in a key that is 41 characters. Invalid key: " + long},
		{"metadata value", "amount=1000&currency=usd&metadata[k]=" + strings.Repeat("v", 501), "", 400, "parameter_invalid", "metadata[k]",
			"Metadata values can have up to 500 characters, but you passed in a value that is 501 characters. …"},
		{"metadata keys", many.Encode(), "", 400, "parameter_invalid", "metadata", "You can have up to 50 metadata keys, but you passed in 51 keys."},
		{"receipt email", "amount=1000&currency=usd&receipt_email=nobody", "", 400, "email_invalid", "receipt_email", "Invalid email address: nobody"},
		{"suffix length", "amount=1000&currency=usd&statement_descriptor_suffix=" + strings.Repeat("S", 23), "", 400, "parameter_invalid", "statement_descriptor_suffix", ""},
		{"no customers", "amount=1000&currency=usd&customer=cus_123", "", 404, "resource_missing", "customer", "No such customer: 'cus_123'"},
		{"fee needs connect", "amount=1000&currency=usd&application_fee_amount=100", "", 400, "parameter_invalid", "application_fee_amount", "Can only apply an application_fee_amount …"},
		{"fee above amount", "amount=1000&currency=usd&application_fee_amount=1001", seller, 400, "parameter_invalid", "application_fee_amount", ""},
		{"on_behalf_of unknown", "amount=1000&currency=usd&on_behalf_of=acct_nope", "", 404, "resource_missing", "on_behalf_of", "No such account: 'acct_nope'"},
		{"transfer destination", "amount=1000&currency=usd&transfer_data[amount]=5", "", 400, "parameter_missing", "transfer_data[destination]", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := fwHeaders{}
			if c.acct != "" {
				h["Stripe-Account"] = c.acct
			}
			r := e.raw(http.MethodPost, "/v1/payment_intents", c.form, h)
			r.want(t, c.status, "invalid_request_error", c.code)
			if r.errField("param") != c.param {
				t.Errorf("param %q, want %q", r.errField("param"), c.param)
			}
			msg := r.errField("message")
			if p, ok := strings.CutSuffix(c.msg, "…"); ok {
				if !strings.HasPrefix(msg, p) {
					t.Errorf("message %q, want prefix %q", msg, p)
				}
			} else if c.msg != "" && msg != c.msg {
				t.Errorf("message %q, want %q", msg, c.msg)
			}
		})
	}
	e.locked(func(s *Server) {
		if n := s.st.intents.Len(); n != 0 {
			t.Errorf("failed creates stored %d intents", n)
		}
	})
}

func TestIntentConnectFields(t *testing.T) {
	e := newPayEnv(t)
	seller := addTestAccount(e.srv, "US", "usd")
	// Direct charge with an application fee on the seller.
	p := &stripe.PaymentIntentParams{Amount: stripe.Int64(2000), Currency: stripe.String("usd"),
		PaymentMethodTypes: stripe.StringSlice([]string{"card_present"}), ApplicationFeeAmount: stripe.Int64(150)}
	p.SetStripeAccount(seller)
	pi, err := e.sc.PaymentIntents.New(p)
	if err != nil {
		t.Fatal(err)
	}
	if pi.ApplicationFeeAmount != 150 {
		t.Errorf("application_fee_amount %d", pi.ApplicationFeeAmount)
	}
	// Destination charge from the platform.
	d := &stripe.PaymentIntentParams{Amount: stripe.Int64(2000), Currency: stripe.String("usd"),
		PaymentMethodTypes: stripe.StringSlice([]string{"card_present"}), ApplicationFeeAmount: stripe.Int64(200),
		OnBehalfOf: stripe.String(seller), TransferGroup: stripe.String("order-9"),
		TransferData: &stripe.PaymentIntentTransferDataParams{Destination: stripe.String(seller)}}
	dpi, err := e.sc.PaymentIntents.New(d)
	if err != nil {
		t.Fatal(err)
	}
	if dpi.OnBehalfOf == nil || dpi.OnBehalfOf.ID != seller || dpi.TransferData == nil || dpi.TransferData.Destination.ID != seller ||
		dpi.TransferGroup != "order-9" || dpi.ApplicationFeeAmount != 200 {
		t.Fatalf("destination fields: %+v", dpi)
	}
	if exp := e.pGet("", dpi.ID, "on_behalf_of"); exp.OnBehalfOf == nil || exp.OnBehalfOf.ID != seller || exp.OnBehalfOf.Country != "US" {
		t.Errorf("expanded on_behalf_of %+v", exp.OnBehalfOf)
	}
	if code, _ := e.pCollect(dpi.ID, "", 0); code != "" {
		t.Fatal(code)
	}
	ch := e.pCharge("", e.pGet("", dpi.ID).LatestCharge.ID)
	if ch.TransferData == nil || ch.TransferData.Destination.ID != seller || ch.ApplicationFee == nil || !strings.HasPrefix(ch.ApplicationFee.ID, "fee_") {
		t.Errorf("charge transfer_data %+v application_fee %+v", ch.TransferData, ch.ApplicationFee)
	}
}

func TestIntentAccountScoping(t *testing.T) {
	e := newPayEnv(t)
	a, b := addTestAccount(e.srv, "US", "usd"), addTestAccount(e.srv, "CA", "cad")
	pi := e.pIntent(a, 1000, "usd", "automatic")
	if got := e.pGet(a, pi.ID); got.ID != pi.ID {
		t.Fatalf("own account reads %s", got.ID)
	}
	for _, acct := range []string{b, ""} {
		p := &stripe.PaymentIntentParams{}
		payParams(&p.Params, acct)
		_, err := e.sc.PaymentIntents.Get(pi.ID, p)
		wantErr(t, err, 404, "resource_missing", "intent", "No such payment_intent: '"+pi.ID+"'")
		cp := &stripe.PaymentIntentCancelParams{}
		payParams(&cp.Params, acct)
		_, err = e.sc.PaymentIntents.Cancel(pi.ID, cp)
		wantErr(t, err, 404, "resource_missing", "intent", "")
	}
	// Lists are per account too; events belong to the seller.
	lp := &stripe.PaymentIntentListParams{}
	lp.SetStripeAccount(b)
	if it := e.sc.PaymentIntents.List(lp); it.Next() {
		t.Errorf("seller B lists A's intent %s", it.PaymentIntent().ID)
	}
	if got := e.pEvents(a); !eqStrings(got, []string{"payment_intent.created"}) {
		t.Errorf("seller events %v", got)
	}
	if got := e.pEvents(""); len(got) != 0 {
		t.Errorf("platform got seller events %v", got)
	}
}

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func TestIntentListCreatedFilterAndPagination(t *testing.T) {
	clk := &clock{t: time.Unix(1700000000, 0)}
	e := newPayEnvOpts(t, Options{Seed: "none", Now: clk.now})
	var ids []string
	for i := 0; i < 5; i++ {
		ids = append(ids, e.pIntent("", int64(1000+i), "usd", "automatic").ID)
		clk.add(time.Minute)
	}
	p := &stripe.PaymentIntentListParams{}
	p.Limit = stripe.Int64(2)
	p.CreatedRange = &stripe.RangeQueryParams{GreaterThanOrEqual: 1700000060, LesserThan: 1700000240}
	var got []string
	it := e.sc.PaymentIntents.List(p)
	for it.Next() {
		got = append(got, it.PaymentIntent().ID)
	}
	if err := it.Err(); err != nil {
		t.Fatal(err)
	}
	if want := []string{ids[3], ids[2], ids[1]}; !eqStrings(got, want) {
		t.Fatalf("created range: got %v, want %v (newest first)", got, want)
	}
	exact := &stripe.PaymentIntentListParams{Created: stripe.Int64(1700000000)}
	it = e.sc.PaymentIntents.List(exact)
	if !it.Next() || it.PaymentIntent().ID != ids[0] || it.Next() {
		t.Errorf("created=exact did not give only the first intent")
	}
	r := e.raw(http.MethodGet, "/v1/payment_intents", "created[gt]=soon", nil)
	r.want(t, 400, "invalid_request_error", "parameter_invalid_integer")
}

func TestIntentUpdate(t *testing.T) {
	e := newPayEnv(t)
	pi := e.pIntent("", 1000, "usd", "automatic")
	p := &stripe.PaymentIntentParams{Amount: stripe.Int64(1500), Description: stripe.String("Coffee")}
	p.AddMetadata("a", "1")
	p.AddMetadata("b", "2")
	up, err := e.sc.PaymentIntents.Update(pi.ID, p)
	if err != nil {
		t.Fatal(err)
	}
	if up.Amount != 1500 || up.Description != "Coffee" || up.Metadata["a"] != "1" || up.Metadata["b"] != "2" {
		t.Fatalf("updated %+v", up)
	}
	bad := &stripe.PaymentIntentParams{Amount: stripe.Int64(20)}
	_, err = e.sc.PaymentIntents.Update(pi.ID, bad)
	wantErr(t, err, 400, "amount_too_small", "amount", "Amount must be at least $0.50 usd")

	if code, _ := e.pCollect(pi.ID, "", 0); code != "" {
		t.Fatal(code)
	}
	_, err = e.sc.PaymentIntents.Update(pi.ID, &stripe.PaymentIntentParams{Amount: stripe.Int64(2000)})
	se := wantErr(t, err, 400, "payment_intent_unexpected_state", "amount",
		"This PaymentIntent's amount could not be updated because it has a status of succeeded. You may only update the amount of a PaymentIntent with one of the following statuses: requires_payment_method, requires_confirmation, requires_action.")
	if se.PaymentIntent == nil || se.PaymentIntent.ID != pi.ID || se.PaymentIntent.Status != "succeeded" {
		t.Errorf("error embeds %+v", se.PaymentIntent)
	}
	// Metadata stays editable after success; "" unsets a key.
	m := &stripe.PaymentIntentParams{}
	m.AddMetadata("a", "")
	m.AddMetadata("c", "3")
	up, err = e.sc.PaymentIntents.Update(pi.ID, m)
	if err != nil {
		t.Fatal(err)
	}
	if _, has := up.Metadata["a"]; has || up.Metadata["b"] != "2" || up.Metadata["c"] != "3" || up.Amount != 1500 {
		t.Errorf("metadata after update %v amount %d", up.Metadata, up.Amount)
	}
}
