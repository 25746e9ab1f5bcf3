package sandbox

import (
	"strconv"
	"testing"

	"github.com/stripe/stripe-go/v76"
)

// demoAccounts lists the demo's connected accounts by business name.
func demoAccounts(t *testing.T, e *env) map[string]*stripe.Account {
	t.Helper()
	out := map[string]*stripe.Account{}
	it := e.sc.Accounts.List(&stripe.AccountListParams{})
	for it.Next() {
		a := it.Account()
		out[a.BusinessProfile.Name] = a
	}
	if it.Err() != nil {
		t.Fatal(it.Err())
	}
	return out
}

func TestAccountsListDemo(t *testing.T) {
	e := newEnv(t, Options{Seed: "demo"})
	accts := demoAccounts(t, e)
	if len(accts) != 5 {
		t.Fatalf("%d accounts: %v", len(accts), accts)
	}
	for name, want := range map[string]struct {
		country, currency string
		card              stripe.AccountCapabilityStatus
		charges           bool
		typ               stripe.AccountType
	}{
		"Lumen Coffee Roasters": {"US", "usd", "active", true, "express"},
		"Bäckerei Sonnenkorn":   {"DE", "eur", "active", true, "express"},
		"Sakura Ramen Shinjuku": {"JP", "jpy", "active", true, "express"},
		"Hollow Oak Books":      {"GB", "gbp", "inactive", false, "express"},
		"Northwind Bikes":       {"US", "usd", "active", true, "standard"},
	} {
		a := accts[name]
		if a == nil {
			t.Errorf("missing %s", name)
			continue
		}
		if a.Country != want.country || string(a.DefaultCurrency) != want.currency || a.Capabilities.CardPayments != want.card ||
			a.ChargesEnabled != want.charges || a.Type != want.typ || a.Settings.Dashboard.DisplayName == "" {
			t.Errorf("%s: %s %s card=%s charges=%v type=%s", name, a.Country, a.DefaultCurrency, a.Capabilities.CardPayments, a.ChargesEnabled, a.Type)
		}
	}
	hollow := accts["Hollow Oak Books"]
	if hollow.PayoutsEnabled || hollow.DetailsSubmitted || len(hollow.Requirements.CurrentlyDue) == 0 ||
		hollow.Requirements.DisabledReason != "requirements.past_due" || len(hollow.ExternalAccounts.Data) != 0 {
		t.Errorf("Hollow Oak requirements: %+v", hollow.Requirements)
	}
	lumen := accts["Lumen Coffee Roasters"]
	if len(lumen.ExternalAccounts.Data) != 1 || lumen.ExternalAccounts.Data[0].BankAccount == nil ||
		lumen.ExternalAccounts.Data[0].BankAccount.Last4 != "6789" || lumen.Controller.Type != "application" || !lumen.Controller.IsController {
		t.Errorf("Lumen: external %+v controller %+v", lumen.ExternalAccounts, lumen.Controller)
	}
	if sk := accts["Sakura Ramen Shinjuku"].Settings.Payments; sk.StatementDescriptorKana == "" || sk.StatementDescriptorKanji == "" {
		t.Errorf("Sakura descriptors %+v", sk)
	}
	if nw := accts["Northwind Bikes"]; nw.Controller.Type != "account" || nw.Controller.IsController {
		t.Errorf("Northwind controller %+v", nw.Controller)
	}
	// Raw: every account validates against the spec and the fixture's keys.
	r := e.raw("GET", "/v1/accounts", "limit=100", nil)
	if ids := listIDs(t, r); len(ids) != 5 {
		t.Errorf("raw list %v", ids)
	}
}

func TestAccountsRetrieve(t *testing.T) {
	e := newEnv(t, Options{Seed: "demo"})
	accts := demoAccounts(t, e)
	lumen, northwind := accts["Lumen Coffee Roasters"].ID, accts["Northwind Bikes"].ID

	// GET /v1/account: the platform, or the Stripe-Account's account.
	me, err := e.sc.Accounts.Get()
	if err != nil || me.ID != e.srv.PlatformID() || me.Type != "standard" {
		t.Fatalf("platform: %+v %v", me, err)
	}
	p := &stripe.AccountParams{}
	p.SetStripeAccount(lumen)
	a, err := e.sc.Accounts.GetByID(lumen, p)
	if err != nil || a.ID != lumen {
		t.Fatalf("own account through header: %v", err)
	}
	raw := e.raw("GET", "/v1/account", "", fwHeaders{"Stripe-Account": lumen})
	if raw.status != 200 || raw.json["id"] != lumen {
		t.Errorf("GET /v1/account as Lumen: %s", raw.body)
	}

	// GET /v1/accounts/{id} from the platform: any connected account, itself.
	for _, id := range []string{lumen, northwind, e.srv.PlatformID()} {
		if r := e.raw("GET", "/v1/accounts/"+id, "", nil); r.status != 200 || r.json["id"] != id {
			t.Errorf("GET %s: %d %s", id, r.status, r.body)
		}
	}
	// Unknown: 403 account_invalid, as for an unknown Stripe-Account.
	r := e.raw("GET", "/v1/accounts/acct_1Unknown0000000", "", nil)
	r.want(t, 403, "invalid_request_error", "account_invalid")
	// A connected account cannot read another one, nor list.
	e.raw("GET", "/v1/accounts/"+northwind, "", fwHeaders{"Stripe-Account": lumen}).want(t, 403, "invalid_request_error", "")
	r = e.raw("GET", "/v1/accounts", "", fwHeaders{"Stripe-Account": lumen})
	r.want(t, 403, "invalid_request_error", "")
	if r.errField("message") != errNotPlatform().Message {
		t.Errorf("message %q", r.errField("message"))
	}
	lp := &stripe.AccountListParams{}
	lp.SetStripeAccount(lumen)
	it := e.sc.Accounts.List(lp)
	it.Next()
	if se := stripeErr(t, it.Err()); se.HTTPStatusCode != 403 {
		t.Errorf("stripe-go list as connected account: %d", se.HTTPStatusCode)
	}
}

func TestAccountsCreatedFilter(t *testing.T) {
	e := newEnv(t, Options{Seed: "demo"})
	accts := demoAccounts(t, e)
	hollow := accts["Hollow Oak Books"] // 12 days old: the newest
	lumen := accts["Lumen Coffee Roasters"]
	q := func(s string) []string { return listIDs(t, e.raw("GET", "/v1/accounts", s, nil)) }
	if ids := q("created[gte]=" + strconv.FormatInt(hollow.Created, 10)); len(ids) != 1 || ids[0] != hollow.ID {
		t.Errorf("gte newest: %v", ids)
	}
	if ids := q("created[lt]=" + strconv.FormatInt(hollow.Created, 10)); len(ids) != 4 {
		t.Errorf("lt newest: %v", ids)
	}
	if ids := q("created=" + strconv.FormatInt(lumen.Created, 10)); len(ids) != 1 || ids[0] != lumen.ID {
		t.Errorf("exact: %v", ids)
	}
	if ids := q("created[gt]=" + strconv.FormatInt(lumen.Created, 10) + "&created[lte]=" + strconv.FormatInt(hollow.Created-1, 10)); len(ids) != 3 {
		t.Errorf("range: %v", ids)
	}
	e.raw("GET", "/v1/accounts", "created[after]=1", nil).want(t, 400, "invalid_request_error", "parameter_unknown")
	e.raw("GET", "/v1/accounts", "created[gt]=soon", nil).want(t, 400, "invalid_request_error", "parameter_invalid_integer")
	e.raw("GET", "/v1/accounts", "created=yesterday", nil).want(t, 400, "invalid_request_error", "parameter_invalid_integer")

	lp := &stripe.AccountListParams{}
	lp.CreatedRange = &stripe.RangeQueryParams{GreaterThanOrEqual: hollow.Created}
	it := e.sc.Accounts.List(lp)
	n := 0
	for it.Next() {
		n++
	}
	if it.Err() != nil || n != 1 {
		t.Errorf("stripe-go created range: %d %v", n, it.Err())
	}
}
