package sandbox

import (
	"net/http"
	"strconv"

	"kasse/sandbox/internal/apierr"
	"kasse/sandbox/internal/auth"
	"kasse/sandbox/internal/expand"
	"kasse/sandbox/internal/form"
	"kasse/sandbox/internal/list"
)

// Connect accounts. s.st.accounts holds the connected accounts by id and,
// under the key "", the platform itself: Stripe-Account is never empty, so
// the platform can never be named in that header, and a lookup by
// rq.Account finds the account a call acts as in both cases.

// PlatformID is the id of the platform account the sandbox's API keys
// belong to (GET /v1/account without Stripe-Account).
func (s *Server) PlatformID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.platformID
}

// errNotPlatform is the answer when a connected account (a call made with
// Stripe-Account) reaches for accounts other than itself. Stripe answers
// this with 403 and the message below when a non-platform works with other
// accounts (the message is Stripe's; its use for GET /v1/accounts through
// Stripe-Account is a decision: Stripe documents listing as platform-only,
// "connected_account_read" cannot be used through Stripe-Account).
func errNotPlatform() *apierr.Error {
	return &apierr.Error{Status: http.StatusForbidden, Type: apierr.TypeInvalidRequest, Validation: true,
		Message: "Only Stripe Connect platforms can work with other accounts. If you specified a client_id parameter, make sure it's correct. If you need to setup a Stripe Connect platform, you can do so at https://dashboard.stripe.com/account/applications/settings."}
}

// errNoAccess is Stripe's answer to an account id the key cannot reach
// (unknown, or not connected): 403 account_invalid, as for an unknown
// Stripe-Account header.
func errNoAccess(rq *request, id string) *apierr.Error {
	return &apierr.Error{Status: http.StatusForbidden, Type: apierr.TypeInvalidRequest, Code: "account_invalid", Validation: true,
		Message: "The provided key '" + rq.KeyHint + "' does not have access to account '" + id +
			"' (or that account does not exist). Application access may have been revoked."}
}

// listAccounts: GET /v1/accounts — the platform's connected accounts,
// newest first. Refused through Stripe-Account (errNotPlatform).
func (s *Server) listAccounts(rq *request) (any, *apierr.Error) {
	if rq.Account != "" {
		return nil, errNotPlatform()
	}
	if e := expand.Check(rq.Expand, nil); e != nil {
		return nil, e
	}
	inRange, e := createdRangeFilter(rq.Params)
	if e != nil {
		return nil, e
	}
	var items []*account
	for key, a := range s.st.accounts {
		if key != "" && inRange(a.created) {
			items = append(items, a)
		}
	}
	return list.Paginate(rq.Params, "/v1/accounts", "account", items, func(a *account) any { return s.renderAccount(a) })
}

// getAccount: GET /v1/accounts/{id}. The platform reads any connected
// account and itself; through Stripe-Account an account reads only itself.
func (s *Server) getAccount(rq *request) (any, *apierr.Error) {
	if e := expand.Check(rq.Expand, nil); e != nil {
		return nil, e
	}
	id := rq.ID
	if rq.Account != "" {
		if id != rq.Account {
			return nil, errNotPlatform()
		}
		return s.renderAccount(s.st.accounts[rq.Account]), nil
	}
	if id == s.st.platformID {
		return s.renderAccount(s.platform()), nil
	}
	a, ok := s.st.accounts[id]
	if !ok || id == "" {
		return nil, errNoAccess(rq, id)
	}
	return s.renderAccount(a), nil
}

// getOwnAccount: GET /v1/account — the account the call acts as.
func (s *Server) getOwnAccount(rq *request) (any, *apierr.Error) {
	if e := expand.Check(rq.Expand, nil); e != nil {
		return nil, e
	}
	if rq.Account == "" {
		return s.renderAccount(s.platform()), nil
	}
	return s.renderAccount(s.st.accounts[rq.Account]), nil
}

// platform returns the platform's account record, creating it on first
// use (every seed has a platform). Called with mu held.
func (s *Server) platform() *account {
	if p, ok := s.st.accounts[""]; ok {
		return p
	}
	now := s.opts.Now().Unix()
	p := &account{
		meta:         meta{id: s.st.platformID, created: now - 3*365*86400},
		businessName: "Kasse Sandbox Platform", displayName: "Kasse Sandbox", businessType: "company",
		country: "US", defaultCurrency: "usd", email: "platform@kasse.example", accountType: "standard",
		cardPayments: "active", transfers: "active", chargesEnabled: true, payoutsEnabled: true,
		detailsSubmitted: true, metadata: map[string]string{},
		mcc: "5734", productDescription: "Point-of-sale software for independent shops.",
		supportEmail: "support@kasse.example", url: "https://kasse.example",
		statementDescriptor: "KASSE", timezone: "America/New_York", payoutInterval: "daily", payoutDelayDays: 2,
		tosIP: "203.0.113.10",
	}
	p.tosDate = p.created
	p.bank = testBank("US", "usd", "Kasse Sandbox Inc.", "company")
	s.st.accounts[""] = p
	return p
}

// createdRangeFilter reads a list's `created` parameter: an integer
// (exact second) or created[gt|gte|lt|lte]. A nil parameter matches all.
func createdRangeFilter(p *form.Params) (func(int64) bool, *apierr.Error) {
	c := p.Child("created")
	if c == nil {
		return func(int64) bool { return true }, nil
	}
	if c.IsLeaf() {
		n, err := strconv.ParseInt(c.Value(), 10, 64)
		if err != nil {
			return nil, apierr.InvalidInteger("created", c.Value())
		}
		return func(t int64) bool { return t == n }, nil
	}
	type bound struct {
		op string
		n  int64
	}
	var bounds []bound
	for _, op := range c.Keys() {
		v := c.Child(op)
		switch op {
		case "gt", "gte", "lt", "lte":
		default:
			return nil, apierr.UnknownParam("created[" + op + "]")
		}
		n, err := strconv.ParseInt(v.Value(), 10, 64)
		if err != nil || !v.IsLeaf() {
			return nil, apierr.InvalidInteger("created["+op+"]", v.Value())
		}
		bounds = append(bounds, bound{op, n})
	}
	return func(t int64) bool {
		for _, b := range bounds {
			switch {
			case b.op == "gt" && !(t > b.n), b.op == "gte" && !(t >= b.n),
				b.op == "lt" && !(t < b.n), b.op == "lte" && !(t <= b.n):
				return false
			}
		}
		return true
	}, nil
}

// checkAccount refuses a Stripe-Account that is not connected to the
// platform, as Stripe does (403, account_invalid). Called with s.mu held.
func (s *Server) checkAccount(account string, r *http.Request) *apierr.Error {
	if _, ok := s.st.accounts[account]; ok {
		return nil
	}
	return &apierr.Error{Status: http.StatusForbidden, Type: apierr.TypeInvalidRequest, Code: "account_invalid", Validation: true,
		Message: "The provided key '" + auth.Redact(auth.Key(r)) + "' does not have access to account '" + account +
			"' (or that account does not exist). Application access may have been revoked."}
}
