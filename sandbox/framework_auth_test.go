package sandbox

import (
	"encoding/base64"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"kasse/sandbox/internal/auth"

	"github.com/stripe/stripe-go/v76"
)

var requestIDRE = regexp.MustCompile(`^req_[0-9A-Za-z]{14}$`)

func TestFrameworkRequestIDOnEveryResponse(t *testing.T) {
	e := newEnv(t, Options{})
	seen := map[string]bool{}
	for _, c := range []struct {
		name, method, path, form string
		h                        fwHeaders
		status                   int
	}{
		{"success", "GET", "/v1/account", "", nil, 200},
		{"400", "GET", "/v1/accounts", "limit=0", nil, 400},
		{"401", "GET", "/v1/account", "", fwHeaders{"Authorization": "-"}, 401},
		{"403", "GET", "/v1/account", "", fwHeaders{"Stripe-Account": "acct_1NoSuchAccount00"}, 403},
		{"404 route", "GET", "/v1/no_such_thing", "", nil, 404},
		{"404 object", "GET", "/v1/events/evt_missing", "", nil, 404},
	} {
		r := e.raw(c.method, c.path, c.form, c.h)
		if r.status != c.status {
			t.Errorf("%s: status %d, want %d", c.name, r.status, c.status)
		}
		id := r.header.Get("Request-Id")
		if !requestIDRE.MatchString(id) {
			t.Errorf("%s: Request-Id %q does not look like Stripe's", c.name, id)
		}
		if seen[id] {
			t.Errorf("%s: Request-Id %q reused", c.name, id)
		}
		seen[id] = true
		if got := r.header.Get("Stripe-Version"); got != APIVersion {
			t.Errorf("%s: Stripe-Version %q", c.name, got)
		}
		if ct := r.header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("%s: Content-Type %q", c.name, ct)
		}
	}

	// stripe-go exposes it on successes and on errors.
	a, err := e.sc.Accounts.Get()
	if err != nil {
		t.Fatal(err)
	}
	if !requestIDRE.MatchString(a.LastResponse.RequestID) {
		t.Errorf("LastResponse.RequestID %q", a.LastResponse.RequestID)
	}
	_, err = e.sc.Events.Get("evt_missing", nil)
	if se := stripeErr(t, err); !requestIDRE.MatchString(se.RequestID) || se.HTTPStatusCode != 404 {
		t.Errorf("error RequestID %q status %d", se.RequestID, se.HTTPStatusCode)
	}
}

func TestFrameworkAuthFailures(t *testing.T) {
	e := newEnv(t, Options{})
	const noKey = "You did not provide an API key."
	for _, c := range []struct {
		name, auth, code, msgPrefix, secret string
	}{
		{"no header", "-", "", noKey, ""},
		{"empty bearer", "Bearer ", "", noKey, ""},
		{"live key", "Bearer sk_live_" + "51Hx9QwErTyUiOpAsDfGhJkL", "api_key_expired_or_invalid", "Invalid API Key provided: sk_live_", "51Hx9QwErTyUiOpAsDfGhJkL"},
		{"live key with underscores", "Bearer sk_live_abc_defghij_klmnop", "api_key_expired_or_invalid", "Invalid API Key provided: sk_live_", "abc_defghij"},
		{"restricted live", "Bearer rk_live_" + "51HxRestrictedKey000", "api_key_expired_or_invalid", "Invalid API Key provided: rk_live_", "51HxRestrictedKey"},
		{"publishable", "Bearer pk_test_51HxPublishableKey0000", "", "This API call cannot be made with a publishable API key.", "51HxPublishableKey"},
		{"garbage", "Bearer hunter2-is-my-password", "api_key_expired_or_invalid", "Invalid API Key provided: ", "hunter2-is-my"},
		{"short garbage", "Bearer abc", "api_key_expired_or_invalid", "Invalid API Key provided: ***", "abc"},
		{"wrong scheme", "Token sk_test_sandboxHarness0001", "", noKey, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := e.raw("GET", "/v1/account", "", fwHeaders{"Authorization": c.auth})
			r.want(t, http.StatusUnauthorized, "invalid_request_error", c.code)
			msg := r.errField("message")
			if !strings.HasPrefix(msg, c.msgPrefix) {
				t.Errorf("message %q, want prefix %q", msg, c.msgPrefix)
			}
			if c.secret != "" && strings.Contains(string(r.body), c.secret) {
				t.Errorf("body echoes the secret part of the key: %s", r.body)
			}
		})
	}

	// Through stripe-go: a live key is a 401 *stripe.Error.
	sc := newClient(e.url, wrapTransport(t, http.DefaultTransport), 0)
	sc.Accounts.Key = "sk_live_" + "51Hx9QwErTyUiOpAsDfGhJkL"
	gp := &stripe.AccountParams{}
	skipRequestCheck(&gp.Params)
	_, err := sc.Accounts.GetByID(e.srv.PlatformID(), gp)
	se := stripeErr(t, err)
	if se.HTTPStatusCode != 401 || se.Type != stripe.ErrorTypeInvalidRequest || strings.Contains(se.Msg, "QwErTyUiOpAsDfGh") {
		t.Errorf("stripe-go: %d %s %q", se.HTTPStatusCode, se.Type, se.Msg)
	}
}

func TestFrameworkRedactKey(t *testing.T) {
	for in, want := range map[string]string{
		"sk_test_sandboxHarness0001": "sk_test_**************0001",
		"sk_live_abc_defghij_klmnop": "sk_live_**************mnop",
		"sk_test_1234567":            "sk_test_*******",
		"abcdefgh":                   "****efgh",
		"abc":                        "***",
		"":                           "",
	} {
		if got := auth.Redact(in); got != want {
			t.Errorf("auth.Redact(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFrameworkBasicAuth(t *testing.T) {
	e := newEnv(t, Options{})
	for _, cred := range []string{testAPIKey + ":", testAPIKey + ":ignored-password", testAPIKey} {
		auth := "Basic " + base64.StdEncoding.EncodeToString([]byte(cred))
		r := e.raw("GET", "/v1/account", "", fwHeaders{"Authorization": auth})
		if r.status != 200 || r.json["object"] != "account" {
			t.Errorf("Basic %q: %d %s", cred, r.status, r.body)
		}
	}
	r := e.raw("GET", "/v1/account", "", fwHeaders{"Authorization": "Basic !!not-base64!!"})
	r.want(t, 401, "invalid_request_error", "")
}

func TestFrameworkUnknownStripeAccount(t *testing.T) {
	e := newEnv(t, Options{})
	r := e.raw("GET", "/v1/events", "", fwHeaders{"Stripe-Account": "acct_1NoSuchAccount00"})
	r.want(t, http.StatusForbidden, "invalid_request_error", "account_invalid")
	msg := r.errField("message")
	if !strings.Contains(msg, "'acct_1NoSuchAccount00'") || !strings.Contains(msg, "sk_test_") || strings.Contains(msg, testAPIKey) {
		t.Errorf("message %q", msg)
	}
	// The platform's own id is not a connected account either.
	r = e.raw("GET", "/v1/events", "", fwHeaders{"Stripe-Account": e.srv.PlatformID()})
	r.want(t, http.StatusForbidden, "invalid_request_error", "account_invalid")

	p := &stripe.EventListParams{}
	p.SetStripeAccount("acct_1NoSuchAccount00")
	it := e.sc.Events.List(p)
	it.Next()
	se := stripeErr(t, it.Err())
	if se.HTTPStatusCode != 403 || se.Code != "account_invalid" {
		t.Errorf("stripe-go: %d %s", se.HTTPStatusCode, se.Code)
	}
}

func TestFrameworkUnknownRoute(t *testing.T) {
	e := newEnv(t, Options{})
	for _, c := range []struct{ method, path string }{
		{"GET", "/v1/no_such_thing"},
		{"DELETE", "/v1/accounts"},
		{"POST", "/v1/events"},
		{"GET", "/v1/accounts/"},
		{"GET", "/v2/accounts"},
	} {
		r := e.raw(c.method, c.path, "", nil)
		r.want(t, http.StatusNotFound, "invalid_request_error", "")
		want := "Unrecognized request URL (" + c.method + ": " + c.path + ")."
		if !strings.HasPrefix(r.errField("message"), want) {
			t.Errorf("%s %s: message %q", c.method, c.path, r.errField("message"))
		}
	}
	// stripe-go's raw backend call surfaces it as a 404 *stripe.Error (no
	// conformance transport: the spec has no operation to hold it to).
	sc := newClient(e.url, http.DefaultTransport, 0)
	err := sc.Accounts.B.Call("GET", "/v1/no_such_thing", testAPIKey, &stripe.Params{}, &stripe.Account{})
	if se := stripeErr(t, err); se.HTTPStatusCode != 404 || !strings.HasPrefix(se.Msg, "Unrecognized request URL") {
		t.Errorf("stripe-go: %d %q", se.HTTPStatusCode, se.Msg)
	}
}

func TestFrameworkUnknownParameter(t *testing.T) {
	e := newEnv(t, Options{})
	r := e.raw("GET", "/v1/accounts", "limit=3&colour=blue", nil)
	r.want(t, 400, "invalid_request_error", "parameter_unknown")
	if r.errField("param") != "colour" || r.errField("message") != "Received unknown parameter: colour" {
		t.Errorf("param %q message %q", r.errField("param"), r.errField("message"))
	}
	// expand is accepted on every route (and judged by the route).
	if r := e.raw("GET", "/v1/account", "expand[0]=business_profile", nil); r.status != 400 || r.errField("param") != "expand" {
		t.Errorf("expand: %d %s", r.status, r.body)
	}

	p := &stripe.AccountParams{}
	p.AddExtra("colour", "blue")
	skipRequestCheck(&p.Params)
	_, err := e.sc.Accounts.GetByID(e.srv.PlatformID(), p)
	se := stripeErr(t, err)
	if se.Code != stripe.ErrorCodeParameterUnknown || se.Param != "colour" {
		t.Errorf("stripe-go: %s %s", se.Code, se.Param)
	}
}

func TestFrameworkBodyMustBeForm(t *testing.T) {
	e := newEnv(t, Options{})
	r := e.raw("POST", "/v1/terminal/locations", `{"display_name":"x"}`, fwHeaders{"Content-Type": "application/json"})
	r.want(t, 400, "invalid_request_error", "")
	if !strings.Contains(r.errField("message"), "application/x-www-form-urlencoded") {
		t.Errorf("message %q", r.errField("message"))
	}
}
