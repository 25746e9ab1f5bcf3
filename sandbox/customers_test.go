package sandbox

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stripe/stripe-go/v76"
)

// Helpers of the customers' part's tests (customers, payment methods,
// setup intents, saved-card payments). Every call goes through stripe-go
// and the conformance transport (newEnv): stripe-mock v0.183.0 must accept
// each request and each answer must validate strictly against the
// 2023-10-16 spec.

// cCustomer creates a customer on acct ("" = platform).
func (e *env) cCustomer(acct, name, email string) *stripe.Customer {
	e.t.Helper()
	p := &stripe.CustomerParams{Name: stripe.String(name)}
	if email != "" {
		p.Email = stripe.String(email)
	}
	payParams(&p.Params, acct)
	c, err := e.sc.Customers.New(p)
	if err != nil {
		e.t.Fatalf("create customer: %v", err)
	}
	return c
}

// cAttach attaches pm to customer cus on acct.
func (e *env) cAttach(acct, pm, cus string) (*stripe.PaymentMethod, error) {
	p := &stripe.PaymentMethodAttachParams{Customer: stripe.String(cus)}
	payParams(&p.Params, acct)
	return e.sc.PaymentMethods.Attach(pm, p)
}

// cCards lists customer cus's card PaymentMethods on acct.
func (e *env) cCards(acct, cus string) []*stripe.PaymentMethod {
	e.t.Helper()
	p := &stripe.CustomerListPaymentMethodsParams{Customer: stripe.String(cus), Type: stripe.String("card")}
	if acct != "" {
		p.SetStripeAccount(acct)
	}
	var out []*stripe.PaymentMethod
	it := e.sc.Customers.ListPaymentMethods(p)
	for it.Next() {
		out = append(out, it.PaymentMethod())
	}
	if err := it.Err(); err != nil {
		e.t.Fatalf("list payment methods: %v", err)
	}
	return out
}

// cWantErr asserts an error's status, type, code, param and message part.
func cWantErr(t *testing.T, err error, status int, typ stripe.ErrorType, code, param, msgPart string) *stripe.Error {
	t.Helper()
	if err == nil {
		t.Fatalf("want error %d %s %s, got success", status, typ, code)
	}
	se := stripeErr(t, err)
	if se.HTTPStatusCode != status || se.Type != typ || string(se.Code) != code || se.Param != param || !strings.Contains(se.Msg, msgPart) {
		t.Fatalf("want %d %s code=%q param=%q msg~%q; got %d %s code=%q param=%q msg=%q",
			status, typ, code, param, msgPart, se.HTTPStatusCode, se.Type, se.Code, se.Param, se.Msg)
	}
	return se
}

func TestCustomerCreateRetrieveUpdate(t *testing.T) {
	e := newPayEnv(t)
	p := &stripe.CustomerParams{Name: stripe.String("Mara Lindqvist"), Email: stripe.String("mara@example.com"),
		Phone: stripe.String("+4915112345678"), Description: stripe.String("regular")}
	p.AddMetadata("loyalty", "gold")
	c, err := e.sc.Customers.New(p)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(c.ID, "cus_") || len(c.ID) != len("cus_")+14 || c.Name != "Mara Lindqvist" || c.Email != "mara@example.com" ||
		c.Phone != "+4915112345678" || c.Metadata["loyalty"] != "gold" || c.TaxExempt != "none" || c.NextInvoiceSequence != 1 || c.Created == 0 {
		t.Fatalf("customer %+v", c)
	}
	raw := string(c.LastResponse.RawJSON)
	for _, want := range []string{`"default_source":null`, `"invoice_settings":{"custom_fields":null,"default_payment_method":null`, `"preferred_locales":[]`} {
		if !strings.Contains(raw, want) {
			t.Errorf("body lacks %s:\n%s", want, raw)
		}
	}
	got, err := e.sc.Customers.Get(c.ID, nil)
	if err != nil || got.Email != c.Email {
		t.Fatalf("get: %v %+v", err, got)
	}
	up := &stripe.CustomerParams{Email: stripe.String("mara.l@example.com")}
	up.AddMetadata("loyalty", "")
	got, err = e.sc.Customers.Update(c.ID, up)
	if err != nil || got.Email != "mara.l@example.com" || len(got.Metadata) != 0 || got.Name != "Mara Lindqvist" {
		t.Fatalf("update: %v %+v", err, got)
	}
	if evs := e.pEvents("", "customer."); !eqStrings(evs, []string{"customer.created", "customer.updated"}) {
		t.Errorf("events %v", evs)
	}
	prev := e.pLastEventPrevious("", "customer.updated")
	if prev["email"] != "mara@example.com" {
		t.Errorf("previous_attributes %v", prev)
	}
}

func TestCustomerValidation(t *testing.T) {
	e := newPayEnv(t)
	p := &stripe.CustomerParams{Email: stripe.String("not-an-email")}
	_, err := e.sc.Customers.New(p)
	cWantErr(t, err, 400, stripe.ErrorTypeInvalidRequest, "email_invalid", "email", "Invalid email address: not-an-email")

	p = &stripe.CustomerParams{Name: stripe.String(strings.Repeat("n", 257))}
	_, err = e.sc.Customers.New(p)
	cWantErr(t, err, 400, stripe.ErrorTypeInvalidRequest, "parameter_invalid", "name", "must be at most 256 characters")

	p = &stripe.CustomerParams{PaymentMethod: stripe.String("pm_missing")}
	_, err = e.sc.Customers.New(p)
	cWantErr(t, err, 404, stripe.ErrorTypeInvalidRequest, "resource_missing", "payment_method", "No such PaymentMethod: 'pm_missing'")

	p = &stripe.CustomerParams{}
	p.AddExtra("source", "tok_visa") // Sources and tokens: not emulated (Kasse uses PaymentMethods)
	skipRequestCheck(&p.Params)
	_, err = e.sc.Customers.New(p)
	cWantErr(t, err, 400, stripe.ErrorTypeInvalidRequest, "parameter_unknown", "source", "Received unknown parameter: source")
}

func TestCustomerScopedByAccount(t *testing.T) {
	e := newPayEnv(t)
	a, b := e.addSeller("Shop A", "US", "usd"), e.addSeller("Shop B", "US", "usd")
	c := e.cCustomer(a, "Ava Chen", "ava@example.com")
	for _, acct := range []string{b, ""} {
		p := &stripe.CustomerParams{}
		payParams(&p.Params, acct)
		_, err := e.sc.Customers.Get(c.ID, p)
		cWantErr(t, err, 404, stripe.ErrorTypeInvalidRequest, "resource_missing", "id", "No such customer: '"+c.ID+"'")
		pi := &stripe.PaymentIntentParams{Amount: stripe.Int64(1000), Currency: stripe.String("usd"),
			PaymentMethodTypes: stripe.StringSlice([]string{"card_present"}), Customer: stripe.String(c.ID)}
		payParams(&pi.Params, acct)
		_, err = e.sc.PaymentIntents.New(pi)
		cWantErr(t, err, 404, stripe.ErrorTypeInvalidRequest, "resource_missing", "customer", "No such customer: '"+c.ID+"'")
	}
	p := &stripe.CustomerParams{}
	payParams(&p.Params, a)
	if got, err := e.sc.Customers.Get(c.ID, p); err != nil || got.ID != c.ID {
		t.Fatalf("own account: %v", err)
	}
}

func TestCustomerListEmailFilterAndPages(t *testing.T) {
	e := newPayEnv(t)
	var ids []string
	for _, em := range []string{"a@example.com", "b@example.com", "a@example.com", "A@example.com", "c@example.com"} {
		ids = append(ids, e.cCustomer("", "x", em).ID)
	}
	list := func(email string, limit int64, after string) ([]string, bool) {
		t.Helper()
		p := &stripe.CustomerListParams{}
		if email != "" {
			p.Email = stripe.String(email)
		}
		p.Limit = stripe.Int64(limit)
		if after != "" {
			p.StartingAfter = stripe.String(after)
		}
		p.Single = true
		it := e.sc.Customers.List(p)
		var out []string
		for it.Next() {
			out = append(out, it.Customer().ID)
		}
		if err := it.Err(); err != nil {
			t.Fatal(err)
		}
		return out, it.CustomerList().HasMore
	}
	// Exact and case-sensitive: A@example.com is another address.
	if got, _ := list("a@example.com", 10, ""); !eqStrings(got, []string{ids[2], ids[0]}) {
		t.Errorf("email a@: %v, want %v", got, []string{ids[2], ids[0]})
	}
	if got, _ := list("A@EXAMPLE.COM", 10, ""); len(got) != 0 {
		t.Errorf("case-insensitive match: %v", got)
	}
	page1, more := list("", 2, "")
	if !eqStrings(page1, []string{ids[4], ids[3]}) || !more {
		t.Fatalf("page 1 %v more %v", page1, more)
	}
	page2, more := list("", 2, page1[1])
	if !eqStrings(page2, []string{ids[2], ids[1]}) || !more {
		t.Fatalf("page 2 %v more %v", page2, more)
	}
	page3, more := list("", 2, page2[1])
	if !eqStrings(page3, []string{ids[0]}) || more {
		t.Fatalf("page 3 %v more %v", page3, more)
	}
}

func TestCustomerDeleteDetachesCards(t *testing.T) {
	e := newPayEnv(t)
	c := e.cCustomer("", "Jonas", "jonas@example.com")
	pm, err := e.cAttach("", "pm_card_visa", c.ID)
	if err != nil {
		t.Fatal(err)
	}
	del, err := e.sc.Customers.Del(c.ID, nil)
	if err != nil || !del.Deleted || del.ID != c.ID {
		t.Fatalf("delete: %v %+v", err, del)
	}
	got, err := e.sc.Customers.Get(c.ID, nil)
	if err != nil || !got.Deleted {
		t.Fatalf("a deleted customer reads as the deleted stub: %v %+v", err, got)
	}
	_, err = e.sc.Customers.Update(c.ID, &stripe.CustomerParams{Name: stripe.String("x")})
	cWantErr(t, err, 404, stripe.ErrorTypeInvalidRequest, "resource_missing", "id", "No such customer")
	after, err := e.sc.PaymentMethods.Get(pm.ID, nil)
	if err != nil || after.Customer != nil {
		t.Fatalf("card after delete: %v %+v", err, after)
	}
	it := e.sc.Customers.List(&stripe.CustomerListParams{})
	for it.Next() {
		t.Errorf("a deleted customer is listed: %s", it.Customer().ID)
	}
	if evs := e.pEvents("", "customer.deleted", "payment_method."); !eqStrings(evs, []string{"payment_method.attached", "payment_method.detached", "customer.deleted"}) {
		t.Errorf("events %v", evs)
	}
}

func TestCustomerDefaultPaymentMethodMustBeTheirs(t *testing.T) {
	e := newPayEnv(t)
	c, other := e.cCustomer("", "C", ""), e.cCustomer("", "O", "")
	mine, _ := e.cAttach("", "pm_card_visa", c.ID)
	theirs, _ := e.cAttach("", "pm_card_mastercard", other.ID)
	p := &stripe.CustomerParams{InvoiceSettings: &stripe.CustomerInvoiceSettingsParams{DefaultPaymentMethod: stripe.String(theirs.ID)}}
	_, err := e.sc.Customers.Update(c.ID, p)
	cWantErr(t, err, 400, stripe.ErrorTypeInvalidRequest, "parameter_invalid", "invoice_settings[default_payment_method]",
		"The customer does not have a payment method with the ID "+theirs.ID)
	p = &stripe.CustomerParams{InvoiceSettings: &stripe.CustomerInvoiceSettingsParams{DefaultPaymentMethod: stripe.String(mine.ID)}}
	p.AddExpand("invoice_settings.default_payment_method")
	got, err := e.sc.Customers.Update(c.ID, p)
	if err != nil || got.InvoiceSettings.DefaultPaymentMethod == nil || got.InvoiceSettings.DefaultPaymentMethod.Card == nil ||
		got.InvoiceSettings.DefaultPaymentMethod.Card.Last4 != "4242" {
		t.Fatalf("default: %v %+v", err, got.InvoiceSettings)
	}
}

func TestPaymentMethodAttachDetach(t *testing.T) {
	e := newPayEnv(t)
	seller := e.addSeller("Shop", "US", "usd")
	c, other := e.cCustomer(seller, "C", ""), e.cCustomer(seller, "O", "")
	pm, err := e.cAttach(seller, "pm_card_visa", c.ID)
	if err != nil {
		t.Fatal(err)
	}
	// A test PaymentMethod becomes a new one of the account, attached.
	if pm.ID == "pm_card_visa" || !strings.HasPrefix(pm.ID, "pm_") || pm.Customer == nil || pm.Customer.ID != c.ID ||
		pm.Type != "card" || pm.Card.Brand != "visa" || pm.Card.Last4 != "4242" || pm.Card.ExpMonth != 12 || pm.Card.Funding != "credit" {
		t.Fatalf("attached %+v card %+v", pm, pm.Card)
	}
	if cards := e.cCards(seller, c.ID); len(cards) != 1 || cards[0].ID != pm.ID {
		t.Fatalf("cards %v", cards)
	}
	_, err = e.cAttach(seller, pm.ID, other.ID)
	cWantErr(t, err, 400, stripe.ErrorTypeInvalidRequest, "", "", "The payment method you provided has already been attached to a customer.")
	_, err = e.cAttach(seller, pm.ID, c.ID)
	cWantErr(t, err, 400, stripe.ErrorTypeInvalidRequest, "", "", "has already been attached to a customer")
	_, err = e.cAttach("", pm.ID, c.ID)
	cWantErr(t, err, 404, stripe.ErrorTypeInvalidRequest, "resource_missing", "id", "No such PaymentMethod: '"+pm.ID+"'")
	_, err = e.cAttach(seller, "pm_card_visa", "cus_missing")
	cWantErr(t, err, 404, stripe.ErrorTypeInvalidRequest, "resource_missing", "customer", "No such customer: 'cus_missing'")

	dp := &stripe.PaymentMethodDetachParams{}
	payParams(&dp.Params, seller)
	det, err := e.sc.PaymentMethods.Detach(pm.ID, dp)
	if err != nil || det.Customer != nil {
		t.Fatalf("detach: %v %+v", err, det)
	}
	_, err = e.sc.PaymentMethods.Detach(pm.ID, dp)
	cWantErr(t, err, 400, stripe.ErrorTypeInvalidRequest, "", "", "The payment method you provided is not attached to a customer so detachment is impossible.")
	// Detached: used up.
	_, err = e.cAttach(seller, pm.ID, c.ID)
	cWantErr(t, err, 400, stripe.ErrorTypeInvalidRequest, "", "", "It may not be used again")
	if cards := e.cCards(seller, c.ID); len(cards) != 0 {
		t.Errorf("cards after detach %v", cards)
	}
	if evs := e.pEvents(seller, "payment_method."); !eqStrings(evs, []string{"payment_method.attached", "payment_method.detached"}) {
		t.Errorf("events %v", evs)
	}
}

func TestPaymentMethodsListByCustomerAndType(t *testing.T) {
	e := newPayEnv(t)
	c := e.cCustomer("", "C", "")
	a, _ := e.cAttach("", "pm_card_visa", c.ID)
	b, _ := e.cAttach("", "pm_card_amex", c.ID)
	e.cAttach("", "pm_card_mastercard", e.cCustomer("", "O", "").ID)
	p := &stripe.PaymentMethodListParams{Customer: stripe.String(c.ID), Type: stripe.String("card")}
	it := e.sc.PaymentMethods.List(p)
	var got []string
	for it.Next() {
		got = append(got, it.PaymentMethod().ID)
	}
	if it.Err() != nil || !eqStrings(got, []string{b.ID, a.ID}) {
		t.Fatalf("list: %v %v", it.Err(), got)
	}
	p = &stripe.PaymentMethodListParams{Customer: stripe.String(c.ID), Type: stripe.String("sepa_debit")}
	it = e.sc.PaymentMethods.List(p)
	if it.Next() {
		t.Errorf("no sepa_debit method is attached: %v", it.PaymentMethod().ID)
	}
	p = &stripe.PaymentMethodListParams{Customer: stripe.String("cus_gone")}
	it = e.sc.PaymentMethods.List(p)
	it.Next()
	cWantErr(t, it.Err(), 404, stripe.ErrorTypeInvalidRequest, "resource_missing", "customer", "No such customer: 'cus_gone'")
}

// The platform shares a wallet customer's card with a seller: a new,
// independent PaymentMethod on the seller, not attached; the platform's
// card is unchanged (seed 000, stripe-api.md §12).
func TestPaymentMethodCloneToConnectedAccount(t *testing.T) {
	e := newPayEnv(t)
	seller := e.addSeller("Shop", "DE", "eur")
	wallet := e.cCustomer("", "Mara", "mara@example.com")
	card, err := e.cAttach("", "pm_card_mastercard", wallet.ID)
	if err != nil {
		t.Fatal(err)
	}
	p := &stripe.PaymentMethodParams{Customer: stripe.String(wallet.ID), PaymentMethod: stripe.String(card.ID)}
	p.AddMetadata("kasse_platform_payment_method", card.ID)
	p.SetStripeAccount(seller)
	clone, err := e.sc.PaymentMethods.New(p)
	if err != nil {
		t.Fatal(err)
	}
	if clone.ID == card.ID || clone.Customer != nil || clone.Type != "card" || clone.Card.Last4 != "4444" ||
		clone.Card.Brand != card.Card.Brand || clone.Card.ExpYear != card.Card.ExpYear || clone.Card.Fingerprint != card.Card.Fingerprint ||
		clone.Metadata["kasse_platform_payment_method"] != card.ID {
		t.Fatalf("clone %+v card %+v", clone, clone.Card)
	}
	gp := &stripe.PaymentMethodParams{}
	gp.SetStripeAccount(seller)
	if _, err := e.sc.PaymentMethods.Get(clone.ID, gp); err != nil {
		t.Fatalf("the clone lives on the seller: %v", err)
	}
	if _, err := e.sc.PaymentMethods.Get(clone.ID, nil); err == nil {
		t.Error("the clone is visible on the platform")
	}
	orig, err := e.sc.PaymentMethods.Get(card.ID, nil)
	if err != nil || orig.Customer == nil || orig.Customer.ID != wallet.ID {
		t.Fatalf("the platform's card changed: %v %+v", err, orig)
	}
	// A second clone is another PaymentMethod: a card cloned twice is two.
	again, err := e.sc.PaymentMethods.New(p)
	if err != nil || again.ID == clone.ID {
		t.Fatalf("second clone %v %v", err, again)
	}
	// The seller can keep it: attach it to the seller's copy.
	cp := e.cCustomer(seller, "Mara", "mara@example.com")
	if att, err := e.cAttach(seller, clone.ID, cp.ID); err != nil || att.Customer.ID != cp.ID {
		t.Fatalf("attach the clone: %v", err)
	}
}

func TestPaymentMethodCloneRefusals(t *testing.T) {
	e := newPayEnv(t)
	seller := e.addSeller("Shop", "US", "usd")
	wallet, other := e.cCustomer("", "W", ""), e.cCustomer("", "O", "")
	card, _ := e.cAttach("", "pm_card_visa", wallet.ID)
	clone := func(acct, cus, pm string) error {
		p := &stripe.PaymentMethodParams{PaymentMethod: stripe.String(pm)}
		if cus != "" {
			p.Customer = stripe.String(cus)
		}
		payParams(&p.Params, acct)
		_, err := e.sc.PaymentMethods.New(p)
		return err
	}
	cWantErr(t, clone("", wallet.ID, card.ID), 400, stripe.ErrorTypeInvalidRequest, "parameter_invalid", "payment_method",
		"only be used to share a PaymentMethod with a connected account")
	cWantErr(t, clone(seller, other.ID, card.ID), 400, stripe.ErrorTypeInvalidRequest, "", "payment_method",
		"The customer does not have a payment method with the ID "+card.ID)
	cWantErr(t, clone(seller, "", card.ID), 400, stripe.ErrorTypeInvalidRequest, "parameter_invalid", "customer",
		"is attached to a customer: pass that customer")
	cWantErr(t, clone(seller, wallet.ID, "pm_nope"), 404, stripe.ErrorTypeInvalidRequest, "resource_missing", "payment_method",
		"No such PaymentMethod: 'pm_nope'")
	// A seller's own card cannot be shared: clones come from the platform.
	sc := e.cCustomer(seller, "S", "")
	own, _ := e.cAttach(seller, "pm_card_visa", sc.ID)
	cWantErr(t, clone(seller, sc.ID, own.ID), 404, stripe.ErrorTypeInvalidRequest, "resource_missing", "payment_method", "No such PaymentMethod")

	// No raw card data: the sandbox collects cards on readers.
	p := &stripe.PaymentMethodParams{Type: stripe.String("card"), Card: &stripe.PaymentMethodCardParams{Token: stripe.String("tok_visa")}}
	skipRequestCheck(&p.Params)
	_, err := e.sc.PaymentMethods.New(p)
	cWantErr(t, err, 400, stripe.ErrorTypeInvalidRequest, "parameter_unknown", "card", "Received unknown parameter: card")
	p = &stripe.PaymentMethodParams{Type: stripe.String("card")}
	_, err = e.sc.PaymentMethods.New(p)
	cWantErr(t, err, 400, stripe.ErrorTypeInvalidRequest, "", "payment_method", "only by sharing")
}

func TestPaymentMethodUnknownIsNotFound(t *testing.T) {
	e := newPayEnv(t)
	_, err := e.sc.PaymentMethods.Get("pm_card_visa", nil)
	cWantErr(t, err, 404, stripe.ErrorTypeInvalidRequest, "resource_missing", "id", "No such PaymentMethod: 'pm_card_visa'")
	r := e.raw(http.MethodPost, "/v1/payment_methods/pm_x/attach", "", nil)
	r.want(t, 400, "invalid_request_error", "parameter_missing")
}

// pLastEventPrevious returns data.previous_attributes of acct's last event
// of typ.
func (e *env) pLastEventPrevious(acct, typ string) map[string]any {
	e.t.Helper()
	s := e.srv
	s.mu.Lock()
	defer s.mu.Unlock()
	for ev := range s.st.events.Newest(acct) {
		if ev.Type == typ {
			var m map[string]any
			if err := json.Unmarshal(ev.Data.PreviousAttributes, &m); err != nil {
				e.t.Fatal(err)
			}
			return m
		}
	}
	e.t.Fatalf("no %s event on %q", typ, acct)
	return nil
}
