package sandbox

import (
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stripe/stripe-go/v76"

	"kasse/internal/testkit"
)

// Stripe-Version: a malformed version is refused as Stripe refuses it; a
// well-formed other one is answered in 2023-10-16 shapes, with a warning
// in the sandbox's log.
func TestStripeVersionHeader(t *testing.T) {
	var logged testkit.SyncBuffer
	e := newEnv(t, Options{Logger: slog.New(slog.NewTextHandler(&logged, nil))})
	for _, bad := range []string{"1999-99-99", "2019-2-19", "2023-13-01", "latest", "2023-10-16; link_beta=v1", "2023-10-16.ACACIA"} {
		r := e.raw(http.MethodGet, "/v1/customers", "", fwHeaders{"Stripe-Version": bad})
		r.want(t, http.StatusBadRequest, "invalid_request_error", "")
		if msg := r.errField("message"); msg != "Invalid Stripe API version: "+bad {
			t.Errorf("%q: message %q", bad, msg)
		}
	}
	if strings.Contains(logged.String(), "another API version") {
		t.Errorf("a refused version was logged as answered:\n%s", logged.String())
	}
	for _, other := range []string{"2020-08-27", "2024-04-10.acacia"} {
		r := e.raw(http.MethodGet, "/v1/customers", "", fwHeaders{"Stripe-Version": other})
		if r.status != http.StatusOK || r.header.Get("Stripe-Version") != APIVersion {
			t.Fatalf("%s: %d, answered as %q", other, r.status, r.header.Get("Stripe-Version"))
		}
		if !strings.Contains(logged.String(), "requested="+other) {
			t.Errorf("no warning for %s in the log:\n%s", other, logged.String())
		}
	}
	for _, h := range []fwHeaders{{"Stripe-Version": APIVersion}, nil} {
		if r := e.raw(http.MethodGet, "/v1/customers", "", h); r.status != http.StatusOK {
			t.Fatalf("%v: %d", h, r.status)
		}
	}
}

// Customers, PaymentMethods (their test card and whether they are used
// up), SetupIntents and attempts survive a restart on the state file.
func TestStateFileKeepsCustomersAndCards(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sandbox.json")
	opts := Options{Seed: "none", StateFile: path, Now: persistClock()}
	e1 := newEnv(t, opts)
	seller := e1.addSeller("Shop", "US", "usd")
	c := e1.cCustomer("", "Mara", "mara@example.com")
	fail, _ := e1.cAttach("", "pm_card_chargeCustomerFail", c.ID)
	r := e1.tReader("")
	si, _ := e1.sc.SetupIntents.New(&stripe.SetupIntentParams{Customer: stripe.String(c.ID), PaymentMethodTypes: stripe.StringSlice([]string{"card_present"})})
	pp := &stripe.TerminalReaderProcessSetupIntentParams{SetupIntent: stripe.String(si.ID), CustomerConsentCollected: stripe.Bool(true)}
	if _, err := e1.sc.TerminalReaders.ProcessSetupIntent(r.ID, pp); err != nil {
		t.Fatal(err)
	}
	saved := e1.tMustPresent("", r.ID, "").Action.ProcessSetupIntent.GeneratedCard
	used := e1.cloneTo(t, seller, c.ID, saved)
	if _, err := e1.cConfirm(seller, "", used, 1000, "", true); err != nil {
		t.Fatal(err)
	}
	paths := []string{"/v1/customers?limit=100", "/v1/customers/" + c.ID, "/v1/payment_methods/" + saved,
		"/v1/customers/" + c.ID + "/payment_methods?type=card", "/v1/setup_intents/" + si.ID,
		"/v1/setup_attempts?setup_intent=" + si.ID, seller + "|/v1/payment_methods/" + used}
	before := getAll(e1, paths)
	want := dumpState(e1.srv)
	if err := e1.srv.Close(); err != nil {
		t.Fatal(err)
	}
	e2 := newEnv(t, opts)
	sameDump(t, "reloaded state", want, dumpState(e2.srv))
	after := getAll(e2, paths)
	for _, p := range paths {
		if before[p] != after[p] {
			t.Errorf("GET %s differs after reload:\nbefore %s\nafter  %s", p, before[p], after[p])
		}
	}
	// What a card does, and that a card was used up, came back too.
	_, err := e2.cConfirm("", c.ID, fail.ID, 1000, "", true)
	cWantErr(t, err, 402, stripe.ErrorTypeCard, "card_declined", "", "Your card was declined.")
	_, err = e2.cConfirm(seller, "", used, 1000, "", true)
	cWantErr(t, err, 400, stripe.ErrorTypeInvalidRequest, "", "payment_method", "It may not be used again.")
	if pi, err := e2.cConfirm("", c.ID, saved, 1000, "", true); err != nil || pi.Status != "succeeded" {
		t.Fatalf("the saved card after reload: %v", err)
	}
}

// The demo has regulars with saved cards on the platform and the sellers;
// Mara's card is already shared with Bäckerei Sonnenkorn.
func TestSeedDemoCustomers(t *testing.T) {
	e := newEnv(t, Options{Seed: "demo"})
	accts := demoAccounts(t, e)
	names := func(acct string) map[string]*stripe.Customer {
		p := &stripe.CustomerListParams{}
		p.Limit = stripe.Int64(100)
		if acct != "" {
			p.SetStripeAccount(acct)
		}
		it := e.sc.Customers.List(p)
		out := map[string]*stripe.Customer{}
		for it.Next() {
			out[it.Customer().Name] = it.Customer()
		}
		if it.Err() != nil {
			t.Fatal(it.Err())
		}
		return out
	}
	wallet := names("")
	for _, n := range []string{"Mara Lindqvist", "Jonas Weber", "Theo Brandt", "Priya Raman"} {
		c := wallet[n]
		if c == nil {
			t.Fatalf("no wallet customer %s (%v)", n, wallet)
		}
		if cards := e.cCards("", c.ID); len(cards) != 1 {
			t.Errorf("%s: %d saved cards", n, len(cards))
		}
	}
	if wallet["Priya Raman"].Email != "" {
		t.Errorf("Priya has an email: %s", wallet["Priya Raman"].Email)
	}
	if exp := e.cCards("", wallet["Theo Brandt"].ID)[0].Card.ExpYear; exp != 2021 {
		t.Errorf("Theo's card expires %d, want 2021", exp)
	}
	sonnenkorn := accts["Bäckerei Sonnenkorn"].ID
	at := names(sonnenkorn)
	mara := wallet["Mara Lindqvist"]
	cp := at["Mara Lindqvist"]
	if cp == nil || cp.Metadata["kasse_platform_customer"] != mara.ID || mara.Metadata["kasse_copy_"+sonnenkorn] != cp.ID {
		t.Fatalf("Mara's copy at Sonnenkorn: %+v, wallet metadata %v", cp, mara.Metadata)
	}
	shared := e.cCards(sonnenkorn, cp.ID)
	walletCard := e.cCards("", mara.ID)[0]
	if len(shared) != 1 || shared[0].Metadata["kasse_platform_payment_method"] != walletCard.ID || shared[0].Card.Last4 != "4242" {
		t.Fatalf("shared card %+v", shared)
	}
	if at["Lena Vogel"] == nil || names(accts["Lumen Coffee Roasters"].ID)["Ava Chen"] == nil {
		t.Errorf("seller customers missing")
	}
	// The shared card pays at Sonnenkorn with no clone.
	p := &stripe.PaymentIntentParams{Amount: stripe.Int64(450), Currency: stripe.String("eur"),
		PaymentMethodTypes: stripe.StringSlice([]string{"card", "card_present"}), PaymentMethod: stripe.String(shared[0].ID),
		Customer: stripe.String(cp.ID), Confirm: stripe.Bool(true), OffSession: stripe.Bool(true)}
	p.SetStripeAccount(sonnenkorn)
	if pi, err := e.sc.PaymentIntents.New(p); err != nil || pi.Status != "succeeded" {
		t.Fatalf("pay with the shared card: %v", err)
	}
}
