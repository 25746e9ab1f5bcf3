package sandbox

import (
	"strings"
	"testing"

	"github.com/stripe/stripe-go/v76"
)

func TestTestCardsApprove(t *testing.T) {
	e := newPayEnv(t)
	cases := []struct{ number, brand, funding, network, country string }{
		{"4242424242424242", "visa", "credit", "visa", "US"},
		{"4000056655665556", "visa", "debit", "visa", "US"},
		{"5555555555554444", "mastercard", "credit", "mastercard", "US"},
		{"5200828282828210", "mastercard", "debit", "mastercard", "US"},
		{"5105105105105100", "mastercard", "prepaid", "mastercard", "US"},
		{"378282246310005", "amex", "credit", "amex", "US"},
		{"371449635398431", "amex", "credit", "amex", "US"},
		{"6011111111111117", "discover", "credit", "discover", "US"},
		{"6011000990139424", "discover", "credit", "discover", "US"},
		{"3056930009020004", "diners", "credit", "diners", "US"},
		{"36227206271667", "diners", "credit", "diners", "US"},
		{"3566002020360505", "jcb", "credit", "jcb", "JP"},
		{"6200000000000005", "unionpay", "credit", "unionpay", "CN"},
		{"6280000360000978", "eftpos_au", "debit", "eftpos_au", "AU"},
		{"4000050360000001", "visa", "debit", "eftpos_au", "AU"},
		{"5555050360000080", "mastercard", "debit", "eftpos_au", "AU"},
		{"4001007020000002", "visa", "credit", "visa", "US"},
	}
	for _, c := range cases {
		t.Run(c.number, func(t *testing.T) {
			pi := e.pIntent("", 1000, "usd", "automatic")
			if code, msg := e.pCollect(pi.ID, c.number, 0); code != "" {
				t.Fatalf("declined: %s %s", code, msg)
			}
			got := e.pGet("", pi.ID, "latest_charge")
			if got.Status != "succeeded" || got.AmountReceived != 1000 || got.PaymentMethod == nil || !strings.HasPrefix(got.PaymentMethod.ID, "pm_") {
				t.Fatalf("intent %s received %d pm %+v", got.Status, got.AmountReceived, got.PaymentMethod)
			}
			ch := got.LatestCharge
			if ch.Status != "succeeded" || !ch.Paid || !ch.Captured || ch.AmountCaptured != 1000 || ch.PaymentIntent.ID != pi.ID ||
				ch.PaymentMethod != got.PaymentMethod.ID || ch.Outcome.Type != "authorized" || ch.BalanceTransaction != nil {
				t.Fatalf("charge %+v", ch)
			}
			d := ch.PaymentMethodDetails
			if d.Type != "card_present" || d.CardPresent == nil {
				t.Fatalf("payment_method_details %+v", d)
			}
			cp := d.CardPresent
			if string(cp.Brand) != c.brand || cp.Last4 != c.number[len(c.number)-4:] || string(cp.Funding) != c.funding ||
				string(cp.Network) != c.network || cp.Country != c.country || cp.ReadMethod != "contact_emv" || cp.ExpMonth != 12 {
				t.Errorf("card_present %+v", cp)
			}
		})
	}
}

func TestPINTestCardsShowVerification(t *testing.T) {
	e := newPayEnv(t)
	for number, cvm := range map[string]string{"4001007020000002": "offline_pin", "4001000360000005": "online_pin", "4242424242424242": "none"} {
		pi := e.pPaidWith(number, 1000)
		ch := e.pCharge("", pi.LatestCharge.ID)
		if got := ch.PaymentMethodDetails.CardPresent.Receipt.CardholderVerificationMethod; got != cvm {
			t.Errorf("%s: cardholder_verification_method %q, want %q", number, got, cvm)
		}
	}
}

// pPaidWith approves number on a new platform intent and returns it read
// back.
func (e *env) pPaidWith(number string, amount int64) *stripe.PaymentIntent {
	e.t.Helper()
	pi := e.pIntent("", amount, "usd", "automatic")
	if code, msg := e.pCollect(pi.ID, number, 0); code != "" {
		e.t.Fatalf("%s declined: %s", number, msg)
	}
	return e.pGet("", pi.ID)
}

func TestTestCardsDecline(t *testing.T) {
	e := newPayEnv(t)
	cases := []struct{ number, code, decline, msg string }{
		{"4000000000000002", "card_declined", "generic_decline", "Your card was declined."},
		{"4000000000009995", "card_declined", "insufficient_funds", "Your card has insufficient funds."},
		{"4000000000009987", "card_declined", "lost_card", "Your card was declined."},
		{"4000000000009979", "card_declined", "stolen_card", "Your card was declined."},
		{"4000000000000069", "expired_card", "expired_card", "Your card has expired."},
		{"4000000000000119", "processing_error", "processing_error", "An error occurred while processing your card. Try again in a little bit."},
		{"1234", "incorrect_number", "", "Your card number is incorrect."},
		{"4111111111111111", "card_declined", "live_mode_test_card", "Your card was declined. Your request was in test mode, but used a non test (live) card. …"},
	}
	for _, c := range cases {
		t.Run(c.number, func(t *testing.T) {
			seller := addTestAccount(e.srv, "US", "usd")
			pi := e.pIntent(seller, 1000, "usd", "automatic")
			code, msg := e.pCollect(pi.ID, c.number, 300)
			if code != "card_declined" || !matches(msg, c.msg) {
				t.Fatalf("action failure %q %q, want card_declined %q", code, msg, c.msg)
			}
			got := e.pGet(seller, pi.ID, "latest_charge")
			le := got.LastPaymentError
			if got.Status != "requires_payment_method" || got.Amount != 1000 || got.PaymentMethod != nil || le == nil {
				t.Fatalf("declined intent: %s amount %d pm %v error %+v", got.Status, got.Amount, got.PaymentMethod, le)
			}
			if le.Type != "card_error" || string(le.Code) != c.code || string(le.DeclineCode) != c.decline || !matches(le.Msg, c.msg) ||
				le.ChargeID != got.LatestCharge.ID {
				t.Errorf("last_payment_error %+v", le)
			}
			ch := got.LatestCharge
			if ch.Status != "failed" || ch.Paid || ch.Captured || ch.FailureCode != c.code || !matches(ch.FailureMessage, c.msg) ||
				ch.Amount != 1000 || ch.Outcome == nil || ch.Outcome.Reason == "" {
				t.Errorf("failed charge %+v outcome %+v", ch, ch.Outcome)
			}
			if ev := e.pEvents(seller); !eqStrings(ev, []string{"payment_intent.created", "charge.failed", "payment_intent.payment_failed"}) {
				t.Errorf("events %v", ev)
			}
			// The same intent takes the next card.
			if code, _ := e.pCollect(pi.ID, "4242424242424242", 0); code != "" {
				t.Fatalf("retry declined: %s", code)
			}
			again := e.pGet(seller, pi.ID)
			if again.Status != "succeeded" || again.LastPaymentError != nil || again.LatestCharge.ID == ch.ID {
				t.Errorf("after retry: %s error %+v latest %s", again.Status, again.LastPaymentError, again.LatestCharge.ID)
			}
		})
	}
}

// matches compares a message; a want ending in "…" is a prefix.
func matches(got, want string) bool {
	if p, ok := strings.CutSuffix(want, "…"); ok {
		return strings.HasPrefix(got, p)
	}
	return got == want
}

func TestTestAmountEndings(t *testing.T) {
	e := newPayEnv(t)
	cases := []struct {
		amount, tip int64
		currency    string
		decline     string // "" = approved
		cvm         string
	}{
		{1000, 0, "usd", "", "none"},
		{1001, 0, "usd", "call_issuer", ""},
		{1002, 0, "usd", "", "offline_pin"},
		{1003, 0, "usd", "", "online_pin"},
		{1005, 0, "usd", "generic_decline", ""},
		{1055, 0, "usd", "incorrect_pin", ""},
		{1065, 0, "usd", "withdrawal_count_limit_exceeded", ""},
		{1075, 0, "usd", "pin_try_exceeded", ""},
		{2500, 0, "eur", "", "none"},
		{1000, 5, "usd", "generic_decline", ""}, // judged on amount + tip
		{1001, 99, "usd", "", "none"},           // 11.00 with the tip
		{1005, 0, "jpy", "generic_decline", ""}, // zero-decimal: last two digits of ¥1005
		{1000, 0, "jpy", "", "none"},
	}
	for _, c := range cases {
		pi := e.pIntent("", c.amount, c.currency, "automatic")
		code, _ := e.pCollect(pi.ID, "", c.tip)
		got := e.pGet("", pi.ID, "latest_charge")
		if c.decline == "" {
			if code != "" || got.Status != "succeeded" || got.Amount != c.amount+c.tip || got.LatestCharge.Amount != c.amount+c.tip {
				t.Errorf("%d+%d %s: code %q status %s amount %d", c.amount, c.tip, c.currency, code, got.Status, got.Amount)
				continue
			}
			if cvm := got.LatestCharge.PaymentMethodDetails.CardPresent.Receipt.CardholderVerificationMethod; cvm != c.cvm {
				t.Errorf("%d: cvm %q, want %q", c.amount, cvm, c.cvm)
			}
			continue
		}
		if code != "card_declined" || got.LastPaymentError == nil || got.LastPaymentError.Code != "card_declined" ||
			string(got.LastPaymentError.DeclineCode) != c.decline || got.Amount != c.amount {
			t.Errorf("%d+%d %s: code %q error %+v amount %d, want decline %s", c.amount, c.tip, c.currency, code, got.LastPaymentError, got.Amount, c.decline)
		}
	}
}

func TestTipAmountDetails(t *testing.T) {
	e := newPayEnv(t)
	tipped := e.pIntent("", 2000, "usd", "manual")
	if code, _ := e.pCollect(tipped.ID, "", 300); code != "" {
		t.Fatal(code)
	}
	got := e.pGet("", tipped.ID, "latest_charge")
	if got.Amount != 2300 || got.AmountCapturable != 2300 || got.AmountDetails.Tip.Amount != 300 || got.LatestCharge.Amount != 2300 {
		t.Fatalf("tipped: amount %d capturable %d tip %d charge %d", got.Amount, got.AmountCapturable, got.AmountDetails.Tip.Amount, got.LatestCharge.Amount)
	}
	if !strings.Contains(string(got.LastResponse.RawJSON), `"amount":300`) {
		t.Errorf("tip not rendered: %s", got.LastResponse.RawJSON)
	}

	// No tip and no tipping screen: tip stays absent ({}).
	plain := e.pPaid("", 1000, "automatic")
	r := e.raw("GET", "/v1/payment_intents/"+plain.ID, "", nil)
	if ad := r.json["amount_details"].(map[string]any); len(ad["tip"].(map[string]any)) != 0 {
		t.Errorf("tipping off: amount_details %v", ad)
	}

	// A reader that offered tipping and got none: tip.amount 0.
	offered := e.pIntent("", 1000, "usd", "automatic")
	e.change(func(s *Server) {
		l := s.newLocation("", "Shop", address{line1: "1 Main St", city: "Boulder", state: "CO", postalCode: "80302", country: "US"})
		rd := s.newSimulatedReader("", "simulated-wpe", "Till", l.ID)
		rd.Action = &readerAction{Type: actionProcessPayment, Status: actionInProgress, tippingOffered: true,
			ProcessPaymentIntent: &processIntentJSON{PaymentIntent: idRef(offered.ID),
				ProcessConfig: &processConfigJSON{Tipping: &tippingJSON{AmountEligible: 1000}}}}
	})
	if code, _ := e.pCollect(offered.ID, "", 0); code != "" {
		t.Fatal(code)
	}
	r = e.raw("GET", "/v1/payment_intents/"+offered.ID, "", nil)
	tip := r.json["amount_details"].(map[string]any)["tip"].(map[string]any)
	if n, ok := tip["amount"].(float64); !ok || n != 0 {
		t.Errorf("tipping offered, none chosen: tip %v", tip)
	}
}

func TestDefaultCardsAndInterac(t *testing.T) {
	e := newPayEnv(t)
	ca := addTestAccount(e.srv, "CA", "cad")
	p := &stripe.PaymentIntentParams{Amount: stripe.Int64(1500), Currency: stripe.String("cad"),
		PaymentMethodTypes: stripe.StringSlice([]string{"interac_present"})}
	p.SetStripeAccount(ca)
	pi, err := e.sc.PaymentIntents.New(p)
	if err != nil {
		t.Fatal(err)
	}
	if code, _ := e.pCollect(pi.ID, "", 0); code != "" {
		t.Fatal(code)
	}
	got := e.pGet(ca, pi.ID, "latest_charge")
	d := got.LatestCharge.PaymentMethodDetails
	if got.Status != "succeeded" || d.Type != "interac_present" || d.InteracPresent == nil || d.InteracPresent.Last4 != "1933" ||
		d.InteracPresent.Brand != "interac" || d.InteracPresent.Funding != "debit" {
		t.Fatalf("interac default: %s %+v", got.Status, d)
	}
	visa := e.pPaidWith("", 1000)
	ch := e.pCharge("", visa.LatestCharge.ID)
	if ch.PaymentMethodDetails.CardPresent.Last4 != "4242" || ch.PaymentMethodDetails.CardPresent.Brand != "visa" {
		t.Errorf("card_present default: %+v", ch.PaymentMethodDetails.CardPresent)
	}
}

func TestAmountOutcomeTable(t *testing.T) {
	for total, want := range map[int64]string{100: "", 2501: "call_issuer", 99905: "generic_decline", 155: "incorrect_pin",
		165: "withdrawal_count_limit_exceeded", 175: "pin_try_exceeded", 1010: "", 1050: "", 1002: ""} {
		d, _ := amountOutcome(total)
		got := ""
		if d != nil {
			got = d.declineCode
			if d.code != "card_declined" {
				t.Errorf("%d: code %q", total, d.code)
			}
		}
		if got != want {
			t.Errorf("%d: decline %q, want %q", total, got, want)
		}
	}
	if c := lookupTestCard("4242 4242 4242 4242"); c.decline != nil || c.brand != "visa" {
		t.Errorf("spaced number: %+v", c)
	}
}

func TestChargeStatementDescriptor(t *testing.T) {
	e := newPayEnv(t)
	seller := addTestAccount(e.srv, "US", "usd") // business name "Shop US", no descriptor
	p := &stripe.PaymentIntentParams{Amount: stripe.Int64(1000), Currency: stripe.String("usd"),
		PaymentMethodTypes: stripe.StringSlice([]string{"card_present"}), StatementDescriptorSuffix: stripe.String("table 4")}
	p.SetStripeAccount(seller)
	pi, err := e.sc.PaymentIntents.New(p)
	if err != nil {
		t.Fatal(err)
	}
	e.pCollect(pi.ID, "", 0)
	ch := e.pCharge(seller, e.pGet(seller, pi.ID).LatestCharge.ID)
	if ch.CalculatedStatementDescriptor != "SHOP US* TABLE 4" || ch.StatementDescriptorSuffix != "table 4" {
		t.Errorf("calculated_statement_descriptor %q suffix %q", ch.CalculatedStatementDescriptor, ch.StatementDescriptorSuffix)
	}
	plain := e.pPaidWith("", 1000)
	if ch := e.pCharge("", plain.LatestCharge.ID); ch.CalculatedStatementDescriptor == "" || ch.ReceiptURL == "" {
		t.Errorf("platform charge descriptor %q receipt_url %q", ch.CalculatedStatementDescriptor, ch.ReceiptURL)
	}
}
